//! Dependency edges inside one OS package database: each dependency resolves to the installed
//! package of that name or the one providing it (a virtual package, a shared library, a
//! command), and to nothing when nothing installed answers.

use palisade_core::Package;
use std::collections::HashMap;

/// What one package's database entry says about its relations.
#[derive(Debug, Default)]
pub(crate) struct Relations {
    /// One entry per dependency; several names are alternatives (`a | b`), the first
    /// installed one wins.
    pub depends: Vec<Vec<String>>,
    pub provides: Vec<String>,
}

/// Fills `depends_on` of `pkgs` from `relations` (same order, one per package).
pub(crate) fn link(pkgs: &mut [Package], relations: &[Relations]) {
    let mut by_name: HashMap<&str, String> = HashMap::new();
    for (p, r) in pkgs.iter().zip(relations) {
        by_name
            .entry(p.name.as_str())
            .or_insert_with(|| p.purl.clone());
        for v in &r.provides {
            by_name.entry(v.as_str()).or_insert_with(|| p.purl.clone());
        }
    }
    let edges: Vec<Vec<String>> = pkgs
        .iter()
        .zip(relations)
        .map(|(p, r)| {
            let mut deps: Vec<String> = r
                .depends
                .iter()
                .filter_map(|alts| alts.iter().find_map(|a| by_name.get(a.as_str())))
                .filter(|purl| **purl != p.purl)
                .cloned()
                .collect();
            deps.sort();
            deps.dedup();
            deps
        })
        .collect();
    for (p, e) in pkgs.iter_mut().zip(edges) {
        p.depends_on = e;
    }
}

/// The package names in a list of purls, for tests.
#[cfg(test)]
pub(crate) fn dep_names(p: &Package) -> Vec<String> {
    p.depends_on
        .iter()
        .map(|d| {
            let no_version = d.split('@').next().unwrap_or("");
            no_version.rsplit('/').next().unwrap_or("").to_string()
        })
        .collect()
}
