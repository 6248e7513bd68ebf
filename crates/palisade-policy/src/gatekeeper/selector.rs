//! Kubernetes label selectors (`matchLabels`, `matchExpressions`).

use serde_json::Value;

#[derive(Debug, Clone, Default)]
pub struct Selector {
    labels: Vec<(String, String)>,
    expressions: Vec<Expression>,
}

#[derive(Debug, Clone)]
struct Expression {
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
    pub fn parse(v: &Value) -> Result<Selector, String> {
        let mut sel = Selector::default();
        if let Some(map) = v.get("matchLabels").and_then(Value::as_object) {
            for (k, val) in map {
                sel.labels.push((k.clone(), scalar(val)));
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
                other => return Err(format!("unknown selector operator {other:?}")),
            };
            let values = e
                .get("values")
                .and_then(Value::as_array)
                .map(|a| a.iter().map(scalar).collect())
                .unwrap_or_default();
            sel.expressions.push(Expression {
                key: key.to_string(),
                op,
                values,
            });
        }
        Ok(sel)
    }

    /// Whether labels (a JSON object, or none) satisfy every requirement.
    pub fn matches(&self, labels: Option<&Value>) -> bool {
        let get = |k: &str| labels.and_then(|l| l.get(k)).map(scalar);
        self.labels
            .iter()
            .all(|(k, v)| get(k).as_deref() == Some(v.as_str()))
            && self.expressions.iter().all(|e| match e.op {
                Op::In => get(&e.key).is_some_and(|v| e.values.contains(&v)),
                Op::NotIn => get(&e.key).is_none_or(|v| !e.values.contains(&v)),
                Op::Exists => get(&e.key).is_some(),
                Op::DoesNotExist => get(&e.key).is_none(),
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
        let sel = Selector::parse(&json!({
            "matchLabels": {"app": "web"},
            "matchExpressions": [
                {"key": "tier", "operator": "In", "values": ["a", "b"]},
                {"key": "legacy", "operator": "DoesNotExist"}]
        }))
        .unwrap();
        assert!(sel.matches(Some(&json!({"app": "web", "tier": "a"}))));
        assert!(!sel.matches(Some(&json!({"app": "web", "tier": "c"}))));
        assert!(!sel.matches(Some(&json!({"app": "web", "tier": "a", "legacy": "1"}))));
        assert!(!sel.matches(None));
        assert!(Selector::parse(&json!({})).unwrap().matches(None));
    }
}
