//! ValidatingAdmissionPolicies as the Kyverno CLI (`kyverno test`, `kyverno apply`) evaluates
//! them (kyverno `pkg/admissionpolicy/validate.go`), which differs from the API server:
//!
//! - a policy without bindings is evaluated as if bound, on what `matchConstraints` selects,
//!   with null params;
//! - with bindings, the policy's rules are read leniently (a rule listing no `operations`
//!   matches every operation: the CLI never checks them), and the last binding whose
//!   `matchResources` match gives the verdict;
//! - params: objects of the test's `paramResources`, by selector, else the first with the
//!   `paramRef` name; none found evaluates with null params (no `parameterNotFoundAction`);
//! - the verdict is the first validation that errs or fails, whatever the failure policy and
//!   the binding's validation actions.

use super::matching::Leniency;
use super::{Decision, Evaluation, Raw, Reading, VapRequest, VapSet};

/// The CLI's verdict for one policy on one resource.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Verdict {
    /// No binding (or the policy's constraints) selected the resource: "excluded".
    Excluded,
    /// A match condition was false.
    ConditionsNotMet,
    Pass,
    Fail(String),
    Error(String),
}

/// Every policy's verdict on the request, in the order the policies were added.
pub(crate) fn verdicts(set: &VapSet, req: &VapRequest<'_>) -> Vec<(String, Verdict)> {
    let lenient = Leniency {
        empty_operations_match_all: true,
    };
    let bound = set.bound(req, Reading::KyvernoCli, lenient, req.objects);
    let unbound = set.unbound(req, Reading::KyvernoCli);
    set.policy_names()
        .map(|name| {
            let raws: Vec<&Raw<'_>> = if set.has_bindings(name) {
                let mine: Vec<&Raw<'_>> = bound.iter().filter(|r| r.policy.name == name).collect();
                // The last binding that matched decides.
                let last = mine.last().and_then(|r| r.binding).map(|b| b.name.clone());
                mine.into_iter()
                    .filter(|r| r.binding.map(|b| &b.name) == last.as_ref())
                    .collect()
            } else {
                unbound.iter().filter(|r| r.policy.name == name).collect()
            };
            let verdict = raws
                .iter()
                .map(|r| verdict(r))
                .find(|v| *v != Verdict::Pass)
                .unwrap_or(if raws.is_empty() {
                    Verdict::Excluded
                } else {
                    Verdict::Pass
                });
            (name.to_string(), verdict)
        })
        .collect()
}

fn verdict(raw: &Raw<'_>) -> Verdict {
    match &raw.result {
        Err(e) => Verdict::Error(e.clone()),
        Ok(Evaluation::NotMatched) => Verdict::ConditionsNotMet,
        Ok(Evaluation::Done { decisions, .. }) => decisions
            .iter()
            .find_map(|d| match d {
                Decision::Admit => None,
                Decision::Deny { message, .. } => Some(Verdict::Fail(message.clone())),
                Decision::Error { message } => Some(Verdict::Error(message.clone())),
            })
            .unwrap_or(Verdict::Pass),
    }
}
