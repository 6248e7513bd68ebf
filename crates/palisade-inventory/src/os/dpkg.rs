//! Debian packages: `/var/lib/dpkg/status` and distroless `/var/lib/dpkg/status.d/*`.

use super::depends::{self, Relations};
use super::{distro_qualifier, purl_namespace};
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
        let mut relations = Vec::new();
        for para in paragraphs(text) {
            if let Some(p) = package_from(&para, file, os) {
                out.push(p);
                relations.push(relations_of(&para));
            }
        }
        depends::link(&mut out, &relations);
        Ok(out)
    }
}

/// `Depends`/`Pre-Depends` as alternatives (`a | b`), and the virtual names `Provides` offers.
fn relations_of(para: &[(&str, String)]) -> Relations {
    let field = |k: &str| {
        para.iter()
            .filter(|(f, _)| f.eq_ignore_ascii_case(k))
            .flat_map(|(_, v)| v.split(','))
            .map(str::to_string)
            .collect::<Vec<_>>()
    };
    let name = |rel: &str| {
        // `libc6 (>= 2.34)`, `python3:any`, `foo [amd64]`: the bare package name.
        let n = rel.split([' ', '(', '[', '<']).next().unwrap_or("").trim();
        n.split(':').next().unwrap_or("").to_string()
    };
    let mut depends = field("Pre-Depends");
    depends.extend(field("Depends"));
    Relations {
        depends: depends
            .iter()
            .map(|alts| {
                alts.split('|')
                    .map(|a| name(a.trim()))
                    .filter(|n| !n.is_empty())
                    .collect()
            })
            .collect(),
        provides: field("Provides").iter().map(|p| name(p.trim())).collect(),
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
    let vendor = purl_namespace(os, "debian");
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
        declared_deps: Vec::new(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use palisade_core::OsFamily;

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
    fn depends_link_to_installed_packages_and_providers() {
        let text = "Package: libc6
Status: install ok installed
Architecture: amd64
Version: 2.36-9
Depends: libgcc-s1

Package: libgcc-s1
Status: install ok installed
Architecture: amd64
Version: 12.2.0-14
Depends: gcc-12-base (= 12.2.0-14), libc6 (>= 2.35)

Package: mawk
Status: install ok installed
Architecture: amd64
Version: 1.3.4.20200120-3.1
Pre-Depends: libc6 (>= 2.34)
Provides: awk

Package: base-files
Status: install ok installed
Architecture: amd64
Version: 12.4
Pre-Depends: awk
Depends: python3:any, default-mta | mawk [amd64], libc6 (>= 2.36) | libc6.1
";
        let f = FileRef {
            path: STATUS,
            content: text.as_bytes(),
            layer: None,
        };
        let pkgs = Dpkg.detect(&f, None).unwrap();
        let deps = |name: &str| depends::dep_names(pkgs.iter().find(|p| p.name == name).unwrap());
        assert_eq!(deps("libc6"), vec!["libgcc-s1"]);
        // gcc-12-base is not installed: dropped, not guessed.
        assert_eq!(deps("libgcc-s1"), vec!["libc6"]);
        // `awk` is virtual (mawk provides it); `default-mta | mawk` takes the installed one;
        // python3 is not installed.
        assert_eq!(deps("base-files"), vec!["libc6", "mawk"]);
    }

    #[test]
    fn parses_installed_packages_with_source() {
        let os = OsInfo::new(OsFamily::Debian, "12");
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
