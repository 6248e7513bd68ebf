//! Installed packages: `package.json` inside `node_modules`. Files without a name and version
//! (nested `lib/package.json` marking module type) are not packages and yield nothing.
//! Dependencies are bare names here; [`crate::link_installed`] finds the installed copy the
//! way Node's module resolution would.

use super::licences;
use crate::lang::common::{err, file_name, package};
use crate::{DetectError, Detector, FileRef};
use palisade_core::{Ecosystem, OsInfo, Package};
use serde_json::Value;

pub struct Installed;

const MAX_SIZE: u64 = 4 * 1024 * 1024;

impl Detector for Installed {
    fn name(&self) -> &'static str {
        "node-installed"
    }

    fn wants(&self, path: &str, size: u64) -> bool {
        size <= MAX_SIZE && file_name(path) == "package.json" && path.contains("node_modules/")
    }

    fn detect(
        &self,
        file: &FileRef<'_>,
        _os: Option<&OsInfo>,
    ) -> Result<Vec<Package>, DetectError> {
        let v: Value = serde_json::from_slice(file.content)
            .map_err(|e| err(file, format!("invalid JSON: {e}")))?;
        let (Some(name), Some(version)) = (
            v.get("name").and_then(Value::as_str),
            v.get("version").and_then(Value::as_str),
        ) else {
            return Ok(Vec::new());
        };
        if name.is_empty() || version.is_empty() {
            return Ok(Vec::new());
        }
        let mut p = package(Ecosystem::Npm, name, version, file);
        p.licenses = licences(&v);
        p.declared_deps = ["dependencies", "optionalDependencies", "peerDependencies"]
            .iter()
            .filter_map(|k| v.get(*k).and_then(Value::as_object))
            .flat_map(|m| m.keys().cloned())
            .collect();
        Ok(vec![p])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(body: &str) -> Result<Vec<Package>, DetectError> {
        Installed.detect(
            &FileRef {
                path: "srv/app/node_modules/lodash/package.json",
                content: body.as_bytes(),
                layer: None,
            },
            None,
        )
    }

    #[test]
    fn installed_package() {
        let p = run(r#"{"name":"lodash","version":"4.17.4","license":"MIT"}"#).unwrap();
        assert_eq!(p[0].purl, "pkg:npm/lodash@4.17.4");
        assert_eq!(p[0].licenses, vec!["MIT"]);
        assert!(run(r#"{"type":"module"}"#).unwrap().is_empty());
        assert!(run("{").unwrap_err().message.starts_with("invalid JSON"));
    }

    #[test]
    fn dependency_names_are_left_for_linking() {
        let p = run(r#"{"name":"debug","version":"4.3.4","dependencies":{"ms":"2.1.2"},"optionalDependencies":{"x":"*"},"devDependencies":{"mocha":"*"}}"#).unwrap();
        assert_eq!(p[0].declared_deps, vec!["ms", "x"]);
        assert!(p[0].depends_on.is_empty());
    }

    #[test]
    fn wants_node_modules_only() {
        assert!(Installed.wants("srv/app/node_modules/@scope/x/package.json", 10));
        assert!(!Installed.wants("srv/app/package.json", 10));
        assert!(!Installed.wants("srv/app/node_modules/.package-lock.json", 10));
    }
}
