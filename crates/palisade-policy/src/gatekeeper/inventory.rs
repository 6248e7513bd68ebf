//! Cluster state for referential templates: `data.inventory` as Gatekeeper's sync cache
//! lays it out, and namespace labels for `namespaceSelector`.

use serde_json::{Map, Value};
use std::collections::HashMap;

#[derive(Debug, Clone)]
pub struct Inventory {
    /// `{"cluster": {apiVersion: {kind: {name: obj}}}, "namespace": {ns: {apiVersion: {kind: {name: obj}}}}}`
    value: Value,
    namespace_labels: HashMap<String, Value>,
}

impl Default for Inventory {
    fn default() -> Self {
        Inventory {
            value: serde_json::json!({"cluster": {}, "namespace": {}}),
            namespace_labels: HashMap::new(),
        }
    }
}

impl Inventory {
    /// Adds objects (from the other files of a scan, or an inventory file). Objects without
    /// kind or name are not addressable and are left out.
    pub fn extend<'a>(&mut self, objects: impl IntoIterator<Item = &'a Value>) {
        for obj in objects {
            self.add(obj);
        }
    }

    pub fn add(&mut self, obj: &Value) {
        let s = |p: &str| obj.pointer(p).and_then(Value::as_str).unwrap_or_default();
        let (api, kind, name, ns) = (
            s("/apiVersion"),
            s("/kind"),
            s("/metadata/name"),
            s("/metadata/namespace"),
        );
        if kind.is_empty() || name.is_empty() {
            return;
        }
        if kind == "Namespace" && !api.contains('/') {
            let labels = obj
                .pointer("/metadata/labels")
                .cloned()
                .unwrap_or_else(|| Value::Object(Map::new()));
            self.namespace_labels.insert(name.to_string(), labels);
        }
        let root = &mut self.value;
        let slot = if ns.is_empty() {
            &mut root["cluster"]
        } else {
            entry(&mut root["namespace"], ns)
        };
        let by_kind = entry(entry(slot, api), kind);
        if let Value::Object(m) = by_kind {
            m.insert(name.to_string(), obj.clone());
        }
    }

    pub fn as_value(&self) -> &Value {
        &self.value
    }

    pub fn namespace_labels(&self, ns: &str) -> Option<&Value> {
        self.namespace_labels.get(ns)
    }

    pub fn is_empty(&self) -> bool {
        self.namespace_labels.is_empty()
            && self.value["cluster"].as_object().is_none_or(Map::is_empty)
            && self.value["namespace"]
                .as_object()
                .is_none_or(Map::is_empty)
    }
}

fn entry<'a>(v: &'a mut Value, key: &str) -> &'a mut Value {
    if !v.is_object() {
        *v = Value::Object(Map::new());
    }
    match v {
        Value::Object(m) => m
            .entry(key.to_string())
            .or_insert_with(|| Value::Object(Map::new())),
        _ => unreachable!("made an object above"),
    }
}
