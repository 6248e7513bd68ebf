use super::*;
use palisade_core::{RuleDocs, Severity};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        id: "K8S036",
        family: FAMILY,
        title: "Secret object with data committed",
        severity: Severity::High,
        docs: RuleDocs {
            why: "A Secret manifest with `data` or `stringData` stores the credential in the repository (base64 is an encoding, not encryption); everyone with read access to the repository has it.",
            fix: "Keep Secrets out of the repository: use an external secret store (External Secrets, Vault), Sealed Secrets or SOPS-encrypted files.",
            bad_example: "apiVersion: v1\nkind: Secret\nmetadata: {name: db}\ndata:\n  password: aHVudGVyMg==\n",
            good_example: "apiVersion: v1\nkind: Secret\nmetadata: {name: db}\ntype: Opaque\n",
        },
        related: &[],
        partial: &[],
        compliance: &["NSA-SECRETS"],
        references: &["https://kubernetes.io/docs/concepts/security/secrets-good-practices/"],
    },
    pss: None,
    check: Check::Object(check),
};

fn check(_: &Ctx, o: &Obj) -> Vec<Hit> {
    if o.kind != "Secret" {
        return Vec::new();
    }
    // Service account token Secrets are filled in by the control plane, not committed values.
    if o.root.get("type").and_then(Node::as_str) == Some("kubernetes.io/service-account-token") {
        return Vec::new();
    }
    ["data", "stringData"]
        .iter()
        .filter_map(|f| {
            let n = o.root.get(f)?;
            let keys: Vec<&str> = n
                .as_map()
                .iter()
                .filter(|(_, v)| v.as_str().is_some_and(|s| !s.is_empty()))
                .map(|(k, _)| k.as_str())
                .collect();
            (!keys.is_empty()).then(|| {
                Hit::new(
                    *f,
                    Some(n),
                    &o.root,
                    format!("Secret {} commits values for {}", o.name, keys.join(", ")),
                )
            })
        })
        .collect()
}
