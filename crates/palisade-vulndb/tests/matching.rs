mod common;

use common::{fixtures, pkg};
use palisade_core::{Ecosystem, LayerRef, OsFamily, OsInfo, Severity, Unmatchable};
use palisade_vulndb::{import, VulnDb};

fn db() -> (tempfile::TempDir, VulnDb, palisade_vulndb::ImportReport) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("db.sqlite");
    let report = import(&path, &[fixtures()]).unwrap();
    let db = VulnDb::open(&path).unwrap();
    (dir, db, report)
}

#[test]
fn import_skips_malformed_and_withdrawn_and_names_files() {
    let (_d, db, report) = db();
    // 3 PyPI + 4 from the array + 2 distro records; the withdrawn one is not stored.
    assert_eq!(report.records, 9, "{report:?}");
    assert_eq!(report.withdrawn, 1);
    let sources: Vec<_> = report.skipped.iter().map(|e| e.source.clone()).collect();
    assert_eq!(sources.len(), 2, "{:?}", report.skipped);
    assert!(sources.iter().any(|s| s.ends_with("broken.json")));
    assert!(sources.iter().any(|s| s.ends_with("not-osv.yaml")));
    assert!(report.skipped.iter().all(|e| !e.message.is_empty()));
    let status = db.status().unwrap();
    assert_eq!(status.advisories, 9);
    assert_eq!(status.ecosystems.get("pypi"), Some(&3));
    assert!(status.age_seconds.is_some_and(|a| a < 600));
    assert!(!status.stale);
}

#[test]
fn pypi_match_merges_aliases_and_excludes_out_of_range() {
    let (_d, db, _) = db();
    // Name normalised (PEP 503) on both sides: Demo_Requests / demo-requests / DEMO.requests.
    let found = db
        .match_packages(None, &[pkg(Ecosystem::Pypi, "DEMO.requests", "2.19.1")])
        .unwrap()
        .findings;
    assert_eq!(found.len(), 1, "{found:#?}");
    let f = &found[0];
    // The CVE is shown; the ecosystem's advisory is the source, and an alias like the rest.
    assert_eq!(f.rule_id, "CVE-2099-0001");
    let v = f.vulnerability.as_ref().unwrap();
    assert_eq!(v.source_id.as_deref(), Some("PALI-PY-0001"));
    assert_eq!(v.aliases, vec!["GHSA-demo-aaaa-0001", "PALI-PY-0001"]);
    assert_eq!(v.fixed_versions, vec!["2.20.0"]);
    assert_eq!(v.status, "fixed");
    assert_eq!(v.installed_version, "2.19.1");
    // The CVSS vector of the merged GHSA record gives the severity.
    assert_eq!(v.cvss_score, Some(7.5));
    assert_eq!(f.severity, Severity::High);
    assert!(f.references.len() >= 2);
    assert_eq!(f.location.path.as_deref(), Some("fixture/DEMO.requests"));
    assert_eq!(
        f.location.purl.as_deref(),
        Some("pkg:pypi/DEMO.requests@2.19.1")
    );
    assert!(f.message.contains("Fixed in 2.20.0"));

    // Outside every range: nothing.
    for version in ["1.2.0", "1.9", "2.20.0", "3.0"] {
        let none = db
            .match_packages(None, &[pkg(Ecosystem::Pypi, "demo-requests", version)])
            .unwrap()
            .findings;
        assert!(none.is_empty(), "{version}: {none:#?}");
    }
    // The old range matches old versions, and the withdrawn record never does.
    let old = db
        .match_packages(None, &[pkg(Ecosystem::Pypi, "demo-requests", "1.0")])
        .unwrap()
        .findings;
    let ids: Vec<_> = old.iter().map(|f| f.rule_id.as_str()).collect();
    assert_eq!(ids, vec!["CVE-2099-0002"]);
}

#[test]
fn npm_go_maven_ranges() {
    let (_d, db, _) = db();
    let pkgs = [
        pkg(Ecosystem::Npm, "demo-lodash", "4.17.4"),
        pkg(Ecosystem::Npm, "demo-lodash", "4.17.16"),
        pkg(Ecosystem::Npm, "demo-lodash", "4.17.21"),
        pkg(
            Ecosystem::Golang,
            "example.invalid/demo/mod",
            "v1.3.9-0.20200101000000-abcdefabcdef",
        ),
        pkg(Ecosystem::Golang, "example.invalid/demo/mod", "v1.4.0"),
        pkg(Ecosystem::Maven, "org.example:demo-core", "2.9.10.7"),
        pkg(Ecosystem::Maven, "org.example:demo-core", "2.9.10.8"),
    ];
    let found = db.match_packages(None, &pkgs).unwrap().findings;
    let got: Vec<_> = found
        .iter()
        .map(|f| {
            let v = f.vulnerability.as_ref().unwrap();
            format!("{}@{} {}", v.package_name, v.installed_version, f.rule_id)
        })
        .collect();
    assert_eq!(
        got,
        vec![
            "demo-lodash@4.17.4 CVE-2099-1001",
            "demo-lodash@4.17.16 PALI-NPM-0002",
            "example.invalid/demo/mod@v1.3.9-0.20200101000000-abcdefabcdef PALI-GO-0001",
            "org.example:demo-core@2.9.10.7 PALI-MVN-0001",
        ]
    );
    assert_eq!(found[0].severity, Severity::Critical);
    let mvn = found[3].vulnerability.as_ref().unwrap();
    assert_eq!(mvn.status, "affected");
    assert!(mvn.fixed_versions.is_empty());
}

#[test]
fn debian_source_advisory_reported_on_each_binary() {
    let (_d, db, _) = db();
    let os = OsInfo {
        codename: Some("bookworm".into()),
        ..OsInfo::new(OsFamily::Debian, "12")
    };
    let layer = LayerRef {
        index: 0,
        digest: "sha256:00".into(),
        ..Default::default()
    };
    let binary = |name: &str, version: &str| {
        let mut p = pkg(Ecosystem::Deb, name, version);
        p.source_name = Some("demo-glibc".into());
        p.source_version = Some("2.36-9+deb12u3".into());
        p.found_in = "var/lib/dpkg/status".into();
        p.layer = Some(layer.clone());
        p
    };
    let mut patched = pkg(Ecosystem::Deb, "demo-libc-bin", "2.36-9+deb12u4");
    patched.source_name = Some("demo-glibc".into());
    patched.source_version = Some("2.36-9+deb12u4".into());
    let pkgs = [
        binary("demo-libc6", "2.36-9+deb12u3"),
        // A binNMU: binary version differs, the source version decides.
        binary("demo-libc-dev-bin", "2.36-9+deb12u3+b1"),
        patched,
    ];
    let found = db.match_packages(Some(&os), &pkgs).unwrap().findings;
    assert_eq!(found.len(), 2, "{found:#?}");
    for (f, (name, version)) in found.iter().zip([
        ("demo-libc6", "2.36-9+deb12u3"),
        ("demo-libc-dev-bin", "2.36-9+deb12u3+b1"),
    ]) {
        assert_eq!(f.rule_id, "CVE-2099-2001");
        let v = f.vulnerability.as_ref().unwrap();
        assert_eq!(v.source_id.as_deref(), Some("PALI-DEB-0001"));
        assert_eq!(v.package_name, name);
        assert_eq!(v.installed_version, version);
        assert_eq!(v.fixed_versions, vec!["2.36-9+deb12u4"]);
        assert_eq!(f.severity, Severity::High);
        assert_eq!(f.location.path.as_deref(), Some("var/lib/dpkg/status"));
        assert_eq!(f.location.layer.as_ref(), Some(&layer));
        assert_eq!(
            f.extra.get("source_package").and_then(|v| v.as_str()),
            Some("demo-glibc")
        );
        assert!(f.message.contains("through source package demo-glibc"));
    }
    // Same packages on Debian 11 or without an OS: the Debian 12 range does not apply.
    let bullseye = OsInfo {
        version: "11".into(),
        ..os.clone()
    };
    let on11 = db.match_packages(Some(&bullseye), &pkgs).unwrap().findings;
    assert!(on11.is_empty(), "{on11:#?}");
    assert!(db.match_packages(None, &pkgs).unwrap().findings.is_empty());
}

#[test]
fn alpine_origin_package() {
    let (_d, db, _) = db();
    let os = OsInfo::new(OsFamily::Alpine, "3.19.1");
    let mut libcrypto = pkg(Ecosystem::Apk, "demo-libcrypto3", "3.1.4-r4");
    libcrypto.source_name = Some("demo-openssl".into());
    let mut fixed = pkg(Ecosystem::Apk, "demo-libssl3", "3.1.4-r5");
    fixed.source_name = Some("demo-openssl".into());
    let found = db
        .match_packages(Some(&os), &[libcrypto, fixed])
        .unwrap()
        .findings;
    assert_eq!(found.len(), 1);
    assert_eq!(
        found[0].vulnerability.as_ref().unwrap().package_name,
        "demo-libcrypto3"
    );
}

#[test]
fn reimport_replaces_records_and_survives_bad_input() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("db.sqlite");
    import(&path, &[fixtures()]).unwrap();
    let missing = dir.path().join("missing.json");
    let r = import(
        &path,
        &[missing.clone(), fixtures().join("npm-and-more.json")],
    )
    .unwrap();
    assert_eq!(r.records, 4);
    assert!(r.skipped[0].source.contains("missing.json"));
    let db = VulnDb::open(&path).unwrap();
    assert_eq!(db.status().unwrap().advisories, 9);
    // Not a database: a clear error naming the file.
    let junk = dir.path().join("junk.sqlite");
    std::fs::write(&junk, b"not sqlite").unwrap();
    let e = VulnDb::open(&junk).unwrap_err().to_string();
    assert!(e.contains("junk.sqlite"), "{e}");
}

#[test]
fn unmatched_distributions_are_reported_per_reason() {
    let (_d, db, _) = db();
    let rpms: Vec<_> = ["bash", "openssl-libs", "glibc"]
        .iter()
        .map(|n| pkg(Ecosystem::Rpm, n, "1.0-1"))
        .collect();
    let mut pkgs = rpms.clone();
    pkgs.push(pkg(Ecosystem::Pypi, "DEMO.requests", "2.19.1"));
    for (os, reason, text) in [
        (
            OsInfo::new(OsFamily::CentOs, "7"),
            Unmatchable::NoAdvisories("CentOS 7".into()),
            "3 rpm packages not matched: OSV publishes no advisories for CentOS 7",
        ),
        (
            OsInfo::new(OsFamily::AmazonLinux, "2"),
            Unmatchable::NoAdvisories("Amazon Linux 2".into()),
            "3 rpm packages not matched: OSV publishes no advisories for Amazon Linux 2",
        ),
        (
            OsInfo::new(OsFamily::Rhel, "9.4"),
            Unmatchable::RedHatStreamUnknown("Red Hat Enterprise Linux 9.4".into()),
            "3 rpm packages not matched: OSV scopes Red Hat advisories",
        ),
    ] {
        let out = db.match_packages(Some(&os), &pkgs).unwrap();
        // Language packages are still matched.
        assert_eq!(out.findings.len(), 1, "{:#?}", out.findings);
        assert_eq!(out.unmatched.len(), 1, "{:#?}", out.unmatched);
        let group = &out.unmatched[0];
        assert_eq!((group.ecosystem, group.count), (Ecosystem::Rpm, 3));
        assert_eq!(group.reason, reason);
        assert!(group.to_string().starts_with(text), "{group}");
        let problem = group.to_scan_error();
        assert_eq!(problem.kind, palisade_core::ProblemKind::Unsupported);
        assert_eq!(problem.message, group.to_string());
    }
    // Without an OS the OS packages are unmatched too, and say so.
    let out = db.match_packages(None, &rpms).unwrap();
    assert!(out.findings.is_empty());
    assert_eq!(out.unmatched[0].reason, Unmatchable::NoOs);
    // A supported distribution whose advisories were never loaded says so...
    let out = db
        .match_packages(Some(&OsInfo::new(OsFamily::Rocky, "9.3")), &rpms)
        .unwrap();
    assert_eq!(
        out.unmatched[0].reason,
        Unmatchable::NotInDatabase("Rocky Linux:9".into())
    );
    assert_eq!(out.unmatched[0].count, 3);
    // ...and one that is in the database leaves nothing unmatched.
    let debs = [pkg(Ecosystem::Deb, "demo-libc6", "2.36-9+deb12u4")];
    let out = db
        .match_packages(Some(&OsInfo::new(OsFamily::Debian, "12")), &debs)
        .unwrap();
    assert!(out.unmatched.is_empty(), "{:#?}", out.unmatched);
}

/// An advisory without a summary is titled by the first line of prose of its details,
/// whole: reports clip for display, the JSON keeps every word.
#[test]
fn titles_from_details_are_whole_and_skip_headings() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("db.sqlite");
    let long = "Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor \
        incididunt ut labore et dolore magna aliqua. Ut enim ad minim veniam, quis nostrud \
        exercitation ullamco laboris nisi ut aliquip ex ea commodo consequat end.";
    assert!(long.chars().count() > 200);
    let record = serde_json::json!({
        "id": "TEST-LONG-1",
        "details": format!("### Impact\n\n{long}\n\nMore text."),
        "affected": [{"package": {"name": "longtitle", "ecosystem": "PyPI"},
                      "ranges": [{"type": "ECOSYSTEM",
                                  "events": [{"introduced": "0"}, {"fixed": "2.0"}]}]}]
    });
    let file = dir.path().join("TEST-LONG-1.json");
    std::fs::write(&file, record.to_string()).unwrap();
    import(&path, &[file]).unwrap();
    let db = VulnDb::open(&path).unwrap();
    let found = db
        .match_packages(None, &[pkg(Ecosystem::Pypi, "longtitle", "1.0")])
        .unwrap()
        .findings;
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].title, long);
}
