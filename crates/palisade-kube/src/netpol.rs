//! NetworkPolicy model: which pods a policy selects and whether a namespace denies by default.

use crate::object::{labels_of, Obj};
use crate::yaml::Node;

pub fn policies(objects: &[Obj]) -> impl Iterator<Item = &Obj> {
    objects
        .iter()
        .filter(|o| o.kind == "NetworkPolicy" && o.api_version.starts_with("networking.k8s.io"))
}

/// Whether a label selector matches `labels`. An empty selector matches everything; a selector
/// this code cannot read matches nothing (so it never hides a finding).
pub fn selector_matches(sel: Option<&Node>, labels: &[(&str, &str)]) -> bool {
    let Some(sel) = sel else { return true };
    if sel.is_null() {
        return true;
    }
    if !sel.is_map() {
        return false;
    }
    let get = |k: &str| labels.iter().find(|(lk, _)| *lk == k).map(|(_, v)| *v);
    for (k, v) in labels_of(sel.get("matchLabels")) {
        if get(k) != Some(v) {
            return false;
        }
    }
    for e in sel.get("matchExpressions").map(Node::as_seq).unwrap_or(&[]) {
        let key = e.get("key").and_then(Node::as_str).unwrap_or("");
        let values: Vec<&str> = e
            .get("values")
            .map(|v| v.as_seq().iter().filter_map(Node::as_str).collect())
            .unwrap_or_default();
        let ok = match e.get("operator").and_then(Node::as_str) {
            Some("In") => get(key).is_some_and(|v| values.contains(&v)),
            Some("NotIn") => !get(key).is_some_and(|v| values.contains(&v)),
            Some("Exists") => get(key).is_some(),
            Some("DoesNotExist") => get(key).is_none(),
            _ => false,
        };
        if !ok {
            return false;
        }
    }
    true
}

fn is_empty_selector(sel: Option<&Node>) -> bool {
    match sel {
        None => true,
        Some(s) => {
            s.is_null()
                || s.as_map().iter().all(|(_, v)| {
                    v.is_null()
                        || v.is_empty_map()
                        || v.as_seq().is_empty() && !v.is_map() && v.as_str().is_none()
                })
        }
    }
}

/// Policy types the policy governs, with the API server's defaulting.
pub fn policy_types(p: &Obj) -> (bool, bool) {
    match p.root.at("spec.policyTypes") {
        Some(t) if !t.as_seq().is_empty() => {
            let has = |x: &str| t.as_seq().iter().any(|n| n.as_str() == Some(x));
            (has("Ingress"), has("Egress"))
        }
        _ => (true, p.root.at("spec.egress").is_some()),
    }
}

/// (denies all ingress, denies all egress) for every pod in its namespace.
pub fn default_deny(p: &Obj) -> (bool, bool) {
    if !is_empty_selector(p.root.at("spec.podSelector")) {
        return (false, false);
    }
    let (ing, eg) = policy_types(p);
    let empty = |f: &str| {
        p.root
            .at(f)
            .is_none_or(|n| n.as_seq().is_empty() && !n.is_map())
    };
    (ing && empty("spec.ingress"), eg && empty("spec.egress"))
}

pub fn selects(p: &Obj, pod_ns: &str, labels: &[(&str, &str)]) -> bool {
    p.ns() == pod_ns && selector_matches(p.root.at("spec.podSelector"), labels)
}

/// Policies by namespace, built once per scan: a workload is only compared with the policies
/// of its own namespace.
pub fn policies_by_namespace(objects: &[Obj]) -> std::collections::HashMap<&str, Vec<&Obj>> {
    let mut by_ns: std::collections::HashMap<&str, Vec<&Obj>> = std::collections::HashMap::new();
    for p in policies(objects) {
        by_ns.entry(p.ns()).or_default().push(p);
    }
    by_ns
}

/// Namespaces with workloads but no default-deny policy for one direction: one hit per
/// namespace, on its first workload. Shared by the ingress (K8S060) and egress (K8S061) rules.
pub fn namespaces_without_default_deny(
    objects: &[Obj],
    egress: bool,
) -> Vec<(usize, crate::rules::Hit)> {
    let direction = if egress { "egress" } else { "ingress" };
    // Namespaces with such a policy, found in one pass: per-workload passes over every
    // object were quadratic in a list of many thousand workloads.
    let denied_in: std::collections::HashSet<&str> = policies(objects)
        .filter(|p| {
            let (ing, eg) = default_deny(p);
            if egress {
                eg
            } else {
                ing
            }
        })
        .map(|p| p.ns())
        .collect();
    let mut seen: std::collections::HashSet<&str> = std::collections::HashSet::new();
    let mut hits = Vec::new();
    for (i, o) in objects.iter().enumerate() {
        if o.pod().is_none() || !seen.insert(o.ns()) {
            continue;
        }
        let denied = denied_in.contains(o.ns());
        if !denied {
            hits.push((
                i,
                crate::rules::Hit::new(
                    "metadata.namespace",
                    o.root.at("metadata.namespace"),
                    &o.root,
                    format!(
                        "Namespace {} has no default-deny {direction} NetworkPolicy (first workload: {})",
                        o.ns(),
                        o.display()
                    ),
                ),
            ));
        }
    }
    hits
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::yaml::{parse_stream, Limits};

    fn node(s: &str) -> Node {
        parse_stream(s, &Limits::default())
            .remove(0)
            .result
            .unwrap()
    }

    #[test]
    fn selectors_match_labels_and_expressions() {
        let labels = [("app", "web"), ("tier", "front")];
        assert!(selector_matches(Some(&node("{}")), &labels));
        assert!(selector_matches(
            Some(&node("matchLabels: {app: web}")),
            &labels
        ));
        assert!(!selector_matches(
            Some(&node("matchLabels: {app: db}")),
            &labels
        ));
        assert!(selector_matches(
            Some(&node(
                "matchExpressions: [{key: tier, operator: In, values: [front]}]"
            )),
            &labels
        ));
        assert!(!selector_matches(
            Some(&node(
                "matchExpressions: [{key: tier, operator: DoesNotExist}]"
            )),
            &labels
        ));
        assert!(!selector_matches(
            Some(&node("matchExpressions: [{key: tier, operator: Bogus}]")),
            &labels
        ));
    }
}
