//! Every rule Palisade ships, across families: one list for `palisade rules`, documentation,
//! SARIF rule descriptors and suppression by foreign ID.

use palisade_core::{RuleFamily, RuleMeta};
use std::sync::OnceLock;

/// All rules: Dockerfile, image-config, Kubernetes, then secrets.
pub fn rules() -> &'static [&'static RuleMeta] {
    static ALL: OnceLock<Vec<&'static RuleMeta>> = OnceLock::new();
    ALL.get_or_init(|| {
        let mut v: Vec<&'static RuleMeta> = Vec::new();
        v.extend(palisade_dockerfile::rules());
        v.extend(palisade_kube::rules());
        v.extend(palisade_secrets::rules());
        v
    })
}

/// The rule with this Palisade ID (case-insensitive).
pub fn lookup(id: &str) -> Option<&'static RuleMeta> {
    rules()
        .iter()
        .copied()
        .find(|r| r.id.eq_ignore_ascii_case(id))
}

/// Rules answering to `id`: the rule with that ID, else those that relate the foreign ID
/// (`DL3008`, `CKV_K8S_16`, `KSV-0017`).
pub fn answering(id: &str) -> Vec<&'static RuleMeta> {
    if let Some(r) = lookup(id) {
        return vec![r];
    }
    rules()
        .iter()
        .copied()
        .filter(|r| r.answers_to(id))
        .collect()
}

pub fn family(f: RuleFamily) -> impl Iterator<Item = &'static RuleMeta> {
    rules().iter().copied().filter(move |r| r.family == f)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn ids_are_unique_across_families_and_every_family_is_present() {
        let mut seen = HashSet::new();
        for r in rules() {
            assert!(seen.insert(r.id.to_ascii_lowercase()), "duplicate {}", r.id);
        }
        for f in RuleFamily::ALL {
            assert!(family(f).next().is_some(), "no {f} rules");
        }
    }

    #[test]
    fn own_ids_win_over_foreign_ones() {
        assert_eq!(lookup("df001").map(|r| r.id), Some("DF001"));
        assert!(!answering("DL3008").is_empty());
        assert!(answering("NOPE999").is_empty());
    }

    /// Trivy's KSV-0104 is K8S019's equivalent and only partially K8S012's: ignoring it
    /// silences K8S019, never K8S012, though both rules' pages name it.
    #[test]
    fn partial_ids_are_not_aliases() {
        let ids: Vec<_> = answering("KSV-0104").iter().map(|r| r.id).collect();
        assert_eq!(ids, ["K8S019"]);
        let k8s012 = lookup("K8S012").expect("K8S012");
        assert!(k8s012.mentions("KSV104") && !k8s012.answers_to("KSV104"));
    }
}
