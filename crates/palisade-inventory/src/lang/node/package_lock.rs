//! `package-lock.json` (v1 `dependencies` tree; v2/v3 flat `packages` map) and
//! `npm-shrinkwrap.json`, which has the same format. Edges follow Node's module resolution:
//! the nearest `node_modules/<dep>` walking up from the dependent's own directory.

use super::licences;
use crate::lang::common::{err, file_name, finish, package, purl_for, MAX_TEXT_SIZE};
use crate::{DetectError, Detector, FileRef};
use palisade_core::{Ecosystem, OsInfo, Package, Relationship};
use serde_json::{Map, Value};
use std::collections::{HashMap, HashSet};

pub struct PackageLock;

impl Detector for PackageLock {
    fn name(&self) -> &'static str {
        "npm-lock"
    }

    fn wants(&self, path: &str, size: u64) -> bool {
        let f = file_name(path);
        // The hidden lockfile inside node_modules mirrors the installed package.json files.
        size <= MAX_TEXT_SIZE && (f == "package-lock.json" || f == "npm-shrinkwrap.json")
    }

    fn detect(
        &self,
        file: &FileRef<'_>,
        _os: Option<&OsInfo>,
    ) -> Result<Vec<Package>, DetectError> {
        let v: Value = serde_json::from_slice(file.content)
            .map_err(|e| err(file, format!("invalid JSON: {e}")))?;
        let Some(obj) = v.as_object() else {
            return Err(err(file, "top level is not an object"));
        };
        if let Some(pkgs) = obj.get("packages") {
            let pkgs = pkgs
                .as_object()
                .ok_or_else(|| err(file, "`packages` is not an object"))?;
            return Ok(finish(flat(file, pkgs)));
        }
        match obj.get("dependencies") {
            None => Ok(Vec::new()),
            Some(Value::Object(deps)) => {
                let mut out = Vec::new();
                tree(file, &[deps], &mut out);
                Ok(finish(out))
            }
            Some(_) => Err(err(file, "`dependencies` is not an object")),
        }
    }
}

/// The package name a `packages` key installs (`a/node_modules/@s/b` → `@s/b`).
fn key_name(key: &str) -> &str {
    match key.rfind("node_modules/") {
        Some(i) => &key[i + "node_modules/".len()..],
        None => key,
    }
}

/// Levels of `node_modules` walked up from a dependent. Real trees are a few levels deep; a
/// crafted key can have tens of thousands.
const MAX_NESTING: usize = 256;

/// The directory and package name of a `packages` key that installs into `node_modules`
/// (`a/node_modules/@s/b` → (`a`, `@s/b`); `node_modules/x` → (``, `x`)).
fn installed_at(key: &str) -> Option<(&str, &str)> {
    match key.rfind("/node_modules/") {
        Some(i) => Some((&key[..i], &key[i + "/node_modules/".len()..])),
        None => key.strip_prefix("node_modules/").map(|n| ("", n)),
    }
}

/// The directory a key's dependencies are searched from, one level up.
fn parent(key: &str) -> Option<&str> {
    if key.is_empty() {
        return None;
    }
    Some(match key.rfind("/node_modules/") {
        Some(i) => &key[..i],
        None => "",
    })
}

fn dep_names(v: &Value) -> Vec<&str> {
    ["dependencies", "optionalDependencies", "peerDependencies"]
        .iter()
        .filter_map(|k| v.get(*k).and_then(Value::as_object))
        .flat_map(|m| m.keys().map(String::as_str))
        .collect()
}

fn name_version<'a>(key: &'a str, v: &'a Value) -> Option<(&'a str, &'a str)> {
    let name = v
        .get("name")
        .and_then(Value::as_str)
        .unwrap_or_else(|| key_name(key));
    let version = v.get("version").and_then(Value::as_str)?;
    (!name.is_empty() && !version.is_empty()).then_some((name, version))
}

fn flat(file: &FileRef<'_>, pkgs: &Map<String, Value>) -> Vec<Package> {
    let root = pkgs.get("");
    let direct: HashSet<&str> = root
        .map(|r| {
            let mut names = dep_names(r);
            if let Some(dev) = r.get("devDependencies").and_then(Value::as_object) {
                names.extend(dev.keys().map(String::as_str));
            }
            names.into_iter().collect()
        })
        .unwrap_or_default();
    // `<dir>/node_modules/<name>` keys by (directory, name), with each directory as a small
    // id: walking up from a dependent then costs one look-up of the dependency name per
    // level, instead of building and hashing the whole path at every level for every
    // dependency (quadratic in a crafted lockfile with very deep keys).
    let mut dir_ids: HashMap<&str, usize> = HashMap::new();
    let mut installed: HashMap<(usize, &str), (&str, &str)> = HashMap::new();
    for (key, v) in pkgs {
        let Some((dir, name)) = installed_at(key) else {
            continue;
        };
        let next = dir_ids.len();
        let id = *dir_ids.entry(dir).or_insert(next);
        if let Some(nv) = name_version(key, v) {
            installed.insert((id, name), nv);
        }
    }
    // The directories a key's dependencies are searched in, nearest first.
    let search_path = |from: &str| -> Vec<usize> {
        let mut ids = Vec::new();
        let mut base = Some(from);
        let mut levels = 0;
        while let Some(b) = base {
            levels += 1;
            if levels > MAX_NESTING {
                break;
            }
            if let Some(id) = dir_ids.get(b) {
                ids.push(*id);
            }
            base = parent(b);
        }
        ids
    };
    let mut out = Vec::new();
    for (key, v) in pkgs {
        if key.is_empty() || v.get("link").and_then(Value::as_bool) == Some(true) {
            continue;
        }
        let Some((name, version)) = name_version(key, v) else {
            continue;
        };
        let mut p = package(Ecosystem::Npm, name, version, file);
        p.licenses = licences(v);
        p.relationship = if v.get("dev").and_then(Value::as_bool) == Some(true) {
            Relationship::Dev
        } else if key
            .strip_prefix("node_modules/")
            .is_some_and(|n| direct.contains(n))
        {
            Relationship::Direct
        } else if key.contains("node_modules/") {
            Relationship::Transitive
        } else {
            Relationship::Unknown
        };
        let deps = dep_names(v);
        if !deps.is_empty() {
            let path = search_path(key);
            p.depends_on = deps
                .into_iter()
                .filter_map(|d| path.iter().find_map(|id| installed.get(&(*id, d))))
                .map(|(n, ver)| purl_for(Ecosystem::Npm, n, ver))
                .collect();
        }
        out.push(p);
    }
    out
}

/// v1 version strings: a semver, an `npm:real@ver` alias, or a URL/path (not a registry package).
fn v1_name_version<'a>(name: &'a str, v: &'a Value) -> Option<(&'a str, &'a str)> {
    let ver = v.get("version").and_then(Value::as_str)?;
    if let Some(alias) = ver.strip_prefix("npm:") {
        return super::split_spec(alias);
    }
    (!ver.contains(':') && !ver.contains('/') && !ver.is_empty()).then_some((name, ver))
}

/// Walks the v1 tree; `scopes` is the chain of `dependencies` maps from the root down.
fn tree(file: &FileRef<'_>, scopes: &[&Map<String, Value>], out: &mut Vec<Package>) {
    // Real trees are shallow; a deeper one is hostile input.
    if scopes.len() > 64 {
        return;
    }
    let Some(here) = scopes.last() else { return };
    for (name, v) in here.iter() {
        let Some((real, version)) = v1_name_version(name, v) else {
            continue;
        };
        let mut p = package(Ecosystem::Npm, real, version, file);
        if v.get("dev").and_then(Value::as_bool) == Some(true) {
            p.relationship = Relationship::Dev;
        }
        let nested = v.get("dependencies").and_then(Value::as_object);
        let mut chain: Vec<&Map<String, Value>> = scopes.to_vec();
        if let Some(n) = nested {
            chain.push(n);
        }
        if let Some(req) = v.get("requires").and_then(Value::as_object) {
            for dep in req.keys() {
                let found = chain
                    .iter()
                    .rev()
                    .find_map(|s| s.get(dep).and_then(|d| v1_name_version(dep, d)));
                if let Some((n, ver)) = found {
                    p.depends_on.push(purl_for(Ecosystem::Npm, n, ver));
                }
            }
        }
        out.push(p);
        if nested.is_some() {
            tree(file, &chain, out);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(body: &str) -> Result<Vec<Package>, DetectError> {
        PackageLock.detect(
            &FileRef {
                path: "app/package-lock.json",
                content: body.as_bytes(),
                layer: None,
            },
            None,
        )
    }

    #[test]
    fn v3_nested_resolution_and_relationships() {
        let body = r#"{"lockfileVersion":3,"packages":{
            "":{"name":"app","dependencies":{"a":"1"},"devDependencies":{"d":"1"}},
            "node_modules/a":{"version":"1.0.0","dependencies":{"b":"^2"},"license":"MIT"},
            "node_modules/a/node_modules/b":{"version":"2.0.0","dependencies":{"c":"*"}},
            "node_modules/b":{"version":"1.0.0"},
            "node_modules/c":{"version":"3.0.0"},
            "node_modules/d":{"version":"4.0.0","dev":true},
            "node_modules/ws":{"resolved":"packages/ws","link":true}}}"#;
        let p = run(body).unwrap();
        let a = p.iter().find(|p| p.name == "a").unwrap();
        assert_eq!(a.relationship, Relationship::Direct);
        assert_eq!(a.depends_on, vec!["pkg:npm/b@2.0.0"]);
        let b2 = p.iter().find(|p| p.version == "2.0.0").unwrap();
        assert_eq!(b2.depends_on, vec!["pkg:npm/c@3.0.0"]);
        assert_eq!(b2.relationship, Relationship::Transitive);
        assert_eq!(
            p.iter().find(|p| p.name == "d").unwrap().relationship,
            Relationship::Dev
        );
        assert_eq!(p.len(), 5);
    }

    #[test]
    fn v1_tree() {
        let body = r#"{"lockfileVersion":1,"dependencies":{
            "lodash":{"version":"4.17.4"},
            "x":{"version":"1.0.0","requires":{"lodash":"^3"},"dependencies":{"lodash":{"version":"3.10.1"}}},
            "git":{"version":"github:a/b#abc"},
            "al":{"version":"npm:@s/real@2.0.0","dev":true}}}"#;
        let p = run(body).unwrap();
        let mut got: Vec<&str> = p.iter().map(|p| p.purl.as_str()).collect();
        got.sort();
        assert_eq!(
            got,
            vec![
                "pkg:npm/%40s/real@2.0.0",
                "pkg:npm/lodash@3.10.1",
                "pkg:npm/lodash@4.17.4",
                "pkg:npm/x@1.0.0"
            ]
        );
        let find = |purl: &str| p.iter().find(|p| p.purl == purl).unwrap();
        assert_eq!(
            find("pkg:npm/x@1.0.0").depends_on,
            vec!["pkg:npm/lodash@3.10.1"]
        );
        assert_eq!(
            find("pkg:npm/%40s/real@2.0.0").relationship,
            Relationship::Dev
        );
    }

    #[test]
    fn malformed() {
        assert!(run("[1]").is_err());
        assert!(run(r#"{"packages":[]}"#)
            .unwrap_err()
            .message
            .contains("packages"));
        assert!(run("{\"lockfileVersion\":").is_err());
    }
}
