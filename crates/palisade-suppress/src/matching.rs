use palisade_core::{canonical_rule_id, Finding};

/// Every ID a finding answers to, upper-cased: its own, an advisory's aliases, and the
/// foreign IDs of equivalent checks (so `DL3008` silences the rule that answers to it).
pub(crate) fn finding_ids(f: &Finding) -> Vec<String> {
    let mut ids = vec![f.rule_id.to_ascii_uppercase()];
    if let Some(v) = &f.vulnerability {
        // The advisory's own ID answers too when the finding shows its CVE.
        ids.extend(v.source_id.iter().map(|a| a.to_ascii_uppercase()));
        ids.extend(v.aliases.iter().map(|a| a.to_ascii_uppercase()));
    }
    ids.extend(
        f.related
            .iter()
            .map(|r| canonical_rule_id(r).to_ascii_uppercase()),
    );
    ids
}

/// Whether `id` names the finding: its rule or advisory ID, an alias, or a related foreign ID.
pub fn id_matches(f: &Finding, id: &str) -> bool {
    let id = canonical_rule_id(id).to_ascii_uppercase();
    finding_ids(f).contains(&id)
}

fn purl_core(p: &str) -> &str {
    let p = p.split('#').next().unwrap_or(p);
    p.split('?').next().unwrap_or(p)
}

/// A purl without a version matches every version of the package.
pub(crate) fn purl_matches(f: &Finding, pattern: &str) -> bool {
    let pat = purl_core(pattern.trim());
    let candidates = [
        f.location.purl.as_deref(),
        f.vulnerability.as_ref().and_then(|v| v.purl.as_deref()),
    ];
    candidates.into_iter().flatten().any(|p| {
        let p = purl_core(p);
        if pat.contains('@') {
            p.eq_ignore_ascii_case(pat)
        } else {
            let name = p.split('@').next().unwrap_or(p);
            name.eq_ignore_ascii_case(pat)
        }
    })
}

/// `*` matches any run of characters; a pattern ending in `/` matches everything below it.
pub(crate) fn glob(pattern: &str, text: &str) -> bool {
    let pattern = pattern.trim().trim_start_matches("./");
    let text = text.trim_start_matches("./");
    if let Some(dir) = pattern.strip_suffix('/') {
        return text.starts_with(&format!("{dir}/"))
            || text
                .trim_start_matches('/')
                .starts_with(&format!("{}/", dir.trim_start_matches('/')));
    }
    let (p, t): (Vec<char>, Vec<char>) = (pattern.chars().collect(), text.chars().collect());
    let (mut pi, mut ti) = (0, 0);
    let (mut star, mut mark) = (None, 0);
    while ti < t.len() {
        if pi < p.len() && p[pi] != '*' && p[pi] == t[ti] {
            pi += 1;
            ti += 1;
        } else if pi < p.len() && p[pi] == '*' {
            star = Some(pi);
            mark = ti;
            pi += 1;
        } else if let Some(s) = star {
            pi = s + 1;
            mark += 1;
            ti = mark;
        } else {
            return false;
        }
    }
    while pi < p.len() && p[pi] == '*' {
        pi += 1;
    }
    pi == p.len()
}

pub(crate) fn path_matches(f: &Finding, pattern: &str) -> bool {
    f.location.path.as_deref().is_some_and(|p| {
        glob(pattern, p) || glob(pattern.trim_start_matches('/'), p.trim_start_matches('/'))
    })
}

#[cfg(test)]
mod tests {
    use super::glob;

    #[test]
    fn globs() {
        assert!(glob("app/*.lock", "app/Cargo.lock"));
        assert!(glob("vendor/", "vendor/a/b.json"));
        assert!(glob("*", "anything"));
        assert!(!glob("app/*.lock", "lib/Cargo.lock"));
        assert!(
            glob("/usr/lib/python3/*", "usr/lib/python3/x")
                || glob("usr/lib/python3/*", "usr/lib/python3/x")
        );
    }
}
