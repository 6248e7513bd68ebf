//! `docs/rules/<ID>.md` is generated from rule metadata. This test fails when a committed
//! page differs from the metadata; regenerate with
//! `UPDATE_DOCS=1 cargo test -p palisade-dockerfile --test rule_docs`.

use std::path::PathBuf;

#[test]
fn rule_pages_match_metadata() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../docs/rules");
    let update = std::env::var_os("UPDATE_DOCS").is_some();
    if update {
        std::fs::create_dir_all(&dir)
            .unwrap_or_else(|e| panic!("cannot create {}: {e}", dir.display()));
    }
    let mut stale = Vec::new();
    for r in palisade_dockerfile::rules() {
        let path = dir.join(format!("{}.md", r.id));
        let want = r.to_markdown();
        if update {
            std::fs::write(&path, &want)
                .unwrap_or_else(|e| panic!("cannot write {}: {e}", path.display()));
            continue;
        }
        match std::fs::read_to_string(&path) {
            Ok(have) if have == want => {}
            _ => stale.push(path.display().to_string()),
        }
    }
    assert!(stale.is_empty(), "rule docs missing or stale (run UPDATE_DOCS=1 cargo test -p palisade-dockerfile --test rule_docs): {stale:?}");
}
