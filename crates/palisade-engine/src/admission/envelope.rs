//! The AdmissionReview envelope: which shape a body is in (v1, v1beta1, a bare
//! AdmissionRequest, `{"request": …}`), and the response built in the same shape.

use super::BadReview;
use serde_json::{json, Map, Value};

pub(crate) const V1: &str = "admission.k8s.io/v1";
const V1BETA1: &str = "admission.k8s.io/v1beta1";

/// One request taken out of its envelope.
pub(crate) struct Envelope {
    /// The apiVersion to answer with.
    pub api_version: &'static str,
    pub request: Value,
    pub uid: String,
}

/// Splits a parsed body. Bare requests (kubewarden, kyverno test data) have no `kind`; a body
/// claiming to be something other than an AdmissionReview is refused rather than guessed at.
pub(crate) fn open(doc: Value) -> Result<Envelope, BadReview> {
    let Value::Object(mut map) = doc else {
        return Err(BadReview::NotAReview(
            "the body is not a JSON object".into(),
        ));
    };
    let api_version = match (str_of(&map, "apiVersion"), str_of(&map, "kind")) {
        (Some(V1), Some("AdmissionReview")) => V1,
        (Some(V1BETA1), Some("AdmissionReview")) => V1BETA1,
        (Some(a), Some("AdmissionReview")) => {
            return Err(BadReview::NotAReview(format!(
                "unsupported AdmissionReview apiVersion {a:?}"
            )))
        }
        (None, None) => V1,
        (a, k) => {
            return Err(BadReview::NotAReview(format!(
                "apiVersion {:?} kind {:?} is not an AdmissionReview",
                a.unwrap_or(""),
                k.unwrap_or("")
            )))
        }
    };
    // A bare AdmissionRequest has a `kind` too, but an object (the GVK), not a string.
    let is_envelope = map.contains_key("request") || map.get("kind").is_some_and(Value::is_string);
    let request = if is_envelope {
        match map.remove("request") {
            Some(r @ Value::Object(_)) => r,
            Some(Value::Null) | None => {
                return Err(BadReview::NotAReview("the review has no request".into()))
            }
            Some(_) => return Err(BadReview::NotAReview("request is not an object".into())),
        }
    } else if map.contains_key("uid") || map.contains_key("operation") {
        Value::Object(map)
    } else {
        return Err(BadReview::NotAReview(
            "neither an AdmissionReview nor an AdmissionRequest".into(),
        ));
    };
    let uid = match request.get("uid") {
        Some(Value::String(s)) => s.clone(),
        // The API server always sends one; test fixtures (gator's) may not. Echo the empty uid.
        None | Some(Value::Null) => String::new(),
        Some(_) => return Err(BadReview::NotAReview("request.uid is not a string".into())),
    };
    for key in ["object", "oldObject"] {
        match request.get(key) {
            None | Some(Value::Null) | Some(Value::Object(_)) => {}
            Some(_) => {
                return Err(BadReview::NotAReview(format!(
                    "request.{key} is not an object"
                )))
            }
        }
    }
    Ok(Envelope {
        api_version,
        request,
        uid,
    })
}

fn str_of<'a>(map: &'a Map<String, Value>, key: &str) -> Option<&'a str> {
    map.get(key).and_then(Value::as_str)
}

/// The `response` part of an answer, before it is wrapped.
#[derive(Debug, Default)]
pub(crate) struct Answer {
    pub allowed: bool,
    pub code: u16,
    pub message: String,
    pub warnings: Vec<String>,
    pub audit: Map<String, Value>,
    /// Base64 JSONPatch.
    pub patch: Option<String>,
}

/// The whole AdmissionReview to send back.
pub(crate) fn respond(api_version: &str, uid: &str, answer: Answer) -> Value {
    let mut response = Map::new();
    response.insert("uid".into(), Value::String(uid.to_string()));
    response.insert("allowed".into(), Value::Bool(answer.allowed));
    if !answer.allowed {
        let reason = match answer.code {
            403 => "Forbidden",
            500 => "InternalError",
            _ => "Invalid",
        };
        response.insert(
            "status".into(),
            json!({"code": answer.code, "reason": reason, "message": answer.message}),
        );
    }
    if !answer.warnings.is_empty() {
        response.insert("warnings".into(), json!(answer.warnings));
    }
    if !answer.audit.is_empty() {
        response.insert("auditAnnotations".into(), Value::Object(answer.audit));
    }
    if let Some(p) = answer.patch {
        response.insert("patchType".into(), Value::String("JSONPatch".into()));
        response.insert("patch".into(), Value::String(p));
    }
    json!({"apiVersion": api_version, "kind": "AdmissionReview", "response": response})
}
