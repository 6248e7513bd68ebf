use super::*;
use palisade_core::{RuleDocs, Severity};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        id: "K8S033",
        family: FAMILY,
        title: "Default ServiceAccount automounts its token",
        severity: Severity::Low,
        docs: RuleDocs {
            why: "The `default` ServiceAccount is used by every pod that names none; unless it disables token automounting, each such pod carries an API credential.",
            fix: "Set `automountServiceAccountToken: false` on the `default` ServiceAccount of every namespace.",
            bad_example: "apiVersion: v1\nkind: ServiceAccount\nmetadata: {name: default, namespace: app}\n",
            good_example: "apiVersion: v1\nkind: ServiceAccount\nmetadata: {name: default, namespace: app}\nautomountServiceAccountToken: false\n",
        },
        related: &["CKV_K8S_41"],
        partial: &[
            Partial::new(
                "C-0189",
                "Kubescape's CIS control covers the default ServiceAccount as a whole: used by pods, automounting, bound to roles. Kubescape is not among the peers run here, so this is not measured.",
            ),
        ],
        compliance: &["CIS-5.1.5", "NSA-POD-SATOKEN"],
        references: &["https://kubernetes.io/docs/tasks/configure-pod-container/configure-service-account/"],
    },
    pss: None,
    check: Check::Object(check),
};

fn check(_: &Ctx, o: &Obj) -> Vec<Hit> {
    if o.kind != "ServiceAccount" || o.name != "default" {
        return Vec::new();
    }
    let n = o.root.get("automountServiceAccountToken");
    if n.and_then(Node::as_bool) == Some(false) {
        return Vec::new();
    }
    vec![Hit::new(
        "automountServiceAccountToken",
        n,
        &o.root,
        format!(
            "ServiceAccount default in namespace {} automounts its token",
            o.ns()
        ),
    )]
}
