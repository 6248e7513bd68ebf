//! Debian packages: `/var/lib/dpkg/status` and distroless `/var/lib/dpkg/status.d/*`.

use super::distro_qualifier;
use crate::{purl, DetectError, Detector, FileRef};
use palisade_core::{Ecosystem, OsInfo, Package};

pub struct Dpkg;

const STATUS: &str = "var/lib/dpkg/status";
const STATUS_D: &str = "var/lib/dpkg/status.d/";

impl Detector for Dpkg {
    fn name(&self) -> &'static str {
        "dpkg"
    }

    fn wants(&self, path: &str, _size: u64) -> bool {
        path == STATUS
            || path
                .strip_prefix(STATUS_D)
                .is_some_and(|n| !n.contains('/') && !n.ends_with(".md5sums"))
    }

    fn detect(&self, file: &FileRef<'_>, os: Option<&OsInfo>) -> Result<Vec<Package>, DetectError> {
        let text = std::str::from_utf8(file.content)
            .map_err(|e| DetectError::new(file.path, format!("not UTF-8 text: {e}")))?;
        let mut out = Vec::new();
        for para in paragraphs(text) {
            if let Some(p) = package_from(&para, file, os) {
                out.push(p);
            }
        }
        Ok(out)
    }
}

/// Control-file paragraphs as (field, value) lists; continuation lines are folded in.
fn paragraphs(text: &str) -> Vec<Vec<(&str, String)>> {
    let mut out = Vec::new();
    let mut cur: Vec<(&str, String)> = Vec::new();
    for line in text.lines() {
        if line.trim().is_empty() {
            if !cur.is_empty() {
                out.push(std::mem::take(&mut cur));
            }
        } else if line.starts_with([' ', '\t']) {
            if let Some((_, v)) = cur.last_mut() {
                v.push('\n');
                v.push_str(line.trim());
            }
        } else if let Some((k, v)) = line.split_once(':') {
            cur.push((k, v.trim().to_string()));
        }
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out
}

fn package_from(
    para: &[(&str, String)],
    file: &FileRef<'_>,
    os: Option<&OsInfo>,
) -> Option<Package> {
    let get = |k: &str| {
        para.iter()
            .find(|(f, _)| f.eq_ignore_ascii_case(k))
            .map(|(_, v)| v.as_str())
    };
    let name = get("Package")?.to_string();
    let version = get("Version")?.to_string();
    // Only installed packages: `deinstall ok config-files` leaves a paragraph behind.
    // Distroless status.d files have no Status field: everything there is installed.
    if let Some(status) = get("Status") {
        if status.split_whitespace().last() != Some("installed") {
            return None;
        }
    }
    let arch = get("Architecture").map(str::to_string);
    let (source_name, source_version) = match get("Source") {
        Some(src) => match src.split_once(' ') {
            Some((n, v)) => (
                n.to_string(),
                v.trim()
                    .trim_start_matches('(')
                    .trim_end_matches(')')
                    .to_string(),
            ),
            None => (src.to_string(), version.clone()),
        },
        None => (name.clone(), version.clone()),
    };
    let vendor = os.map(|o| o.family.as_str()).unwrap_or("debian");
    let distro = distro_qualifier(os);
    let purl = purl::build(
        "deb",
        Some(vendor),
        &name,
        &version,
        &[("arch", arch.as_deref().unwrap_or("")), ("distro", &distro)],
    );
    Some(Package {
        ecosystem: Ecosystem::Deb,
        name,
        version,
        purl,
        source_name: Some(source_name),
        source_version: Some(source_version),
        arch,
        licenses: Vec::new(),
        maintainer: get("Maintainer").map(str::to_string),
        found_in: file.path.to_string(),
        layer: file.layer.cloned(),
        relationship: Default::default(),
        depends_on: Vec::new(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const STATUS_TEXT: &str = "Package: bash
Essential: yes
Status: install ok installed
Priority: required
Maintainer: Matthias Klose <doko@debian.org>
Architecture: amd64
Version: 5.2.15-2+b2
Description: GNU Bourne Again SHell
 Bash is an sh-compatible command language interpreter.

Package: libssl3
Status: install ok installed
Architecture: amd64
Source: openssl (3.0.11-1~deb12u2)
Version: 3.0.11-1~deb12u2

Package: removed-pkg
Status: deinstall ok config-files
Architecture: amd64
Version: 1.0
";

    #[test]
    fn parses_installed_packages_with_source() {
        let os = OsInfo {
            family: "debian".into(),
            version: "12".into(),
            ..Default::default()
        };
        let f = FileRef {
            path: STATUS,
            content: STATUS_TEXT.as_bytes(),
            layer: None,
        };
        let pkgs = Dpkg.detect(&f, Some(&os)).unwrap();
        assert_eq!(pkgs.len(), 2);
        assert_eq!(
            pkgs[0].purl,
            "pkg:deb/debian/bash@5.2.15-2%2Bb2?arch=amd64&distro=debian-12"
        );
        assert_eq!(pkgs[0].source_name.as_deref(), Some("bash"));
        assert_eq!(pkgs[1].source_name.as_deref(), Some("openssl"));
        assert_eq!(pkgs[1].source_version.as_deref(), Some("3.0.11-1~deb12u2"));
        assert_eq!(
            pkgs[0].maintainer.as_deref(),
            Some("Matthias Klose <doko@debian.org>")
        );
    }

    #[test]
    fn wants_status_and_distroless_files() {
        assert!(Dpkg.wants("var/lib/dpkg/status", 10));
        assert!(Dpkg.wants("var/lib/dpkg/status.d/base", 10));
        assert!(!Dpkg.wants("var/lib/dpkg/status.d/base.md5sums", 10));
        assert!(!Dpkg.wants("var/lib/dpkg/status-old", 10));
    }

    #[test]
    fn binary_garbage_is_an_error_not_a_panic() {
        let f = FileRef {
            path: STATUS,
            content: &[0xff, 0xfe, 0x00, 0x80],
            layer: None,
        };
        let err = Dpkg.detect(&f, None).unwrap_err();
        assert!(err
            .to_string()
            .starts_with("var/lib/dpkg/status: not UTF-8"));
    }
}
