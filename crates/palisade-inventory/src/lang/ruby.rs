//! Ruby: `Gemfile.lock` and installed `specifications/*.gemspec` files.

use crate::lang::common::{err, file_name, package, resolve_by_name, text, Entry, MAX_TEXT_SIZE};
use crate::lang::dependency_dirs::inside_dependency;
use crate::{DetectError, Detector, FileRef};
use palisade_core::{Ecosystem, OsInfo, Package, Relationship};
use std::collections::HashSet;

pub fn detectors() -> Vec<Box<dyn Detector>> {
    vec![Box::new(GemfileLock), Box::new(Gemspec)]
}

/// `Gemfile.lock`: specs are four-space-indented `name (version)` lines under `GEM`, `GIT` or
/// `PATH`, with their dependencies six spaces in; `DEPENDENCIES` lists the direct gems.
/// Platform suffixes (`1.15.4-x86_64-linux`) are dropped: advisories name the plain version.
pub struct GemfileLock;

impl Detector for GemfileLock {
    fn name(&self) -> &'static str {
        "gemfile-lock"
    }

    fn wants(&self, path: &str, size: u64) -> bool {
        size <= MAX_TEXT_SIZE
            && matches!(file_name(path), "Gemfile.lock" | "gems.locked")
            && !inside_dependency(path)
    }

    fn detect(
        &self,
        file: &FileRef<'_>,
        _os: Option<&OsInfo>,
    ) -> Result<Vec<Package>, DetectError> {
        let mut entries: Vec<Entry> = Vec::new();
        let mut direct = HashSet::new();
        let mut section = "";
        let mut in_specs = false;
        for (no, line) in text(file)?.lines().enumerate() {
            if line.trim().is_empty() {
                continue;
            }
            let indent = line.len() - line.trim_start().len();
            let t = line.trim();
            if indent == 0 {
                section = t;
                in_specs = false;
                continue;
            }
            match (section, indent) {
                ("GEM" | "GIT" | "PATH", 2) => in_specs = t == "specs:",
                ("GEM" | "GIT" | "PATH", 4) if in_specs => {
                    let Some((name, version)) = t
                        .split_once(" (")
                        .and_then(|(n, v)| Some((n, v.strip_suffix(')')?)))
                    else {
                        return Err(err(
                            file,
                            format!("line {}: expected `name (version)`", no + 1),
                        ));
                    };
                    let version = version.split('-').next().unwrap_or(version);
                    entries.push(Entry {
                        name: name.to_string(),
                        version: version.to_string(),
                        ..Entry::default()
                    });
                }
                ("GEM" | "GIT" | "PATH", 6) if in_specs => {
                    if let Some(e) = entries.last_mut() {
                        e.deps.push(t.split(" (").next().unwrap_or(t).to_string());
                    }
                }
                ("DEPENDENCIES", 2) => {
                    let name = t.split(" (").next().unwrap_or(t).trim_end_matches('!');
                    direct.insert(name.to_string());
                }
                _ => {}
            }
        }
        if !direct.is_empty() {
            for e in &mut entries {
                e.relationship = if direct.contains(&e.name) {
                    Relationship::Direct
                } else {
                    Relationship::Transitive
                };
            }
        }
        Ok(resolve_by_name(Ecosystem::Gem, file, entries))
    }
}

/// Installed gem specifications as RubyGems writes them (`s.name = "rake".freeze`).
pub struct Gemspec;

fn ruby_strings(v: &str) -> Vec<String> {
    v.split('"')
        .skip(1)
        .step_by(2)
        .map(str::to_string)
        .collect()
}

impl Detector for Gemspec {
    fn name(&self) -> &'static str {
        "gemspec"
    }

    fn wants(&self, path: &str, size: u64) -> bool {
        size <= 1024 * 1024 && path.ends_with(".gemspec") && path.contains("specifications/")
    }

    fn detect(
        &self,
        file: &FileRef<'_>,
        _os: Option<&OsInfo>,
    ) -> Result<Vec<Package>, DetectError> {
        let (mut name, mut version, mut licences) = (None, None, Vec::new());
        for line in text(file)?.lines() {
            let Some((lhs, rhs)) = line.trim().split_once(" = ") else {
                continue;
            };
            let Some(attr) = lhs.split('.').nth(1) else {
                continue;
            };
            match attr {
                "name" => name = ruby_strings(rhs).into_iter().next(),
                "version" => version = ruby_strings(rhs).into_iter().next(),
                "licenses" | "license" => licences = ruby_strings(rhs),
                _ => {}
            }
        }
        let (Some(name), Some(version)) = (name, version) else {
            return Err(err(file, "gemspec sets no name or version"));
        };
        let mut p = package(Ecosystem::Gem, &name, &version, file);
        p.licenses = licences;
        Ok(vec![p])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gemfile_lock() {
        let body = "GEM\n  remote: https://rubygems.org/\n  specs:\n    nokogiri (1.15.4-x86_64-linux)\n      racc (~> 1.4)\n    racc (1.7.1)\n    rake (13.0.6)\n\nPLATFORMS\n  x86_64-linux\n\nDEPENDENCIES\n  nokogiri\n  rake (~> 13.0)!\n\nBUNDLED WITH\n   2.4.10\n";
        let p = GemfileLock
            .detect(
                &FileRef {
                    path: "Gemfile.lock",
                    content: body.as_bytes(),
                    layer: None,
                },
                None,
            )
            .unwrap();
        assert_eq!(p[0].purl, "pkg:gem/nokogiri@1.15.4");
        assert_eq!(p[0].depends_on, vec!["pkg:gem/racc@1.7.1"]);
        assert_eq!(p[0].relationship, Relationship::Direct);
        assert_eq!(p[1].relationship, Relationship::Transitive);
        let bad = FileRef {
            path: "Gemfile.lock",
            content: b"GEM\n  specs:\n    broken\n",
            layer: None,
        };
        assert!(GemfileLock
            .detect(&bad, None)
            .unwrap_err()
            .message
            .starts_with("line 3"));
    }

    #[test]
    fn gemspec() {
        let body = "Gem::Specification.new do |s|\n  s.name = \"rake\".freeze\n  s.version = \"13.0.6\"\n  s.licenses = [\"MIT\".freeze]\nend\n";
        let f = FileRef {
            path: "usr/lib/ruby/gems/3.1.0/specifications/rake-13.0.6.gemspec",
            content: body.as_bytes(),
            layer: None,
        };
        let p = Gemspec.detect(&f, None).unwrap();
        assert_eq!(
            (p[0].purl.as_str(), p[0].licenses.clone()),
            ("pkg:gem/rake@13.0.6", vec!["MIT".to_string()])
        );
        assert!(Gemspec
            .detect(
                &FileRef {
                    path: f.path,
                    content: b"",
                    layer: None
                },
                None
            )
            .is_err());
    }
}
