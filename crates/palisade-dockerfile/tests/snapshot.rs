//! Findings on a realistic multi-stage Dockerfile, as `rule line:col-line message` rows.

#[test]
fn multistage_findings() {
    let src = include_str!("fixtures/multistage.Dockerfile");
    let scan = palisade_dockerfile::scan_dockerfile("multistage.Dockerfile", src);
    assert!(scan.errors.is_empty(), "{:?}", scan.errors);
    let rows: Vec<String> = scan
        .findings
        .iter()
        .map(|f| {
            let s = f.location.span.unwrap_or_default();
            format!(
                "{} {}:{}-{} {}",
                f.rule_id, s.start_line, s.start_column, s.end_line, f.message
            )
        })
        .collect();
    insta::assert_snapshot!(rows.join("\n"));
}
