//! Alpine packages: `/lib/apk/db/installed`.

use super::depends::{self, Relations};
use super::records::{records, Record};
use super::{distro_qualifier, purl_namespace};
use crate::{purl, DetectError, Detection, Detector, FileRef, RecordProblems};
use palisade_core::{Ecosystem, OsInfo, Package};

pub struct Apk;

const INSTALLED: &str = "lib/apk/db/installed";

impl Detector for Apk {
    fn name(&self) -> &'static str {
        "apk"
    }

    fn wants(&self, path: &str, _size: u64) -> bool {
        path == INSTALLED
    }

    fn detect(&self, file: &FileRef<'_>, os: Option<&OsInfo>) -> Result<Vec<Package>, DetectError> {
        self.detect_all(file, os).into_strict()
    }

    /// Record by record: one without a readable name and version is a warning naming its
    /// position, and the others are still read.
    fn detect_all(&self, file: &FileRef<'_>, os: Option<&OsInfo>) -> Detection {
        let mut out = Vec::new();
        let mut relations: Vec<Relations> = Vec::new();
        let mut problems = RecordProblems::new(file.path);
        for rec in records(file.content) {
            let fields = fields(&rec);
            match package_from(&fields, file, os) {
                Ok(p) => {
                    out.push(p);
                    relations.push(Relations {
                        depends: names(&fields, 'D').into_iter().map(|d| vec![d]).collect(),
                        provides: names(&fields, 'p'),
                    });
                }
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

/// One `K:value` line; `utf8` is false when the value had invalid bytes (replaced).
struct Field {
    key: char,
    value: String,
    utf8: bool,
}

/// The `K:value` lines of a record. The key is one character, which need not be ASCII in a
/// hostile file (`€:x`), so the value starts after that character and its colon, never at a
/// fixed byte offset. Other lines are ignored.
fn fields(rec: &Record<'_>) -> Vec<Field> {
    let mut out = Vec::new();
    for line in &rec.lines {
        let text = String::from_utf8_lossy(line);
        let mut chars = text.chars();
        if let (Some(key), Some(':')) = (chars.next(), chars.next()) {
            let value = chars.as_str();
            // Invalid bytes in the value: the key and colon themselves were one or two bytes
            // of valid text, so the replaced bytes can only be in the value.
            let utf8 = std::str::from_utf8(line).is_ok();
            out.push(Field {
                key,
                value: value.to_string(),
                utf8,
            });
        }
    }
    out
}

/// Names in a `D:` (depends) or `p:` (provides) field: `so:libc.musl-x86_64.so.1`,
/// `cmd:openssl=3.1.4-r5`, `libcrypto3>=3.1`; conflicts (`!foo`) are not dependencies.
fn names(fields: &[Field], key: char) -> Vec<String> {
    fields
        .iter()
        .filter(|f| f.key == key)
        .flat_map(|f| f.value.split_whitespace())
        .filter(|d| !d.starts_with('!'))
        .map(|d| {
            let end = d.find(['=', '<', '>', '~']).unwrap_or(d.len());
            d[..end].to_string()
        })
        .filter(|d| !d.is_empty())
        .collect()
}

/// The package of one record, or why it has none.
fn package_from(
    fields: &[Field],
    file: &FileRef<'_>,
    os: Option<&OsInfo>,
) -> Result<Package, &'static str> {
    let get = |k: char| fields.iter().find(|f| f.key == k);
    let required = |k: char, missing: &'static str| match get(k) {
        Some(f) if !f.utf8 => Err("not UTF-8 text"),
        Some(f) if !f.value.trim().is_empty() => Ok(f.value.trim().to_string()),
        _ => Err(missing),
    };
    let name = required('P', "no package name (P:)")?;
    let version = required('V', "no version (V:)")?;
    let get = |k: char| get(k).map(|f| f.value.trim());
    let arch = get('A').map(str::to_string);
    let origin = get('o').unwrap_or(&name).to_string();
    let distro = distro_qualifier(os);
    let purl = purl::build(
        "apk",
        Some(purl_namespace(os, "alpine")),
        &name,
        &version,
        &[("arch", arch.as_deref().unwrap_or("")), ("distro", &distro)],
    );
    Ok(Package {
        ecosystem: Ecosystem::Apk,
        name,
        version: version.clone(),
        purl,
        source_name: Some(origin),
        source_version: Some(version),
        arch,
        licenses: get('L').map(|l| vec![l.to_string()]).unwrap_or_default(),
        maintainer: get('m').map(str::to_string),
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

    #[test]
    fn depends_resolve_through_provides() {
        let db = "P:musl\nV:1.2.4-r2\nA:x86_64\np:so:libc.musl-x86_64.so.1=1\n\nP:busybox\nV:1.36.1-r15\nA:x86_64\nD:so:libc.musl-x86_64.so.1\np:/bin/sh cmd:busybox=1.36.1-r15\n\nP:libcrypto3\nV:3.1.4-r5\nA:x86_64\nD:so:libc.musl-x86_64.so.1 !libcrypto1.1\np:so:libcrypto.so.3=3\n\nP:openssl\nV:3.1.4-r5\nA:x86_64\nD:libcrypto3>=3.1.4-r5 so:libc.musl-x86_64.so.1 so:libssl.so.3 /bin/sh\n";
        let f = FileRef {
            path: INSTALLED,
            content: db.as_bytes(),
            layer: None,
        };
        let pkgs = Apk.detect(&f, None).unwrap();
        let names = depends::dep_names;
        assert_eq!(names(&pkgs[1]), vec!["musl"]);
        // libssl.so.3 is provided by nothing installed: dropped.
        assert_eq!(names(&pkgs[3]), vec!["busybox", "libcrypto3", "musl"]);
    }

    #[test]
    fn parses_installed_db() {
        let db = "C:Q1abc=\nP:musl\nV:1.2.4_git20230717-r4\nA:x86_64\nL:MIT\no:musl\nm:Natanael Copa <ncopa@alpinelinux.org>\n\nC:Q1def=\nP:libcrypto3\nV:3.1.4-r5\nA:x86_64\nL:Apache-2.0\no:openssl\n";
        let os = OsInfo::new(OsFamily::Alpine, "3.19.1");
        let f = FileRef {
            path: INSTALLED,
            content: db.as_bytes(),
            layer: None,
        };
        let pkgs = Apk.detect(&f, Some(&os)).unwrap();
        assert_eq!(pkgs.len(), 2);
        assert_eq!(pkgs[1].source_name.as_deref(), Some("openssl"));
        assert_eq!(pkgs[1].licenses, vec!["Apache-2.0"]);
        assert_eq!(
            pkgs[0].purl,
            "pkg:apk/alpine/musl@1.2.4_git20230717-r4?arch=x86_64&distro=alpine-3.19.1"
        );
    }

    /// Issue 13 #1: a line whose first character is multi-byte (`€:x`, or U+FFFD from an
    /// invalid byte) used to panic the scan (slicing at byte 2 inside the character).
    #[test]
    fn multibyte_keys_do_not_panic() {
        for line in [
            &b"\xe2\x82\xac:x"[..],
            b"\xff:x",
            b"\xff",
            b"\xc3\xa9",
            b"P\xe2\x82\xac",
        ] {
            let mut db = b"P:musl\nV:1.2.4-r2\n".to_vec();
            db.extend_from_slice(line);
            db.extend_from_slice(b"\n\nP:zlib\nV:1.3-r0\n");
            let f = FileRef {
                path: INSTALLED,
                content: &db,
                layer: None,
            };
            let d = Apk.detect_all(&f, None);
            assert_eq!(d.packages.len(), 2, "{line:?}");
            assert!(d.problems.is_empty(), "{line:?}");
        }
    }

    /// Issue 13 #20: a junk database used to give no packages and no warning.
    #[test]
    fn junk_records_are_warnings_naming_the_file() {
        let mut db = b"\x7fELF\x02\x01\x01 garbage\n\xff\xfe\n\n".to_vec();
        db.extend_from_slice(b"P:musl\nV:1.2.4-r2\n\nP:nover\n\nP:bad\nV:1\xff\n");
        let f = FileRef {
            path: INSTALLED,
            content: &db,
            layer: None,
        };
        let d = Apk.detect_all(&f, None);
        assert_eq!(d.packages.len(), 1);
        let msgs: Vec<String> = d.problems.iter().map(ToString::to_string).collect();
        assert_eq!(
            msgs,
            vec![
                "lib/apk/db/installed: record 1 (line 1): no package name (P:)",
                "lib/apk/db/installed: record 3 (line 7): no version (V:)",
                "lib/apk/db/installed: record 4 (line 9): not UTF-8 text",
            ]
        );
        assert!(Apk.detect(&f, None).is_err());
    }
}
