//! Constraints: which objects a template applies to, with what parameters and what action.

use crate::selector::Selector;
use crate::PolicyError;
use serde_json::Value;

/// What a violation does at an enforcement point.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Action {
    /// Recorded only.
    Dryrun,
    /// Admitted with a warning.
    Warn,
    /// Refused.
    Deny,
}

impl Action {
    fn parse(s: &str) -> Option<Action> {
        match s.to_ascii_lowercase().as_str() {
            "deny" => Some(Action::Deny),
            "warn" => Some(Action::Warn),
            "dryrun" => Some(Action::Dryrun),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Action::Deny => "deny",
            Action::Warn => "warn",
            Action::Dryrun => "dryrun",
        }
    }
}

/// Enforcement points of Gatekeeper's scoped enforcement actions.
pub mod points {
    /// `gator test`/`gator verify`, and Palisade's own file scans.
    pub const GATOR: &str = "gator.gatekeeper.sh";
    /// The validating admission webhook.
    pub const VALIDATION: &str = "validation.gatekeeper.sh";
    /// Gatekeeper's audit of cluster state.
    pub const AUDIT: &str = "audit.gatekeeper.sh";
}

#[derive(Debug, Clone)]
pub struct Constraint {
    pub path: String,
    pub kind: String,
    pub name: String,
    pub parameters: Value,
    pub matcher: Match,
    enforcement: Enforcement,
}

#[derive(Debug, Clone)]
enum Enforcement {
    One(Action),
    /// `enforcementAction: scoped`: an action per enforcement point (`*` for all).
    Scoped(Vec<(Action, Vec<String>)>),
}

impl Constraint {
    pub fn parse(path: &str, doc: &Value) -> Result<Constraint, PolicyError> {
        let kind = doc.get("kind").and_then(Value::as_str).unwrap_or_default();
        let name = doc
            .pointer("/metadata/name")
            .and_then(Value::as_str)
            .unwrap_or_default();
        let at = format!("{path}#{kind}/{name}");
        let invalid = |m: String| PolicyError::InvalidConstraint {
            path: at.clone(),
            message: m,
        };
        if kind.is_empty() || name.is_empty() {
            return Err(invalid("a constraint needs kind and metadata.name".into()));
        }
        let spec = doc.get("spec").cloned().unwrap_or(Value::Null);
        let matcher = Match::parse(spec.get("match")).map_err(invalid)?;
        let action = spec
            .get("enforcementAction")
            .and_then(Value::as_str)
            .unwrap_or("deny");
        let enforcement = if action.eq_ignore_ascii_case("scoped") {
            let mut scoped = Vec::new();
            for s in spec
                .get("scopedEnforcementActions")
                .and_then(Value::as_array)
                .map(Vec::as_slice)
                .unwrap_or_default()
            {
                let a = s.get("action").and_then(Value::as_str).unwrap_or_default();
                let a = Action::parse(a)
                    .ok_or_else(|| invalid(format!("unknown enforcement action {a:?}")))?;
                let points = s
                    .get("enforcementPoints")
                    .and_then(Value::as_array)
                    .map(|ps| {
                        ps.iter()
                            .filter_map(|p| p.get("name")?.as_str().map(String::from))
                            .collect()
                    })
                    .unwrap_or_default();
                scoped.push((a, points));
            }
            Enforcement::Scoped(scoped)
        } else {
            Enforcement::One(
                Action::parse(action)
                    .ok_or_else(|| invalid(format!("unknown enforcement action {action:?}")))?,
            )
        };
        Ok(Constraint {
            path: path.to_string(),
            kind: kind.to_string(),
            name: name.to_string(),
            parameters: spec.get("parameters").cloned().unwrap_or(Value::Null),
            matcher,
            enforcement,
        })
    }

    /// The action at `point`, `None` when the constraint is not enforced there. Of several
    /// scoped actions naming the point, the strongest.
    pub fn action_at(&self, point: &str) -> Option<Action> {
        match &self.enforcement {
            Enforcement::One(a) => Some(*a),
            Enforcement::Scoped(list) => list
                .iter()
                .filter(|(_, ps)| ps.iter().any(|p| p == point || p == "*"))
                .map(|(a, _)| *a)
                .max(),
        }
    }
}

/// `spec.match` of a constraint.
#[derive(Debug, Clone, Default)]
pub struct Match {
    /// (apiGroups, kinds); empty = every kind.
    kinds: Vec<(Vec<String>, Vec<String>)>,
    namespaces: Option<Vec<String>>,
    excluded_namespaces: Vec<String>,
    label_selector: Option<Selector>,
    namespace_selector: Option<Selector>,
    scope: Scope,
    name: Option<String>,
}

#[derive(Debug, Clone, Copy, Default, PartialEq)]
enum Scope {
    #[default]
    All,
    Cluster,
    Namespaced,
}

/// What matching needs to know about the object under review.
pub struct Subject<'a> {
    pub group: &'a str,
    pub kind: &'a str,
    pub name: &'a str,
    /// May be empty for a namespaced object read from a file.
    pub namespace: &'a str,
    pub cluster_scoped: bool,
    pub labels: Option<&'a Value>,
    /// The labels of the object's namespace (of the object itself for a Namespace), when
    /// known.
    pub namespace_labels: Option<&'a Value>,
}

impl Match {
    fn parse(m: Option<&Value>) -> Result<Match, String> {
        let Some(m) = m.filter(|m| !m.is_null()) else {
            return Ok(Match::default());
        };
        let strings = |key: &str| -> Option<Vec<String>> {
            m.get(key).and_then(Value::as_array).map(|a| {
                a.iter()
                    .filter_map(|v| v.as_str().map(String::from))
                    .collect()
            })
        };
        let mut kinds = Vec::new();
        for k in m
            .get("kinds")
            .and_then(Value::as_array)
            .map(Vec::as_slice)
            .unwrap_or_default()
        {
            let list = |key: &str| -> Vec<String> {
                k.get(key)
                    .and_then(Value::as_array)
                    .map(|a| {
                        a.iter()
                            .filter_map(|v| v.as_str().map(String::from))
                            .collect()
                    })
                    .unwrap_or_default()
            };
            kinds.push((list("apiGroups"), list("kinds")));
        }
        let scope = match m.get("scope").and_then(Value::as_str).unwrap_or("*") {
            "*" => Scope::All,
            "Cluster" => Scope::Cluster,
            "Namespaced" => Scope::Namespaced,
            other => return Err(format!("unknown match.scope {other:?}")),
        };
        Ok(Match {
            kinds,
            namespaces: strings("namespaces"),
            excluded_namespaces: strings("excludedNamespaces").unwrap_or_default(),
            label_selector: m
                .get("labelSelector")
                .map(|v| Selector::parse(Some(v)))
                .transpose()?,
            namespace_selector: m
                .get("namespaceSelector")
                .map(|v| Selector::parse(Some(v)))
                .transpose()?,
            scope,
            name: m.get("name").and_then(Value::as_str).map(String::from),
        })
    }

    /// Gatekeeper's matching (pkg/mutation/match): every criterion that is set must hold.
    pub fn matches(&self, s: &Subject<'_>) -> bool {
        let kind_ok = self.kinds.is_empty()
            || self.kinds.iter().any(|(groups, kinds)| {
                (groups.is_empty() || groups.iter().any(|g| g == "*" || g == s.group))
                    && (kinds.is_empty() || kinds.iter().any(|k| k == "*" || k == s.kind))
            });
        if !kind_ok {
            return false;
        }
        let is_namespace = s.kind == "Namespace" && s.group.is_empty();
        let cluster_scoped = s.cluster_scoped && !is_namespace;
        match self.scope {
            Scope::Cluster if !s.cluster_scoped => return false,
            Scope::Namespaced if s.cluster_scoped => return false,
            _ => {}
        }
        if let Some(name) = &self.name {
            if !glob_match(name, s.name) {
                return false;
            }
        }
        // A Namespace is matched by its own name. Objects without a namespace (cluster-scoped
        // ones, and namespaced ones in a file that names none) are not held to the namespace
        // criteria, as in Gatekeeper: `gator verify` expects `namespaces: [default]` to
        // apply to a Pod that names no namespace.
        let ns = if is_namespace { s.name } else { s.namespace };
        if !cluster_scoped && !ns.is_empty() {
            if let Some(list) = &self.namespaces {
                if !list.iter().any(|p| glob_match(p, ns)) {
                    return false;
                }
            }
            if self.excluded_namespaces.iter().any(|p| glob_match(p, ns)) {
                return false;
            }
            if let Some(sel) = &self.namespace_selector {
                match s.namespace_labels {
                    Some(labels) => {
                        if !sel.matches(Some(labels)) {
                            return false;
                        }
                    }
                    // Gatekeeper cannot match an object whose namespace it has not cached.
                    None => return false,
                }
            }
        }
        if let Some(sel) = &self.label_selector {
            if !sel.matches(s.labels) {
                return false;
            }
        }
        true
    }
}

/// Gatekeeper's namespace and name patterns: exact, or one `*` at the start or the end.
fn glob_match(pattern: &str, value: &str) -> bool {
    if let Some(prefix) = pattern.strip_suffix('*') {
        value.starts_with(prefix)
    } else if let Some(suffix) = pattern.strip_prefix('*') {
        value.ends_with(suffix)
    } else {
        pattern == value
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn subject<'a>(kind: &'a str, ns: &'a str, labels: Option<&'a Value>) -> Subject<'a> {
        Subject {
            group: "",
            kind,
            name: "x",
            namespace: ns,
            cluster_scoped: ns.is_empty(),
            labels,
            namespace_labels: None,
        }
    }

    #[test]
    fn namespaces_globs_and_cluster_scope() {
        let m = Match::parse(Some(&json!({
            "kinds": [{"apiGroups": [""], "kinds": ["Pod", "Namespace"]}],
            "excludedNamespaces": ["kube-*"],
        })))
        .unwrap();
        assert!(m.matches(&subject("Pod", "default", None)));
        assert!(!m.matches(&subject("Pod", "kube-system", None)));
        assert!(!m.matches(&subject("Service", "default", None)));
        let only = Match::parse(Some(&json!({"namespaces": ["prod"]}))).unwrap();
        assert!(!only.matches(&subject("Pod", "dev", None)));
        assert!(only.matches(&subject("ClusterRole", "", None)));
        let cluster = Match::parse(Some(&json!({"scope": "Cluster"}))).unwrap();
        assert!(!cluster.matches(&subject("Pod", "dev", None)));
    }

    #[test]
    fn scoped_actions_pick_the_point() {
        let c = Constraint::parse(
            "c.yaml",
            &json!({"kind": "K", "metadata": {"name": "n"}, "spec": {
                "enforcementAction": "scoped",
                "scopedEnforcementActions": [
                    {"action": "warn", "enforcementPoints": [{"name": points::VALIDATION}]}]}}),
        )
        .unwrap();
        assert_eq!(c.action_at(points::VALIDATION), Some(Action::Warn));
        assert_eq!(c.action_at(points::GATOR), None);
    }
}
