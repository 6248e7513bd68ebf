use super::*;
use palisade_core::{FindingKind, Location, Severity, VulnInfo};

fn vuln(id: &str, aliases: &[&str], purl: &str, path: &str) -> Finding {
    let mut f = Finding::new(
        id,
        FindingKind::Vulnerability,
        Severity::High,
        "t",
        "m",
        Location {
            path: Some(path.into()),
            purl: Some(purl.into()),
            ..Default::default()
        },
    );
    f.vulnerability = Some(VulnInfo {
        aliases: aliases.iter().map(|a| a.to_string()).collect(),
        purl: Some(purl.into()),
        ..Default::default()
    });
    f
}

fn day(s: &str) -> time::Date {
    time::Date::parse(s, time::macros::format_description!("[year]-[month]-[day]")).unwrap()
}

fn findings() -> Vec<Finding> {
    vec![
        vuln(
            "GHSA-jf85-0000-0000",
            &["CVE-2019-10744"],
            "pkg:npm/lodash@4.17.4",
            "app/package-lock.json",
        ),
        vuln(
            "PYSEC-2020-96",
            &["CVE-2020-1747"],
            "pkg:pypi/pyyaml@5.3",
            "venv/lib/PyYAML.dist-info/METADATA",
        ),
        vuln(
            "PYSEC-2018-28",
            &["CVE-2018-18074"],
            "pkg:pypi/requests@2.19.1",
            "venv/lib/requests.dist-info/METADATA",
        ),
    ]
}

#[test]
fn ignore_file_by_alias_purl_path_and_expiry() {
    let text = "# team exceptions\n\
        CVE-2019-10744   # lodash not reachable\n\
        PYSEC-2020-96 purl=pkg:pypi/pyyaml expires=2030-01-01 reason=\"yaml only loads trusted files\"\n\
        PYSEC-2018-28 exp:2020-01-01\n\
        CVE-1999-0001\n";
    let ignore = IgnoreFile::parse(".palisadeignore", text).unwrap();
    assert_eq!(ignore.rules.len(), 4);
    let r = apply_on(findings(), &ignore, &[], day("2025-06-01"));
    let ids: Vec<_> = r
        .suppressed
        .iter()
        .map(|s| s.finding.rule_id.as_str())
        .collect();
    assert_eq!(ids, vec!["GHSA-jf85-0000-0000", "PYSEC-2020-96"]);
    assert_eq!(r.suppressed[0].by, ".palisadeignore:2");
    assert_eq!(
        r.suppressed[0].reason.as_deref(),
        Some("lodash not reachable")
    );
    assert_eq!(
        r.suppressed[1].reason.as_deref(),
        Some("yaml only loads trusted files")
    );
    // Expired: no longer applies, and is reported.
    assert_eq!(r.kept.len(), 1);
    assert_eq!(r.kept[0].rule_id, "PYSEC-2018-28");
    assert_eq!(r.expired_rules.len(), 1);
    assert!(r.expired_rules[0].starts_with(".palisadeignore:4"));
    assert_eq!(r.unmatched_rules, vec![".palisadeignore:5: CVE-1999-0001"]);
}

#[test]
fn purl_and_path_entries() {
    let ignore = IgnoreFile::parse("x", "pkg:pypi/requests@2.19.1\npath=app/*\n").unwrap();
    let r = apply_on(findings(), &ignore, &[], day("2025-06-01"));
    assert_eq!(r.kept.len(), 1);
    assert_eq!(r.kept[0].rule_id, "PYSEC-2020-96");
    assert!(r.unmatched_rules.is_empty());
    // A purl with another version does not match.
    let other = IgnoreFile::parse("x", "pkg:pypi/requests@2.31.0\n").unwrap();
    let r = apply_on(findings(), &other, &[], day("2025-06-01"));
    assert_eq!(r.kept.len(), 3);
    assert_eq!(r.unmatched_rules.len(), 1);
}

#[test]
fn yaml_ignore_form() {
    let text = "ignore:\n  - id: CVE-2020-1747\n    purls: [pkg:pypi/pyyaml@5.3]\n    expires: 2030-12-31\n    reason: trusted input\n";
    let ignore = IgnoreFile::parse("ignore.yaml", text).unwrap();
    let r = apply_on(findings(), &ignore, &[], day("2025-06-01"));
    assert_eq!(r.suppressed.len(), 1);
    assert_eq!(r.suppressed[0].by, "ignore.yaml#ignore[0]");
}

#[test]
fn parse_errors_name_the_file_and_line() {
    let e = IgnoreFile::parse(".palisadeignore", "CVE-1\nCVE-2 colour=blue\n").unwrap_err();
    let msg = e.to_string();
    assert!(msg.starts_with(".palisadeignore: line 2:"), "{msg}");
    let e = IgnoreFile::parse("f", "CVE-1 expires=tomorrow\n").unwrap_err();
    assert!(e.to_string().contains("invalid date"));
    assert!(matches!(
        e,
        SuppressError::Entry {
            source: EntryError::InvalidDate(_),
            ..
        }
    ));
    let e = VexDoc::parse("bad.vex.json", "{not json").unwrap_err();
    assert!(e.to_string().starts_with("bad.vex.json: invalid JSON"));
    let e = VexDoc::parse("other.json", "{\"hello\": 1}").unwrap_err();
    assert!(e.to_string().starts_with("other.json:"));
    assert!(matches!(
        e,
        SuppressError::Vex {
            source: VexError::UnknownFormat,
            ..
        }
    ));
}

#[test]
fn openvex_not_affected_suppresses_affected_does_not() {
    let doc = r#"{
      "@context": "https://openvex.dev/ns/v0.2.0",
      "@id": "https://example.invalid/vex/1",
      "statements": [
        {"vulnerability": {"name": "CVE-2020-1747"},
         "products": [{"@id": "pkg:oci/app", "subcomponents": [{"@id": "pkg:pypi/pyyaml@5.3"}]}],
         "status": "not_affected", "justification": "vulnerable_code_not_in_execute_path"},
        {"vulnerability": {"name": "CVE-2018-18074"}, "status": "affected"},
        {"vulnerability": "CVE-2024-9999", "status": "not_affected"}
      ]
    }"#;
    let vex = VexDoc::parse("app.openvex.json", doc).unwrap();
    let r = apply_on(findings(), &IgnoreFile::empty(), &[vex], day("2025-06-01"));
    assert_eq!(r.suppressed.len(), 1);
    assert_eq!(r.suppressed[0].finding.rule_id, "PYSEC-2020-96");
    assert_eq!(r.suppressed[0].by, "app.openvex.json#statements[0]");
    assert_eq!(
        r.suppressed[0].reason.as_deref(),
        Some("vulnerable_code_not_in_execute_path")
    );
    assert_eq!(r.kept.len(), 2);
    assert_eq!(
        r.unmatched_rules,
        vec!["app.openvex.json#statements[2]: CVE-2024-9999 not_affected"]
    );
}

#[test]
fn cyclonedx_vex_resolves_bom_refs() {
    let doc = r#"{
      "bomFormat": "CycloneDX", "specVersion": "1.6",
      "components": [{"bom-ref": "c1", "type": "library", "name": "lodash", "purl": "pkg:npm/lodash@4.17.4"}],
      "vulnerabilities": [
        {"id": "CVE-2019-10744", "analysis": {"state": "not_affected", "justification": "code_not_reachable"},
         "affects": [{"ref": "c1"}]},
        {"id": "CVE-2018-18074", "analysis": {"state": "in_triage"}, "affects": [{"ref": "pkg:pypi/requests@2.19.1"}]}
      ]
    }"#;
    let vex = VexDoc::parse("bom.cdx.json", doc).unwrap();
    let r = apply_on(findings(), &IgnoreFile::empty(), &[vex], day("2025-06-01"));
    assert_eq!(r.suppressed.len(), 1);
    assert_eq!(r.suppressed[0].finding.rule_id, "GHSA-jf85-0000-0000");
    assert_eq!(r.kept.len(), 2);
    assert!(r.unmatched_rules.is_empty());
}

#[test]
fn yaml_entries_held_elsewhere_and_foreign_ids() {
    let value: serde_yaml::Value = serde_yaml::from_str(
        "- CVE-2019-10744 exp:2030-01-01\n- {id: DL3007, paths: [app/], reason: pinned upstream}\n",
    )
    .unwrap();
    let ignore = IgnoreFile::from_yaml_value("palisade.yaml", &value).unwrap();
    assert_eq!(ignore.rules.len(), 2);
    assert_eq!(ignore.rules[0].origin, "palisade.yaml#ignore[0]");
    assert!(ignore.rules[0].expires.is_some());
    let mut lint = Finding::new(
        "DF001",
        FindingKind::Misconfiguration,
        Severity::Medium,
        "t",
        "m",
        Location {
            path: Some("app/Dockerfile".into()),
            ..Default::default()
        },
    );
    lint.related = vec!["DL3007".into()];
    assert!(
        id_matches(&lint, "dl3007"),
        "a related foreign ID names the rule"
    );
    let r = apply_on(vec![lint], &ignore, &[], day("2025-06-01"));
    assert_eq!(r.suppressed.len(), 1);
    let bad: serde_yaml::Value = serde_yaml::from_str("- {purl: 3}\n").unwrap();
    assert!(IgnoreFile::from_yaml_value("p.yaml", &bad).is_err());
    let empty: serde_yaml::Value = serde_yaml::from_str("- {reason: why}\n").unwrap();
    assert!(IgnoreFile::from_yaml_value("p.yaml", &empty).is_err());
}

#[test]
fn a_finding_shown_by_its_cve_answers_to_its_source_advisory_too() {
    let mut f = vuln(
        "CVE-2023-30861",
        &["GHSA-m2qf-hxjv-5gpq", "PYSEC-2023-62"],
        "pkg:pypi/flask@0.12.2",
        "opt/app/requirements.txt",
    );
    if let Some(v) = f.vulnerability.as_mut() {
        v.source_id = Some("GHSA-m2qf-hxjv-5gpq".into());
    }
    for id in ["CVE-2023-30861", "ghsa-m2qf-hxjv-5gpq", "PYSEC-2023-62"] {
        assert!(crate::id_matches(&f, id), "{id}");
    }
    assert!(!crate::id_matches(&f, "CVE-2023-30862"));
    // The source ID alone, without being listed among the aliases, still answers.
    if let Some(v) = f.vulnerability.as_mut() {
        v.aliases.clear();
    }
    assert!(crate::id_matches(&f, "GHSA-m2qf-hxjv-5gpq"));
}
