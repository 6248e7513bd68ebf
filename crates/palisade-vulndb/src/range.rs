//! Is a version inside an OSV `affected` entry? ECOSYSTEM and SEMVER ranges with
//! `introduced`/`fixed`/`last_affected`/`limit` events, plus the explicit `versions` list.
//! GIT ranges name commits, which a package version cannot be placed against.

use crate::osv::{Affected, Range};
use crate::version::compare;
use palisade_core::VersionScheme;
use std::cmp::Ordering;

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Verdict {
    pub affected: bool,
    /// Fixed versions newer than the installed one, from the ranges that matched.
    pub fixed: Vec<String>,
}

fn is_zero(v: &str) -> bool {
    v.trim() == "0"
}

/// Events are evaluated as intervals rather than by sorting them: a comparator that a
/// malformed advisory drives into inconsistency must not be able to break a sort.
fn in_range(range: &Range, scheme: VersionScheme, version: &str) -> Option<Vec<String>> {
    let cmp = |a: &str, b: &str| compare(scheme, a, b);
    let limits: Vec<&str> = range
        .events
        .iter()
        .filter_map(|e| e.limit.as_deref())
        .collect();
    if !limits.is_empty()
        && !limits
            .iter()
            .any(|l| l.trim() == "*" || cmp(version, l) == Ordering::Less)
    {
        return None;
    }
    let closes_between = |intro: &str| {
        range.events.iter().any(|e| {
            let after_intro = |x: &str| is_zero(intro) || cmp(x, intro) != Ordering::Less;
            if let Some(f) = e.fixed.as_deref() {
                // fixed in (introduced, version]
                if after_intro(f) && cmp(version, f) != Ordering::Less && !is_zero(f) {
                    return true;
                }
            }
            if let Some(l) = e.last_affected.as_deref() {
                // last_affected in [introduced, version)
                if after_intro(l) && cmp(version, l) == Ordering::Greater {
                    return true;
                }
            }
            false
        })
    };
    let hit = range.events.iter().any(|e| match e.introduced.as_deref() {
        Some(i) => (is_zero(i) || cmp(version, i) != Ordering::Less) && !closes_between(i),
        None => false,
    });
    if !hit {
        return None;
    }
    Some(
        range
            .events
            .iter()
            .filter_map(|e| e.fixed.as_deref())
            .filter(|f| !is_zero(f) && cmp(f, version) == Ordering::Greater)
            .map(str::to_string)
            .collect(),
    )
}

/// A version without trailing `.0` parts or a leading `v`, for cheap candidate filtering.
fn loose(v: &str) -> &str {
    let mut v = v.trim().trim_start_matches(['v', 'V']);
    while let Some(stripped) = v.strip_suffix(".0") {
        v = stripped;
    }
    v
}

/// `ecosystem_scheme` orders ECOSYSTEM ranges; SEMVER ranges always use SemVer
/// (Go's flavour for Go, whose versions carry a `v`).
pub fn evaluate(
    entry: &Affected,
    ecosystem_scheme: Option<VersionScheme>,
    version: &str,
) -> Verdict {
    let mut verdict = Verdict::default();
    for range in &entry.ranges {
        let scheme = match range.kind.as_str() {
            "SEMVER" if ecosystem_scheme == Some(VersionScheme::Go) => VersionScheme::Go,
            "SEMVER" => VersionScheme::SemVer,
            "ECOSYSTEM" => match ecosystem_scheme {
                Some(s) => s,
                None => continue,
            },
            _ => continue,
        };
        if let Some(fixed) = in_range(range, scheme, version) {
            verdict.affected = true;
            for f in fixed {
                if !verdict.fixed.contains(&f) {
                    verdict.fixed.push(f);
                }
            }
        }
    }
    if !verdict.affected && !entry.versions.is_empty() {
        // Lists run to hundreds of versions: compare strings first, and run the scheme only
        // on candidates that can be equal (`3.2` and `3.2.0`), never on the whole list.
        let want = loose(version);
        verdict.affected = entry.versions.iter().any(|v| {
            v == version
                || (loose(v).eq_ignore_ascii_case(want)
                    && ecosystem_scheme.is_some_and(|s| compare(s, v, version) == Ordering::Equal))
        });
    }
    verdict
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::osv::{Affected, Event, Range};

    fn ev(kind: &str, v: &str) -> Event {
        let mut e = Event::default();
        let v = Some(v.to_string());
        match kind {
            "i" => e.introduced = v,
            "f" => e.fixed = v,
            "l" => e.last_affected = v,
            _ => e.limit = v,
        }
        e
    }

    fn entry(kind: &str, events: Vec<Event>) -> Affected {
        Affected {
            ranges: vec![Range {
                kind: kind.into(),
                events,
            }],
            ..Default::default()
        }
    }

    #[test]
    fn introduced_fixed_pairs() {
        let a = entry(
            "ECOSYSTEM",
            vec![
                ev("i", "0"),
                ev("f", "1.2"),
                ev("i", "2.0"),
                ev("f", "2.3.1"),
            ],
        );
        let s = Some(VersionScheme::Pep440);
        assert!(evaluate(&a, s, "1.1").affected);
        assert!(!evaluate(&a, s, "1.2").affected);
        assert!(!evaluate(&a, s, "1.9").affected);
        let v = evaluate(&a, s, "2.3.0");
        assert!(v.affected);
        assert_eq!(v.fixed, vec!["2.3.1"]);
        assert!(!evaluate(&a, s, "2.3.1").affected);
    }

    #[test]
    fn last_affected_and_limit() {
        let a = entry("SEMVER", vec![ev("i", "1.0.0"), ev("l", "1.4.2")]);
        assert!(evaluate(&a, None, "1.4.2").affected);
        assert!(!evaluate(&a, None, "1.4.3").affected);
        assert!(!evaluate(&a, None, "0.9.0").affected);
        let b = entry("SEMVER", vec![ev("i", "0"), ev("lim", "2.0.0")]);
        assert!(evaluate(&b, None, "1.9.9").affected);
        assert!(!evaluate(&b, None, "2.0.0").affected);
        assert_eq!(evaluate(&b, None, "1.0.0").fixed, Vec::<String>::new());
    }

    #[test]
    fn explicit_versions_and_git_ranges() {
        let mut a = entry("GIT", vec![ev("i", "0"), ev("f", "abcdef")]);
        a.versions = vec!["1.0".into(), "1.1".into()];
        assert!(evaluate(&a, Some(VersionScheme::Pep440), "1.1").affected);
        assert!(evaluate(&a, Some(VersionScheme::Pep440), "1.1.0").affected);
        assert!(!evaluate(&a, Some(VersionScheme::Pep440), "1.2").affected);
    }

    #[test]
    fn ecosystem_range_without_a_scheme_is_skipped() {
        let a = entry("ECOSYSTEM", vec![ev("i", "0")]);
        assert!(!evaluate(&a, None, "1.0").affected);
    }

    #[test]
    fn dpkg_fixed_in_security_update() {
        let a = entry("ECOSYSTEM", vec![ev("i", "0"), ev("f", "2.36-9+deb12u4")]);
        let s = Some(VersionScheme::Dpkg);
        assert!(evaluate(&a, s, "2.36-9+deb12u3").affected);
        assert!(!evaluate(&a, s, "2.36-9+deb12u4").affected);
        assert!(!evaluate(&a, s, "2.36-9+deb12u10").affected);
    }
}
