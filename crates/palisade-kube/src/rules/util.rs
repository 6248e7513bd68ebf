//! Helpers the rule files share.

use super::Hit;
use crate::object::{Container, PodSpec};
use crate::yaml::Node;
use palisade_core::ImageRef;

pub const FAMILY: palisade_core::RuleFamily = palisade_core::RuleFamily::Kubernetes;
pub const PSS_DOC: &str = "https://kubernetes.io/docs/concepts/security/pod-security-standards/";
pub const SC_DOC: &str =
    "https://kubernetes.io/docs/tasks/configure-pod-container/security-context/";
pub const RBAC_DOC: &str = "https://kubernetes.io/docs/concepts/security/rbac-good-practices/";
pub const NETPOL_DOC: &str =
    "https://kubernetes.io/docs/concepts/services-networking/network-policies/";

/// A hit per container whose `securityContext.<field>` satisfies `bad`.
pub fn container_sc_hits(
    pod: &PodSpec,
    field: &str,
    bad: impl Fn(&Node) -> bool,
    message: impl Fn(&Container) -> String,
) -> Vec<Hit> {
    pod.containers()
        .iter()
        .filter_map(|c| {
            let n = c.sc(field)?;
            bad(n).then(|| {
                Hit::new(
                    c.field(&format!("securityContext.{field}")),
                    Some(n),
                    c.node,
                    message(c),
                )
            })
        })
        .collect()
}

/// The pod-level `securityContext.<field>` as a hit when it satisfies `bad`.
pub fn pod_sc_hit(
    pod: &PodSpec,
    field: &str,
    bad: impl Fn(&Node) -> bool,
    message: &str,
) -> Option<Hit> {
    let n = pod.psc(field)?;
    bad(n).then(|| {
        Hit::new(
            pod.field(&format!("securityContext.{field}")),
            Some(n),
            pod.spec,
            message,
        )
    })
}

/// The value a container runs with: its own `securityContext.<field>`, else the pod's.
pub fn effective<'a>(
    pod: &PodSpec<'a>,
    c: &Container<'a>,
    field: &str,
) -> Option<(&'a Node, String)> {
    if let Some(n) = c.node.get("securityContext").and_then(|sc| sc.at(field)) {
        return Some((n, c.field(&format!("securityContext.{field}"))));
    }
    pod.psc(field)
        .map(|n| (n, pod.field(&format!("securityContext.{field}"))))
}

/// Capability names as written, upper-cased and without a `CAP_` prefix.
pub fn caps(node: Option<&Node>) -> Vec<(String, &Node)> {
    node.map(|n| {
        n.as_seq()
            .iter()
            .filter_map(|c| c.as_str().map(|s| (normalize_cap(s), c)))
            .collect()
    })
    .unwrap_or_default()
}

pub fn normalize_cap(s: &str) -> String {
    let up = s.trim().to_ascii_uppercase();
    up.strip_prefix("CAP_").map(str::to_string).unwrap_or(up)
}

pub fn added_caps<'a>(c: &Container<'a>) -> Vec<(String, &'a Node, usize)> {
    c.sc("capabilities.add")
        .map(|n| {
            n.as_seq()
                .iter()
                .enumerate()
                .filter_map(|(i, v)| v.as_str().map(|s| (normalize_cap(s), v, i)))
                .collect()
        })
        .unwrap_or_default()
}

pub fn dropped_caps(c: &Container) -> Vec<String> {
    caps(c.sc("capabilities.drop"))
        .into_iter()
        .map(|(s, _)| s)
        .collect()
}

/// Quantity fields under `resources.<section>.<name>` that are present and non-empty.
pub fn has_resource(c: &Container, section: &str, name: &str) -> bool {
    c.node
        .get("resources")
        .and_then(|r| r.get(section))
        .and_then(|s| s.get(name))
        .is_some_and(|v| !v.is_null())
}

/// Hits for every regular container lacking `resources.<section>.<name>`.
pub fn missing_resource(pod: &PodSpec, section: &str, name: &str, what: &str) -> Vec<Hit> {
    pod.app_containers()
        .iter()
        .filter(|c| !has_resource(c, section, name))
        .map(|c| {
            Hit::new(
                c.field(&format!("resources.{section}.{name}")),
                c.node.get("resources"),
                c.node,
                format!(
                    "Container '{}' does not set {what} (resources.{section}.{name})",
                    c.name
                ),
            )
        })
        .collect()
}

/// (tag, digest) of a container image. A reference that does not parse cannot be shown to
/// be pinned, so it counts as having neither, with one exception: a digest of the wrong
/// length (`app:1.0@sha256:1234`, common in examples and docs) still says the author pinned
/// the image, and the runtime refuses to pull it, so it can never run unpinned. Its digest
/// is taken at its word and the tag read from the rest (Trivy and Checkov read it so too).
pub fn image_pins(image: &str) -> (Option<String>, Option<String>) {
    if let Ok(r) = ImageRef::parse(image) {
        return (r.tag().map(str::to_string), r.digest().map(str::to_string));
    }
    if let Some((name, digest)) = image.rsplit_once('@') {
        if digest_shaped(digest) {
            if let Ok(r) = ImageRef::parse(name) {
                return (r.tag().map(str::to_string), Some(digest.to_string()));
            }
        }
    }
    (None, None)
}

/// `algorithm:hex`, whatever the length of the hex part.
fn digest_shaped(d: &str) -> bool {
    d.split_once(':').is_some_and(|(alg, hex)| {
        !alg.is_empty()
            && alg
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
            && !hex.is_empty()
            && hex.bytes().all(|b| b.is_ascii_hexdigit())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn image_pins_come_from_the_reference() {
        assert_eq!(image_pins("nginx"), (None, None));
        let sha = format!("sha256:{}", "ab".repeat(32));
        assert_eq!(
            image_pins(&format!("localhost:5000/a/b:1.2@{sha}")),
            (Some("1.2".into()), Some(sha.clone()))
        );
        assert_eq!(
            image_pins("gcr.io/x/y:latest"),
            (Some("latest".into()), None)
        );
        assert_eq!(image_pins("Not A Reference:1"), (None, None));
    }

    #[test]
    fn a_short_digest_still_pins() {
        assert_eq!(
            image_pins("gcr.io/x/kafka:1.0-10.2.1@sha256:123456"),
            (Some("1.0-10.2.1".into()), Some("sha256:123456".into()))
        );
        assert_eq!(
            image_pins("gcr.io/x/kafka@sha256:123456"),
            (None, Some("sha256:123456".into()))
        );
        // Not digest-shaped: nothing is pinned.
        assert_eq!(image_pins("gcr.io/x/kafka:1.0@latest"), (None, None));
        assert_eq!(image_pins("Not A Reference@sha256:12"), (None, None));
    }
}
