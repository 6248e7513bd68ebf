use super::*;
use palisade_core::{RuleDocs, Severity};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        id: "K8S012",
        family: FAMILY,
        title: "Seccomp explicitly unconfined",
        severity: Severity::High,
        docs: RuleDocs {
            why: "`seccompProfile.type: Unconfined` lets the container call every system call, widening the kernel attack surface; the Baseline policy forbids it.",
            fix: "Set `seccompProfile.type: RuntimeDefault` (or `Localhost`), or leave it unset.",
            bad_example: "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  securityContext:\n    seccompProfile: {type: Unconfined}\n  containers:\n  - {name: app, image: app:1.0}\n",
            good_example: "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  securityContext:\n    seccompProfile: {type: RuntimeDefault}\n  containers:\n  - {name: app, image: app:1.0}\n",
        },
        related: &["kubesec:SeccompUnconfined"],
        partial: &[
            Partial::new(
                "KSV-0104",
                "Trivy fires whenever no seccomp profile is set (K8S019 is its equivalent); this rule only on an explicit Unconfined profile.",
            ),
        ],
        compliance: &["PSS-baseline", "CIS-5.7.2", "NSA-POD-HARDEN"],
        references: &[PSS_DOC, "https://kubernetes.io/docs/tutorials/security/seccomp/"],
    },
    pss: Some(PssControl { level: Level::Baseline, control: "Seccomp", since: 19 }),
    check: Check::Pod(check),
};

const POD_ANNOTATION: &str = "seccomp.security.alpha.kubernetes.io/pod";
const CONTAINER_ANNOTATION: &str = "container.seccomp.security.alpha.kubernetes.io/";

fn check(_: &Ctx, _: &Obj, pod: &PodSpec) -> Vec<Hit> {
    let mut hits = Vec::new();
    let unconfined = |n: &Node| n.as_str() == Some("Unconfined");
    hits.extend(pod_sc_hit(
        pod,
        "seccompProfile.type",
        unconfined,
        "Pod sets seccompProfile.type: Unconfined",
    ));
    hits.extend(container_sc_hits(
        pod,
        "seccompProfile.type",
        unconfined,
        |c| {
            format!(
                "Container '{}' sets seccompProfile.type: Unconfined",
                c.name
            )
        },
    ));
    for (key, v) in pod.annotations() {
        if (key == POD_ANNOTATION || key.starts_with(CONTAINER_ANNOTATION))
            && v.as_str() == Some("unconfined")
        {
            hits.push(Hit::new(
                pod.annotation_path(key),
                Some(v),
                pod.spec,
                format!("Annotation {key} sets seccomp to unconfined"),
            ));
        }
    }
    hits
}
