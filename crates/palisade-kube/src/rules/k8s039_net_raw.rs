use super::*;
use palisade_core::{RuleDocs, Severity};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        id: "K8S039",
        family: FAMILY,
        title: "NET_RAW capability not dropped",
        severity: Severity::Medium,
        docs: RuleDocs {
            why: "NET_RAW is in the runtime's default set and lets a container craft raw packets: ARP and DNS spoofing against neighbours on the node's network.",
            fix: "Add `NET_RAW` (or `ALL`) to `securityContext.capabilities.drop`.",
            bad_example: "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - name: app\n    image: app:1.0\n",
            good_example: "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - name: app\n    image: app:1.0\n    securityContext:\n      capabilities: {drop: [NET_RAW]}\n",
        },
        related: &["CKV_K8S_28"],
        partial: &[
            Partial::new(
                "C-0046",
                "Kubescape's insecure-capabilities control flags added capabilities; this rule a NET_RAW that is not dropped. Kubescape is not among the peers run here, so this is not measured.",
            ),
        ],
        compliance: &["CIS-5.2.8", "NSA-POD-HARDEN"],
        references: &["https://man7.org/linux/man-pages/man7/capabilities.7.html"],
    },
    pss: None,
    check: Check::Pod(check),
};

fn check(_: &Ctx, _: &Obj, pod: &PodSpec) -> Vec<Hit> {
    pod.containers()
        .iter()
        .filter(|c| c.kind != crate::object::ContainerKind::Ephemeral)
        .filter(|c| !dropped_caps(c).iter().any(|d| d == "ALL" || d == "NET_RAW"))
        .map(|c| {
            Hit::new(
                c.field("securityContext.capabilities.drop"),
                c.sc("capabilities.drop").or(c.node.get("securityContext")),
                c.node,
                format!("Container '{}' keeps NET_RAW", c.name),
            )
        })
        .collect()
}
