//! `pom.xml` declared dependencies. Versions are resolved from this file alone: literal
//! versions, `${property}` from `<properties>`, `${project.version}`, and the same file's
//! `<dependencyManagement>`. A version that needs the parent POM or a BOM from a repository
//! cannot be known offline; such dependencies are skipped (a limitation Trivy shares offline).

use crate::lang::common::{err, file_name, package, text, MAX_TEXT_SIZE};
use crate::{DetectError, Detector, FileRef};
use palisade_core::{Ecosystem, OsInfo, Package, Relationship};
use roxmltree::{Document, Node};
use std::collections::HashMap;

pub struct Pom;

fn child<'a, 'i>(n: Node<'a, 'i>, name: &str) -> Option<Node<'a, 'i>> {
    n.children()
        .find(|c| c.is_element() && c.tag_name().name() == name)
}

fn child_text(n: Node<'_, '_>, name: &str) -> Option<String> {
    child(n, name)
        .and_then(|c| c.text())
        .map(|t| t.trim().to_string())
        .filter(|t| !t.is_empty())
}

fn dependencies<'a, 'i>(n: Node<'a, 'i>) -> Vec<Node<'a, 'i>> {
    child(n, "dependencies")
        .map(|d| {
            d.children()
                .filter(|c| c.is_element() && c.tag_name().name() == "dependency")
                .collect()
        })
        .unwrap_or_default()
}

/// Longest interpolated coordinate. Real group ids and versions are short; without a cap, a
/// crafted property of megabytes referenced by every dependency is copied once per
/// dependency (and grows at every round of expansion).
const MAX_COORDINATE: usize = 1024;

/// Expands `${name}` references; `None` if any stays unresolved or the result is too long.
fn interpolate(s: &str, props: &HashMap<String, String>) -> Option<String> {
    if s.len() > MAX_COORDINATE {
        return None;
    }
    let mut out = s.to_string();
    // Properties may refer to properties; a few rounds cover real files and stop cycles.
    for _ in 0..8 {
        let Some(start) = out.find("${") else {
            return Some(out);
        };
        let end = out[start..].find('}')? + start;
        let value = props.get(&out[start + 2..end])?;
        if out.len() - (end + 1 - start) + value.len() > MAX_COORDINATE {
            return None;
        }
        out.replace_range(start..=end, value);
    }
    (!out.contains("${")).then_some(out)
}

impl Detector for Pom {
    fn name(&self) -> &'static str {
        "maven-pom"
    }

    fn wants(&self, path: &str, size: u64) -> bool {
        size <= MAX_TEXT_SIZE && file_name(path) == "pom.xml"
    }

    fn detect(
        &self,
        file: &FileRef<'_>,
        _os: Option<&OsInfo>,
    ) -> Result<Vec<Package>, DetectError> {
        let doc =
            Document::parse(text(file)?).map_err(|e| err(file, format!("invalid XML: {e}")))?;
        let project = doc.root_element();
        if project.tag_name().name() != "project" {
            return Err(err(file, "root element is not <project>"));
        }
        let parent = child(project, "parent");
        let mut props: HashMap<String, String> = HashMap::new();
        if let Some(p) = child(project, "properties") {
            for c in p.children().filter(|c| c.is_element()) {
                props.insert(
                    c.tag_name().name().to_string(),
                    c.text().unwrap_or("").trim().to_string(),
                );
            }
        }
        for key in ["groupId", "version", "artifactId"] {
            if let Some(v) =
                child_text(project, key).or_else(|| parent.and_then(|p| child_text(p, key)))
            {
                props.insert(format!("project.{key}"), v.clone());
                props.insert(format!("pom.{key}"), v);
            }
        }
        if let Some(pv) = parent.and_then(|p| child_text(p, "version")) {
            props.insert("project.parent.version".into(), pv);
        }
        let mut managed: HashMap<(String, String), String> = HashMap::new();
        if let Some(dm) = child(project, "dependencyManagement") {
            for d in dependencies(dm) {
                let g = child_text(d, "groupId").and_then(|g| interpolate(&g, &props));
                let a = child_text(d, "artifactId").and_then(|a| interpolate(&a, &props));
                let v = child_text(d, "version").and_then(|v| interpolate(&v, &props));
                if let (Some(g), Some(a), Some(v)) = (g, a, v) {
                    managed.insert((g, a), v);
                }
            }
        }
        let mut out = Vec::new();
        for d in dependencies(project) {
            let g = child_text(d, "groupId").and_then(|g| interpolate(&g, &props));
            let a = child_text(d, "artifactId").and_then(|a| interpolate(&a, &props));
            let (Some(g), Some(a)) = (g, a) else { continue };
            let version = child_text(d, "version")
                .and_then(|v| interpolate(&v, &props))
                .or_else(|| managed.get(&(g.clone(), a.clone())).cloned());
            // Ranges (`[1.0,2.0)`) are not versions.
            let Some(version) = version.filter(|v| !v.starts_with(['[', '('])) else {
                continue;
            };
            let mut p = package(Ecosystem::Maven, &format!("{g}:{a}"), &version, file);
            p.relationship = match child_text(d, "scope").as_deref() {
                Some("test") => Relationship::Dev,
                _ => Relationship::Direct,
            };
            out.push(p);
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(body: &str) -> Result<Vec<Package>, DetectError> {
        Pom.detect(
            &FileRef {
                path: "pom.xml",
                content: body.as_bytes(),
                layer: None,
            },
            None,
        )
    }

    #[test]
    fn declared_dependencies() {
        let body = r#"<?xml version="1.0"?>
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <groupId>com.x</groupId><artifactId>app</artifactId><version>1.0</version>
  <properties><slf4j.version>2.0.9</slf4j.version></properties>
  <dependencyManagement><dependencies><dependency>
    <groupId>com.google.guava</groupId><artifactId>guava</artifactId><version>32.1.2-jre</version>
  </dependency></dependencies></dependencyManagement>
  <dependencies>
    <dependency><groupId>org.slf4j</groupId><artifactId>slf4j-api</artifactId><version>${slf4j.version}</version></dependency>
    <dependency><groupId>com.google.guava</groupId><artifactId>guava</artifactId></dependency>
    <dependency><groupId>com.x</groupId><artifactId>sibling</artifactId><version>${project.version}</version></dependency>
    <dependency><groupId>junit</groupId><artifactId>junit</artifactId><version>4.13.2</version><scope>test</scope></dependency>
    <dependency><groupId>from</groupId><artifactId>parent</artifactId></dependency>
  </dependencies>
</project>"#;
        let p = run(body).unwrap();
        let got: Vec<&str> = p.iter().map(|p| p.purl.as_str()).collect();
        assert_eq!(
            got,
            vec![
                "pkg:maven/org.slf4j/slf4j-api@2.0.9",
                "pkg:maven/com.google.guava/guava@32.1.2-jre",
                "pkg:maven/com.x/sibling@1.0",
                "pkg:maven/junit/junit@4.13.2"
            ]
        );
        assert_eq!(p[3].relationship, Relationship::Dev);
    }

    #[test]
    fn malformed() {
        assert!(run("<project><dependencies>")
            .unwrap_err()
            .message
            .starts_with("invalid XML"));
        assert!(run("<html/>").unwrap_err().message.contains("<project>"));
    }

    /// A crafted property of megabytes referenced by every dependency was copied once per
    /// dependency; coordinates longer than any real one are now not expanded at all.
    #[test]
    fn oversized_interpolations_are_dropped() {
        let big = "9".repeat(MAX_COORDINATE + 1);
        let body = format!(
            "<project><properties><v>{big}</v><ok>1.0</ok></properties><dependencies>\
             <dependency><groupId>a</groupId><artifactId>big</artifactId><version>${{v}}</version></dependency>\
             <dependency><groupId>a</groupId><artifactId>ok</artifactId><version>${{ok}}</version></dependency>\
             </dependencies></project>"
        );
        let p = run(&body).unwrap();
        let got: Vec<&str> = p.iter().map(|p| p.purl.as_str()).collect();
        assert_eq!(got, vec!["pkg:maven/a/ok@1.0"]);
    }
}
