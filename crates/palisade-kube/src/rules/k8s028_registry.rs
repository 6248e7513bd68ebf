use super::*;
use palisade_core::{RuleDocs, Severity};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        id: "K8S028",
        family: FAMILY,
        title: "Image from a registry outside the allow-list",
        severity: Severity::Medium,
        docs: RuleDocs {
            why: "Images from registries the organisation does not control or mirror escape its scanning, signing and retention policies. Active only when an allow-list is configured.",
            fix: "Mirror the image into an allowed registry and reference it from there, or add the registry to the allow-list.",
            bad_example: "# allowed_registries: [registry.example.com]\napiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - {name: app, image: docker.io/library/nginx:1.27}\n",
            good_example: "# allowed_registries: [registry.example.com]\napiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - {name: app, image: registry.example.com/mirror/nginx:1.27}\n",
        },
        related: &[],
        partial: &[
            Partial::new(
                "KSV-0032",
                "Trivy's check requires every image to come from one fixed registry and is not among its default checks (it never ran here); this rule checks the allow-list set in palisade.yaml.",
            ),
            Partial::new(
                "KSV-0033",
                "Trivy's check requires every image to come from one fixed registry and is not among its default checks (it never ran here); this rule checks the allow-list set in palisade.yaml.",
            ),
            Partial::new(
                "KSV-0034",
                "Trivy's check requires every image to come from one fixed registry and is not among its default checks (it never ran here); this rule checks the allow-list set in palisade.yaml.",
            ),
            Partial::new(
                "KSV-0035",
                "Trivy's check requires every image to come from one fixed registry and is not among its default checks (it never ran here); this rule checks the allow-list set in palisade.yaml.",
            ),
            Partial::new(
                "C-0078",
                "Kubescape's allowed-registries control, with its own registry list. Kubescape is not among the peers run here, so this is not measured.",
            ),
        ],
        compliance: &["NSA-IMAGE-SECURE"],
        references: &["https://kubernetes.io/docs/concepts/containers/images/"],
    },
    pss: None,
    check: Check::Pod(check),
};

/// Whether `image` lives under one of the `allow` prefixes (`registry[/path]`), compared on
/// the fully qualified name: Docker Hub is the registry of references that name none, and
/// its official images are `library/…`. A reference that does not parse is allowed nowhere.
pub fn allowed(image: &str, allow: &[String]) -> bool {
    let Ok(r) = palisade_core::ImageRef::parse(image) else {
        return false;
    };
    let full = r.name();
    allow.iter().any(|a| {
        let a = a.trim_end_matches('/');
        full == a || full.starts_with(&format!("{a}/"))
    })
}

fn check(ctx: &Ctx, _: &Obj, pod: &PodSpec) -> Vec<Hit> {
    let allow = &ctx.opts.allowed_registries;
    if allow.is_empty() {
        return Vec::new();
    }
    pod.containers()
        .iter()
        .filter(|c| !c.image().is_empty() && !allowed(c.image(), allow))
        .map(|c| {
            Hit::new(
                c.field("image"),
                c.node.get("image"),
                c.node,
                format!(
                    "Container '{}' image {:?} is not from an allowed registry ({})",
                    c.name,
                    c.image(),
                    allow.join(", ")
                ),
            )
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn registry_prefixes_match_whole_segments() {
        let allow = vec![
            "registry.example.com/team".to_string(),
            "docker.io/library".to_string(),
        ];
        assert!(allowed("registry.example.com/team/app:1", &allow));
        assert!(!allowed("registry.example.com/teamx/app:1", &allow));
        assert!(allowed("nginx", &["docker.io".to_string()]));
        // Official images are `library/…` on Docker Hub, however they are written.
        assert!(allowed("nginx:1.27", &allow));
        assert!(allowed("docker.io/library/nginx", &allow));
        assert!(!allowed("Not/A Reference", &["docker.io".to_string()]));
        assert!(!allowed("evil.io/registry.example.com/team/app", &allow));
    }
}
