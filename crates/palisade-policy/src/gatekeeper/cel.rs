//! The `K8sNativeValidation` code of a ConstraintTemplate: CEL evaluated the way Gatekeeper
//! evaluates it (ValidatingAdmissionPolicy semantics), with `variables.params` (the
//! constraint's parameters) and `variables.anyObject` (the object, or `oldObject` on DELETE)
//! injected before the template's own variables.
//!
//! CEL is `cel` through `kube-cel`, which adds the Kubernetes libraries (strings, lists, sets,
//! regex, quantity, semver, IP/CIDR, URLs, format).

use kube_cel::cel::{self, Context, Program, Value};
use kube_cel::KubeCelExt;
use serde_json::Value as Json;
use std::collections::HashMap;

/// Compiled CEL code of one template.
#[derive(Debug)]
pub struct CelCode {
    match_conditions: Vec<(String, Program)>,
    variables: Vec<(String, Program)>,
    validations: Vec<Validation>,
}

#[derive(Debug)]
struct Validation {
    source: String,
    expression: Program,
    message: Option<String>,
    message_expression: Option<Program>,
}

/// What a CEL evaluation gave: the messages of failed validations, or why it could not run.
pub type CelVerdict = Result<Vec<String>, String>;

impl CelCode {
    /// Compiles `code[].source` of the `K8sNativeValidation` engine; `Err` names the
    /// expression that does not parse.
    pub fn compile(source: &Json) -> Result<CelCode, String> {
        let list = |key: &str| {
            source
                .get(key)
                .and_then(Json::as_array)
                .cloned()
                .unwrap_or_default()
        };
        let named = |items: Vec<Json>, what: &str| -> Result<Vec<(String, Program)>, String> {
            items
                .iter()
                .map(|v| {
                    let name = v.get("name").and_then(Json::as_str).unwrap_or_default();
                    let expr = v
                        .get("expression")
                        .and_then(Json::as_str)
                        .unwrap_or_default();
                    compile(expr)
                        .map(|p| (name.to_string(), p))
                        .map_err(|e| format!("{what} {name}: {e}"))
                })
                .collect()
        };
        let match_conditions = named(list("matchConditions"), "matchCondition")?;
        let variables = named(list("variables"), "variable")?;
        let mut validations = Vec::new();
        for (i, v) in list("validations").iter().enumerate() {
            let expr = v
                .get("expression")
                .and_then(Json::as_str)
                .unwrap_or_default();
            let expression = compile(expr).map_err(|e| format!("validation {i}: {e}"))?;
            let message_expression = v
                .get("messageExpression")
                .and_then(Json::as_str)
                .map(compile)
                .transpose()
                .map_err(|e| format!("validation {i} messageExpression: {e}"))?;
            validations.push(Validation {
                source: expr.trim().to_string(),
                expression,
                message: v.get("message").and_then(Json::as_str).map(String::from),
                message_expression,
            });
        }
        Ok(CelCode {
            match_conditions,
            variables,
            validations,
        })
    }

    /// Evaluates against an AdmissionRequest (`request`) with the constraint's `params`.
    pub fn evaluate(&self, request: &Json, params: &Json) -> CelVerdict {
        let object = request.get("object").filter(|o| !o.is_null());
        let old = request.get("oldObject").filter(|o| !o.is_null());
        let delete = request.get("operation").and_then(Json::as_str) == Some("DELETE");
        let any_object = if delete {
            old.or(object)
        } else {
            object.or(old)
        };
        let mut ctx = Context::default().with_all();
        // CEL's `dyn()` only tells the type checker to look away; the `cel` crate does not
        // define it, and it returns its argument.
        ctx.add_function::<(Value,), _>("dyn", dyn_identity);
        let to = |v: Option<&Json>| to_cel(v.unwrap_or(&Json::Null));
        ctx.add_variable_from_value("request", to(Some(request))?);
        ctx.add_variable_from_value("object", to(object)?);
        ctx.add_variable_from_value("oldObject", to(old)?);
        ctx.add_variable_from_value("params", to(Some(params))?);
        // Variables are lazy in the API server: one that fails only matters when used. A
        // failed one is left out, so a use of it fails with "no such key" and one that is
        // never used costs nothing.
        let mut vars: HashMap<String, Value> = HashMap::new();
        vars.insert("params".into(), to(Some(params))?);
        vars.insert("anyObject".into(), to(any_object)?);
        let mut failed_vars: Vec<String> = Vec::new();
        for (name, program) in &self.variables {
            ctx.add_variable_from_value("variables", Value::from(vars.clone()));
            match program.execute(&ctx) {
                Ok(v) => {
                    vars.insert(name.clone(), v);
                }
                Err(e) => failed_vars.push(format!("variables.{name}: {e}")),
            }
        }
        // An error names the variables that could not be computed: usually the cause.
        let because = |e: String| {
            if failed_vars.is_empty() {
                e
            } else {
                format!("{e} ({})", failed_vars.join("; "))
            }
        };
        ctx.add_variable_from_value("variables", Value::from(vars));
        for (name, program) in &self.match_conditions {
            match program.execute(&ctx) {
                Ok(Value::Bool(true)) => {}
                Ok(Value::Bool(false)) => return Ok(Vec::new()),
                Ok(other) => {
                    return Err(format!("matchCondition {name}: not a boolean: {other:?}"))
                }
                Err(e) => return Err(because(format!("matchCondition {name}: {e}"))),
            }
        }
        let mut failed = Vec::new();
        for v in &self.validations {
            match v.expression.execute(&ctx) {
                Ok(Value::Bool(true)) => {}
                Ok(Value::Bool(false)) => failed.push(v.message(&ctx)),
                Ok(other) => return Err(format!("{}: not a boolean: {other:?}", v.source)),
                Err(e) => return Err(because(format!("{}: {e}", v.source))),
            }
        }
        Ok(failed)
    }
}

impl Validation {
    /// `messageExpression` when it gives a string, else `message`, else the API server's
    /// default text.
    fn message(&self, ctx: &Context) -> String {
        if let Some(Ok(Value::String(s))) = self.message_expression.as_ref().map(|p| p.execute(ctx))
        {
            return s.to_string();
        }
        self.message
            .clone()
            .unwrap_or_else(|| format!("failed expression: {}", self.source))
    }
}

fn dyn_identity(v: Value) -> cel::ResolveResult {
    Ok(v)
}

fn compile(expr: &str) -> Result<Program, String> {
    let expr = three_argument_map(expr);
    Program::compile(&expr).map_err(|e| {
        let text = e.to_string();
        text.lines().next().unwrap_or("does not parse").to_string()
    })
}

/// `l.map(x, p, t)` — the filtering form of `map` that Kubernetes' CEL has and the `cel` crate
/// lacks — rewritten as the equivalent `l.filter(x, p).map(x, t)`, innermost first. Strings
/// and brackets are respected; anything this does not recognise is left as written (and then
/// fails to evaluate with the crate's own error, never with a wrong value).
fn three_argument_map(expr: &str) -> String {
    let mut out = String::with_capacity(expr.len());
    let mut rest = expr;
    while let Some(at) = rest.find(".map(") {
        out.push_str(&rest[..at]);
        let args_start = at + ".map(".len();
        match split_args(&rest[args_start..]) {
            Some((args, len)) if args.len() == 3 => {
                let [v, p, t] =
                    [&args[0], &args[1], &args[2]].map(|a| three_argument_map(a.trim()));
                out.push_str(&format!(".filter({v}, {p}).map({v}, {t})"));
                rest = &rest[args_start + len + 1..];
            }
            _ => {
                out.push_str(".map(");
                rest = &rest[args_start..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// Arguments of a call whose `(` was just passed, and the length up to the closing `)`.
fn split_args(s: &str) -> Option<(Vec<String>, usize)> {
    let bytes = s.as_bytes();
    let (mut depth, mut start, mut args) = (0usize, 0usize, Vec::new());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'"' | b'\'' => i = crate::text::quoted_end(bytes, i)?,
            b'(' | b'[' | b'{' => depth += 1,
            b')' if depth == 0 => {
                args.push(s[start..i].to_string());
                return Some((args, i));
            }
            b')' | b']' | b'}' => depth = depth.checked_sub(1)?,
            b',' if depth == 0 => {
                args.push(s[start..i].to_string());
                start = i + 1;
            }
            _ => {}
        }
        i += 1;
    }
    None
}

fn to_cel(v: &Json) -> Result<Value, String> {
    cel::to_value(v).map_err(|e| format!("value not representable in CEL: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn filtering_map_becomes_filter_then_map() {
        assert_eq!(
            three_argument_map("l.map(c, c.a > 1, [c.name, x.map(y, y + 1)])"),
            "l.filter(c, c.a > 1).map(c, [c.name, x.map(y, y + 1)])"
        );
        assert_eq!(
            three_argument_map("l.map(c, \"a,b\" in c, c.map(d, true, d))"),
            "l.filter(c, \"a,b\" in c).map(c, c.filter(d, true).map(d, d))"
        );
        let code = CelCode::compile(&json!({"validations": [
            {"expression": "[1, 2, 3].map(x, x > 1, x * 10) == [20, 30]"}]}))
        .unwrap();
        assert_eq!(
            code.evaluate(&json!({"object": {}}), &json!(null)),
            Ok(vec![])
        );
    }

    #[test]
    fn variables_validations_and_messages() {
        let code = CelCode::compile(&json!({
            "variables": [
                {"name": "host", "expression": "has(variables.anyObject.spec.hostPID) ? variables.anyObject.spec.hostPID : false"},
                {"name": "broken", "expression": "variables.anyObject.nothing.here"}],
            "validations": [
                {"expression": "!variables.host", "messageExpression": "\"host PID: \" + variables.anyObject.metadata.name"},
                {"expression": "variables.params.max >= 1", "message": "max too small"}]
        }))
        .unwrap();
        let req = |pid: bool| json!({"operation": "CREATE", "object": {"metadata": {"name": "p"}, "spec": {"hostPID": pid}}});
        assert_eq!(code.evaluate(&req(false), &json!({"max": 2})), Ok(vec![]));
        assert_eq!(
            code.evaluate(&req(true), &json!({"max": 0})),
            Ok(vec!["host PID: p".to_string(), "max too small".to_string()])
        );
        let uses_broken = CelCode::compile(&json!({
            "variables": [{"name": "broken", "expression": "variables.anyObject.nothing.here"}],
            "validations": [{"expression": "variables.broken == 1"}]
        }))
        .unwrap();
        assert!(uses_broken.evaluate(&req(false), &json!({})).is_err());
    }
}
