//! ValidatingAdmissionPolicy results for `kyverno-test.yaml` entries marked
//! `isValidatingAdmissionPolicy: true`, as the Kyverno CLI computes them (see
//! [`crate::vap::kyverno`]): every resource is admitted as a `CREATE`, namespace labels come
//! from the `variables:` file's `namespaceSelector`, `request.userInfo` from the `userinfo:`
//! file, params from `paramResources`.

use super::{Actual, Status, TestContext};
use crate::vap::kyverno::{verdicts, Verdict};
use crate::vap::{VapRequest, VapSet};
use crate::PolicyError;
use serde_json::{json, Value};

/// The username, uid and group the CLI fills in when the test gives none
/// (`admissionpolicy.ResolveUser`), so `has(request.userInfo.username)` holds.
const BACKGROUND_USER: &str = "system:kyverno:background-scan";

fn is_vap(doc: &Value) -> bool {
    let group = doc
        .get("apiVersion")
        .and_then(Value::as_str)
        .is_some_and(|a| a.starts_with("admissionregistration.k8s.io/"));
    let kind = doc.get("kind").and_then(Value::as_str).unwrap_or_default();
    group
        && matches!(
            kind,
            "ValidatingAdmissionPolicy" | "ValidatingAdmissionPolicyBinding"
        )
}

fn text<'a>(v: &'a Value, ptr: &str) -> &'a str {
    v.pointer(ptr).and_then(Value::as_str).unwrap_or_default()
}

/// The outcome of every ValidatingAdmissionPolicy in `ctx.policies` on every resource. A
/// policy that does not compile gives an `Error` result per resource naming why; a binding
/// that does not parse is the test's error.
pub fn evaluate(ctx: &TestContext) -> Result<Vec<Actual>, PolicyError> {
    let mut set = VapSet::default();
    let mut broken: Vec<(String, String)> = Vec::new();
    for (path, doc) in ctx.policies.iter().filter(|(_, d)| is_vap(d)) {
        match set.add(path, doc) {
            Ok(()) => {}
            Err(e)
                if doc.get("kind").and_then(Value::as_str) == Some("ValidatingAdmissionPolicy") =>
            {
                broken.push((text(doc, "/metadata/name").to_string(), e.to_string()));
            }
            Err(e) => return Err(e),
        }
    }
    if set.policy_count() == 0 && broken.is_empty() {
        return Ok(Vec::new());
    }
    let user = user_info(ctx.user_info.as_ref());
    let mut out = Vec::new();
    for resource in &ctx.resources {
        let namespace = text(resource, "/metadata/namespace").to_string();
        let ns_object = (!namespace.is_empty()).then(|| {
            json!({"metadata": {"name": namespace, "labels": namespace_labels(ctx.variables.as_ref(), &namespace)}})
        });
        let req = VapRequest {
            operation: "CREATE",
            object: Some(resource),
            old_object: None,
            namespace_object: ns_object.as_ref(),
            user_info: Some(&user),
            dry_run: false,
            sub_resource: None,
            objects: &ctx.param_resources,
        };
        let actual = |policy: &str, status: Status, message: String| {
            Actual::on(resource, policy, None, status, message)
        };
        for (policy, verdict) in verdicts(&set, &req) {
            let (status, message) = match verdict {
                Verdict::Excluded => (Status::Skip, "excluded".to_string()),
                Verdict::ConditionsNotMet => {
                    (Status::Skip, "match conditions aren't met".to_string())
                }
                Verdict::Pass => (Status::Pass, String::new()),
                Verdict::Fail(m) => (Status::Fail, m),
                Verdict::Error(m) => (Status::Error, m),
            };
            out.push(actual(&policy, status, message));
        }
        for (policy, why) in &broken {
            out.push(actual(policy, Status::Error, why.clone()));
        }
    }
    Ok(out)
}

/// `namespaceSelector: [{name, labels}]` of the `variables:` file; a namespace it does not
/// list has no labels (as in the CLI).
fn namespace_labels(values: Option<&Value>, namespace: &str) -> Value {
    values
        .and_then(|v| v.get("namespaceSelector"))
        .and_then(Value::as_array)
        .and_then(|list| {
            list.iter()
                .find(|e| e.get("name").and_then(Value::as_str) == Some(namespace))
        })
        .and_then(|e| e.get("labels"))
        .cloned()
        .unwrap_or(Value::Null)
}

/// The `userInfo` of a `UserInfo` file, with the CLI's background identity where it is empty.
fn user_info(file: Option<&Value>) -> Value {
    let given = file.and_then(|f| f.get("userInfo"));
    let mut user = given
        .cloned()
        .filter(Value::is_object)
        .unwrap_or_else(|| json!({}));
    let empty = |v: Option<&Value>| match v {
        None | Some(Value::Null) => true,
        Some(Value::String(s)) => s.is_empty(),
        Some(Value::Array(a)) => a.is_empty(),
        _ => false,
    };
    if let Some(m) = user.as_object_mut() {
        for key in ["username", "uid"] {
            if empty(m.get(key)) {
                m.insert(key.to_string(), json!(BACKGROUND_USER));
            }
        }
        if empty(m.get("groups")) {
            m.insert("groups".to_string(), json!([BACKGROUND_USER]));
        }
    }
    user
}
