//! Kyverno's CEL `ValidatingPolicy` and `NamespacedValidatingPolicy` (`policies.kyverno.io`
//! v1alpha1, v1beta1, v1), evaluated as Kyverno's engine does (`pkg/cel/policies/vpol`):
//! `matchConstraints` (the ValidatingAdmissionPolicy matcher), `matchConditions`,
//! `variables`, `validations` with `message` / `messageExpression`, `auditAnnotations`,
//! `failurePolicy`, `evaluation.mode: JSON`, and autogen copies for pod controllers.
//!
//! The CEL environment is Kubernetes' (see [`crate::vap`]) plus the Kyverno libraries that
//! need no cluster ([`libs`]); those that do are errors saying so.

mod autogen;
mod eval;
pub mod libs;
mod mocks;

pub use eval::{Input, Verdict};
pub use mocks::Mocks;

use crate::vap::cel::Expression;
use crate::vap::matching::MatchResources;
use serde_json::Value;

/// One compiled policy with its autogen copies.
#[derive(Debug)]
pub struct ValidatingPolicy {
    pub name: String,
    /// `Some` for a NamespacedValidatingPolicy: it applies only there.
    pub namespace: Option<String>,
    /// `spec.validationActions` (Deny, Audit, Warn); Kyverno defaults to Deny.
    pub actions: Vec<String>,
    /// The policy as written, then its autogen copies.
    variants: Vec<Compiled>,
}

#[derive(Debug)]
struct Compiled {
    /// `None`: matches nothing (Kyverno's matcher refuses a policy without constraints).
    constraints: Option<MatchResources>,
    /// A namespace or object selector with terms: the CLI drops unmatched results.
    has_selector: bool,
    json_mode: bool,
    fail_closed: bool,
    match_conditions: Vec<(String, Expression)>,
    variables: Vec<(String, Expression)>,
    validations: Vec<Validation>,
    audit_annotations: Vec<(String, Expression)>,
}

#[derive(Debug)]
struct Validation {
    expression: Expression,
    message: String,
    message_expression: Option<Expression>,
}

/// Whether a document is one of Kyverno's ValidatingPolicies.
pub fn is_validating_policy(doc: &Value) -> bool {
    let api = doc.get("apiVersion").and_then(Value::as_str).unwrap_or("");
    let kind = doc.get("kind").and_then(Value::as_str).unwrap_or("");
    api.starts_with("policies.kyverno.io/")
        && matches!(kind, "ValidatingPolicy" | "NamespacedValidatingPolicy")
}

fn list<'a>(spec: &'a Value, key: &str) -> Result<&'a [Value], String> {
    match spec.get(key) {
        None | Some(Value::Null) => Ok(&[]),
        Some(Value::Array(a)) => Ok(a),
        Some(_) => Err(format!("spec.{key} must be a list")),
    }
}

fn text<'a>(v: &'a Value, key: &str) -> &'a str {
    v.get(key).and_then(Value::as_str).unwrap_or("")
}

impl ValidatingPolicy {
    /// Reads and compiles a policy and its autogen copies; `Err` names what is wrong.
    pub fn parse(doc: &Value) -> Result<ValidatingPolicy, String> {
        let name = doc
            .pointer("/metadata/name")
            .and_then(Value::as_str)
            .filter(|n| !n.is_empty())
            .ok_or("metadata.name is missing")?
            .to_string();
        let spec = doc
            .get("spec")
            .filter(|s| s.is_object())
            .ok_or_else(|| format!("ValidatingPolicy {name}: spec is missing"))?;
        let namespace = (text(doc, "kind") == "NamespacedValidatingPolicy").then(|| {
            match doc.pointer("/metadata/namespace").and_then(Value::as_str) {
                Some(ns) if !ns.is_empty() => ns.to_string(),
                _ => "default".to_string(),
            }
        });
        let mut actions: Vec<String> = list(spec, "validationActions")
            .map_err(|e| format!("ValidatingPolicy {name}: {e}"))?
            .iter()
            .filter_map(Value::as_str)
            .map(str::to_string)
            .collect();
        if actions.is_empty() {
            actions.push("Deny".to_string());
        }
        let at = |e: String| format!("ValidatingPolicy {name}: {e}");
        let mut variants = vec![Compiled::parse(spec).map_err(at)?];
        for (generated, kinds) in autogen::generate(spec) {
            let c = Compiled::parse(&generated)
                .map_err(|e| at(format!("autogen for {}: {e}", kinds.join(", "))))?;
            variants.push(c);
        }
        Ok(ValidatingPolicy {
            name,
            namespace,
            actions,
            variants,
        })
    }
}

impl Compiled {
    fn parse(spec: &Value) -> Result<Compiled, String> {
        let fail_closed = match spec.get("failurePolicy").and_then(Value::as_str) {
            None | Some("Fail") => true,
            Some("Ignore") => false,
            Some(other) => return Err(format!("unknown failurePolicy {other:?}")),
        };
        let json_mode = spec.pointer("/evaluation/mode").and_then(Value::as_str) == Some("JSON");
        let mc = spec.get("matchConstraints").filter(|m| !m.is_null());
        let constraints = mc
            .map(MatchResources::parse)
            .transpose()
            .map_err(|e| format!("matchConstraints: {e}"))?;
        let has_terms = |k: &str| {
            mc.and_then(|m| m.get(k)).is_some_and(|s| {
                ["matchLabels", "matchExpressions"]
                    .iter()
                    .any(|t| match s.get(t) {
                        Some(Value::Array(a)) => !a.is_empty(),
                        Some(Value::Object(o)) => !o.is_empty(),
                        _ => false,
                    })
            })
        };
        let has_selector = has_terms("namespaceSelector") || has_terms("objectSelector");
        let compile = |what: &str, src: &str, declared: &[String]| {
            if src.trim().is_empty() {
                return Err(format!("{what}: expression is empty"));
            }
            Expression::compile_with(src, declared, libs::EXTENSIONS)
                .map_err(|e| format!("{what} {src:?} does not compile: {e}"))
        };
        let mut variables: Vec<(String, Expression)> = Vec::new();
        for v in list(spec, "variables")? {
            let var = text(v, "name").to_string();
            let declared: Vec<String> = variables.iter().map(|(n, _)| n.clone()).collect();
            let e = compile(&format!("variable {var}"), text(v, "expression"), &declared)?;
            variables.push((var, e));
        }
        let declared: Vec<String> = variables.iter().map(|(n, _)| n.clone()).collect();
        let mut match_conditions = Vec::new();
        for m in list(spec, "matchConditions")? {
            let n = text(m, "name").to_string();
            // Match conditions run before variables exist.
            let e = compile(&format!("matchCondition {n}"), text(m, "expression"), &[])?;
            match_conditions.push((n, e));
        }
        let mut validations = Vec::new();
        for (i, v) in list(spec, "validations")?.iter().enumerate() {
            let expression = compile(&format!("validation {i}"), text(v, "expression"), &declared)?;
            let message_expression = match text(v, "messageExpression") {
                s if s.trim().is_empty() => None,
                s => Some(compile(
                    &format!("validation {i} messageExpression"),
                    s,
                    &declared,
                )?),
            };
            validations.push(Validation {
                expression,
                message: text(v, "message").to_string(),
                message_expression,
            });
        }
        let mut audit_annotations = Vec::new();
        for a in list(spec, "auditAnnotations")? {
            let key = text(a, "key").to_string();
            let e = compile(
                &format!("auditAnnotation {key}"),
                text(a, "valueExpression"),
                &declared,
            )?;
            audit_annotations.push((key, e));
        }
        Ok(Compiled {
            constraints,
            has_selector,
            json_mode,
            fail_closed,
            match_conditions,
            variables,
            validations,
            audit_annotations,
        })
    }
}
