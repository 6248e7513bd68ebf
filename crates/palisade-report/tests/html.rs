//! The HTML report in a real browser (headless Chromium): it loads without console errors
//! or CSP violations, its tables hold every row, filtering works, and hostile text stays text.
mod common;

use palisade_report::html_report;
use palisade_testkit::external::{load_in_chromium, Loaded};

fn skipped() -> bool {
    if palisade_testkit::external::chromium().is_none() {
        eprintln!("SKIPPED: install chromium (apt-get) to run the HTML browser tests");
        return true;
    }
    false
}

fn load(html: &str, fragment: &str) -> Loaded {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("report.html");
    std::fs::write(&file, html).unwrap();
    let page = load_in_chromium(&file, fragment).expect("chromium runs");
    assert!(
        page.console.is_empty(),
        "console output: {:#?}",
        page.console
    );
    assert!(
        page.dom.contains(r#"<html lang="en" data-ready="true">"#),
        "the report's script did not finish:\n{}",
        &page.dom[..page.dom.len().min(2000)]
    );
    page
}

/// The `<table id=…>` element's text in the dumped DOM.
fn table<'a>(dom: &'a str, id: &str) -> &'a str {
    let start = dom
        .find(&format!("id=\"{id}\""))
        .unwrap_or_else(|| panic!("no table {id}"));
    let end = dom[start..].find("</table>").map(|e| start + e).unwrap();
    &dom[start..end]
}

fn body_rows(t: &str) -> usize {
    t.split("<tbody>")
        .nth(1)
        .unwrap_or("")
        .matches("<tr")
        .count()
}

fn shown(t: &str) -> String {
    let i = t
        .find("data-shown=\"")
        .expect("data-shown set by the script")
        + 12;
    t[i..].split('"').next().unwrap().to_string()
}

#[test]
fn report_loads_with_every_row_and_filters() {
    if skipped() {
        return;
    }
    let html = html_report(&common::sample());
    let page = load(&html, "");
    for (id, n) in [
        ("vulns-table", 2),
        ("secrets-table", 1),
        ("misconfigs-table", 1),
        ("packages-table", 3),
        ("warnings-table", 1),
    ] {
        let t = table(&page.dom, id);
        assert_eq!(body_rows(t), n, "{id}");
        assert_eq!(shown(t), n.to_string(), "{id}");
    }
    assert!(page.dom.contains("Findings by image layer"));
    assert!(page.dom.contains("Packages by ecosystem"));
    // The secret is shown masked, as it reached the report.
    assert!(page.dom.contains("AKIA************ZAM2") || !page.dom.contains("QYLPMN5HHHFPZAM2"));

    // A filter in the address (shareable) applies on load.
    let page = load(&html, "q=requests");
    assert_eq!(shown(table(&page.dom, "vulns-table")), "1");
    assert_eq!(shown(table(&page.dom, "secrets-table")), "0");
    assert_eq!(shown(table(&page.dom, "packages-table")), "1");
    let page = load(&html, "hide=MEDIUM,HIGH");
    assert_eq!(shown(table(&page.dom, "vulns-table")), "0");
    assert_eq!(shown(table(&page.dom, "secrets-table")), "1");
}

#[test]
fn hostile_text_never_runs_or_escapes_its_cell() {
    let html = html_report(&common::hostile());
    // Static checks first (they hold without a browser too).
    assert!(!html.contains("<script>document"), "unescaped script");
    assert!(!html.contains("<img src=x"), "unescaped img");
    assert!(!html.contains("href=\"javascript:"), "javascript: link");
    assert!(!html.contains('\u{1b}'));
    assert_eq!(
        html.matches("<script>").count(),
        1,
        "only the report's own script"
    );
    assert!(html.contains("{{ 7*7 }}"), "scan text is not a template");
    if skipped() {
        return;
    }
    let page = load(&html, "");
    assert!(!page.dom.contains("data-pwned"), "injected code ran");
    assert_eq!(body_rows(table(&page.dom, "vulns-table")), 1);
    assert_eq!(body_rows(table(&page.dom, "secrets-table")), 1);
    assert_eq!(body_rows(table(&page.dom, "packages-table")), 1);
    assert!(page.dom.contains("&lt;script&gt;document.documentElement"));
    assert!(page
        .dom
        .contains("<title>Palisade report: evil&lt;script&gt;"));
}
