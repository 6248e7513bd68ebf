//! The heap cap while policies run. Its own test binary: the cap is process-wide.

use palisade_policy::{Limits, Options, PolicyError, PolicySet};
use serde_json::json;
use std::time::Duration;

/// A policy that sizes a range by a hostile input ends with a clear error, not an OOM kill.
#[test]
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
