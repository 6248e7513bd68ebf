//! Kyverno CEL policies for `kyverno-test.yaml`: `ValidatingPolicy` and
//! `NamespacedValidatingPolicy` (policies.kyverno.io), as the Kyverno CLI runs them
//! (`processor/policy_processor.go`, `pkg/cel/policies/vpol/engine`):
//!
//! - every resource is a `CREATE` (or the values file's `request.operation`), with the
//!   `userinfo:` file's `userInfo`;
//! - the namespace is the values file's `namespaces` / `namespaceSelector` entry, else known
//!   only by name (and `namespaceObject` is null);
//! - the policy and each autogen copy report separately under the policy's name, without a
//!   rule name; a resource no copy selects has no result ("excluded" for the runner);
//! - the `context:` file's mock resources and images answer `resource.Get` / `List` and
//!   `image.GetMetadata` ([`vpol::Mocks`]).

use super::{Actual, Status, TestContext};
use crate::kyverno::vpol::{self, Input, Mocks, ValidatingPolicy, Verdict};
use crate::PolicyError;
use serde_json::{json, Value};
use std::sync::Arc;

fn text<'a>(v: &'a Value, ptr: &str) -> &'a str {
    v.pointer(ptr).and_then(Value::as_str).unwrap_or_default()
}

/// The outcome of every ValidatingPolicy in `ctx.policies` on every resource. A policy that
/// does not compile gives an `Error` result per resource naming why.
pub fn evaluate(ctx: &TestContext) -> Result<Vec<Actual>, PolicyError> {
    let mut policies: Vec<Result<ValidatingPolicy, (String, String)>> = Vec::new();
    for (_, doc) in ctx
        .policies
        .iter()
        .filter(|(_, d)| vpol::is_validating_policy(d))
    {
        policies.push(
            ValidatingPolicy::parse(doc).map_err(|e| (text(doc, "/metadata/name").to_string(), e)),
        );
    }
    if policies.is_empty() {
        return Ok(Vec::new());
    }
    let values = ctx.variables.as_ref();
    let operation = values
        .and_then(|v| v.pointer("/globalValues/request.operation"))
        .and_then(Value::as_str)
        .filter(|op| matches!(*op, "CREATE" | "UPDATE" | "DELETE"))
        .unwrap_or("CREATE");
    let user = ctx
        .user_info
        .as_ref()
        .and_then(|u| u.get("userInfo"))
        .filter(|u| u.is_object())
        .cloned()
        .unwrap_or_else(|| json!({}));
    // The `context:` file's mocks; one that does not load fails the test, as in the CLI.
    let mocks = match &ctx.context {
        Some(doc) => {
            Some(Arc::new(Mocks::from_context(doc).map_err(|e| {
                PolicyError::parse(ctx.dir.display().to_string(), e)
            })?))
        }
        None => None,
    };
    let mut out = Vec::new();
    for resource in &ctx.resources {
        let namespace = text(resource, "/metadata/namespace").to_string();
        let ns_object = namespace_object(values, &namespace);
        let input = Input {
            resource,
            operation,
            user_info: &user,
            namespace: ns_object.as_ref(),
            mocks: mocks.as_ref(),
        };
        let actual = |policy: &str, status: Status, message: String| {
            Actual::on(resource, policy, None, status, message)
        };
        for p in &policies {
            let p = match p {
                Ok(p) => p,
                Err((policy, why)) => {
                    out.push(actual(policy, Status::Error, why.clone()));
                    continue;
                }
            };
            // A resource no copy selects gets no result: the runner counts it as the CLI
            // does ("excluded"). (The CLI drops the result of a policy with a selector
            // instead, and then reports "not found"; that difference is not reproduced.)
            let verdicts = p.evaluate(&input);
            for v in verdicts {
                let (status, message) = match v {
                    Verdict::Pass => (Status::Pass, "success".to_string()),
                    Verdict::Fail(m) => (Status::Fail, m),
                    Verdict::Skip(m) => (Status::Skip, m),
                    Verdict::Error(m) => (Status::Error, m),
                };
                out.push(actual(&p.name, status, message));
            }
        }
    }
    Ok(out)
}

/// The values file's Namespace for `name`: a `namespaces:` object first, else a
/// `namespaceSelector:` entry's labels (`Variables.Namespace`).
fn namespace_object(values: Option<&Value>, name: &str) -> Option<Value> {
    if name.is_empty() {
        return None;
    }
    let entries = |key: &str| {
        values
            .and_then(|v| v.get(key))
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
    };
    if let Some(ns) = entries("namespaces").find(|n| text(n, "/metadata/name") == name) {
        return Some(ns.clone());
    }
    entries("namespaceSelector")
        .find(|e| e.get("name").and_then(Value::as_str) == Some(name))
        .map(|e| {
            json!({"apiVersion": "v1", "kind": "Namespace",
                   "metadata": {"name": name, "labels": e.get("labels").cloned().unwrap_or(Value::Null)}})
        })
}
