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

use palisade_core::VersionScheme;
use std::cmp::Ordering;

/// Orders two versions by `scheme`: the comparison behind every [`VersionScheme`].
pub fn compare(scheme: VersionScheme, a: &str, b: &str) -> Ordering {
    match scheme {
        VersionScheme::Dpkg => dpkg::compare(a, b),
        VersionScheme::Apk => apk::compare(a, b),
        VersionScheme::Rpm => rpm::compare(a, b),
        VersionScheme::SemVer => semver::compare(a, b),
        VersionScheme::Go => semver::compare_go(a, b),
        VersionScheme::Pep440 => pep440::compare(a, b),
        VersionScheme::Maven => maven::compare(a, b),
        VersionScheme::RubyGems => gem::compare(a, b),
        VersionScheme::NuGet => semver::compare_nuget(a, b),
        VersionScheme::Composer => composer::compare(a, b),
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
    fn fallback_is_total_on_garbage() {
        assert_eq!(fallback("abc", "abc"), Ordering::Equal);
        assert_eq!(
            compare(VersionScheme::Pep440, "not a version", "1.0"),
            Ordering::Greater
        );
        assert_eq!(
            compare(VersionScheme::Apk, "!!", "1.0"),
            compare(VersionScheme::Apk, "1.0", "!!").reverse()
        );
    }
}
