//! RBAC resolution: roles, their rules, and the subject → binding → role paths that grant them.

use crate::object::Obj;
use crate::rules::Hit;
use crate::yaml::Node;

pub struct PolicyRule<'a> {
    pub index: usize,
    pub node: &'a Node,
    pub api_groups: Vec<&'a str>,
    pub resources: Vec<&'a str>,
    pub verbs: Vec<&'a str>,
}

impl PolicyRule<'_> {
    pub fn has_verb(&self, verbs: &[&str]) -> bool {
        self.verbs.iter().any(|v| *v == "*" || verbs.contains(v))
    }

    pub fn has_resource(&self, resources: &[&str]) -> bool {
        self.resources
            .iter()
            .any(|r| *r == "*" || resources.contains(r))
    }

    pub fn describe(&self) -> String {
        format!(
            "verbs [{}] on [{}]",
            self.verbs.join(", "),
            self.resources.join(", ")
        )
    }
}

fn strings(n: Option<&Node>) -> Vec<&str> {
    n.map(|n| n.as_seq().iter().filter_map(Node::as_str).collect())
        .unwrap_or_default()
}

pub fn is_role(o: &Obj) -> bool {
    matches!(o.kind.as_str(), "Role" | "ClusterRole")
        && o.api_version.starts_with("rbac.authorization.k8s.io")
}

pub fn is_binding(o: &Obj) -> bool {
    matches!(o.kind.as_str(), "RoleBinding" | "ClusterRoleBinding")
        && o.api_version.starts_with("rbac.authorization.k8s.io")
}

pub fn policy_rules(o: &Obj) -> Vec<PolicyRule<'_>> {
    o.root
        .get("rules")
        .map(|r| {
            r.as_seq()
                .iter()
                .enumerate()
                .map(|(index, node)| PolicyRule {
                    index,
                    node,
                    api_groups: strings(node.get("apiGroups")),
                    resources: strings(node.get("resources")),
                    verbs: strings(node.get("verbs")),
                })
                .collect()
        })
        .unwrap_or_default()
}

/// `Kind ns/name` of each subject of a binding, with its node.
pub fn subjects(b: &Obj) -> Vec<(String, &Node)> {
    b.root
        .get("subjects")
        .map(|s| {
            s.as_seq()
                .iter()
                .map(|n| {
                    let kind = n.get("kind").and_then(Node::as_str).unwrap_or("?");
                    let name = n.get("name").and_then(Node::as_str).unwrap_or("?");
                    let label = match n.get("namespace").and_then(Node::as_str) {
                        Some(ns) if kind == "ServiceAccount" => format!("{kind} {ns}/{name}"),
                        _ if kind == "ServiceAccount" => format!("{kind} {}/{name}", b.ns()),
                        _ => format!("{kind} {name}"),
                    };
                    (label, n)
                })
                .collect()
        })
        .unwrap_or_default()
}

pub fn role_ref(b: &Obj) -> (&str, &str) {
    (
        b.root
            .at("roleRef.kind")
            .and_then(Node::as_str)
            .unwrap_or(""),
        b.root
            .at("roleRef.name")
            .and_then(Node::as_str)
            .unwrap_or(""),
    )
}

/// Whether binding `b` grants role `r`.
fn binds(b: &Obj, r: &Obj) -> bool {
    let (kind, name) = role_ref(b);
    if kind != r.kind || name != r.name {
        return false;
    }
    // A RoleBinding grants a Role of its own namespace only; ClusterRoles are bindable anywhere.
    r.kind == "ClusterRole" || (b.kind == "RoleBinding" && b.ns() == r.ns())
}

/// Subject → binding → role paths through which `role` is granted.
pub fn grant_paths(objects: &[Obj], role: &Obj) -> Vec<String> {
    let mut out = Vec::new();
    for b in objects.iter().filter(|o| is_binding(o) && binds(o, role)) {
        let scope = if b.kind == "RoleBinding" {
            format!(" (in namespace {})", b.ns())
        } else {
            String::new()
        };
        for (s, _) in subjects(b) {
            out.push(format!(
                "{s} → {} {} → {} {}{scope}",
                b.kind, b.name, role.kind, role.name
            ));
        }
    }
    out
}

/// Hits for every rule of every Role/ClusterRole that `flag` objects to, with the grant paths.
pub fn role_rule_hits(
    objects: &[Obj],
    flag: impl Fn(&PolicyRule) -> Option<String>,
) -> Vec<(usize, Hit)> {
    let mut hits = Vec::new();
    for (i, o) in objects.iter().enumerate().filter(|(_, o)| is_role(o)) {
        let paths = grant_paths(objects, o);
        for rule in policy_rules(o) {
            let Some(what) = flag(&rule) else { continue };
            let via = match paths.first() {
                Some(p) if paths.len() > 1 => {
                    format!("; granted via {p} (+{} more)", paths.len() - 1)
                }
                Some(p) => format!("; granted via {p}"),
                None => "; not bound by any binding in the scanned manifests".to_string(),
            };
            let msg = format!(
                "{} {} rules[{}] {what} ({}){via}",
                o.kind,
                o.name,
                rule.index,
                rule.describe()
            );
            let hit = Hit::new(
                format!("rules[{}]", rule.index),
                Some(rule.node),
                &o.root,
                msg,
            )
            .with("rbac_paths", paths.clone().into());
            hits.push((i, hit));
        }
    }
    hits
}

/// Hits for every subject of every binding that `flag` objects to.
pub fn binding_subject_hits(
    objects: &[Obj],
    flag: impl Fn(&Obj, &str, &Node) -> Option<String>,
) -> Vec<(usize, Hit)> {
    let mut hits = Vec::new();
    for (i, b) in objects.iter().enumerate().filter(|(_, o)| is_binding(o)) {
        let (rk, rn) = role_ref(b);
        for (j, (label, node)) in subjects(b).into_iter().enumerate() {
            if let Some(what) = flag(b, &label, node) {
                let path = format!("{label} → {} {} → {rk} {rn}", b.kind, b.name);
                let hit = Hit::new(
                    format!("subjects[{j}]"),
                    Some(node),
                    &b.root,
                    format!("{what}: {path}"),
                )
                .with("rbac_paths", vec![path].into());
                hits.push((i, hit));
            }
        }
    }
    hits
}
