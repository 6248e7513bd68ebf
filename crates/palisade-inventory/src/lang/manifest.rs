//! Application manifests: `package.json`, `pyproject.toml` and `composer.json` outside
//! dependency directories. One with a name and version is the application (relationship
//! [`Relationship::Root`]); its dependency names are left in `declared_deps`, and
//! [`crate::link_installed`] keeps it only where a lockfile or an installed tree next to it
//! shows it is an application root, resolving the names there (`src/roots.rs`).
//!
//! Lockfiles that name the project themselves (`package-lock.json` v2+, `Cargo.lock`,
//! `uv.lock`), `pom.xml` and `go.mod` give the application directly; `Cargo.toml` is not read,
//! since a crate is an application only where a `Cargo.lock` already names it.

use crate::lang::common::{err, file_name, json, package, toml, MAX_TEXT_SIZE};
use crate::lang::dependency_dirs::inside_dependency;
use crate::lang::python::requirement_name;
use crate::{DetectError, Detector, FileRef};
use palisade_core::{Ecosystem, OsInfo, Package, Relationship};
use serde_json::Value;

pub fn detectors() -> Vec<Box<dyn Detector>> {
    vec![
        Box::new(NodeManifest),
        Box::new(Pyproject),
        Box::new(ComposerManifest),
    ]
}

/// Manifests are small; a big one is not a project description.
const MAX_MANIFEST: u64 = 4 * 1024 * 1024;

/// The file names these detectors read, for the pairing pass.
pub(crate) const MANIFEST_NAMES: [&str; 3] = ["package.json", "pyproject.toml", "composer.json"];

fn wants_manifest(path: &str, size: u64, name: &str) -> bool {
    size <= MAX_MANIFEST.min(MAX_TEXT_SIZE) && file_name(path) == name && !inside_dependency(path)
}

fn root(mut p: Package, deps: Vec<String>) -> Vec<Package> {
    p.relationship = Relationship::Root;
    p.declared_deps = deps;
    vec![p]
}

fn str_field<'a>(v: &'a Value, k: &str) -> Option<&'a str> {
    v.get(k).and_then(Value::as_str).filter(|s| !s.is_empty())
}

fn keys(v: &Value, fields: &[&str]) -> Vec<String> {
    fields
        .iter()
        .filter_map(|k| v.get(*k).and_then(Value::as_object))
        .flat_map(|m| m.keys().cloned())
        .collect()
}

pub struct NodeManifest;

impl Detector for NodeManifest {
    fn name(&self) -> &'static str {
        "npm-manifest"
    }

    fn wants(&self, path: &str, size: u64) -> bool {
        wants_manifest(path, size, "package.json")
    }

    fn detect(
        &self,
        file: &FileRef<'_>,
        _os: Option<&OsInfo>,
    ) -> Result<Vec<Package>, DetectError> {
        let v: Value = json(file)?;
        let (Some(name), Some(version)) = (str_field(&v, "name"), str_field(&v, "version")) else {
            return Ok(Vec::new());
        };
        // `npm install` installs dev dependencies of the application too (unless told not
        // to); names that nothing installed answers are dropped when linking.
        let deps = keys(
            &v,
            &[
                "dependencies",
                "optionalDependencies",
                "peerDependencies",
                "devDependencies",
            ],
        );
        let mut p = package(Ecosystem::Npm, name, version, file);
        p.licenses = super::node::licences(&v);
        Ok(root(p, deps))
    }
}

pub struct Pyproject;

impl Detector for Pyproject {
    fn name(&self) -> &'static str {
        "python-pyproject"
    }

    fn wants(&self, path: &str, size: u64) -> bool {
        wants_manifest(path, size, "pyproject.toml")
    }

    fn detect(
        &self,
        file: &FileRef<'_>,
        _os: Option<&OsInfo>,
    ) -> Result<Vec<Package>, DetectError> {
        let doc: toml::Value = toml(file)?;
        let project = doc.get("project");
        let poetry = doc.get("tool").and_then(|t| t.get("poetry"));
        let field = |k: &str| {
            project
                .and_then(|p| p.get(k))
                .or_else(|| poetry.and_then(|p| p.get(k)))
                .and_then(toml::Value::as_str)
                .filter(|s| !s.is_empty())
        };
        // A dynamic version (set by the build backend) is not in the file.
        let (Some(name), Some(version)) = (field("name"), field("version")) else {
            return Ok(Vec::new());
        };
        let mut deps: Vec<String> = Vec::new();
        let mut requirements = |list: Option<&toml::Value>| {
            let items = list.and_then(toml::Value::as_array).into_iter().flatten();
            deps.extend(items.filter_map(|r| r.as_str().and_then(requirement_name)));
        };
        // PEP 621 dependencies and extras, PEP 735 dependency groups.
        requirements(project.and_then(|p| p.get("dependencies")));
        for table in [
            project.and_then(|p| p.get("optional-dependencies")),
            doc.get("dependency-groups"),
        ] {
            for list in table.and_then(toml::Value::as_table).into_iter().flatten() {
                requirements(Some(list.1));
            }
        }
        // Poetry's own tables: names are keys, `python` is the interpreter.
        if let Some(po) = poetry {
            let mut tables = vec![po.get("dependencies"), po.get("dev-dependencies")];
            if let Some(groups) = po.get("group").and_then(toml::Value::as_table) {
                tables.extend(groups.values().map(|g| g.get("dependencies")));
            }
            for t in tables
                .into_iter()
                .flatten()
                .filter_map(toml::Value::as_table)
            {
                deps.extend(
                    t.keys()
                        .filter(|k| k.as_str() != "python")
                        .map(|k| palisade_core::pep503_normalize(k)),
                );
            }
        }
        Ok(root(super::python::package(name, version, file), deps))
    }
}

pub struct ComposerManifest;

impl Detector for ComposerManifest {
    fn name(&self) -> &'static str {
        "composer-manifest"
    }

    fn wants(&self, path: &str, size: u64) -> bool {
        wants_manifest(path, size, "composer.json")
    }

    fn detect(
        &self,
        file: &FileRef<'_>,
        _os: Option<&OsInfo>,
    ) -> Result<Vec<Package>, DetectError> {
        let v: Value = json(file)?;
        if !v.is_object() {
            return Err(err(file, "top level is not an object"));
        }
        // Most applications' composer.json has no version (Composer takes it from VCS);
        // without one there is no component to report.
        let (Some(name), Some(version)) = (str_field(&v, "name"), str_field(&v, "version")) else {
            return Ok(Vec::new());
        };
        // `php`, `ext-*` and `lib-*` are platform requirements, not packages.
        let deps = keys(&v, &["require", "require-dev"])
            .into_iter()
            .filter(|k| k.contains('/'))
            .map(|k| k.to_ascii_lowercase())
            .collect();
        let p = package(
            Ecosystem::Composer,
            &name.to_ascii_lowercase(),
            version,
            file,
        );
        Ok(root(p, deps))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(d: &dyn Detector, path: &str, body: &str) -> Vec<Package> {
        assert!(d.wants(path, body.len() as u64), "{path}");
        d.detect(
            &FileRef {
                path,
                content: body.as_bytes(),
                layer: None,
            },
            None,
        )
        .unwrap()
    }

    #[test]
    fn package_json_names_the_application() {
        let p = run(
            &NodeManifest,
            "srv/app/package.json",
            r#"{"name":"app","version":"1.0.0","dependencies":{"lodash":"4.17.4"},"devDependencies":{"jest":"*"}}"#,
        );
        assert_eq!(p[0].relationship, Relationship::Root);
        assert_eq!(p[0].declared_deps, vec!["lodash", "jest"]);
        assert!(run(&NodeManifest, "package.json", r#"{"type":"module"}"#).is_empty());
        assert!(!NodeManifest.wants("srv/app/node_modules/x/package.json", 10));
    }

    #[test]
    fn pyproject_pep621_and_poetry() {
        let p = run(
            &Pyproject,
            "app/pyproject.toml",
            "[project]\nname = \"My_App\"\nversion = \"0.1.0\"\ndependencies = [\"requests>=2\"]\n[project.optional-dependencies]\ns = [\"PySocks\"]\n[dependency-groups]\ndev = [\"pytest\", {include-group = \"x\"}]\n",
        );
        assert_eq!(p[0].purl, "pkg:pypi/my-app@0.1.0");
        assert_eq!(p[0].declared_deps, vec!["requests", "pysocks", "pytest"]);
        let p = run(
            &Pyproject,
            "app/pyproject.toml",
            "[tool.poetry]\nname = \"x\"\nversion = \"1.0\"\n[tool.poetry.dependencies]\npython = \"^3.11\"\nDjango = \"^4\"\n[tool.poetry.group.dev.dependencies]\npytest = \"*\"\n",
        );
        assert_eq!(p[0].declared_deps, vec!["django", "pytest"]);
        let dynamic = "[project]\nname = \"x\"\ndynamic = [\"version\"]\n";
        assert!(run(&Pyproject, "pyproject.toml", dynamic).is_empty());
    }

    #[test]
    fn composer_json_needs_a_version() {
        let body = r#"{"name":"Acme/App","version":"2.0.0","require":{"php":">=8.1","monolog/monolog":"^3"}}"#;
        let p = run(&ComposerManifest, "var/www/composer.json", body);
        assert_eq!(p[0].purl, "pkg:composer/acme/app@2.0.0");
        assert_eq!(p[0].declared_deps, vec!["monolog/monolog"]);
        assert!(run(&ComposerManifest, "composer.json", r#"{"name":"a/b"}"#).is_empty());
        assert!(!ComposerManifest.wants("var/www/vendor/a/b/composer.json", 10));
    }
}
