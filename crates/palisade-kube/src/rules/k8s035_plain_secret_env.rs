use super::*;
use palisade_core::{mask_secret, RuleDocs, Severity};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        id: "K8S035",
        family: FAMILY,
        title: "Secret value written in plain text in an environment variable",
        severity: Severity::High,
        docs: RuleDocs {
            why: "A password, token or key written as a literal `env[].value` is committed with the manifest and readable by anyone who can read the workload object.",
            fix: "Move the value into a Secret (managed outside the repository) and mount it as a file.",
            bad_example: "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - name: app\n    image: app:1.0\n    env:\n    - {name: DB_PASSWORD, value: hunter2-correct-horse}\n",
            good_example: "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - name: app\n    image: app:1.0\n    env:\n    - {name: DB_HOST, value: db.internal}\n",
        },
        related: &[],
        partial: &[
            Partial::new(
                "KSV-0109",
                "Trivy looks for secrets in ConfigMap data; this rule for plain-text secret values in container env.",
            ),
            Partial::new(
                "C-0012",
                "Kubescape looks for credential-like names and values in env and ConfigMaps. Kubescape is not among the peers run here, so this is not measured.",
            ),
        ],
        compliance: &["NSA-SECRETS"],
        references: &["https://kubernetes.io/docs/concepts/configuration/secret/"],
    },
    pss: None,
    check: Check::Pod(check),
};

const SECRET_WORDS: &[&str] = &[
    "PASSWORD",
    "PASSWD",
    "SECRET",
    "TOKEN",
    "API_KEY",
    "APIKEY",
    "PRIVATE_KEY",
    "ACCESS_KEY",
    "CREDENTIAL",
];

fn looks_secret(name: &str) -> bool {
    let up = name.to_ascii_uppercase();
    SECRET_WORDS.iter().any(|w| up.contains(w)) && !up.ends_with("_FILE") && !up.ends_with("_PATH")
}

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
            let name = e.get("name").and_then(Node::as_str).unwrap_or("");
            let Some(v) = e.get("value") else { continue };
            let val = v.as_str().unwrap_or("");
            // Placeholders and references to other variables are not secrets.
            if looks_secret(name)
                && val.len() >= 4
                && !val.starts_with("$(")
                && !val.starts_with("${")
            {
                hits.push(
                    Hit::new(
                        c.field(&format!("env[{i}].value")),
                        Some(v),
                        e,
                        format!("Container '{}' sets {name} to a literal value", c.name),
                    )
                    .with("evidence", mask_secret(val).into()),
                );
            }
        }
    }
    hits
}
