//! Which application manifests are applications, and what they depend on.
//!
//! A `package.json`, `pyproject.toml` or `composer.json` with a name and version is a project,
//! but only one whose dependencies were resolved next to it is an application root worth a
//! component: a lockfile in the same directory, or an installed tree below it
//! (`<app>/node_modules/`, `<app>/vendor/`, `<app>/.venv/`). Elsewhere (examples, test data,
//! Debian's `/usr/share/nodejs/<pkg>/package.json`) nothing says what the project runs with.
//! Where a lockfile in the same directory names the application itself (`package-lock.json`
//! v2+, `uv.lock`), that entry already carries the edges and the manifest's is dropped.

use crate::lang::common::file_name;
use crate::lang::manifest::MANIFEST_NAMES;
use palisade_core::{pep503_normalize, Ecosystem, Package, Relationship};
use std::collections::{HashMap, HashSet};

fn is_manifest_root(p: &Package) -> bool {
    p.relationship == Relationship::Root && MANIFEST_NAMES.contains(&file_name(&p.found_in))
}

fn dir_of(path: &str) -> &str {
    path.rsplit_once('/').map_or("", |(d, _)| d)
}

/// Dependency names as the ecosystem compares them.
fn norm(eco: Ecosystem, name: &str) -> String {
    match eco {
        Ecosystem::Pypi => pep503_normalize(name),
        Ecosystem::Composer => name.to_ascii_lowercase(),
        _ => name.to_string(),
    }
}

/// The application directory whose installed tree holds the file at `found_in`: the part
/// before the first `node_modules/`, `vendor/` or virtualenv directory.
fn installed_for(eco: Ecosystem, found_in: &str) -> Option<&str> {
    let marks: &[&str] = match eco {
        Ecosystem::Npm => &["node_modules/"],
        Ecosystem::Composer => &["vendor/"],
        Ecosystem::Pypi => &[".venv/", "venv/"],
        _ => return None,
    };
    marks.iter().find_map(|m| {
        if found_in.starts_with(m) {
            return Some("");
        }
        found_in.find(&format!("/{m}")).map(|i| &found_in[..i])
    })
}

/// Keeps the manifest roots that are application roots, resolves their dependency names
/// against the lockfile beside them (npm names not found there stay in `declared_deps` for
/// the `node_modules` lookup that follows), and drops the others.
pub(crate) fn settle_roots(pkgs: &mut Vec<Package>) {
    if !pkgs.iter().any(is_manifest_root) {
        return;
    }
    let mut lock_roots: HashSet<(String, Ecosystem)> = HashSet::new();
    let mut evidence: HashSet<(String, Ecosystem)> = HashSet::new();
    let mut beside: HashMap<(String, Ecosystem, String), (String, bool)> = HashMap::new();
    for p in pkgs.iter().filter(|p| !is_manifest_root(p)) {
        let dir = dir_of(&p.found_in).to_string();
        if p.relationship == Relationship::Root {
            lock_roots.insert((dir.clone(), p.ecosystem));
        } else {
            // The first of a name, unless a later one is marked direct (a lockfile can hold
            // several versions of a name; the direct one is the application's).
            let key = (dir.clone(), p.ecosystem, norm(p.ecosystem, &p.name));
            match beside.get(&key) {
                Some((_, true)) => {}
                Some(_) if p.relationship != Relationship::Direct => {}
                _ => {
                    let direct = p.relationship == Relationship::Direct;
                    beside.insert(key, (p.purl.clone(), direct));
                }
            }
        }
        if let Some(app) = installed_for(p.ecosystem, &p.found_in) {
            evidence.insert((app.to_string(), p.ecosystem));
        }
        evidence.insert((dir, p.ecosystem));
    }
    pkgs.retain_mut(|p| {
        if !is_manifest_root(p) {
            return true;
        }
        let dir = dir_of(&p.found_in).to_string();
        let key = (dir.clone(), p.ecosystem);
        if lock_roots.contains(&key) || !evidence.contains(&key) {
            return false;
        }
        let eco = p.ecosystem;
        let mut unresolved = Vec::new();
        for d in std::mem::take(&mut p.declared_deps) {
            match beside.get(&(dir.clone(), eco, norm(eco, &d))) {
                Some((purl, _)) => p.depends_on.push(purl.clone()),
                None => unresolved.push(d),
            }
        }
        // Only Node resolves the rest, through `node_modules` from the manifest's directory.
        if eco == Ecosystem::Npm {
            p.declared_deps = unresolved;
        }
        p.depends_on.sort();
        p.depends_on.dedup();
        true
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pkg(
        eco: Ecosystem,
        name: &str,
        found_in: &str,
        rel: Relationship,
        deps: &[&str],
    ) -> Package {
        let file = crate::FileRef {
            path: found_in,
            content: b"",
            layer: None,
        };
        let mut p = crate::lang::common::package(eco, name, "1.0.0", &file);
        p.relationship = rel;
        p.declared_deps = deps.iter().map(|d| d.to_string()).collect();
        p
    }

    #[test]
    fn manifest_roots_need_a_lockfile_or_installed_tree() {
        use Ecosystem::*;
        use Relationship::*;
        let mut pkgs = vec![
            // poetry.lock beside pyproject.toml: kept, deps resolved by normalised name.
            pkg(
                Pypi,
                "app",
                "srv/py/pyproject.toml",
                Root,
                &["Requests", "gone"],
            ),
            pkg(Pypi, "requests", "srv/py/poetry.lock", Direct, &[]),
            // installed node_modules below package.json: kept, names left for Node lookup.
            pkg(Npm, "web", "srv/web/package.json", Root, &["lodash"]),
            pkg(
                Npm,
                "lodash",
                "srv/web/node_modules/lodash/package.json",
                Unknown,
                &[],
            ),
            // package-lock.json names the app itself: the manifest's copy goes.
            pkg(Npm, "api", "srv/api/package.json", Root, &[]),
            pkg(Npm, "api", "srv/api/package-lock.json", Root, &[]),
            // nothing resolved next to it: not an application root.
            pkg(Npm, "doc", "usr/share/nodejs/doc/package.json", Root, &[]),
            pkg(Composer, "a/b", "srv/php/composer.json", Root, &[]),
        ];
        settle_roots(&mut pkgs);
        let kept: Vec<&str> = pkgs.iter().map(|p| p.found_in.as_str()).collect();
        assert_eq!(
            kept,
            vec![
                "srv/py/pyproject.toml",
                "srv/py/poetry.lock",
                "srv/web/package.json",
                "srv/web/node_modules/lodash/package.json",
                "srv/api/package-lock.json",
            ]
        );
        assert_eq!(pkgs[0].depends_on, vec!["pkg:pypi/requests@1.0.0"]);
        assert!(pkgs[0].declared_deps.is_empty());
        assert_eq!(pkgs[2].declared_deps, vec!["lodash"]);
    }
}
