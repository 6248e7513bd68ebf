//! Registry tests: every rule has docs, compliance mappings, generated docs pages and fixtures
//! (its bad example must trigger it, its good example must not).

use palisade_kube::{rules, scan_manifests, KubeOptions};

fn opts_for(example: &str) -> KubeOptions {
    let mut o = KubeOptions::default();
    if let Some(rest) = example
        .lines()
        .next()
        .and_then(|l| l.strip_prefix("# allowed_registries: ["))
    {
        o.allowed_registries = rest
            .trim_end_matches(']')
            .split(',')
            .map(|s| s.trim().to_string())
            .collect();
    }
    o
}

fn ids_for(example: &str) -> Vec<String> {
    let scan = scan_manifests(
        &[("example.yaml".into(), example.into())],
        &opts_for(example),
    );
    assert!(
        scan.errors.is_empty(),
        "example does not load: {:?}",
        scan.errors
    );
    scan.findings.into_iter().map(|f| f.rule_id).collect()
}

#[test]
fn every_rule_has_docs() {
    let problems: Vec<String> = rules().iter().flat_map(|r| r.docs_problems()).collect();
    assert!(problems.is_empty(), "{problems:#?}");
    for r in rules() {
        assert_eq!(r.family, palisade_core::RuleFamily::Kubernetes);
        assert!(!r.references.is_empty(), "{} has no references", r.id);
    }
}

#[test]
fn ids_are_unique_and_stable() {
    let mut ids: Vec<&str> = rules().iter().map(|r| r.id).collect();
    let n = ids.len();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), n);
    assert!(ids.iter().all(|i| i.starts_with("K8S") && i.len() == 6));
}

#[test]
fn bad_examples_trigger_and_good_examples_do_not() {
    let mut failures = Vec::new();
    for r in rules() {
        if !ids_for(r.docs.bad_example).iter().any(|i| i == r.id) {
            failures.push(format!("{}: bad example does not trigger it", r.id));
        }
        if ids_for(r.docs.good_example).iter().any(|i| i == r.id) {
            failures.push(format!("{}: good example triggers it", r.id));
        }
    }
    assert!(failures.is_empty(), "{failures:#?}");
}

#[test]
fn rule_docs_are_generated() {
    palisade_testkit::assert_rule_docs_current(rules(), "Kubernetes");
}

/// A manifest with more findings than the cap reports the cap's worth, in file order, and
/// counts the rest.
#[test]
fn findings_are_capped_and_the_rest_counted() {
    let pods: String = (0..20)
        .map(|i| format!("---\napiVersion: v1\nkind: Pod\nmetadata: {{name: p{i}}}\nspec:\n  containers:\n  - name: c\n    image: nginx\n"))
        .collect();
    let files = vec![("pods.yaml".to_string(), pods)];
    let all = palisade_kube::scan_manifests(&files, &KubeOptions::default());
    assert_eq!(all.dropped, 0);
    let opts = KubeOptions {
        max_findings: 7,
        ..Default::default()
    };
    let capped = palisade_kube::scan_manifests(&files, &opts);
    assert_eq!(capped.findings.len(), 7);
    assert_eq!(capped.dropped, all.findings.len() - 7);
    assert!(capped.findings.iter().all(|f| f
        .location
        .object
        .as_ref()
        .is_some_and(|o| o.name == "p0" || o.name == "p1")));
}

#[test]
fn kustomization_files_are_not_objects_in_the_default_namespace() {
    let ids = ids_for(
        "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nmetadata: {name: palisade}\nresources: [deployment.yaml]\n",
    );
    assert!(!ids.iter().any(|i| i == "K8S037"), "{ids:?}");
}

/// Objects given as parsed JSON (the admission webhook's path) get the findings the same
/// objects get written as one line of JSON text, on every rule's examples.
#[test]
fn parsed_json_objects_get_the_findings_of_their_text() {
    let summary = |scan: palisade_kube::KubeScan| -> Vec<(String, String, Option<String>)> {
        scan.findings
            .into_iter()
            .map(|f| {
                let field = f.location.object.and_then(|o| o.field_path);
                (f.rule_id, f.message, field)
            })
            .collect()
    };
    let mut compared = 0;
    for r in rules() {
        for example in [r.docs.bad_example, r.docs.good_example] {
            let opts = KubeOptions {
                keep_objects: true,
                ..opts_for(example)
            };
            let loaded = scan_manifests(&[("e.yaml".into(), example.into())], &opts).loaded;
            let values: Vec<serde_json::Value> = loaded.iter().map(|o| o.root.to_json()).collect();
            // As one document of JSON text each, so both scans see the same documents.
            let texts: Vec<(String, String)> = values
                .iter()
                .map(|v| ("e.json".to_string(), v.to_string()))
                .collect();
            let parsed: Vec<(String, &serde_json::Value)> =
                values.iter().map(|v| ("e.json".to_string(), v)).collect();
            let from_text = summary(scan_manifests(&texts, &opts));
            let from_values = summary(palisade_kube::scan_json(&parsed, &opts));
            assert_eq!(from_values, from_text, "{} example", r.id);
            compared += from_text.len();
        }
    }
    assert!(compared > 50, "the examples gave only {compared} findings");
}

#[test]
fn a_minimum_severity_reports_what_filtering_the_full_scan_would() {
    use palisade_core::Severity;
    let mut reduced = 0;
    for r in rules() {
        for example in [r.docs.bad_example, r.docs.good_example] {
            let files = [("e.yaml".to_string(), example.to_string())];
            let full = scan_manifests(&files, &opts_for(example));
            for min in Severity::ALL {
                let opts = KubeOptions {
                    min_severity: Some(min),
                    ..opts_for(example)
                };
                let scan = scan_manifests(&files, &opts);
                let want: Vec<_> = full.findings.iter().filter(|f| f.severity >= min).collect();
                let got: Vec<_> = scan.findings.iter().collect();
                // Whole findings: Pod Security levels (`pss_level_met`) included.
                assert_eq!(format!("{got:?}"), format!("{want:?}"), "{} at {min}", r.id);
                assert_eq!(
                    format!("{:?}", scan.workloads),
                    format!("{:?}", full.workloads),
                    "{} at {min}",
                    r.id
                );
                reduced += full.findings.len() - scan.findings.len();
            }
        }
    }
    assert!(reduced > 50, "the minimum left out only {reduced} findings");
}
