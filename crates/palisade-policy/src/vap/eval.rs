//! One policy, under one binding, with one param, on one request: the API server's
//! `validating.validator.Validate` (match conditions, variables, validations with their
//! messages, audit annotations), before failure policy and validation actions are applied.

use super::cel::{self, Expression};
use super::policy::Policy;
use kube_cel::cel::{Context, Value};
use serde_json::Value as Json;
use std::collections::HashMap;

/// The verdict of one validation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Decision {
    Admit,
    Deny { message: String, reason: String },
    Error { message: String },
}

/// What evaluating gave.
#[derive(Debug, Clone)]
pub enum Evaluation {
    /// A match condition was false: the policy does not apply.
    NotMatched,
    /// One decision per validation (or a single error decision when a match condition could
    /// not be evaluated), the audit annotations to publish, and the audit annotations whose
    /// value expression failed.
    Done {
        decisions: Vec<Decision>,
        annotations: Vec<(String, String)>,
        annotation_errors: Vec<String>,
    },
}

/// The CEL inputs, already converted.
pub struct Inputs {
    pub object: Value,
    pub old_object: Value,
    pub request: Value,
    pub namespace_object: Value,
}

/// Largest messageExpression result the API server keeps (`MaxEvaluatedMessageExpressionSizeBytes`).
const MAX_MESSAGE: usize = 5 * 1024;

pub fn evaluate(policy: &Policy, inputs: &Inputs, params: &Json) -> Evaluation {
    let mut ctx = cel::context();
    ctx.add_variable_from_value("object", inputs.object.clone());
    ctx.add_variable_from_value("oldObject", inputs.old_object.clone());
    ctx.add_variable_from_value("request", inputs.request.clone());
    ctx.add_variable_from_value("namespaceObject", inputs.namespace_object.clone());
    ctx.add_variable_from_value("params", cel::to_cel(params));
    // Variables are lazy in the API server: one that fails matters only where it is used.
    // Each is computed in order here; a failed one is left out and remembered, so an
    // expression that reads it fails with its error and one that does not is unaffected.
    let mut vars: HashMap<String, Value> = HashMap::new();
    let mut failed: HashMap<String, String> = HashMap::new();
    for (name, expr) in &policy.variables {
        ctx.add_variable_from_value("variables", Value::from(vars.clone()));
        match run(expr, &ctx, &failed) {
            Ok(v) => {
                vars.insert(name.clone(), v);
            }
            Err(e) => {
                failed.insert(name.clone(), format!("variables.{name}: {e}"));
            }
        }
    }
    ctx.add_variable_from_value("variables", Value::from(vars));

    for (name, expr) in &policy.match_conditions {
        let error = match run(expr, &ctx, &failed) {
            Ok(Value::Bool(true)) => continue,
            Ok(Value::Bool(false)) => return Evaluation::NotMatched,
            Ok(other) => format!(
                "matchCondition '{name}': expression '{}' must return bool, got {}",
                expr.source,
                cel::type_name(&other)
            ),
            Err(e) => format!("matchCondition '{name}': {}", failure(expr, &e)),
        };
        return Evaluation::Done {
            decisions: vec![Decision::Error { message: error }],
            annotations: Vec::new(),
            annotation_errors: Vec::new(),
        };
    }

    let decisions = policy
        .validations
        .iter()
        .map(|v| match run(&v.expression, &ctx, &failed) {
            Ok(Value::Bool(true)) => Decision::Admit,
            Ok(Value::Bool(false)) => Decision::Deny {
                message: message(v, &ctx, &failed),
                reason: v.reason.clone().unwrap_or_else(|| "Invalid".to_string()),
            },
            Ok(other) => Decision::Error {
                message: format!(
                    "expression '{}' must return bool, got {}",
                    v.expression.source,
                    cel::type_name(&other)
                ),
            },
            Err(e) => Decision::Error {
                message: failure(&v.expression, &e),
            },
        })
        .collect();

    let mut annotations = Vec::new();
    let mut annotation_errors = Vec::new();
    for (key, expr) in &policy.audit_annotations {
        match run(expr, &ctx, &failed) {
            Ok(Value::String(s)) if !s.trim().is_empty() => {
                let mut value = s.trim().to_string();
                truncate(&mut value, 10 * 1024);
                annotations.push((format!("{}/{key}", policy.name), value));
            }
            Ok(Value::String(_)) | Ok(Value::Null) => {}
            Ok(other) => annotation_errors.push(format!(
                "valueExpression '{}' resulted in unsupported return type: {}. Return type must be either string or null.",
                expr.source,
                cel::type_name(&other)
            )),
            Err(e) => annotation_errors.push(failure(expr, &e)),
        }
    }
    Evaluation::Done {
        decisions,
        annotations,
        annotation_errors,
    }
}

/// Evaluates, blaming a failed variable the expression reads when there is one.
fn run(
    expr: &Expression,
    ctx: &Context,
    failed: &HashMap<String, String>,
) -> Result<Value, String> {
    expr.eval(ctx).map_err(|e| {
        expr.variables
            .iter()
            .find_map(|v| failed.get(v).cloned())
            .unwrap_or(e)
    })
}

/// The API server's wording for an expression that could not be evaluated.
fn failure(expr: &Expression, error: &str) -> String {
    format!("expression '{}' resulted in error: {error}", expr.source)
}

/// `messageExpression` when it gives a non-blank single-line string, else `message`, else
/// the API server's default.
fn message(
    v: &super::policy::Validation,
    ctx: &Context,
    failed: &HashMap<String, String>,
) -> String {
    if let Some(Ok(Value::String(s))) = v.message_expression.as_ref().map(|m| run(m, ctx, failed)) {
        let s = s.trim();
        if !s.is_empty() && s.len() <= MAX_MESSAGE && !s.contains('\n') {
            return s.to_string();
        }
    }
    match v.message.as_deref().map(str::trim) {
        Some(m) if !m.is_empty() => m.to_string(),
        _ => format!("failed expression: {}", v.expression.source),
    }
}

fn truncate(s: &mut String, max: usize) {
    if s.len() > max {
        let mut end = max;
        while !s.is_char_boundary(end) {
            end -= 1;
        }
        s.truncate(end);
    }
}
