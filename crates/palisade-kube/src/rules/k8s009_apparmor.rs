use super::*;
use palisade_core::{RuleDocs, Severity};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        id: "K8S009",
        family: FAMILY,
        title: "AppArmor profile overridden or disabled",
        severity: Severity::Medium,
        docs: RuleDocs {
            why: "The runtime's default AppArmor profile confines the container; setting it to `unconfined` (or any profile that is not runtime/default or localhost/*) removes that confinement. The Baseline policy forbids it.",
            fix: "Leave AppArmor unset, or use `appArmorProfile.type: RuntimeDefault` / `Localhost` (annotation values `runtime/default` or `localhost/<profile>`).",
            bad_example: "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - name: app\n    image: app:1.0\n    securityContext:\n      appArmorProfile: {type: Unconfined}\n",
            good_example: "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - name: app\n    image: app:1.0\n    securityContext:\n      appArmorProfile: {type: RuntimeDefault}\n",
        },
        related: &["kubesec:ApparmorAny"],
        partial: &[
            Partial::new(
                "KSV-0002",
                "Trivy reads the AppArmor annotations only; this rule also reads the securityContext.appArmorProfile field (Kubernetes 1.30+), so an Unconfined profile set there fires only here.",
            ),
        ],
        compliance: &["PSS-baseline", "NSA-POD-HARDEN"],
        references: &[PSS_DOC, "https://kubernetes.io/docs/tutorials/security/apparmor/"],
    },
    pss: Some(PssControl { level: Level::Baseline, control: "AppArmor", since: 0 }),
    check: Check::Pod(check),
};

const ANNOTATION: &str = "container.apparmor.security.beta.kubernetes.io/";

fn check(_: &Ctx, _: &Obj, pod: &PodSpec) -> Vec<Hit> {
    let mut hits = Vec::new();
    for (key, v) in pod.annotations() {
        if key.starts_with(ANNOTATION) {
            let val = v.as_str().unwrap_or("");
            if !(val.is_empty() || val == "runtime/default" || val.starts_with("localhost/")) {
                hits.push(Hit::new(
                    pod.annotation_path(key),
                    Some(v),
                    pod.spec,
                    format!("Annotation {key} sets AppArmor profile {val:?}"),
                ));
            }
        }
    }
    let bad = |n: &Node| {
        !matches!(
            n.as_str(),
            None | Some("RuntimeDefault") | Some("Localhost")
        )
    };
    hits.extend(pod_sc_hit(
        pod,
        "appArmorProfile.type",
        bad,
        "Pod sets an AppArmor profile other than RuntimeDefault or Localhost",
    ));
    hits.extend(container_sc_hits(pod, "appArmorProfile.type", bad, |c| {
        format!(
            "Container '{}' sets an AppArmor profile other than RuntimeDefault or Localhost",
            c.name
        )
    }));
    hits
}
