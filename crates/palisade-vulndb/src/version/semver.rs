//! SemVer 2.0 precedence (npm, crates.io, Go modules, NuGet, Hex, Pub), lenient about the
//! input because advisories and lockfiles are: a leading `v`/`=`, fewer or more than three
//! numbers (NuGet has four), build metadata (Go's `+incompatible`) ignored. Go pseudo-versions
//! (`v0.0.0-20191109021931-daa7c04131f5`) are pre-releases and order by their timestamp.

use std::cmp::Ordering;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Flavor {
    Strict,
    /// NuGet: pre-release labels compare case-insensitively.
    NuGet,
}

struct Parsed<'a> {
    /// Digit runs, compared as numbers of any length.
    core: Vec<&'a str>,
    pre: Vec<&'a str>,
}

fn parse(v: &str) -> Option<Parsed<'_>> {
    let v = v.trim().trim_start_matches(['v', 'V', '=']);
    let v = v.split_once('+').map_or(v, |(a, _)| a);
    let (core, pre) = match v.split_once('-') {
        Some((c, p)) => (c, Some(p)),
        None => (v, None),
    };
    let core = core
        .split('.')
        .map(|p| (!p.is_empty() && p.bytes().all(|b| b.is_ascii_digit())).then_some(p))
        .collect::<Option<Vec<_>>>()?;
    Some(Parsed {
        core,
        pre: pre.map(|p| p.split('.').collect()).unwrap_or_default(),
    })
}

fn cmp_ident(a: &str, b: &str, flavor: Flavor) -> Ordering {
    let num = |s: &str| !s.is_empty() && s.bytes().all(|c| c.is_ascii_digit());
    match (num(a), num(b)) {
        (true, true) => super::cmp_numeric(a, b),
        (true, false) => Ordering::Less,
        (false, true) => Ordering::Greater,
        (false, false) if flavor == Flavor::NuGet => {
            a.to_ascii_lowercase().cmp(&b.to_ascii_lowercase())
        }
        (false, false) => a.cmp(b),
    }
}

pub fn compare_with(a: &str, b: &str, flavor: Flavor) -> Ordering {
    let (Some(pa), Some(pb)) = (parse(a), parse(b)) else {
        return super::fallback(a, b);
    };
    let n = pa.core.len().max(pb.core.len());
    for i in 0..n {
        let o = super::cmp_numeric(
            pa.core.get(i).unwrap_or(&"0"),
            pb.core.get(i).unwrap_or(&"0"),
        );
        if o != Ordering::Equal {
            return o;
        }
    }
    match (pa.pre.is_empty(), pb.pre.is_empty()) {
        (true, true) => return Ordering::Equal,
        (true, false) => return Ordering::Greater,
        (false, true) => return Ordering::Less,
        _ => {}
    }
    for (x, y) in pa.pre.iter().zip(pb.pre.iter()) {
        let o = cmp_ident(x, y, flavor);
        if o != Ordering::Equal {
            return o;
        }
    }
    pa.pre.len().cmp(&pb.pre.len())
}

pub fn compare(a: &str, b: &str) -> Ordering {
    compare_with(a, b, Flavor::Strict)
}

/// Go versions as inventories report them: modules `v1.2.3`, the toolchain `go1.21.3`.
pub fn compare_go(a: &str, b: &str) -> Ordering {
    compare(
        a.trim().trim_start_matches("go"),
        b.trim().trim_start_matches("go"),
    )
}

pub fn compare_nuget(a: &str, b: &str) -> Ordering {
    compare_with(a, b, Flavor::NuGet)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::cmp::Ordering::*;

    // The precedence example of semver.org §11, and npm/node-semver's comparison tests.
    #[test]
    fn semver_org_precedence_chain() {
        let chain = [
            "1.0.0-alpha",
            "1.0.0-alpha.1",
            "1.0.0-alpha.beta",
            "1.0.0-beta",
            "1.0.0-beta.2",
            "1.0.0-beta.11",
            "1.0.0-rc.1",
            "1.0.0",
            "2.0.0",
            "2.1.0",
            "2.1.1",
        ];
        for w in chain.windows(2) {
            assert_eq!(compare(w[0], w[1]), Less, "{} < {}", w[0], w[1]);
            assert_eq!(compare(w[1], w[0]), Greater);
        }
    }

    #[test]
    fn lenient_forms() {
        assert_eq!(compare("v1.2.3", "1.2.3"), Equal);
        assert_eq!(compare("1.2.3+build.5", "1.2.3"), Equal);
        assert_eq!(compare("4.17.4", "4.17.11"), Less);
        assert_eq!(compare("1.2", "1.2.0"), Equal);
    }

    #[test]
    fn go_pseudo_versions_and_incompatible() {
        assert_eq!(
            compare_go(
                "v0.0.0-20191109021931-daa7c04131f5",
                "0.0.0-20200220183623-bac4c82f6975"
            ),
            Less
        );
        assert_eq!(
            compare_go("v0.0.0-20200220183623-bac4c82f6975", "0.1.0"),
            Less
        );
        assert_eq!(compare_go("v2.0.0+incompatible", "2.0.0"), Equal);
        assert_eq!(
            compare_go("v1.5.1-0.20200101000000-abcdef123456", "1.5.0"),
            Greater
        );
        assert_eq!(compare_go("go1.21.3", "1.21.10"), Less);
    }

    #[test]
    fn nuget_four_parts_and_case() {
        assert_eq!(compare_nuget("1.0.0.1", "1.0.0"), Greater);
        assert_eq!(compare_nuget("1.0.0-BETA", "1.0.0-beta"), Equal);
        assert_eq!(compare_nuget("4.3.0", "4.3.0.0"), Equal);
    }
}
