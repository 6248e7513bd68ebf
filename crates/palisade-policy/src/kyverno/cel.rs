//! `validate.cel` in ClusterPolicy/Policy rules, as Kyverno's `validateCELHandler`
//! (`pkg/engine/handlers/validation/validate_cel.go`) runs it: the expressions are a
//! ValidatingAdmissionPolicy's (Kubernetes' CEL environment, `object`, `oldObject`,
//! `request`, `namespaceObject`, `variables`) evaluated by the API server's validator with
//! failure policy Fail, so the first validation that is false — or errs — fails the rule.
//!
//! Offline, as in the Kyverno CLI, `namespaceObject` knows only the namespace's name. Params
//! (`paramKind`/`paramRef`) are objects of the cluster: a rule that needs them is an error.
//! An error that is this CEL implementation's limit (a function it lacks, the authorizer)
//! is reported as an error, never as Kyverno's failure.

use super::rule::{Response, Status};
use crate::vap::eval::{self, Decision, Evaluation};
use crate::vap::policy::Policy;
use crate::vap::request::{self, Reading};
use crate::vap::VapRequest;
use serde_json::{json, Map, Value};

/// Evaluates `validate.cel` (the `cel` block) of rule `rule_name` on `resource`; `ctx` is the
/// rule's Kyverno context (`request.operation`, `request.userInfo`, `request.oldObject`).
#[allow(dead_code)] // the entry point without `validate.message`; rule.rs passes it via `validate_with`
pub fn validate(rule_name: &str, cel: &Value, resource: &Value, ctx: &Value) -> Response {
    validate_with(rule_name, cel, "", resource, ctx)
}

/// As [`validate`]; `message` is the rule's `validate.message`, which Kyverno gives every
/// expression without a message of its own.
pub fn validate_with(
    rule_name: &str,
    cel: &Value,
    message: &str,
    resource: &Value,
    ctx: &Value,
) -> Response {
    let respond = |status, message: String| Response { status, message };
    if ["paramKind", "paramRef"]
        .iter()
        .any(|k| cel.get(k).is_some_and(|v| !v.is_null()))
    {
        return respond(
            Status::Error,
            "validate.cel params (paramKind/paramRef) are not available offline: they are read from the cluster".into(),
        );
    }
    let policy = match compile(rule_name, cel, message) {
        Ok(p) => p,
        Err(e) => return respond(Status::Error, e),
    };
    let text = |p: &str| ctx.pointer(p).and_then(Value::as_str).unwrap_or("");
    let operation = match text("/request/operation") {
        "" => "CREATE",
        op => op,
    };
    let old = ctx.pointer("/request/oldObject").filter(|o| o.is_object());
    let (object, old_object) = match operation {
        "DELETE" => (None, old.or(Some(resource))),
        _ => (Some(resource), old),
    };
    let user_info = ctx
        .pointer("/request/userInfo")
        .cloned()
        .unwrap_or(json!({}));
    let req = VapRequest {
        operation,
        object,
        old_object,
        namespace_object: None,
        user_info: Some(&user_info),
        dry_run: false,
        sub_resource: None,
        objects: &[],
    };
    let Some(attrs) = request::attributes(&req, Reading::KyvernoCli) else {
        return respond(Status::Error, "the resource has no kind".into());
    };
    let mut inputs = request::inputs(&req, &attrs);
    // Offline the CLI knows a namespace by its name only; a Namespace has none.
    let is_namespace = attrs.kind == "Namespace" && attrs.group.is_empty();
    inputs.namespace_object = if attrs.namespace.is_empty() || is_namespace {
        crate::vap::cel::to_cel(&Value::Null)
    } else {
        crate::vap::cel::to_cel(&json!({"metadata": {"name": attrs.namespace}}))
    };
    match eval::evaluate(&policy, &inputs, &Value::Null) {
        Evaluation::NotMatched => respond(Status::Skip, "cel preconditions not met".into()),
        Evaluation::Done { decisions, .. } => {
            for d in decisions {
                match d {
                    Decision::Admit => {}
                    Decision::Deny { message, .. } => return respond(Status::Fail, message),
                    Decision::Error { message } if is_limitation(&message) => {
                        return respond(Status::Error, message)
                    }
                    Decision::Error { message } => return respond(Status::Fail, message),
                }
            }
            respond(
                Status::Pass,
                format!("Validation rule '{rule_name}' passed."),
            )
        }
    }
}

/// Whether an evaluation error is a limit of this implementation or of running offline
/// rather than something Kyverno would also hit. Only a missing key is known to be the
/// latter; anything else stays an error so a verdict is never guessed.
fn is_limitation(message: &str) -> bool {
    !message.contains("no such key")
}

/// The `cel` block as a ValidatingAdmissionPolicy, compiled.
fn compile(rule_name: &str, cel: &Value, message: &str) -> Result<Policy, String> {
    let list = |k: &str| match cel.get(k) {
        None | Some(Value::Null) => Ok(Vec::new()),
        Some(Value::Array(a)) => Ok(a.clone()),
        Some(_) => Err(format!("validate.cel.{k} must be a list")),
    };
    let mut validations = list("expressions")?;
    for v in &mut validations {
        if let Some(m) = v.as_object_mut() {
            let empty = m
                .get("message")
                .and_then(Value::as_str)
                .is_none_or(str::is_empty);
            if empty && !message.is_empty() {
                m.insert("message".into(), Value::String(message.to_string()));
            }
        }
    }
    let mut spec = Map::new();
    spec.insert("failurePolicy".into(), json!("Fail"));
    spec.insert("validations".into(), Value::Array(validations));
    spec.insert("variables".into(), Value::Array(list("variables")?));
    // The rule's `celPreconditions`, put here by the caller: false skips the rule.
    spec.insert(
        "matchConditions".into(),
        Value::Array(list("matchConditions")?),
    );
    spec.insert(
        "auditAnnotations".into(),
        Value::Array(list("auditAnnotations")?),
    );
    let name = if rule_name.is_empty() {
        "rule"
    } else {
        rule_name
    };
    let doc = json!({"metadata": {"name": name}, "spec": spec});
    Policy::parse(&doc).map_err(|e| {
        e.replacen(
            &format!("ValidatingAdmissionPolicy {name}: "),
            "validate.cel: ",
            1,
        )
    })
}
