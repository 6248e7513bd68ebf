//! `status` tells the age of every source, and which are stale.

use palisade_vulndb::{import, VulnDb};
use std::path::PathBuf;

#[test]
fn a_source_not_updated_for_weeks_is_stale() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("db.sqlite");
    let fixtures = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/osv");
    let r = import(&db, &[fixtures.join("debian"), fixtures.join("pypi")]).unwrap();
    assert!(r.changed);
    let conn = rusqlite::Connection::open(&db).unwrap();
    conn.execute(
        "UPDATE sources SET updated_at = '2020-01-01T00:00:00Z' WHERE name LIKE '%debian'",
        [],
    )
    .unwrap();
    drop(conn);
    let st = VulnDb::open(&db).unwrap().status().unwrap();
    assert_eq!(st.sources.len(), 2, "{:?}", st.sources);
    for s in &st.sources {
        let old = s.name.ends_with("debian");
        assert_eq!(s.stale, old, "{s:?}");
        let age = s.age_seconds.unwrap();
        assert_eq!(age > 365 * 86_400, old, "{s:?}");
    }
}

#[test]
fn an_import_with_nothing_in_it_does_not_write_the_database() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("db.sqlite");
    let bad = dir.path().join("broken.json");
    std::fs::write(&bad, "{ not json").unwrap();
    let r = import(&db, &[bad]).unwrap();
    assert!(!r.changed);
    assert_eq!(r.records, 0);
    assert!(!r.skipped.is_empty());
    assert!(!db.exists(), "an empty database was published");
}
