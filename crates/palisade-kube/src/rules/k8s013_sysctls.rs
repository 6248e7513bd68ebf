use super::*;
use crate::pss::safe_sysctls;
use palisade_core::{RuleDocs, Severity};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        id: "K8S013",
        family: FAMILY,
        title: "Unsafe sysctl",
        severity: Severity::Medium,
        docs: RuleDocs {
            why: "Sysctls outside the safe, namespaced set can change kernel behaviour for every pod on the node or disable security mechanisms; the Baseline policy allows only the safe set.",
            fix: "Remove the sysctl from `spec.securityContext.sysctls`, or set it on dedicated nodes outside the pod spec.",
            bad_example: "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  securityContext:\n    sysctls:\n    - {name: kernel.msgmax, value: \"65536\"}\n  containers:\n  - {name: app, image: app:1.0}\n",
            good_example: "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  securityContext:\n    sysctls:\n    - {name: net.ipv4.ip_local_port_range, value: \"1024 65000\"}\n  containers:\n  - {name: app, image: app:1.0}\n",
        },
        related: &["KSV-0026"],
        partial: &[],
        compliance: &["PSS-baseline", "NSA-POD-HARDEN"],
        references: &[PSS_DOC, "https://kubernetes.io/docs/tasks/administer-cluster/sysctl-cluster/"],
    },
    pss: Some(PssControl { level: Level::Baseline, control: "Sysctls", since: 0 }),
    check: Check::Pod(check),
};

fn check(ctx: &Ctx, _: &Obj, pod: &PodSpec) -> Vec<Hit> {
    let safe = safe_sysctls(ctx.pss_minor);
    let Some(list) = pod.psc("sysctls") else {
        return Vec::new();
    };
    list.as_seq()
        .iter()
        .enumerate()
        .filter_map(|(i, s)| {
            let name = s.get("name").and_then(Node::as_str).unwrap_or("");
            (!safe.contains(&name)).then(|| {
                Hit::new(
                    pod.field(&format!("securityContext.sysctls[{i}].name")),
                    s.get("name"),
                    s,
                    format!("Pod sets unsafe sysctl {name:?}"),
                )
            })
        })
        .collect()
}
