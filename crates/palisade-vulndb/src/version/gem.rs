//! RubyGems `Gem::Version#<=>`: segments of digits or letters; any letter makes a
//! pre-release, which sorts before the release; trailing zeros do not count.

use std::cmp::Ordering;

#[derive(Debug, PartialEq)]
enum Seg {
    Num(super::Number),
    Str(String),
}

fn canonical(v: &str) -> Vec<Seg> {
    let v = v.trim();
    let mut segs = Vec::new();
    let mut cur = String::new();
    let mut cur_digit = false;
    let flush = |cur: &mut String, digit: bool, segs: &mut Vec<Seg>| {
        if !cur.is_empty() {
            segs.push(if digit {
                Seg::Num(super::Number::new(cur))
            } else {
                Seg::Str(std::mem::take(cur))
            });
            cur.clear();
        }
    };
    for c in v.chars() {
        if c.is_ascii_digit() || c.is_ascii_alphabetic() {
            let d = c.is_ascii_digit();
            if !cur.is_empty() && d != cur_digit {
                flush(&mut cur, cur_digit, &mut segs);
            }
            cur_digit = d;
            cur.push(c);
        } else {
            flush(&mut cur, cur_digit, &mut segs);
        }
    }
    flush(&mut cur, cur_digit, &mut segs);
    // Trailing zeros of the release part and of the pre-release part are insignificant.
    let split = segs
        .iter()
        .position(|s| matches!(s, Seg::Str(_)))
        .unwrap_or(segs.len());
    let mut pre = segs.split_off(split);
    while matches!(segs.last(), Some(Seg::Num(n)) if n.is_zero()) {
        segs.pop();
    }
    while matches!(pre.last(), Some(Seg::Num(n)) if n.is_zero()) {
        pre.pop();
    }
    segs.extend(pre);
    segs
}

pub fn compare(a: &str, b: &str) -> Ordering {
    let (l, r) = (canonical(a), canonical(b));
    let n = l.len().max(r.len());
    for i in 0..n {
        let o = match (l.get(i), r.get(i)) {
            (Some(Seg::Num(x)), Some(Seg::Num(y))) => x.cmp(y),
            (Some(Seg::Str(x)), Some(Seg::Str(y))) => x.cmp(y),
            (Some(Seg::Str(_)), Some(Seg::Num(_))) => Ordering::Less,
            (Some(Seg::Num(_)), Some(Seg::Str(_))) => Ordering::Greater,
            (Some(Seg::Num(x)), None) => x.cmp(&super::Number::default()),
            (None, Some(Seg::Num(y))) => super::Number::default().cmp(y),
            (Some(Seg::Str(_)), None) => Ordering::Less,
            (None, Some(Seg::Str(_))) => Ordering::Greater,
            (None, None) => Ordering::Equal,
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

    // Cases from rubygems test/rubygems/test_gem_version.rb (test_spaceship, test_prerelease).
    #[test]
    fn gem_vectors() {
        let cases = [
            ("1.0", "1.0.0", Equal),
            ("1.0", "1.0.a", Greater),
            ("1.8.2", "0.0.0", Greater),
            ("1.8.2", "1.8.2.a", Greater),
            ("1.8.2.b", "1.8.2.a", Greater),
            ("1.8.2.a10", "1.8.2.a9", Greater),
            ("5.a", "5.0.0.rc2", Less),
            ("5.x", "5.0.0.rc2", Greater),
            ("1.0.0.pre", "1.0.0", Less),
            ("6.0.3.4", "6.0.3.5", Less),
            ("2.2.2", "2.2.10", Less),
            ("1.9.3", "1.10.0.rc1", Less),
        ];
        for (a, b, want) in cases {
            assert_eq!(compare(a, b), want, "{a} vs {b}");
            assert_eq!(compare(b, a), want.reverse(), "{b} vs {a}");
        }
    }
}
