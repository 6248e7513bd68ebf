//! JUnit XML against Jenkins' XSD (xmllint), GitHub Actions annotations against the
//! runner's escaping rules, and the shipped templates against the formats they produce.
mod common;

use palisade_report::{github_report, junit_report, template_report};
use palisade_testkit::external::{junit_xsd, xmllint_validate};

fn xsd_valid(xml: &str) -> bool {
    match xmllint_validate(xml, &junit_xsd()) {
        None => {
            eprintln!("SKIPPED: install libxml2-utils (apt-get) for xmllint to validate JUnit XML");
            false
        }
        Some(Err(e)) => panic!("JUnit XML does not validate:\n{e}\n{xml}"),
        Some(Ok(())) => true,
    }
}

#[test]
fn junit_validates_against_the_jenkins_xsd() {
    let xml = junit_report(&common::sample());
    xsd_valid(&xml);
    // One test case per rule, one failure per finding.
    assert_eq!(xml.matches("<testcase ").count(), 4, "{xml}");
    assert_eq!(xml.matches("<failure ").count(), 4);
    assert!(
        xml.contains(r#"<testsuites name="palisade" tests="4" failures="4""#),
        "{xml}"
    );
    assert!(xml.contains(r#"name="CVE-2018-18074: requests: a flaw""#));
    assert!(xml.contains("type=\"HIGH\""));
    assert!(!xml.contains("QYLPMN5HHHFPZAM2"), "secret leaked");
    assert!(xml.contains("<system-err>warning (corrupt): srv/app/package-lock.json"));

    // A clean target is one passing test.
    let mut clean = common::sample();
    clean.results[0].findings.clear();
    let xml = junit_report(&clean);
    xsd_valid(&xml);
    assert!(xml.contains(r#"name="no findings""#) && !xml.contains("<failure"));
}

#[test]
fn junit_of_hostile_text_is_well_formed_and_valid() {
    let xml = junit_report(&common::hostile());
    assert!(!xml.contains('\u{1b}') && !xml.contains('\u{0c}') && !xml.contains('\u{7}'));
    assert!(!xml.contains("<script>"));
    assert!(
        xml.contains(r#"name="K8S001: title ::error::injected""#),
        "{xml}"
    );
    xsd_valid(&xml);
    // Same rule for two findings of a large report: one test case, two failures.
    let xml = junit_report(&common::many(400));
    xsd_valid(&xml);
    assert_eq!(xml.matches("<failure ").count(), 400);
}

#[test]
fn github_annotations_escape_as_the_runner_reads_them() {
    let out = github_report(&common::sample());
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 5, "{out}"); // 4 findings + 1 warning
    assert!(lines[0].starts_with("::error title=HIGH CVE-2018-18074%3A requests%3A a flaw::"));
    // An image's files are not the repository's: no file=, the path is in the message.
    assert!(
        lines[0].contains("::requests 2.19.1 (fixed in 2.20.0)"),
        "{}",
        lines[0]
    );
    assert!(lines[0]
        .contains("%0Ademo:1.0: usr/lib/python3/requests-2.19.1.dist-info/METADATA [layer 2]"));
    assert!(lines[1].starts_with("::warning "));
    assert!(lines[4].starts_with("::warning title=palisade%3A corrupt (demo%3A1.0)::srv/app/"));

    // A directory scan annotates the file, relative to the repository.
    let mut fs = common::hostile();
    fs.results[0].target.kind = palisade_core::TargetKind::Filesystem;
    fs.results[0].target.name = "deploy".into();
    let out = github_report(&fs);
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 4, "one line per finding and warning:\n{out}");
    let m = lines.iter().find(|l| l.contains("K8S001")).unwrap();
    assert!(
        m.starts_with("::error file=deploy/a%2Cb%3Ac%25.yaml,line=3,col=1,title=HIGH K8S001%3A title%0A%3A%3Aerror%3A%3Ainjected::"),
        "{m}"
    );
    let s = lines
        .iter()
        .find(|l| l.contains("generic-api-key"))
        .unwrap();
    assert!(s.contains("%250A%0D%0A::add-mask::x,y:z"), "{s}");
    for l in &lines {
        assert!(l.starts_with("::") && !l.contains('\r'), "{l}");
    }
}

fn contrib(name: &str) -> (String, String) {
    let path = format!(
        "{}/../../contrib/templates/{name}",
        env!("CARGO_MANIFEST_DIR")
    );
    (name.to_string(), std::fs::read_to_string(path).unwrap())
}

#[test]
fn gitlab_code_quality_template_makes_the_report_gitlab_reads() {
    let (name, src) = contrib("gitlab-codequality.json.tmpl");
    for report in [common::sample(), common::hostile(), common::many(200)] {
        let out = template_report(&report, &name, &src).unwrap();
        let v: serde_json::Value =
            serde_json::from_str(&out).unwrap_or_else(|e| panic!("{e}\n{out}"));
        let issues = v.as_array().unwrap();
        assert_eq!(issues.len(), report.findings().count());
        let mut prints = std::collections::HashSet::new();
        for i in issues {
            for key in ["description", "check_name", "fingerprint"] {
                assert!(i[key].as_str().is_some_and(|s| !s.is_empty()), "{key}: {i}");
            }
            assert!(["info", "minor", "major", "critical", "blocker"]
                .contains(&i["severity"].as_str().unwrap()));
            assert!(i["location"]["path"].is_string());
            assert!(i["location"]["lines"]["begin"].as_u64().unwrap() >= 1);
            assert!(
                prints.insert(i["fingerprint"].as_str().unwrap().to_string()),
                "duplicate fingerprint {i}"
            );
        }
    }
}

#[test]
fn markdown_template_summarises() {
    let (name, src) = contrib("markdown.md.tmpl");
    let out = template_report(&common::sample(), &name, &src).unwrap();
    assert!(out.starts_with("## Palisade: 4 findings\n"), "{out}");
    assert!(
        out.contains("| HIGH | 1 |") && out.contains("| MEDIUM | 2 |"),
        "{out}"
    );
    let rows: Vec<&str> = out
        .lines()
        .filter(|l| {
            l.starts_with("| HIGH |")
                || l.starts_with("| CRITICAL |")
                || l.starts_with("| MEDIUM |")
        })
        .collect();
    // 3 severity-count rows, then the 4 findings, most severe first.
    assert_eq!(rows.len(), 3 + 4, "{out}");
    assert!(
        rows[3].starts_with("| CRITICAL | aws-access-key-id |"),
        "{out}"
    );
    let hostile = template_report(&common::hostile(), &name, &src).unwrap();
    let rows: Vec<&str> = hostile
        .lines()
        .filter(|l| l.starts_with("| CRITICAL | ") && l.len() > 20)
        .collect();
    assert_eq!(rows.len(), 2, "{hostile}");
    for l in rows {
        // Every row keeps its 4 cells: `|` inside text is escaped.
        assert_eq!(
            l.matches(" | ").count() - l.matches("\\| ").count(),
            3,
            "{l}"
        );
        assert!(!l.contains('<'), "{l}");
    }
}

#[test]
fn html_named_templates_escape_and_others_do_not() {
    let r = common::hostile();
    let t = "{{ results[0].target.name }}";
    let html = template_report(&r, "x.html.tmpl", t).unwrap();
    assert!(html.contains("&lt;script&gt;"), "{html}");
    let inline = template_report(&r, "inline", t).unwrap();
    assert!(inline.contains("<script>"));
    let e = template_report(&r, "inline", "{{ nope(1) }}").unwrap_err();
    assert!(e.to_string().contains("inline"), "{e}");
}
