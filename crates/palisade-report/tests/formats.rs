use palisade_core::*;
use palisade_report::{json_report, sarif_report, table_report, TableOptions};
use palisade_testkit::{assert_valid, Schema};

fn sample() -> Report {
    let mut r = Report::new("0.1.0", "2026-11-29T12:00:00Z".into());
    let mut t = TargetReport::new(Target {
        kind: TargetKind::Image,
        name: "demo:1.0".into(),
    });
    let layer = LayerRef {
        index: 3,
        digest: "sha256:aa".into(),
        diff_id: None,
        created_by: Some("COPY creds /root/.aws/credentials".into()),
    };
    let mut v = Finding::new(
        "PYSEC-2018-28",
        FindingKind::Vulnerability,
        Severity::High,
        "requests leaks credentials on redirect",
        "requests 2.19.1 is affected; fixed in 2.20.0",
        Location {
            purl: Some("pkg:pypi/requests@2.19.1".into()),
            path: Some(
                "usr/local/lib/python3.11/site-packages/requests-2.19.1.dist-info/METADATA".into(),
            ),
            ..Default::default()
        },
    );
    v.vulnerability = Some(VulnInfo {
        package_name: "requests".into(),
        installed_version: "2.19.1".into(),
        fixed_versions: vec!["2.20.0".into()],
        status: "fixed".into(),
        aliases: vec!["CVE-2018-18074".into()],
        cvss_score: Some(7.5),
        ..Default::default()
    });
    v.references = vec!["https://osv.dev/vulnerability/PYSEC-2018-28".into()];
    // Installed, and pinned by the application too: one finding, both files.
    v.other_locations = vec![Location::file("opt/app/requirements.txt")];
    let mut s = Finding::new(
        "aws-access-key-id",
        FindingKind::Secret,
        Severity::Critical,
        "AWS access key ID",
        "AWS access key ID in a file deleted by layer 4",
        Location::file("root/.aws/credentials")
            .with_span(Span::line(2))
            .with_layer(Some(layer)),
    );
    s.evidence = Some(mask_secret("AKIAQYLPMN5HHHFPZAM2"));
    let mut m = Finding::new(
        "K8S001",
        FindingKind::Misconfiguration,
        Severity::Medium,
        "Privileged container",
        "container app is privileged",
        Location {
            path: Some("k8s/deploy with space.yaml".into()),
            span: Some(Span::line(12)),
            object: Some(ObjectRef {
                kind: "Deployment".into(),
                name: "web".into(),
                namespace: Some("prod".into()),
                field_path: Some(
                    "spec.template.spec.containers[0].securityContext.privileged".into(),
                ),
                ..Default::default()
            }),
            ..Default::default()
        },
    );
    m.related = vec!["CKV_K8S_16".into()];
    t.findings = vec![v, s, m];
    t.errors.push(ScanError::new(
        "srv/app/package-lock.json",
        "invalid JSON at line 3",
    ));
    r.results.push(t);
    r
}

fn no_rules(_: &str) -> Option<&'static RuleMeta> {
    None
}

#[test]
fn sarif_validates_against_the_official_schema() {
    let out = sarif_report(&sample(), &no_rules);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_valid(Schema::Sarif210, &v);
    let results = v["runs"][0]["results"].as_array().unwrap();
    assert_eq!(results.len(), 3);
    assert_eq!(results[0]["level"], "error");
    assert_eq!(results[2]["level"], "warning");
    assert_eq!(
        results[2]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
        "k8s/deploy%20with%20space.yaml"
    );
    let vuln = results
        .iter()
        .find(|r| r["ruleId"] == "PYSEC-2018-28")
        .unwrap();
    let uris: Vec<&str> = vuln["locations"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|l| l["physicalLocation"]["artifactLocation"]["uri"].as_str())
        .collect();
    assert_eq!(uris.len(), 2, "{uris:?}");
    assert_eq!(uris[1], "opt/app/requirements.txt");
    assert_eq!(
        v["runs"][0]["tool"]["driver"]["rules"][0]["properties"]["security-severity"],
        "7.5"
    );
    assert!(
        !out.contains("QYLPMN5HHHFPZAM2"),
        "secret leaked into SARIF"
    );
}

#[test]
fn json_report_matches_its_published_schema() {
    let generated = palisade_core::report_json_schema();
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../schemas/palisade-report.schema.json"
    );
    let pretty = serde_json::to_string_pretty(&generated).unwrap() + "\n";
    if std::env::var_os("UPDATE_SCHEMA").is_some() {
        std::fs::write(path, &pretty).unwrap();
    }
    let committed = std::fs::read_to_string(path).unwrap_or_default();
    assert_eq!(
        committed, pretty,
        "schemas/palisade-report.schema.json is stale: run with UPDATE_SCHEMA=1"
    );
    let out: serde_json::Value = serde_json::from_str(&json_report(&sample())).unwrap();
    assert_valid(Schema::PalisadeReport, &out);
    assert_eq!(out["schema_version"], REPORT_SCHEMA_VERSION);
}

#[test]
fn table_groups_findings_by_file_and_honours_colour() {
    let plain = table_report(&sample(), TableOptions::default());
    // The heading path gives way in the middle at 80 columns, never at its file name.
    assert!(plain.contains("usr/local/lib/python3.11/"), "{plain}");
    assert!(plain.contains("…/METADATA (1 finding)"), "{plain}");
    assert!(plain.contains("(+1 more file)"), "{plain}");
    assert!(!plain.contains('\x1b'));
    assert!(plain.contains("Vulnerabilities — 1 (HIGH: 1)"), "{plain}");
    assert!(plain.contains("Secrets — 1 (CRITICAL: 1)"), "{plain}");
    assert!(plain.contains("root/.aws/credentials [layer 3] (1 finding)"));
    assert!(plain.contains("root/.aws/credentials:2"), "{plain}");
    assert!(plain.contains("k8s/deploy with space.yaml:12"), "{plain}");
    assert!(plain.contains("Deployment prod/web:"), "{plain}");
    assert!(plain.contains("invalid JSON at line 3"));
    assert!(plain.contains("3 findings in 1 target."), "{plain}");
    for line in plain.lines() {
        assert!(line.chars().count() <= 80, "wider than 80: {line}");
    }
    let coloured = table_report(
        &sample(),
        TableOptions {
            color: true,
            ..TableOptions::default()
        },
    );
    assert!(coloured.contains("\x1b["), "{coloured}");
    assert!(coloured.contains("CRITICAL"));
}
