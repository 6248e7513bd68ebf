//! `matchConstraints` / `matchResources`: which requests a policy or binding applies to, as
//! the API server decides it (`admission/plugin/policy/matching` and the webhook predicates
//! it reuses for rules, namespace selectors and object selectors).

use crate::selector::Selector;
use serde_json::Value;

/// What the matcher needs to know of a request.
#[derive(Debug, Clone, Default)]
pub struct Attributes {
    pub group: String,
    pub version: String,
    pub kind: String,
    pub resource: String,
    pub subresource: String,
    /// As the API server sets it: the namespace's own name for a Namespace object.
    pub namespace: String,
    pub name: String,
    pub generate_name: String,
    pub operation: String,
    pub labels: Option<Value>,
    pub old_labels: Option<Value>,
    /// Labels of the request's namespace (for a Namespace CREATE/UPDATE: the object's own).
    pub namespace_labels: Option<Value>,
}

/// Parsed `MatchResources`.
#[derive(Debug, Clone, Default)]
pub struct MatchResources {
    namespace_selector: Selector,
    object_selector: Selector,
    rules: Vec<NamedRule>,
    exclude: Vec<NamedRule>,
    /// `matchPolicy: Equivalent` (the default): other versions of the same resource match.
    equivalent: bool,
}

#[derive(Debug, Clone, Default)]
struct NamedRule {
    groups: Vec<String>,
    versions: Vec<String>,
    resources: Vec<String>,
    operations: Vec<String>,
    scope: String,
    names: Vec<String>,
}

/// How strictly rules are read. The Kyverno CLI evaluates policies whose rules list no
/// `operations` (the API server would refuse them), so its emulation treats none as all.
#[derive(Debug, Clone, Copy, Default)]
pub struct Leniency {
    pub empty_operations_match_all: bool,
}

impl MatchResources {
    pub fn parse(v: &Value) -> Result<MatchResources, String> {
        let rules = |key: &str| -> Result<Vec<NamedRule>, String> {
            match v.get(key) {
                None | Some(Value::Null) => Ok(Vec::new()),
                Some(Value::Array(a)) => a.iter().map(NamedRule::parse).collect(),
                Some(_) => Err(format!("{key} must be a list")),
            }
        };
        let equivalent = match v.get("matchPolicy").and_then(Value::as_str) {
            None | Some("Equivalent") => true,
            Some("Exact") => false,
            Some(other) => return Err(format!("unknown matchPolicy {other:?}")),
        };
        Ok(MatchResources {
            namespace_selector: Selector::parse(v.get("namespaceSelector"))
                .map_err(|e| format!("namespaceSelector: {e}"))?,
            object_selector: Selector::parse(v.get("objectSelector"))
                .map_err(|e| format!("objectSelector: {e}"))?,
            rules: rules("resourceRules")?,
            exclude: rules("excludeResourceRules")?,
            equivalent,
        })
    }

    /// Whether the request is in scope: namespace and object selectors, no exclude rule, and
    /// a resource rule (none listed matches everything, as for bindings).
    pub fn matches(&self, a: &Attributes, lenient: Leniency) -> bool {
        if !self.namespace_matches(a) {
            return false;
        }
        if !self.object_selector.is_empty()
            && !self.object_selector.matches(a.labels.as_ref())
            && !self.object_selector.matches(a.old_labels.as_ref())
        {
            return false;
        }
        if self.rules_match(&self.exclude, a, lenient) {
            return false;
        }
        self.rules.is_empty() || self.rules_match(&self.rules, a, lenient)
    }

    /// The webhook namespace predicate: cluster-scoped objects other than namespaces are never
    /// exempted by a namespace selector.
    fn namespace_matches(&self, a: &Attributes) -> bool {
        if a.namespace.is_empty() && a.resource != "namespaces" {
            return true;
        }
        self.namespace_selector.is_empty()
            || self.namespace_selector.matches(a.namespace_labels.as_ref())
    }

    fn rules_match(&self, rules: &[NamedRule], a: &Attributes, lenient: Leniency) -> bool {
        let named = |r: &NamedRule| {
            r.names.is_empty()
                || if a.name.is_empty() {
                    // Kyverno's matcher, for objects named by the server: generateName prefix.
                    !a.generate_name.is_empty()
                        && r.names
                            .iter()
                            .any(|n| a.generate_name.starts_with(n.as_str()))
                } else {
                    r.names.contains(&a.name)
                }
        };
        if rules
            .iter()
            .any(|r| r.matches(a, &a.group, &a.version, lenient) && named(r))
        {
            return true;
        }
        // Equivalent: the same resource under another version or an equivalent group.
        self.equivalent
            && rules.iter().any(|r| {
                equivalent_groups(&a.group, &a.resource)
                    .iter()
                    .any(|g| r.versions.iter().any(|v| r.matches(a, g, v, lenient)))
                    && named(r)
            })
    }
}

impl NamedRule {
    fn parse(v: &Value) -> Result<NamedRule, String> {
        let list = |key: &str| -> Result<Vec<String>, String> {
            match v.get(key) {
                None | Some(Value::Null) => Ok(Vec::new()),
                Some(Value::Array(a)) => a
                    .iter()
                    .map(|x| {
                        x.as_str()
                            .map(String::from)
                            .ok_or_else(|| format!("{key} must list strings"))
                    })
                    .collect(),
                Some(_) => Err(format!("{key} must be a list")),
            }
        };
        let scope = v
            .get("scope")
            .and_then(Value::as_str)
            .unwrap_or("*")
            .to_string();
        if !matches!(scope.as_str(), "*" | "Cluster" | "Namespaced") {
            return Err(format!("unknown scope {scope:?}"));
        }
        Ok(NamedRule {
            groups: list("apiGroups")?,
            versions: list("apiVersions")?,
            resources: list("resources")?,
            operations: list("operations")?,
            scope,
            names: list("resourceNames")?,
        })
    }

    /// The rules predicate, for the request's resource seen as `group`/`version`.
    fn matches(&self, a: &Attributes, group: &str, version: &str, lenient: Leniency) -> bool {
        let any = |items: &[String], x: &str| items.iter().any(|i| i == "*" || i == x);
        let namespaces = a.resource == "namespaces" && a.group.is_empty();
        let scope = match self.scope.as_str() {
            "Namespaced" => !namespaces && !a.namespace.is_empty(),
            "Cluster" => namespaces || a.namespace.is_empty(),
            _ => true,
        };
        let operation = any(&self.operations, &a.operation)
            || (lenient.empty_operations_match_all && self.operations.is_empty());
        let resource = self.resources.iter().any(|r| {
            let (res, sub) = r.split_once('/').unwrap_or((r.as_str(), ""));
            (res == "*" || res == a.resource) && (sub == "*" || sub == a.subresource)
        });
        scope && operation && any(&self.groups, group) && any(&self.versions, version) && resource
    }
}

/// Groups serving the same resource (the API server's equivalent resource mapper), the
/// request's own first.
fn equivalent_groups(group: &str, resource: &str) -> Vec<String> {
    let mut out = vec![group.to_string()];
    let alias = match (group, resource) {
        ("apps", "deployments" | "daemonsets" | "replicasets") => Some("extensions"),
        ("extensions", "deployments" | "daemonsets" | "replicasets") => Some("apps"),
        ("networking.k8s.io", "ingresses" | "networkpolicies") => Some("extensions"),
        ("extensions", "ingresses" | "networkpolicies") => Some("networking.k8s.io"),
        _ => None,
    };
    out.extend(alias.map(String::from));
    out
}

/// `apiVersion` split into group and version (`v1` is the core group).
pub fn group_version(api_version: &str) -> (String, String) {
    match api_version.rsplit_once('/') {
        Some((g, v)) => (g.to_string(), v.to_string()),
        None => (String::new(), api_version.to_string()),
    }
}

/// The plural resource name of a kind: the built-in kinds whose plural is irregular, then
/// the API machinery's rule (`…s` → `…ses`, consonant + `y` → `…ies`, else `…s`).
pub fn resource_of(kind: &str) -> String {
    const IRREGULAR: &[(&str, &str)] = &[
        ("Endpoints", "endpoints"),
        ("PodMetrics", "pods"),
        ("NodeMetrics", "nodes"),
    ];
    if let Some((_, r)) = IRREGULAR.iter().find(|(k, _)| *k == kind) {
        return (*r).to_string();
    }
    let lower = kind.to_ascii_lowercase();
    let bytes = lower.as_bytes();
    match bytes.last() {
        Some(b's' | b'x') => format!("{lower}es"),
        Some(b'h') if lower.ends_with("ch") || lower.ends_with("sh") => format!("{lower}es"),
        Some(b'y')
            if bytes.len() > 1
                && !matches!(bytes[bytes.len() - 2], b'a' | b'e' | b'i' | b'o' | b'u') =>
        {
            format!("{}ies", &lower[..lower.len() - 1])
        }
        _ => format!("{lower}s"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn plural_resources() {
        for (k, r) in [
            ("Deployment", "deployments"),
            ("Ingress", "ingresses"),
            ("NetworkPolicy", "networkpolicies"),
            ("StorageClass", "storageclasses"),
            ("Endpoints", "endpoints"),
            ("Gateway", "gateways"),
            ("Namespace", "namespaces"),
        ] {
            assert_eq!(resource_of(k), r);
        }
    }

    #[test]
    fn rules_scope_subresources_and_names() {
        let m = MatchResources::parse(&json!({"resourceRules": [{
            "apiGroups": ["apps"], "apiVersions": ["v1beta1"], "operations": ["CREATE"],
            "resources": ["deployments", "pods/*"], "resourceNames": ["web"], "scope": "Namespaced"}]}))
        .unwrap();
        let mut a = Attributes {
            group: "apps".into(),
            version: "v1".into(),
            resource: "deployments".into(),
            namespace: "ns".into(),
            name: "web".into(),
            operation: "CREATE".into(),
            ..Default::default()
        };
        assert!(m.matches(&a, Leniency::default()), "equivalent version");
        a.name = "other".into();
        assert!(!m.matches(&a, Leniency::default()));
        a.name = "web".into();
        a.namespace.clear();
        assert!(!m.matches(&a, Leniency::default()), "cluster scope");
        a.namespace = "ns".into();
        a.operation = "DELETE".into();
        assert!(!m.matches(&a, Leniency::default()));
        let exact = MatchResources::parse(&json!({"matchPolicy": "Exact", "resourceRules": [{
            "apiGroups": ["apps"], "apiVersions": ["v1beta1"], "operations": ["*"], "resources": ["*"]}]}))
        .unwrap();
        assert!(!exact.matches(&a, Leniency::default()));
    }
}
