use super::*;
use palisade_core::{RuleDocs, Severity};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        id: "K8S065",
        family: FAMILY,
        title: "Ingress without TLS",
        severity: Severity::Medium,
        docs: RuleDocs {
            why: "An Ingress without a `tls` section serves plain HTTP: credentials and session cookies cross the network unencrypted.",
            fix: "Add `spec.tls` with the hosts and a certificate Secret (cert-manager can issue it).",
            bad_example: "apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata: {name: web, namespace: shop}\nspec:\n  rules:\n  - host: shop.example.com\n",
            good_example: "apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata: {name: web, namespace: shop}\nspec:\n  tls:\n  - {hosts: [shop.example.com], secretName: shop-tls}\n  rules:\n  - host: shop.example.com\n",
        },
        related: &[],
        partial: &[],
        compliance: &["NSA-NET-ENCRYPT"],
        references: &["https://kubernetes.io/docs/concepts/services-networking/ingress/#tls"],
    },
    pss: None,
    check: Check::Object(check),
};

fn check(_: &Ctx, o: &Obj) -> Vec<Hit> {
    if o.kind != "Ingress" {
        return Vec::new();
    }
    match o.root.at("spec.tls") {
        Some(t) if !t.as_seq().is_empty() => Vec::new(),
        t => vec![Hit::new(
            "spec.tls",
            t.or(o.root.get("spec")),
            &o.root,
            format!("Ingress {} serves without TLS", o.name),
        )],
    }
}
