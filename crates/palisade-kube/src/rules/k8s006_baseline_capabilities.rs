use super::*;
use crate::pss::BASELINE_CAPS;
use palisade_core::{RuleDocs, Severity};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        id: "K8S006",
        family: FAMILY,
        title: "Capabilities added beyond the default set",
        severity: Severity::Medium,
        docs: RuleDocs {
            why: "Capabilities outside the container runtime's default set (NET_ADMIN, SYS_ADMIN, SYS_PTRACE, ...) give a container powers over the kernel or node; the Baseline policy forbids adding them.",
            fix: "Remove the capability from `securityContext.capabilities.add`; only AUDIT_WRITE, CHOWN, DAC_OVERRIDE, FOWNER, FSETID, KILL, MKNOD, NET_BIND_SERVICE, SETFCAP, SETGID, SETPCAP, SETUID and SYS_CHROOT may be added.",
            bad_example: "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - name: app\n    image: app:1.0\n    securityContext:\n      capabilities: {add: [NET_ADMIN]}\n",
            good_example: "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - name: app\n    image: app:1.0\n    securityContext:\n      capabilities: {add: [NET_BIND_SERVICE]}\n",
        },
        related: &[],
        partial: &[
            Partial::new(
                "KSV-0022",
                "Trivy fires on any added capability, NET_BIND_SERVICE and CHOWN included; this rule only on capabilities outside the Pod Security Baseline set.",
            ),
            Partial::new(
                "CKV_K8S_25",
                "Checkov fires on any added capability; this rule only on capabilities outside the Pod Security Baseline set (adding NET_BIND_SERVICE or CHOWN passes).",
            ),
            Partial::new(
                "C-0046",
                "Kubescape's insecure-capabilities control flags a configurable list of dangerous capabilities, not the Baseline set. Kubescape is not among the peers run here, so this is not measured.",
            ),
        ],
        compliance: &["PSS-baseline", "CIS-5.2.9", "NSA-POD-PRIV"],
        references: &[PSS_DOC],
    },
    pss: Some(PssControl { level: Level::Baseline, control: "Capabilities", since: 0 }),
    check: Check::Pod(check),
};

fn check(_: &Ctx, _: &Obj, pod: &PodSpec) -> Vec<Hit> {
    let mut hits = Vec::new();
    for c in pod.containers() {
        for (cap, node, i) in added_caps(&c) {
            if !BASELINE_CAPS.contains(&cap.as_str()) {
                hits.push(Hit::new(
                    c.field(&format!("securityContext.capabilities.add[{i}]")),
                    Some(node),
                    c.node,
                    format!(
                        "Container '{}' adds capability {cap}, outside the Baseline set",
                        c.name
                    ),
                ));
            }
        }
    }
    hits
}
