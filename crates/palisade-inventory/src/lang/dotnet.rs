//! .NET: NuGet `packages.lock.json` and the runtime's `*.deps.json`.

use crate::lang::common::{err, file_name, finish, json, package, purl_for, MAX_TEXT_SIZE};
use crate::{DetectError, Detector, FileRef};
use palisade_core::{Ecosystem, OsInfo, Package, Relationship};
use serde_json::Value;
use std::collections::{BTreeMap, HashMap};

pub fn detectors() -> Vec<Box<dyn Detector>> {
    vec![Box::new(PackagesLock), Box::new(DepsJson)]
}

/// `packages.lock.json`: per target framework, packages with `type` Direct, Transitive or
/// Project (a sibling project, not a package), `resolved` version and dependency names.
pub struct PackagesLock;

impl Detector for PackagesLock {
    fn name(&self) -> &'static str {
        "nuget-lock"
    }

    fn wants(&self, path: &str, size: u64) -> bool {
        size <= MAX_TEXT_SIZE && file_name(path) == "packages.lock.json"
    }

    fn detect(
        &self,
        file: &FileRef<'_>,
        _os: Option<&OsInfo>,
    ) -> Result<Vec<Package>, DetectError> {
        let v: Value = json(file)?;
        let frameworks = v
            .get("dependencies")
            .and_then(Value::as_object)
            .ok_or_else(|| err(file, "no `dependencies` object"))?;
        // Frameworks repeat packages; one row per name and version, direct wins.
        let mut pkgs: BTreeMap<(String, String), Package> = BTreeMap::new();
        for deps in frameworks.values().filter_map(Value::as_object) {
            // NuGet names are case-insensitive; the first spelling in the file wins. An
            // index, not a scan per dependency (quadratic in a crafted lockfile).
            let mut resolved: HashMap<String, Option<&str>> = HashMap::new();
            for (k, d) in deps {
                resolved
                    .entry(k.to_ascii_lowercase())
                    .or_insert_with(|| d.get("resolved").and_then(Value::as_str));
            }
            let version_of = |n: &str| resolved.get(&n.to_ascii_lowercase()).copied().flatten();
            for (name, d) in deps {
                let ty = d.get("type").and_then(Value::as_str).unwrap_or("");
                let Some(version) = d.get("resolved").and_then(Value::as_str) else {
                    continue;
                };
                if ty.eq_ignore_ascii_case("project") {
                    continue;
                }
                let p = pkgs
                    .entry((name.clone(), version.to_string()))
                    .or_insert_with(|| package(Ecosystem::Nuget, name, version, file));
                if ty.eq_ignore_ascii_case("direct") {
                    p.relationship = Relationship::Direct;
                } else if p.relationship == Relationship::Unknown {
                    p.relationship = Relationship::Transitive;
                }
                if let Some(m) = d.get("dependencies").and_then(Value::as_object) {
                    for dep in m.keys() {
                        if let Some(ver) = version_of(dep) {
                            p.depends_on.push(purl_for(Ecosystem::Nuget, dep, ver));
                        }
                    }
                }
            }
        }
        Ok(finish(pkgs.into_values().collect()))
    }
}

/// `*.deps.json`: `libraries` keyed `Name/Version` with `type` package or project; edges come
/// from the first target's entries.
pub struct DepsJson;

impl Detector for DepsJson {
    fn name(&self) -> &'static str {
        "dotnet-deps"
    }

    fn wants(&self, path: &str, size: u64) -> bool {
        size <= MAX_TEXT_SIZE && path.ends_with(".deps.json")
    }

    fn detect(
        &self,
        file: &FileRef<'_>,
        _os: Option<&OsInfo>,
    ) -> Result<Vec<Package>, DetectError> {
        let v: Value = json(file)?;
        let libs = v
            .get("libraries")
            .and_then(Value::as_object)
            .ok_or_else(|| err(file, "no `libraries` object"))?;
        let target = v
            .get("targets")
            .and_then(Value::as_object)
            .and_then(|t| t.values().next())
            .and_then(Value::as_object);
        let mut out = Vec::new();
        for (key, lib) in libs {
            if lib.get("type").and_then(Value::as_str) != Some("package") {
                continue;
            }
            let Some((name, version)) = key.split_once('/') else {
                return Err(err(
                    file,
                    format!("library key `{key}` is not Name/Version"),
                ));
            };
            let mut p = package(Ecosystem::Nuget, name, version, file);
            if let Some(deps) = target
                .and_then(|t| t.get(key))
                .and_then(|e| e.get("dependencies"))
                .and_then(Value::as_object)
            {
                p.depends_on = deps
                    .iter()
                    .filter_map(|(n, ver)| Some(purl_for(Ecosystem::Nuget, n, ver.as_str()?)))
                    .collect();
            }
            out.push(p);
        }
        Ok(finish(out))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn packages_lock() {
        let body = r#"{"version":1,"dependencies":{"net8.0":{
            "Newtonsoft.Json":{"type":"Direct","requested":"[13.0.1, )","resolved":"13.0.1","dependencies":{"System.Memory":"4.5.0"}},
            "System.Memory":{"type":"Transitive","resolved":"4.5.5"},
            "Sibling":{"type":"Project"}},
            "net6.0":{"Newtonsoft.Json":{"type":"Direct","resolved":"13.0.1"}}}}"#;
        let p = PackagesLock
            .detect(
                &FileRef {
                    path: "packages.lock.json",
                    content: body.as_bytes(),
                    layer: None,
                },
                None,
            )
            .unwrap();
        assert_eq!(p.len(), 2);
        assert_eq!(p[0].purl, "pkg:nuget/Newtonsoft.Json@13.0.1");
        assert_eq!(p[0].depends_on, vec!["pkg:nuget/System.Memory@4.5.5"]);
        assert_eq!(p[1].relationship, Relationship::Transitive);
    }

    #[test]
    fn deps_json() {
        let body = r#"{"targets":{".NETCoreApp,Version=v8.0":{"App/1.0.0":{"dependencies":{"Serilog":"3.1.1"}},"Serilog/3.1.1":{}}},
            "libraries":{"App/1.0.0":{"type":"project"},"Serilog/3.1.1":{"type":"package"}}}"#;
        let p = DepsJson
            .detect(
                &FileRef {
                    path: "app/App.deps.json",
                    content: body.as_bytes(),
                    layer: None,
                },
                None,
            )
            .unwrap();
        assert_eq!(p.len(), 1);
        assert_eq!(p[0].purl, "pkg:nuget/Serilog@3.1.1");
        assert!(DepsJson
            .detect(
                &FileRef {
                    path: "x.deps.json",
                    content: b"{}",
                    layer: None
                },
                None
            )
            .is_err());
    }
}
