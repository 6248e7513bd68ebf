//! `yarn.lock`: classic (v1, its own indented format) and Berry (v2+, YAML with
//! `__metadata`). The lockfile alone does not say which packages are direct or dev (that is in
//! package.json), so relationships stay unknown; edges resolve through the lockfile's specs.

use super::split_spec;
use crate::lang::common::{err, file_name, finish, package, purl_for, text, MAX_TEXT_SIZE};
use crate::lang::dependency_dirs::inside_dependency;
use crate::{DetectError, Detector, FileRef};
use palisade_core::{Ecosystem, OsInfo, Package};
use serde_yaml::Value;
use std::collections::{HashMap, HashSet};

pub struct Yarn;

/// One resolved package and the specs (`name@range`) of its dependencies.
struct Block {
    specs: Vec<String>,
    name: String,
    version: String,
    deps: Vec<String>,
}

impl Detector for Yarn {
    fn name(&self) -> &'static str {
        "yarn-lock"
    }

    fn wants(&self, path: &str, size: u64) -> bool {
        size <= MAX_TEXT_SIZE && file_name(path) == "yarn.lock" && !inside_dependency(path)
    }

    fn detect(
        &self,
        file: &FileRef<'_>,
        _os: Option<&OsInfo>,
    ) -> Result<Vec<Package>, DetectError> {
        let body = text(file)?;
        let blocks = if body.contains("\n__metadata:") || body.starts_with("__metadata:") {
            berry(file)?
        } else {
            classic(file, body)?
        };
        let mut by_spec: HashMap<&str, (&str, &str)> = HashMap::new();
        for b in &blocks {
            for s in &b.specs {
                by_spec.insert(s.as_str(), (b.name.as_str(), b.version.as_str()));
            }
        }
        let mut seen = HashSet::new();
        let mut out = Vec::new();
        for b in &blocks {
            if !seen.insert((b.name.as_str(), b.version.as_str())) {
                continue;
            }
            let mut p = package(Ecosystem::Npm, &b.name, &b.version, file);
            p.depends_on = b
                .deps
                .iter()
                .filter_map(|d| by_spec.get(d.as_str()))
                .map(|(n, v)| purl_for(Ecosystem::Npm, n, v))
                .collect();
            out.push(p);
        }
        Ok(finish(out))
    }
}

fn unquote(s: &str) -> &str {
    let s = s.trim();
    s.strip_prefix('"')
        .and_then(|x| x.strip_suffix('"'))
        .unwrap_or(s)
}

fn classic(file: &FileRef<'_>, body: &str) -> Result<Vec<Block>, DetectError> {
    let mut blocks: Vec<Block> = Vec::new();
    let mut in_deps = false;
    for (no, line) in body.lines().enumerate() {
        if line.trim().is_empty() || line.trim_start().starts_with('#') {
            continue;
        }
        let indent = line.len() - line.trim_start().len();
        let t = line.trim();
        match indent {
            0 => {
                let Some(head) = t.strip_suffix(':') else {
                    return Err(err(file, format!("line {}: expected `spec:`", no + 1)));
                };
                let specs: Vec<String> = head.split(", ").map(|s| unquote(s).to_string()).collect();
                let name = specs
                    .first()
                    .and_then(|s| split_spec(s))
                    .map(|(n, _)| n.to_string())
                    .unwrap_or_default();
                blocks.push(Block {
                    specs,
                    name,
                    version: String::new(),
                    deps: Vec::new(),
                });
                in_deps = false;
            }
            2 => {
                let Some(b) = blocks.last_mut() else {
                    return Err(err(
                        file,
                        format!("line {}: indented line before any entry", no + 1),
                    ));
                };
                in_deps = t == "dependencies:" || t == "optionalDependencies:";
                if let Some(v) = t.strip_prefix("version ") {
                    b.version = unquote(v).to_string();
                }
            }
            _ if in_deps => {
                if let (Some(b), Some((n, r))) = (blocks.last_mut(), t.split_once(' ')) {
                    b.deps.push(format!("{}@{}", unquote(n), unquote(r)));
                }
            }
            _ => {}
        }
    }
    let bad: Vec<&Block> = blocks
        .iter()
        .filter(|b| b.name.is_empty() || b.version.is_empty())
        .collect();
    if let Some(b) = bad.first() {
        return Err(err(
            file,
            format!("entry `{}` has no name or version", b.specs.join(", ")),
        ));
    }
    Ok(blocks)
}

fn berry(file: &FileRef<'_>) -> Result<Vec<Block>, DetectError> {
    let doc: Value = serde_yaml::from_slice(file.content)
        .map_err(|e| err(file, format!("invalid YAML: {e}")))?;
    let map = doc
        .as_mapping()
        .ok_or_else(|| err(file, "top level is not a mapping"))?;
    let mut blocks = Vec::new();
    for (k, v) in map {
        let Some(key) = k.as_str() else { continue };
        if key == "__metadata" {
            continue;
        }
        let Some(resolution) = v.get("resolution").and_then(Value::as_str) else {
            return Err(err(file, format!("entry `{key}` has no resolution")));
        };
        let Some((name, how)) = split_spec(resolution) else {
            return Err(err(
                file,
                format!("entry `{key}` has an unreadable resolution `{resolution}`"),
            ));
        };
        // Workspaces, links and portals are the project's own code, not registry packages.
        if ["workspace:", "link:", "portal:", "file:"]
            .iter()
            .any(|p| how.starts_with(p))
        {
            continue;
        }
        let version = match v.get("version") {
            Some(Value::String(s)) => s.clone(),
            Some(Value::Number(n)) => n.to_string(),
            _ => return Err(err(file, format!("entry `{key}` has no version"))),
        };
        let deps = v
            .get("dependencies")
            .and_then(Value::as_mapping)
            .map(|m| {
                m.iter()
                    .filter_map(|(dn, dr)| Some(format!("{}@{}", dn.as_str()?, dr.as_str()?)))
                    .collect()
            })
            .unwrap_or_default();
        blocks.push(Block {
            specs: key.split(", ").map(|s| s.trim().to_string()).collect(),
            name: name.to_string(),
            version,
            deps,
        });
    }
    Ok(blocks)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(body: &str) -> Result<Vec<Package>, DetectError> {
        Yarn.detect(
            &FileRef {
                path: "yarn.lock",
                content: body.as_bytes(),
                layer: None,
            },
            None,
        )
    }

    #[test]
    fn classic_lock() {
        let body = "# yarn lockfile v1\n\n\n\"@s/a@^1.0.0\", \"@s/a@^1.1.0\":\n  version \"1.2.0\"\n  dependencies:\n    ms \"^2.0.0\"\n\nms@^2.0.0:\n  version \"2.1.3\"\n";
        let p = run(body).unwrap();
        assert_eq!(p[0].purl, "pkg:npm/%40s/a@1.2.0");
        assert_eq!(p[0].depends_on, vec!["pkg:npm/ms@2.1.3"]);
        assert_eq!(p.len(), 2);
    }

    #[test]
    fn berry_lock_skips_workspace() {
        let body = "__metadata:\n  version: 8\n  cacheKey: 10c0\n\n\"app@workspace:.\":\n  version: 0.0.0-use.local\n  resolution: \"app@workspace:.\"\n  dependencies:\n    ms: \"npm:2.1.2\"\n  languageName: unknown\n  linkType: soft\n\n\"ms@npm:2.1.2\":\n  version: 2.1.2\n  resolution: \"ms@npm:2.1.2\"\n  languageName: node\n  linkType: hard\n";
        let p = run(body).unwrap();
        assert_eq!(p.len(), 1);
        assert_eq!(p[0].purl, "pkg:npm/ms@2.1.2");
    }

    #[test]
    fn malformed() {
        assert!(run("foo@1:\n  resolved \"x\"\n")
            .unwrap_err()
            .message
            .contains("no name or version"));
        assert!(run("  version \"1\"\n").is_err());
        assert!(run("__metadata:\n  version: 8\nx@npm:1:\n  version: 1\n").is_err());
    }
}
