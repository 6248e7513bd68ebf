//! Where a package's advisories live in OSV (<https://ossf.github.io/osv-schema/>): the
//! ecosystem string (`Debian:12`, `Ubuntu:22.04:LTS`, `Alpine:v3.19`, `PyPI`), the version
//! ordering that ecosystem uses, and whether it names source packages. Pure data: the one
//! table the importer, the matcher and the reports share.

use crate::{Ecosystem, OsFamily, OsInfo};
use std::fmt;

/// How versions of an ecosystem are ordered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum VersionScheme {
    /// Debian policy ordering (epoch, upstream, revision, `~`).
    Dpkg,
    Apk,
    /// rpmvercmp with epoch and release.
    Rpm,
    SemVer,
    /// SemVer with Go's `v` prefix and pseudo-versions.
    Go,
    Pep440,
    Maven,
    RubyGems,
    NuGet,
    Composer,
}

impl VersionScheme {
    /// The scheme of an OSV ecosystem string (`Debian:12`, `PyPI`, `Rocky Linux:9`, ...);
    /// `None` for ecosystems whose versions Palisade cannot order (GIT-only, unknown).
    pub fn for_osv_ecosystem(ecosystem: &str) -> Option<VersionScheme> {
        let base = ecosystem.split(':').next().unwrap_or(ecosystem).trim();
        Some(match base {
            "Debian" | "Ubuntu" => VersionScheme::Dpkg,
            "Alpine" | "Wolfi" | "Chainguard" | "Alpaquita" | "BellSoft Hardened Containers" => {
                VersionScheme::Apk
            }
            "Red Hat" | "Rocky Linux" | "AlmaLinux" | "SUSE" | "openSUSE" | "Mageia"
            | "Photon OS" | "Azure Linux" | "Mariner" | "openEuler" | "Oracle Linux" => {
                VersionScheme::Rpm
            }
            "npm" | "crates.io" | "Hex" | "Pub" | "SwiftURL" | "Hackage" | "CRAN" => {
                VersionScheme::SemVer
            }
            "Go" => VersionScheme::Go,
            "PyPI" => VersionScheme::Pep440,
            "Maven" => VersionScheme::Maven,
            "RubyGems" => VersionScheme::RubyGems,
            "NuGet" => VersionScheme::NuGet,
            "Packagist" => VersionScheme::Composer,
            _ => return None,
        })
    }
}

/// The OSV ecosystem a package is looked up in.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct OsvEcosystem {
    /// As osv.dev spells it: `Debian:12`, `Rocky Linux:9`, `crates.io`.
    pub name: String,
    pub scheme: VersionScheme,
    /// Advisories name the source package (dpkg `Source:`, apk origin, source RPM), so the
    /// package is looked up by its source name and version.
    pub match_by_source: bool,
}

impl OsvEcosystem {
    fn new(name: impl Into<String>, scheme: VersionScheme, match_by_source: bool) -> Self {
        OsvEcosystem {
            name: name.into(),
            scheme,
            match_by_source,
        }
    }
}

/// Why a package cannot be matched against OSV advisories.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, thiserror::Error)]
pub enum Unmatchable {
    /// An OS package, but the target's distribution was not detected.
    #[error("no operating system was detected, so the distribution's advisories are unknown")]
    NoOs,
    /// OSV carries no advisory feed for the distribution.
    #[error("OSV publishes no advisories for {0}")]
    NoAdvisories(String),
    /// OSV's Red Hat advisories are scoped to a product stream and repository
    /// (`Red Hat:enterprise_linux:9::appstream`), which an rpm database does not record.
    #[error("OSV scopes Red Hat advisories to product streams and repositories (CPEs) that an rpm database does not record ({0})")]
    RedHatStreamUnknown(String),
    /// The distribution is known but its release could not be placed (no or odd version).
    #[error("the release of {0} could not be determined")]
    UnknownRelease(String),
    /// A distribution Palisade has no mapping for.
    #[error("{0} is a distribution Palisade does not know")]
    UnknownOs(String),
    /// Packages of one format on a distribution that uses another (rpm on Debian).
    #[error("{ecosystem} packages on {os} have no advisory feed")]
    ForeignPackages { ecosystem: Ecosystem, os: String },
    /// The vulnerability database holds no advisories of this OSV ecosystem at all (it was
    /// never imported or updated), so a clean result would mean nothing.
    #[error("the vulnerability database has no advisories for {0} (load them with `palisade db update --ecosystem '{0}'`)")]
    NotInDatabase(String),
}

impl Unmatchable {
    /// Whether the reason is that the package format cannot be handled at all here (rather
    /// than a gap in detection): used to set a report problem's kind.
    pub fn is_unsupported(&self) -> bool {
        !matches!(
            self,
            Unmatchable::NoOs | Unmatchable::UnknownRelease(_) | Unmatchable::NotInDatabase(_)
        )
    }
}

/// The package format a distribution installs with.
pub fn native_ecosystem(family: &OsFamily) -> Option<Ecosystem> {
    use OsFamily::*;
    Some(match family {
        Debian | Ubuntu => Ecosystem::Deb,
        Alpine | Wolfi | Chainguard => Ecosystem::Apk,
        Rhel | CentOs | Rocky | AlmaLinux | Fedora | AmazonLinux | OracleLinux | Sles
        | OpenSuseLeap | OpenSuseTumbleweed | Photon | AzureLinux | Mariner | Mageia => {
            Ecosystem::Rpm
        }
        Other(_) | Unknown => return None,
    })
}

/// The OSV ecosystem of a language package; `None` for OS packages, which need the OS.
pub fn language_ecosystem(eco: Ecosystem) -> Option<OsvEcosystem> {
    let (name, scheme) = match eco {
        Ecosystem::Pypi => ("PyPI", VersionScheme::Pep440),
        Ecosystem::Npm => ("npm", VersionScheme::SemVer),
        Ecosystem::Cargo => ("crates.io", VersionScheme::SemVer),
        Ecosystem::Golang => ("Go", VersionScheme::Go),
        Ecosystem::Maven => ("Maven", VersionScheme::Maven),
        Ecosystem::Gem => ("RubyGems", VersionScheme::RubyGems),
        Ecosystem::Composer => ("Packagist", VersionScheme::Composer),
        Ecosystem::Nuget => ("NuGet", VersionScheme::NuGet),
        Ecosystem::Deb | Ecosystem::Apk | Ecosystem::Rpm => return None,
    };
    Some(OsvEcosystem::new(name, scheme, false))
}

/// Where packages of `eco` found on `os` are looked up, or why they cannot be.
pub fn osv_ecosystem(eco: Ecosystem, os: Option<&OsInfo>) -> Result<OsvEcosystem, Unmatchable> {
    if let Some(lang) = language_ecosystem(eco) {
        return Ok(lang);
    }
    let os = os.ok_or(Unmatchable::NoOs)?;
    match native_ecosystem(&os.family) {
        Some(native) if native != eco => Err(Unmatchable::ForeignPackages {
            ecosystem: eco,
            os: os.describe(),
        }),
        _ => os_ecosystem(os),
    }
}

/// The OSV ecosystem of a distribution release, or why OSV has none for it.
pub fn os_ecosystem(os: &OsInfo) -> Result<OsvEcosystem, Unmatchable> {
    use VersionScheme::{Apk, Dpkg, Rpm};
    let version = os.version.trim();
    let unknown_release = || Unmatchable::UnknownRelease(os.family.name().to_string());
    let major = || {
        let m = major(version);
        (!m.is_empty() && m.bytes().all(|b| b.is_ascii_digit()))
            .then(|| m.to_string())
            .ok_or_else(unknown_release)
    };
    let major_minor = || major_minor(version).ok_or_else(unknown_release);
    Ok(match &os.family {
        OsFamily::Debian => {
            let release = debian_release(os).ok_or_else(unknown_release)?;
            OsvEcosystem::new(format!("Debian:{release}"), Dpkg, true)
        }
        OsFamily::Ubuntu => {
            let mm = major_minor()?;
            let (year, month) = mm.split_once('.').ok_or_else(unknown_release)?;
            // LTS releases are the April releases of even years.
            let lts = month == "04" && year.parse::<u32>().is_ok_and(|y| y % 2 == 0);
            let name = if lts {
                format!("Ubuntu:{mm}:LTS")
            } else {
                format!("Ubuntu:{mm}")
            };
            OsvEcosystem::new(name, Dpkg, true)
        }
        OsFamily::Alpine => OsvEcosystem::new(format!("Alpine:v{}", major_minor()?), Apk, true),
        OsFamily::Wolfi => OsvEcosystem::new("Wolfi", Apk, false),
        OsFamily::Chainguard => OsvEcosystem::new("Chainguard", Apk, false),
        OsFamily::Rocky => OsvEcosystem::new(format!("Rocky Linux:{}", major()?), Rpm, false),
        OsFamily::AlmaLinux => OsvEcosystem::new(format!("AlmaLinux:{}", major()?), Rpm, false),
        OsFamily::Mageia => OsvEcosystem::new(format!("Mageia:{}", major()?), Rpm, false),
        // openSUSE and SUSE advisories name the source RPM (binaries are listed beside it)
        // and scope it by the product's marketing name.
        OsFamily::OpenSuseLeap if !version.is_empty() => {
            OsvEcosystem::new(format!("openSUSE:Leap {version}"), Rpm, true)
        }
        OsFamily::OpenSuseTumbleweed => OsvEcosystem::new("openSUSE:Tumbleweed", Rpm, true),
        OsFamily::Sles => {
            let product = os
                .pretty_name
                .as_deref()
                .map(|p| p.trim().trim_start_matches("SUSE ").to_string())
                .filter(|p| !p.is_empty())
                .ok_or_else(unknown_release)?;
            OsvEcosystem::new(format!("SUSE:{product}"), Rpm, true)
        }
        OsFamily::Photon if !version.is_empty() => {
            OsvEcosystem::new(format!("Photon OS:{version}"), Rpm, false)
        }
        OsFamily::AzureLinux => {
            OsvEcosystem::new(format!("Azure Linux:{}", major_minor()?), Rpm, false)
        }
        OsFamily::Mariner => OsvEcosystem::new(format!("Mariner:{}", major_minor()?), Rpm, false),
        OsFamily::OpenSuseLeap | OsFamily::Photon => return Err(unknown_release()),
        OsFamily::Rhel => return Err(Unmatchable::RedHatStreamUnknown(os.describe())),
        OsFamily::CentOs | OsFamily::Fedora | OsFamily::AmazonLinux | OsFamily::OracleLinux => {
            return Err(Unmatchable::NoAdvisories(os.describe()))
        }
        OsFamily::Other(_) => return Err(Unmatchable::UnknownOs(os.describe())),
        OsFamily::Unknown => return Err(Unmatchable::NoOs),
    })
}

fn major(version: &str) -> &str {
    version.split('.').next().unwrap_or(version)
}

fn major_minor(version: &str) -> Option<String> {
    let mut it = version.split('.');
    let (a, b) = (it.next()?, it.next()?);
    let numeric = |s: &str| !s.is_empty() && s.bytes().all(|c| c.is_ascii_digit());
    (numeric(a) && numeric(b)).then(|| format!("{a}.{b}"))
}

/// Debian's numeric release; testing images' os-release carries only a codename.
fn debian_release(os: &OsInfo) -> Option<String> {
    let v = major(os.version.trim());
    if !v.is_empty() && v.bytes().all(|b| b.is_ascii_digit()) {
        return Some(v.to_string());
    }
    let by_codename = match os.codename.as_deref()? {
        "jessie" => "8",
        "stretch" => "9",
        "buster" => "10",
        "bullseye" => "11",
        "bookworm" => "12",
        "trixie" => "13",
        "forky" => "14",
        _ => return None,
    };
    Some(by_codename.to_string())
}

impl fmt::Display for OsvEcosystem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn os(family: OsFamily, version: &str) -> OsInfo {
        OsInfo::new(family, version)
    }

    fn name(o: &OsInfo) -> Option<String> {
        os_ecosystem(o).ok().map(|e| e.name)
    }

    #[test]
    fn distribution_ecosystems() {
        use OsFamily::*;
        assert_eq!(name(&os(Debian, "12")).as_deref(), Some("Debian:12"));
        assert_eq!(name(&os(Debian, "12.5")).as_deref(), Some("Debian:12"));
        let testing = OsInfo {
            codename: Some("trixie".into()),
            ..os(Debian, "")
        };
        assert_eq!(name(&testing).as_deref(), Some("Debian:13"));
        assert_eq!(
            name(&os(Ubuntu, "22.04")).as_deref(),
            Some("Ubuntu:22.04:LTS")
        );
        assert_eq!(name(&os(Ubuntu, "22.10")).as_deref(), Some("Ubuntu:22.10"));
        assert_eq!(name(&os(Ubuntu, "23.04")).as_deref(), Some("Ubuntu:23.04"));
        assert_eq!(name(&os(Alpine, "3.19.1")).as_deref(), Some("Alpine:v3.19"));
        assert_eq!(name(&os(Rocky, "9.3")).as_deref(), Some("Rocky Linux:9"));
        assert_eq!(name(&os(AlmaLinux, "8.9")).as_deref(), Some("AlmaLinux:8"));
        assert_eq!(name(&os(Photon, "5.0")).as_deref(), Some("Photon OS:5.0"));
        assert_eq!(
            name(&os(AzureLinux, "3.0")).as_deref(),
            Some("Azure Linux:3.0")
        );
        assert_eq!(name(&os(Wolfi, "20230201")).as_deref(), Some("Wolfi"));
        assert_eq!(
            name(&os(OpenSuseLeap, "15.5")).as_deref(),
            Some("openSUSE:Leap 15.5")
        );
        let sles = OsInfo {
            pretty_name: Some("SUSE Linux Enterprise Server 15 SP5".into()),
            ..os(Sles, "15.5")
        };
        assert_eq!(
            name(&sles).as_deref(),
            Some("SUSE:Linux Enterprise Server 15 SP5")
        );
    }

    #[test]
    fn unmatchable_distributions_say_why() {
        use OsFamily::*;
        let centos = os_ecosystem(&os(CentOs, "7")).unwrap_err();
        assert_eq!(centos, Unmatchable::NoAdvisories("CentOS 7".into()));
        assert_eq!(
            centos.to_string(),
            "OSV publishes no advisories for CentOS 7"
        );
        assert_eq!(
            os_ecosystem(&os(AmazonLinux, "2")).unwrap_err().to_string(),
            "OSV publishes no advisories for Amazon Linux 2"
        );
        assert!(matches!(
            os_ecosystem(&os(Rhel, "9.2")),
            Err(Unmatchable::RedHatStreamUnknown(_))
        ));
        assert!(matches!(
            os_ecosystem(&os(Other("plan9".into()), "4")),
            Err(Unmatchable::UnknownOs(_))
        ));
        assert!(matches!(
            os_ecosystem(&os(Ubuntu, "")),
            Err(Unmatchable::UnknownRelease(_))
        ));
    }

    #[test]
    fn packages_pick_their_ecosystem() {
        let debian = os(OsFamily::Debian, "12");
        let e = osv_ecosystem(Ecosystem::Deb, Some(&debian)).unwrap();
        assert_eq!(e, OsvEcosystem::new("Debian:12", VersionScheme::Dpkg, true));
        assert_eq!(
            osv_ecosystem(Ecosystem::Deb, None).unwrap_err(),
            Unmatchable::NoOs
        );
        assert!(matches!(
            osv_ecosystem(Ecosystem::Rpm, Some(&debian)),
            Err(Unmatchable::ForeignPackages { .. })
        ));
        let cargo = osv_ecosystem(Ecosystem::Cargo, None).unwrap();
        assert_eq!(
            (cargo.name.as_str(), cargo.scheme),
            ("crates.io", VersionScheme::SemVer)
        );
        assert_eq!(
            osv_ecosystem(Ecosystem::Composer, Some(&debian))
                .unwrap()
                .name,
            "Packagist"
        );
        assert_eq!(language_ecosystem(Ecosystem::Gem).unwrap().name, "RubyGems");
        assert_eq!(language_ecosystem(Ecosystem::Deb), None);
    }

    #[test]
    fn ecosystems_pick_their_scheme() {
        use VersionScheme as S;
        assert_eq!(S::for_osv_ecosystem("Debian:12"), Some(S::Dpkg));
        assert_eq!(S::for_osv_ecosystem("Ubuntu:22.04:LTS"), Some(S::Dpkg));
        assert_eq!(S::for_osv_ecosystem("Alpine:v3.19"), Some(S::Apk));
        assert_eq!(S::for_osv_ecosystem("Rocky Linux:9"), Some(S::Rpm));
        assert_eq!(S::for_osv_ecosystem("PyPI"), Some(S::Pep440));
        assert_eq!(S::for_osv_ecosystem("GIT"), None);
        // Every ecosystem the table produces orders its versions with the scheme it names.
        for family in [
            OsFamily::Debian,
            OsFamily::Alpine,
            OsFamily::Rocky,
            OsFamily::Wolfi,
        ] {
            let e = os_ecosystem(&os(family, "9.1")).unwrap();
            assert_eq!(S::for_osv_ecosystem(&e.name), Some(e.scheme), "{e}");
        }
    }
}
