//! `--dependency-tree`: how a vulnerable package got in. From the packages' `depends_on`
//! purls and `relationship`, the shortest chains from a direct dependency (or a package
//! nothing else depends on, such as an OS package installed on purpose) down to it.
//! Computed from the report's own data, so every format can show it.

use crate::{Package, Relationship, TargetReport};
use std::collections::{HashMap, HashSet, VecDeque};

/// Chains kept per package: enough to show the main ways in, few enough to read.
pub const MAX_CHAINS: usize = 3;

/// Who depends on what, by purl, read once for every vulnerable package of a target.
pub struct DependencyGraph<'a> {
    packages: HashMap<&'a str, &'a Package>,
    parents: HashMap<&'a str, Vec<&'a str>>,
}

impl<'a> DependencyGraph<'a> {
    pub fn new(packages: &'a [Package]) -> Self {
        let mut by_purl = HashMap::new();
        let mut parents: HashMap<&str, Vec<&str>> = HashMap::new();
        for p in packages {
            by_purl.insert(p.purl.as_str(), p);
        }
        for p in packages {
            // The application itself is where direct dependencies hang from, not a link.
            if p.relationship == Relationship::Root {
                continue;
            }
            for d in &p.depends_on {
                let list = parents.entry(d.as_str()).or_default();
                if !list.contains(&p.purl.as_str()) {
                    list.push(p.purl.as_str());
                }
            }
        }
        DependencyGraph {
            packages: by_purl,
            parents,
        }
    }

    fn is_direct(&self, purl: &str) -> bool {
        self.packages
            .get(purl)
            .is_some_and(|p| p.relationship == Relationship::Direct)
    }

    /// Up to [`MAX_CHAINS`] chains of purls, each from a top (a direct dependency, or a
    /// package nothing depends on) down to `purl`, shortest first. `[purl]` alone when the
    /// package is itself a direct dependency; none when the graph says nothing about it.
    pub fn chains(&self, purl: &str) -> Vec<Vec<String>> {
        let Some((&start, _)) = self.packages.get_key_value(purl) else {
            return Vec::new();
        };
        let no_parents = |p: &str| self.parents.get(p).is_none_or(Vec::is_empty);
        if self.is_direct(start) {
            return vec![vec![start.to_string()]];
        }
        if no_parents(start) {
            return Vec::new();
        }
        // Breadth first up the reverse edges: the first tops reached are the shortest ways in.
        let mut towards_target: HashMap<&str, &str> = HashMap::new();
        let mut seen: HashSet<&str> = HashSet::from([start]);
        let mut queue = VecDeque::from([start]);
        let mut chains = Vec::new();
        while let Some(node) = queue.pop_front() {
            if node != start && (self.is_direct(node) || no_parents(node)) {
                let mut chain = vec![node.to_string()];
                let mut at = node;
                while let Some(&next) = towards_target.get(at) {
                    chain.push(next.to_string());
                    at = next;
                }
                chains.push(chain);
                if chains.len() == MAX_CHAINS {
                    break;
                }
                continue;
            }
            for &parent in self.parents.get(node).into_iter().flatten() {
                if seen.insert(parent) {
                    towards_target.insert(parent, node);
                    queue.push_back(parent);
                }
            }
        }
        chains
    }
}

/// Fills `VulnInfo::dependency_paths` of every vulnerability finding of `target` from its
/// packages.
pub fn attach_dependency_paths(target: &mut TargetReport) {
    let graph = DependencyGraph::new(&target.packages);
    let mut found = Vec::new();
    for (i, f) in target.findings.iter().enumerate() {
        let purl = f
            .vulnerability
            .as_ref()
            .and_then(|v| v.purl.as_deref())
            .or(f.location.purl.as_deref());
        if let Some(purl) = purl {
            found.push((i, graph.chains(purl)));
        }
    }
    for (i, chains) in found {
        if let Some(v) = target.findings[i].vulnerability.as_mut() {
            v.dependency_paths = chains;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Ecosystem;

    fn pkg(name: &str, rel: Relationship, deps: &[&str]) -> Package {
        Package {
            ecosystem: Ecosystem::Npm,
            name: name.into(),
            version: "1.0.0".into(),
            purl: format!("pkg:npm/{name}@1.0.0"),
            source_name: None,
            source_version: None,
            arch: None,
            licenses: Vec::new(),
            maintainer: None,
            found_in: "package-lock.json".into(),
            layer: None,
            other_locations: Vec::new(),
            relationship: rel,
            depends_on: deps.iter().map(|d| format!("pkg:npm/{d}@1.0.0")).collect(),
            declared_deps: Vec::new(),
        }
    }

    fn names(chains: Vec<Vec<String>>) -> Vec<String> {
        chains
            .iter()
            .map(|c| {
                c.iter()
                    .map(|p| p.trim_start_matches("pkg:npm/").trim_end_matches("@1.0.0"))
                    .collect::<Vec<_>>()
                    .join(" > ")
            })
            .collect()
    }

    #[test]
    fn shortest_chains_from_direct_dependencies() {
        use Relationship::*;
        let pkgs = vec![
            pkg("app", Root, &["express", "lodash", "tool"]),
            pkg("express", Direct, &["body-parser"]),
            pkg("body-parser", Transitive, &["qs"]),
            pkg("tool", Direct, &["qs"]),
            pkg("qs", Transitive, &["side"]),
            pkg("lodash", Direct, &[]),
            pkg("side", Transitive, &["qs"]), // a cycle: qs > side > qs
            pkg("orphan", Unknown, &[]),
        ];
        let g = DependencyGraph::new(&pkgs);
        assert_eq!(
            names(g.chains("pkg:npm/qs@1.0.0")),
            ["tool > qs", "express > body-parser > qs"]
        );
        assert_eq!(names(g.chains("pkg:npm/lodash@1.0.0")), ["lodash"]);
        assert_eq!(
            names(g.chains("pkg:npm/side@1.0.0")),
            ["tool > qs > side", "express > body-parser > qs > side"]
        );
        assert!(g.chains("pkg:npm/orphan@1.0.0").is_empty());
        assert!(g.chains("pkg:npm/absent@1.0.0").is_empty());
    }

    #[test]
    fn packages_without_a_relationship_hang_from_what_nothing_depends_on() {
        use Relationship::*;
        // Installed Python distributions: requests needs urllib3, nothing needs requests.
        let pkgs = vec![
            pkg("requests", Unknown, &["urllib3"]),
            pkg("urllib3", Unknown, &[]),
        ];
        let g = DependencyGraph::new(&pkgs);
        assert_eq!(
            names(g.chains("pkg:npm/urllib3@1.0.0")),
            ["requests > urllib3"]
        );
    }
}
