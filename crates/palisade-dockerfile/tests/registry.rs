//! Every rule has docs, a unique ID, and fixtures that behave as declared.

use palisade_dockerfile::{image, rules, rules_answering, scan_dockerfile, scan_image_config};
use std::collections::HashSet;

#[test]
fn every_rule_is_documented_and_unique() {
    let all = palisade_dockerfile::rules();
    assert_eq!(all.len(), rules::all().len() + image::all().len());
    let mut seen = HashSet::new();
    for r in &all {
        assert!(seen.insert(r.id), "duplicate rule ID {}", r.id);
        assert!(r.docs_problems().is_empty(), "{:?}", r.docs_problems());
        assert!(!r.references.is_empty(), "{} has no reference", r.id);
        match r.family {
            palisade_core::RuleFamily::Dockerfile => assert!(r.id.starts_with("DF")),
            palisade_core::RuleFamily::ImageConfig => assert!(r.id.starts_with("IC")),
            f => panic!("{}: unexpected family {f}", r.id),
        }
    }
}

#[test]
fn dockerfile_fixtures_fire_and_pass_as_declared() {
    for rule in rules::all() {
        let id = rule.meta.id;
        assert!(
            !rule.fires.is_empty() && !rule.passes.is_empty(),
            "{id} lacks fixtures"
        );
        for src in rule.fires {
            let scan = scan_dockerfile("Dockerfile", src);
            assert!(
                scan.findings.iter().any(|f| f.rule_id == id),
                "{id} should fire on:\n{src}"
            );
        }
        for src in rule.passes {
            let scan = scan_dockerfile("Dockerfile", src);
            assert!(
                !scan.findings.iter().any(|f| f.rule_id == id),
                "{id} should not fire on:\n{src}\n{:?}",
                scan.findings
            );
        }
    }
}

#[test]
fn image_fixtures_fire_and_pass_as_declared() {
    for rule in image::all() {
        let id = rule.meta.id;
        assert!(
            !rule.fires.is_empty() && !rule.passes.is_empty(),
            "{id} lacks fixtures"
        );
        for src in rule.fires {
            let v: serde_json::Value = serde_json::from_str(src)
                .unwrap_or_else(|e| panic!("{id} fixture is not JSON: {e}"));
            assert!(
                scan_image_config(&v).iter().any(|f| f.rule_id == id),
                "{id} should fire on {src}"
            );
        }
        for src in rule.passes {
            let v: serde_json::Value = serde_json::from_str(src)
                .unwrap_or_else(|e| panic!("{id} fixture is not JSON: {e}"));
            assert!(
                !scan_image_config(&v).iter().any(|f| f.rule_id == id),
                "{id} should not fire on {src}"
            );
        }
    }
}

#[test]
fn findings_carry_metadata_and_spans() {
    let scan = scan_dockerfile(
        "app/Dockerfile",
        "FROM debian:latest\n\nRUN curl -k https://x \\\n  | sh\n",
    );
    let f = scan
        .findings
        .iter()
        .find(|f| f.rule_id == "DF021")
        .expect("DF021");
    assert_eq!(f.location.path.as_deref(), Some("app/Dockerfile"));
    let span = f.location.span.expect("span");
    assert_eq!(
        (span.start_line, span.start_column, span.end_line),
        (3, 1, 4)
    );
    // Checkov's curl -k check is one shape of DF021, not the same check: partial, so it is
    // not among the finding's related IDs.
    assert!(!f.related.iter().any(|r| r == "CKV2_DOCKER_2"));
    let meta = rules_answering("DF021");
    assert!(meta[0].partial.iter().any(|p| p.id == "CKV2_DOCKER_2"));
    assert_eq!(f.kind, palisade_core::FindingKind::Misconfiguration);
    assert!(f.remediation.is_some());
    assert!(scan.findings.iter().any(|f| f.rule_id == "DF018"));
}

#[test]
fn foreign_ids_map_to_rules() {
    let ids: Vec<_> = rules_answering("DL3008").iter().map(|r| r.id).collect();
    assert_eq!(ids, ["DF010"]);
    let ids: Vec<_> = rules_answering("ds-0002").iter().map(|r| r.id).collect();
    assert!(ids.contains(&"DF004") && ids.contains(&"DF005"));
    assert!(rules_answering("DL9999").is_empty());
    assert_eq!(rules_answering("df001").len(), 1);
}

#[test]
fn onbuild_triggers_are_checked() {
    let scan = scan_dockerfile(
        "Dockerfile",
        "FROM debian:12\nONBUILD RUN sudo make install\n",
    );
    assert!(scan.findings.iter().any(|f| f.rule_id == "DF020"));
}

#[test]
fn secrets_are_masked() {
    let scan = scan_dockerfile(
        "Dockerfile",
        "FROM a:1\nENV AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMIK7MDENGbPxRfiCYEXAMPLEKEY\n",
    );
    let f = scan
        .findings
        .iter()
        .find(|f| f.rule_id == "DF015")
        .expect("DF015");
    let ev = f.evidence.as_deref().unwrap_or("");
    assert!(
        !ev.contains("XUtnFEMI") && ev.starts_with("AWS_SECRET_ACCESS_KEY=wJal"),
        "{ev}"
    );
}

#[test]
fn file_names() {
    use std::path::Path;
    for ok in [
        "Dockerfile",
        "a/Containerfile",
        "web.Dockerfile",
        "Dockerfile.prod",
        "x/dockerfile",
    ] {
        assert!(palisade_dockerfile::is_dockerfile(Path::new(ok)), "{ok}");
    }
    for no in [
        "Dockerfile-notes.md.txt",
        "docker-compose.yml",
        "Makefile",
        "Dockerfiles",
    ] {
        assert!(!palisade_dockerfile::is_dockerfile(Path::new(no)), "{no}");
    }
}
