//! The Kyverno policy library's `pod-security/` folder with its `kyverno-test.yaml` files
//! (read in place from `../shared/corpus`, never copied here): every expectation must come
//! out as the Kyverno CLI reports it. Skipped, with a note, when the corpus is absent.

use palisade_policy::kyverno_test::{find_tests, run_test};
use std::path::PathBuf;

fn corpus() -> Option<PathBuf> {
    let p = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/corpus/policy/kyverno-policies/pod-security");
    p.is_dir().then_some(p)
}

#[test]
fn pod_security_library_tests_pass() {
    let Some(dir) = corpus() else {
        eprintln!("SKIPPED: ../shared/corpus not present");
        return;
    };
    let tests = find_tests(&[&dir]).expect("walk");
    assert_eq!(tests.len(), 22, "the folder has 22 kyverno-test.yaml files");
    let (mut passed, mut strict, mut total) = (0usize, 0usize, 0usize);
    let mut failures = Vec::new();
    for t in &tests {
        let report = run_test(t).unwrap_or_else(|e| panic!("{}: {e}", t.display()));
        for e in report
            .expectations
            .iter()
            .filter(|e| e.unsupported.is_none())
        {
            total += 1;
            if e.pass {
                passed += 1;
                if !e.excluded {
                    strict += 1;
                }
            } else {
                failures.push(format!(
                    "{} {}/{} {}: want {:?}, got {:?}",
                    report.name, e.policy, e.rule, e.resource, e.expected, e.actual
                ));
            }
        }
    }
    eprintln!("{passed}/{total} expectations ({strict} with a rule result)");
    assert_eq!(total, 948);
    assert!(failures.is_empty(), "{failures:#?}");
    assert_eq!(
        strict, total,
        "every expectation is met by a rule result, none by exclusion"
    );
}
