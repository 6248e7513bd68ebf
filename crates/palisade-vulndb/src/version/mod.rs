//! Version ordering per ecosystem. Each scheme is total: strings a scheme cannot parse fall
//! back to [`fallback`], so a malformed advisory can mis-order but never crash the matcher.

pub mod apk;
pub mod composer;
pub mod dpkg;
pub mod gem;
pub mod maven;
pub mod pep440;
pub mod rpm;
pub mod semver;

use std::cmp::Ordering;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scheme {
    Dpkg,
    Apk,
    Rpm,
    SemVer,
    Go,
    Pep440,
    Maven,
    RubyGems,
    NuGet,
    Composer,
}

impl Scheme {
    /// The scheme of an OSV ecosystem string (`Debian:12`, `PyPI`, `Rocky Linux:9`, ...).
    pub fn for_osv_ecosystem(ecosystem: &str) -> Option<Scheme> {
        let base = ecosystem.split(':').next().unwrap_or(ecosystem);
        Some(match base {
            "Debian" | "Ubuntu" => Scheme::Dpkg,
            "Alpine" | "Wolfi" | "Chainguard" | "Alpaquita" | "BellSoft Hardened Containers" => {
                Scheme::Apk
            }
            "Red Hat" | "Rocky Linux" | "AlmaLinux" | "SUSE" | "openSUSE" | "Mageia"
            | "Photon OS" | "Azure Linux" | "Mariner" | "openEuler" | "Oracle Linux" => Scheme::Rpm,
            "npm" | "crates.io" | "Hex" | "Pub" | "SwiftURL" | "Hackage" | "CRAN" => Scheme::SemVer,
            "Go" => Scheme::Go,
            "PyPI" => Scheme::Pep440,
            "Maven" => Scheme::Maven,
            "RubyGems" => Scheme::RubyGems,
            "NuGet" => Scheme::NuGet,
            "Packagist" => Scheme::Composer,
            _ => return None,
        })
    }

    pub fn compare(self, a: &str, b: &str) -> Ordering {
        match self {
            Scheme::Dpkg => dpkg::compare(a, b),
            Scheme::Apk => apk::compare(a, b),
            Scheme::Rpm => rpm::compare(a, b),
            Scheme::SemVer => semver::compare(a, b),
            Scheme::Go => semver::compare_go(a, b),
            Scheme::Pep440 => pep440::compare(a, b),
            Scheme::Maven => maven::compare(a, b),
            Scheme::RubyGems => gem::compare(a, b),
            Scheme::NuGet => semver::compare_nuget(a, b),
            Scheme::Composer => composer::compare(a, b),
        }
    }
}

/// Ordering for strings no scheme understands: runs of digits numerically, the rest bytewise.
pub fn fallback(a: &str, b: &str) -> Ordering {
    dpkg::compare(a, b)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ecosystems_pick_their_scheme() {
        assert_eq!(Scheme::for_osv_ecosystem("Debian:12"), Some(Scheme::Dpkg));
        assert_eq!(
            Scheme::for_osv_ecosystem("Ubuntu:22.04:LTS"),
            Some(Scheme::Dpkg)
        );
        assert_eq!(Scheme::for_osv_ecosystem("Alpine:v3.19"), Some(Scheme::Apk));
        assert_eq!(
            Scheme::for_osv_ecosystem("Rocky Linux:9"),
            Some(Scheme::Rpm)
        );
        assert_eq!(Scheme::for_osv_ecosystem("PyPI"), Some(Scheme::Pep440));
        assert_eq!(Scheme::for_osv_ecosystem("GIT"), None);
    }

    #[test]
    fn fallback_is_total_on_garbage() {
        assert_eq!(fallback("abc", "abc"), Ordering::Equal);
        assert_eq!(
            Scheme::Pep440.compare("not a version", "1.0"),
            Ordering::Greater
        );
        assert_eq!(
            Scheme::Apk.compare("!!", "1.0"),
            Scheme::Apk.compare("1.0", "!!").reverse()
        );
    }
}
