//! Kubernetes label selectors (`matchLabels`, `matchExpressions`) as `metav1.LabelSelector`
//! defines them: an absent or empty selector selects everything.

use serde_json::Value;

#[derive(Debug, Clone, Default)]
pub struct Selector {
    requirements: Vec<Requirement>,
}

#[derive(Debug, Clone)]
struct Requirement {
    key: String,
    op: Op,
    values: Vec<String>,
}

#[derive(Debug, Clone, Copy)]
enum Op {
    In,
    NotIn,
    Exists,
    DoesNotExist,
}

impl Selector {
    /// Parses a `LabelSelector`; `None` (or JSON null) selects everything.
    pub fn parse(v: Option<&Value>) -> Result<Selector, String> {
        let mut requirements = Vec::new();
        let Some(v) = v.filter(|v| !v.is_null()) else {
            return Ok(Selector { requirements });
        };
        if !v.is_object() {
            return Err("a label selector must be an object".to_string());
        }
        if let Some(map) = v.get("matchLabels").and_then(Value::as_object) {
            for (k, val) in map {
                requirements.push(Requirement {
                    key: k.clone(),
                    op: Op::In,
                    values: vec![scalar(val)],
                });
            }
        }
        for e in v
            .get("matchExpressions")
            .and_then(Value::as_array)
            .map(Vec::as_slice)
            .unwrap_or_default()
        {
            let key = e.get("key").and_then(Value::as_str).unwrap_or_default();
            let op = match e
                .get("operator")
                .and_then(Value::as_str)
                .unwrap_or_default()
            {
                "In" => Op::In,
                "NotIn" => Op::NotIn,
                "Exists" => Op::Exists,
                "DoesNotExist" => Op::DoesNotExist,
                other => return Err(format!("unknown label selector operator {other:?}")),
            };
            let values: Vec<String> = e
                .get("values")
                .and_then(Value::as_array)
                .map(|a| a.iter().map(scalar).collect())
                .unwrap_or_default();
            if matches!(op, Op::In | Op::NotIn) && values.is_empty() {
                return Err(format!("label selector operator {op:?} needs values"));
            }
            requirements.push(Requirement {
                key: key.to_string(),
                op,
                values,
            });
        }
        Ok(Selector { requirements })
    }

    pub fn is_empty(&self) -> bool {
        self.requirements.is_empty()
    }

    /// Whether labels (a JSON object, or none) satisfy every requirement.
    pub fn matches(&self, labels: Option<&Value>) -> bool {
        let get = |k: &str| labels.and_then(|l| l.get(k)).map(scalar);
        self.requirements.iter().all(|r| match r.op {
            Op::In => get(&r.key).is_some_and(|v| r.values.contains(&v)),
            Op::NotIn => get(&r.key).is_none_or(|v| !r.values.contains(&v)),
            Op::Exists => get(&r.key).is_some(),
            Op::DoesNotExist => get(&r.key).is_none(),
        })
    }
}

/// Label values are strings; a YAML `true` or `1` written unquoted still compares as text.
fn scalar(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn labels_and_expressions() {
        let sel = Selector::parse(Some(&json!({
            "matchLabels": {"app": "web"},
            "matchExpressions": [
                {"key": "tier", "operator": "In", "values": ["a", "b"]},
                {"key": "env", "operator": "NotIn", "values": ["prod"]},
                {"key": "legacy", "operator": "DoesNotExist"}]
        })))
        .unwrap();
        assert!(sel.matches(Some(&json!({"app": "web", "tier": "a"}))));
        assert!(!sel.matches(Some(&json!({"app": "web", "tier": "a", "env": "prod"}))));
        assert!(!sel.matches(Some(&json!({"app": "web", "tier": "c"}))));
        assert!(!sel.matches(Some(&json!({"app": "web", "tier": "a", "legacy": "1"}))));
        assert!(!sel.matches(None));
        assert!(Selector::parse(None).unwrap().matches(None));
        assert!(Selector::parse(Some(
            &json!({"matchExpressions": [{"key": "a", "operator": "Near"}]})
        ))
        .is_err());
    }
}
