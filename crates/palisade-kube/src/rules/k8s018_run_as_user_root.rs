use super::*;
use palisade_core::{RuleDocs, Severity};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        id: "K8S018",
        family: FAMILY,
        title: "Container runs as UID 0",
        severity: Severity::Medium,
        docs: RuleDocs {
            why: "`runAsUser: 0` runs the process as root; the Restricted policy (v1.23+) forbids it.",
            fix: "Set `runAsUser` to a non-zero UID (10000 or higher avoids clashes with host users).",
            bad_example: "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  securityContext: {runAsUser: 0}\n  containers:\n  - {name: app, image: app:1.0}\n",
            good_example: "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  securityContext: {runAsUser: 10001}\n  containers:\n  - {name: app, image: app:1.0}\n",
        },
        related: &["KSV-0105", "kubesec:RunAsUser"],
        partial: &[],
        compliance: &["PSS-restricted", "CIS-5.2.7", "NSA-POD-NONROOT"],
        references: &[PSS_DOC, SC_DOC],
    },
    pss: Some(PssControl { level: Level::Restricted, control: "Running as Non-root user", since: 23 }),
    check: Check::Pod(check),
};

fn check(_: &Ctx, _: &Obj, pod: &PodSpec) -> Vec<Hit> {
    let zero = |n: &Node| n.as_i64() == Some(0);
    let mut hits: Vec<Hit> = pod_sc_hit(pod, "runAsUser", zero, "Pod sets runAsUser: 0")
        .into_iter()
        .collect();
    hits.extend(container_sc_hits(pod, "runAsUser", zero, |c| {
        format!("Container '{}' sets runAsUser: 0", c.name)
    }));
    hits
}
