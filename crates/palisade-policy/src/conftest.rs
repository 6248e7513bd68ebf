//! Conftest's rule conventions: in each namespace (package), `deny`, `violation` and `warn`
//! rules with optional `_name` suffixes; `exception` rules that waive named rules.

use crate::rego::{to_json, Rego};
use crate::PolicyError;
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};

/// Which packages' rules are applied.
#[derive(Debug, Clone, PartialEq)]
pub enum Namespaces {
    /// Conftest's `--all-namespaces`.
    All,
    /// Conftest's `--namespace` (default `main`).
    Some(Vec<String>),
}

impl Default for Namespaces {
    fn default() -> Self {
        Namespaces::Some(vec!["main".to_string()])
    }
}

/// Whether a rule fails the input or warns about it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Verdict {
    Failure,
    Warning,
}

/// One result of one rule for one input.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Outcome {
    /// The package, `main` or `kubernetes.admission`.
    pub namespace: String,
    /// `deny`, `violation_no_root`, `warn_latest`.
    pub rule: String,
    pub verdict: Verdict,
    pub msg: String,
    /// The other keys of a structured result (`{"msg": …, "severity": …}`).
    #[serde(skip_serializing_if = "serde_json::Map::is_empty")]
    pub metadata: serde_json::Map<String, Value>,
}

/// The verdict a rule name carries, following Conftest's patterns.
pub fn verdict_of(rule: &str) -> Option<Verdict> {
    let (head, tail) = match rule.split_once('_') {
        Some((h, t)) => (h, Some(t)),
        None => (rule, None),
    };
    if tail
        .is_some_and(|t| t.is_empty() || !t.chars().all(|c| c.is_ascii_alphanumeric() || c == '_'))
    {
        return None;
    }
    match head {
        "deny" | "violation" => Some(Verdict::Failure),
        "warn" => Some(Verdict::Warning),
        _ => None,
    }
}

/// Evaluates the rules of the selected namespaces against `input`. Results of rules an
/// `exception` waives are left out (Conftest counts them as exceptions, not failures).
/// `rules`: package (`data.main`) → its `deny`/`violation`/`warn`/`exception` rules.
pub(crate) fn evaluate(
    rego: &mut Rego,
    rules: &BTreeMap<String, BTreeSet<String>>,
    namespaces: &Namespaces,
    input: &regorus::Value,
) -> Result<Vec<Outcome>, PolicyError> {
    let mut out = Vec::new();
    for (package, names) in rules {
        let ns = package.trim_start_matches("data.");
        let selected = match namespaces {
            Namespaces::All => true,
            Namespaces::Some(list) => list.iter().any(|n| n == ns),
        };
        if !selected {
            continue;
        }
        // Each rule on its own: evaluating the whole package would also run every helper
        // rule, and regorus leaves out some rules (those using `with`) when it does.
        let waived = if names.contains("exception") {
            let v = rego.eval_rule(&format!("{package}.exception"), input.clone())?;
            exceptions(v.map(|v| to_json(&v)).as_ref())
        } else {
            Vec::new()
        };
        for rule in names {
            let Some(verdict) = verdict_of(rule) else {
                continue;
            };
            let name = rule.split_once('_').map(|(_, t)| t).unwrap_or("");
            if !name.is_empty() && waived.iter().any(|w| w == name) {
                continue;
            }
            let Some(value) = rego.eval_rule(&format!("{package}.{rule}"), input.clone())? else {
                continue;
            };
            for (msg, metadata) in results(rule, &to_json(&value)) {
                out.push(Outcome {
                    namespace: ns.to_string(),
                    rule: rule.clone(),
                    verdict,
                    msg,
                    metadata,
                });
            }
        }
    }
    Ok(out)
}

/// `exception[rules] { …; rules := ["name"] }` gives a set of arrays of rule names.
fn exceptions(v: Option<&Value>) -> Vec<String> {
    let mut out = Vec::new();
    for item in v
        .and_then(Value::as_array)
        .map(Vec::as_slice)
        .unwrap_or_default()
    {
        match item {
            Value::Array(names) => {
                out.extend(names.iter().filter_map(|n| n.as_str().map(String::from)))
            }
            Value::String(s) => out.push(s.clone()),
            _ => {}
        }
    }
    out
}

/// A rule's results: a set of strings or of `{"msg": …}` objects, or a boolean.
fn results(rule: &str, v: &Value) -> Vec<(String, serde_json::Map<String, Value>)> {
    match v {
        Value::Bool(true) => vec![(rule.to_string(), Default::default())],
        Value::String(s) => vec![(s.clone(), Default::default())],
        Value::Array(items) => items.iter().flat_map(|i| results(rule, i)).collect(),
        Value::Object(map) => {
            let mut metadata = map.clone();
            let msg = match metadata.remove("msg") {
                Some(Value::String(s)) => s,
                Some(other) => other.to_string(),
                None => rule.to_string(),
            };
            vec![(msg, metadata)]
        }
        _ => Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rule_names_follow_conftest() {
        assert_eq!(verdict_of("deny"), Some(Verdict::Failure));
        assert_eq!(verdict_of("violation_no_root"), Some(Verdict::Failure));
        assert_eq!(verdict_of("warn_latest_tag"), Some(Verdict::Warning));
        assert_eq!(verdict_of("denylist"), None);
        assert_eq!(verdict_of("deny_"), None);
        assert_eq!(verdict_of("exception"), None);
    }
}
