//! ValidatingAdmissionPolicy and ValidatingAdmissionPolicyBinding documents, read and compiled
//! once (`admissionregistration.k8s.io` v1, v1beta1 and v1alpha1 share these fields).

use super::cel::Expression;
use super::matching::MatchResources;
use super::ValidationAction;
use crate::selector::Selector;
use serde_json::Value;

/// A compiled policy.
#[derive(Debug)]
pub struct Policy {
    pub name: String,
    pub fail_closed: bool,
    /// `paramKind`: apiVersion and kind.
    pub param_kind: Option<(String, String)>,
    pub constraints: Option<MatchResources>,
    pub match_conditions: Vec<(String, Expression)>,
    pub variables: Vec<(String, Expression)>,
    pub validations: Vec<Validation>,
    pub audit_annotations: Vec<(String, Expression)>,
}

#[derive(Debug)]
pub struct Validation {
    pub expression: Expression,
    pub message: Option<String>,
    pub message_expression: Option<Expression>,
    pub reason: Option<String>,
}

/// A binding.
#[derive(Debug, Clone)]
pub struct Binding {
    pub name: String,
    pub policy: String,
    pub param_ref: Option<ParamRef>,
    pub resources: Option<MatchResources>,
    pub actions: Vec<ValidationAction>,
}

#[derive(Debug, Clone)]
pub struct ParamRef {
    pub name: Option<String>,
    pub namespace: Option<String>,
    pub selector: Option<Selector>,
    pub deny_when_missing: bool,
}

fn name_of(doc: &Value) -> Result<String, String> {
    doc.pointer("/metadata/name")
        .and_then(Value::as_str)
        .filter(|n| !n.is_empty())
        .map(String::from)
        .ok_or_else(|| "metadata.name is missing".to_string())
}

fn list<'a>(spec: &'a Value, key: &str) -> Result<&'a [Value], String> {
    match spec.get(key) {
        None | Some(Value::Null) => Ok(&[]),
        Some(Value::Array(a)) => Ok(a),
        Some(_) => Err(format!("spec.{key} must be a list")),
    }
}

fn text<'a>(v: &'a Value, key: &str) -> Option<&'a str> {
    v.get(key).and_then(Value::as_str)
}

impl Policy {
    /// Reads and compiles a policy; `Err` names the expression at fault.
    pub fn parse(doc: &Value) -> Result<Policy, String> {
        let name = name_of(doc)?;
        let at = |e: String| format!("ValidatingAdmissionPolicy {name}: {e}");
        let spec = doc
            .get("spec")
            .filter(|s| s.is_object())
            .ok_or_else(|| at("spec is missing".into()))?;
        let fail_closed = match text(spec, "failurePolicy") {
            None | Some("Fail") => true,
            Some("Ignore") => false,
            Some(other) => return Err(at(format!("unknown failurePolicy {other:?}"))),
        };
        // `apiVersion` + `kind`; early v1alpha1 documents spelled it `group` + `version`.
        let param_kind = spec.get("paramKind").filter(|p| !p.is_null()).map(|p| {
            let api_version = match (text(p, "apiVersion"), text(p, "group"), text(p, "version")) {
                (Some(a), _, _) => a.to_string(),
                (None, Some(g), Some(v)) if !g.is_empty() => format!("{g}/{v}"),
                (None, _, v) => v.unwrap_or_default().to_string(),
            };
            (api_version, text(p, "kind").unwrap_or_default().to_string())
        });
        let constraints = spec
            .get("matchConstraints")
            .filter(|m| !m.is_null())
            .map(MatchResources::parse)
            .transpose()
            .map_err(|e| at(format!("matchConstraints: {e}")))?;
        let compile = |what: &str, v: &Value, key: &str, declared: &[String]| {
            let src = text(v, key).unwrap_or_default();
            if src.trim().is_empty() {
                return Err(at(format!("{what}: {key} is empty")));
            }
            Expression::compile(src, declared)
                .map_err(|e| at(format!("{what} {src:?} does not compile: {e}")))
        };
        let mut variables: Vec<(String, Expression)> = Vec::new();
        for v in list(spec, "variables").map_err(at)? {
            let var = text(v, "name").unwrap_or_default().to_string();
            let declared: Vec<String> = variables.iter().map(|(n, _)| n.clone()).collect();
            let mut expr = compile(&format!("variable {var}"), v, "expression", &declared)?;
            // A variable that reads one using the authorizer uses it too.
            expr.uses_authorizer |= variables
                .iter()
                .any(|(n, e)| e.uses_authorizer && expr.variables.contains(n));
            variables.push((var, expr));
        }
        let declared: Vec<String> = variables.iter().map(|(n, _)| n.clone()).collect();
        let through_vars = |mut e: Expression| {
            e.uses_authorizer |= variables
                .iter()
                .any(|(n, v)| v.uses_authorizer && e.variables.contains(n));
            e
        };
        let mut match_conditions = Vec::new();
        for m in list(spec, "matchConditions").map_err(at)? {
            let n = text(m, "name").unwrap_or_default().to_string();
            let e = compile(&format!("matchCondition {n}"), m, "expression", &declared)?;
            match_conditions.push((n, through_vars(e)));
        }
        let mut validations = Vec::new();
        for (i, v) in list(spec, "validations").map_err(at)?.iter().enumerate() {
            let expression = through_vars(compile(
                &format!("validation {i}"),
                v,
                "expression",
                &declared,
            )?);
            let message_expression = match text(v, "messageExpression") {
                Some(s) if !s.trim().is_empty() => Some(through_vars(compile(
                    &format!("validation {i} messageExpression"),
                    v,
                    "messageExpression",
                    &declared,
                )?)),
                _ => None,
            };
            validations.push(Validation {
                expression,
                message: text(v, "message").map(String::from),
                message_expression,
                reason: text(v, "reason").map(String::from),
            });
        }
        let mut audit_annotations = Vec::new();
        for a in list(spec, "auditAnnotations").map_err(at)? {
            let key = text(a, "key").unwrap_or_default().to_string();
            let e = compile(
                &format!("auditAnnotation {key}"),
                a,
                "valueExpression",
                &declared,
            )?;
            audit_annotations.push((key, through_vars(e)));
        }
        if validations.is_empty() && audit_annotations.is_empty() {
            return Err(at("needs validations or auditAnnotations".to_string()));
        }
        Ok(Policy {
            name,
            fail_closed,
            param_kind,
            constraints,
            match_conditions,
            variables,
            validations,
            audit_annotations,
        })
    }
}

impl Binding {
    pub fn parse(doc: &Value) -> Result<Binding, String> {
        let name = name_of(doc)?;
        let at = |e: String| format!("ValidatingAdmissionPolicyBinding {name}: {e}");
        let spec = doc
            .get("spec")
            .filter(|s| s.is_object())
            .ok_or_else(|| at("spec is missing".into()))?;
        let policy = text(spec, "policyName")
            .filter(|p| !p.is_empty())
            .ok_or_else(|| at("spec.policyName is missing".into()))?
            .to_string();
        let param_ref = match spec.get("paramRef").filter(|p| !p.is_null()) {
            None => None,
            Some(p) => Some(ParamRef {
                name: text(p, "name").filter(|s| !s.is_empty()).map(String::from),
                namespace: text(p, "namespace")
                    .filter(|s| !s.is_empty())
                    .map(String::from),
                selector: p
                    .get("selector")
                    .filter(|s| !s.is_null())
                    .map(|s| Selector::parse(Some(s)))
                    .transpose()
                    .map_err(|e| at(format!("paramRef.selector: {e}")))?,
                deny_when_missing: text(p, "parameterNotFoundAction") == Some("Deny"),
            }),
        };
        let resources = spec
            .get("matchResources")
            .filter(|m| !m.is_null())
            .map(MatchResources::parse)
            .transpose()
            .map_err(|e| at(format!("matchResources: {e}")))?;
        let mut actions = Vec::new();
        for a in list(spec, "validationActions").map_err(at)? {
            actions.push(match a.as_str() {
                Some("Deny") => ValidationAction::Deny,
                Some("Warn") => ValidationAction::Warn,
                Some("Audit") => ValidationAction::Audit,
                _ => return Err(at(format!("unknown validationAction {a}"))),
            });
        }
        Ok(Binding {
            name,
            policy,
            param_ref,
            resources,
            actions,
        })
    }
}
