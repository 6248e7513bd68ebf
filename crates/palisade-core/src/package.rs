use crate::{target_path, LayerRef, Location};
use serde::{Deserialize, Serialize};
use std::fmt;

/// Package ecosystems. The purl type and the OSV ecosystem name derive from this.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Serialize,
    Deserialize,
    schemars::JsonSchema,
)]
#[serde(rename_all = "lowercase")]
pub enum Ecosystem {
    Deb,
    Apk,
    Rpm,
    Pypi,
    Npm,
    Cargo,
    Golang,
    Maven,
    Gem,
    Composer,
    Nuget,
}

impl Ecosystem {
    pub fn as_str(self) -> &'static str {
        match self {
            Ecosystem::Deb => "deb",
            Ecosystem::Apk => "apk",
            Ecosystem::Rpm => "rpm",
            Ecosystem::Pypi => "pypi",
            Ecosystem::Npm => "npm",
            Ecosystem::Cargo => "cargo",
            Ecosystem::Golang => "golang",
            Ecosystem::Maven => "maven",
            Ecosystem::Gem => "gem",
            Ecosystem::Composer => "composer",
            Ecosystem::Nuget => "nuget",
        }
    }

    /// The purl type (<https://github.com/package-url/purl-spec>).
    pub fn purl_type(self) -> &'static str {
        self.as_str()
    }

    pub fn is_os(self) -> bool {
        matches!(self, Ecosystem::Deb | Ecosystem::Apk | Ecosystem::Rpm)
    }
}

impl fmt::Display for Ecosystem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// How a package got into the tree, where a lockfile says.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default, schemars::JsonSchema,
)]
#[serde(rename_all = "lowercase")]
pub enum Relationship {
    #[default]
    Unknown,
    Direct,
    Transitive,
    Dev,
    // The application itself: the project a lockfile or manifest at an application root
    // declares (`package.json` name and version, a `Cargo.lock` workspace crate, the root
    // `pom.xml`, the `go.mod` module), from which its direct dependencies hang. Trivy calls
    // it the same; it is never matched against advisories (it is the user's own code).
    Root,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Package {
    pub ecosystem: Ecosystem,
    /// Normalised name (PEP 503 for PyPI; `group:artifact` for Maven; `@scope/name` for npm).
    pub name: String,
    pub version: String,
    pub purl: String,
    /// Source package (dpkg `Source:`, apk origin, rpm source RPM name).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source_version: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub arch: Option<String>,
    /// SPDX expressions or free-text licence names, as the metadata states them.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub licenses: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub maintainer: Option<String>,
    /// The file that revealed the package (status db, lockfile, METADATA, binary), as a
    /// [`Location::path`](crate::Location::path): relative to the target root, `/`-separated.
    pub found_in: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub layer: Option<LayerRef>,
    /// Every further file that revealed the same package — the `requirements.txt` that pins
    /// an installed distribution, a second application with the same dependency — so that
    /// one package is listed once however many files name it. Each has a path and a layer.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub other_locations: Vec<Location>,
    #[serde(default)]
    pub relationship: Relationship,
    /// purls of the packages this one depends on, and nothing else.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub depends_on: Vec<String>,
    /// Dependency names as the package's own metadata declares them (`Requires-Dist`,
    /// `package.json` dependencies), for detectors that see one installed package per file
    /// and so cannot know which package answers a name. The inventory's linking pass turns
    /// them into [`Package::depends_on`] purls; they never reach a report.
    #[serde(skip)]
    pub declared_deps: Vec<String>,
}

impl Package {
    /// Where the package was found: [`Package::found_in`] first, then the others.
    pub fn locations(&self) -> impl Iterator<Item = Location> + '_ {
        let first = Location {
            path: Some(target_path(&self.found_in)).filter(|p| !p.is_empty()),
            layer: self.layer.clone(),
            ..Default::default()
        };
        std::iter::once(first).chain(self.other_locations.iter().cloned())
    }

    /// What makes two records the same package: the ecosystem, the name as the ecosystem
    /// compares names ([`identity_name`]), the version and the architecture. Versions stay
    /// exact: two versions of one package are two packages.
    pub fn identity(&self) -> (Ecosystem, String, &str, Option<&str>) {
        (
            self.ecosystem,
            identity_name(self.ecosystem, &self.name),
            &self.version,
            self.arch.as_deref(),
        )
    }
}

/// A package name as its ecosystem compares names, so that a lockfile's spelling and the
/// installed metadata's spelling of one package meet.
pub fn identity_name(eco: Ecosystem, name: &str) -> String {
    let name = name.trim();
    match eco {
        // PEP 503: case, `-`, `_` and `.` runs do not distinguish distributions.
        Ecosystem::Pypi => crate::pep503_normalize(name),
        // The registries refuse names that differ from an existing one only by case
        // (NuGet IDs, RubyGems since 2016, Packagist requires lower case), so case is noise.
        Ecosystem::Nuget | Ecosystem::Gem | Ecosystem::Composer => name.to_lowercase(),
        // crates.io treats `-` and `_` as the same name and ignores case.
        Ecosystem::Cargo => name.to_lowercase().replace('_', "-"),
        // npm names, Go module paths, Maven `group:artifact` and OS package names are
        // case-sensitive: `Foo` and `foo` can be different packages.
        Ecosystem::Npm
        | Ecosystem::Golang
        | Ecosystem::Maven
        | Ecosystem::Deb
        | Ecosystem::Apk
        | Ecosystem::Rpm => name.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_compare_as_their_ecosystem_compares_them() {
        let same = |eco, a, b| identity_name(eco, a) == identity_name(eco, b);
        assert!(same(Ecosystem::Pypi, "Flask", "flask"));
        assert!(same(Ecosystem::Pypi, "zope.interface", "Zope_Interface"));
        assert!(same(Ecosystem::Nuget, "Newtonsoft.Json", "newtonsoft.json"));
        assert!(same(Ecosystem::Gem, "Rack", "rack"));
        assert!(same(Ecosystem::Cargo, "serde_json", "serde-json"));
        assert!(!same(Ecosystem::Npm, "JSONStream", "jsonstream"));
        assert!(!same(
            Ecosystem::Maven,
            "org.example:Lib",
            "org.example:lib"
        ));
        assert!(!same(Ecosystem::Maven, "a:b", "c:b"));
    }
}
