//! One package, one entry: a `requirements.txt` pin and the installed `*.dist-info` of the
//! same distribution are one package carrying both files, and each advisory is one finding
//! listing both. The Python files are the inventory fixtures made by real pip
//! (`scripts/make-lang-fixtures.sh python`).

use palisade_core::{FindingKind, Report};
use palisade_engine::{Scan, Scanner::Vuln};
use std::path::Path;

fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        let dst = to.join(e.file_name());
        if e.file_type().unwrap().is_dir() {
            copy_tree(&e.path(), &dst);
        } else {
            std::fs::copy(e.path(), dst).unwrap();
        }
    }
}

/// An advisory of our own against the fixture's `requests==2.31.0`, and one against a
/// version nobody installed.
const ADVISORIES: &str = r#"[
  {"id": "PALI-ONCE-0001", "summary": "test advisory for requests",
   "aliases": ["CVE-2099-0101"],
   "severity": [{"type": "CVSS_V3", "score": "CVSS:3.1/AV:N/AC:H/PR:N/UI:R/S:U/C:H/I:N/A:N"}],
   "affected": [{"package": {"ecosystem": "PyPI", "name": "requests"},
                 "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"fixed": "2.32.0"}]}]}]},
  {"id": "PALI-ONCE-0002", "summary": "test advisory for PyYAML",
   "affected": [{"package": {"ecosystem": "PyPI", "name": "PyYAML"},
                 "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"fixed": "6.0.2"}]}]}]}
]"#;

fn scan_app_with_site_packages() -> Report {
    let fixtures =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../palisade-inventory/fixtures/lang/python");
    let root = tempfile::tempdir().unwrap();
    let app = root.path().join("tree/opt/app");
    std::fs::create_dir_all(&app).unwrap();
    std::fs::copy(
        fixtures.join("requirements/requirements.txt"),
        app.join("requirements.txt"),
    )
    .unwrap();
    copy_tree(
        &fixtures.join("site-packages"),
        &root.path().join("tree/usr/lib/python3/site-packages"),
    );
    let osv = root.path().join("advisories.json");
    std::fs::write(&osv, ADVISORIES).unwrap();
    let db = root.path().join("db.sqlite");
    palisade_vulndb::import(&db, &[osv]).unwrap();
    Scan::fs(root.path().join("tree"))
        .scanners([Vuln])
        .db(palisade_vulndb::VulnDb::open(&db).unwrap())
        .run()
        .unwrap()
}

#[test]
fn declared_and_installed_package_is_one_entry_with_both_files() {
    let report = scan_app_with_site_packages();
    let t = &report.results[0];
    let names: Vec<&str> = t.packages.iter().map(|p| p.name.as_str()).collect();
    // pip freeze wrote six pins, and pip installed the same six distributions.
    assert_eq!(
        names,
        [
            "certifi",
            "charset-normalizer",
            "idna",
            "pyyaml",
            "requests",
            "urllib3"
        ]
    );
    for p in &t.packages {
        let paths: Vec<String> = p.locations().filter_map(|l| l.path).collect();
        assert_eq!(paths.len(), 2, "{}: {paths:?}", p.name);
        // The installed copy first, the declaration after it.
        assert!(
            paths[0].starts_with("usr/lib/python3/site-packages/")
                && paths[0].ends_with("/METADATA"),
            "{paths:?}"
        );
        assert_eq!(paths[1], "opt/app/requirements.txt");
    }
    // `PyYAML==6.0.1` and `PyYAML-6.0.1.dist-info` meet under the PEP 503 name.
    let yaml = t.packages.iter().find(|p| p.name == "pyyaml").unwrap();
    assert!(yaml.found_in.contains("PyYAML-6.0.1.dist-info"));
}

#[test]
fn one_finding_per_advisory_and_package_listing_every_file() {
    let report = scan_app_with_site_packages();
    let vulns: Vec<_> = report.results[0]
        .findings
        .iter()
        .filter(|f| f.kind == FindingKind::Vulnerability)
        .collect();
    let ids: Vec<(&str, &str)> = vulns
        .iter()
        .map(|f| {
            let v = f.vulnerability.as_ref().unwrap();
            (v.package_name.as_str(), v.installed_version.as_str())
        })
        .collect();
    assert_eq!(ids, [("pyyaml", "6.0.1"), ("requests", "2.31.0")]);
    for f in vulns {
        assert!(f
            .location
            .path
            .as_deref()
            .is_some_and(|p| p.ends_with(".dist-info/METADATA")));
        assert_eq!(f.other_locations.len(), 1, "{f:?}");
        assert_eq!(
            f.other_locations[0].path.as_deref(),
            Some("opt/app/requirements.txt")
        );
    }
}
