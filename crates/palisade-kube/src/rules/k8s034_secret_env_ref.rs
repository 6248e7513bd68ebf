use super::*;
use palisade_core::{RuleDocs, Severity};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        id: "K8S034",
        family: FAMILY,
        title: "Secret exposed as environment variable",
        severity: Severity::Low,
        docs: RuleDocs {
            why: "Environment variables leak: into crash dumps, child processes, `kubectl describe` output and logs of tools that print their environment. Secrets mounted as files can be rotated and read only where needed.",
            fix: "Mount the Secret as a volume and read it from a file instead of `env[].valueFrom.secretKeyRef` / `envFrom[].secretRef`.",
            bad_example: "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - name: app\n    image: app:1.0\n    env:\n    - name: DB_PASSWORD\n      valueFrom:\n        secretKeyRef: {name: db, key: password}\n",
            good_example: "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - name: app\n    image: app:1.0\n    volumeMounts:\n    - {name: db, mountPath: /run/secrets/db, readOnly: true}\n  volumes:\n  - name: db\n    secret: {secretName: db}\n",
        },
        related: &["CKV_K8S_35"],
        partial: &[
            Partial::new(
                "C-0012",
                "Kubescape looks for credential-like names and values in env and ConfigMaps; this rule for Secrets passed through env. Kubescape is not among the peers run here, so this is not measured.",
            ),
            Partial::new(
                "C-0207",
                "Kubescape's CIS control prefers Secrets mounted as files over env variables. Kubescape is not among the peers run here, so this is not measured.",
            ),
        ],
        compliance: &["CIS-5.4.1", "NSA-SECRETS"],
        references: &["https://kubernetes.io/docs/concepts/configuration/secret/"],
    },
    pss: None,
    check: Check::Pod(check),
};

fn check(_: &Ctx, _: &Obj, pod: &PodSpec) -> Vec<Hit> {
    let mut hits = Vec::new();
    for c in pod.containers() {
        for (i, e) in c
            .node
            .get("env")
            .map(Node::as_seq)
            .unwrap_or(&[])
            .iter()
            .enumerate()
        {
            if let Some(r) = e.at("valueFrom.secretKeyRef") {
                let name = e.get("name").and_then(Node::as_str).unwrap_or("");
                hits.push(Hit::new(
                    c.field(&format!("env[{i}].valueFrom.secretKeyRef")),
                    Some(r),
                    e,
                    format!(
                        "Container '{}' reads a Secret into environment variable {name}",
                        c.name
                    ),
                ));
            }
        }
        for (i, e) in c
            .node
            .get("envFrom")
            .map(Node::as_seq)
            .unwrap_or(&[])
            .iter()
            .enumerate()
        {
            if let Some(r) = e.get("secretRef") {
                hits.push(Hit::new(
                    c.field(&format!("envFrom[{i}].secretRef")),
                    Some(r),
                    e,
                    format!(
                        "Container '{}' loads a whole Secret into its environment",
                        c.name
                    ),
                ));
            }
        }
    }
    hits
}
