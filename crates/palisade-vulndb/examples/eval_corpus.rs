//! Evaluation against the shared corpus: import `<corpus>/advisories/osv`, match the packages
//! of `<corpus>/images/expected-advisory-matches.json`, and check every expected advisory is
//! reported. Exit status 1 on a miss. Usage: `eval_corpus <corpus> [db-path]`.

use palisade_core::{Ecosystem, Finding, Package, Relationship};
use palisade_vulndb::{import, VulnDb};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

fn pkg(eco: Ecosystem, name: &str, version: &str) -> Package {
    Package {
        ecosystem: eco,
        name: name.into(),
        version: version.into(),
        purl: format!(
            "pkg:{}/{}@{}",
            eco.purl_type(),
            name.to_lowercase(),
            version
        ),
        source_name: None,
        source_version: None,
        arch: None,
        licenses: vec![],
        maintainer: None,
        found_in: "eval".into(),
        layer: None,
        relationship: Relationship::Unknown,
        depends_on: vec![],
        declared_deps: vec![],
    }
}

/// Every ID a finding stands for: its own, its aliases, the advisories merged into it.
fn ids(f: &Finding) -> BTreeSet<String> {
    let mut s = BTreeSet::from([f.rule_id.clone()]);
    if let Some(v) = &f.vulnerability {
        s.extend(v.aliases.iter().cloned());
    }
    if let Some(m) = f.extra.get("merged_advisories").and_then(|v| v.as_array()) {
        s.extend(m.iter().filter_map(|x| x.as_str().map(str::to_string)));
    }
    s
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().collect();
    let corpus = PathBuf::from(args.get(1).ok_or("usage: eval_corpus <corpus> [db]")?);
    let tmp = tempfile::tempdir()?;
    let db_path = args
        .get(2)
        .map(PathBuf::from)
        .unwrap_or_else(|| tmp.path().join("eval.sqlite"));
    let started = std::time::Instant::now();
    let report = import(&db_path, &[corpus.join("advisories/osv")])?;
    println!(
        "import: {} records, {} withdrawn, {} skipped in {:.2}s",
        report.records,
        report.withdrawn,
        report.skipped.len(),
        started.elapsed().as_secs_f64()
    );
    for s in report.skipped.iter().take(5) {
        println!("  skipped {}: {}", s.source, s.message);
    }
    let db = VulnDb::open(&db_path)?;
    let expected: serde_json::Value = serde_json::from_slice(&std::fs::read(
        corpus.join("images/expected-advisory-matches.json"),
    )?)?;

    let packages = [
        pkg(Ecosystem::Pypi, "requests", "2.19.1"),
        pkg(Ecosystem::Pypi, "urllib3", "1.24.1"),
        pkg(Ecosystem::Pypi, "PyYAML", "5.3"),
        pkg(Ecosystem::Pypi, "Django", "3.2"),
        pkg(Ecosystem::Npm, "lodash", "4.17.4"),
    ];
    let t = std::time::Instant::now();
    let findings = db.match_packages(None, &packages)?.findings;
    println!(
        "match: {} findings in {:.2} ms",
        findings.len(),
        t.elapsed().as_secs_f64() * 1e3
    );

    let mut missing = 0;
    let mut check = |label: &str, name: &str, want: Vec<String>| {
        let got: BTreeSet<String> = findings
            .iter()
            .filter(|f| {
                f.vulnerability
                    .as_ref()
                    .is_some_and(|v| v.package_name.eq_ignore_ascii_case(name))
            })
            .flat_map(ids)
            .collect();
        let reported = findings
            .iter()
            .filter(|f| {
                f.vulnerability
                    .as_ref()
                    .is_some_and(|v| v.package_name.eq_ignore_ascii_case(name))
            })
            .count();
        let miss: Vec<_> = want.iter().filter(|w| !got.contains(*w)).collect();
        missing += miss.len();
        println!(
            "{label:<22} expected {:>2}, found {:>2}, findings {:>2}, missing {:?}",
            want.len(),
            want.len() - miss.len(),
            reported,
            miss
        );
    };
    let pypi = expected
        .get("pypi")
        .and_then(|v| v.as_object())
        .ok_or("no pypi key")?;
    for (key, list) in pypi {
        let name = key.split("==").next().unwrap_or(key);
        let want = list
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|v| v.as_str().map(str::to_string))
            .collect();
        check(key, name, want);
    }
    let lodash = expected
        .pointer("/npm lodash@4.17.4/github~1advisory-database sample")
        .and_then(|v| v.as_array())
        .ok_or("no lodash key")?;
    let want = lodash
        .iter()
        .filter_map(|v| v.as_str())
        .filter_map(|s| s.split_whitespace().next().map(str::to_string))
        .collect();
    check("npm lodash@4.17.4", "lodash", want);

    // Negative control: a version outside every range of the corpus records.
    let clean = db
        .match_packages(None, &[pkg(Ecosystem::Npm, "lodash", "4.17.21")])?
        .findings;
    println!("negative control lodash@4.17.21: {} findings", clean.len());
    if !clean.is_empty() {
        missing += 1;
    }
    if Path::new(&db_path).exists() {
        println!(
            "status: {}",
            serde_json::to_string(&db.status()?.ecosystems)?
        );
    }
    if missing > 0 {
        println!("FAIL: {missing} expected advisories not reported");
        std::process::exit(1);
    }
    println!("OK: every expected advisory reported");
    Ok(())
}
