//! The operating system of a target, normalised once so that detectors, purls, reports and
//! the vulnerability matcher never compare distribution names as strings.

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;

/// A Linux distribution Palisade knows, named in reports by its os-release `ID`.
///
/// Every source of OS facts (os-release, the legacy `*-release` files) is turned into one of
/// these in `palisade-inventory`; anything else is kept as [`OsFamily::Other`] with its
/// lower-cased `ID`, so nothing is lost and the compiler sees every known case.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub enum OsFamily {
    Debian,
    Ubuntu,
    Alpine,
    /// Red Hat Enterprise Linux (and UBI images).
    Rhel,
    CentOs,
    Rocky,
    AlmaLinux,
    Fedora,
    AmazonLinux,
    OracleLinux,
    /// SUSE Linux Enterprise Server.
    Sles,
    OpenSuseLeap,
    OpenSuseTumbleweed,
    /// VMware Photon OS.
    Photon,
    /// Microsoft Azure Linux (3.0 on).
    AzureLinux,
    /// CBL-Mariner, Azure Linux's name up to 2.0.
    Mariner,
    Wolfi,
    Chainguard,
    Mageia,
    /// A distribution Palisade has no rules for, by its lower-cased os-release `ID`.
    Other(String),
    /// Nothing identified the distribution (only as a default; detection yields `None`).
    #[default]
    Unknown,
}

/// (family, canonical os-release `ID`, human name). One row per known family.
const TABLE: [(OsFamily, &str, &str); 19] = [
    (OsFamily::Debian, "debian", "Debian"),
    (OsFamily::Ubuntu, "ubuntu", "Ubuntu"),
    (OsFamily::Alpine, "alpine", "Alpine Linux"),
    (OsFamily::Rhel, "rhel", "Red Hat Enterprise Linux"),
    (OsFamily::CentOs, "centos", "CentOS"),
    (OsFamily::Rocky, "rocky", "Rocky Linux"),
    (OsFamily::AlmaLinux, "almalinux", "AlmaLinux"),
    (OsFamily::Fedora, "fedora", "Fedora"),
    (OsFamily::AmazonLinux, "amzn", "Amazon Linux"),
    (OsFamily::OracleLinux, "ol", "Oracle Linux"),
    (OsFamily::Sles, "sles", "SUSE Linux Enterprise Server"),
    (OsFamily::OpenSuseLeap, "opensuse-leap", "openSUSE Leap"),
    (
        OsFamily::OpenSuseTumbleweed,
        "opensuse-tumbleweed",
        "openSUSE Tumbleweed",
    ),
    (OsFamily::Photon, "photon", "Photon OS"),
    (OsFamily::AzureLinux, "azurelinux", "Azure Linux"),
    (OsFamily::Mariner, "mariner", "CBL-Mariner"),
    (OsFamily::Wolfi, "wolfi", "Wolfi"),
    (OsFamily::Chainguard, "chainguard", "Chainguard OS"),
    (OsFamily::Mageia, "mageia", "Mageia"),
];

/// IDs that name a known family under another spelling: older os-release files, the legacy
/// release-file parsers of other tools, and editions of one distribution.
const ALIASES: [(&str, OsFamily); 8] = [
    ("redhat", OsFamily::Rhel),
    ("oracle", OsFamily::OracleLinux),
    ("amazon", OsFamily::AmazonLinux),
    ("opensuse", OsFamily::OpenSuseLeap),
    ("sles_sap", OsFamily::Sles),
    ("sled", OsFamily::Sles),
    ("alma", OsFamily::AlmaLinux),
    ("cbl-mariner", OsFamily::Mariner),
];

impl OsFamily {
    /// The family an os-release `ID` (or a known alias of it) names; `Other` for the rest.
    pub fn from_id(id: &str) -> OsFamily {
        let id = id.trim().to_ascii_lowercase();
        if id.is_empty() {
            return OsFamily::Unknown;
        }
        Self::known(&id).unwrap_or(OsFamily::Other(id))
    }

    /// The known family of an `ID` or alias, `None` when Palisade does not know it.
    pub fn known(id: &str) -> Option<OsFamily> {
        let id = id.trim();
        TABLE
            .iter()
            .find(|(_, i, _)| i.eq_ignore_ascii_case(id))
            .map(|(f, _, _)| f.clone())
            .or_else(|| {
                ALIASES
                    .iter()
                    .find(|(a, _)| a.eq_ignore_ascii_case(id))
                    .map(|(_, f)| f.clone())
            })
    }

    /// The canonical os-release `ID` (`rhel`, `amzn`, `ol`, ...), as reports spell it.
    pub fn id(&self) -> &str {
        match self {
            OsFamily::Other(id) => id,
            OsFamily::Unknown => "unknown",
            known => TABLE
                .iter()
                .find(|(f, _, _)| f == known)
                .map_or("unknown", |(_, id, _)| id),
        }
    }

    /// The distribution's name for people (`Amazon Linux`, `CentOS`).
    pub fn name(&self) -> &str {
        match self {
            OsFamily::Other(id) => id,
            OsFamily::Unknown => "unknown OS",
            known => TABLE
                .iter()
                .find(|(f, _, _)| f == known)
                .map_or("unknown OS", |(_, _, n)| n),
        }
    }

    /// Whether Palisade has rules for this family (not `Other`, not `Unknown`).
    pub fn is_known(&self) -> bool {
        !matches!(self, OsFamily::Other(_) | OsFamily::Unknown)
    }
}

impl fmt::Display for OsFamily {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.id())
    }
}

impl Serialize for OsFamily {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.id())
    }
}

impl<'de> Deserialize<'de> for OsFamily {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let id = String::deserialize(d)?;
        Ok(if id == "unknown" {
            OsFamily::Unknown
        } else {
            OsFamily::from_id(&id)
        })
    }
}

impl schemars::JsonSchema for OsFamily {
    fn schema_name() -> String {
        "OsFamily".into()
    }

    fn json_schema(gen: &mut schemars::gen::SchemaGenerator) -> schemars::schema::Schema {
        let mut schema = String::json_schema(gen).into_object();
        schema.metadata().description = Some(
            "The distribution's os-release ID: debian, ubuntu, alpine, rhel, centos, rocky, \
             almalinux, fedora, amzn, ol, sles, opensuse-leap, opensuse-tumbleweed, photon, \
             azurelinux, mariner, wolfi, chainguard, mageia, or the ID of another distribution."
                .into(),
        );
        schema.into()
    }
}

/// The detected operating system of an image or rootfs.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct OsInfo {
    pub family: OsFamily,
    /// `12`, `22.04`, `3.19.1`, `2` (Amazon Linux 2), `7.9.2009`.
    pub version: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub codename: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pretty_name: Option<String>,
}

impl OsInfo {
    /// An `OsInfo` with only family and version, as tests and fallbacks build it.
    pub fn new(family: OsFamily, version: impl Into<String>) -> Self {
        OsInfo {
            family,
            version: version.into(),
            codename: None,
            pretty_name: None,
        }
    }

    /// `CentOS 7.9.2009`, `Debian 12`, for messages.
    pub fn describe(&self) -> String {
        if self.version.is_empty() {
            self.family.name().to_string()
        } else {
            format!("{} {}", self.family.name(), self.version)
        }
    }

    /// The purl `distro` qualifier: `debian-12`, `rhel-9.2`, `alpine-3.19.1`.
    pub fn purl_distro(&self) -> String {
        if self.version.is_empty() {
            self.family.id().to_string()
        } else {
            format!("{}-{}", self.family.id(), self.version)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_round_trip_and_aliases_normalise() {
        for (family, id, _) in TABLE.iter() {
            assert_eq!(OsFamily::from_id(id), *family);
            assert_eq!(family.id(), *id);
            let json = serde_json::to_string(family).unwrap();
            assert_eq!(json, format!("\"{id}\""));
            assert_eq!(serde_json::from_str::<OsFamily>(&json).unwrap(), *family);
        }
        assert_eq!(OsFamily::from_id("RedHat"), OsFamily::Rhel);
        assert_eq!(OsFamily::from_id("oracle"), OsFamily::OracleLinux);
        assert_eq!(
            OsFamily::from_id("Plan9"),
            OsFamily::Other("plan9".to_string())
        );
        assert_eq!(OsFamily::from_id(""), OsFamily::Unknown);
        assert_eq!(OsFamily::Other("plan9".into()).to_string(), "plan9");
    }

    #[test]
    fn purl_distro_and_description() {
        let os = OsInfo::new(OsFamily::AmazonLinux, "2");
        assert_eq!(os.purl_distro(), "amzn-2");
        assert_eq!(os.describe(), "Amazon Linux 2");
        assert_eq!(OsInfo::new(OsFamily::Wolfi, "").purl_distro(), "wolfi");
    }
}
