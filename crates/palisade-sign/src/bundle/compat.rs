//! Bundle shapes the spec allows but sigstore-verify 0.15.1 refuses.

use serde_json::Value;
use std::borrow::Cow;

const V0_1: &str = "application/vnd.dev.sigstore.bundle+json;version=0.1";

/// v0.1 bundles (sigstore-python 1.x wrote them) may carry an inclusion proof without a
/// checkpoint. The bundle spec and sigstore-python ignore such a proof — it cannot be
/// checked against a signed tree head, and v0.1 requires the SET, which is verified and
/// binds the entry — whereas sigstore-verify rejects the whole bundle. Dropping the
/// unverifiable proof gives the spec's verdict; every other bundle passes through as is.
pub(super) fn normalize(json: &str) -> Cow<'_, str> {
    let Ok(mut doc) = serde_json::from_str::<Value>(json) else {
        return Cow::Borrowed(json);
    };
    if doc.get("mediaType").and_then(Value::as_str) != Some(V0_1) {
        return Cow::Borrowed(json);
    }
    let mut changed = false;
    let entries = doc
        .pointer_mut("/verificationMaterial/tlogEntries")
        .and_then(Value::as_array_mut);
    for entry in entries.into_iter().flatten() {
        let Some(obj) = entry.as_object_mut() else {
            continue;
        };
        let has_checkpoint = obj
            .get("inclusionProof")
            .and_then(|p| p.pointer("/checkpoint/envelope"))
            .and_then(Value::as_str)
            .is_some_and(|e| !e.is_empty());
        if obj.contains_key("inclusionProof") && !has_checkpoint {
            obj.remove("inclusionProof");
            changed = true;
        }
    }
    if changed {
        Cow::Owned(doc.to_string())
    } else {
        Cow::Borrowed(json)
    }
}
