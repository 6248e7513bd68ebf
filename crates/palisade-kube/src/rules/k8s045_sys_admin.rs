use super::*;
use palisade_core::{RuleDocs, Severity};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        id: "K8S045",
        family: FAMILY,
        title: "SYS_ADMIN capability added",
        severity: Severity::High,
        docs: RuleDocs {
            why: "CAP_SYS_ADMIN is close to root: it allows mounting filesystems, manipulating namespaces and many known container escapes.",
            fix: "Remove SYS_ADMIN from `securityContext.capabilities.add`.",
            bad_example: "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - name: app\n    image: app:1.0\n    securityContext:\n      capabilities: {add: [SYS_ADMIN]}\n",
            good_example: "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - name: app\n    image: app:1.0\n    securityContext:\n      capabilities: {add: [NET_BIND_SERVICE]}\n",
        },
        related: &["KSV-0005", "CKV_K8S_39", "kubesec:CapSysAdmin"],
        partial: &[
            Partial::new(
                "C-0046",
                "Kubescape's insecure-capabilities control covers SYS_ADMIN among other capabilities. Kubescape is not among the peers run here, so this is not measured.",
            ),
        ],
        compliance: &["CIS-5.2.9", "NSA-POD-PRIV"],
        references: &["https://man7.org/linux/man-pages/man7/capabilities.7.html"],
    },
    pss: None,
    check: Check::Pod(check),
};

fn check(_: &Ctx, _: &Obj, pod: &PodSpec) -> Vec<Hit> {
    let mut hits = Vec::new();
    for c in pod.containers() {
        for (cap, node, i) in added_caps(&c) {
            if cap == "SYS_ADMIN" {
                hits.push(Hit::new(
                    c.field(&format!("securityContext.capabilities.add[{i}]")),
                    Some(node),
                    c.node,
                    format!("Container '{}' adds SYS_ADMIN", c.name),
                ));
            }
        }
    }
    hits
}
