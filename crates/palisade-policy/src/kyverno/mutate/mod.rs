//! Kyverno `mutate` rules (`pkg/engine/handlers/mutation`, `pkg/engine/mutate`): each rule
//! that applies patches the result of the previous one with `patchStrategicMerge` or
//! `patchesJson6902`, directly or per element of a `foreach`. Mutation of existing resources
//! (`mutate.targets`) needs the cluster and is reported as an error.

mod json6902;
mod strategic;

use super::rule::{self, Status};
use super::{matching, vars, Kyverno, Request};
use serde_json::{Map, Value};

/// One mutate rule's outcome.
#[derive(Debug, Clone)]
pub struct Applied {
    pub policy: String,
    pub rule: String,
    /// `Pass`: the rule patched the resource; `Skip`: preconditions failed or nothing
    /// changed; `Error`: the rule could not be applied.
    pub status: Status,
    pub message: String,
}

/// The resource after every applicable mutate rule, and what each rule did.
#[derive(Debug, Clone)]
pub struct MutateOutcome {
    pub patched: Value,
    pub applied: Vec<Applied>,
}

/// Deepest `foreach` nesting followed.
const MAX_NESTING: usize = 8;

impl Kyverno {
    /// Applies every mutate rule of every policy that matches `resource`, in order.
    pub fn mutate(&self, resource: &Value, req: &Request<'_>) -> MutateOutcome {
        self.mutate_with(resource, req, |_, _| None)
    }

    /// As [`Kyverno::mutate`], with extra context values per (policy, rule) (the Kyverno
    /// CLI's values file).
    pub fn mutate_with<'v>(
        &self,
        resource: &Value,
        req: &Request<'_>,
        rule_values: impl Fn(&str, &str) -> Option<&'v Map<String, Value>>,
    ) -> MutateOutcome {
        let operation = req.operation();
        let user_info = req.user_info();
        let mut patched = resource.clone();
        let mut applied = Vec::new();
        // Kyverno does not mutate deletions.
        if operation == "DELETE" {
            return MutateOutcome { patched, applied };
        }
        for p in &self.policies {
            for r in &p.rules {
                let Some(m) = r.get("mutate") else { continue };
                let subject =
                    matching::Subject::of(&patched, operation, req.namespace_labels, &req.info);
                if !matching::applies(r, p.namespace.as_deref(), &subject) {
                    continue;
                }
                let rule_name = r.get("name").and_then(Value::as_str).unwrap_or("");
                let mut ctx = rule::context_for(
                    &patched,
                    operation,
                    &user_info,
                    subject.namespace,
                    req.values,
                );
                if let Some(extra) = rule_values(&p.name, rule_name) {
                    rule::set_values(&mut ctx, extra);
                }
                let (status, message) = match run_rule(r, m, &mut ctx, &patched) {
                    Ok(Some(next)) if next != patched => {
                        patched = next;
                        (Status::Pass, "resource patched".to_string())
                    }
                    Ok(Some(_)) => (Status::Skip, "no patches applied".to_string()),
                    Ok(None) => (Status::Skip, "preconditions not met".to_string()),
                    Err(e) => (Status::Error, e),
                };
                applied.push(Applied {
                    policy: p.name.clone(),
                    rule: rule_name.to_string(),
                    status,
                    message,
                });
            }
        }
        MutateOutcome { patched, applied }
    }
}

/// The patched resource; `None` when the preconditions do not hold.
fn run_rule(
    r: &Value,
    m: &Value,
    ctx: &mut Value,
    resource: &Value,
) -> Result<Option<Value>, String> {
    rule::load_context(r.get("context"), ctx)
        .map_err(|e| format!("failed to load context: {e}"))?;
    if !preconditions(r.get("preconditions"), ctx)? {
        return Ok(None);
    }
    if m.get("targets").is_some() {
        return Err("mutate.targets (mutating existing resources) needs the cluster".into());
    }
    if let Some(list) = m.get("foreach").and_then(Value::as_array) {
        return foreach(list, ctx, resource, 0).map(Some);
    }
    patch(m, ctx, resource).map(Some)
}

fn preconditions(conds: Option<&Value>, ctx: &Value) -> Result<bool, String> {
    rule::check_conditions(conds, ctx)
        .map(|(ok, _)| ok)
        .map_err(|e| format!("failed to evaluate preconditions: {e}"))
}

/// One `patchStrategicMerge` or `patchesJson6902` (the first wins, as in Kyverno's
/// `NewPatcher`), variables substituted first.
fn patch(m: &Value, ctx: &Value, resource: &Value) -> Result<Value, String> {
    let subst = |v: &Value| {
        vars::substitute(&substitute_keys(v, ctx, 0)?, ctx)
            .map_err(|e| format!("variable substitution failed: {e}"))
    };
    if let Some(overlay) = m.get("patchStrategicMerge").filter(|v| !v.is_null()) {
        let overlay = subst(overlay)?;
        return strategic::apply(resource, &overlay)
            .map_err(|e| format!("failed to patch resource: {e}"));
    }
    if let Some(text) = m.get("patchesJson6902").and_then(Value::as_str) {
        let text = match subst(&Value::String(text.to_string()))? {
            Value::String(s) => s,
            other => other.to_string(),
        };
        return json6902::apply(resource, &text)
            .map_err(|e| format!("failed to patch resource: {e}"));
    }
    Err("empty mutate rule".into())
}

/// `mutate.foreach`: each entry's list is evaluated, then its patch applied per element
/// (strategic merge in descending order by default, as Kyverno does, so that removals by
/// index stay valid), each element seeing the resource as patched so far.
fn foreach(
    list: &[Value],
    ctx: &mut Value,
    resource: &Value,
    nesting: usize,
) -> Result<Value, String> {
    if nesting >= MAX_NESTING {
        return Err("foreach nested too deeply".into());
    }
    let mut current = resource.clone();
    for fe in list {
        let expr = fe.get("list").and_then(Value::as_str).unwrap_or("");
        let elements = match vars::substitute(&Value::String(format!("{{{{{expr}}}}}")), ctx) {
            Ok(Value::Array(a)) => a,
            Ok(Value::Null) | Err(vars::VarError::NotFound(_)) => Vec::new(),
            Ok(_) => return Err(format!("failed to evaluate list {expr}: not a list")),
            Err(e) => return Err(format!("failed to evaluate list {expr}: {e}")),
        };
        let reverse = match fe.get("order").and_then(Value::as_str) {
            Some(o) => o == "Descending",
            None => fe.get("patchStrategicMerge").is_some(),
        };
        let mut order: Vec<usize> = (0..elements.len()).collect();
        if reverse {
            order.reverse();
        }
        let mut patched = current.clone();
        for index in order {
            let Some(element) = elements.get(index).filter(|e| !e.is_null()) else {
                continue;
            };
            let mut ectx = ctx.clone();
            rule::set_element(&mut ectx, element, index, nesting);
            rule::load_context(fe.get("context"), &mut ectx)
                .map_err(|e| format!("failed to load mutate.foreach[{index}].context: {e}"))?;
            if !preconditions(fe.get("preconditions"), &ectx)? {
                continue;
            }
            patched = match fe.get("foreach").and_then(Value::as_array) {
                Some(inner) => foreach(inner, &mut ectx, &patched, nesting + 1)?,
                None => patch(fe, &ectx, &patched)?,
            };
        }
        if patched != current {
            current = patched;
            if let Some(obj) = ctx.pointer_mut("/request/object") {
                *obj = current.clone();
            }
        }
    }
    Ok(current)
}

/// Kyverno substitutes the rule's JSON text, keys included (`annotations:
/// {"…/{{element.name}}": …}`); `vars::substitute` leaves keys alone, so keys are done here.
fn substitute_keys(v: &Value, ctx: &Value, depth: usize) -> Result<Value, String> {
    if depth > 64 {
        return Err("patch nested too deeply".into());
    }
    Ok(match v {
        Value::Object(m) => {
            let mut out = Map::new();
            for (k, v) in m {
                let key = if vars::has_variables(k) {
                    match vars::substitute(&Value::String(k.clone()), ctx) {
                        Ok(Value::String(s)) => s,
                        Ok(other) => other.to_string(),
                        Err(e) => return Err(format!("variable substitution failed: {e}")),
                    }
                } else {
                    k.clone()
                };
                out.insert(key, substitute_keys(v, ctx, depth + 1)?);
            }
            Value::Object(out)
        }
        Value::Array(a) => Value::Array(
            a.iter()
                .map(|e| substitute_keys(e, ctx, depth + 1))
                .collect::<Result<_, _>>()?,
        ),
        other => other.clone(),
    })
}
