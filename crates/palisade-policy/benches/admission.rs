//! One AdmissionReview (GKE's Pod create, from the corpus) against 50 Gatekeeper library
//! constraints, and against the 22 Kyverno Pod Security policies, as the admission webhook
//! will evaluate it. Criterion gives the mean; every
//! review is also timed alone, and p50/p99 are printed (the target is p99 under 2 ms,
//! docs/benchmarks.md). Needs `../shared/corpus` (or `PALISADE_CORPUS`); skipped without it.
use criterion::{criterion_group, criterion_main, Criterion};
use palisade_policy::gatekeeper::points;
use palisade_policy::{Inventory, Options, PolicySet, Review, Sources};
use std::time::{Duration, Instant};

fn admission(c: &mut Criterion) {
    let Some(corpus) = palisade_testkit::shared_corpus() else {
        eprintln!("admission bench skipped: no corpus (set PALISADE_CORPUS)");
        return;
    };
    let mut sources =
        Sources::load(&[corpus.join("policy/gatekeeper-library/library")]).expect("library loads");
    // 50 constraints, those that apply to Pods first: the more match, the more Rego runs.
    sources
        .constraints
        .sort_by_key(|(_, c)| !c.to_string().contains("\"Pod\""));
    let pods = sources
        .constraints
        .iter()
        .filter(|(_, c)| c.to_string().contains("\"Pod\""))
        .count();
    sources.constraints.truncate(50);
    assert_eq!(
        sources.constraints.len(),
        50,
        "the library has 50 constraints"
    );
    eprintln!("{} of the 50 constraints match Pods", pods.min(50));
    let set = PolicySet::from_sources(sources, Options::default()).expect("library compiles");
    let text = std::fs::read_to_string(
        corpus.join("policy/admission/kube-rs/admission_review_v1_pod_create.json"),
    )
    .expect("AdmissionReview");
    let doc: serde_json::Value = serde_json::from_str(&text).expect("JSON");
    let inventory = Inventory::default();
    let bound = set.gatekeeper().bind(&inventory).expect("binds");
    let mut times: Vec<Duration> = Vec::new();
    c.bench_function("admission_review_50_constraints", |b| {
        b.iter_custom(|iters| {
            let mut total = Duration::ZERO;
            for _ in 0..iters {
                let start = Instant::now();
                let review = Review::from_document(&doc).expect("valid review");
                let v = bound
                    .review(&review, points::VALIDATION)
                    .expect("evaluates");
                std::hint::black_box(v);
                let t = start.elapsed();
                times.push(t);
                total += t;
            }
            total
        })
    });
    percentiles("admission_review_50_constraints", &mut times);
}

fn percentiles(name: &str, times: &mut [Duration]) {
    times.sort();
    if !times.is_empty() {
        let at = |q: f64| times[((times.len() as f64 * q) as usize).min(times.len() - 1)];
        eprintln!(
            "{name}: {} reviews, p50 {:?}, p99 {:?}, max {:?}",
            times.len(),
            at(0.50),
            at(0.99),
            times[times.len() - 1]
        );
    }
}

/// The 22 policies of the Kyverno library's `pod-security/` (baseline, restricted and the
/// podSecurity subrule policies), as `--policy` loads them.
fn kyverno(c: &mut Criterion) {
    let Some(corpus) = palisade_testkit::shared_corpus() else {
        eprintln!("kyverno bench skipped: no corpus (set PALISADE_CORPUS)");
        return;
    };
    let set = PolicySet::load(
        &[corpus.join("policy/kyverno-policies/pod-security")],
        Options::default(),
    )
    .expect("policies load");
    let policies = set.kyverno().policies().len();
    assert_eq!(policies, 22, "the pod-security folder has 22 policies");
    let text = std::fs::read_to_string(
        corpus.join("policy/admission/kube-rs/admission_review_v1_pod_create.json"),
    )
    .expect("AdmissionReview");
    let doc: serde_json::Value = serde_json::from_str(&text).expect("JSON");
    let req = palisade_policy::kyverno::Request {
        operation: "CREATE",
        ..Default::default()
    };
    let mut times: Vec<Duration> = Vec::new();
    c.bench_function("admission_review_22_kyverno_pss_policies", |b| {
        b.iter_custom(|iters| {
            let mut total = Duration::ZERO;
            for _ in 0..iters {
                let start = Instant::now();
                let object = doc.pointer("/request/object").expect("a Pod");
                let outcomes = set.kyverno().evaluate(object, &req);
                std::hint::black_box(outcomes);
                let t = start.elapsed();
                times.push(t);
                total += t;
            }
            total
        })
    });
    percentiles("admission_review_22_kyverno_pss_policies", &mut times);
}

criterion_group!(benches, admission, kyverno);
criterion_main!(benches);
