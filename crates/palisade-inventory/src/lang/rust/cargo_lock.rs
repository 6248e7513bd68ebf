//! `Cargo.lock` (v1 to v4). Packages without a `source` are the workspace's own crates; their
//! dependencies are the direct ones. Dependency strings are `name`, `name version` or
//! `name version (source)`, the short forms used when they are unambiguous.

use crate::lang::common::{file_name, finish, package, purl_for, toml, MAX_TEXT_SIZE};
use crate::{DetectError, Detector, FileRef};
use palisade_core::{Ecosystem, OsInfo, Package, Relationship};
use serde::Deserialize;
use std::collections::{HashMap, HashSet};

pub struct CargoLock;

#[derive(Deserialize)]
struct Lock {
    #[serde(default)]
    package: Vec<Pkg>,
}

#[derive(Deserialize)]
struct Pkg {
    name: String,
    version: String,
    #[serde(default)]
    source: Option<String>,
    #[serde(default)]
    dependencies: Vec<String>,
}

impl Detector for CargoLock {
    fn name(&self) -> &'static str {
        "cargo-lock"
    }

    fn wants(&self, path: &str, size: u64) -> bool {
        size <= MAX_TEXT_SIZE && file_name(path) == "Cargo.lock"
    }

    fn detect(
        &self,
        file: &FileRef<'_>,
        _os: Option<&OsInfo>,
    ) -> Result<Vec<Package>, DetectError> {
        let lock: Lock = toml(file)?;
        // Index by name (first in file order) and by name and version: a dependency string
        // is resolved by one look-up, not a scan of the whole lockfile (quadratic in a
        // crafted one).
        let mut first: HashMap<&str, &Pkg> = HashMap::new();
        let mut exact: HashMap<(&str, &str), &Pkg> = HashMap::new();
        for p in &lock.package {
            first.entry(p.name.as_str()).or_insert(p);
            exact
                .entry((p.name.as_str(), p.version.as_str()))
                .or_insert(p);
        }
        let resolve = |dep: &str| -> Option<(String, String)> {
            let mut parts = dep.split_whitespace();
            let name = parts.next()?;
            let hit = match parts.next() {
                None => first.get(name),
                Some(v) => exact.get(&(name, v)),
            };
            hit.map(|p| (p.name.clone(), p.version.clone()))
        };
        let direct: HashSet<(String, String)> = lock
            .package
            .iter()
            .filter(|p| p.source.is_none())
            .flat_map(|p| p.dependencies.iter().filter_map(|d| resolve(d)))
            .collect();
        let mut out = Vec::new();
        for p in &lock.package {
            let mut pkg = package(Ecosystem::Cargo, &p.name, &p.version, file);
            let id = (p.name.clone(), p.version.clone());
            pkg.relationship = if p.source.is_none() {
                Relationship::Unknown
            } else if direct.contains(&id) {
                Relationship::Direct
            } else {
                Relationship::Transitive
            };
            pkg.depends_on = p
                .dependencies
                .iter()
                .filter_map(|d| resolve(d))
                .map(|(n, v)| purl_for(Ecosystem::Cargo, &n, &v))
                .collect();
            out.push(pkg);
        }
        Ok(finish(out))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(body: &str) -> Result<Vec<Package>, DetectError> {
        CargoLock.detect(
            &FileRef {
                path: "Cargo.lock",
                content: body.as_bytes(),
                layer: None,
            },
            None,
        )
    }

    #[test]
    fn edges_and_relationships() {
        let body = r#"version = 3
[[package]]
name = "app"
version = "0.1.0"
dependencies = ["a", "b 2.0.0"]
[[package]]
name = "a"
version = "1.0.0"
source = "registry+https://github.com/rust-lang/crates.io-index"
dependencies = ["b 1.0.0 (registry+https://github.com/rust-lang/crates.io-index)"]
[[package]]
name = "b"
version = "1.0.0"
source = "registry+https://github.com/rust-lang/crates.io-index"
[[package]]
name = "b"
version = "2.0.0"
source = "registry+https://github.com/rust-lang/crates.io-index"
"#;
        let p = run(body).unwrap();
        assert_eq!(
            p[0].depends_on,
            vec!["pkg:cargo/a@1.0.0", "pkg:cargo/b@2.0.0"]
        );
        assert_eq!(p[1].depends_on, vec!["pkg:cargo/b@1.0.0"]);
        assert_eq!(p[1].relationship, Relationship::Direct);
        assert_eq!(p[2].relationship, Relationship::Transitive);
        assert_eq!(p[3].relationship, Relationship::Direct);
    }

    #[test]
    fn malformed() {
        assert!(run("[[package]]\nname = 3\n")
            .unwrap_err()
            .message
            .starts_with("invalid TOML"));
    }
}
