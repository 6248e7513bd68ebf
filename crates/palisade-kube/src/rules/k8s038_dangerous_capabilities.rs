use super::*;
use palisade_core::{RuleDocs, Severity};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        id: "K8S038",
        family: FAMILY,
        title: "Dangerous capability added",
        severity: Severity::High,
        docs: RuleDocs {
            why: "SYS_ADMIN, SYS_PTRACE, SYS_MODULE, NET_ADMIN, NET_RAW, BPF, DAC_READ_SEARCH and ALL each give a container a known path to escape to the node or spy on other workloads.",
            fix: "Remove the capability from `securityContext.capabilities.add`; find the narrower mechanism the workload needs.",
            bad_example: "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - name: app\n    image: app:1.0\n    securityContext:\n      capabilities: {add: [SYS_PTRACE]}\n",
            good_example: "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - name: app\n    image: app:1.0\n    securityContext:\n      capabilities: {drop: [ALL]}\n",
        },
        related: &[],
        partial: &[
            Partial::new(
                "KSV-0022",
                "Trivy fires on any added capability, NET_BIND_SERVICE and CHOWN included; this rule only on its list of dangerous capabilities.",
            ),
            Partial::new(
                "C-0046",
                "Kubescape's insecure-capabilities control, with its own configurable list. Kubescape is not among the peers run here, so this is not measured.",
            ),
        ],
        compliance: &["CIS-5.2.9", "NSA-POD-PRIV"],
        references: &["https://man7.org/linux/man-pages/man7/capabilities.7.html"],
    },
    pss: None,
    check: Check::Pod(check),
};

pub const DANGEROUS: &[&str] = &[
    "ALL",
    "SYS_ADMIN",
    "SYS_PTRACE",
    "SYS_MODULE",
    "SYS_RAWIO",
    "SYS_BOOT",
    "SYS_TIME",
    "NET_ADMIN",
    "NET_RAW",
    "BPF",
    "PERFMON",
    "DAC_READ_SEARCH",
    "SYSLOG",
    "MAC_ADMIN",
    "MAC_OVERRIDE",
];

fn check(_: &Ctx, _: &Obj, pod: &PodSpec) -> Vec<Hit> {
    let mut hits = Vec::new();
    for c in pod.containers() {
        for (cap, node, i) in added_caps(&c) {
            if DANGEROUS.contains(&cap.as_str()) {
                hits.push(Hit::new(
                    c.field(&format!("securityContext.capabilities.add[{i}]")),
                    Some(node),
                    c.node,
                    format!("Container '{}' adds dangerous capability {cap}", c.name),
                ));
            }
        }
    }
    hits
}
