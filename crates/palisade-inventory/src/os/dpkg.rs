//! Debian packages: `/var/lib/dpkg/status` and distroless `/var/lib/dpkg/status.d/*`.

use super::depends::{self, Relations};
use super::records::{records, Record};
use super::{distro_qualifier, purl_namespace};
use crate::{purl, DetectError, Detection, Detector, FileRef, RecordProblems};
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
        self.detect_all(file, os).into_strict()
    }

    /// Paragraph by paragraph: a paragraph that is not a readable installed package is a
    /// warning naming its position, and every other paragraph is still read.
    fn detect_all(&self, file: &FileRef<'_>, os: Option<&OsInfo>) -> Detection {
        let mut out = Vec::new();
        let mut relations = Vec::new();
        let mut problems = RecordProblems::new(file.path);
        for rec in records(file.content) {
            let para = paragraph(&rec);
            match package_from(&para, file, os) {
                Ok(Some(p)) => {
                    out.push(p);
                    relations.push(relations_of(&para));
                }
                Ok(None) => {}
                Err(m) => problems.bad(format!("{}: {m}", rec.position())),
            }
        }
        depends::link(&mut out, &relations);
        Detection {
            packages: out,
            problems: problems.finish(),
        }
    }
}

/// One field of a control paragraph; `utf8` is false when its value had invalid bytes
/// (replaced), which matters only for the fields that identify the package.
struct Field<'a> {
    name: &'a str,
    value: String,
    utf8: bool,
}

type Paragraph<'a> = Vec<Field<'a>>;

fn field<'p>(para: &'p Paragraph<'_>, k: &str) -> Option<&'p Field<'p>> {
    para.iter().find(|f| f.name.eq_ignore_ascii_case(k))
}

/// `Depends`/`Pre-Depends` as alternatives (`a | b`), and the virtual names `Provides` offers.
fn relations_of(para: &Paragraph<'_>) -> Relations {
    let field = |k: &str| {
        para.iter()
            .filter(|f| f.name.eq_ignore_ascii_case(k))
            .flat_map(|f| f.value.split(','))
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

/// The fields of one paragraph; continuation lines are folded into the field above, and
/// lines that are neither (no `name:`) are ignored.
fn paragraph<'a>(rec: &Record<'a>) -> Paragraph<'a> {
    let mut out: Paragraph<'a> = Vec::new();
    for line in &rec.lines {
        let text = String::from_utf8_lossy(line);
        let utf8 = matches!(text, std::borrow::Cow::Borrowed(_));
        if line.starts_with(b" ") || line.starts_with(b"\t") {
            if let Some(f) = out.last_mut() {
                f.value.push('\n');
                f.value.push_str(text.trim());
                f.utf8 &= utf8;
            }
        } else if let Some(i) = line.iter().position(|&b| b == b':') {
            let Ok(name) = std::str::from_utf8(&line[..i]) else {
                continue;
            };
            let value = String::from_utf8_lossy(&line[i + 1..]);
            out.push(Field {
                name: name.trim(),
                utf8: matches!(value, std::borrow::Cow::Borrowed(_)),
                value: value.trim().to_string(),
            });
        }
    }
    out
}

/// The installed package a paragraph describes; `None` for one that is not installed, and
/// why not for one that cannot be read.
fn package_from(
    para: &Paragraph<'_>,
    file: &FileRef<'_>,
    os: Option<&OsInfo>,
) -> Result<Option<Package>, &'static str> {
    let get = |k: &str| -> Result<Option<&str>, &'static str> {
        match field(para, k) {
            Some(f) if !f.utf8 => Err("not UTF-8 text"),
            Some(f) => Ok(Some(f.value.as_str())),
            None => Ok(None),
        }
    };
    // Only installed packages: `deinstall ok config-files` leaves a paragraph behind.
    // Distroless status.d files have no Status field: everything there is installed.
    if let Some(status) = get("Status")? {
        if status.split_whitespace().last() != Some("installed") {
            return Ok(None);
        }
    }
    let name = get("Package")?
        .filter(|n| !n.is_empty())
        .ok_or("no Package field")?
        .to_string();
    let version = get("Version")?
        .filter(|v| !v.is_empty())
        .ok_or("no Version field")?
        .to_string();
    let arch = get("Architecture")?.map(str::to_string);
    let (source_name, source_version) = match get("Source")? {
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
    Ok(Some(Package {
        ecosystem: Ecosystem::Deb,
        name,
        version,
        purl,
        source_name: Some(source_name),
        source_version: Some(source_version),
        arch,
        licenses: Vec::new(),
        maintainer: field(para, "Maintainer").map(|f| f.value.clone()),
        found_in: file.path.to_string(),
        layer: file.layer.cloned(),
        relationship: Default::default(),
        depends_on: Vec::new(),
        declared_deps: Vec::new(),
    }))
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
        assert_eq!(
            err.to_string(),
            "var/lib/dpkg/status: record 1 (line 1): no Package field"
        );
    }

    /// Issue 13 #20: one bad paragraph (invalid UTF-8 in its Version, or no Package field)
    /// used to drop the whole database; now the others are kept and each bad one is a
    /// warning with its position.
    #[test]
    fn bad_paragraphs_are_warnings_and_the_rest_is_kept() {
        let mut db = Vec::new();
        for i in 0..50 {
            if i == 10 {
                db.extend_from_slice(
                    b"Package: broken\nStatus: install ok installed\nVersion: 1.\xff\n\n",
                );
            } else if i == 20 {
                db.extend_from_slice(b"\x00\x01 binary junk \xfe\n\n");
            } else {
                db.extend_from_slice(
                    format!("Package: p{i}\nStatus: install ok installed\nVersion: 1.{i}\n\n")
                        .as_bytes(),
                );
            }
        }
        let f = FileRef {
            path: STATUS,
            content: &db,
            layer: None,
        };
        let d = Dpkg.detect_all(&f, None);
        assert_eq!(d.packages.len(), 48);
        let msgs: Vec<String> = d.problems.iter().map(ToString::to_string).collect();
        assert_eq!(
            msgs,
            vec![
                "var/lib/dpkg/status: record 11 (line 41): not UTF-8 text",
                "var/lib/dpkg/status: record 21 (line 81): no Package field",
            ]
        );
        // The strict form still refuses a damaged database as a whole.
        assert!(Dpkg.detect(&f, None).is_err());
    }

    #[test]
    fn many_junk_records_give_a_bounded_warning_list() {
        let db = "junk\n\n".repeat(100_000);
        let f = FileRef {
            path: STATUS,
            content: db.as_bytes(),
            layer: None,
        };
        let d = Dpkg.detect_all(&f, None);
        assert!(d.packages.is_empty());
        assert_eq!(d.problems.len(), RecordProblems::LISTED + 1);
        assert_eq!(
            d.problems.last().unwrap().message,
            format!(
                "{} more unreadable records skipped",
                100_000 - RecordProblems::LISTED
            )
        );
    }
}
