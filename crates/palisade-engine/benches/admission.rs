//! One AdmissionReview through the admission controller, without the server: the CPU a review
//! costs at each configuration step, so the webhook's load figures (bench/admission/load.sh)
//! can be read against it. The GKE Pod CREATE of the corpus; configurations: the default
//! policy (PSS baseline enforced, restricted warned), + PSS restricted enforced and Palisade's
//! rules at HIGH, + the 20 Gatekeeper constraints load.sh uses. Prints p50/p99 of single
//! reviews. Needs `../shared/corpus` (or `PALISADE_CORPUS`); skipped without it.
use criterion::{criterion_group, criterion_main, Criterion};
use palisade_engine::admission::{Controller, ReviewKind};
use std::path::Path;
use std::time::{Duration, Instant};

const CONSTRAINTS: [&str; 20] = [
    "general/allowedrepos/samples/repo-must-be-openpolicyagent",
    "general/automount-serviceaccount-token/samples/automount-serviceaccount-token",
    "general/containerlimits/samples/container-must-have-limits",
    "general/containerrequests/samples/container-must-have-requests",
    "general/disallowedrepos/samples/repo-must-not-be-k8s-gcr-io",
    "general/disallowedtags/samples/container-image-must-not-have-latest-tag",
    "general/disallowinteractive/samples/no-interactive-containers",
    "general/ephemeralstoragelimit/samples/container-must-have-ephemeral-storage-limit",
    "general/requiredlabels/samples/verify-label-key-only",
    "pod-security-policy/allow-privilege-escalation/samples/psp-allow-privilege-escalation-container",
    "pod-security-policy/apparmor/samples/psp-apparmor",
    "pod-security-policy/capabilities/samples/psp-capabilities-restricted",
    "pod-security-policy/forbidden-sysctls/samples/psp-forbidden-sysctls",
    "pod-security-policy/host-filesystem/samples/psp-host-filesystem",
    "pod-security-policy/host-namespaces/samples/psp-host-namespace",
    "pod-security-policy/host-network-ports/samples/psp-host-network-ports",
    "pod-security-policy/privileged-containers/samples/psp-privileged-container",
    "pod-security-policy/proc-mount/samples/psp-proc-mount",
    "pod-security-policy/read-only-root-filesystem/samples/psp-readonlyrootfilesystem",
    "pod-security-policy/seccompv2/samples/psp-seccomp-restricted",
];

/// The 20 constraints with their templates, one directory each, as load.sh lays them out.
fn policies(lib: &Path, dir: &Path) {
    for c in CONSTRAINTS {
        let name = c.rsplit('/').next().unwrap_or(c);
        let out = dir.join(name);
        std::fs::create_dir_all(&out).expect("policy dir");
        let template_dir = c.split("/samples/").next().unwrap_or(c);
        std::fs::copy(
            lib.join(template_dir).join("template.yaml"),
            out.join("template.yaml"),
        )
        .expect("template");
        std::fs::copy(
            lib.join(c).join("constraint.yaml"),
            out.join("constraint.yaml"),
        )
        .expect("constraint");
    }
}

fn controller(dir: &Path, yaml: &str) -> Controller {
    let path = dir.join("admission.yaml");
    std::fs::write(&path, yaml).expect("config");
    Controller::from_yaml_file(&path).expect("config loads")
}

fn admission(c: &mut Criterion) {
    let Some(corpus) = palisade_testkit::shared_corpus() else {
        eprintln!("admission bench skipped: no corpus (set PALISADE_CORPUS)");
        return;
    };
    let review =
        std::fs::read(corpus.join("policy/admission/kube-rs/admission_review_v1_pod_create.json"))
            .expect("AdmissionReview");
    let dir = tempfile::tempdir().expect("tempdir");
    policies(
        &corpus.join("policy/gatekeeper-library/library"),
        &dir.path().join("policies"),
    );
    let restricted = "podSecurity:\n  defaults:\n    enforce: restricted\n    enforce-version: latest\nkubernetesRules:\n  severity: HIGH\n  action: deny\n";
    let cases = [
        ("default_policy", Controller::default_policy()),
        ("restricted_and_rules", controller(dir.path(), restricted)),
        (
            "restricted_rules_and_20_constraints",
            controller(
                dir.path(),
                &format!("{restricted}policies:\n  paths: [policies]\n"),
            ),
        ),
    ];
    for (name, ctl) in &cases {
        let mut times: Vec<Duration> = Vec::new();
        c.bench_function(&format!("admission_review_{name}"), |b| {
            b.iter_custom(|iters| {
                let mut total = Duration::ZERO;
                for _ in 0..iters {
                    let start = Instant::now();
                    let r = ctl.review(ReviewKind::Validate, &review).expect("a review");
                    std::hint::black_box(r);
                    let t = start.elapsed();
                    times.push(t);
                    total += t;
                }
                total
            })
        });
        times.sort();
        if !times.is_empty() {
            let at = |q: f64| times[((times.len() as f64 * q) as usize).min(times.len() - 1)];
            eprintln!(
                "admission_review_{name}: {} reviews, p50 {:?}, p99 {:?}",
                times.len(),
                at(0.5),
                at(0.99)
            );
        }
    }
}

criterion_group!(benches, admission);
criterion_main!(benches);
