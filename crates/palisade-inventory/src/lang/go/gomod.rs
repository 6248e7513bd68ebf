//! `go.mod`: `require` lines (`// indirect` marks transitive ones; since Go 1.17 the file lists
//! the full module graph) with `replace` directives applied. The main module itself is the
//! application: it is reported as the root (without a version: a module's version comes
//! from its VCS tag, which go.mod does not hold), with edges to the direct requirements.
//! Modules replaced by a local directory are the project's own code and not reported.

use crate::lang::common::{err, file_name, finish, package, text, MAX_TEXT_SIZE};
use crate::lang::dependency_dirs::inside_dependency;
use crate::{DetectError, Detector, FileRef};
use palisade_core::{Ecosystem, OsInfo, Package, Relationship};
use std::collections::HashMap;

pub struct GoMod;

impl Detector for GoMod {
    fn name(&self) -> &'static str {
        "go-mod"
    }

    fn wants(&self, path: &str, size: u64) -> bool {
        size <= MAX_TEXT_SIZE && file_name(path) == "go.mod" && !inside_dependency(path)
    }

    fn detect(
        &self,
        file: &FileRef<'_>,
        _os: Option<&OsInfo>,
    ) -> Result<Vec<Package>, DetectError> {
        let body = text(file)?;
        let mut requires: Vec<(String, String, bool)> = Vec::new();
        // (path, version or "") → (new path, new version or "" for a local directory)
        let mut replaces: HashMap<(String, String), (String, String)> = HashMap::new();
        let mut block: Option<String> = None;
        let mut module: Option<String> = None;
        for (no, raw) in body.lines().enumerate() {
            let indirect = raw.contains("// indirect");
            let line = raw.split("//").next().unwrap_or("").trim();
            if line.is_empty() {
                continue;
            }
            if line == ")" {
                block = None;
                continue;
            }
            let (verb, rest) = match &block {
                Some(b) => (b.as_str(), line),
                None => {
                    let (v, r) = line.split_once(char::is_whitespace).unwrap_or((line, ""));
                    if r.trim() == "(" {
                        block = Some(v.to_string());
                        continue;
                    }
                    (v, r.trim())
                }
            };
            let at = |m: &str| err(file, format!("line {}: {m}", no + 1));
            match verb {
                "require" => {
                    let f: Vec<&str> = rest.split_whitespace().map(unquote).collect();
                    let [path, version] = f[..] else {
                        return Err(at("require needs a module path and a version"));
                    };
                    requires.push((path.to_string(), version.to_string(), indirect));
                }
                "replace" => {
                    let Some((old, new)) = rest.split_once("=>") else {
                        return Err(at("replace without =>"));
                    };
                    let o: Vec<&str> = old.split_whitespace().map(unquote).collect();
                    let n: Vec<&str> = new.split_whitespace().map(unquote).collect();
                    let (Some(op), Some(np)) = (o.first(), n.first()) else {
                        return Err(at("replace needs module paths"));
                    };
                    let key = (op.to_string(), o.get(1).copied().unwrap_or("").to_string());
                    replaces.insert(
                        key,
                        (np.to_string(), n.get(1).copied().unwrap_or("").to_string()),
                    );
                }
                "module" => {
                    module = rest
                        .split_whitespace()
                        .next()
                        .map(|m| unquote(m).to_string());
                }
                _ => {}
            }
        }
        let mut out = Vec::new();
        for (path, version, indirect) in requires {
            let rep = replaces
                .get(&(path.clone(), version.clone()))
                .or_else(|| replaces.get(&(path.clone(), String::new())));
            // A local-directory replacement (no version) is the project's own code, not the
            // upstream module at the required version: not reported, as Trivy does.
            let (path, version) = match rep {
                Some((np, nv)) if !nv.is_empty() => (np.clone(), nv.clone()),
                Some(_) => continue,
                None => (path, version),
            };
            let mut p = package(Ecosystem::Golang, &path, &version, file);
            p.relationship = if indirect {
                Relationship::Transitive
            } else {
                Relationship::Direct
            };
            out.push(p);
        }
        if let Some(m) = module.filter(|m| !m.is_empty()) {
            let mut root = package(Ecosystem::Golang, &m, "", file);
            root.relationship = Relationship::Root;
            root.depends_on = out
                .iter()
                .filter(|p| p.relationship == Relationship::Direct)
                .map(|p| p.purl.clone())
                .collect();
            out.insert(0, root);
        }
        Ok(finish(out))
    }
}

fn unquote(s: &str) -> &str {
    s.trim_matches(|c| c == '"' || c == '`')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn requires_and_replaces() {
        let body = "module example.com/app\n\ngo 1.21\n\nrequire (\n\tgithub.com/a/b v1.2.3\n\tgolang.org/x/text v0.3.7 // indirect\n\texample.com/local v0.0.0\n)\n\nrequire github.com/c/d v0.1.0\n\nreplace github.com/a/b => github.com/fork/b v1.2.4\nreplace example.com/local => ../local\n";
        let p = GoMod
            .detect(
                &FileRef {
                    path: "go.mod",
                    content: body.as_bytes(),
                    layer: None,
                },
                None,
            )
            .unwrap();
        let got: Vec<(&str, Relationship)> = p
            .iter()
            .map(|p| (p.purl.as_str(), p.relationship))
            .collect();
        assert_eq!(
            p[0].depends_on,
            vec![
                "pkg:golang/github.com/c/d@v0.1.0",
                "pkg:golang/github.com/fork/b@v1.2.4"
            ]
        );
        assert_eq!(
            got,
            vec![
                ("pkg:golang/example.com/app", Relationship::Root),
                ("pkg:golang/github.com/fork/b@v1.2.4", Relationship::Direct),
                (
                    "pkg:golang/golang.org/x/text@v0.3.7",
                    Relationship::Transitive
                ),
                ("pkg:golang/github.com/c/d@v0.1.0", Relationship::Direct),
            ]
        );
    }

    #[test]
    fn malformed() {
        let f = FileRef {
            path: "go.mod",
            content: b"module x\nrequire (\n  github.com/a/b\n)\n",
            layer: None,
        };
        assert!(GoMod
            .detect(&f, None)
            .unwrap_err()
            .message
            .starts_with("line 3"));
    }
}
