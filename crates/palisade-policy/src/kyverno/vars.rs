//! `{{ … }}` variables: JMESPath over the rule's context, substituted into every string of a
//! pattern, condition or message as Kyverno's `variables.SubstituteAll` does.

use super::jmes;
use regex::Regex;
use serde_json::Value;
use std::sync::LazyLock;

static VARIABLE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(^|[^\\])(\{\{(?:\{[^{}]*\}|[^{}])*\}\})").expect("static regex")
});

/// Why a variable could not be substituted.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum VarError {
    /// The variable names a key the context does not have (Kyverno's `NotFoundError`).
    #[error("variable substitution failed: {0}")]
    NotFound(String),
    #[error("failed to resolve {variable}: {message}")]
    Other { variable: String, message: String },
}

/// Rounds of nested substitution (`{{ {{a}} }}`) before giving up: a value that keeps
/// producing variables would otherwise loop.
const MAX_ROUNDS: usize = 16;

/// Substitutes every variable in every string of `doc` (keys are left alone).
pub fn substitute(doc: &Value, ctx: &Value) -> Result<Value, VarError> {
    Ok(match doc {
        Value::String(s) => substitute_str(s, ctx)?,
        Value::Array(items) => Value::Array(
            items
                .iter()
                .map(|v| substitute(v, ctx))
                .collect::<Result<_, _>>()?,
        ),
        Value::Object(map) => Value::Object(
            map.iter()
                .map(|(k, v)| Ok((k.clone(), substitute(v, ctx)?)))
                .collect::<Result<_, VarError>>()?,
        ),
        other => other.clone(),
    })
}

/// Whether the text holds a variable at all (most pattern strings do not; they are kept as
/// they are without a copy).
pub fn has_variables(s: &str) -> bool {
    s.contains("{{") && VARIABLE.is_match(s)
}

fn substitute_str(s: &str, ctx: &Value) -> Result<Value, VarError> {
    if !has_variables(s) {
        return Ok(Value::String(s.replace("\\{{", "{{")));
    }
    let delete = ctx
        .pointer("/request/operation")
        .and_then(Value::as_str)
        .is_some_and(|op| op == "DELETE");
    let mut value = s.to_string();
    for _ in 0..MAX_ROUNDS {
        let Some(caps) = VARIABLE.captures(&value) else {
            break;
        };
        let Some(whole) = caps.get(2) else { break };
        let raw = whole.as_str();
        let inner = raw.trim_start_matches("{{").trim_end_matches("}}").trim();
        let (mut variable, shallow) = match inner.strip_prefix('-') {
            Some(rest) => (rest.trim().to_string(), true),
            None => (inner.to_string(), false),
        };
        if delete {
            variable = variable.replace("request.object", "request.oldObject");
        }
        let resolved = jmes::search(&variable, ctx).map_err(|e| match e {
            jmes::JmesError::NotFound(_) => VarError::NotFound(format!("{e} ({variable})")),
            other => VarError::Other {
                variable: variable.clone(),
                message: other.to_string(),
            },
        })?;
        if value == raw {
            return Ok(resolved);
        }
        let text = match &resolved {
            Value::String(s) if shallow => s.replace("{{", "\\{{"),
            Value::String(s) => s.clone(),
            other => other.to_string(),
        };
        value.replace_range(whole.range(), &text);
        if shallow {
            break;
        }
    }
    Ok(Value::String(value.replace("\\{{", "{{")))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn whole_string_variables_keep_their_type() {
        let ctx = json!({"request": {"object": {"spec": {"replicas": 3, "containers": [{"name": "a"}]}}}});
        assert_eq!(
            substitute(&json!("{{ request.object.spec.replicas }}"), &ctx),
            Ok(json!(3))
        );
        assert_eq!(
            substitute(&json!("n={{request.object.spec.replicas}}"), &ctx),
            Ok(json!("n=3"))
        );
        assert_eq!(
            substitute(&json!("{{ request.object.spec.containers[].name }}"), &ctx),
            Ok(json!(["a"]))
        );
        assert!(matches!(
            substitute(&json!("{{ request.object.spec.missing.x }}"), &ctx),
            Err(VarError::NotFound(_))
        ));
        assert_eq!(
            substitute(&json!("plain \\{{x}}"), &ctx),
            Ok(json!("plain {{x}}"))
        );
    }
}
