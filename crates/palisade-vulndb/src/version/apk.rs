//! Alpine package version ordering after apk-tools (`src/version.c`):
//! `digits{.digits}[letter]{_suffix[number]}[-r#]`.

use std::cmp::Ordering;

/// Pre-release suffixes sort before the bare version, post-release ones after it.
const PRE: [&str; 4] = ["alpha", "beta", "pre", "rc"];
const POST: [&str; 6] = ["cvs", "svn", "git", "hg", "p", ""];

#[derive(Debug, Clone, PartialEq)]
enum Tok<'a> {
    /// The first number (compared numerically) and later ones, which apk compares as
    /// decimal fractions when either starts with `0`.
    Digit(&'a str, bool),
    Letter(u8),
    Suffix(i32),
    /// Digit runs, compared as numbers of any length.
    SuffixNo(&'a str),
    Revision(&'a str),
    End,
}

impl Tok<'_> {
    /// apk's token-type order: when types differ, the earlier type is the newer version.
    fn rank(&self) -> i32 {
        match self {
            Tok::Digit(..) => 1,
            Tok::Letter(_) => 2,
            Tok::Suffix(_) => 3,
            Tok::SuffixNo(_) => 4,
            Tok::Revision(_) => 5,
            Tok::End => 6,
        }
    }
}

fn tokenize(v: &str) -> Option<Vec<Tok<'_>>> {
    let b = v.as_bytes();
    let mut out = Vec::new();
    let digits = |i: usize| {
        let mut e = i;
        while e < b.len() && b[e].is_ascii_digit() {
            e += 1;
        }
        e
    };
    let e = digits(0);
    if e == 0 {
        return None;
    }
    out.push(Tok::Digit(&v[..e], true));
    let mut i = e;
    while i < b.len() && b[i] == b'.' {
        let e = digits(i + 1);
        if e == i + 1 {
            return None;
        }
        out.push(Tok::Digit(&v[i + 1..e], false));
        i = e;
    }
    if i < b.len() && b[i].is_ascii_lowercase() {
        out.push(Tok::Letter(b[i]));
        i += 1;
    }
    while i < b.len() && b[i] == b'_' {
        let s = i + 1;
        let mut e = s;
        while e < b.len() && b[e].is_ascii_lowercase() {
            e += 1;
        }
        let name = &v[s..e];
        let rank = if let Some(p) = PRE.iter().position(|x| *x == name) {
            p as i32 - 10
        } else if let Some(p) = POST.iter().position(|x| *x == name) {
            p as i32 + 1
        } else {
            return None;
        };
        out.push(Tok::Suffix(rank));
        let d = digits(e);
        if d > e {
            out.push(Tok::SuffixNo(&v[e..d]));
        }
        i = d;
    }
    if v[i..].starts_with("-r") {
        let d = digits(i + 2);
        if d == i + 2 {
            return None;
        }
        out.push(Tok::Revision(&v[i + 2..d]));
        i = d;
    }
    if i != b.len() {
        return None;
    }
    out.push(Tok::End);
    Some(out)
}

fn cmp_digits(a: &str, b: &str, first: bool) -> Ordering {
    if !first && (a.starts_with('0') || b.starts_with('0')) {
        return a.cmp(b);
    }
    super::cmp_numeric(a, b)
}

pub fn compare(a: &str, b: &str) -> Ordering {
    let (Some(ta), Some(tb)) = (tokenize(a.trim()), tokenize(b.trim())) else {
        return super::fallback(a, b);
    };
    for (x, y) in ta.iter().zip(tb.iter()) {
        let o = match (x, y) {
            (Tok::Digit(p, f), Tok::Digit(q, _)) => cmp_digits(p, q, *f),
            (Tok::Letter(p), Tok::Letter(q)) => p.cmp(q),
            (Tok::Suffix(p), Tok::Suffix(q)) => p.cmp(q),
            (Tok::SuffixNo(p), Tok::SuffixNo(q)) | (Tok::Revision(p), Tok::Revision(q)) => {
                super::cmp_numeric(p, q)
            }
            (Tok::End, Tok::End) => Ordering::Equal,
            // A pre-release suffix is older than whatever the other side has there.
            (Tok::Suffix(p), _) if *p < 0 => Ordering::Less,
            (_, Tok::Suffix(q)) if *q < 0 => Ordering::Greater,
            _ => y.rank().cmp(&x.rank()),
        };
        if o != Ordering::Equal {
            return o;
        }
    }
    Ordering::Equal
}

#[cfg(test)]
mod tests {
    use super::compare;
    use std::cmp::Ordering::*;

    // Vectors from apk-tools test/version.data.
    #[test]
    fn apk_vectors() {
        let cases = [
            ("1.0", "1.0", Equal),
            ("1.0", "1.0-r1", Less),
            ("1.0-r1", "1.0-r2", Less),
            ("1.0-r10", "1.0-r9", Greater),
            ("1.0_rc1", "1.0", Less),
            ("1.0_alpha", "1.0_beta", Less),
            ("1.0_beta2", "1.0_rc1", Less),
            ("1.0_p1", "1.0", Greater),
            ("1.0_p1", "1.0-r1", Greater),
            ("1.0a", "1.0", Greater),
            ("1.0a", "1.0.1", Less),
            ("1.2.3", "1.2.10", Less),
            ("1.01", "1.1", Less),
            ("3.1.4-r5", "3.1.4_git20230101-r0", Less),
            ("2.36.1-r0", "2.36.1-r1", Less),
            ("1.0_rc1", "1.0_rc1-r1", Less),
        ];
        for (a, b, want) in cases {
            assert_eq!(compare(a, b), want, "{a} vs {b}");
            assert_eq!(compare(b, a), want.reverse(), "{b} vs {a}");
        }
    }
}
