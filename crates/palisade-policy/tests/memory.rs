//! The heap cap while policies run. Its own test binary: the cap is process-wide.

use palisade_policy::{Limits, Options, PolicyError, PolicySet};
use serde_json::json;
use std::time::Duration;

/// One test: the cap counts every thread's allocations, so a second test running beside the
/// first would see the first's hostile allocation and fail its harmless query.
#[test]
fn hostile_values_stop_at_the_heap_cap() {
    enormous_values_stop_at_the_heap_cap();
    a_gatekeeper_template_stops_at_the_heap_cap();
}

/// A policy that sizes a range by a hostile input ends with a clear error, not an OOM kill.
fn enormous_values_stop_at_the_heap_cap() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("p.rego"),
        "package main\nimport rego.v1\ndeny contains \"many\" if count(numbers.range(1, input.replicas)) > 3\n",
    )
    .unwrap();
    let options = Options {
        limits: Limits {
            timeout: Duration::from_secs(60),
            memory: 256 << 20,
        },
        ..Options::default()
    };
    let set = PolicySet::load(&[dir.path()], options).unwrap();
    assert_eq!(set.check(&json!({"replicas": 10})).unwrap().len(), 1);
    // 500 million numbers: about 16 GB were they built.
    let err = set.check(&json!({"replicas": 500_000_000u64})).unwrap_err();
    assert!(matches!(err, PolicyError::MemoryLimit { .. }), "{err}");
    assert!(err.to_string().contains("256 MiB"), "{err}");
    // And the set still answers afterwards.
    assert_eq!(set.check(&json!({"replicas": 10})).unwrap().len(), 1);
}

/// The same cap holds for Gatekeeper templates, which run on regorus' bytecode VM.
fn a_gatekeeper_template_stops_at_the_heap_cap() {
    use palisade_policy::gatekeeper::points;
    use palisade_policy::{Inventory, Review};
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("template.yaml"),
        r#"apiVersion: templates.gatekeeper.sh/v1
kind: ConstraintTemplate
metadata: {name: replicarange}
spec:
  crd: {spec: {names: {kind: ReplicaRange}}}
  targets:
    - target: admission.k8s.gatekeeper.sh
      rego: |
        package replicarange
        violation[{"msg": "many"}] {
          count(numbers.range(1, input.review.object.spec.replicas)) > 3
        }
"#,
    )
    .unwrap();
    std::fs::write(
        dir.path().join("constraint.yaml"),
        "apiVersion: constraints.gatekeeper.sh/v1beta1\nkind: ReplicaRange\nmetadata: {name: r}\nspec: {}\n",
    )
    .unwrap();
    let options = Options {
        limits: Limits {
            timeout: Duration::from_secs(60),
            memory: 256 << 20,
        },
        ..Options::default()
    };
    let set = PolicySet::load(&[dir.path()], options).unwrap();
    let inventory = Inventory::default();
    let bound = set.gatekeeper().bind(&inventory).unwrap();
    let deployment = |replicas: u64| {
        Review::from_object(json!({"apiVersion": "apps/v1", "kind": "Deployment",
            "metadata": {"name": "web", "namespace": "default"}, "spec": {"replicas": replicas}}))
    };
    let review = |r| bound.review(&deployment(r), points::GATOR);
    assert_eq!(review(10).unwrap().len(), 1);
    let err = review(500_000_000).unwrap_err();
    assert!(matches!(err, PolicyError::MemoryLimit { .. }), "{err}");
    assert_eq!(review(10).unwrap().len(), 1);
}
