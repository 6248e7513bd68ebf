use super::*;
use palisade_core::{RuleDocs, Severity};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        id: "K8S064",
        family: FAMILY,
        title: "Istio PeerAuthentication does not enforce STRICT mTLS",
        severity: Severity::Medium,
        docs: RuleDocs {
            why: "PERMISSIVE or DISABLE mTLS accepts plain-text traffic, so the mesh neither authenticates callers nor encrypts traffic between them.",
            fix: "Set `spec.mtls.mode: STRICT` (and the same on every portLevelMtls entry).",
            bad_example: "apiVersion: security.istio.io/v1\nkind: PeerAuthentication\nmetadata: {name: default, namespace: shop}\nspec:\n  mtls: {mode: PERMISSIVE}\n",
            good_example: "apiVersion: security.istio.io/v1\nkind: PeerAuthentication\nmetadata: {name: default, namespace: shop}\nspec:\n  mtls: {mode: STRICT}\n",
        },
        related: &[],
        partial: &[],
        compliance: &["NSA-NET-ENCRYPT"],
        references: &["https://istio.io/latest/docs/reference/config/security/peer_authentication/"],
    },
    pss: None,
    check: Check::Object(check),
};

fn check(_: &Ctx, o: &Obj) -> Vec<Hit> {
    if o.kind != "PeerAuthentication" || !o.api_version.starts_with("security.istio.io") {
        return Vec::new();
    }
    let mut hits = Vec::new();
    let mode = o.root.at("spec.mtls.mode");
    match mode.and_then(Node::as_str) {
        Some("STRICT") => {}
        Some(m) => hits.push(Hit::new(
            "spec.mtls.mode",
            mode,
            &o.root,
            format!("PeerAuthentication {} sets mTLS mode {m}", o.name),
        )),
        // Unset inherits from the parent, which is PERMISSIVE at mesh level unless configured.
        None if o.root.at("spec.portLevelMtls").is_none() => hits.push(Hit::new(
            "spec.mtls.mode",
            o.root.get("spec"),
            &o.root,
            format!(
                "PeerAuthentication {} does not set mTLS mode STRICT",
                o.name
            ),
        )),
        None => {}
    }
    for (port, v) in o
        .root
        .at("spec.portLevelMtls")
        .map(Node::as_map)
        .unwrap_or(&[])
    {
        if let Some(m) = v.get("mode") {
            if m.as_str() != Some("STRICT") {
                hits.push(Hit::new(
                    format!("spec.portLevelMtls.{port}.mode"),
                    Some(m),
                    &o.root,
                    format!(
                        "PeerAuthentication {} sets mTLS mode {} on port {port}",
                        o.name,
                        m.as_str().unwrap_or("")
                    ),
                ));
            }
        }
    }
    hits
}
