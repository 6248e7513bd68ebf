//! Python project lockfiles: `poetry.lock`, `Pipfile.lock`, `uv.lock`, `pdm.lock`.
//! Each is a flat list of resolved distributions; dependency edges are resolved by name
//! within the same lockfile.

use super::requirement_name;
use crate::lang::common::{err, file_name, json, resolve_by_name, toml, Entry, MAX_TEXT_SIZE};
use crate::lang::dependency_dirs::inside_dependency;
use crate::{DetectError, Detector, FileRef};
use palisade_core::pep503_normalize;
use palisade_core::{Ecosystem, OsInfo, Package, Relationship};
use serde::Deserialize;
use std::collections::{BTreeMap, HashSet};

fn wants_name(path: &str, size: u64, name: &str) -> bool {
    size <= MAX_TEXT_SIZE && file_name(path) == name && !inside_dependency(path)
}

pub struct Poetry;

#[derive(Deserialize)]
struct PoetryLock {
    #[serde(default)]
    package: Vec<PoetryPkg>,
}

#[derive(Deserialize)]
struct PoetryPkg {
    name: String,
    version: String,
    #[serde(default)]
    category: Option<String>,
    /// Poetry 2 (lock-version 2.1): the dependency groups that pull the package in.
    #[serde(default)]
    groups: Vec<String>,
    #[serde(default)]
    dependencies: BTreeMap<String, toml::Value>,
}

impl Detector for Poetry {
    fn name(&self) -> &'static str {
        "python-poetry"
    }
    fn wants(&self, path: &str, size: u64) -> bool {
        wants_name(path, size, "poetry.lock")
    }
    fn detect(
        &self,
        file: &FileRef<'_>,
        _os: Option<&OsInfo>,
    ) -> Result<Vec<Package>, DetectError> {
        let lock: PoetryLock = toml(file)?;
        let entries = lock
            .package
            .into_iter()
            .map(|p| Entry {
                purl_name: Some(super::purl_name(&p.name)),
                name: pep503_normalize(&p.name),
                version: p.version,
                // Poetry < 1.5 marked dev-only packages with a category, Poetry 2 lists the
                // groups; 1.5 to 1.8 lockfiles say neither (that needs pyproject.toml).
                relationship: if p.category.as_deref() == Some("dev")
                    || (!p.groups.is_empty() && !p.groups.iter().any(|g| g == "main"))
                {
                    Relationship::Dev
                } else {
                    Relationship::Unknown
                },
                licenses: Vec::new(),
                deps: p.dependencies.keys().map(|d| pep503_normalize(d)).collect(),
            })
            .collect();
        Ok(resolve_by_name(Ecosystem::Pypi, file, entries))
    }
}

pub struct Pipfile;

#[derive(Deserialize)]
struct PipfileLock {
    #[serde(default)]
    default: BTreeMap<String, PipfileEntry>,
    #[serde(default)]
    develop: BTreeMap<String, PipfileEntry>,
}

#[derive(Deserialize)]
struct PipfileEntry {
    #[serde(default)]
    version: Option<String>,
}

impl Detector for Pipfile {
    fn name(&self) -> &'static str {
        "python-pipfile-lock"
    }
    fn wants(&self, path: &str, size: u64) -> bool {
        wants_name(path, size, "Pipfile.lock")
    }
    fn detect(
        &self,
        file: &FileRef<'_>,
        _os: Option<&OsInfo>,
    ) -> Result<Vec<Package>, DetectError> {
        let lock: PipfileLock = json(file)?;
        let mut entries = Vec::new();
        for (section, rel) in [
            (&lock.default, Relationship::Unknown),
            (&lock.develop, Relationship::Dev),
        ] {
            for (name, e) in section {
                // VCS and path entries carry no version.
                let Some(v) = e.version.as_deref().and_then(|v| v.strip_prefix("==")) else {
                    continue;
                };
                entries.push(Entry {
                    name: pep503_normalize(name),
                    version: v.to_string(),
                    relationship: rel,
                    ..Entry::default()
                });
            }
        }
        Ok(resolve_by_name(Ecosystem::Pypi, file, entries))
    }
}

pub struct Uv;

#[derive(Deserialize)]
struct UvLock {
    #[serde(default)]
    package: Vec<UvPkg>,
}

#[derive(Deserialize)]
struct UvPkg {
    name: String,
    #[serde(default)]
    version: Option<String>,
    #[serde(default)]
    source: BTreeMap<String, toml::Value>,
    #[serde(default)]
    dependencies: Vec<UvDep>,
    #[serde(default, rename = "optional-dependencies")]
    optional: BTreeMap<String, Vec<UvDep>>,
    #[serde(default, rename = "dev-dependencies")]
    dev: BTreeMap<String, Vec<UvDep>>,
}

#[derive(Deserialize)]
struct UvDep {
    name: String,
}

impl UvPkg {
    /// The project itself: an editable or virtual source at the lockfile's directory.
    fn is_root(&self) -> bool {
        ["editable", "virtual"]
            .iter()
            .any(|k| self.source.get(*k).and_then(|v| v.as_str()) == Some("."))
    }
}

impl Detector for Uv {
    fn name(&self) -> &'static str {
        "python-uv-lock"
    }
    fn wants(&self, path: &str, size: u64) -> bool {
        wants_name(path, size, "uv.lock")
    }
    fn detect(
        &self,
        file: &FileRef<'_>,
        _os: Option<&OsInfo>,
    ) -> Result<Vec<Package>, DetectError> {
        let lock: UvLock = toml(file)?;
        let mut direct = HashSet::new();
        let mut dev = HashSet::new();
        for root in lock.package.iter().filter(|p| p.is_root()) {
            direct.extend(
                root.dependencies
                    .iter()
                    .chain(root.optional.values().flatten())
                    .map(|d| pep503_normalize(&d.name)),
            );
            dev.extend(
                root.dev
                    .values()
                    .flatten()
                    .map(|d| pep503_normalize(&d.name)),
            );
        }
        let mut entries = Vec::new();
        // The project itself (with a version; a virtual workspace root has none) is the
        // application, depending on its direct and dev requirements.
        for root in lock.package.iter().filter(|p| p.is_root()) {
            let Some(version) = root.version.clone() else {
                continue;
            };
            entries.push(Entry {
                purl_name: Some(super::purl_name(&root.name)),
                name: pep503_normalize(&root.name),
                version,
                relationship: Relationship::Root,
                licenses: Vec::new(),
                deps: root
                    .dependencies
                    .iter()
                    .chain(root.optional.values().flatten())
                    .chain(root.dev.values().flatten())
                    .map(|d| pep503_normalize(&d.name))
                    .collect(),
            });
        }
        for p in lock.package.iter().filter(|p| !p.is_root()) {
            let Some(version) = p.version.clone() else {
                continue;
            };
            let name = pep503_normalize(&p.name);
            let relationship = if direct.contains(&name) {
                Relationship::Direct
            } else if dev.contains(&name) {
                Relationship::Dev
            } else {
                Relationship::Transitive
            };
            let deps = p
                .dependencies
                .iter()
                .chain(p.optional.values().flatten())
                .map(|d| pep503_normalize(&d.name))
                .collect();
            let purl_name = Some(super::purl_name(&p.name));
            entries.push(Entry {
                purl_name,
                name,
                version,
                relationship,
                licenses: Vec::new(),
                deps,
            });
        }
        Ok(resolve_by_name(Ecosystem::Pypi, file, entries))
    }
}

pub struct Pdm;

#[derive(Deserialize)]
struct PdmLock {
    #[serde(default)]
    package: Vec<PdmPkg>,
}

#[derive(Deserialize)]
struct PdmPkg {
    name: String,
    version: Option<String>,
    #[serde(default)]
    groups: Vec<String>,
    #[serde(default)]
    dependencies: Vec<String>,
}

impl Detector for Pdm {
    fn name(&self) -> &'static str {
        "python-pdm-lock"
    }
    fn wants(&self, path: &str, size: u64) -> bool {
        wants_name(path, size, "pdm.lock")
    }
    fn detect(
        &self,
        file: &FileRef<'_>,
        _os: Option<&OsInfo>,
    ) -> Result<Vec<Package>, DetectError> {
        let lock: PdmLock = toml(file)?;
        let mut entries = Vec::new();
        for p in lock.package {
            let Some(version) = p.version else { continue };
            let dev_only = !p.groups.is_empty() && !p.groups.iter().any(|g| g == "default");
            entries.push(Entry {
                purl_name: Some(super::purl_name(&p.name)),
                name: pep503_normalize(&p.name),
                version,
                relationship: if dev_only {
                    Relationship::Dev
                } else {
                    Relationship::Unknown
                },
                licenses: Vec::new(),
                deps: p
                    .dependencies
                    .iter()
                    .filter_map(|d| requirement_name(d))
                    .collect(),
            });
        }
        if entries.is_empty() && file.content.iter().all(u8::is_ascii_whitespace) {
            return Err(err(file, "empty lockfile"));
        }
        Ok(resolve_by_name(Ecosystem::Pypi, file, entries))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(d: &dyn Detector, path: &str, body: &str) -> Result<Vec<Package>, DetectError> {
        d.detect(
            &FileRef {
                path,
                content: body.as_bytes(),
                layer: None,
            },
            None,
        )
    }

    #[test]
    fn poetry_edges_and_dev() {
        let body = r#"
[[package]]
name = "Requests"
version = "2.31.0"
category = "main"
[package.dependencies]
urllib3 = ">=1.21.1,<3"
missing = "*"
[[package]]
name = "urllib3"
version = "2.0.7"
category = "dev"
"#;
        let p = run(&Poetry, "poetry.lock", body).unwrap();
        assert_eq!(p[0].purl, "pkg:pypi/requests@2.31.0");
        assert_eq!(p[0].depends_on, vec!["pkg:pypi/urllib3@2.0.7"]);
        assert_eq!(p[1].relationship, Relationship::Dev);
    }

    #[test]
    fn uv_root_is_the_application_and_direct_marked() {
        let body = r#"
version = 1
[[package]]
name = "app"
version = "0.1.0"
source = { editable = "." }
dependencies = [{ name = "idna" }]
[package.dev-dependencies]
dev = [{ name = "pytest" }]
[[package]]
name = "idna"
version = "3.7"
source = { registry = "https://pypi.org/simple" }
[[package]]
name = "pytest"
version = "8.0.0"
source = { registry = "https://pypi.org/simple" }
"#;
        let mut p = run(&Uv, "uv.lock", body).unwrap();
        let root = p.remove(0);
        assert_eq!(
            (root.purl.as_str(), root.relationship),
            ("pkg:pypi/app@0.1.0", Relationship::Root)
        );
        assert_eq!(
            root.depends_on,
            vec!["pkg:pypi/idna@3.7", "pkg:pypi/pytest@8.0.0"]
        );
        assert_eq!(p.len(), 2);
        assert_eq!(
            (p[0].name.as_str(), p[0].relationship),
            ("idna", Relationship::Direct)
        );
        assert_eq!(p[1].relationship, Relationship::Dev);
    }

    #[test]
    fn pipfile_and_pdm() {
        let pf = r#"{"default":{"Django":{"version":"==3.2"},"vcs":{"git":"x"}},"develop":{"pytest":{"version":"==8.0.0"}}}"#;
        let p = run(&Pipfile, "Pipfile.lock", pf).unwrap();
        assert_eq!(
            p.iter().map(|p| p.purl.as_str()).collect::<Vec<_>>(),
            vec!["pkg:pypi/django@3.2", "pkg:pypi/pytest@8.0.0"]
        );
        assert_eq!(p[1].relationship, Relationship::Dev);
        let pdm = "[[package]]\nname = \"a\"\nversion = \"1\"\ngroups = [\"default\"]\ndependencies = [\"B>=1\"]\n[[package]]\nname = \"b\"\nversion = \"2\"\ngroups = [\"dev\"]\n";
        let p = run(&Pdm, "pdm.lock", pdm).unwrap();
        assert_eq!(p[0].depends_on, vec!["pkg:pypi/b@2"]);
        assert_eq!(p[1].relationship, Relationship::Dev);
    }

    #[test]
    fn malformed_locks_are_errors() {
        assert!(run(&Poetry, "x/poetry.lock", "[[package]\n")
            .unwrap_err()
            .to_string()
            .starts_with("x/poetry.lock: invalid TOML"));
        assert!(run(&Pipfile, "Pipfile.lock", "{").is_err());
        assert!(run(&Uv, "uv.lock", "package = 3").is_err());
    }
}
