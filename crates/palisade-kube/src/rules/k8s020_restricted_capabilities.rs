use super::*;
use palisade_core::{RuleDocs, Severity};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        id: "K8S020",
        family: FAMILY,
        title: "Capabilities not dropped, or added beyond NET_BIND_SERVICE",
        severity: Severity::Low,
        docs: RuleDocs {
            why: "The runtime's default capabilities include several a typical service never needs. The Restricted policy (v1.22+) requires every container to drop ALL and add back at most NET_BIND_SERVICE.",
            fix: "Set `securityContext.capabilities.drop: [ALL]` and add only `NET_BIND_SERVICE` where a low port is needed.",
            bad_example: "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - name: app\n    image: app:1.0\n",
            good_example: "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - name: app\n    image: app:1.0\n    securityContext:\n      capabilities: {drop: [ALL], add: [NET_BIND_SERVICE]}\n",
        },
        related: &["KSV-0003", "KSV-0106", "CKV_K8S_37", "kubesec:CapDropAll"],
        partial: &[
            Partial::new(
                "C-0046",
                "Kubescape's insecure-capabilities control flags dangerous added capabilities; this rule requires dropping ALL. Kubescape is not among the peers run here, so this is not measured.",
            ),
        ],
        compliance: &["PSS-restricted", "CIS-5.2.10", "NSA-POD-HARDEN"],
        references: &[PSS_DOC],
    },
    pss: Some(PssControl { level: Level::Restricted, control: "Capabilities", since: 22 }),
    check: Check::Pod(check),
};

fn check(ctx: &Ctx, _: &Obj, pod: &PodSpec) -> Vec<Hit> {
    if ctx.pss_minor >= 25 && pod.is_windows() {
        return Vec::new();
    }
    let mut hits = Vec::new();
    for c in pod.containers() {
        if !dropped_caps(&c).iter().any(|d| d == "ALL") {
            hits.push(Hit::new(
                c.field("securityContext.capabilities.drop"),
                c.sc("capabilities.drop").or(c.node.get("securityContext")),
                c.node,
                format!("Container '{}' does not drop ALL capabilities", c.name),
            ));
        }
        for (cap, node, i) in added_caps(&c) {
            if cap != "NET_BIND_SERVICE" {
                hits.push(Hit::new(c.field(&format!("securityContext.capabilities.add[{i}]")), Some(node), c.node, format!("Container '{}' adds capability {cap}; Restricted allows only NET_BIND_SERVICE", c.name)));
            }
        }
    }
    hits
}
