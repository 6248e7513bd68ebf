//! The Kyverno CLI's VAP tests (`/work/shared/corpus/policy/vap/kyverno`), read with a small
//! stand-in for the kyverno-test runner: skipped with a note when the corpus is absent.

use palisade_policy::kyverno_test::{vap::evaluate, Actual, Status, TestContext};
use serde_json::Value;
use std::path::{Path, PathBuf};

fn corpus() -> Option<PathBuf> {
    let dir =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus/policy/vap/kyverno");
    if dir.is_dir() {
        Some(dir)
    } else {
        println!("SKIPPED: {} is absent", dir.display());
        None
    }
}

fn read(path: &Path) -> Vec<Value> {
    palisade_policy::read_documents(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn files(dir: &Path, test: &Value, key: &str) -> Vec<Value> {
    test.get(key)
        .and_then(Value::as_array)
        .map(|l| {
            l.iter()
                .filter_map(Value::as_str)
                .flat_map(|f| read(&dir.join(f)))
                .collect()
        })
        .unwrap_or_default()
}

fn context(dir: &Path, test: &Value) -> TestContext {
    let single = |key: &str| {
        test.get(key)
            .and_then(Value::as_str)
            .and_then(|f| read(&dir.join(f)).into_iter().next())
    };
    TestContext {
        dir: dir.to_path_buf(),
        policies: files(dir, test, "policies")
            .into_iter()
            .map(|d| ("policy.yaml".to_string(), d))
            .collect(),
        resources: files(dir, test, "resources"),
        param_resources: files(dir, test, "paramResources"),
        variables: single("variables"),
        user_info: single("userinfo"),
        context: None,
    }
}

fn status(s: &str) -> Status {
    match s {
        "pass" => Status::Pass,
        "fail" => Status::Fail,
        "skip" => Status::Skip,
        "warn" => Status::Warn,
        _ => Status::Error,
    }
}

fn kyverno_tests(root: &Path) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = walk(root)
        .into_iter()
        .filter(|p| p.file_name().is_some_and(|n| n == "kyverno-test.yaml"))
        .filter(|p| !p.to_string_lossy().contains("mutating-admission-policy"))
        .collect();
    out.sort();
    out
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let p = e.path();
        if p.is_dir() {
            out.extend(walk(&p));
        } else {
            out.push(p);
        }
    }
    out
}

#[test]
fn kyverno_cli_vap_tests() {
    let Some(root) = corpus() else { return };
    let (mut right, mut total, mut wrong) = (0, 0, Vec::new());
    for file in kyverno_tests(&root) {
        let dir = file.parent().expect("a directory").to_path_buf();
        let test = read(&file).into_iter().next().expect("a test document");
        let actuals = evaluate(&context(&dir, &test)).expect("evaluates");
        for r in test
            .get("results")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            if r.get("isValidatingAdmissionPolicy") != Some(&Value::Bool(true)) {
                continue;
            }
            let text = |k: &str| r.get(k).and_then(Value::as_str).unwrap_or_default();
            let policy = text("policy")
                .rsplit('/')
                .next()
                .unwrap_or_default()
                .to_string();
            for res in r
                .get("resources")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
            {
                let res = res.as_str().unwrap_or_default();
                let name = res.rsplit('/').next().unwrap_or_default();
                total += 1;
                let got: Vec<&Actual> = actuals
                    .iter()
                    .filter(|a| a.policy == policy && a.kind == text("kind") && a.name == name)
                    .collect();
                if got.len() == 1 && got[0].status == status(text("result")) {
                    right += 1;
                } else {
                    wrong.push(format!(
                        "{}: {policy} {name}: want {} got {got:?}",
                        dir.display(),
                        text("result")
                    ));
                }
            }
        }
    }
    println!("kyverno VAP expectations: {right}/{total} right");
    for w in &wrong {
        println!("  WRONG {w}");
    }
    assert!(total >= 30, "only {total} expectations found");
    assert!(right * 100 >= total * 95, "{right}/{total}: {wrong:#?}");
}

/// The folders without kyverno-test.yaml: `kyverno apply` pass/fail counts per resource file.
#[test]
fn kyverno_cli_apply_summaries() {
    let Some(root) = corpus() else { return };
    let expected: Value = serde_json::from_str(
        &std::fs::read_to_string(root.join("_apply_expected.json")).expect("reads"),
    )
    .expect("JSON");
    let mut checked = 0;
    for (folder, files) in expected.as_object().into_iter().flatten() {
        let Some(files) = files.as_object() else {
            continue;
        };
        let dir = root.join(folder);
        let policies = read(&dir.join("policy.yaml"));
        for (file, counts) in files {
            let ctx = TestContext {
                dir: dir.clone(),
                policies: policies
                    .iter()
                    .map(|d| ("policy.yaml".to_string(), d.clone()))
                    .collect(),
                resources: read(&dir.join(file)),
                ..Default::default()
            };
            let actuals = evaluate(&ctx).expect("evaluates");
            let count = |s: Status| actuals.iter().filter(|a| a.status == s).count() as u64;
            assert_eq!(
                (count(Status::Pass), count(Status::Fail)),
                (
                    counts["pass"].as_u64().unwrap_or(0),
                    counts["fail"].as_u64().unwrap_or(0)
                ),
                "{folder}/{file}: {actuals:?}"
            );
            checked += 1;
        }
    }
    println!("kyverno apply summaries: {checked}/6 right");
    assert_eq!(checked, 6);
}
