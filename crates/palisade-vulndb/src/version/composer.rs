//! Packagist/Composer ordering: Composer normalises versions (`v` prefix, four numeric parts,
//! `-beta2`/`RC`/`patch` suffixes) and compares them with PHP's `version_compare`,
//! where dev < alpha < beta < RC < release < patch (`p`/`pl`).

use std::cmp::Ordering;

fn special(s: &str) -> i32 {
    match s {
        "dev" => 0,
        "alpha" | "a" => 1,
        "beta" | "b" => 2,
        "rc" => 3,
        "#" => 4,
        "pl" | "p" | "patch" => 5,
        _ => -6,
    }
}

fn canonical(v: &str) -> Vec<String> {
    let v = v.trim().to_ascii_lowercase();
    let v = v.strip_prefix('v').unwrap_or(&v).to_string();
    let mut parts: Vec<String> = Vec::new();
    let mut cur = String::new();
    let mut prev: Option<bool> = None;
    for c in v.chars() {
        if matches!(c, '.' | '-' | '_' | '+') {
            if !cur.is_empty() {
                parts.push(std::mem::take(&mut cur));
            }
            prev = None;
            continue;
        }
        let d = c.is_ascii_digit();
        if prev.is_some_and(|p| p != d) && !cur.is_empty() {
            parts.push(std::mem::take(&mut cur));
        }
        prev = Some(d);
        cur.push(c);
    }
    if !cur.is_empty() {
        parts.push(cur);
    }
    // Composer pads the numeric head to four parts: 1.2 == 1.2.0.0.
    let numeric = parts
        .iter()
        .take_while(|p| p.bytes().all(|b| b.is_ascii_digit()))
        .count();
    if numeric < 4 {
        for _ in numeric..4 {
            parts.insert(numeric, "0".to_string());
        }
    }
    parts
}

fn cmp_part(a: &str, b: &str) -> Ordering {
    let da = a.bytes().all(|c| c.is_ascii_digit());
    let db = b.bytes().all(|c| c.is_ascii_digit());
    match (da, db) {
        (true, true) => {
            let (a, b) = (a.trim_start_matches('0'), b.trim_start_matches('0'));
            a.len().cmp(&b.len()).then_with(|| a.cmp(b))
        }
        (true, false) => special("#").cmp(&special(b)),
        (false, true) => special(a).cmp(&special("#")),
        (false, false) => special(a).cmp(&special(b)),
    }
}

pub fn compare(a: &str, b: &str) -> Ordering {
    let (l, r) = (canonical(a), canonical(b));
    for (x, y) in l.iter().zip(r.iter()) {
        let o = cmp_part(x, y);
        if o != Ordering::Equal {
            return o;
        }
    }
    // PHP: a longer version wins if its next part is a number, loses if it is a pre-release.
    match l.len().cmp(&r.len()) {
        Ordering::Equal => Ordering::Equal,
        Ordering::Greater => cmp_part(&l[r.len()], "#").then(Ordering::Greater),
        Ordering::Less => cmp_part("#", &r[l.len()]).then(Ordering::Less),
    }
}

#[cfg(test)]
mod tests {
    use super::compare;
    use std::cmp::Ordering::*;

    // PHP version_compare documentation and composer/semver ComparatorTest cases.
    #[test]
    fn composer_vectors() {
        let cases = [
            ("1.0.0", "1.0", Equal),
            ("v2.3.4", "2.3.4.0", Equal),
            ("1.0.0-dev", "1.0.0-alpha", Less),
            ("1.0.0-alpha2", "1.0.0-beta1", Less),
            ("1.0.0-beta2", "1.0.0-RC1", Less),
            ("1.0.0-RC1", "1.0.0", Less),
            ("1.0.0", "1.0.0-p1", Less),
            ("5.4.29", "5.4.30", Less),
            ("1.25.0", "1.3.0", Greater),
            ("4.1.2", "4.1.2.1", Less),
        ];
        for (a, b, want) in cases {
            assert_eq!(compare(a, b), want, "{a} vs {b}");
            assert_eq!(compare(b, a), want.reverse(), "{b} vs {a}");
        }
    }
}
