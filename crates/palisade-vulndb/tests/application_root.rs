//! The scanned application itself (relationship `root`) is the user's own code: an advisory
//! for a registry package that shares its name and version does not apply to it.

mod common;

use common::{fixtures, pkg};
use palisade_core::{Ecosystem, Relationship};
use palisade_vulndb::{import, VulnDb};

#[test]
fn application_root_is_not_matched() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("db.sqlite");
    import(&path, &[fixtures()]).unwrap();
    let db = VulnDb::open(&path).unwrap();
    let library = pkg(Ecosystem::Pypi, "demo-requests", "2.19.1");
    let mut app = library.clone();
    app.relationship = Relationship::Root;
    let found = db.match_packages(None, &[library]).unwrap();
    assert_eq!(found.findings.len(), 1);
    let found = db.match_packages(None, &[app]).unwrap();
    assert!(found.findings.is_empty(), "{:#?}", found.findings);
    assert!(found.unmatched.is_empty());
}
