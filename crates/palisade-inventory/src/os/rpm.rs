//! RPM packages from the SQLite rpmdb (`rpmdb.sqlite`, RHEL 9, Fedora 33+, Rocky, Alma) and
//! the Berkeley DB `Packages` of older releases (CentOS 7, RHEL 7/8, Amazon Linux 2). Each
//! record holds an RPM header blob, parsed here (a small, documented binary format: index
//! entries then a data store). NDB `Packages.db` (SUSE) is recognised and reported as
//! unsupported rather than silently skipped.

use super::depends::{self, Relations};
use super::{distro_qualifier, purl_namespace};
use crate::{purl, DetectError, Detector, FileRef};
use palisade_core::{Ecosystem, OsInfo, Package, ProblemKind};
use std::collections::HashMap;

pub struct Rpm;

const SQLITE_DBS: [&str; 2] = [
    "var/lib/rpm/rpmdb.sqlite",
    "usr/lib/sysimage/rpm/rpmdb.sqlite",
];
const LEGACY_DBS: [&str; 4] = [
    "var/lib/rpm/Packages",
    "var/lib/rpm/Packages.db",
    "usr/lib/sysimage/rpm/Packages",
    "usr/lib/sysimage/rpm/Packages.db",
];

impl Detector for Rpm {
    fn name(&self) -> &'static str {
        "rpm"
    }

    fn wants(&self, path: &str, _size: u64) -> bool {
        SQLITE_DBS.contains(&path) || LEGACY_DBS.contains(&path)
    }

    fn detect(&self, file: &FileRef<'_>, os: Option<&OsInfo>) -> Result<Vec<Package>, DetectError> {
        let blobs = if file.path.ends_with("/Packages") {
            read_bdb_blobs(file)?
        } else if LEGACY_DBS.contains(&file.path) {
            return Err(DetectError::unsupported(
                file.path,
                "NDB rpm databases are not supported yet; RPM packages of this image are not listed",
            ));
        } else {
            read_sqlite_blobs(file)?
        };
        let mut out = Vec::new();
        let mut relations = Vec::new();
        for (i, blob) in blobs.iter().enumerate() {
            let mut h = parse_header(blob)
                .map_err(|m| DetectError::new(file.path, format!("package row {i}: {m}")))?;
            if let Some(p) = package_from(&h, file, os) {
                out.push(p);
                relations.push(relations_of(&mut h));
            }
        }
        depends::link(&mut out, &relations);
        Ok(out)
    }
}

fn read_bdb_blobs(file: &FileRef<'_>) -> Result<Vec<Vec<u8>>, DetectError> {
    let (values, damaged) = super::bdb::hash_values(file.content)
        .map_err(|e| DetectError::new(file.path, e.to_string()))?;
    if damaged > 0 {
        return Err(DetectError::new(
            file.path,
            format!("{damaged} Berkeley DB records could not be read (damaged database)"),
        ));
    }
    // rpm keeps a 4-byte counter under key 0; every package record is a header blob.
    Ok(values.into_iter().filter(|v| v.len() >= 16).collect())
}

fn read_sqlite_blobs(file: &FileRef<'_>) -> Result<Vec<Vec<u8>>, DetectError> {
    let err = |m: String| DetectError::new(file.path, m);
    let io_err = |e: std::io::Error| {
        DetectError::of_kind(ProblemKind::Io, file.path, format!("temp file: {e}"))
    };
    // SQLite reads from a file; the copy lives in a private temp file removed on drop.
    let mut tmp = tempfile::NamedTempFile::new().map_err(io_err)?;
    std::io::Write::write_all(&mut tmp, file.content).map_err(io_err)?;
    let conn = rusqlite::Connection::open_with_flags(
        tmp.path(),
        rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY | rusqlite::OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
    .map_err(|e| err(format!("not an SQLite database: {e}")))?;
    let mut stmt = conn
        .prepare("SELECT blob FROM Packages")
        .map_err(|e| err(format!("no Packages table: {e}")))?;
    let rows = stmt
        .query_map([], |r| r.get::<_, Vec<u8>>(0))
        .map_err(|e| err(e.to_string()))?;
    let mut out = Vec::new();
    for r in rows {
        out.push(r.map_err(|e| err(e.to_string()))?);
    }
    Ok(out)
}

const TAG_NAME: i32 = 1000;
const TAG_VERSION: i32 = 1001;
const TAG_RELEASE: i32 = 1002;
const TAG_EPOCH: i32 = 1003;
const TAG_VENDOR: i32 = 1011;
const TAG_LICENSE: i32 = 1014;
const TAG_ARCH: i32 = 1022;
const TAG_SOURCERPM: i32 = 1044;
const TAG_PROVIDENAME: i32 = 1047;
const TAG_REQUIRENAME: i32 = 1049;

const TYPE_INT32: u32 = 4;
const TYPE_STRING: u32 = 6;
const TYPE_STRING_ARRAY: u32 = 8;
const TYPE_I18NSTRING: u32 = 9;

#[derive(Debug, Default)]
pub(crate) struct Header {
    strings: HashMap<i32, String>,
    ints: HashMap<i32, i64>,
    /// String arrays (requires, provides).
    arrays: HashMap<i32, Vec<String>>,
}

fn be_u32(b: &[u8], at: usize) -> Option<u32> {
    b.get(at..at + 4)
        .map(|s| u32::from_be_bytes([s[0], s[1], s[2], s[3]]))
}

/// Why an RPM header blob could not be parsed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub(crate) enum HeaderError {
    #[error("header too short")]
    TooShort,
    #[error("implausible header sizes (il={il}, dl={dl})")]
    ImplausibleSizes { il: usize, dl: usize },
    #[error("header data store truncated")]
    DataTruncated,
    #[error("truncated index")]
    IndexTruncated,
    #[error("tag {0}: offset out of range")]
    OffsetOutOfRange(i32),
}

/// Parses a header blob as stored in rpmdb (no lead, no magic): `il`, `dl`, `il` index
/// entries of 16 bytes, then `dl` bytes of data.
pub(crate) fn parse_header(blob: &[u8]) -> Result<Header, HeaderError> {
    let il = be_u32(blob, 0).ok_or(HeaderError::TooShort)? as usize;
    let dl = be_u32(blob, 4).ok_or(HeaderError::TooShort)? as usize;
    if il > 100_000 || dl > 256 << 20 {
        return Err(HeaderError::ImplausibleSizes { il, dl });
    }
    let data_start = 8 + il * 16;
    let data = blob
        .get(data_start..data_start + dl)
        .ok_or(HeaderError::DataTruncated)?;
    let mut h = Header::default();
    for i in 0..il {
        let e = 8 + i * 16;
        let tag = be_u32(blob, e).ok_or(HeaderError::IndexTruncated)? as i32;
        let ty = be_u32(blob, e + 4).ok_or(HeaderError::IndexTruncated)?;
        let off = be_u32(blob, e + 8).ok_or(HeaderError::IndexTruncated)? as usize;
        let count = be_u32(blob, e + 12).ok_or(HeaderError::IndexTruncated)? as usize;
        if matches!(tag, TAG_PROVIDENAME | TAG_REQUIRENAME) && ty == TYPE_STRING_ARRAY {
            let mut rest = data.get(off..).ok_or(HeaderError::OffsetOutOfRange(tag))?;
            // Each string takes at least its NUL: a count beyond the data is a lie.
            let mut v = Vec::with_capacity(count.min(rest.len()));
            for _ in 0..count.min(rest.len()) {
                let end = rest.iter().position(|&b| b == 0).unwrap_or(rest.len());
                v.push(String::from_utf8_lossy(&rest[..end]).into_owned());
                rest = rest.get(end + 1..).unwrap_or(&[]);
            }
            h.arrays.insert(tag, v);
            continue;
        }
        let wanted = matches!(
            tag,
            TAG_NAME
                | TAG_VERSION
                | TAG_RELEASE
                | TAG_EPOCH
                | TAG_VENDOR
                | TAG_LICENSE
                | TAG_ARCH
                | TAG_SOURCERPM
        );
        if !wanted {
            continue;
        }
        match ty {
            TYPE_STRING | TYPE_I18NSTRING | TYPE_STRING_ARRAY => {
                let rest = data.get(off..).ok_or(HeaderError::OffsetOutOfRange(tag))?;
                let end = rest.iter().position(|&b| b == 0).unwrap_or(rest.len());
                h.strings
                    .insert(tag, String::from_utf8_lossy(&rest[..end]).into_owned());
            }
            TYPE_INT32 => {
                let v = be_u32(data, off).ok_or(HeaderError::OffsetOutOfRange(tag))?;
                h.ints.insert(tag, i64::from(v));
            }
            _ => {}
        }
    }
    Ok(h)
}

fn package_from(h: &Header, file: &FileRef<'_>, os: Option<&OsInfo>) -> Option<Package> {
    let name = h.strings.get(&TAG_NAME)?.clone();
    // Imported GPG keys are stored as pseudo-packages.
    if name == "gpg-pubkey" {
        return None;
    }
    let version = h.strings.get(&TAG_VERSION)?;
    let release = h.strings.get(&TAG_RELEASE).cloned().unwrap_or_default();
    let full = if release.is_empty() {
        version.clone()
    } else {
        format!("{version}-{release}")
    };
    let epoch = h.ints.get(&TAG_EPOCH).copied();
    let arch = h.strings.get(&TAG_ARCH).cloned();
    let (source_name, source_version) = h
        .strings
        .get(&TAG_SOURCERPM)
        .and_then(|s| split_source_rpm(s))
        .unwrap_or_else(|| (name.clone(), full.clone()));
    let vendor = purl_namespace(os, "redhat");
    let epoch_s = epoch
        .filter(|e| *e > 0)
        .map(|e| e.to_string())
        .unwrap_or_default();
    let distro = distro_qualifier(os);
    let purl = purl::build(
        "rpm",
        Some(vendor),
        &name,
        &full,
        &[
            ("arch", arch.as_deref().unwrap_or("")),
            ("distro", &distro),
            ("epoch", &epoch_s),
        ],
    );
    let version = match epoch.filter(|e| *e > 0) {
        Some(e) => format!("{e}:{full}"),
        None => full,
    };
    Some(Package {
        ecosystem: Ecosystem::Rpm,
        name,
        version,
        purl,
        source_name: Some(source_name),
        source_version: Some(source_version),
        arch,
        licenses: h.strings.get(&TAG_LICENSE).cloned().into_iter().collect(),
        maintainer: h.strings.get(&TAG_VENDOR).cloned(),
        found_in: file.path.to_string(),
        layer: file.layer.cloned(),
        relationship: Default::default(),
        depends_on: Vec::new(),
        declared_deps: Vec::new(),
    })
}

/// Requires resolve through Provides (every package provides its own name and usually its
/// sonames); `rpmlib(...)` features and file paths are not packages.
fn relations_of(h: &mut Header) -> Relations {
    let requires = h.arrays.remove(&TAG_REQUIRENAME).unwrap_or_default();
    Relations {
        depends: requires
            .into_iter()
            .filter(|r| !r.starts_with("rpmlib(") && !r.starts_with('/'))
            .map(|r| vec![r])
            .collect(),
        provides: h.arrays.remove(&TAG_PROVIDENAME).unwrap_or_default(),
    }
}

/// `openssl-3.0.7-24.el9.src.rpm` → (`openssl`, `3.0.7-24.el9`).
fn split_source_rpm(s: &str) -> Option<(String, String)> {
    let stem = s.strip_suffix(".rpm")?;
    let stem = stem.rsplit_once('.').map(|(a, _)| a)?; // drop `.src` / `.nosrc`
    let (rest, release) = stem.rsplit_once('-')?;
    let (name, version) = rest.rsplit_once('-')?;
    Some((name.to_string(), format!("{version}-{release}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Builds a header blob the way rpm stores it.
    fn header(entries: &[(i32, u32, Vec<u8>)]) -> Vec<u8> {
        let mut data = Vec::new();
        let mut index = Vec::new();
        for (tag, ty, bytes) in entries {
            if *ty == TYPE_INT32 {
                while data.len() % 4 != 0 {
                    data.push(0);
                }
            }
            index.extend_from_slice(&tag.to_be_bytes());
            index.extend_from_slice(&ty.to_be_bytes());
            index.extend_from_slice(&(data.len() as u32).to_be_bytes());
            let count = if *ty == TYPE_STRING_ARRAY {
                bytes.iter().filter(|&&b| b == 0).count() as u32
            } else {
                1
            };
            index.extend_from_slice(&count.to_be_bytes());
            data.extend_from_slice(bytes);
        }
        let mut blob = Vec::new();
        blob.extend_from_slice(&(entries.len() as u32).to_be_bytes());
        blob.extend_from_slice(&(data.len() as u32).to_be_bytes());
        blob.extend(index);
        blob.extend(data);
        blob
    }

    fn s(v: &str) -> Vec<u8> {
        let mut b = v.as_bytes().to_vec();
        b.push(0);
        b
    }

    #[test]
    fn parses_header_blob() {
        let blob = header(&[
            (TAG_NAME, TYPE_STRING, s("openssl-libs")),
            (TAG_VERSION, TYPE_STRING, s("3.0.7")),
            (TAG_RELEASE, TYPE_STRING, s("24.el9")),
            (TAG_EPOCH, TYPE_INT32, 1u32.to_be_bytes().to_vec()),
            (TAG_ARCH, TYPE_STRING, s("x86_64")),
            (TAG_LICENSE, TYPE_STRING, s("ASL 2.0")),
            (
                TAG_SOURCERPM,
                TYPE_STRING,
                s("openssl-3.0.7-24.el9.src.rpm"),
            ),
        ]);
        let h = parse_header(&blob).unwrap();
        let os = OsInfo::new(palisade_core::OsFamily::Rhel, "9.2");
        let f = FileRef {
            path: SQLITE_DBS[0],
            content: &[],
            layer: None,
        };
        let p = package_from(&h, &f, Some(&os)).unwrap();
        assert_eq!(p.version, "1:3.0.7-24.el9");
        assert_eq!(p.source_name.as_deref(), Some("openssl"));
        assert_eq!(p.source_version.as_deref(), Some("3.0.7-24.el9"));
        assert_eq!(
            p.purl,
            "pkg:rpm/rhel/openssl-libs@3.0.7-24.el9?arch=x86_64&distro=rhel-9.2&epoch=1"
        );
    }

    #[test]
    fn requires_resolve_through_provides() {
        let pkg = |name: &str, requires: &str, provides: &str| {
            let blob = header(&[
                (TAG_NAME, TYPE_STRING, s(name)),
                (TAG_VERSION, TYPE_STRING, s("1.0")),
                (TAG_RELEASE, TYPE_STRING, s("1.el9")),
                (
                    TAG_REQUIRENAME,
                    TYPE_STRING_ARRAY,
                    requires.replace(',', "\0").into_bytes(),
                ),
                (
                    TAG_PROVIDENAME,
                    TYPE_STRING_ARRAY,
                    provides.replace(',', "\0").into_bytes(),
                ),
            ]);
            let mut h = parse_header(&blob).unwrap();
            let f = FileRef {
                path: SQLITE_DBS[0],
                content: &[],
                layer: None,
            };
            (package_from(&h, &f, None).unwrap(), relations_of(&mut h))
        };
        let (mut pkgs, rels): (Vec<Package>, Vec<Relations>) = [
            pkg(
                "glibc",
                "rpmlib(CompressedFileNames),/bin/sh,glibc-common,",
                "glibc,libc.so.6()(64bit),",
            ),
            pkg("glibc-common", "glibc,", "glibc-common,"),
            pkg(
                "openssl-libs",
                "libc.so.6()(64bit),libz.so.1()(64bit),",
                "openssl-libs,libssl.so.3()(64bit),",
            ),
        ]
        .into_iter()
        .unzip();
        depends::link(&mut pkgs, &rels);
        assert_eq!(depends::dep_names(&pkgs[0]), vec!["glibc-common"]);
        assert_eq!(depends::dep_names(&pkgs[1]), vec!["glibc"]);
        // libz is provided by nothing installed: dropped.
        assert_eq!(depends::dep_names(&pkgs[2]), vec!["glibc"]);
    }

    #[test]
    fn hostile_headers_error_out() {
        assert!(parse_header(&[0, 0]).is_err());
        assert!(parse_header(&[0xff, 0xff, 0xff, 0xff, 0, 0, 0, 0]).is_err());
        let mut blob = header(&[(TAG_NAME, TYPE_STRING, s("x"))]);
        blob.truncate(blob.len() - 1);
        assert!(parse_header(&blob).is_err());
    }

    #[test]
    fn legacy_db_is_reported() {
        let f = FileRef {
            path: "var/lib/rpm/Packages.db",
            content: b"",
            layer: None,
        };
        assert!(Rpm
            .detect(&f, None)
            .unwrap_err()
            .message
            .contains("not supported"));
    }
}
