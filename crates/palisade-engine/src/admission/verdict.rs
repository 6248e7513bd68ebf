//! What the stages of one review add up to: the first refusal decides the reason the server
//! counts, every refusal's message is kept, warnings and audit annotations accumulate.

use super::config::{Action, OnError};
use serde_json::{Map, Value};

/// Low-cardinality reasons for metrics ([`super::Reviewed::reason`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Reason {
    PodSecurity,
    KubernetesRules,
    Policy,
    Image,
    Vulnerability,
    Signature,
    Error,
}

impl Reason {
    pub fn as_str(self) -> &'static str {
        match self {
            Reason::PodSecurity => "pod-security",
            Reason::KubernetesRules => "kubernetes-rules",
            Reason::Policy => "policy",
            Reason::Image => "image",
            Reason::Vulnerability => "vulnerability",
            Reason::Signature => "signature",
            Reason::Error => "error",
        }
    }
}

/// Most refusal messages kept: a Pod breaking fifty rules needs the first few to be fixed,
/// and the API server shows the whole message to the user.
const MAX_DENIALS: usize = 20;

#[derive(Debug, Default)]
pub(crate) struct Verdict {
    pub reason: Option<Reason>,
    pub denials: Vec<String>,
    pub warnings: Vec<String>,
    pub audit: Map<String, Value>,
    /// Evaluation errors (not violations), already turned into a decision.
    pub errors: usize,
}

impl Verdict {
    pub fn deny(&mut self, reason: Reason, message: String) {
        self.reason.get_or_insert(reason);
        if self.denials.len() < MAX_DENIALS {
            self.denials.push(message);
        }
    }

    /// Denies or warns as the configuration's action says.
    pub fn act(&mut self, action: Action, reason: Reason, message: String) {
        match action {
            Action::Deny => self.deny(reason, message),
            Action::Warn => self.warnings.push(message),
        }
    }

    /// An evaluation error becomes a decision: refused (fail closed) or admitted with a
    /// warning, the reason in the message either way.
    pub fn error(&mut self, on_error: OnError, message: String) {
        self.errors += 1;
        let message = format!("admission check failed: {message}");
        match on_error {
            OnError::Deny => self.deny(Reason::Error, message),
            OnError::Allow => self.warnings.push(message),
        }
    }

    pub fn allowed(&self) -> bool {
        self.reason.is_none()
    }

    pub fn message(&self) -> String {
        self.denials.join("; ")
    }
}
