use super::*;
use palisade_core::{RuleDocs, Severity};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        id: "K8S063",
        family: FAMILY,
        title: "NetworkPolicy allows all traffic",
        severity: Severity::Medium,
        docs: RuleDocs {
            why: "A rule without `from`/`to` peers, or with 0.0.0.0/0, admits every source or destination: the policy selects pods but does not restrict them.",
            fix: "Name the peers: podSelector / namespaceSelector for cluster traffic, specific ipBlock CIDRs for external traffic.",
            bad_example: "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: open, namespace: shop}\nspec:\n  podSelector: {matchLabels: {app: web}}\n  ingress:\n  - {}\n",
            good_example: "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: web, namespace: shop}\nspec:\n  podSelector: {matchLabels: {app: web}}\n  ingress:\n  - from:\n    - podSelector: {matchLabels: {app: lb}}\n",
        },
        related: &[],
        partial: &[
            Partial::new(
                "C-0260",
                "Kubescape flags workloads without any NetworkPolicy; this rule a policy that allows all traffic. Kubescape is not among the peers run here, so this is not measured.",
            ),
        ],
        compliance: &["NSA-NET-POLICY"],
        references: &[NETPOL_DOC],
    },
    pss: None,
    check: Check::Global(check),
};

fn open_peer(peer: &Node) -> bool {
    peer.at("ipBlock.cidr")
        .and_then(Node::as_str)
        .is_some_and(|c| c == "0.0.0.0/0" || c == "::/0")
        && peer
            .at("ipBlock.except")
            .is_none_or(|e| e.as_seq().is_empty())
}

fn check(_: &Ctx, objects: &[Obj]) -> Vec<(usize, Hit)> {
    let mut hits = Vec::new();
    for (i, p) in objects.iter().enumerate() {
        if !(p.kind == "NetworkPolicy" && p.api_version.starts_with("networking.k8s.io")) {
            continue;
        }
        for (dir, peers) in [("ingress", "from"), ("egress", "to")] {
            let Some(rules) = p.root.at(&format!("spec.{dir}")) else {
                continue;
            };
            for (j, r) in rules.as_seq().iter().enumerate() {
                let list = r.get(peers).map(Node::as_seq).unwrap_or(&[]);
                let what = if list.is_empty() {
                    Some("has no peers and allows every source/destination")
                } else if list.iter().any(open_peer) {
                    Some("allows 0.0.0.0/0")
                } else {
                    None
                };
                if let Some(what) = what {
                    hits.push((
                        i,
                        Hit::new(
                            format!("spec.{dir}[{j}]"),
                            Some(r),
                            &p.root,
                            format!("NetworkPolicy {} {dir} rule {j} {what}", p.name),
                        ),
                    ));
                }
            }
        }
    }
    hits
}
