use super::*;
use palisade_core::{RuleDocs, Severity};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        id: "K8S037",
        family: FAMILY,
        title: "Object in the default namespace",
        severity: Severity::Low,
        docs: RuleDocs {
            why: "The `default` namespace is shared by everything that forgets to name one; RBAC, quotas and network policies cannot separate workloads that live there.",
            fix: "Create a namespace per application or team and set `metadata.namespace`.",
            bad_example: "apiVersion: v1\nkind: Pod\nmetadata: {name: p, namespace: default}\nspec:\n  containers:\n  - {name: app, image: app:1.0}\n",
            good_example: "apiVersion: v1\nkind: Pod\nmetadata: {name: p, namespace: shop}\nspec:\n  containers:\n  - {name: app, image: app:1.0}\n",
        },
        related: &[],
        partial: &[
            Partial::new(
                "CKV_K8S_21",
                "Checkov checks the namespace only of objects of kinds it has other checks for (workloads and Services among them); this rule every namespaced object, NetworkPolicies, PersistentVolumeClaims, PodDisruptionBudgets and Istio objects included.",
            ),
            Partial::new(
                "KSV-0110",
                "Trivy checks workloads only (pods and their controllers); this rule every namespaced object, Services and ConfigMaps included.",
            ),
            Partial::new(
                "C-0061",
                "Kubescape checks pods in the default namespace, like Trivy's KSV-0110. Kubescape is not among the peers run here, so this is not measured.",
            ),
        ],
        compliance: &["CIS-5.7.4", "NSA-NET-NAMESPACES"],
        references: &["https://kubernetes.io/docs/concepts/overview/working-with-objects/namespaces/"],
    },
    pss: None,
    check: Check::Object(check),
};

fn check(_: &Ctx, o: &Obj) -> Vec<Hit> {
    if crate::CLUSTER_SCOPED_KINDS.contains(&o.kind.as_str()) || o.kind.ends_with("List") {
        return Vec::new();
    }
    // kustomize's own files (Kustomization, Component) are build inputs, never applied.
    if o.api_version.starts_with("kustomize.config.k8s.io/") {
        return Vec::new();
    }
    // The API server's own objects legitimately live in `default`.
    if (o.kind == "ServiceAccount" && o.name == "default")
        || (o.kind == "Service" && o.name == "kubernetes")
    {
        return Vec::new();
    }
    let n = o.root.at("metadata.namespace");
    match &o.namespace {
        Some(ns) if ns != "default" && !ns.is_empty() => Vec::new(),
        Some(_) => vec![Hit::new(
            "metadata.namespace",
            n,
            &o.root,
            format!("{} is placed in the default namespace", o.display()),
        )],
        None => vec![Hit::new(
            "metadata.namespace",
            o.root.get("metadata"),
            &o.root,
            format!("{} names no namespace and lands in default", o.display()),
        )],
    }
}
