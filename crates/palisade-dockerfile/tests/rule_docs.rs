//! `docs/rules/<ID>.md` is generated from rule metadata. This test fails when a committed
//! page differs from the metadata; regenerate with
//! `UPDATE_DOCS=1 cargo test -p palisade-dockerfile --test rule_docs`.

#[test]
fn rule_pages_match_metadata() {
    palisade_testkit::assert_rule_docs_current(palisade_dockerfile::rules(), "Dockerfile");
}
