//! `gradle.lockfile` (and per-configuration `gradle/dependency-locks/*.lockfile`): lines of
//! `group:artifact:version=configuration,...`. Packages locked only for test configurations
//! are dev.

use crate::lang::common::{err, file_name, package, text, MAX_TEXT_SIZE};
use crate::lang::dependency_dirs::inside_dependency;
use crate::{DetectError, Detector, FileRef};
use palisade_core::{Ecosystem, OsInfo, Package, Relationship};

pub struct GradleLock;

impl Detector for GradleLock {
    fn name(&self) -> &'static str {
        "gradle-lock"
    }

    fn wants(&self, path: &str, size: u64) -> bool {
        size <= MAX_TEXT_SIZE
            && (file_name(path) == "gradle.lockfile"
                || (path.contains("gradle/dependency-locks/") && path.ends_with(".lockfile")))
            && !inside_dependency(path)
    }

    fn detect(
        &self,
        file: &FileRef<'_>,
        _os: Option<&OsInfo>,
    ) -> Result<Vec<Package>, DetectError> {
        let mut out = Vec::new();
        for (no, line) in text(file)?.lines().enumerate() {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') || line.starts_with("empty=") {
                continue;
            }
            let (coords, confs) = line.split_once('=').unwrap_or((line, ""));
            let parts: Vec<&str> = coords.split(':').collect();
            let [g, a, v] = parts[..] else {
                return Err(err(
                    file,
                    format!("line {}: expected group:artifact:version", no + 1),
                ));
            };
            let mut p = package(Ecosystem::Maven, &format!("{g}:{a}"), v, file);
            let test_only =
                !confs.is_empty() && confs.split(',').all(|c| c.trim().starts_with("test"));
            if test_only {
                p.relationship = Relationship::Dev;
            }
            out.push(p);
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lockfile() {
        let body = "# comment\norg.slf4j:slf4j-api:2.0.9=compileClasspath,runtimeClasspath\njunit:junit:4.13.2=testCompileClasspath,testRuntimeClasspath\nempty=annotationProcessor\n";
        let p = GradleLock
            .detect(
                &FileRef {
                    path: "gradle.lockfile",
                    content: body.as_bytes(),
                    layer: None,
                },
                None,
            )
            .unwrap();
        assert_eq!(p[0].purl, "pkg:maven/org.slf4j/slf4j-api@2.0.9");
        assert_eq!(p[1].relationship, Relationship::Dev);
        let bad = FileRef {
            path: "gradle.lockfile",
            content: b"just-a-name=x\n",
            layer: None,
        };
        assert!(GradleLock
            .detect(&bad, None)
            .unwrap_err()
            .message
            .starts_with("line 1"));
    }
}
