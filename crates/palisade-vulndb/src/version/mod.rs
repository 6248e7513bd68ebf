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

/// Orders two runs of ASCII digits by the numbers they spell, of any length: advisories
/// and packages carry components past `u64` (dates, build stamps, hostile input), and
/// parsing those into a machine integer either fails (the version then matches nothing) or
/// saturates (distinct versions compare equal).
pub(crate) fn cmp_numeric(a: &str, b: &str) -> Ordering {
    let (a, b) = (a.trim_start_matches('0'), b.trim_start_matches('0'));
    a.len().cmp(&b.len()).then_with(|| a.cmp(b))
}

/// A non-negative integer of any length, kept as its digits without leading zeros (zero is
/// empty), ordered numerically: see [`cmp_numeric`].
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub(crate) struct Number(Box<str>);

impl Number {
    /// `digits` must be ASCII digits only.
    pub(crate) fn new(digits: &str) -> Number {
        Number(digits.trim_start_matches('0').into())
    }

    pub(crate) fn is_zero(&self) -> bool {
        self.0.is_empty()
    }
}

impl Ord for Number {
    fn cmp(&self, other: &Self) -> Ordering {
        self.0
            .len()
            .cmp(&other.0.len())
            .then_with(|| self.0.cmp(&other.0))
    }
}

impl PartialOrd for Number {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
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
