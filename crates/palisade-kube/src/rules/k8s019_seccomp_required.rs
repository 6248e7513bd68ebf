use super::*;
use palisade_core::{RuleDocs, Severity};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        id: "K8S019",
        family: FAMILY,
        title: "Seccomp profile not set to RuntimeDefault or Localhost",
        severity: Severity::Low,
        docs: RuleDocs {
            why: "Without a seccomp profile a container can call every system call. The Restricted policy requires `seccompProfile.type` RuntimeDefault or Localhost on the pod or on every container.",
            fix: "Set `spec.securityContext.seccompProfile.type: RuntimeDefault`.",
            bad_example: "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - {name: app, image: app:1.0}\n",
            good_example: "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  securityContext:\n    seccompProfile: {type: RuntimeDefault}\n  containers:\n  - {name: app, image: app:1.0}\n",
        },
        related: &["KSV-0030", "kubesec:SeccompAny", "KSV-0104"],
        partial: &[
            Partial::new(
                "C-0210",
                "Kubescape's CIS control asks for the RuntimeDefault (docker/default) profile. Kubescape is not among the peers run here, so this is not measured.",
            ),
        ],
        compliance: &["PSS-restricted", "CIS-5.7.2", "NSA-POD-HARDEN"],
        references: &[PSS_DOC, "https://kubernetes.io/docs/tutorials/security/seccomp/"],
    },
    pss: Some(PssControl { level: Level::Restricted, control: "Seccomp", since: 19 }),
    check: Check::Pod(check),
};

fn allowed(n: &Node) -> bool {
    matches!(n.as_str(), Some("RuntimeDefault") | Some("Localhost"))
}

fn check(ctx: &Ctx, _: &Obj, pod: &PodSpec) -> Vec<Hit> {
    if ctx.pss_minor >= 25 && pod.is_windows() {
        return Vec::new();
    }
    let pod_type = pod.psc("seccompProfile.type");
    let pod_ok = pod_type.is_some_and(allowed);
    let mut hits: Vec<Hit> = match pod_type {
        Some(t) if !allowed(t) => vec![Hit::new(
            pod.field("securityContext.seccompProfile.type"),
            Some(t),
            pod.spec,
            format!(
                "Pod sets seccompProfile.type {:?}",
                t.as_str().unwrap_or("")
            ),
        )],
        _ => Vec::new(),
    };
    for c in pod.containers() {
        match c.sc("seccompProfile.type") {
            Some(t) if allowed(t) => {}
            Some(t) => hits.push(Hit::new(c.field("securityContext.seccompProfile.type"), Some(t), c.node, format!("Container '{}' sets seccompProfile.type {:?}", c.name, t.as_str().unwrap_or("")))),
            None if pod_ok => {}
            None => hits.push(Hit::new(c.field("securityContext.seccompProfile.type"), c.node.get("securityContext"), c.node, format!("Container '{}' has no seccomp profile (set seccompProfile.type: RuntimeDefault on the pod or container)", c.name))),
        }
    }
    hits
}
