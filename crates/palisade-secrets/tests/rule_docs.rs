//! `docs/rules/<ID>.md` for every secret rule, generated from the rule metadata like the
//! other families; regenerate with `UPDATE_DOCS=1 cargo test -p palisade-secrets --test rule_docs`.

#[test]
fn rule_pages_match_metadata() {
    palisade_testkit::assert_rule_docs_current(palisade_secrets::rules(), "secret");
}
