//! Kubernetes ValidatingAdmissionPolicy (admissionregistration.k8s.io) with its bindings,
//! evaluated offline the way the API server evaluates them.
//!
//! A [`VapSet`] holds compiled policies and bindings. [`VapSet::evaluate`] runs every policy
//! whose `matchConstraints` and binding `matchResources` select the request: params from
//! `paramRef`, `matchConditions`, lazy `variables`, `validations` with `message` /
//! `messageExpression` / `reason`, `auditAnnotations`, and `failurePolicy`. CEL is the `cel`
//! crate with `kube-cel`'s Kubernetes libraries (see [`cel`] for what it adds and refuses).
//! `authorizer` does not exist offline: an expression that reaches it is an error saying so.

pub(crate) mod cel;
mod env;
pub(crate) mod eval;
pub(crate) mod kyverno;
pub(crate) mod matching;
pub(crate) mod policy;
pub(crate) mod request;

pub use cel::{MAX_DEPTH, MAX_EXPRESSION_LEN, MAX_NESTING, MAX_OPERATORS};
use eval::{Decision, Evaluation};
use request::Reading;

use crate::PolicyError;
use matching::Leniency;
use policy::{Binding, Policy};
use serde_json::Value;
use std::sync::Arc;

/// Compiled ValidatingAdmissionPolicies and ValidatingAdmissionPolicyBindings.
#[derive(Debug, Clone, Default)]
pub struct VapSet {
    policies: Vec<Arc<Policy>>,
    bindings: Vec<Binding>,
}

/// One admission request to judge.
pub struct VapRequest<'a> {
    /// "CREATE" | "UPDATE" | "DELETE" | "CONNECT"
    pub operation: &'a str,
    pub object: Option<&'a Value>,
    pub old_object: Option<&'a Value>,
    /// The Namespace of the object, if known.
    pub namespace_object: Option<&'a Value>,
    /// `request.userInfo`.
    pub user_info: Option<&'a Value>,
    pub dry_run: bool,
    pub sub_resource: Option<&'a str>,
    /// Objects available as params (paramKind/paramRef lookups).
    pub objects: &'a [Value],
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum VapStatus {
    Pass,
    Fail,
    /// The policy could not be evaluated and its failurePolicy is Fail: the API server
    /// counts this as a denial.
    Error,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ValidationAction {
    Deny,
    Warn,
    Audit,
}

/// What one policy, under one binding (and one param), made of a request.
#[derive(Debug, Clone)]
pub struct VapOutcome {
    pub policy: String,
    /// `None` only for policies evaluated without binding ([`VapSet::evaluate_unbound`]).
    pub binding: Option<String>,
    pub status: VapStatus,
    /// Failed validations' messages; for `Error`, why (errors first).
    pub messages: Vec<String>,
    /// The first failed validation's `reason` (`Invalid` when it names none).
    pub reason: Option<String>,
    pub actions: Vec<ValidationAction>,
    /// `<policy>/<key>` audit annotations, and the API server's
    /// `validation.policy.admission.k8s.io/validation_failure` for `Audit` bindings.
    pub audit_annotations: Vec<(String, String)>,
}

/// One evaluation before failure policy and actions are applied (what the Kyverno CLI reads).
pub(crate) struct Raw<'s> {
    pub policy: &'s Policy,
    pub binding: Option<&'s Binding>,
    pub result: Result<Evaluation, String>,
}

impl VapSet {
    /// Takes one ValidatingAdmissionPolicy or ValidatingAdmissionPolicyBinding document.
    pub fn add(&mut self, path: &str, doc: &Value) -> Result<(), PolicyError> {
        let api_version = doc
            .get("apiVersion")
            .and_then(Value::as_str)
            .unwrap_or_default();
        let group_ok = matches!(
            api_version,
            "admissionregistration.k8s.io/v1"
                | "admissionregistration.k8s.io/v1beta1"
                | "admissionregistration.k8s.io/v1alpha1"
        );
        let kind = doc.get("kind").and_then(Value::as_str).unwrap_or_default();
        match kind {
            _ if !group_ok => Err(PolicyError::parse(
                path,
                format!("{kind} {api_version}: not an admissionregistration.k8s.io policy"),
            )),
            "ValidatingAdmissionPolicy" => {
                let p = Policy::parse(doc).map_err(|e| PolicyError::parse(path, e))?;
                self.policies.push(Arc::new(p));
                Ok(())
            }
            "ValidatingAdmissionPolicyBinding" => {
                let b = Binding::parse(doc).map_err(|e| PolicyError::parse(path, e))?;
                self.bindings.push(b);
                Ok(())
            }
            other => Err(PolicyError::parse(
                path,
                format!("{other:?} is not a ValidatingAdmissionPolicy or binding"),
            )),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.policies.is_empty() && self.bindings.is_empty()
    }

    pub fn policy_count(&self) -> usize {
        self.policies.len()
    }

    pub fn binding_count(&self) -> usize {
        self.bindings.len()
    }

    /// Every (policy, binding, param) that applies to the request, as the API server judges it.
    pub fn evaluate(&self, req: &VapRequest<'_>) -> Vec<VapOutcome> {
        let raws = self.bound(req, Reading::ApiServer, Leniency::default(), req.objects);
        raws.iter().filter_map(outcome).collect()
    }

    /// The policies no binding names, evaluated as the Kyverno CLI does: as if bound with
    /// `validationActions: [Deny]`, matching everything `matchConstraints` selects, with null
    /// params.
    pub fn evaluate_unbound(&self, req: &VapRequest<'_>) -> Vec<VapOutcome> {
        self.unbound(req, Reading::ApiServer)
            .iter()
            .filter_map(outcome)
            .collect()
    }

    fn bindings_of<'s>(&'s self, p: &'s Policy) -> impl Iterator<Item = &'s Binding> + 's {
        self.bindings.iter().filter(move |b| b.policy == p.name)
    }

    /// Evaluations under each matching binding.
    pub(crate) fn bound<'s>(
        &'s self,
        req: &VapRequest<'_>,
        reading: Reading,
        lenient: Leniency,
        params: &[Value],
    ) -> Vec<Raw<'s>> {
        let Some(attrs) = request::attributes(req, reading) else {
            return Vec::new();
        };
        let inputs = request::inputs(req, &attrs);
        let mut out = Vec::new();
        for p in &self.policies {
            if !p
                .constraints
                .as_ref()
                .is_none_or(|c| c.matches(&attrs, lenient))
            {
                continue;
            }
            for b in self.bindings_of(p) {
                if b.resources
                    .as_ref()
                    .is_some_and(|m| !m.matches(&attrs, lenient))
                {
                    continue;
                }
                match request::params(p, Some(b), &attrs.namespace, params, reading) {
                    Err(e) => out.push(Raw {
                        policy: p,
                        binding: Some(b),
                        result: Err(format!("failed to configure binding: {e}")),
                    }),
                    Ok(list) => out.extend(list.iter().map(|param| Raw {
                        policy: p,
                        binding: Some(b),
                        result: Ok(eval::evaluate(p, &inputs, param)),
                    })),
                }
            }
        }
        out
    }

    /// Evaluations of the policies without bindings.
    pub(crate) fn unbound<'s>(&'s self, req: &VapRequest<'_>, reading: Reading) -> Vec<Raw<'s>> {
        let Some(attrs) = request::attributes(req, reading) else {
            return Vec::new();
        };
        let inputs = request::inputs(req, &attrs);
        self.policies
            .iter()
            .filter(|p| self.bindings_of(p).next().is_none())
            .filter(|p| {
                p.constraints
                    .as_ref()
                    .is_none_or(|c| c.matches(&attrs, Leniency::default()))
            })
            .map(|p| Raw {
                policy: p,
                binding: None,
                result: Ok(eval::evaluate(p, &inputs, &Value::Null)),
            })
            .collect()
    }

    /// The names of the policies, in the order added.
    pub(crate) fn policy_names(&self) -> impl Iterator<Item = &str> {
        self.policies.iter().map(|p| p.name.as_str())
    }

    pub(crate) fn has_bindings(&self, policy: &str) -> bool {
        self.bindings.iter().any(|b| b.policy == policy)
    }
}

/// Failure policy and validation actions applied, as the API server's dispatcher does.
fn outcome(raw: &Raw<'_>) -> Option<VapOutcome> {
    let (policy, binding) = (raw.policy, raw.binding);
    let actions = binding.map_or_else(|| vec![ValidationAction::Deny], |b| b.actions.clone());
    let mut o = VapOutcome {
        policy: policy.name.clone(),
        binding: binding.map(|b| b.name.clone()),
        status: VapStatus::Pass,
        messages: Vec::new(),
        reason: None,
        actions,
        audit_annotations: Vec::new(),
    };
    let (decisions, annotations, annotation_errors) = match &raw.result {
        Err(config) => {
            if !policy.fail_closed {
                return None;
            }
            o.status = VapStatus::Error;
            o.messages.push(config.clone());
            return Some(o);
        }
        Ok(Evaluation::NotMatched) => return None,
        Ok(Evaluation::Done {
            decisions,
            annotations,
            annotation_errors,
        }) => (decisions, annotations, annotation_errors),
    };
    let mut errors: Vec<String> = decisions
        .iter()
        .filter_map(|d| match d {
            Decision::Error { message } => Some(message.clone()),
            _ => None,
        })
        .chain(annotation_errors.iter().cloned())
        .collect();
    let verdicts = decisions
        .iter()
        .filter(|d| !matches!(d, Decision::Error { .. }))
        .count();
    if !policy.fail_closed {
        if !errors.is_empty() && verdicts == 0 && annotations.is_empty() {
            return None;
        }
        errors.clear();
    }
    let denials: Vec<(usize, &String, &String)> = decisions
        .iter()
        .enumerate()
        .filter_map(|(i, d)| match d {
            Decision::Deny { message, reason } => Some((i, message, reason)),
            _ => None,
        })
        .collect();
    o.status = if !errors.is_empty() {
        VapStatus::Error
    } else if !denials.is_empty() {
        VapStatus::Fail
    } else {
        VapStatus::Pass
    };
    o.reason = denials.first().map(|(_, _, r)| (*r).clone());
    o.messages = errors;
    o.messages
        .extend(denials.iter().map(|(_, m, _)| (*m).clone()));
    o.audit_annotations = annotations.clone();
    if let (Some(b), true) = (binding, o.actions.contains(&ValidationAction::Audit)) {
        for (i, m, _) in &denials {
            o.audit_annotations.push((
                "validation.policy.admission.k8s.io/validation_failure".to_string(),
                validation_failure(b, *i, m),
            ));
        }
    }
    Some(o)
}

/// The value the API server publishes for an `Audit` binding's failed validation.
fn validation_failure(b: &Binding, index: usize, message: &str) -> String {
    let q = |s: &str| serde_json::to_string(s).unwrap_or_default();
    let actions: Vec<String> = b.actions.iter().map(|a| q(&format!("{a:?}"))).collect();
    format!(
        "[{{\"message\":{},\"policy\":{},\"binding\":{},\"expressionIndex\":{index},\"validationActions\":[{}]}}]",
        q(message),
        q(&b.policy),
        q(&b.name),
        actions.join(",")
    )
}
