//! Installed distributions: `*.dist-info/METADATA`, `*.egg-info/PKG-INFO` (or a bare
//! `*.egg-info` file) and zipped `.egg` files. `Requires-Dist` names ranges, and the
//! installed versions live in other files this detector does not see, so the names go into
//! `declared_deps` and [`crate::link_installed`] resolves them against the same environment.

use crate::lang::common::{err, MAX_TEXT_SIZE};
use crate::{DetectError, Detector, FileRef};
use palisade_core::{OsInfo, Package};
use std::io::Read;

pub struct Installed;

/// Eggs are zips; past this size something else is going on.
const MAX_EGG_SIZE: u64 = 64 * 1024 * 1024;
const MAX_PKG_INFO: u64 = 4 * 1024 * 1024;

impl Detector for Installed {
    fn name(&self) -> &'static str {
        "python-installed"
    }

    fn wants(&self, path: &str, size: u64) -> bool {
        if path.ends_with(".egg") {
            return size <= MAX_EGG_SIZE;
        }
        size <= MAX_TEXT_SIZE
            && (path.ends_with(".dist-info/METADATA")
                || path.ends_with(".egg-info/PKG-INFO")
                || path.ends_with("EGG-INFO/PKG-INFO")
                || path.ends_with(".egg-info"))
    }

    fn detect(
        &self,
        file: &FileRef<'_>,
        _os: Option<&OsInfo>,
    ) -> Result<Vec<Package>, DetectError> {
        if file.path.ends_with(".egg") {
            let meta = egg_pkg_info(file)?;
            return parse(file, &meta).map(|p| p.into_iter().collect());
        }
        let text = String::from_utf8_lossy(file.content);
        parse(file, &text).map(|p| p.into_iter().collect())
    }
}

fn egg_pkg_info(file: &FileRef<'_>) -> Result<String, DetectError> {
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(file.content))
        .map_err(|e| err(file, format!("invalid egg archive: {e}")))?;
    let mut entry = zip
        .by_name("EGG-INFO/PKG-INFO")
        .map_err(|e| err(file, format!("egg has no EGG-INFO/PKG-INFO: {e}")))?;
    let mut buf = Vec::new();
    (&mut entry)
        .take(MAX_PKG_INFO)
        .read_to_end(&mut buf)
        .map_err(|e| err(file, format!("cannot read EGG-INFO/PKG-INFO: {e}")))?;
    Ok(String::from_utf8_lossy(&buf).into_owned())
}

/// Core metadata headers (RFC 822 style) up to the first blank line.
fn headers(text: &str) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = Vec::new();
    for line in text.lines() {
        if line.trim().is_empty() {
            break;
        }
        if line.starts_with([' ', '\t']) {
            if let Some(last) = out.last_mut() {
                last.1.push('\n');
                last.1.push_str(line.trim());
            }
            continue;
        }
        if let Some((k, v)) = line.split_once(':') {
            out.push((k.trim().to_ascii_lowercase(), v.trim().to_string()));
        }
    }
    out
}

fn parse(file: &FileRef<'_>, text: &str) -> Result<Option<Package>, DetectError> {
    let h = headers(text);
    let get = |k: &str| h.iter().find(|(key, _)| key == k).map(|(_, v)| v.as_str());
    let name = get("name")
        .filter(|n| !n.is_empty())
        .ok_or_else(|| err(file, "metadata has no Name"))?;
    let version = get("version")
        .filter(|v| !v.is_empty())
        .ok_or_else(|| err(file, "metadata has no Version"))?;
    let mut p = super::package(name, version, file);
    p.licenses = licences(&h);
    p.declared_deps = h
        .iter()
        .filter(|(k, _)| k == "requires-dist")
        .filter_map(|(_, req)| runtime_requirement(req))
        .collect();
    if let Some(author) = get("maintainer")
        .or(get("author"))
        .filter(|a| !a.is_empty())
    {
        p.maintainer = Some(author.to_string());
    }
    Ok(Some(p))
}

/// The name a `Requires-Dist` needs at run time; requirements behind an extra are optional
/// and left out (platform markers are kept: linking drops what is not installed).
fn runtime_requirement(req: &str) -> Option<String> {
    let (spec, marker) = req.split_once(';').unwrap_or((req, ""));
    let in_extra = marker
        .split(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .any(|w| w == "extra");
    if in_extra {
        return None;
    }
    super::requirement_name(spec.trim())
}

/// `License-Expression` (metadata 2.4) wins; then a short `License` field; then classifiers.
fn licences(h: &[(String, String)]) -> Vec<String> {
    if let Some((_, v)) = h
        .iter()
        .find(|(k, v)| k == "license-expression" && !v.is_empty())
    {
        return vec![v.clone()];
    }
    if let Some((_, v)) = h.iter().find(|(k, _)| k == "license") {
        let v = v.trim();
        // Some projects paste the whole licence text into this field.
        if !v.is_empty()
            && !v.eq_ignore_ascii_case("UNKNOWN")
            && !v.contains('\n')
            && v.len() <= 100
        {
            return vec![v.to_string()];
        }
    }
    h.iter()
        .filter(|(k, v)| k == "classifier" && v.starts_with("License ::"))
        .filter_map(|(_, v)| v.rsplit("::").next().map(|s| classifier_spdx(s.trim())))
        .filter(|s| !s.is_empty() && s != "OSI Approved")
        .collect()
}

fn classifier_spdx(c: &str) -> String {
    match c {
        "MIT License" => "MIT",
        "Apache Software License" => "Apache-2.0",
        "ISC License (ISCL)" => "ISC",
        "Mozilla Public License 2.0 (MPL 2.0)" => "MPL-2.0",
        "Python Software Foundation License" => "PSF-2.0",
        "GNU General Public License v3 (GPLv3)" => "GPL-3.0-only",
        "GNU Lesser General Public License v3 (LGPLv3)" => "LGPL-3.0-only",
        other => other,
    }
    .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(path: &str, body: &str) -> Result<Vec<Package>, DetectError> {
        Installed.detect(
            &FileRef {
                path,
                content: body.as_bytes(),
                layer: None,
            },
            None,
        )
    }

    #[test]
    fn metadata_with_classifier_licence() {
        let body = "Metadata-Version: 2.1\nName: PyYAML\nVersion: 5.3\nLicense: MIT\nClassifier: License :: OSI Approved :: MIT License\n\nbody";
        let p = run(
            "usr/lib/python3/site-packages/PyYAML-5.3.dist-info/METADATA",
            body,
        )
        .unwrap();
        assert_eq!(p[0].purl, "pkg:pypi/pyyaml@5.3");
        assert_eq!(p[0].licenses, vec!["MIT"]);
        assert_eq!(
            p[0].found_in,
            "usr/lib/python3/site-packages/PyYAML-5.3.dist-info/METADATA"
        );
    }

    #[test]
    fn requires_dist_without_extras() {
        let body = "Name: requests\nVersion: 2.31.0\nRequires-Dist: charset_normalizer (<4,>=2)\nRequires-Dist: idna<4,>=2.5\nRequires-Dist: PySocks!=1.5.7,>=1.5.6 ; extra == 'socks'\nRequires-Dist: win-inet-pton; sys_platform == \"win32\" and python_version == \"2.7\"\nRequires-Dist: chardet<6,>=3.0.2; extra==\"use_chardet_on_py3\"\n";
        let p = run("sp/requests-2.31.0.dist-info/METADATA", body).unwrap();
        assert_eq!(
            p[0].declared_deps,
            vec!["charset-normalizer", "idna", "win-inet-pton"]
        );
    }

    #[test]
    fn long_licence_text_falls_back_to_classifiers() {
        let body = "Name: x\nVersion: 1\nLicense: Copyright 2020\n        Permission is hereby granted\nClassifier: License :: OSI Approved :: Apache Software License\n";
        assert_eq!(
            run("a/x-1.dist-info/METADATA", body).unwrap()[0].licenses,
            vec!["Apache-2.0"]
        );
    }

    #[test]
    fn missing_version_is_an_error_naming_the_file() {
        let e = run("a/x.dist-info/METADATA", "Name: x\n").unwrap_err();
        assert!(e.to_string().contains("a/x.dist-info/METADATA") && e.message.contains("Version"));
    }

    #[test]
    fn wants_only_metadata_files() {
        assert!(Installed.wants(
            "usr/lib/python3.11/site-packages/a-1.dist-info/METADATA",
            100
        ));
        assert!(!Installed.wants("usr/lib/python3.11/site-packages/a-1.dist-info/RECORD", 100));
        assert!(Installed.wants("x/foo-1.0-py3.egg", 100));
    }

    #[test]
    fn garbage_egg_is_an_error() {
        assert!(run("x/foo.egg", "not a zip").is_err());
    }
}
