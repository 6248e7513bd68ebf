//! YAML through Palisade's hostile-input parser (depth, node and alias caps), as JSON values.

use crate::PolicyError;
use palisade_kube::yaml::{parse_stream, Limits};
use serde::Deserialize;

/// Every non-empty document of `text` with the line it starts at; the first broken document
/// is an error naming `display` and the line.
pub fn documents(display: &str, text: &str) -> Result<Vec<(u32, serde_json::Value)>, PolicyError> {
    let mut out = Vec::new();
    for doc in parse_stream(text, &Limits::default()) {
        let node = match doc.result {
            Ok(node) => node,
            // Only a syntax error gets a second reader: a document over a size, depth or
            // alias limit stays refused.
            Err(e) if e.kind == palisade_core::ProblemKind::Corrupt => {
                return libyaml_documents(text).ok_or_else(|| PolicyError::parse(display, e));
            }
            Err(e) => return Err(PolicyError::parse(display, e)),
        };
        let value = node.to_json();
        if !value.is_null() {
            out.push((doc.line, value));
        }
    }
    Ok(out)
}

/// yaml-rust2 rejects some YAML that Go's reader (Gatekeeper's, kubectl's) accepts, such as a
/// double-quoted scalar continued at its key's indentation (the upstream `httpsonly` template).
/// libyaml (serde_yaml) accepts it, and caps recursion depth and alias expansion itself.
fn libyaml_documents(text: &str) -> Option<Vec<(u32, serde_json::Value)>> {
    let mut out = Vec::new();
    for de in serde_yaml::Deserializer::from_str(text) {
        let value = serde_json::Value::deserialize(de).ok()?;
        if !value.is_null() {
            out.push((1, value));
        }
    }
    Some(out)
}
