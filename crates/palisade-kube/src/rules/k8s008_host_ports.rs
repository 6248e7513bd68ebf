use super::*;
use palisade_core::{RuleDocs, Severity};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        id: "K8S008",
        family: FAMILY,
        title: "Host port",
        severity: Severity::Medium,
        docs: RuleDocs {
            why: "A hostPort binds the container to the node's network interface, bypassing network policies and limiting scheduling; the Baseline policy forbids it.",
            fix: "Remove `hostPort` and expose the container through a Service.",
            bad_example: "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - name: app\n    image: app:1.0\n    ports:\n    - {containerPort: 80, hostPort: 8080}\n",
            good_example: "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - name: app\n    image: app:1.0\n    ports:\n    - {containerPort: 80}\n",
        },
        related: &["KSV-0024", "CKV_K8S_26"],
        partial: &[
            Partial::new(
                "C-0044",
                "Kubescape's hostPort control. Kubescape is not among the peers run here, so this is not measured.",
            ),
        ],
        compliance: &["PSS-baseline", "CIS-5.2.13", "NSA-NET-SEP"],
        references: &[PSS_DOC],
    },
    pss: Some(PssControl { level: Level::Baseline, control: "Host Ports", since: 0 }),
    check: Check::Pod(check),
};

fn check(_: &Ctx, _: &Obj, pod: &PodSpec) -> Vec<Hit> {
    let mut hits = Vec::new();
    for c in pod.containers() {
        for (i, p) in c
            .node
            .get("ports")
            .map(Node::as_seq)
            .unwrap_or(&[])
            .iter()
            .enumerate()
        {
            if let Some(hp) = p.get("hostPort") {
                if hp.as_i64().is_some_and(|v| v != 0) {
                    hits.push(Hit::new(
                        c.field(&format!("ports[{i}].hostPort")),
                        Some(hp),
                        c.node,
                        format!(
                            "Container '{}' uses host port {}",
                            c.name,
                            hp.as_str().unwrap_or("?")
                        ),
                    ));
                }
            }
        }
    }
    hits
}
