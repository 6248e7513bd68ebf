//! Maven's `ComparableVersion` (maven-artifact 3.x): items split on `.`, `-` and
//! digit/letter transitions; qualifiers alpha < beta < milestone < rc < snapshot < release < sp,
//! unknown qualifiers after `sp` in lexical order; trailing zero/release items dropped.

use std::cmp::Ordering;

#[derive(Debug, Clone)]
enum Item {
    Int(super::Number),
    Str(String),
    List(Vec<Item>),
}

const QUALIFIERS: [&str; 7] = ["alpha", "beta", "milestone", "rc", "snapshot", "", "sp"];
const RELEASE_INDEX: usize = 5;

fn qualifier_key(q: &str) -> String {
    match QUALIFIERS.iter().position(|x| *x == q) {
        Some(i) => i.to_string(),
        None => format!("{}-{}", QUALIFIERS.len(), q),
    }
}

fn string_item(s: &str, followed_by_digit: bool) -> Item {
    let s = if followed_by_digit && s.len() == 1 {
        match s {
            "a" => "alpha",
            "b" => "beta",
            "m" => "milestone",
            other => other,
        }
    } else {
        s
    };
    let s = match s {
        "ga" | "final" | "release" => "",
        "cr" => "rc",
        other => other,
    };
    Item::Str(s.to_string())
}

fn parse_item(s: &str, is_digit: bool, followed_by_digit: bool) -> Item {
    if is_digit {
        Item::Int(super::Number::new(s))
    } else {
        string_item(s, followed_by_digit)
    }
}

fn is_null(item: &Item) -> bool {
    match item {
        Item::Int(n) => n.is_zero(),
        Item::Str(s) => s.is_empty(),
        Item::List(l) => l.is_empty(),
    }
}

fn normalize(list: &mut Vec<Item>) {
    // Maven walks back over trailing lists too, dropping null items in front of them.
    let mut i = list.len();
    while i > 0 {
        i -= 1;
        if is_null(&list[i]) {
            list.remove(i);
        } else if !matches!(list[i], Item::List(_)) {
            break;
        }
    }
}

fn parse(version: &str) -> Vec<Item> {
    let v = version.trim().to_ascii_lowercase();
    // A stack of open lists; each `-` or digit/letter transition opens a sub-list.
    let mut stack: Vec<Vec<Item>> = vec![Vec::new()];
    let chars: Vec<char> = v.chars().collect();
    let mut is_digit = false;
    let mut start = 0;
    let push = |stack: &mut Vec<Vec<Item>>, item: Item| {
        if let Some(top) = stack.last_mut() {
            top.push(item);
        }
    };
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let tok: String = chars[start..i].iter().collect();
        if c == '.' {
            if i == start {
                push(&mut stack, Item::Int(super::Number::default()));
            } else {
                push(&mut stack, parse_item(&tok, is_digit, false));
            }
            start = i + 1;
        } else if c == '-' {
            if i == start {
                push(&mut stack, Item::Int(super::Number::default()));
            } else {
                push(&mut stack, parse_item(&tok, is_digit, false));
            }
            start = i + 1;
            stack.push(Vec::new());
        } else if c.is_ascii_digit() {
            if !is_digit && i > start {
                push(&mut stack, string_item(&tok, true));
                start = i;
                stack.push(Vec::new());
            }
            is_digit = true;
        } else {
            if is_digit && i > start {
                push(&mut stack, parse_item(&tok, true, false));
                start = i;
                stack.push(Vec::new());
            }
            is_digit = false;
        }
        i += 1;
    }
    if chars.len() > start {
        let tok: String = chars[start..].iter().collect();
        // Maven treats a trailing `.X` like `-X` for a string qualifier X (1.0.0.X1 < 1.0.0-X2).
        if !is_digit && stack.last().is_some_and(|l| !l.is_empty()) {
            stack.push(Vec::new());
        }
        push(&mut stack, parse_item(&tok, is_digit, false));
    }
    // Close the lists from the innermost out, normalising each as Maven does.
    while stack.len() > 1 {
        let mut inner = stack.pop().unwrap_or_default();
        normalize(&mut inner);
        push(&mut stack, Item::List(inner));
    }
    let mut root = stack.pop().unwrap_or_default();
    normalize(&mut root);
    root
}

fn cmp_item(a: &Item, b: Option<&Item>) -> Ordering {
    match (a, b) {
        (Item::Int(x), None) => {
            if x.is_zero() {
                Ordering::Equal
            } else {
                Ordering::Greater
            }
        }
        (Item::Int(x), Some(Item::Int(y))) => x.cmp(y),
        (Item::Int(_), Some(_)) => Ordering::Greater,
        (Item::Str(s), None) => qualifier_key(s).cmp(&RELEASE_INDEX.to_string()),
        (Item::Str(_), Some(Item::Int(_))) => Ordering::Less,
        (Item::Str(s), Some(Item::Str(t))) => qualifier_key(s).cmp(&qualifier_key(t)),
        (Item::Str(_), Some(Item::List(_))) => Ordering::Less,
        (Item::List(l), None) => l.first().map_or(Ordering::Equal, |f| cmp_item(f, None)),
        (Item::List(_), Some(Item::Int(_))) => Ordering::Less,
        (Item::List(_), Some(Item::Str(_))) => Ordering::Greater,
        (Item::List(l), Some(Item::List(r))) => cmp_lists(l, r),
    }
}

fn cmp_lists(l: &[Item], r: &[Item]) -> Ordering {
    let n = l.len().max(r.len());
    for i in 0..n {
        let o = match (l.get(i), r.get(i)) {
            (None, None) => Ordering::Equal,
            (None, Some(y)) => cmp_item(y, None).reverse(),
            (Some(x), y) => cmp_item(x, y),
        };
        if o != Ordering::Equal {
            return o;
        }
    }
    Ordering::Equal
}

pub fn compare(a: &str, b: &str) -> Ordering {
    cmp_lists(&parse(a), &parse(b))
}

#[cfg(test)]
mod tests {
    use super::compare;
    use std::cmp::Ordering::*;

    // Orderings from maven-artifact's ComparableVersionTest (VERSIONS_QUALIFIER, VERSIONS_NUMBER).
    #[test]
    fn qualifier_chain() {
        let chain = [
            "1-alpha2snapshot",
            "1-alpha2",
            "1-alpha-123",
            "1-beta-2",
            "1-beta123",
            "1-m2",
            "1-m11",
            "1-rc",
            "1-cr2",
            "1-rc123",
            "1-SNAPSHOT",
            "1",
            "1-sp",
            "1-sp2",
            "1-sp123",
            "1-abc",
            "1-def",
            "1-pom-1",
            "1-1-snapshot",
            "1-1",
            "1-2",
            "1-123",
        ];
        for w in chain.windows(2) {
            assert_eq!(compare(w[0], w[1]), Less, "{} < {}", w[0], w[1]);
            assert_eq!(compare(w[1], w[0]), Greater, "{} > {}", w[1], w[0]);
        }
    }

    #[test]
    fn number_chain_and_equalities() {
        let chain = [
            "2.0", "2.0.a", "2-1", "2.0.2", "2.0.123", "2.1.0", "2.1-a", "2.1b", "2.1-c", "2.1-1",
            "2.1.0.1", "2.2", "2.123", "11.a2", "11.a11", "11.b2", "11.b11", "11.m2", "11.m11",
            "11", "11.a", "11b", "11c", "11m",
        ];
        for w in chain.windows(2) {
            assert_eq!(compare(w[0], w[1]), Less, "{} < {}", w[0], w[1]);
        }
        for (a, b) in [
            ("1", "1.0.0"),
            ("1-ga", "1"),
            ("1-final", "1"),
            ("1.0-RELEASE", "1"),
            ("1-cr1", "1-rc1"),
            ("1a1", "1-alpha-1"),
            ("1x", "1-x"),
        ] {
            assert_eq!(compare(a, b), Equal, "{a} == {b}");
        }
        assert_eq!(compare("2.9.10.7", "2.9.10.8"), Less);
        assert_eq!(compare("2.12.6.1", "2.12.7"), Less);
    }
}
