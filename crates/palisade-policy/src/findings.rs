//! Policy results as Palisade findings, so every report format, `--severity`, `--exit-code`
//! and suppression apply to them as to built-in rules.

use crate::gatekeeper::{Action, Gatekeeper, Violation};
use crate::{Outcome, Verdict};
use palisade_core::{Finding, FindingKind, Location, Severity};
use serde_json::{json, Value};

/// A Conftest rule result. The rule ID is `namespace.rule` (`main.deny`); the severity is the
/// result's `severity` field when it has one, else HIGH for failures and MEDIUM for warnings.
pub fn from_outcome(o: &Outcome, location: Location) -> Finding {
    let severity = o
        .metadata
        .get("severity")
        .and_then(Value::as_str)
        .and_then(|s| s.parse::<Severity>().ok())
        .filter(|s| *s != Severity::Unknown)
        .unwrap_or(match o.verdict {
            Verdict::Failure => Severity::High,
            Verdict::Warning => Severity::Medium,
        });
    let id = format!("{}.{}", o.namespace, o.rule);
    let title = o
        .metadata
        .get("title")
        .and_then(Value::as_str)
        .map(String::from)
        .unwrap_or_else(|| format!("Rego policy {id}"));
    let mut f = Finding::new(
        &id,
        FindingKind::Misconfiguration,
        severity,
        title,
        o.msg.clone(),
        location,
    );
    f.extra.insert(
        "policy".into(),
        json!({"engine": "rego", "namespace": o.namespace, "rule": o.rule, "verdict": o.verdict}),
    );
    if !o.metadata.is_empty() {
        f.extra
            .insert("metadata".into(), Value::Object(o.metadata.clone()));
    }
    f
}

/// A Gatekeeper violation. The rule ID is `Kind/name` of the constraint, as Gatekeeper's audit
/// names it; `deny` is HIGH, `warn` MEDIUM, `dryrun` LOW.
pub fn from_violation(v: &Violation, gk: &Gatekeeper, location: Location) -> Finding {
    let severity = match v.action {
        Action::Deny => Severity::High,
        Action::Warn => Severity::Medium,
        Action::Dryrun => Severity::Low,
    };
    let constraint = gk
        .constraints()
        .iter()
        .find(|c| c.kind == v.constraint_kind && c.name == v.constraint_name);
    let template = constraint.and_then(|c| gk.template_of(c));
    let title = template
        .and_then(|t| t.title.clone())
        .unwrap_or_else(|| v.constraint_kind.clone());
    let mut f = Finding::new(
        format!("{}/{}", v.constraint_kind, v.constraint_name),
        FindingKind::Misconfiguration,
        severity,
        title,
        v.msg.clone(),
        location,
    );
    f.extra.insert(
        "policy".into(),
        json!({
            "engine": "gatekeeper",
            "template": template.map(|t| t.name.as_str()),
            "constraint": constraint.map(|c| c.path.as_str()),
            "enforcementAction": v.action.as_str(),
        }),
    );
    if !v.details.is_null() {
        f.extra.insert("details".into(), v.details.clone());
    }
    f
}

/// A failed Kyverno rule. The rule ID is `policy/rule` (autogen's `autogen-` prefixes
/// dropped: the Deployment and the Pod break the same rule); the severity is the policy's
/// `policies.kyverno.io/severity` annotation, else HIGH under `Enforce` and MEDIUM under
/// `Audit`; a policy marked `scored: "false"` reports LOW.
pub fn from_kyverno(
    o: &crate::kyverno::Outcome,
    policy: Option<&crate::kyverno::Policy>,
    location: Location,
) -> Finding {
    use crate::kyverno::{Action, Status};
    let rule = o
        .rule
        .strip_prefix("autogen-cronjob-")
        .or_else(|| o.rule.strip_prefix("autogen-"))
        .unwrap_or(&o.rule);
    let severity = if o.status == Status::Warn {
        Severity::Low
    } else {
        policy
            .and_then(|p| p.severity.as_deref())
            .and_then(|s| s.parse::<Severity>().ok())
            .filter(|s| *s != Severity::Unknown)
            .unwrap_or(match o.action {
                Action::Enforce => Severity::High,
                Action::Audit => Severity::Medium,
            })
    };
    let title = policy
        .and_then(|p| p.title.clone())
        .unwrap_or_else(|| format!("Kyverno policy {}", o.policy));
    // ValidatingPolicies have no rules: the policy is the rule.
    let id = if rule.is_empty() {
        o.policy.clone()
    } else {
        format!("{}/{rule}", o.policy)
    };
    let mut f = Finding::new(
        id,
        FindingKind::Misconfiguration,
        severity,
        title,
        o.message.clone(),
        location,
    );
    f.extra.insert(
        "policy".into(),
        json!({
            "engine": "kyverno",
            "policy": o.policy,
            "rule": o.rule,
            "file": policy.map(|p| p.path.as_str()),
            "validationFailureAction": o.action.as_str(),
        }),
    );
    f
}

/// A ValidatingAdmissionPolicy that failed. The rule ID is the policy's name; the severity
/// follows the binding's `validationActions`: Deny HIGH, Warn MEDIUM, Audit LOW.
pub fn from_vap(o: &crate::vap::VapOutcome, location: Location) -> Finding {
    use crate::vap::ValidationAction;
    let severity = if o.actions.contains(&ValidationAction::Deny) {
        Severity::High
    } else if o.actions.contains(&ValidationAction::Warn) {
        Severity::Medium
    } else {
        Severity::Low
    };
    let actions: Vec<&str> = o
        .actions
        .iter()
        .map(|a| match a {
            ValidationAction::Deny => "Deny",
            ValidationAction::Warn => "Warn",
            ValidationAction::Audit => "Audit",
        })
        .collect();
    let mut f = Finding::new(
        o.policy.clone(),
        FindingKind::Misconfiguration,
        severity,
        format!("ValidatingAdmissionPolicy {}", o.policy),
        o.messages.join("; "),
        location,
    );
    f.extra.insert(
        "policy".into(),
        json!({
            "engine": "validatingadmissionpolicy",
            "binding": o.binding,
            "validationActions": actions,
            "reason": o.reason,
        }),
    );
    f
}
