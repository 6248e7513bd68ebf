//! `pnpm-lock.yaml` versions 5.x (`/name/1.0.0_peer`), 6.x (`/name@1.0.0(peer)`) and 9.x
//! (`name@1.0.0` in `packages`, edges in `snapshots`). Direct and dev packages come from the
//! importers; a package reachable only from dev dependencies is dev.

use crate::lang::common::{err, file_name, finish, package, purl_for, MAX_TEXT_SIZE};
use crate::lang::dependency_dirs::inside_dependency;
use crate::{DetectError, Detector, FileRef};
use palisade_core::{Ecosystem, OsInfo, Package, Relationship};
use serde_yaml::{Mapping, Value};
use std::collections::{BTreeMap, HashSet, VecDeque};

pub struct Pnpm;

type Id = (String, String);

impl Detector for Pnpm {
    fn name(&self) -> &'static str {
        "pnpm-lock"
    }

    fn wants(&self, path: &str, size: u64) -> bool {
        size <= MAX_TEXT_SIZE && file_name(path) == "pnpm-lock.yaml" && !inside_dependency(path)
    }

    fn detect(
        &self,
        file: &FileRef<'_>,
        _os: Option<&OsInfo>,
    ) -> Result<Vec<Package>, DetectError> {
        let doc: Value = serde_yaml::from_slice(file.content)
            .map_err(|e| err(file, format!("invalid YAML: {e}")))?;
        let Some(top) = doc.as_mapping() else {
            return Err(err(file, "top level is not a mapping"));
        };
        let version: f64 = match top.get("lockfileVersion") {
            Some(Value::Number(n)) => n.as_f64().unwrap_or(0.0),
            Some(Value::String(s)) => s
                .parse()
                .map_err(|_| err(file, format!("bad lockfileVersion `{s}`")))?,
            _ => return Err(err(file, "no lockfileVersion")),
        };
        let v5 = version < 6.0;
        // Nodes and their edges; `snapshots` (v9) carries the edges, `packages` the rest.
        let mut nodes: BTreeMap<Id, (Vec<Id>, Vec<String>)> = BTreeMap::new();
        for section in ["packages", "snapshots"] {
            let Some(map) = top.get(section).and_then(Value::as_mapping) else {
                continue;
            };
            for (k, v) in map {
                let Some(key) = k.as_str() else { continue };
                let id = match (
                    v.get("name").and_then(Value::as_str),
                    v.get("version").and_then(Value::as_str),
                ) {
                    (Some(n), Some(ver)) => Some((n.to_string(), ver.to_string())),
                    _ => parse_key(key, v5),
                };
                let Some(id) = id else { continue };
                let node = nodes.entry(id).or_default();
                node.0.extend(deps(v, v5));
                if section == "packages" {
                    node.1 = licences(v);
                }
            }
        }
        let (prod, dev) = importer_roots(top, v5);
        let reach = |roots: &HashSet<Id>| {
            let mut seen: HashSet<Id> = HashSet::new();
            let mut q: VecDeque<Id> = roots.iter().cloned().collect();
            while let Some(id) = q.pop_front() {
                if seen.insert(id.clone()) {
                    if let Some((edges, _)) = nodes.get(&id) {
                        q.extend(edges.iter().cloned());
                    }
                }
            }
            seen
        };
        let (prod_reach, dev_reach) = (reach(&prod), reach(&dev));
        let mut out = Vec::new();
        for (id, (edges, lic)) in &nodes {
            let mut p = package(Ecosystem::Npm, &id.0, &id.1, file);
            p.licenses = lic.clone();
            p.relationship = if prod.contains(id) {
                Relationship::Direct
            } else if prod_reach.contains(id) {
                Relationship::Transitive
            } else if dev_reach.contains(id) {
                Relationship::Dev
            } else {
                Relationship::Unknown
            };
            p.depends_on = edges
                .iter()
                .filter(|e| nodes.contains_key(*e))
                .map(|(n, v)| purl_for(Ecosystem::Npm, n, v))
                .collect();
            out.push(p);
        }
        Ok(finish(out))
    }
}

fn licences(v: &Value) -> Vec<String> {
    v.get("license")
        .and_then(Value::as_str)
        .map(|s| vec![s.to_string()])
        .unwrap_or_default()
}

/// Drops peer-dependency suffixes: `(react@18.0.0)` (v6+) or `_react@18.0.0` (v5).
fn strip_peers(ver: &str, v5: bool) -> &str {
    let cut = if v5 { ver.find('_') } else { ver.find('(') };
    cut.map_or(ver, |i| &ver[..i])
}

fn registry_version(v: &str) -> bool {
    !v.is_empty() && !v.contains(':') && !v.contains('/')
}

fn parse_key(key: &str, v5: bool) -> Option<Id> {
    let k = key.strip_prefix('/').unwrap_or(key);
    let (name, ver) = if v5 {
        let i = k.rfind('/')?;
        (&k[..i], strip_peers(&k[i + 1..], true))
    } else {
        let k = strip_peers(k, false);
        super::split_spec(k)?
    };
    (registry_version(ver) && !name.is_empty()).then(|| (name.to_string(), ver.to_string()))
}

/// A dependency reference: a version (with peers), or an alias naming another package.
fn dep_id(name: &str, reference: &str, v5: bool) -> Option<Id> {
    let r = strip_peers(reference, v5);
    if registry_version(r) {
        return Some((name.to_string(), r.to_string()));
    }
    // Aliases: `/real/1.0.0` (v5), `/real@1.0.0` (v6), `real@1.0.0` (v9).
    parse_key(r, v5)
}

fn deps(v: &Value, v5: bool) -> Vec<Id> {
    ["dependencies", "optionalDependencies"]
        .iter()
        .filter_map(|k| v.get(*k).and_then(Value::as_mapping))
        .flat_map(|m| m.iter())
        .filter_map(|(n, r)| dep_id(n.as_str()?, r.as_str()?, v5))
        .collect()
}

fn importer_roots(top: &Mapping, v5: bool) -> (HashSet<Id>, HashSet<Id>) {
    let mut importers: Vec<&Value> = Vec::new();
    if let Some(m) = top.get("importers").and_then(Value::as_mapping) {
        importers.extend(m.values());
    }
    let root = Value::Mapping(top.clone());
    importers.push(&root);
    let (mut prod, mut dev) = (HashSet::new(), HashSet::new());
    for imp in importers {
        for section in ["dependencies", "optionalDependencies", "devDependencies"] {
            let Some(m) = imp.get(section).and_then(Value::as_mapping) else {
                continue;
            };
            let set = if section == "devDependencies" {
                &mut dev
            } else {
                &mut prod
            };
            for (n, spec) in m {
                let r = match spec {
                    Value::String(s) => Some(s.as_str()),
                    other => other.get("version").and_then(Value::as_str),
                };
                if let Some(id) = n.as_str().zip(r).and_then(|(n, r)| dep_id(n, r, v5)) {
                    set.insert(id);
                }
            }
        }
    }
    (prod, dev)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(body: &str) -> Result<Vec<Package>, DetectError> {
        Pnpm.detect(
            &FileRef {
                path: "pnpm-lock.yaml",
                content: body.as_bytes(),
                layer: None,
            },
            None,
        )
    }

    fn rel(p: &[Package], name: &str) -> Relationship {
        p.iter()
            .find(|p| p.name == name)
            .map(|p| p.relationship)
            .unwrap_or_default()
    }

    #[test]
    fn v9() {
        let body = "lockfileVersion: '9.0'\nimporters:\n  .:\n    dependencies:\n      debug:\n        specifier: 4.3.4\n        version: 4.3.4\n    devDependencies:\n      is-number:\n        specifier: 7.0.0\n        version: 7.0.0\npackages:\n  debug@4.3.4:\n    resolution: {integrity: x}\n  ms@2.1.2:\n    resolution: {integrity: x}\n  is-number@7.0.0:\n    resolution: {integrity: x}\nsnapshots:\n  debug@4.3.4(supports-color@8.0.0):\n    dependencies:\n      ms: 2.1.2\n  ms@2.1.2: {}\n  is-number@7.0.0: {}\n";
        let p = run(body).unwrap();
        assert_eq!(p.len(), 3);
        assert_eq!(p[0].purl, "pkg:npm/debug@4.3.4");
        assert_eq!(p[0].depends_on, vec!["pkg:npm/ms@2.1.2"]);
        assert_eq!(rel(&p, "debug"), Relationship::Direct);
        assert_eq!(rel(&p, "ms"), Relationship::Transitive);
        assert_eq!(rel(&p, "is-number"), Relationship::Dev);
    }

    #[test]
    fn v5_and_v6_keys() {
        assert_eq!(
            parse_key("/@babel/core/7.0.0_react@18.0.0", true),
            Some(("@babel/core".into(), "7.0.0".into()))
        );
        assert_eq!(
            parse_key("/@babel/core@7.0.0(react@18.0.0)", false),
            Some(("@babel/core".into(), "7.0.0".into()))
        );
        let v5 = "lockfileVersion: 5.4\ndependencies:\n  a: 1.0.0_b@2.0.0\npackages:\n  /a/1.0.0_b@2.0.0:\n    dependencies:\n      b: 2.0.0\n    dev: false\n  /b/2.0.0:\n    dev: false\n";
        let p = run(v5).unwrap();
        assert_eq!(
            p.iter().map(|p| p.purl.as_str()).collect::<Vec<_>>(),
            vec!["pkg:npm/a@1.0.0", "pkg:npm/b@2.0.0"]
        );
        assert_eq!(p[0].relationship, Relationship::Direct);
        assert_eq!(p[0].depends_on, vec!["pkg:npm/b@2.0.0"]);
    }

    #[test]
    fn malformed() {
        assert!(run("packages: {}\n")
            .unwrap_err()
            .message
            .contains("lockfileVersion"));
        assert!(run(": : :\n  - [").is_err());
    }
}
