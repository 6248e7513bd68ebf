//! Severity of a finding whose advisory states none: the alias's record in the database,
//! then the ecosystem's stated rating; and the CVE as the ID shown, the advisory's own ID
//! kept as `source_id`.

mod common;

use common::pkg;
use palisade_core::{Ecosystem, Finding, Severity};
use palisade_vulndb::{import, VulnDb};

/// Test records of our own, shaped like the PyPA (no severity, GHSA and CVE aliases) and
/// GHSA (`database_specific.severity`, CVSS vector) records they stand for.
const RECORDS: &str = r#"[
  {"id": "PALI-SEV-0001", "aliases": ["CVE-2099-3001", "GHSA-pali-sev1-0001"],
   "details": "demo-a leaks things",
   "affected": [{"package": {"ecosystem": "PyPI", "name": "demo-a"},
                 "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"fixed": "2.0"}]}]}]},
  {"id": "GHSA-pali-sev1-0001", "aliases": ["CVE-2099-3001"],
   "severity": [{"type": "CVSS_V3", "score": "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"}],
   "database_specific": {"severity": "CRITICAL"},
   "affected": [{"package": {"ecosystem": "PyPI", "name": "demo-a"},
                 "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "5.0"}, {"fixed": "5.1"}]}]}]},
  {"id": "PALI-SEV-0002", "aliases": ["GHSA-pali-sev2-0002"],
   "details": "demo-b misparses",
   "affected": [{"package": {"ecosystem": "PyPI", "name": "demo-b"},
                 "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"fixed": "2.0"}]}]}]},
  {"id": "GHSA-pali-sev2-0002", "aliases": ["PALI-SEV-0002"],
   "database_specific": {"severity": "HIGH"}},
  {"id": "PALI-SEV-0003", "aliases": ["GHSA-pali-sev3-0003"],
   "details": "demo-c is slow",
   "database_specific": {"severity": "LOW"},
   "affected": [{"package": {"ecosystem": "PyPI", "name": "demo-c"},
                 "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"fixed": "2.0"}]}]}]},
  {"id": "GHSA-pali-sev3-0003", "database_specific": {"severity": "MODERATE"}},
  {"id": "PALI-SEV-0004", "aliases": ["GHSA-pali-none-0004"],
   "details": "demo-d has no rating anywhere",
   "affected": [{"package": {"ecosystem": "PyPI", "name": "demo-d"},
                 "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"fixed": "2.0"}]}]}]}
]"#;

fn findings() -> Vec<Finding> {
    let dir = tempfile::tempdir().unwrap();
    let osv = dir.path().join("records.json");
    std::fs::write(&osv, RECORDS).unwrap();
    let path = dir.path().join("db.sqlite");
    import(&path, &[osv]).unwrap();
    let db = VulnDb::open(&path).unwrap();
    let pkgs: Vec<_> = ["demo-a", "demo-b", "demo-c", "demo-d"]
        .iter()
        .map(|n| pkg(Ecosystem::Pypi, n, "1.0"))
        .collect();
    let mut f = db.match_packages(None, &pkgs).unwrap().findings;
    f.sort_by(|a, b| a.message.cmp(&b.message));
    f
}

fn source(f: &Finding) -> Option<&str> {
    f.extra.get("severity_source").and_then(|v| v.as_str())
}

#[test]
fn severity_from_an_alias_record_that_does_not_match_itself() {
    let f = &findings()[0];
    let v = f.vulnerability.as_ref().unwrap();
    assert_eq!(f.severity, Severity::Critical);
    assert_eq!(v.cvss_score, Some(9.8));
    assert_eq!(source(f), Some("GHSA-pali-sev1-0001"));
    // The CVE is the ID users search by; the advisory stays reachable.
    assert_eq!(f.rule_id, "CVE-2099-3001");
    assert_eq!(v.source_id.as_deref(), Some("PALI-SEV-0001"));
    assert!(v.aliases.contains(&"PALI-SEV-0001".to_string()));
    assert!(!v.aliases.contains(&"CVE-2099-3001".to_string()));
    assert!(f
        .message
        .contains("affected by CVE-2099-3001 (PALI-SEV-0001)"));
}

#[test]
fn severity_from_an_alias_database_specific_rating() {
    let f = &findings()[1];
    assert_eq!(f.severity, Severity::High);
    assert_eq!(f.vulnerability.as_ref().unwrap().cvss_score, None);
    assert_eq!(source(f), Some("GHSA-pali-sev2-0002"));
    // No CVE: the advisory's own ID is shown, and there is no separate source ID.
    assert_eq!(f.rule_id, "PALI-SEV-0002");
    assert_eq!(f.vulnerability.as_ref().unwrap().source_id, None);
}

#[test]
fn own_database_specific_rating_beats_an_alias_word() {
    let f = &findings()[2];
    assert_eq!((f.severity, source(f)), (Severity::Low, None));
    let none = &findings()[3];
    assert_eq!((none.severity, source(none)), (Severity::Unknown, None));
}
