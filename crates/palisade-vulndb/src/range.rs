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
///
/// One pass over the events, each compared with the version once or twice: the version is
/// affected when some `introduced` at or below it is above every closing event (`fixed`
/// at or below it, `last_affected` below it); an introduced `0` needs no closing event at
/// all. Advisories with tens of thousands of events made the old pairwise walk quadratic.
fn in_range<'a>(range: &'a Range, scheme: VersionScheme, version: &str) -> Option<Vec<String>> {
    let cmp = |a: &str, b: &str| compare(scheme, a, b);
    let mut has_limit = false;
    let mut under_limit = false;
    // The greatest closing event at or below the version, and the introduced events at or
    // below it (zero ones apart: they are below everything).
    let mut top_close: Option<&'a str> = None;
    let mut zero_introduced = false;
    let mut introduced: Vec<&'a str> = Vec::new();
    // Fixed versions above the installed one, for the verdict.
    let mut fixed_above: Vec<&'a str> = Vec::new();
    for e in &range.events {
        if let Some(l) = e.limit.as_deref() {
            has_limit = true;
            under_limit = under_limit || l.trim() == "*" || cmp(version, l) == Ordering::Less;
        }
        let mut close = |c: &'a str| {
            let above = match top_close {
                None => true,
                Some(t) => cmp(c, t) == Ordering::Greater,
            };
            if above {
                top_close = Some(c);
            }
        };
        if let Some(f) = e.fixed.as_deref().filter(|f| !is_zero(f)) {
            if cmp(version, f) == Ordering::Less {
                fixed_above.push(f);
            } else {
                close(f);
            }
        }
        if let Some(l) = e.last_affected.as_deref() {
            if cmp(version, l) == Ordering::Greater {
                close(l);
            }
        }
        match e.introduced.as_deref() {
            Some(i) if is_zero(i) => zero_introduced = true,
            Some(i) if cmp(version, i) != Ordering::Less => introduced.push(i),
            _ => {}
        }
    }
    if has_limit && !under_limit {
        return None;
    }
    let hit = match top_close {
        None => zero_introduced || !introduced.is_empty(),
        Some(c) => introduced.iter().any(|i| cmp(c, i) == Ordering::Less),
    };
    if !hit {
        return None;
    }
    Some(fixed_above.into_iter().map(str::to_string).collect())
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
