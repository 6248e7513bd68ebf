//! Dependency edges between installed packages, which live in separate files.
//!
//! A `METADATA` file names its requirements (`Requires-Dist: urllib3`) and a
//! `node_modules/a/package.json` names its dependencies, but neither knows which versions are
//! installed next to it. Their detectors put those names in [`Package::declared_deps`]; once
//! a whole tree has been detected, [`link_installed`] adds to [`Package::depends_on`] the
//! purl of the package that the runtime would load for each name, following the runtime's
//! own lookup rules, drops names that nothing installed answers (optional extras, missing
//! peers), and empties `declared_deps`.

use palisade_core::{pep503_normalize, Ecosystem, Package};
use std::collections::HashMap;

/// Directory levels walked up from a package when resolving a Node dependency. Real trees
/// are a few dozen deep; a crafted path can have thousands of components.
const MAX_NODE_LEVELS: usize = 256;

/// Resolves every declared dependency name left by the installed-package detectors.
///
/// Directories are turned into small ids once per package, so resolving one dependency
/// costs a hash of its name per level, not a fresh path string per level (which is
/// quadratic for deep crafted paths with many dependencies).
pub fn link_installed(pkgs: &mut [Package]) {
    if pkgs.iter().all(|p| p.declared_deps.is_empty()) {
        return;
    }
    let mut dirs: HashMap<String, usize> = HashMap::new();
    fn id_of(dirs: &mut HashMap<String, usize>, d: &str) -> usize {
        let next = dirs.len();
        *dirs.entry(d.to_string()).or_insert(next)
    }
    // (environment id, normalised name) → purl.
    let mut python: HashMap<(usize, String), String> = HashMap::new();
    // (directory id holding `node_modules`, package name) → purl.
    let mut node: HashMap<(usize, String), String> = HashMap::new();
    for p in pkgs.iter() {
        match p.ecosystem {
            Ecosystem::Pypi => {
                if let Some(env) = python_env(&p.found_in) {
                    let id = id_of(&mut dirs, env);
                    python
                        .entry((id, p.name.clone()))
                        .or_insert_with(|| p.purl.clone());
                }
            }
            Ecosystem::Npm => {
                if let Some((dir, name)) = node_installed_at(&p.found_in) {
                    let id = id_of(&mut dirs, dir);
                    node.entry((id, name.to_string()))
                        .or_insert_with(|| p.purl.clone());
                }
            }
            _ => {}
        }
    }
    for p in pkgs.iter_mut() {
        if p.declared_deps.is_empty() {
            continue;
        }
        let declared = std::mem::take(&mut p.declared_deps);
        let mut out = std::mem::take(&mut p.depends_on);
        // The environment (Python) or the directories, nearest first (Node), searched.
        let search: Vec<usize> = match p.ecosystem {
            Ecosystem::Pypi => python_env(&p.found_in)
                .and_then(|env| dirs.get(env).copied())
                .into_iter()
                .collect(),
            Ecosystem::Npm => node_search_path(&p.found_in)
                .filter_map(|d| dirs.get(d).copied())
                .collect(),
            _ => Vec::new(),
        };
        for d in declared {
            let hit = match p.ecosystem {
                Ecosystem::Pypi => {
                    let name = pep503_normalize(&d);
                    search.first().and_then(|env| python.get(&(*env, name)))
                }
                Ecosystem::Npm => search.iter().find_map(|dir| node.get(&(*dir, d.clone()))),
                _ => None,
            };
            if let Some(purl) = hit {
                if *purl != p.purl {
                    out.push(purl.clone());
                }
            }
        }
        out.sort();
        out.dedup();
        p.depends_on = out;
    }
}

/// The directory a Python distribution is installed into (`…/site-packages`): the parent
/// of its `.dist-info`/`.egg-info` directory, or of a zipped `.egg`.
fn python_env(found_in: &str) -> Option<&str> {
    let meta_dir = if found_in.ends_with(".egg") || found_in.ends_with(".egg-info") {
        found_in
    } else {
        found_in.rsplit_once('/')?.0
    };
    // `foo.egg/EGG-INFO/PKG-INFO` sits one level deeper.
    let meta_dir = meta_dir.strip_suffix("/EGG-INFO").unwrap_or(meta_dir);
    Some(meta_dir.rsplit_once('/').map_or("", |(env, _)| env))
}

/// Where an installed `…/node_modules/<name>/package.json` sits: the directory holding that
/// `node_modules` (empty at the root) and the package name (`@scope/name` included).
fn node_installed_at(found_in: &str) -> Option<(&str, &str)> {
    let pkg_dir = found_in.strip_suffix("/package.json")?;
    match pkg_dir.rfind("/node_modules/") {
        Some(i) => Some((&pkg_dir[..i], &pkg_dir[i + "/node_modules/".len()..])),
        None => pkg_dir.strip_prefix("node_modules/").map(|n| ("", n)),
    }
}

/// Node's module resolution: `<pkg>/node_modules/<dep>`, then the same in every ancestor
/// directory up to the root; these are the directories, nearest first.
fn node_search_path(found_in: &str) -> impl Iterator<Item = &str> {
    let start = found_in.strip_suffix("/package.json");
    let mut next = start;
    let mut root_done = start.is_none();
    std::iter::from_fn(move || {
        if let Some(dir) = next {
            next = dir.rsplit_once('/').map(|(parent, _)| parent);
            return Some(dir);
        }
        if root_done {
            return None;
        }
        root_done = true;
        Some("")
    })
    .take(MAX_NODE_LEVELS)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pkg(eco: Ecosystem, name: &str, version: &str, found_in: &str, deps: &[&str]) -> Package {
        let file = crate::FileRef {
            path: found_in,
            content: b"",
            layer: None,
        };
        let mut p = crate::lang::common::package(eco, name, version, &file);
        p.declared_deps = deps.iter().map(|d| d.to_string()).collect();
        p
    }

    #[test]
    fn python_requirements_resolve_within_one_site_packages() {
        let sp = "usr/lib/python3/site-packages";
        let other = "opt/venv/lib/python3.11/site-packages";
        let mut pkgs = vec![
            pkg(
                Ecosystem::Pypi,
                "requests",
                "2.31.0",
                &format!("{sp}/requests-2.31.0.dist-info/METADATA"),
                &["urllib3", "Charset_Normalizer", "PySocks"],
            ),
            pkg(
                Ecosystem::Pypi,
                "urllib3",
                "2.0.7",
                &format!("{sp}/urllib3-2.0.7.dist-info/METADATA"),
                &[],
            ),
            pkg(
                Ecosystem::Pypi,
                "charset-normalizer",
                "3.3.2",
                &format!("{sp}/charset_normalizer-3.3.2.egg-info"),
                &[],
            ),
            pkg(
                Ecosystem::Pypi,
                "pysocks",
                "1.7.1",
                &format!("{other}/PySocks-1.7.1.dist-info/METADATA"),
                &[],
            ),
        ];
        link_installed(&mut pkgs);
        assert_eq!(
            pkgs[0].depends_on,
            vec![
                "pkg:pypi/charset-normalizer@3.3.2",
                "pkg:pypi/urllib3@2.0.7"
            ],
            "PySocks lives in another environment and must not be linked"
        );
    }

    #[test]
    fn node_dependencies_follow_module_resolution() {
        let mut pkgs = vec![
            pkg(
                Ecosystem::Npm,
                "a",
                "1.0.0",
                "srv/app/node_modules/a/package.json",
                &["b", "@s/c", "missing-peer"],
            ),
            // a's private copy of b shadows the hoisted one.
            pkg(
                Ecosystem::Npm,
                "b",
                "1.0.0",
                "srv/app/node_modules/a/node_modules/b/package.json",
                &[],
            ),
            pkg(
                Ecosystem::Npm,
                "b",
                "2.0.0",
                "srv/app/node_modules/b/package.json",
                &[],
            ),
            pkg(
                Ecosystem::Npm,
                "@s/c",
                "3.0.0",
                "srv/app/node_modules/@s/c/package.json",
                &["b"],
            ),
        ];
        link_installed(&mut pkgs);
        assert_eq!(
            pkgs[0].depends_on,
            vec!["pkg:npm/%40s/c@3.0.0", "pkg:npm/b@1.0.0"]
        );
        assert_eq!(pkgs[3].depends_on, vec!["pkg:npm/b@2.0.0"]);
    }

    #[test]
    fn resolved_purls_are_kept_and_self_edges_dropped() {
        let mut pkgs = vec![pkg(
            Ecosystem::Pypi,
            "a",
            "1",
            "sp/a-1.dist-info/METADATA",
            &["a"],
        )];
        pkgs[0].depends_on = vec!["pkg:pypi/x@1".into()];
        link_installed(&mut pkgs);
        assert_eq!(pkgs[0].depends_on, vec!["pkg:pypi/x@1"]);
        assert!(pkgs[0].declared_deps.is_empty());
    }
}
