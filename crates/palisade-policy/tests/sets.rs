//! Loading policy sets: bundles, conflicts, broken modules, limits.

use palisade_policy::{Limits, Options, PolicyError, PolicySet};
use serde_json::json;
use std::path::Path;
use std::time::{Duration, Instant};

fn write(dir: &Path, name: &str, text: &str) {
    let path = dir.join(name);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

#[test]
fn opa_bundle_tarball_loads_modules_and_data() {
    let dir = tempfile::tempdir().unwrap();
    let bundle = dir.path().join("bundle.tar.gz");
    let file = std::fs::File::create(&bundle).unwrap();
    let mut tar = tar::Builder::new(flate2::write::GzEncoder::new(
        file,
        flate2::Compression::default(),
    ));
    let mut add = |name: &str, text: &str| {
        let mut h = tar::Header::new_gnu();
        h.set_size(text.len() as u64);
        h.set_mode(0o644);
        h.set_cksum();
        tar.append_data(&mut h, name, text.as_bytes()).unwrap();
    };
    add(
        ".manifest",
        r#"{"revision": "1", "roots": ["main", "limits"]}"#,
    );
    add(
        "main/policy.rego",
        "package main\ndeny contains \"too many\" if input.replicas > data.limits.replicas\n",
    );
    add("limits/data.json", r#"{"replicas": 3}"#);
    tar.into_inner().unwrap().finish().unwrap();
    let set = PolicySet::load(&[&bundle], Options::default()).unwrap();
    assert_eq!(set.check(&json!({"replicas": 5})).unwrap().len(), 1);
    assert!(set.check(&json!({"replicas": 2})).unwrap().is_empty());
}

#[test]
fn conflicting_data_names_both_places() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "data.json", r#"{"a": {"b": 1}}"#);
    write(dir.path(), "a/data.json", r#"{"b": 2}"#);
    let err = PolicySet::load(&[dir.path()], Options::default()).unwrap_err();
    assert!(matches!(err, PolicyError::Compile { .. }), "{err}");
    assert!(err.to_string().contains("data.a.b"), "{err}");
}

#[test]
fn conflicting_rules_are_an_error_not_a_verdict() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "one.rego", "package main\nallow := true\n");
    write(dir.path(), "two.rego", "package main\nallow := false\n");
    let err = PolicySet::load(&[dir.path()], Options::default()).unwrap_err();
    assert!(matches!(err, PolicyError::Compile { .. }), "{err}");
    let text = err.to_string();
    assert!(
        text.contains("two.rego") && text.contains("one.rego"),
        "{text}"
    );
}

#[test]
fn broken_module_names_file_and_line() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "ok.rego", "package main\n");
    write(
        dir.path(),
        "broken.rego",
        "package main\n\ndeny contains msg if {\n  msg := [\n}\n",
    );
    let err = PolicySet::load(&[dir.path()], Options::default()).unwrap_err();
    let text = err.to_string();
    assert!(text.contains("broken.rego: line 4, column 7"), "{text}");
    assert!(!text.contains('\n'), "one line: {text}");
}

/// A policy that would run for minutes ends at its time limit with a clear error.
#[test]
fn runaway_policy_stops_at_the_limit() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "slow.rego",
        "package main\ndeny contains \"slow\" if count([1 | numbers.range(1, 20000)[_]; numbers.range(1, 20000)[_]]) > 0\n",
    );
    let options = Options {
        limits: Limits {
            timeout: Duration::from_millis(200),
            ..Limits::default()
        },
        ..Options::default()
    };
    let set = PolicySet::load(&[dir.path()], options).unwrap();
    let start = Instant::now();
    let err = set.check(&json!({})).unwrap_err();
    assert!(matches!(err, PolicyError::Timeout { .. }), "{err}");
    // Generous: the point is "stops", not "stops fast"; 400M iterations would take minutes.
    assert!(start.elapsed() < Duration::from_secs(20));
}

#[test]
fn yaml_that_is_not_policy_is_refused_when_named() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "pod.yaml",
        "apiVersion: v1\nkind: Pod\nmetadata: {name: x}\n",
    );
    let err = PolicySet::load(&[dir.path().join("pod.yaml")], Options::default()).unwrap_err();
    assert!(err.to_string().contains("neither Rego"), "{err}");
    // In a directory it is passed over: policy libraries keep examples beside templates.
    assert!(PolicySet::load(&[dir.path()], Options::default()).is_ok());
}

/// A document over the YAML reader's alias limit stays refused: the second reader (libyaml,
/// for syntax Go accepts and yaml-rust2 does not) never gets a second try at a bomb.
#[test]
fn alias_bomb_is_refused_not_read_again() {
    let mut text = String::from("a0: &a0 [\"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\"]\n");
    for i in 1..9 {
        let refs = vec![format!("*a{}", i - 1); 10].join(", ");
        text.push_str(&format!("a{i}: &a{i} [{refs}]\n"));
    }
    let start = Instant::now();
    let err = palisade_policy::documents("bomb.yaml", &text).unwrap_err();
    assert!(err.to_string().contains("alias bomb"), "{err}");
    assert!(start.elapsed() < Duration::from_secs(20));
}
