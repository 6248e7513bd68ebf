//! Node.js: installed `node_modules/**/package.json` and the npm, yarn and pnpm lockfiles.
//!
//! Double counting: each file is reported on its own. A tree holding both a lockfile and
//! `node_modules` yields each package twice with different `found_in` (as Trivy does when it
//! sees both); consumers that want one row per package dedupe by purl. npm's hidden
//! `node_modules/.package-lock.json` is not read, since the package.json files it mirrors are.

mod installed;
mod package_lock;
mod pnpm;
mod yarn;

use crate::Detector;
use serde_json::Value;

pub fn detectors() -> Vec<Box<dyn Detector>> {
    vec![
        Box::new(installed::Installed),
        Box::new(package_lock::PackageLock),
        Box::new(yarn::Yarn),
        Box::new(pnpm::Pnpm),
    ]
}

/// `license` as a string or `{type}`, or the old `licenses: [{type}]` array.
pub fn licences(v: &Value) -> Vec<String> {
    let one = |l: &Value| match l {
        Value::String(s) => Some(s.clone()),
        Value::Object(o) => o.get("type").and_then(Value::as_str).map(str::to_string),
        _ => None,
    };
    if let Some(l) = v.get("license").and_then(one) {
        return vec![l];
    }
    match v.get("licenses") {
        Some(Value::Array(a)) => a.iter().filter_map(one).collect(),
        Some(l) => one(l).into_iter().collect(),
        None => Vec::new(),
    }
}

/// Splits `name@range` where the name may be scoped (`@types/node@^20`).
pub fn split_spec(spec: &str) -> Option<(&str, &str)> {
    let at = spec.get(1..)?.find('@')? + 1;
    Some((&spec[..at], &spec[at + 1..]))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn licence_shapes() {
        assert_eq!(
            licences(&serde_json::json!({"license": "MIT"})),
            vec!["MIT"]
        );
        assert_eq!(
            licences(&serde_json::json!({"license": {"type": "ISC"}})),
            vec!["ISC"]
        );
        assert_eq!(
            licences(&serde_json::json!({"licenses": [{"type": "MIT"}, {"type": "GPL-2.0"}]})),
            vec!["MIT", "GPL-2.0"]
        );
    }

    #[test]
    fn specs() {
        assert_eq!(split_spec("@types/node@^20"), Some(("@types/node", "^20")));
        assert_eq!(
            split_spec("lodash@npm:4.17.21"),
            Some(("lodash", "npm:4.17.21"))
        );
        assert_eq!(split_spec("lodash"), None);
    }
}
