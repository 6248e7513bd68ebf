//! The report formats through the CLI on the demo image: the README's pictures are current,
//! the HTML report holds what the JSON report holds (in headless Chromium), JUnit validates
//! against Jenkins' XSD, templates load from `@file`.
mod common;

use common::{palisade, repo_root};
use palisade_testkit::external::{junit_xsd, load_in_chromium, xmllint_validate};

/// The scan `scripts/report-screenshots.sh` pictures.
const SCAN: &[&str] = &[
    "image",
    "--input",
    "examples/demo-image-oci",
    "--scanners",
    "vuln,secret,misconfig",
    "--db-max-age",
    "36500",
    "--quiet",
];

fn run(extra: &[&str]) -> std::process::Output {
    let out = palisade()
        .current_dir(repo_root())
        .env("COLUMNS", "80")
        .args(SCAN)
        .args(extra)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{extra:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

#[test]
fn committed_table_picture_is_current() {
    let table = String::from_utf8(run(&[]).stdout).unwrap();
    let path = repo_root().join("docs/screenshots/report-table.txt");
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == table,
        "docs/screenshots/report-table.txt is stale: run scripts/report-screenshots.sh\n\
         --- committed\n{committed}\n--- now\n{table}"
    );
    let png = std::fs::read(repo_root().join("docs/screenshots/report-html.png")).unwrap();
    assert!(png.starts_with(b"\x89PNG\r\n\x1a\n") && png.len() > 20_000);
    let readme = std::fs::read_to_string(repo_root().join("README.md")).unwrap();
    assert!(readme.contains("(docs/screenshots/report-html.png)"));
    let block =
        format!("<!-- report-table:start -->\n```text\n{table}```\n<!-- report-table:end -->");
    assert!(
        readme.contains(&block),
        "README.md's table is stale: run scripts/report-screenshots.sh"
    );
}

#[test]
fn html_report_of_the_demo_image_holds_every_finding_and_package() {
    let json: serde_json::Value = serde_json::from_slice(&run(&["-f", "json"]).stdout).unwrap();
    let target = &json["results"][0];
    let count = |kind: &str| {
        target["findings"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|f| f["kind"] == kind)
            .count()
    };
    let expected = [
        ("vulns-table", count("vulnerability")),
        ("secrets-table", count("secret")),
        ("misconfigs-table", count("misconfiguration")),
        (
            "packages-table",
            target["packages"].as_array().unwrap().len(),
        ),
    ];
    assert!(expected.iter().all(|(_, n)| *n > 0), "{expected:?}");

    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("report.html");
    run(&["-f", "html", "-o", file.to_str().unwrap()]);
    let html = std::fs::read_to_string(&file).unwrap();
    assert!(!html.contains("http-equiv=\"refresh\"") && !html.contains("src=\"http"));
    let Some(page) = load_in_chromium(&file, "") else {
        eprintln!("SKIPPED: install chromium (apt-get) to run the HTML browser test");
        return;
    };
    assert!(page.console.is_empty(), "{:#?}", page.console);
    assert!(page.dom.contains("data-ready=\"true\""));
    for (id, n) in expected {
        let start = page.dom.find(&format!("id=\"{id}\"")).expect(id);
        let end = start + page.dom[start..].find("</table>").unwrap();
        let table = &page.dom[start..end];
        let rows = table
            .split("<tbody>")
            .nth(1)
            .unwrap()
            .matches("<tr")
            .count();
        assert_eq!(rows, n, "{id}");
        assert!(table.contains(&format!("data-shown=\"{n}\"")), "{id}");
    }
}

#[test]
fn junit_github_and_template_through_the_cli() {
    let xml = String::from_utf8(run(&["-f", "junit"]).stdout).unwrap();
    match xmllint_validate(&xml, &junit_xsd()) {
        None => eprintln!("SKIPPED: install libxml2-utils (apt-get) for xmllint"),
        Some(r) => r.unwrap_or_else(|e| panic!("{e}\n{xml}")),
    }
    assert!(xml.contains("classname=\"image:examples/demo-image-oci\""));

    let gh = String::from_utf8(run(&["-f", "github"]).stdout).unwrap();
    assert!(gh.lines().all(|l| l.starts_with("::")), "{gh}");
    assert!(
        gh.contains("::error title=CRITICAL CVE-2019-10744%3A"),
        "{gh}"
    );

    let md = String::from_utf8(
        run(&[
            "-f",
            "template",
            "--template",
            "@contrib/templates/markdown.md.tmpl",
        ])
        .stdout,
    )
    .unwrap();
    assert!(md.starts_with("## Palisade: "), "{md}");
    let inline = run(&["-f", "template", "-t", "{{ summary.by_severity.CRITICAL }}"]);
    assert_eq!(String::from_utf8_lossy(&inline.stdout), "3");

    // No template, or a broken one: a tool error (2) and no output file left behind.
    let dir = tempfile::tempdir().unwrap();
    let out_file = dir.path().join("out.md");
    for extra in [
        vec!["-f", "template"],
        vec!["-f", "template", "-t", "{% for %}"],
        vec!["-f", "template", "-t", "@no/such/file.tmpl"],
        // A template with another format is refused, not ignored.
        vec!["-f", "json", "-t", "{{ summary }}"],
    ] {
        let out = palisade()
            .current_dir(repo_root())
            .args(SCAN)
            .args(&extra)
            .args(["-o", out_file.to_str().unwrap()])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{extra:?}");
        assert!(String::from_utf8_lossy(&out.stderr).contains("template"));
        assert!(!out_file.exists(), "{extra:?}");
    }
}
