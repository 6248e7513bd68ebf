//! `input.review`: the AdmissionRequest-shaped document Gatekeeper hands every template,
//! whether the object came from a file or from the API server.

use crate::PolicyError;
use serde_json::{json, Value};

/// One object under review.
#[derive(Debug, Clone)]
pub struct Review {
    /// What `input.review` is.
    pub request: Value,
    /// Group, kind, name and namespace used for matching.
    pub group: String,
    pub kind: String,
    pub name: String,
    pub namespace: String,
    /// The kind has no namespace. A file's object does not say, so a list of built-in
    /// cluster-scoped kinds decides; an AdmissionRequest says by its namespace.
    pub cluster_scoped: bool,
}

impl Review {
    /// A document from a file: an AdmissionReview is reviewed as its request, anything else
    /// as the object of a CREATE.
    pub fn from_document(doc: &Value) -> Result<Review, PolicyError> {
        let is_review = doc.get("kind").and_then(Value::as_str) == Some("AdmissionReview")
            && doc
                .get("apiVersion")
                .and_then(Value::as_str)
                .is_some_and(|a| a.starts_with("admission.k8s.io/"));
        if !is_review {
            return Ok(Review::from_object(doc.clone()));
        }
        let invalid = |m: &str| PolicyError::InvalidReview {
            message: m.to_string(),
        };
        if let Some(map) = doc.as_object() {
            if let Some(k) = map
                .keys()
                .find(|k| !matches!(k.as_str(), "kind" | "apiVersion" | "request" | "response"))
            {
                return Err(invalid(&format!("unknown field {k:?}")));
            }
        }
        match doc.get("request") {
            Some(req) if req.is_object() => Review::checked_request(req.clone()),
            _ => Err(invalid("no request")),
        }
    }

    /// [`Review::from_request`] for requests from outside: refuses what Gatekeeper cannot
    /// review.
    pub fn checked_request(request: Value) -> Result<Review, PolicyError> {
        let invalid = |m: &str| PolicyError::InvalidReview {
            message: m.to_string(),
        };
        let present = |k: &str| request.get(k).is_some_and(|v| !v.is_null());
        let delete = request.get("operation").and_then(Value::as_str) == Some("DELETE");
        if delete && !present("oldObject") {
            return Err(invalid("DELETE needs oldObject"));
        }
        if !present("object") && !present("oldObject") {
            return Err(invalid("neither object nor oldObject to review"));
        }
        for k in ["object", "oldObject"] {
            if present(k) && request[k].get("kind").is_none() {
                return Err(invalid(&format!("{k} has no kind")));
            }
        }
        Ok(Review::from_request(request))
    }

    /// The review of creating `object`, as `gator` builds it for a plain object.
    pub fn from_object(object: Value) -> Review {
        let (group, version) = group_version(&object);
        let kind = str_at(&object, "/kind");
        let name = str_at(&object, "/metadata/name");
        let namespace = str_at(&object, "/metadata/namespace");
        let cluster_scoped = palisade_kube::CLUSTER_SCOPED_KINDS.contains(&kind.as_str());
        let request = json!({
            "kind": {"group": group, "version": version, "kind": kind},
            "resource": {"group": group, "version": version, "resource": ""},
            "name": name,
            "namespace": namespace,
            "operation": "CREATE",
            "userInfo": {"username": "", "groups": []},
            "object": object,
            "oldObject": Value::Null,
            "dryRun": false,
        });
        Review {
            request,
            group,
            kind,
            name,
            namespace,
            cluster_scoped,
        }
    }

    /// An AdmissionRequest (v1 or v1beta1, the same shape) taken as it is.
    pub fn from_request(request: Value) -> Review {
        let group = str_at(&request, "/kind/group");
        let kind = str_at(&request, "/kind/kind");
        // DELETE carries only oldObject; Gatekeeper matches on it then.
        let object = match request.get("object") {
            Some(o) if !o.is_null() => o,
            _ => request.get("oldObject").unwrap_or(&Value::Null),
        };
        let mut name = str_at(&request, "/name");
        if name.is_empty() {
            name = str_at(object, "/metadata/name");
        }
        let mut namespace = str_at(&request, "/namespace");
        if namespace.is_empty() {
            namespace = str_at(object, "/metadata/namespace");
        }
        let cluster_scoped = namespace.is_empty();
        Review {
            request,
            group,
            kind,
            name,
            namespace,
            cluster_scoped,
        }
    }

    /// The object matching and label selectors look at.
    pub fn object(&self) -> &Value {
        match self.request.get("object") {
            Some(o) if !o.is_null() => o,
            _ => self.request.get("oldObject").unwrap_or(&Value::Null),
        }
    }
}

fn group_version(object: &Value) -> (String, String) {
    let api = object
        .get("apiVersion")
        .and_then(Value::as_str)
        .unwrap_or("v1");
    match api.split_once('/') {
        Some((g, v)) => (g.to_string(), v.to_string()),
        None => (String::new(), api.to_string()),
    }
}

fn str_at(v: &Value, pointer: &str) -> String {
    v.pointer(pointer)
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_string()
}
