use super::*;
use palisade_core::{RuleDocs, Severity};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        id: "K8S016",
        family: FAMILY,
        title: "Privilege escalation allowed",
        severity: Severity::Medium,
        docs: RuleDocs {
            why: "Unless `allowPrivilegeEscalation` is false, a process can gain more privileges than its parent (setuid binaries, file capabilities). The Restricted policy requires it to be set to false.",
            fix: "Set `securityContext.allowPrivilegeEscalation: false` on every container.",
            bad_example: "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - name: app\n    image: app:1.0\n",
            good_example: "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - name: app\n    image: app:1.0\n    securityContext: {allowPrivilegeEscalation: false}\n",
        },
        related: &["KSV-0001", "CKV_K8S_20", "kubesec:AllowPrivilegeEscalation"],
        partial: &[
            Partial::new(
                "C-0016",
                "Kubescape's allow-privilege-escalation control. Kubescape is not among the peers run here, so this is not measured.",
            ),
        ],
        compliance: &["PSS-restricted", "CIS-5.2.6", "NSA-POD-NONROOT"],
        references: &[PSS_DOC, SC_DOC],
    },
    pss: Some(PssControl { level: Level::Restricted, control: "Privilege Escalation", since: 8 }),
    check: Check::Pod(check),
};

fn check(ctx: &Ctx, _: &Obj, pod: &PodSpec) -> Vec<Hit> {
    if ctx.pss_minor >= 25 && pod.is_windows() {
        return Vec::new();
    }
    pod.containers()
        .iter()
        .filter_map(|c| {
            let n = c.sc("allowPrivilegeEscalation");
            if n.and_then(Node::as_bool) == Some(false) {
                return None;
            }
            let msg = if n.is_some() {
                format!("Container '{}' allows privilege escalation", c.name)
            } else {
                format!(
                    "Container '{}' does not set allowPrivilegeEscalation: false",
                    c.name
                )
            };
            Some(Hit::new(
                c.field("securityContext.allowPrivilegeEscalation"),
                n.or(c.node.get("securityContext")),
                c.node,
                msg,
            ))
        })
        .collect()
}
