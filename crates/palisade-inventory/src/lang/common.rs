//! Helpers shared by the language detectors: package construction, path tests, limits.

use crate::{purl, DetectError, FileRef};
use palisade_core::{Ecosystem, Package, Relationship};

/// Lockfiles and metadata above this size are not worth holding in memory.
pub const MAX_TEXT_SIZE: u64 = 64 * 1024 * 1024;

/// Last `/`-separated component of a path.
pub fn file_name(path: &str) -> &str {
    path.rsplit('/').next().unwrap_or(path)
}

/// Splits `ns/name` at the last slash (Go modules, Composer, npm scopes).
pub fn split_namespace(full: &str) -> (Option<&str>, &str) {
    match full.rfind('/') {
        Some(i) => (Some(&full[..i]), &full[i + 1..]),
        None => (None, full),
    }
}

/// The purl for a package of `eco` named as Palisade names it (see [`Package::name`]).
pub fn purl_for(eco: Ecosystem, name: &str, version: &str) -> String {
    let ty = eco.purl_type();
    match eco {
        Ecosystem::Maven => match name.split_once(':') {
            Some((g, a)) => purl::build(ty, Some(g), a, version, &[]),
            None => purl::build(ty, None, name, version, &[]),
        },
        Ecosystem::Npm | Ecosystem::Golang | Ecosystem::Composer => {
            let (ns, n) = split_namespace(name);
            purl::build(ty, ns, n, version, &[])
        }
        _ => purl::build(ty, None, name, version, &[]),
    }
}

/// A package found in `file`, with its purl, path and layer filled in.
pub fn package(eco: Ecosystem, name: &str, version: &str, file: &FileRef<'_>) -> Package {
    Package {
        ecosystem: eco,
        name: name.to_string(),
        version: version.to_string(),
        purl: purl_for(eco, name, version),
        source_name: None,
        source_version: None,
        arch: None,
        licenses: Vec::new(),
        maintainer: None,
        found_in: file.path.to_string(),
        layer: file.layer.cloned(),
        other_locations: Vec::new(),
        relationship: Relationship::Unknown,
        depends_on: Vec::new(),
        declared_deps: Vec::new(),
    }
}

/// The file as UTF-8, or an error naming it.
pub fn text<'a>(file: &FileRef<'a>) -> Result<&'a str, DetectError> {
    std::str::from_utf8(file.content).map_err(|e| err(file, format!("not UTF-8: {e}")))
}

pub fn err(file: &FileRef<'_>, msg: impl Into<String>) -> DetectError {
    DetectError::new(file.path, msg)
}

/// Parses a JSON file into `T`, naming the file on failure.
pub fn json<T: serde::de::DeserializeOwned>(file: &FileRef<'_>) -> Result<T, DetectError> {
    serde_json::from_slice(file.content).map_err(|e| err(file, format!("invalid JSON: {e}")))
}

/// Parses a TOML file into `T`, naming the file on failure.
pub fn toml<T: serde::de::DeserializeOwned>(file: &FileRef<'_>) -> Result<T, DetectError> {
    toml::from_str(text(file)?).map_err(|e| err(file, format!("invalid TOML: {e}")))
}

/// Sorts and dedups dependency purls so output is stable.
pub fn finish(mut pkgs: Vec<Package>) -> Vec<Package> {
    for p in &mut pkgs {
        p.depends_on.sort();
        p.depends_on.dedup();
    }
    pkgs
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn purls_per_ecosystem() {
        assert_eq!(
            purl_for(Ecosystem::Maven, "org.slf4j:slf4j-api", "2.0.9"),
            "pkg:maven/org.slf4j/slf4j-api@2.0.9"
        );
        assert_eq!(
            purl_for(Ecosystem::Npm, "@types/node", "20.1.0"),
            "pkg:npm/%40types/node@20.1.0"
        );
        assert_eq!(
            purl_for(Ecosystem::Golang, "golang.org/x/text", "v0.3.7"),
            "pkg:golang/golang.org/x/text@v0.3.7"
        );
        assert_eq!(
            purl_for(Ecosystem::Composer, "monolog/monolog", "3.0.0"),
            "pkg:composer/monolog/monolog@3.0.0"
        );
        assert_eq!(
            purl_for(Ecosystem::Pypi, "pyyaml", "5.3"),
            "pkg:pypi/pyyaml@5.3"
        );
    }
}

/// A lockfile entry whose dependencies are named but not versioned; [`resolve_by_name`]
/// looks the versions up in the same lockfile.
#[derive(Debug, Default, Clone)]
pub struct Entry {
    pub name: String,
    pub version: String,
    pub relationship: Relationship,
    pub licenses: Vec<String>,
    /// Dependency names as the lockfile spells them (normalised by the caller).
    pub deps: Vec<String>,
    /// The name for the purl when it differs from `name` (PyPI keeps dots there).
    pub purl_name: Option<String>,
}

/// Turns entries into packages; a dependency resolves to the first entry of that name, and
/// one the lockfile does not contain (an uninstalled extra, the interpreter) is dropped.
pub fn resolve_by_name(eco: Ecosystem, file: &FileRef<'_>, entries: Vec<Entry>) -> Vec<Package> {
    let mut index: std::collections::HashMap<&str, String> = std::collections::HashMap::new();
    for e in &entries {
        let purl = purl_for(eco, e.purl_name.as_deref().unwrap_or(&e.name), &e.version);
        index.entry(e.name.as_str()).or_insert(purl);
    }
    let mut out = Vec::with_capacity(entries.len());
    for e in &entries {
        let mut p = package(eco, &e.name, &e.version, file);
        if let Some(n) = &e.purl_name {
            p.purl = purl_for(eco, n, &e.version);
        }
        p.relationship = e.relationship;
        p.licenses = e.licenses.clone();
        p.depends_on = e
            .deps
            .iter()
            .filter_map(|d| index.get(d.as_str()).cloned())
            .collect();
        out.push(p);
    }
    finish(out)
}
