//! `semver_compare` as Kyverno runs it with blang/semver v4: strict `Parse` of the version (a
//! version that fails to parse is compared as 0.0.0, Kyverno ignores that error) and blang's
//! `ParseRange` (space = AND, `||` = OR, `x` wildcards expanded textually). The `semver` crate's
//! ranges follow Cargo's rules, so blang's are reimplemented.

use std::cmp::Ordering;

#[derive(Debug, Default, PartialEq)]
struct Version {
    major: u64,
    minor: u64,
    patch: u64,
    pre: Vec<Pre>,
}

#[derive(Debug, PartialEq)]
enum Pre {
    Num(u64),
    Str(String),
}

fn only(s: &str, extra: &str, letters: bool) -> bool {
    s.chars()
        .all(|c| c.is_ascii_digit() || (letters && c.is_ascii_alphabetic()) || extra.contains(c))
}

fn number(s: &str) -> Result<u64, String> {
    if !only(s, "", false) || (s.len() > 1 && s.starts_with('0')) {
        return Err(format!("invalid version number {s:?}"));
    }
    s.parse()
        .map_err(|_| format!("invalid version number {s:?}"))
}

fn parse(s: &str) -> Result<Version, String> {
    let parts: Vec<&str> = s.splitn(3, '.').collect();
    let [major, minor, rest] = parts[..] else {
        return Err(format!("No Major.Minor.Patch elements found in {s:?}"));
    };
    let mut patch = rest;
    let mut build: Option<&str> = None;
    if let Some((p, b)) = patch.split_once('+') {
        patch = p;
        build = Some(b);
    }
    let mut pre_str: Option<&str> = None;
    if let Some((p, pr)) = patch.split_once('-') {
        patch = p;
        pre_str = Some(pr);
    }
    let mut v = Version {
        major: number(major)?,
        minor: number(minor)?,
        patch: number(patch)?,
        pre: vec![],
    };
    for p in pre_str
        .map(|p| p.split('.').collect::<Vec<_>>())
        .unwrap_or_default()
    {
        if p.is_empty() {
            return Err("Prerelease is empty".to_string());
        }
        if only(p, "", false) {
            v.pre.push(Pre::Num(number(p)?));
        } else if only(p, "-", true) {
            v.pre.push(Pre::Str(p.to_string()));
        } else {
            return Err(format!("Invalid character(s) found in prerelease {p:?}"));
        }
    }
    for b in build
        .map(|b| b.split('.').collect::<Vec<_>>())
        .unwrap_or_default()
    {
        if b.is_empty() || !only(b, "-", true) {
            return Err(format!("invalid build metadata {b:?}"));
        }
    }
    Ok(v)
}

fn cmp_versions(a: &Version, b: &Version) -> Ordering {
    let head = (a.major, a.minor, a.patch).cmp(&(b.major, b.minor, b.patch));
    if head != Ordering::Equal {
        return head;
    }
    match (a.pre.is_empty(), b.pre.is_empty()) {
        (true, true) => return Ordering::Equal,
        (true, false) => return Ordering::Greater,
        (false, true) => return Ordering::Less,
        _ => {}
    }
    for (x, y) in a.pre.iter().zip(&b.pre) {
        let c = match (x, y) {
            (Pre::Num(x), Pre::Num(y)) => x.cmp(y),
            (Pre::Num(_), Pre::Str(_)) => Ordering::Less,
            (Pre::Str(_), Pre::Num(_)) => Ordering::Greater,
            (Pre::Str(x), Pre::Str(y)) => x.cmp(y),
        };
        if c != Ordering::Equal {
            return c;
        }
    }
    a.pre.len().cmp(&b.pre.len())
}

/// blang's `splitAndTrim`: split on spaces, except right after `>`, `<` or `=`.
fn split_and_trim(s: &str) -> Vec<String> {
    let b = s.as_bytes();
    let mut out = Vec::new();
    let (mut last, mut last_char) = (0usize, 0u8);
    for i in 0..b.len() {
        if b[i] == b' ' && !b"><=".contains(&last_char) {
            if last + 1 < i {
                out.push(&s[last..i]);
            }
            last = i + 1;
        } else if b[i] != b' ' {
            last_char = b[i];
        }
    }
    if last + 1 < b.len() {
        out.push(&s[last..]);
    }
    out.into_iter().map(|p| p.replace(' ', "")).collect()
}

fn split_comparator(s: &str) -> Result<(String, String), String> {
    let i = s
        .find(|c: char| c.is_ascii_digit())
        .ok_or_else(|| format!("Could not get version from string: {s:?}"))?;
    Ok((s[..i].trim().to_string(), s[i..].to_string()))
}

fn bump(v: &str, idx: usize) -> String {
    let mut parts: Vec<String> = v.split('.').map(str::to_string).collect();
    if let Some(n) = parts.get(idx).and_then(|p| p.parse::<i64>().ok()) {
        parts[idx] = (n + 1).to_string();
        return parts.join(".");
    }
    // Go's Atoi error yields "" (ignored by blang), which then fails to parse.
    String::new()
}

/// blang's `expandWildcardVersion` for one part containing `x`.
fn expand(part: &str, out: &mut Vec<String>) -> Result<(), String> {
    let (op, v) = split_comparator(part)?;
    let nparts = v.split('.').count();
    let wildcard = v.split('.').next_back() == Some("x");
    let kind = if wildcard { nparts } else { 0 };
    let mut flat = v.replacen(".x.x", ".x", 1).replacen(".x", ".0", 1);
    if flat.split('.').count() == 2 {
        flat.push_str(".0");
    }
    let (result_op, increment) = match op.as_str() {
        ">" => (">=", true),
        ">=" => (">=", false),
        "<" => ("<", false),
        "<=" => ("<", true),
        "" | "=" | "==" => {
            out.push(format!(">={flat}"));
            ("<", true)
        }
        "!=" | "!" => {
            out.push(format!("<{flat}"));
            (">=", true)
        }
        _ => ("", false),
    };
    let version = if increment {
        match kind {
            3 => bump(&flat, 1),
            2 => bump(&flat, 0),
            _ => String::new(),
        }
    } else {
        flat
    };
    out.push(format!("{result_op}{version}"));
    Ok(())
}

fn satisfies(op: &str, v: &Version, bound: &Version) -> Result<bool, String> {
    let c = cmp_versions(v, bound);
    Ok(match op {
        "" | "=" | "==" => c == Ordering::Equal,
        "!" | "!=" => c != Ordering::Equal,
        ">" => c == Ordering::Greater,
        ">=" => c != Ordering::Less,
        "<" => c == Ordering::Less,
        "<=" => c != Ordering::Greater,
        _ => return Err(format!("Could not parse comparator {op:?}")),
    })
}

/// `semver_compare(version, range)`.
pub(super) fn compare(version: &str, range: &str) -> Result<bool, String> {
    let v = parse(version).unwrap_or_default();
    let parts = split_and_trim(range);
    let mut groups: Vec<Vec<String>> = vec![vec![]];
    for (i, p) in parts.iter().enumerate() {
        if p == "||" {
            if i == 0 {
                return Err("First element in range is '||'".to_string());
            }
            groups.push(vec![]);
        } else if let Some(g) = groups.last_mut() {
            g.push(p.clone());
        }
    }
    if parts.last().is_some_and(|p| p == "||") {
        return Err("Last element in range is '||'".to_string());
    }
    if parts.is_empty() {
        return Err("empty range".to_string());
    }
    let mut any = false;
    for group in groups {
        let mut expanded = Vec::new();
        for p in group {
            if p.contains('x') {
                expand(&p, &mut expanded)?;
            } else {
                expanded.push(p);
            }
        }
        // Every part is parsed (and may fail) even when the result is already known.
        let mut all = true;
        for p in expanded {
            let (op, vs) = split_comparator(&p)?;
            let bound = parse(&vs).map_err(|e| format!("Could not parse Range {p:?}: {e}"))?;
            all &= satisfies(&op, &v, &bound)?;
        }
        any |= all;
    }
    Ok(any)
}
