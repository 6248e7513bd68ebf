//! Kyverno policies (`kyverno.io/v1` ClusterPolicy/Policy): validate rules evaluated offline
//! with Kyverno's semantics — match/exclude, autogen for pod controllers, preconditions,
//! patterns with anchors, deny conditions, foreach, JMESPath variables and podSecurity.
//! Mutate rules are applied by [`Kyverno::mutate`] (see `mutate/`); generate and
//! image-verification rules belong to admission and are not run here.

mod anchor;
mod autogen;
mod cel;
mod conditions;
mod images;
pub mod jmes;
mod matching;
mod mutate;
mod pattern;
pub mod pss;
mod rule;
mod scalar;
mod value;
mod vars;
pub mod vpol;
pub(crate) mod wildcard;

pub use matching::RequestInfo;
pub use mutate::{Applied, MutateOutcome};
pub use rule::Status;

use crate::PolicyError;
use serde_json::{Map, Value};

/// What Kyverno does with a failure: block the request or only report it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    Enforce,
    Audit,
}

impl Action {
    fn parse(v: Option<&Value>) -> Action {
        match v.and_then(Value::as_str) {
            Some(a) if a.eq_ignore_ascii_case("enforce") => Action::Enforce,
            _ => Action::Audit,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Action::Enforce => "Enforce",
            Action::Audit => "Audit",
        }
    }
}

/// One loaded policy.
#[derive(Debug, Clone)]
pub struct Policy {
    pub name: String,
    /// `Some` for a namespaced `Policy`: it applies only there.
    pub namespace: Option<String>,
    pub path: String,
    pub action: Action,
    /// `policies.kyverno.io/severity` (low, medium, high, critical), if set.
    pub severity: Option<String>,
    pub title: Option<String>,
    /// `policies.kyverno.io/scored: "false"` turns failures into warnings.
    scored: bool,
    /// Rules as Kyverno evaluates them: the policy's own plus autogen's.
    rules: Vec<Value>,
}

impl Policy {
    /// Names of the validate rules (autogen rules included), for listings.
    pub fn rule_names(&self) -> Vec<&str> {
        self.rules
            .iter()
            .filter(|r| r.get("validate").is_some())
            .filter_map(|r| r.get("name").and_then(Value::as_str))
            .collect()
    }

    /// Whether some rule is of a kind evaluated elsewhere (mutate, generate, verifyImages).
    pub fn has_non_validate_rules(&self) -> bool {
        self.rules.iter().any(|r| r.get("validate").is_none())
    }
}

/// The request a resource is checked as.
#[derive(Debug, Clone, Default)]
pub struct Request<'a> {
    /// `CREATE` when empty.
    pub operation: &'a str,
    pub namespace_labels: Option<&'a Map<String, Value>>,
    pub info: RequestInfo,
    /// Values set in the context before evaluation (`request.operation`, context entries),
    /// keyed by dotted path; applied to every policy.
    pub values: Option<&'a Map<String, Value>>,
}

impl Request<'_> {
    /// The operation, `CREATE` when none is given.
    pub fn operation(&self) -> &str {
        if self.operation.is_empty() {
            "CREATE"
        } else {
            self.operation
        }
    }

    /// `request.userInfo`; null without request information, as in Kyverno's background
    /// processing.
    fn user_info(&self) -> Value {
        if self.info.is_empty() {
            Value::Null
        } else {
            serde_json::json!({"username": self.info.username, "groups": self.info.groups})
        }
    }
}

/// One rule's verdict on one resource.
#[derive(Debug, Clone)]
pub struct Outcome {
    pub policy: String,
    pub rule: String,
    pub status: Status,
    pub message: String,
    pub action: Action,
}

/// A set of Kyverno policies.
#[derive(Debug, Clone, Default)]
pub struct Kyverno {
    policies: Vec<Policy>,
    /// ValidatingPolicies, with the file each came from.
    cel_policies: Vec<(String, std::sync::Arc<vpol::ValidatingPolicy>)>,
}

impl Kyverno {
    /// Adds a `ClusterPolicy` or `Policy`.
    pub fn add(&mut self, path: &str, doc: &Value) -> Result<(), PolicyError> {
        let meta = doc.get("metadata");
        let name = meta
            .and_then(|m| m.get("name"))
            .and_then(Value::as_str)
            .ok_or_else(|| PolicyError::parse(path, "Kyverno policy without metadata.name"))?
            .to_string();
        let kind = doc.get("kind").and_then(Value::as_str).unwrap_or("");
        let spec = doc
            .get("spec")
            .ok_or_else(|| PolicyError::parse(path, format!("Kyverno policy {name}: no spec")))?;
        let rules = spec.get("rules").and_then(Value::as_array).ok_or_else(|| {
            PolicyError::parse(path, format!("Kyverno policy {name}: no spec.rules"))
        })?;
        for r in rules {
            if r.get("name")
                .and_then(Value::as_str)
                .is_none_or(str::is_empty)
            {
                return Err(PolicyError::parse(
                    path,
                    format!("Kyverno policy {name}: a rule without a name"),
                ));
            }
            if r.get("match").is_none() {
                return Err(PolicyError::parse(
                    path,
                    format!("Kyverno policy {name}: rule without match"),
                ));
            }
            if let Some(ps) = r.pointer("/validate/podSecurity") {
                pss::PodSecurity::parse(ps)
                    .map_err(|e| PolicyError::parse(path, format!("Kyverno policy {name}: {e}")))?;
            }
        }
        let annotations = meta
            .and_then(|m| m.get("annotations"))
            .and_then(Value::as_object);
        let ann = |k: &str| {
            annotations
                .and_then(|a| a.get(k))
                .and_then(Value::as_str)
                .map(str::to_string)
        };
        let namespace = if kind == "Policy" {
            Some(
                meta.and_then(|m| m.get("namespace"))
                    .and_then(Value::as_str)
                    .unwrap_or("default")
                    .to_string(),
            )
        } else {
            None
        };
        let action = Action::parse(
            spec.get("validationFailureAction")
                .or_else(|| spec.get("failureAction")),
        );
        self.policies.push(Policy {
            name,
            namespace,
            path: path.to_string(),
            action,
            severity: ann("policies.kyverno.io/severity"),
            title: ann("policies.kyverno.io/title"),
            scored: ann("policies.kyverno.io/scored").as_deref() != Some("false"),
            rules: autogen::compute(rules, annotations),
        });
        Ok(())
    }

    /// A Kyverno CEL policy (`policies.kyverno.io` ValidatingPolicy or
    /// NamespacedValidatingPolicy).
    pub fn add_cel(&mut self, path: &str, doc: &Value) -> Result<(), PolicyError> {
        let p = vpol::ValidatingPolicy::parse(doc).map_err(|e| PolicyError::parse(path, e))?;
        self.cel_policies
            .push((path.to_string(), std::sync::Arc::new(p)));
        Ok(())
    }

    pub fn policies(&self) -> &[Policy] {
        &self.policies
    }

    pub fn is_empty(&self) -> bool {
        self.policies.is_empty() && self.cel_policies.is_empty()
    }

    /// The set with only the named policy (values files apply per policy).
    pub fn only(&self, name: &str) -> Kyverno {
        Kyverno {
            policies: self
                .policies
                .iter()
                .filter(|p| p.name == name)
                .cloned()
                .collect(),
            cel_policies: Vec::new(),
        }
    }

    /// Every validate rule of every policy that applies to `resource`.
    pub fn evaluate(&self, resource: &Value, req: &Request<'_>) -> Vec<Outcome> {
        self.evaluate_with(resource, req, |_, _| None)
    }

    /// As [`Kyverno::evaluate`], with extra context values per (policy, rule) (the Kyverno
    /// CLI's values file).
    pub fn evaluate_with<'v>(
        &self,
        resource: &Value,
        req: &Request<'_>,
        rule_values: impl Fn(&str, &str) -> Option<&'v Map<String, Value>>,
    ) -> Vec<Outcome> {
        let operation = req.operation();
        let subject = matching::Subject::of(resource, operation, req.namespace_labels, &req.info);
        let user_info = req.user_info();
        let mut out = Vec::new();
        // The request's context, built once (it holds a copy of the resource). Rules leave it
        // as they found it unless they load `context` entries or get values of their own:
        // those work on a copy.
        let mut shared: Option<Value> = None;
        for p in &self.policies {
            for r in &p.rules {
                if r.get("validate").is_none() {
                    continue;
                }
                if !matching::applies(r, p.namespace.as_deref(), &subject) {
                    continue;
                }
                let rule_name = r.get("name").and_then(Value::as_str).unwrap_or("");
                let base = shared.get_or_insert_with(|| {
                    rule::context_for(
                        resource,
                        operation,
                        &user_info,
                        subject.namespace,
                        req.values,
                    )
                });
                let extra = rule_values(&p.name, rule_name);
                let mut own;
                let ctx = if extra.is_some() || r.get("context").is_some() {
                    own = base.clone();
                    if let Some(extra) = extra {
                        rule::set_values(&mut own, extra);
                    }
                    &mut own
                } else {
                    base
                };
                let Some(resp) = rule::validate(r, ctx, resource) else {
                    continue;
                };
                let action =
                    Action::parse(r.pointer("/validate/failureAction")).max_with(p.action, r);
                let status = if resp.status == Status::Fail && !p.scored {
                    Status::Warn
                } else {
                    resp.status
                };
                out.push(Outcome {
                    policy: p.name.clone(),
                    rule: rule_name.to_string(),
                    status,
                    message: resp.message,
                    action,
                });
            }
        }
        if !self.cel_policies.is_empty() {
            self.evaluate_cel(
                resource,
                operation,
                &user_info,
                subject.namespace,
                req,
                &mut out,
            );
        }
        out
    }

    /// ValidatingPolicies on the resource. Their outcomes have no rule name; `Deny` among
    /// `validationActions` is `Enforce`.
    fn evaluate_cel(
        &self,
        resource: &Value,
        operation: &str,
        user_info: &Value,
        namespace: &str,
        req: &Request<'_>,
        out: &mut Vec<Outcome>,
    ) {
        // The namespace as far as the scan knows it: its name and labels.
        let ns_object = (!namespace.is_empty()).then(|| {
            serde_json::json!({
                "apiVersion": "v1",
                "kind": "Namespace",
                "metadata": {
                    "name": namespace,
                    "labels": req.namespace_labels.cloned().unwrap_or_default(),
                },
            })
        });
        let input = vpol::Input {
            resource,
            operation,
            user_info,
            namespace: ns_object.as_ref(),
            mocks: None,
        };
        for (_, p) in &self.cel_policies {
            let action = if p.actions.is_empty() || p.actions.iter().any(|a| a == "Deny") {
                Action::Enforce
            } else {
                Action::Audit
            };
            for v in p.evaluate(&input) {
                let (status, message) = match v {
                    vpol::Verdict::Pass => (Status::Pass, String::new()),
                    vpol::Verdict::Fail(m) => (Status::Fail, m),
                    vpol::Verdict::Skip(m) => (Status::Skip, m),
                    vpol::Verdict::Error(m) => (Status::Error, m),
                };
                out.push(Outcome {
                    policy: p.name.clone(),
                    rule: String::new(),
                    status,
                    message,
                    action,
                });
            }
        }
    }
}

impl Action {
    /// A rule's own `validate.failureAction` wins over the policy's.
    fn max_with(self, policy: Action, rule: &Value) -> Action {
        if rule.pointer("/validate/failureAction").is_some() {
            self
        } else {
            policy
        }
    }
}
