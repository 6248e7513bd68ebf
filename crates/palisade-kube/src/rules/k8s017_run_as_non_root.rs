use super::*;
use palisade_core::{RuleDocs, Severity};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        id: "K8S017",
        family: FAMILY,
        title: "Container may run as root",
        severity: Severity::Medium,
        docs: RuleDocs {
            why: "Without `runAsNonRoot: true` a container may run as UID 0, so a container escape or a writable host mount gives root on the node. The Restricted policy requires runAsNonRoot.",
            fix: "Set `securityContext.runAsNonRoot: true` on the pod (and do not set it to false on a container); build the image with a non-root USER.",
            bad_example: "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - name: app\n    image: app:1.0\n",
            good_example: "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  securityContext: {runAsNonRoot: true}\n  containers:\n  - name: app\n    image: app:1.0\n",
        },
        related: &["KSV-0012", "kubesec:RunAsNonRoot"],
        partial: &[
            Partial::new(
                "C-0013",
                "Kubescape's non-root-containers control, which also accepts runAsUser/runAsGroup values. Kubescape is not among the peers run here, so this is not measured.",
            ),
        ],
        compliance: &["PSS-restricted", "CIS-5.2.7", "NSA-POD-NONROOT"],
        references: &[PSS_DOC, SC_DOC],
    },
    pss: Some(PssControl { level: Level::Restricted, control: "Running as Non-root", since: 0 }),
    check: Check::Pod(check),
};

fn check(_: &Ctx, _: &Obj, pod: &PodSpec) -> Vec<Hit> {
    let pod_value = pod.psc("runAsNonRoot");
    let mut hits: Vec<Hit> = pod_sc_hit(
        pod,
        "runAsNonRoot",
        |n| n.as_bool() == Some(false),
        "Pod sets runAsNonRoot: false",
    )
    .into_iter()
    .collect();
    let pod_ok = pod_value.and_then(Node::as_bool) == Some(true);
    for c in pod.containers() {
        match c.sc("runAsNonRoot").map(|n| (n, n.as_bool())) {
            Some((_, Some(true))) => {}
            Some((n, _)) => hits.push(Hit::new(
                c.field("securityContext.runAsNonRoot"),
                Some(n),
                c.node,
                format!("Container '{}' sets runAsNonRoot: false", c.name),
            )),
            None if pod_ok => {}
            None => hits.push(Hit::new(
                c.field("securityContext.runAsNonRoot"),
                c.node.get("securityContext"),
                c.node,
                format!(
                    "Container '{}' does not set runAsNonRoot: true (nor does the pod)",
                    c.name
                ),
            )),
        }
    }
    hits
}
