//! User policies at admission: Gatekeeper constraints (bound to the inventory once, at load),
//! Conftest Rego over the object, ValidatingAdmissionPolicies and Kyverno validate rules, each
//! with the request as the API server sent it.

use super::config::OnError;
use super::verdict::{Reason, Verdict};
use palisade_policy::gatekeeper::{points, Action as GkAction, Gatekeeper, SharedBound};
use palisade_policy::{Inventory, PolicySet, Review, Verdict as ConftestVerdict};
use serde_json::{json, Map, Value};
use std::collections::HashMap;
use std::sync::Arc;

/// The loaded policies and what they read.
struct Owned {
    set: PolicySet,
    /// Inventory objects and objects beside the policies: VAP params.
    known: Vec<Value>,
    /// Namespace objects by name, for VAP `namespaceObject` and Kyverno namespace selectors.
    namespaces: HashMap<String, Value>,
}

/// Policies, compiled and bound once.
pub(crate) struct PolicyStage {
    /// Gatekeeper's templates compiled with the inventory: binding per request would compile
    /// every template again.
    bound: Option<SharedBound>,
    owned: Arc<Owned>,
}

impl std::fmt::Debug for PolicyStage {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PolicyStage")
            .field(
                "constraints",
                &self.owned.set.gatekeeper().constraints().len(),
            )
            .field("kyverno", &self.owned.set.kyverno().policies().len())
            .finish_non_exhaustive()
    }
}

impl PolicyStage {
    pub fn new(
        set: PolicySet,
        inventory_objects: &[Value],
    ) -> Result<PolicyStage, super::AdmissionError> {
        let mut inventory = Inventory::default();
        inventory.extend(inventory_objects.iter());
        let known: Vec<Value> = inventory_objects
            .iter()
            .chain(set.policy_objects())
            .cloned()
            .collect();
        let namespaces = known
            .iter()
            .filter(|o| o.get("kind").and_then(Value::as_str) == Some("Namespace"))
            .filter_map(|o| {
                let name = o.pointer("/metadata/name").and_then(Value::as_str)?;
                Some((name.to_string(), o.clone()))
            })
            .collect();
        let bound = if set.gatekeeper().is_empty() {
            None
        } else {
            Some(Gatekeeper::bind_shared(
                Arc::new(set.gatekeeper().clone()),
                Arc::new(inventory),
            )?)
        };
        let owned = Arc::new(Owned {
            set,
            known,
            namespaces,
        });
        Ok(PolicyStage { bound, owned })
    }

    pub fn namespace_object(&self, ns: &str) -> Option<&Value> {
        self.owned.namespaces.get(ns)
    }

    /// Every policy on one request. `object` is what is checked: the request's object, or
    /// its oldObject for a DELETE; `namespace_object` is the request's or the inventory's.
    pub fn check(
        &self,
        req: &Value,
        object: &Value,
        namespace_object: Option<&Value>,
        on_error: OnError,
        out: &mut Verdict,
    ) {
        let op = req
            .get("operation")
            .and_then(Value::as_str)
            .unwrap_or("CREATE");
        if let Some(bound) = &self.bound {
            self.gatekeeper(bound, req, on_error, out);
        }
        if !object.is_object() {
            return;
        }
        let set = &self.owned.set;
        if !set.packages().is_empty() && op != "DELETE" {
            match set.check(object) {
                Ok(outcomes) => {
                    for o in outcomes {
                        let msg = format!("{}.{}: {}", o.namespace, o.rule, o.msg);
                        match o.verdict {
                            ConftestVerdict::Failure => out.deny(Reason::Policy, msg),
                            ConftestVerdict::Warning => out.warnings.push(msg),
                        }
                    }
                }
                Err(e) => out.error(on_error, e.to_string()),
            }
        }
        self.kyverno(req, op, object, namespace_object, on_error, out);
        self.vap(req, op, namespace_object, on_error, out);
    }

    fn gatekeeper(&self, bound: &SharedBound, req: &Value, on_error: OnError, out: &mut Verdict) {
        let verdict = Review::checked_request(req.clone())
            .and_then(|review| bound.review(&review, points::VALIDATION));
        match verdict {
            Ok(violations) => {
                for v in violations {
                    let msg = format!("[{}] {}", v.constraint_name, v.msg);
                    match v.action {
                        GkAction::Deny => out.deny(Reason::Policy, msg),
                        GkAction::Warn => out.warnings.push(msg),
                        GkAction::Dryrun => {}
                    }
                }
            }
            Err(e) => out.error(on_error, format!("Gatekeeper: {e}")),
        }
    }

    /// The object after the set's Kyverno mutate rules, and the rules' errors.
    pub fn kyverno_mutate(&self, req: &Value, op: &str, object: &Value) -> (Value, Vec<String>) {
        use palisade_policy::kyverno::Status;
        let kyverno = self.owned.set.kyverno();
        if kyverno.is_empty() {
            return (object.clone(), Vec::new());
        }
        let ns = req.get("namespace").and_then(Value::as_str).unwrap_or("");
        let request = kyverno_request(req, op, self.namespace_object(ns));
        let out = kyverno.mutate(object, &request);
        let errors = out
            .applied
            .into_iter()
            .filter(|a| a.status == Status::Error)
            .map(|a| format!("Kyverno {}/{}: {}", a.policy, a.rule, a.message))
            .collect();
        (out.patched, errors)
    }

    fn kyverno(
        &self,
        req: &Value,
        op: &str,
        object: &Value,
        namespace_object: Option<&Value>,
        on_error: OnError,
        out: &mut Verdict,
    ) {
        use palisade_policy::kyverno::{Action, Status};
        let kyverno = self.owned.set.kyverno();
        if kyverno.is_empty() {
            return;
        }
        let request = kyverno_request(req, op, namespace_object);
        for o in kyverno.evaluate(object, &request) {
            let msg = format!("{}/{}: {}", o.policy, o.rule, o.message);
            match (o.status, o.action) {
                (Status::Fail, Action::Enforce) => out.deny(Reason::Policy, msg),
                (Status::Fail | Status::Warn, _) => out.warnings.push(msg),
                (Status::Error, _) => out.error(on_error, format!("Kyverno {msg}")),
                (Status::Pass | Status::Skip, _) => {}
            }
        }
    }

    /// As the API server: only bound policies run (a policy without a binding does nothing).
    fn vap(
        &self,
        req: &Value,
        op: &str,
        namespace_object: Option<&Value>,
        on_error: OnError,
        out: &mut Verdict,
    ) {
        use palisade_policy::vap::{ValidationAction, VapRequest, VapStatus};
        let vap = self.owned.set.vap();
        if vap.is_empty() {
            return;
        }
        let obj = |k: &str| req.get(k).filter(|v| v.is_object());
        let request = VapRequest {
            operation: op,
            object: obj("object"),
            old_object: obj("oldObject"),
            namespace_object,
            user_info: obj("userInfo"),
            dry_run: req.get("dryRun").and_then(Value::as_bool).unwrap_or(false),
            sub_resource: req
                .get("subResource")
                .and_then(Value::as_str)
                .filter(|s| !s.is_empty()),
            objects: &self.owned.known,
        };
        for o in vap.evaluate(&request) {
            let binding = o.binding.as_deref().unwrap_or("");
            match o.status {
                VapStatus::Fail => {
                    let msg = o.messages.join("; ");
                    for a in &o.actions {
                        match a {
                            ValidationAction::Deny => out.deny(
                                Reason::Policy,
                                format!("ValidatingAdmissionPolicy '{}' with binding '{binding}' denied request: {msg}", o.policy),
                            ),
                            ValidationAction::Warn => out.warnings.push(format!(
                                "Validation failed for ValidatingAdmissionPolicy '{}' with binding '{binding}': {msg}",
                                o.policy
                            )),
                            ValidationAction::Audit => {}
                        }
                    }
                }
                VapStatus::Error => out.error(
                    on_error,
                    format!(
                        "ValidatingAdmissionPolicy '{}': {}",
                        o.policy,
                        o.messages.join("; ")
                    ),
                ),
                VapStatus::Pass => {}
            }
            add_annotations(&mut out.audit, o.audit_annotations);
        }
    }
}

/// The Kyverno request of an admission request: operation, namespace labels, user.
fn kyverno_request<'a>(
    req: &Value,
    op: &'a str,
    namespace_object: Option<&'a Value>,
) -> palisade_policy::kyverno::Request<'a> {
    use palisade_policy::kyverno::{Request, RequestInfo};
    let strings = |p: &str| -> Vec<String> {
        req.pointer(p)
            .and_then(Value::as_array)
            .map(|a| {
                a.iter()
                    .filter_map(Value::as_str)
                    .map(String::from)
                    .collect()
            })
            .unwrap_or_default()
    };
    Request {
        operation: op,
        namespace_labels: namespace_object
            .and_then(|n| n.pointer("/metadata/labels"))
            .and_then(Value::as_object),
        info: RequestInfo {
            username: req
                .pointer("/userInfo/username")
                .and_then(Value::as_str)
                .unwrap_or("")
                .to_string(),
            groups: strings("/userInfo/groups"),
            ..Default::default()
        },
        values: None,
    }
}

fn add_annotations(audit: &mut Map<String, Value>, annotations: Vec<(String, String)>) {
    for (k, v) in annotations {
        match audit.get_mut(&k) {
            // The API server keeps one value per key; failures of several bindings are a list.
            Some(Value::String(prev)) => {
                prev.push_str(", ");
                prev.push_str(&v);
            }
            _ => {
                audit.insert(k, json!(v));
            }
        }
    }
}
