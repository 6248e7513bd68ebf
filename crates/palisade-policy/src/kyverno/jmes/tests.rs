//! Kyverno's JMESPath semantics and the idioms policies write.

use serde_json::{json, Value};

use super::builtins::signature;
use super::{search, Expr, JmesError};

fn pod() -> Value {
    json!({"request": {"object": {
        "metadata": {"name": "web", "labels": {"app": "web", "tier": "front"}},
        "spec": {
            "containers": [
                {"name": "app", "image": "nginx:1.25",
                 "securityContext": {"capabilities": {"add": ["NET_ADMIN", "SYS_TIME"]}},
                 "resources": {"limits": {"memory": "1Gi"}}},
                {"name": "side", "image": "busybox"}
            ],
            "initContainers": [
                {"name": "init", "securityContext": {"capabilities": {"add": ["CHOWN"]}}}
            ]
        }
    }}})
}

fn ok(expr: &str, data: &Value) -> Value {
    search(expr, data).unwrap_or_else(|e| panic!("{expr}: {e}"))
}

#[test]
fn missing_key_on_object_is_not_found() {
    let e = search("request.object.spec.foo", &pod()).unwrap_err();
    assert_eq!(e, JmesError::NotFound("foo".into()));
    assert_eq!(e.to_string(), "Unknown key \"foo\" in path");
    // A field on a non-object is null, not an error.
    assert_eq!(ok("request.object.metadata.name.foo", &pod()), Value::Null);
    assert_eq!(
        ok("request.object.spec.containers.foo", &pod()),
        Value::Null
    );
}

#[test]
fn not_found_is_swallowed_where_the_fork_swallows_it() {
    let d = pod();
    assert_eq!(ok("request.object.spec.foo || ''", &d), json!(""));
    // The pipe passes null on; `length(null)` then fails its type check, as in Go.
    assert!(matches!(
        search("request.object.spec.foo | length(@)", &d),
        Err(JmesError::Function { .. })
    ));
    assert_eq!(ok("!(request.object.spec.foo)", &d), json!(true));
    // `!` binds tighter than `.` in both grammars: `(!request).object...` is null.
    assert_eq!(ok("!request.object.spec.foo", &d), Value::Null);
    assert_eq!(ok("request.object.spec.foo == null", &d), json!(true));
    assert_eq!(
        ok(
            "[request.object.spec.foo, request.object.metadata.name]",
            &d
        ),
        json!([null, "web"])
    );
    assert_eq!(ok("{a: request.object.spec.foo}", &d), json!({"a": null}));
    assert_eq!(ok("request.object.spec.foo[]", &d), Value::Null);
    assert_eq!(ok("request.object.spec.foo[?x]", &d), Value::Null);
    assert_eq!(ok("request.object.spec.foo.*", &d), Value::Null);
    assert_eq!(ok("request.object.spec.foo[*].x", &d), Value::Null);
    assert_eq!(ok("request.object.spec.foo[0:1]", &d), Value::Null);
    assert_eq!(ok("not_null(request.object.spec.foo, 'x')", &d), json!("x"));
    // `&&` returns its right side's error as is.
    assert!(matches!(
        search("request.object && request.object.nope", &d),
        Err(JmesError::NotFound(_))
    ));
    // Inside a projection each element's NotFound drops that element.
    assert_eq!(
        ok(
            "request.object.spec.containers[].resources.limits.memory",
            &d
        ),
        json!(["1Gi"])
    );
    // A subexpression after a missing key propagates.
    assert!(search("request.object.spec.foo.bar", &d).is_err());
    // `a | b`: the pipe swallows, the dot does not.
    assert_eq!(ok("request.object.spec.foo | bar", &d), Value::Null);
}

#[test]
fn multiselect_over_missing_keys_lists_the_present() {
    let data = json!({"spec": {"a": [{"x": [1]}], "c": [{"x": [2, 3]}, {"y": 1}]}});
    assert_eq!(ok("spec.[a, b, c][].x[]", &data), json!([1, 2, 3]));
    let caps = "request.object.spec.[ephemeralContainers, initContainers, containers][].securityContext.capabilities.add[]";
    assert_eq!(ok(caps, &pod()), json!(["CHOWN", "NET_ADMIN", "SYS_TIME"]));
    assert_eq!(ok(&format!("length({caps})"), &pod()), json!(3));
    assert_eq!(
        ok(&format!("contains({caps}, 'NET_ADMIN')"), &pod()),
        json!(true)
    );
}

#[test]
fn policy_idioms() {
    let d = pod();
    assert_eq!(
        ok(
            "request.object.spec.containers[?name=='app'].image | [0]",
            &d
        ),
        json!("nginx:1.25")
    );
    assert_eq!(
        ok("request.object.spec.containers[?name=='nope']", &d),
        json!([])
    );
    assert_eq!(ok("length(request.object.spec.containers)", &d), json!(2));
    assert_eq!(
        ok("to_string(length(request.object.spec.containers))", &d),
        json!("2")
    );
    assert_eq!(
        ok("split(request.object.spec.containers[0].image, ':')[1]", &d),
        json!("1.25")
    );
    assert_eq!(
        ok(
            "regex_match('^nginx:[0-9.]+$', request.object.spec.containers[0].image)",
            &d
        ),
        json!(true)
    );
    assert_eq!(
        ok(
            "label_match(`{\"app\":\"web\"}`, request.object.metadata.labels)",
            &d
        ),
        json!(true)
    );
    assert_eq!(
        ok("request.object.metadata.labels.team || 'none'", &d),
        json!("none")
    );
    assert_eq!(ok("add('1Gi', '512Mi')", &d), json!("1536Mi"));
    assert_eq!(ok("divide(`10`, `4`)", &d), json!(2.5));
    assert_eq!(ok("divide('1Gi', '512Mi')", &d), json!(2));
    // Kyverno's gotcha: '30m' parses as a quantity (30 milli) before a duration.
    assert!(matches!(
        search("add('1h', '30m')", &d),
        Err(JmesError::Function { .. })
    ));
    assert_eq!(ok("add('1h', '90s')", &d), json!("1h1m30s"));
    assert_eq!(ok("subtract('250m', '100m')", &d), json!("150m"));
    assert_eq!(ok("semver_compare('1.25.3', '>=1.20.0')", &d), json!(true));
    assert_eq!(
        ok("truncate(request.object.metadata.name, `2`)", &d),
        json!("we")
    );
    assert_eq!(
        ok(
            "time_before('2023-01-01T00:00:00Z', '2023-06-01T00:00:00+02:00')",
            &d
        ),
        json!(true)
    );
    assert_eq!(
        ok("time_truncate('2023-02-02T15:04:05Z', '1h')", &d),
        json!("2023-02-02T15:00:00Z")
    );
    assert_eq!(
        ok(
            "time_between('2023-02-02T15:04:05Z', '2023-01-01T00:00:00Z', '2024-01-01T00:00:00Z')",
            &d
        ),
        json!(true)
    );
    assert_eq!(
        ok("request.object.spec.containers[*].name | join(',', @)", &d),
        json!("app,side")
    );
    assert_eq!(
        ok("keys(request.object.metadata.labels) | sort(@)", &d),
        json!(["app", "tier"])
    );
    assert_eq!(
        ok("sort_by(request.object.spec.containers, &name)[0].name", &d),
        json!("app")
    );
    assert_eq!(
        ok("max_by(request.object.spec.containers, &name).name", &d),
        json!("side")
    );
    assert_eq!(
        ok("map(&name, request.object.spec.containers)", &d),
        json!(["app", "side"])
    );
    assert_eq!(
        ok("request.object.spec.containers[-1].name", &d),
        json!("side")
    );
    assert_eq!(ok("`1` == `1.0`", &d), json!(true));
    assert_eq!(ok("`2` > `1`", &d), json!(true));
    assert_eq!(ok("'a' > 'b'", &d), Value::Null);
    assert_eq!(ok("to_number('12')", &d), json!(12));
    assert_eq!(ok("type(@)", &d), json!("object"));
    assert_eq!(
        ok("merge(`{\"a\":1}`, `{\"b\":2}`)", &d),
        json!({"a": 1, "b": 2})
    );
}

#[test]
fn every_listed_function_is_registered() {
    let names = [
        "compare",
        "equal_fold",
        "replace",
        "replace_all",
        "to_upper",
        "to_lower",
        "trim",
        "trim_prefix",
        "split",
        "regex_replace_all",
        "regex_replace_all_literal",
        "regex_match",
        "pattern_match",
        "label_match",
        "to_boolean",
        "add",
        "sum",
        "subtract",
        "multiply",
        "divide",
        "modulo",
        "round",
        "base64_decode",
        "base64_encode",
        "path_canonicalize",
        "truncate",
        "semver_compare",
        "parse_json",
        "parse_yaml",
        "lookup",
        "items",
        "object_from_lists",
        "x509_decode",
        "time_since",
        "time_now",
        "time_now_utc",
        "time_add",
        "time_parse",
        "time_to_cron",
        "time_utc",
        "time_diff",
        "time_before",
        "time_after",
        "time_between",
        "time_truncate",
        "is_external_url",
        "sha256",
        "sha1",
        "md5",
        "random",
        "image_normalize",
        "abs",
        "avg",
        "contains",
        "ceil",
        "ends_with",
        "floor",
        "join",
        "keys",
        "length",
        "map",
        "max",
        "max_by",
        "merge",
        "min",
        "min_by",
        "not_null",
        "reverse",
        "sort",
        "sort_by",
        "starts_with",
        "to_array",
        "to_string",
        "to_number",
        "type",
        "values",
    ];
    for n in names {
        assert!(signature(n).is_some(), "{n} not registered");
    }
    for n in [
        "x509_decode('x')",
        "random('[a-z]')",
        "image_normalize('nginx')",
    ] {
        assert!(
            matches!(search(n, &json!({})), Err(JmesError::Unsupported { .. })),
            "{n}"
        );
    }
    assert!(matches!(
        search("nope(@)", &json!({})),
        Err(JmesError::Function { .. })
    ));
    let now = ok("time_now_utc()", &json!({}));
    assert!(now
        .as_str()
        .is_some_and(|s| s.ends_with('Z') && s.len() == 20));
}

#[test]
fn hostile_expressions_are_bounded() {
    let long = "a".repeat(20_000);
    assert!(matches!(Expr::parse(&long), Err(JmesError::Parse { .. })));
    let deep = format!("{}a{}", "(".repeat(300), ")".repeat(300));
    assert!(matches!(Expr::parse(&deep), Err(JmesError::Parse { .. })));
    let nots = format!("{}a", "!".repeat(300));
    assert!(Expr::parse(&nots).is_err());
    let chain = vec!["a"; 400].join(".");
    assert!(Expr::parse(&chain).is_err());
    // Just under the limits still works, on a test thread's 2 MiB stack.
    let deep_ok = format!("{}a{}", "(".repeat(250), ")".repeat(250));
    assert_eq!(ok(&deep_ok, &json!({"a": 1})), json!(1));
    let nots_ok = format!("{}a", "!".repeat(60));
    assert_eq!(ok(&nots_ok, &json!({"a": 1})), json!(true));
    let nots_deep = format!("{}a", "!".repeat(200));
    assert!(matches!(
        Expr::parse(&nots_deep),
        Err(JmesError::Parse { .. })
    ));
    // Blow-ups are refused, not built.
    let big = json!({"s": "x".repeat(100_000)});
    assert_eq!(
        search("replace_all(s, 'x', s)", &big),
        Err(JmesError::Limit)
    );
    let copies = format!("[{}]", vec!["@"; 400].join(","));
    assert_eq!(
        search(&copies, &json!({"s": "y".repeat(100_000)})),
        Err(JmesError::Limit)
    );
    assert!(search("regex_match('(', 'x')", &json!({})).is_err());
    assert!(search("parse_json('[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[')", &json!({})).is_err());
}

#[test]
fn regex_classes_are_ascii_as_in_go() {
    assert_eq!(ok("regex_match('^\\d+$', '١٢')", &json!({})), json!(false));
    assert_eq!(ok("regex_match('^\\d+$', '12')", &json!({})), json!(true));
    assert_eq!(
        ok("regex_match('^[\\w-]+$', 'a-b_c')", &json!({})),
        json!(true)
    );
}

#[test]
fn quantities_and_durations_print_as_kubernetes_and_go() {
    let d = json!({});
    assert_eq!(ok("add('1.5Gi', '512Mi')", &d), json!("2Gi"));
    assert_eq!(ok("add('100m', '900m')", &d), json!("1"));
    assert_eq!(ok("add('1k', '1')", &d), json!("1001"));
    assert_eq!(ok("add('1e3', '1')", &d), json!("1001"));
    assert_eq!(ok("multiply('1Gi', `0.5`)", &d), json!("512Mi"));
    assert_eq!(ok("divide('1Gi', `4`)", &d), json!("256Mi"));
    assert_eq!(ok("add('1.5s', '500ms')", &d), json!("2s"));
    assert_eq!(ok("subtract('1s', '1500ms')", &d), json!("-500ms"));
    assert_eq!(ok("multiply('1us', `1.5`)", &d), json!("1.5\u{b5}s"));
    assert_eq!(ok("round(`2.5`, `0`)", &d), json!(3));
}

#[test]
fn compiled_expressions_are_shareable() {
    fn shareable<T: Send + Sync + Clone + 'static>() {}
    shareable::<Expr>();
    let e = Expr::parse("a.b").unwrap();
    assert_eq!(e.search(&json!({"a": {"b": 1}})), Ok(json!(1)));
}
