//! Secrets in an OCI image configuration: environment, labels and build history.

use crate::scanner::{Ctx, Scanner};
use palisade_core::Finding;
use serde_json::Value;
use sha2::{Digest, Sha256};
use std::collections::HashSet;

impl Scanner {
    /// Scans `config.Env`, `config.Labels` and `history[].created_by` of an OCI image
    /// configuration (the whole config blob, or just its `config` object). Paths read like
    /// `config.Env[2]`; a secret already reported from `Env` is not reported again from the
    /// `ENV` instruction in history that set it.
    pub fn scan_image_config(&self, config: &Value) -> Vec<Finding> {
        let inner = config
            .get("config")
            .filter(|c| c.is_object())
            .unwrap_or(config);
        let mut items: Vec<(String, String)> = Vec::new();
        if let Some(env) = inner.get("Env").and_then(Value::as_array) {
            for (i, e) in env.iter().enumerate() {
                if let Some(s) = e.as_str() {
                    items.push((format!("config.Env[{i}]"), s.to_string()));
                }
            }
        }
        if let Some(labels) = inner.get("Labels").and_then(Value::as_object) {
            for (k, v) in labels {
                if let Some(v) = v.as_str() {
                    items.push((format!("config.Labels[{k:?}]"), format!("{k}={v}")));
                }
            }
        }
        if let Some(hist) = config.get("history").and_then(Value::as_array) {
            for (i, h) in hist.iter().enumerate() {
                if let Some(c) = h.get("created_by").and_then(Value::as_str) {
                    items.push((format!("history[{i}].created_by"), c.to_string()));
                }
            }
        }
        let mut seen: HashSet<(usize, [u8; 32])> = HashSet::new();
        let mut out = Vec::new();
        for (path, text) in items {
            let bytes = text.as_bytes();
            let hits: Vec<_> = self
                .find(&path, bytes, Ctx::default())
                .into_iter()
                .filter(|h| {
                    let digest: [u8; 32] = Sha256::digest(&bytes[h.start..h.end]).into();
                    seen.insert((h.rule, digest))
                })
                .collect();
            let mut found = self.findings(&path, bytes, &hits, Ctx::default());
            for f in &mut found {
                f.extra.insert("source".into(), "image-config".into());
            }
            out.extend(found);
        }
        out
    }
}
