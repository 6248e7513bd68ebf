mod common;

use common::pkg;
use palisade_core::Ecosystem;
use palisade_vulndb::{VulnDb, DB_ENV, DB_FILE_NAME};

#[test]
fn default_db_is_materialised_from_embedded_data_once() {
    if std::env::var_os(DB_ENV).is_some() {
        eprintln!("{DB_ENV} is set; the embedded fallback is not used");
        return;
    }
    let cache = tempfile::tempdir().unwrap();
    let db = VulnDb::open_default(Some(cache.path())).unwrap();
    let path = cache.path().join(DB_FILE_NAME);
    assert_eq!(db.path(), path);
    let st = db.status().unwrap();
    assert!(st.embedded);
    assert!(st.advisories > 5000, "{}", st.advisories);
    assert!(st.ecosystems.contains_key("pypi") && st.ecosystems.contains_key("go"));
    // Real advisories: requests 2.19.1 has the 2018 redirect credential leak (CVE-2018-18074).
    let found = db
        .match_packages(None, &[pkg(Ecosystem::Pypi, "requests", "2.19.1")])
        .unwrap()
        .findings;
    assert!(
        found.iter().any(|f| f.rule_id == "CVE-2018-18074"
            && f.vulnerability.as_ref().unwrap().source_id.as_deref() == Some("PYSEC-2018-28")),
        "{found:#?}"
    );
    let modified = std::fs::metadata(&path).unwrap().modified().unwrap();
    drop(db);
    let again = VulnDb::open_default(Some(cache.path())).unwrap();
    assert_eq!(
        std::fs::metadata(&path).unwrap().modified().unwrap(),
        modified
    );
    assert!(again.age().is_some());
}
