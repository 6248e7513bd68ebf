use super::*;
use palisade_core::{RuleDocs, Severity};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        id: "K8S014",
        family: FAMILY,
        title: "Probe or lifecycle handler targets another host",
        severity: Severity::Medium,
        docs: RuleDocs {
            why: "A probe or lifecycle hook with `host` set makes the kubelet send requests to an arbitrary address from the node, which can reach node-local services; the Baseline policy (v1.34+) forbids it.",
            fix: "Remove `host` from httpGet and tcpSocket handlers so they target the pod's own IP.",
            bad_example: "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - name: app\n    image: app:1.0\n    livenessProbe:\n      httpGet: {host: 169.254.169.254, path: /, port: 80}\n",
            good_example: "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - name: app\n    image: app:1.0\n    livenessProbe:\n      httpGet: {path: /healthz, port: 80}\n",
        },
        related: &[],
        partial: &[],
        compliance: &["PSS-baseline", "NSA-NET-SEP"],
        references: &[PSS_DOC],
    },
    pss: Some(PssControl { level: Level::Baseline, control: "Probes / Lifecycle Hooks", since: 34 }),
    check: Check::Pod(check),
};

fn check(_: &Ctx, _: &Obj, pod: &PodSpec) -> Vec<Hit> {
    let mut hits = Vec::new();
    for c in pod.containers() {
        for handler in [
            "livenessProbe",
            "readinessProbe",
            "startupProbe",
            "lifecycle.postStart",
            "lifecycle.preStop",
        ] {
            for action in ["httpGet", "tcpSocket"] {
                let field = format!("{handler}.{action}.host");
                if let Some(h) = c.node.at(&field) {
                    if h.as_str().is_some_and(|s| !s.is_empty()) {
                        hits.push(Hit::new(
                            c.field(&field),
                            Some(h),
                            c.node,
                            format!(
                                "Container '{}' {handler} targets host {}",
                                c.name,
                                h.as_str().unwrap_or("")
                            ),
                        ));
                    }
                }
            }
        }
    }
    hits
}
