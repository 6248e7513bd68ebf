//! Names: Palisade ecosystems to OSV ecosystem strings, an image's OS to its distribution
//! ecosystem (`Debian:12`, `Ubuntu:22.04:LTS`, `Alpine:v3.19`), and package-name normalisation.

use palisade_core::{Ecosystem, OsInfo};

/// The OSV ecosystem of a language package; OS packages need [`os_ecosystem`].
pub fn osv_ecosystem(eco: Ecosystem) -> Option<&'static str> {
    Some(match eco {
        Ecosystem::Pypi => "PyPI",
        Ecosystem::Npm => "npm",
        Ecosystem::Cargo => "crates.io",
        Ecosystem::Golang => "Go",
        Ecosystem::Maven => "Maven",
        Ecosystem::Gem => "RubyGems",
        Ecosystem::Composer => "Packagist",
        Ecosystem::Nuget => "NuGet",
        Ecosystem::Deb | Ecosystem::Apk | Ecosystem::Rpm => return None,
    })
}

fn major(version: &str) -> &str {
    version.split('.').next().unwrap_or(version)
}

fn major_minor(version: &str) -> Option<String> {
    let mut it = version.split('.');
    let (a, b) = (it.next()?, it.next()?);
    Some(format!("{a}.{b}"))
}

fn debian_release(os: &OsInfo) -> Option<String> {
    let v = major(os.version.trim());
    if !v.is_empty() && v.bytes().all(|b| b.is_ascii_digit()) {
        return Some(v.to_string());
    }
    // /etc/os-release of testing images carries only a codename.
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

/// The OSV ecosystem of the distribution, as osv.dev spells it.
pub fn os_ecosystem(os: &OsInfo) -> Option<String> {
    let family = os.family.trim().to_ascii_lowercase();
    let version = os.version.trim();
    match family.as_str() {
        "debian" => debian_release(os).map(|v| format!("Debian:{v}")),
        "ubuntu" => {
            let mm = major_minor(version)?;
            let (year, month) = mm.split_once('.')?;
            let lts = month == "04" && year.parse::<u32>().is_ok_and(|y| y % 2 == 0);
            Some(if lts {
                format!("Ubuntu:{mm}:LTS")
            } else {
                format!("Ubuntu:{mm}")
            })
        }
        "alpine" => major_minor(version).map(|mm| format!("Alpine:v{mm}")),
        "rocky" => Some(format!("Rocky Linux:{}", major(version))),
        "almalinux" => Some(format!("AlmaLinux:{}", major(version))),
        "mageia" => Some(format!("Mageia:{}", major(version))),
        "opensuse-leap" => Some(format!("openSUSE:Leap {version}")),
        "photon" => Some(format!("Photon OS:{version}")),
        "azurelinux" => major_minor(version).map(|mm| format!("Azure Linux:{mm}")),
        "mariner" => major_minor(version).map(|mm| format!("Mariner:{mm}")),
        "wolfi" => Some("Wolfi".to_string()),
        "chainguard" => Some("Chainguard".to_string()),
        _ => None,
    }
}

/// Distributions whose advisories name the source package, not each binary it builds.
pub fn matches_by_source(osv_ecosystem: &str) -> bool {
    let base = osv_ecosystem.split(':').next().unwrap_or("");
    matches!(base, "Debian" | "Ubuntu" | "Alpine")
}

/// The key a package name is stored and looked up under.
pub fn normalize_name(osv_ecosystem: &str, name: &str) -> String {
    let base = osv_ecosystem.split(':').next().unwrap_or("");
    let name = name.trim();
    match base {
        // PEP 503: runs of `-`, `_`, `.` are one `-`, case-insensitive.
        "PyPI" => {
            let mut out = String::with_capacity(name.len());
            let mut sep = false;
            for c in name.chars() {
                if matches!(c, '-' | '_' | '.') {
                    sep = true;
                } else {
                    if sep && !out.is_empty() {
                        out.push('-');
                    }
                    sep = false;
                    out.extend(c.to_lowercase());
                }
            }
            out
        }
        "npm" | "NuGet" | "Packagist" | "Debian" | "Ubuntu" | "Alpine" | "Wolfi" | "Chainguard" => {
            name.to_lowercase()
        }
        _ => name.to_string(),
    }
}

/// The ecosystem column key: case-insensitive, so `pypi` and `PyPI` meet.
pub fn ecosystem_key(osv_ecosystem: &str) -> String {
    osv_ecosystem.trim().to_lowercase()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn os(family: &str, version: &str) -> OsInfo {
        OsInfo {
            family: family.into(),
            version: version.into(),
            ..Default::default()
        }
    }

    #[test]
    fn distribution_ecosystems() {
        assert_eq!(
            os_ecosystem(&os("debian", "12")).as_deref(),
            Some("Debian:12")
        );
        assert_eq!(
            os_ecosystem(&os("debian", "12.5")).as_deref(),
            Some("Debian:12")
        );
        let testing = OsInfo {
            codename: Some("trixie".into()),
            ..os("debian", "")
        };
        assert_eq!(os_ecosystem(&testing).as_deref(), Some("Debian:13"));
        assert_eq!(
            os_ecosystem(&os("ubuntu", "22.04")).as_deref(),
            Some("Ubuntu:22.04:LTS")
        );
        assert_eq!(
            os_ecosystem(&os("ubuntu", "22.10")).as_deref(),
            Some("Ubuntu:22.10")
        );
        assert_eq!(
            os_ecosystem(&os("ubuntu", "23.04")).as_deref(),
            Some("Ubuntu:23.04")
        );
        assert_eq!(
            os_ecosystem(&os("alpine", "3.19.1")).as_deref(),
            Some("Alpine:v3.19")
        );
        assert_eq!(
            os_ecosystem(&os("rocky", "9.3")).as_deref(),
            Some("Rocky Linux:9")
        );
        assert_eq!(os_ecosystem(&os("plan9", "4")), None);
    }

    #[test]
    fn language_ecosystems() {
        assert_eq!(osv_ecosystem(Ecosystem::Cargo), Some("crates.io"));
        assert_eq!(osv_ecosystem(Ecosystem::Composer), Some("Packagist"));
        assert_eq!(osv_ecosystem(Ecosystem::Gem), Some("RubyGems"));
        assert_eq!(osv_ecosystem(Ecosystem::Deb), None);
    }

    #[test]
    fn names() {
        assert_eq!(normalize_name("PyPI", "PyYAML"), "pyyaml");
        assert_eq!(
            normalize_name("PyPI", "zope.interface__x"),
            "zope-interface-x"
        );
        assert_eq!(normalize_name("PyPI", "Django"), "django");
        assert_eq!(
            normalize_name("NuGet", "Newtonsoft.Json"),
            "newtonsoft.json"
        );
        assert_eq!(
            normalize_name("Go", "github.com/Foo/bar"),
            "github.com/Foo/bar"
        );
        assert_eq!(normalize_name("crates.io", "tokio"), "tokio");
    }
}
