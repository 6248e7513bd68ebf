//! PHP: `composer.lock` and Composer's installed list `vendor/composer/installed.json`
//! (a bare array in Composer 1, `{packages, dev-package-names}` in Composer 2).

use crate::lang::common::{err, file_name, json, resolve_by_name, Entry, MAX_TEXT_SIZE};
use crate::{DetectError, Detector, FileRef};
use palisade_core::{Ecosystem, OsInfo, Package, Relationship};
use serde_json::Value;
use std::collections::HashSet;

pub fn detectors() -> Vec<Box<dyn Detector>> {
    vec![Box::new(ComposerLock), Box::new(Installed)]
}

fn entry(v: &Value, rel: Relationship) -> Option<Entry> {
    let name = v.get("name")?.as_str()?.to_ascii_lowercase();
    let version = v.get("version")?.as_str()?.to_string();
    let licenses = match v.get("license") {
        Some(Value::Array(a)) => a
            .iter()
            .filter_map(|l| l.as_str().map(str::to_string))
            .collect(),
        Some(Value::String(s)) => vec![s.clone()],
        _ => Vec::new(),
    };
    // `php`, `ext-*` and `lib-*` are platform requirements, not packages.
    let deps = v
        .get("require")
        .and_then(Value::as_object)
        .map(|m| {
            m.keys()
                .filter(|k| k.contains('/'))
                .map(|k| k.to_ascii_lowercase())
                .collect()
        })
        .unwrap_or_default();
    Some(Entry {
        name,
        version,
        relationship: rel,
        licenses,
        deps,
        purl_name: None,
    })
}

fn entries(
    file: &FileRef<'_>,
    list: Option<&Value>,
    rel: Relationship,
) -> Result<Vec<Entry>, DetectError> {
    match list {
        None | Some(Value::Null) => Ok(Vec::new()),
        Some(Value::Array(a)) => Ok(a.iter().filter_map(|v| entry(v, rel)).collect()),
        Some(_) => Err(err(file, "package list is not an array")),
    }
}

pub struct ComposerLock;

impl Detector for ComposerLock {
    fn name(&self) -> &'static str {
        "composer-lock"
    }

    fn wants(&self, path: &str, size: u64) -> bool {
        size <= MAX_TEXT_SIZE && file_name(path) == "composer.lock"
    }

    fn detect(
        &self,
        file: &FileRef<'_>,
        _os: Option<&OsInfo>,
    ) -> Result<Vec<Package>, DetectError> {
        let v: Value = json(file)?;
        let mut all = entries(file, v.get("packages"), Relationship::Unknown)?;
        all.extend(entries(file, v.get("packages-dev"), Relationship::Dev)?);
        Ok(resolve_by_name(Ecosystem::Composer, file, all))
    }
}

pub struct Installed;

impl Detector for Installed {
    fn name(&self) -> &'static str {
        "composer-installed"
    }

    fn wants(&self, path: &str, size: u64) -> bool {
        size <= MAX_TEXT_SIZE && path.ends_with("vendor/composer/installed.json")
    }

    fn detect(
        &self,
        file: &FileRef<'_>,
        _os: Option<&OsInfo>,
    ) -> Result<Vec<Package>, DetectError> {
        let v: Value = json(file)?;
        // Lowercased like entry names, in a set: one look-up per package.
        let (list, dev_names): (Option<&Value>, HashSet<String>) = match &v {
            Value::Array(_) => (Some(&v), HashSet::new()),
            Value::Object(o) => (
                o.get("packages"),
                o.get("dev-package-names")
                    .and_then(Value::as_array)
                    .map(|a| {
                        a.iter()
                            .filter_map(Value::as_str)
                            .map(str::to_ascii_lowercase)
                            .collect()
                    })
                    .unwrap_or_default(),
            ),
            _ => return Err(err(file, "expected an array or an object")),
        };
        let mut all = entries(file, list, Relationship::Unknown)?;
        for e in &mut all {
            if dev_names.contains(&e.name) {
                e.relationship = Relationship::Dev;
            }
        }
        Ok(resolve_by_name(Ecosystem::Composer, file, all))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lock_and_installed() {
        let lock = r#"{"packages":[{"name":"monolog/monolog","version":"3.5.0","license":["MIT"],"require":{"php":">=8.1","psr/log":"^2.0 || ^3.0"}},{"name":"psr/log","version":"3.0.0"}],"packages-dev":[{"name":"phpunit/phpunit","version":"10.0.0"}]}"#;
        let p = ComposerLock
            .detect(
                &FileRef {
                    path: "composer.lock",
                    content: lock.as_bytes(),
                    layer: None,
                },
                None,
            )
            .unwrap();
        assert_eq!(p[0].purl, "pkg:composer/monolog/monolog@3.5.0");
        assert_eq!(p[0].depends_on, vec!["pkg:composer/psr/log@3.0.0"]);
        assert_eq!(p[2].relationship, Relationship::Dev);
        let inst = r#"{"packages":[{"name":"psr/log","version":"3.0.0"}],"dev":true,"dev-package-names":["psr/log"]}"#;
        let f = FileRef {
            path: "app/vendor/composer/installed.json",
            content: inst.as_bytes(),
            layer: None,
        };
        assert_eq!(
            Installed.detect(&f, None).unwrap()[0].relationship,
            Relationship::Dev
        );
        let bad = FileRef {
            path: "composer.lock",
            content: br#"{"packages":{}}"#,
            layer: None,
        };
        assert!(ComposerLock.detect(&bad, None).is_err());
    }
}
