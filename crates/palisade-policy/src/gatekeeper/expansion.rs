//! Gatekeeper's ExpansionTemplates: a workload (Deployment, CronJob…) is also reviewed as the
//! resource it will create (its Pod), so Pod constraints hold before any Pod exists.

use crate::PolicyError;
use serde_json::{Map, Value};

#[derive(Debug, Clone)]
pub struct Expansion {
    pub name: String,
    /// (groups, versions, kinds) of the parents; `*` matches any.
    apply_to: Vec<(Vec<String>, Vec<String>, Vec<String>)>,
    /// Dotted path of the embedded resource (`spec.template`).
    source: Vec<String>,
    group: String,
    version: String,
    kind: String,
}

impl Expansion {
    pub fn parse(path: &str, doc: &Value) -> Result<Expansion, PolicyError> {
        let name = doc
            .pointer("/metadata/name")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_string();
        let err = |m: &str| PolicyError::parse(format!("{path}#{name}"), m);
        let list = |v: &Value, k: &str| -> Vec<String> {
            v.get(k)
                .and_then(Value::as_array)
                .map(|a| {
                    a.iter()
                        .filter_map(|s| s.as_str().map(String::from))
                        .collect()
                })
                .unwrap_or_default()
        };
        let apply_to = doc
            .pointer("/spec/applyTo")
            .and_then(Value::as_array)
            .ok_or_else(|| err("no spec.applyTo"))?
            .iter()
            .map(|a| (list(a, "groups"), list(a, "versions"), list(a, "kinds")))
            .collect();
        let source = doc
            .pointer("/spec/templateSource")
            .and_then(Value::as_str)
            .ok_or_else(|| err("no spec.templateSource"))?
            .split('.')
            .map(String::from)
            .collect();
        let gvk = doc
            .pointer("/spec/generatedGVK")
            .ok_or_else(|| err("no spec.generatedGVK"))?;
        let s = |k: &str| {
            gvk.get(k)
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_string()
        };
        let kind = s("kind");
        if kind.is_empty() {
            return Err(err("spec.generatedGVK without kind"));
        }
        Ok(Expansion {
            name,
            apply_to,
            source,
            group: s("group"),
            version: s("version"),
            kind,
        })
    }

    /// The resource `parent` implies, if this template applies to it.
    pub fn expand(&self, parent: &Value) -> Option<Value> {
        let api = parent
            .get("apiVersion")
            .and_then(Value::as_str)
            .unwrap_or("v1");
        let (group, version) = api.split_once('/').unwrap_or(("", api));
        let kind = parent
            .get("kind")
            .and_then(Value::as_str)
            .unwrap_or_default();
        let any = |list: &[String], v: &str| list.iter().any(|x| x == "*" || x == v);
        if !self
            .apply_to
            .iter()
            .any(|(g, v, k)| any(g, group) && any(v, version) && any(k, kind))
        {
            return None;
        }
        let mut node = parent;
        for key in &self.source {
            node = node.get(key)?;
        }
        let Value::Object(mut obj) = node.clone() else {
            return None;
        };
        let api_version = if self.group.is_empty() {
            self.version.clone()
        } else {
            format!("{}/{}", self.group, self.version)
        };
        obj.insert("apiVersion".into(), Value::String(api_version));
        obj.insert("kind".into(), Value::String(self.kind.clone()));
        let meta = obj
            .entry("metadata")
            .or_insert_with(|| Value::Object(Map::new()));
        if let Value::Object(meta) = meta {
            for key in ["name", "namespace"] {
                if let Some(v) = parent.pointer(&format!("/metadata/{key}")) {
                    meta.entry(key).or_insert_with(|| v.clone());
                }
            }
        }
        Some(Value::Object(obj))
    }
}
