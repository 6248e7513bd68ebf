//! One ValidatingPolicy (and each autogen copy) on one resource, as Kyverno's vpol engine
//! (`pkg/cel/policies/vpol/engine`, `compiler/policy.go`) decides it: the copy's match
//! constraints, then match conditions (false: skip), then validations in order — the first
//! that errs or is false decides.

use super::mocks::{self, Mocks};
use super::{libs, Compiled, ValidatingPolicy};
use crate::vap::cel::{self, Expression};
use crate::vap::matching::Leniency;
use crate::vap::request::{self, Reading};
use crate::vap::VapRequest;
use kube_cel::cel::{Context, Value};
use serde_json::{json, Value as Json};
use std::collections::HashMap;
use std::sync::Arc;

/// What a resource is checked as.
#[derive(Debug, Clone, Copy)]
pub struct Input<'a> {
    pub resource: &'a Json,
    /// `CREATE`, `UPDATE` or `DELETE`.
    pub operation: &'a str,
    /// `request.userInfo`.
    pub user_info: &'a Json,
    /// The resource's Namespace when known (the CLI's values file); otherwise matching sees
    /// only its `kubernetes.io/metadata.name` label and `namespaceObject` is null.
    pub namespace: Option<&'a Json>,
    /// A Kyverno CLI test's mock cluster (`context:` file): `resource.Get` / `List` and
    /// `image.GetMetadata` read it. `None` (scans): they are errors, not available offline.
    pub mocks: Option<&'a Arc<Mocks>>,
}

/// Kyverno's result for one copy of the policy that matched.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    Pass,
    Fail(String),
    /// A match condition was false: "skip".
    Skip(String),
    Error(String),
}

/// Results of the copies a resource matched, plus whether some copy that did not match has
/// a selector (the CLI then drops the empty result).
impl ValidatingPolicy {
    pub fn evaluate(&self, input: &Input<'_>) -> Vec<Verdict> {
        let ns = input
            .resource
            .pointer("/metadata/namespace")
            .and_then(Json::as_str)
            .unwrap_or("");
        if self.namespace.as_deref().is_some_and(|p| p != ns) {
            return Vec::new();
        }
        self.variants
            .iter()
            .filter_map(|c| c.evaluate(input, self.namespace.as_deref()))
            .collect()
    }

    /// Whether the policy as written has a namespace or object selector with terms.
    pub fn has_selector(&self) -> bool {
        self.variants.first().is_some_and(|c| c.has_selector)
    }
}

impl Compiled {
    /// `None` when the match constraints do not select the resource. `policy_ns` is a
    /// NamespacedValidatingPolicy's namespace (its `resource.*` calls read that one).
    fn evaluate(&self, input: &Input<'_>, policy_ns: Option<&str>) -> Option<Verdict> {
        let (op, object, old) = match input.operation {
            "UPDATE" => ("UPDATE", Some(input.resource), Some(input.resource)),
            "DELETE" => ("DELETE", None, Some(input.resource)),
            _ => ("CREATE", Some(input.resource), None),
        };
        let req = VapRequest {
            operation: op,
            object,
            old_object: old,
            namespace_object: input.namespace,
            user_info: Some(input.user_info),
            dry_run: false,
            sub_resource: None,
            objects: &[],
        };
        let mut ctx = cel::context();
        libs::register(&mut ctx);
        if let Some(m) = input.mocks {
            mocks::register(&mut ctx, m, policy_ns);
        }
        ctx.add_variable_from_value(
            "exceptions",
            cel::to_cel(&json!({"allowedImages": [], "allowedValues": []})),
        );
        if self.json_mode {
            ctx.add_variable_from_value("object", cel::to_cel(input.resource));
            for v in ["oldObject", "request", "namespaceObject"] {
                ctx.add_variable_from_value(v, Value::Null);
            }
        } else {
            let attrs = request::attributes(&req, Reading::KyvernoCli)?;
            if !self
                .constraints
                .as_ref()
                .is_some_and(|c| c.matches(&attrs, Leniency::default()))
            {
                return None;
            }
            let inputs = request::inputs(&req, &attrs);
            ctx.add_variable_from_value("object", inputs.object);
            ctx.add_variable_from_value("oldObject", inputs.old_object);
            ctx.add_variable_from_value("request", inputs.request);
            let ns = input.namespace.map_or(Value::Null, cel::to_cel);
            ctx.add_variable_from_value("namespaceObject", ns);
        }
        let mut scope = Scope {
            failed: HashMap::new(),
            mocked: input.mocks.is_some(),
        };
        Some(self.run(&mut ctx, &mut scope))
    }

    fn run(&self, ctx: &mut Context<'_>, scope: &mut Scope) -> Verdict {
        // Match conditions: a false one skips; errors fail the policy (or skip it under
        // failurePolicy Ignore) when none is false.
        let mut errors = Vec::new();
        for (name, expr) in &self.match_conditions {
            match run(expr, ctx, scope) {
                Ok(Value::Bool(true)) => {}
                Ok(Value::Bool(false)) => return Verdict::Skip("skip".to_string()),
                Ok(other) => errors.push(format!(
                    "matchCondition {name}: expected bool, got {}",
                    cel::type_name(&other)
                )),
                Err(e) => errors.push(format!("matchCondition {name}: {e}")),
            }
        }
        if !errors.is_empty() {
            return if self.fail_closed {
                Verdict::Error(format!("failed to load context: {}", errors.join("; ")))
            } else {
                Verdict::Skip("skip".to_string())
            };
        }
        // Variables are lazy in Kyverno: one that fails matters only where it is read.
        let mut vars: HashMap<String, Value> = HashMap::new();
        for (name, expr) in &self.variables {
            ctx.add_variable_from_value("variables", Value::from(vars.clone()));
            match run(expr, ctx, scope) {
                Ok(v) => {
                    vars.insert(name.clone(), v);
                }
                Err(e) => {
                    scope.failed.insert(name.clone(), e);
                }
            }
        }
        ctx.add_variable_from_value("variables", Value::from(vars));
        for (index, v) in self.validations.iter().enumerate() {
            match run(&v.expression, ctx, scope) {
                Ok(Value::Bool(true)) => {}
                Ok(Value::Bool(false)) => {
                    if let Err(e) = self.annotations(ctx, scope) {
                        return Verdict::Error(format!("error: {e}"));
                    }
                    return Verdict::Fail(message(v, index, ctx, scope));
                }
                Ok(other) => {
                    return Verdict::Error(format!(
                        "error: expression '{}' must return bool, got {}",
                        v.expression.source,
                        cel::type_name(&other)
                    ))
                }
                Err(e) => return Verdict::Error(format!("error: {e}")),
            }
        }
        match self.annotations(ctx, scope) {
            Ok(()) => Verdict::Pass,
            Err(e) => Verdict::Error(format!("failed to load context: {e}")),
        }
    }

    /// Audit annotations are evaluated for their errors only: the CLI reports no values.
    fn annotations(&self, ctx: &Context<'_>, scope: &Scope) -> Result<(), String> {
        for (key, expr) in &self.audit_annotations {
            match run(expr, ctx, scope) {
                Ok(Value::String(_)) | Ok(Value::Null) => {}
                Ok(_) => {
                    return Err(format!(
                        "failed to convert auditAnnotation '{key}' expression"
                    ))
                }
                Err(e) => return Err(format!("failed to evaluate auditAnnotation '{key}': {e}")),
            }
        }
        Ok(())
    }
}

/// What an evaluation carries from one expression to the next.
struct Scope {
    /// Variables that failed, with why: an expression reading one fails with that error.
    failed: HashMap<String, String>,
    /// The offline functions are defined by a test's mocks: errors are the expression's own.
    mocked: bool,
}

/// Evaluates, blaming a failed variable the expression reads when there is one.
fn run(expr: &Expression, ctx: &Context<'_>, scope: &Scope) -> Result<Value, String> {
    let result = if scope.mocked {
        expr.eval_offline_defined(ctx)
    } else {
        expr.eval(ctx)
    };
    result.map_err(|e| {
        expr.variables
            .iter()
            .find_map(|v| scope.failed.get(v).cloned())
            .unwrap_or(e)
    })
}

/// Kyverno's failure message: `messageExpression` (or why it could not be evaluated), else
/// `message`, else `CEL expression validation failed at index N`.
fn message(v: &super::Validation, index: usize, ctx: &Context<'_>, scope: &Scope) -> String {
    let mut msg = v.message.clone();
    if let Some(m) = &v.message_expression {
        msg = match run(m, ctx, scope) {
            Ok(Value::String(s)) => s.to_string(),
            Ok(other) => format!(
                "failed to convert message expression to string: got {}",
                cel::type_name(&other)
            ),
            Err(e) => format!("failed to evaluate message expression: {e}"),
        };
    }
    if msg.is_empty() {
        msg = format!("CEL expression validation failed at index {index}");
    }
    msg
}
