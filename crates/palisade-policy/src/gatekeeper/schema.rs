//! Checks constraint parameters against the template's `openAPIV3Schema`, as the API server
//! checks a constraint against the CRD Gatekeeper generates from it.
//!
//! Hand-written because the subset a structural CRD schema uses (types, properties, items,
//! enum, required, int-or-string, nullable) is small, while a JSON Schema crate would bring a
//! second copy of one already in the tree or a draft the schemas are not written in.

use serde_json::Value;

/// Every way `value` breaks `schema`, as `path: problem`.
pub fn check(value: &Value, schema: &Value) -> Vec<String> {
    let mut problems = Vec::new();
    walk(value, schema, "spec.parameters", &mut problems);
    problems
}

fn walk(value: &Value, schema: &Value, path: &str, out: &mut Vec<String>) {
    if value.is_null() {
        return; // absent and null fields are pruned, not rejected
    }
    let int_or_string = schema
        .get("x-kubernetes-int-or-string")
        .and_then(Value::as_bool)
        .unwrap_or(false);
    if int_or_string {
        if !(value.is_string() || value.is_i64() || value.is_u64()) {
            out.push(format!("{path}: must be an integer or a string"));
        }
        return;
    }
    if let Some(t) = schema.get("type").and_then(Value::as_str) {
        let ok = match t {
            "object" => value.is_object(),
            "array" => value.is_array(),
            "string" => value.is_string(),
            "integer" => value.is_i64() || value.is_u64(),
            "number" => value.is_number(),
            "boolean" => value.is_boolean(),
            _ => true,
        };
        if !ok {
            out.push(format!(
                "{path}: must be of type {t}, not {}",
                type_name(value)
            ));
            return;
        }
    }
    if let Some(options) = schema.get("enum").and_then(Value::as_array) {
        if !options.contains(value) {
            out.push(format!(
                "{path}: must be one of {}",
                Value::Array(options.clone())
            ));
        }
    }
    match value {
        Value::Object(map) => {
            let props = schema.get("properties").and_then(Value::as_object);
            for req in schema
                .get("required")
                .and_then(Value::as_array)
                .map(Vec::as_slice)
                .unwrap_or_default()
            {
                if let Some(r) = req.as_str() {
                    if !map.contains_key(r) {
                        out.push(format!("{path}.{r}: required"));
                    }
                }
            }
            for (k, v) in map {
                let sub = props
                    .and_then(|p| p.get(k))
                    .or_else(|| schema.get("additionalProperties").filter(|a| a.is_object()));
                if let Some(sub) = sub {
                    walk(v, sub, &format!("{path}.{k}"), out);
                }
            }
        }
        Value::Array(items) => {
            if let Some(item_schema) = schema.get("items") {
                for (i, v) in items.iter().enumerate() {
                    walk(v, item_schema, &format!("{path}[{i}]"), out);
                }
            }
        }
        _ => {}
    }
}

fn type_name(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(n) if n.is_f64() => "number",
        Value::Number(_) => "integer",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

#[cfg(test)]
mod tests {
    use super::check;
    use serde_json::json;

    #[test]
    fn types_enums_and_nesting() {
        let schema = json!({"type": "object", "properties": {
            "labels": {"type": "array", "items": {"type": "object", "properties": {
                "key": {"type": "string"}}}},
            "mode": {"type": "string", "enum": ["a", "b"]},
            "limit": {"x-kubernetes-int-or-string": true}}});
        assert!(check(
            &json!({"labels": [{"key": "owner"}], "mode": "a", "limit": 3}),
            &schema
        )
        .is_empty());
        let problems = check(
            &json!({"labels": [{"key": 1}], "mode": "c", "limit": true}),
            &schema,
        );
        assert_eq!(problems.len(), 3, "{problems:?}");
        assert!(problems[0].starts_with("spec.parameters.labels[0].key: must be of type string"));
    }
}
