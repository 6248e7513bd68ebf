use super::*;
use palisade_core::{RuleDocs, Severity};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        id: "K8S001",
        family: FAMILY,
        title: "Windows HostProcess container",
        severity: Severity::High,
        docs: RuleDocs {
            why: "A Windows HostProcess container runs directly on the node with the node's privileges; the Baseline policy forbids it.",
            fix: "Remove `windowsOptions.hostProcess: true` from the pod and container security contexts.",
            bad_example: "apiVersion: v1\nkind: Pod\nmetadata: {name: win}\nspec:\n  securityContext:\n    windowsOptions: {hostProcess: true}\n  containers:\n  - {name: app, image: app:1.0}\n",
            good_example: "apiVersion: v1\nkind: Pod\nmetadata: {name: win}\nspec:\n  containers:\n  - {name: app, image: app:1.0}\n",
        },
        related: &["KSV-0103"],
        partial: &[],
        compliance: &["PSS-baseline", "CIS-5.2.11", "NSA-POD-PRIV"],
        references: &[PSS_DOC],
    },
    pss: Some(PssControl { level: Level::Baseline, control: "HostProcess", since: 0 }),
    check: Check::Pod(check),
};

fn check(_: &Ctx, _: &Obj, pod: &PodSpec) -> Vec<Hit> {
    let on = |n: &Node| n.as_bool() == Some(true);
    let mut hits: Vec<Hit> = pod_sc_hit(
        pod,
        "windowsOptions.hostProcess",
        on,
        "Pod sets windowsOptions.hostProcess=true",
    )
    .into_iter()
    .collect();
    hits.extend(container_sc_hits(
        pod,
        "windowsOptions.hostProcess",
        on,
        |c| {
            format!(
                "Container '{}' sets windowsOptions.hostProcess=true",
                c.name
            )
        },
    ));
    hits
}
