//! Kyverno's `validate.podSecurity` against the Kyverno policy library's own expectations: the
//! `podSecurity` policies of /work/shared/corpus (read in place, never copied here), their
//! `.kyverno-test/kyverno-test.yaml` results (every listed resource must get the expected
//! pass/fail), and their Chainsaw tests (`pod-good`/`podcontroller-good` documents admitted,
//! `pod-bad`/`podcontroller-bad` refused). Skipped with a note when the corpus is absent.

use palisade_policy::kyverno::pss::PodSecurity;
use serde::Deserialize;
use serde_json::Value;
use std::path::{Path, PathBuf};

const CORPUS: &str = "/work/shared/corpus/policy/kyverno-policies/pod-security/subrule";

fn docs(path: &Path) -> Vec<Value> {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_yaml::Deserializer::from_str(&text)
        .filter_map(|d| Value::deserialize(d).ok())
        .filter(|v| !v.is_null())
        .collect()
}

fn str_of<'a>(v: &'a Value, pointer: &str) -> &'a str {
    v.pointer(pointer).and_then(Value::as_str).unwrap_or("")
}

/// The `podSecurity` rules of a policy file: (policy name, rule name, parsed rule).
fn pss_rules(path: &Path) -> Vec<(String, String, PodSecurity)> {
    let mut out = Vec::new();
    for policy in docs(path) {
        let name = str_of(&policy, "/metadata/name").to_string();
        let rules = policy.pointer("/spec/rules").and_then(Value::as_array);
        for rule in rules.into_iter().flatten() {
            if rule.pointer("/validate/podSecurity").is_some() {
                let ps = PodSecurity::parse(rule).unwrap_or_else(|e| panic!("{name}: {e}"));
                out.push((name.clone(), str_of(rule, "/name").to_string(), ps));
            }
        }
    }
    out
}

/// Kyverno's autogen rule names (`autogen-x`, `autogen-cronjob-x`) evaluate rule `x`.
fn base_rule(name: &str) -> &str {
    name.strip_prefix("autogen-cronjob-")
        .or_else(|| name.strip_prefix("autogen-"))
        .unwrap_or(name)
}

fn test_files() -> Vec<PathBuf> {
    walkdir::WalkDir::new(CORPUS)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_name() == "kyverno-test.yaml")
        .map(|e| e.into_path())
        .collect()
}

/// Runs one kyverno-test.yaml; returns (checked, mismatches).
fn run_kyverno_test(test: &Path) -> (usize, Vec<String>) {
    let dir = test.parent().unwrap_or(Path::new("."));
    let spec = docs(test).into_iter().next().unwrap_or(Value::Null);
    let list = |key: &str| -> Vec<PathBuf> {
        let items = spec.get(key).and_then(Value::as_array);
        items
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
            .map(|p| dir.join(p))
            .collect()
    };
    let rules: Vec<_> = list("policies").iter().flat_map(|p| pss_rules(p)).collect();
    let resources: Vec<Value> = list("resources").iter().flat_map(|p| docs(p)).collect();
    let (mut checked, mut bad) = (0, Vec::new());
    let results = spec.get("results").and_then(Value::as_array);
    for res in results.into_iter().flatten() {
        let (policy, rule) = (str_of(res, "/policy"), base_rule(str_of(res, "/rule")));
        let Some((_, _, ps)) = rules.iter().find(|(p, r, _)| p == policy && r == rule) else {
            continue;
        };
        let want_pass = str_of(res, "/result") == "pass";
        let names = res.get("resources").and_then(Value::as_array);
        for name in names.into_iter().flatten().filter_map(Value::as_str) {
            let kind = str_of(res, "/kind");
            let found = resources.iter().find(|r| {
                str_of(r, "/metadata/name") == name
                    && (kind.is_empty() || str_of(r, "/kind") == kind)
            });
            checked += 1;
            let verdict = found.and_then(|r| ps.check(r));
            match verdict {
                Some(v) if v.passed == want_pass => {}
                Some(v) => bad.push(format!(
                    "{}: {policy}/{rule} {kind}/{name}: {}",
                    test.display(),
                    v.message
                )),
                None => bad.push(format!(
                    "{}: {kind}/{name}: not found or no pod spec",
                    test.display()
                )),
            }
        }
    }
    (checked, bad)
}

/// Runs one Chainsaw directory: every document of `*-good.yaml` passes, of `*-bad.yaml` fails.
fn run_chainsaw(dir: &Path) -> (usize, Vec<String>) {
    let Some(policy_dir) = dir.parent() else {
        return (0, Vec::new());
    };
    let policy = std::fs::read_dir(policy_dir)
        .into_iter()
        .flatten()
        .filter_map(Result::ok)
        .map(|e| e.path())
        .find(|p| p.extension().is_some_and(|e| e == "yaml"));
    let Some(rules) = policy.map(|p| pss_rules(&p)) else {
        return (0, Vec::new());
    };
    let (mut checked, mut bad) = (0, Vec::new());
    for (file, want_pass) in [
        ("pod-good.yaml", true),
        ("podcontroller-good.yaml", true),
        ("pod-bad.yaml", false),
        ("podcontroller-bad.yaml", false),
    ] {
        let path = dir.join(file);
        if !path.exists() {
            continue;
        }
        for doc in docs(&path) {
            // A resource is refused when any podSecurity rule of the policy fails it.
            let verdicts: Vec<_> = rules
                .iter()
                .filter_map(|(_, _, ps)| ps.check(&doc))
                .collect();
            if verdicts.is_empty() {
                continue;
            }
            checked += 1;
            let passed = verdicts.iter().all(|v| v.passed);
            if passed != want_pass {
                let name = format!(
                    "{}/{}",
                    str_of(&doc, "/kind"),
                    str_of(&doc, "/metadata/name")
                );
                let why = verdicts
                    .iter()
                    .map(|v| v.message.as_str())
                    .collect::<Vec<_>>()
                    .join(" | ");
                bad.push(format!(
                    "{}: {name}: expected pass={want_pass}: {why}",
                    path.display()
                ));
            }
        }
    }
    (checked, bad)
}

#[test]
fn kyverno_policy_library_pod_security() {
    if !Path::new(CORPUS).is_dir() {
        eprintln!("note: {CORPUS} absent; Kyverno podSecurity corpus test skipped");
        return;
    }
    let (mut total, mut mismatches) = (0, Vec::new());
    for test in test_files() {
        let (n, bad) = run_kyverno_test(&test);
        total += n;
        mismatches.extend(bad);
    }
    println!(
        "kyverno-test podSecurity results: {}/{total}",
        total - mismatches.len()
    );
    assert!(
        total >= 8,
        "expected the corpus' podSecurity kyverno tests, found {total} results"
    );
    assert!(mismatches.is_empty(), "{}", mismatches.join("\n"));

    let chainsaw: Vec<PathBuf> = walkdir::WalkDir::new(CORPUS)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_name() == ".chainsaw-test")
        .map(|e| e.into_path())
        .collect();
    let (mut total, mut mismatches) = (0, Vec::new());
    for dir in chainsaw {
        let (n, bad) = run_chainsaw(&dir);
        total += n;
        mismatches.extend(bad);
    }
    println!(
        "chainsaw podSecurity documents: {}/{total}",
        total - mismatches.len()
    );
    assert!(mismatches.is_empty(), "{}", mismatches.join("\n"));
}
