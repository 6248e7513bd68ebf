//! RPM packages from the SQLite rpmdb (`rpmdb.sqlite`, RHEL 9, Fedora 33+, Rocky, Alma) and
//! the Berkeley DB `Packages` of older releases (CentOS 7, RHEL 7/8, Amazon Linux 2). Each
//! record holds an RPM header blob, parsed here (a small, documented binary format: index
//! entries then a data store). NDB `Packages.db` (SUSE) is recognised and reported as
//! unsupported rather than silently skipped.

use super::depends::{self, Relations};
use super::{distro_qualifier, purl_namespace};
use crate::{purl, DetectError, Detection, Detector, FileRef, RecordProblems};
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

    fn max_size(&self) -> Option<u64> {
        Some(super::MAX_PACKAGE_DB)
    }

    fn wants(&self, path: &str, _size: u64) -> bool {
        SQLITE_DBS.contains(&path) || LEGACY_DBS.contains(&path)
    }

    fn detect(&self, file: &FileRef<'_>, os: Option<&OsInfo>) -> Result<Vec<Package>, DetectError> {
        self.detect_all(file, os).into_strict()
    }

    /// Header by header: a header that cannot be parsed (or a Berkeley DB record that cannot
    /// be read) is a warning, and every other package is still listed.
    fn detect_all(&self, file: &FileRef<'_>, os: Option<&OsInfo>) -> Detection {
        let mut st = Collect {
            file,
            os,
            out: Vec::new(),
            relations: Vec::new(),
            problems: RecordProblems::new(file.path),
            names_left: MAX_DEPENDENCY_NAMES,
            names_cut: false,
        };
        let read = if file.path.ends_with("/Packages") {
            read_bdb_blobs(file, &mut st)
        } else if LEGACY_DBS.contains(&file.path) {
            Err(DetectError::unsupported(
                file.path,
                "NDB rpm databases are not supported yet; RPM packages of this image are not listed",
            ))
        } else {
            read_sqlite_blobs(file, &mut st)
        };
        let mut problems = Vec::new();
        if let Err(e) = read {
            problems.push(e);
        }
        if st.names_cut {
            problems.push(DetectError::of_kind(
                ProblemKind::LimitExceeded,
                file.path,
                format!(
                    "more than {MAX_DEPENDENCY_NAMES} Requires/Provides names: the rest are left out of the dependency graph"
                ),
            ));
        }
        problems.extend(st.problems.finish());
        let (mut out, relations) = (st.out, st.relations);
        depends::link(&mut out, &relations);
        Detection {
            packages: out,
            problems,
        }
    }
}

/// Requires/Provides names kept for one database. Real databases hold a few hundred thousand
/// at most; each name costs a small allocation, so a crafted database of millions of one-byte
/// names would otherwise cost ~40 bytes of memory per byte of input.
const MAX_DEPENDENCY_NAMES: usize = 4_000_000;

/// What the headers of one database have given so far.
struct Collect<'a, 'f> {
    file: &'a FileRef<'f>,
    os: Option<&'a OsInfo>,
    out: Vec<Package>,
    relations: Vec<Relations>,
    problems: RecordProblems<'f>,
    names_left: usize,
    names_cut: bool,
}

impl Collect<'_, '_> {
    /// Parses one header blob (`row` counts from 0, as rpm's rows do not have numbers).
    fn header(&mut self, row: usize, blob: &[u8]) {
        match parse_header(blob, &mut self.names_left) {
            Ok(mut h) => {
                self.names_cut |= h.names_cut;
                if let Some(p) = package_from(&h, self.file, self.os) {
                    self.out.push(p);
                    self.relations.push(relations_of(&mut h));
                }
            }
            Err(m) => self.problems.bad(format!("package row {row}: {m}")),
        }
    }
}

fn read_bdb_blobs(file: &FileRef<'_>, st: &mut Collect<'_, '_>) -> Result<(), DetectError> {
    let (values, damaged) = super::bdb::hash_values(file.content)
        .map_err(|e| DetectError::new(file.path, e.to_string()))?;
    if damaged > 0 {
        st.problems.push(DetectError::new(
            file.path,
            format!("{damaged} Berkeley DB records could not be read (damaged database)"),
        ));
    }
    // rpm keeps a 4-byte counter under key 0; every package record is a header blob.
    for (row, v) in values.iter().filter(|v| v.len() >= 16).enumerate() {
        st.header(row, v);
    }
    Ok(())
}

/// SQLite virtual-machine steps allowed for reading one database. Reading every row of a
/// real rpmdb takes a few per byte; a crafted database can make `Packages` a view that never
/// ends (a recursive query) or multiplies rows, which this stops.
const SQLITE_STEPS_PER_BYTE: u64 = 64;
const SQLITE_MIN_STEPS: u64 = 10_000_000;

fn read_sqlite_blobs(file: &FileRef<'_>, st: &mut Collect<'_, '_>) -> Result<(), DetectError> {
    let err = |m: String| DetectError::new(file.path, m);
    let io_err = |e: std::io::Error| {
        DetectError::of_kind(ProblemKind::Io, file.path, format!("temp file: {e}"))
    };
    // SQLite reads from a file; the copy lives in a private temp directory removed on drop.
    // rpmdb.sqlite is in WAL mode, and SQLite opening such a file creates `-wal` and `-shm`
    // files next to it (two per scan were left in /tmp): `immutable=1` tells it the file
    // cannot change, so it creates nothing, and the directory takes whatever it might.
    let dir = tempfile::tempdir().map_err(io_err)?;
    let db = dir.path().join("rpmdb.sqlite");
    std::fs::write(&db, file.content).map_err(io_err)?;
    let path = db
        .display()
        .to_string()
        .replace('%', "%25")
        .replace('?', "%3f")
        .replace('#', "%23");
    let uri = format!("file:{path}?immutable=1");
    let conn = rusqlite::Connection::open_with_flags(
        uri,
        rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY
            | rusqlite::OpenFlags::SQLITE_OPEN_NO_MUTEX
            | rusqlite::OpenFlags::SQLITE_OPEN_URI,
    )
    .map_err(|e| err(format!("not an SQLite database: {e}")))?;
    // No value (a blob, or one a crafted view computes) may be larger than the database
    // itself could hold, and schema code (views, generated columns) may call no function
    // with side effects.
    let max_len = i32::try_from(file.content.len().max(1 << 20)).unwrap_or(i32::MAX);
    conn.set_limit(rusqlite::limits::Limit::SQLITE_LIMIT_LENGTH, max_len);
    let _ = conn.execute_batch("PRAGMA trusted_schema = OFF");
    let steps_allowed = (file.content.len() as u64)
        .saturating_mul(SQLITE_STEPS_PER_BYTE)
        .max(SQLITE_MIN_STEPS);
    // The handler runs every 1000 steps.
    let mut calls = 0u64;
    conn.progress_handler(
        1000,
        Some(move || {
            calls += 1;
            calls.saturating_mul(1000) > steps_allowed
        }),
    );
    let kind: Option<String> = conn
        .query_row(
            "SELECT type FROM sqlite_master WHERE name = 'Packages'",
            [],
            |r| r.get(0),
        )
        .ok();
    if kind.as_deref() != Some("table") {
        return Err(err("no Packages table".to_string()));
    }
    let mut stmt = conn
        .prepare("SELECT blob FROM Packages")
        .map_err(|e| err(format!("no Packages table: {e}")))?;
    let mut rows = stmt.query([]).map_err(|e| err(e.to_string()))?;
    // One row at a time: the blobs of all rows are never held together. Stored blobs take
    // room in the file, so together they are smaller than it; more means the values are
    // computed (a generated column) or shared, and reading on would only repeat work.
    let mut row = 0usize;
    let mut bytes = 0usize;
    loop {
        match rows.next() {
            Ok(Some(r)) => {
                match r.get_ref(0) {
                    Ok(rusqlite::types::ValueRef::Blob(b)) => {
                        bytes = bytes.saturating_add(b.len());
                        if bytes > file.content.len() {
                            return Err(DetectError::of_kind(
                                ProblemKind::LimitExceeded,
                                file.path,
                                format!("reading stopped after {row} rows: the rows hold more bytes than the database file"),
                            ));
                        }
                        st.header(row, b)
                    }
                    _ => st.problems.bad(format!("package row {row}: not a blob")),
                }
                row += 1;
            }
            Ok(None) => return Ok(()),
            Err(rusqlite::Error::SqliteFailure(e, _))
                if e.code == rusqlite::ErrorCode::OperationInterrupted =>
            {
                return Err(DetectError::of_kind(
                    ProblemKind::LimitExceeded,
                    file.path,
                    format!(
                        "reading stopped after {row} rows: the database takes too long to read"
                    ),
                ));
            }
            Err(e) => return Err(err(format!("after {row} rows: {e}"))),
        }
    }
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
    /// The database's budget of dependency names ran out while reading this header.
    names_cut: bool,
}

fn be_u32(b: &[u8], at: usize) -> Option<u32> {
    b.get(at..at.checked_add(4)?)
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
/// entries of 16 bytes, then `dl` bytes of data. `names_left` is the database's remaining
/// budget of Requires/Provides names.
///
/// The work is linear in the blob: each wanted tag is read once (rpm writes every tag once;
/// a repeated entry is ignored, or 20,000 entries pointing at one large data store would
/// each rescan it), and a string array takes at most one name per NUL-terminated string
/// present in the data, whatever count its entry declares.
pub(crate) fn parse_header(blob: &[u8], names_left: &mut usize) -> Result<Header, HeaderError> {
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
            if h.arrays.contains_key(&tag) {
                continue;
            }
            let rest = data.get(off..).ok_or(HeaderError::OffsetOutOfRange(tag))?;
            let v = string_array(rest, count, names_left, &mut h.names_cut);
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
        if !wanted || h.strings.contains_key(&tag) || h.ints.contains_key(&tag) {
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

/// Up to `count` NUL-terminated strings from `data`. The count is the file's claim: the
/// strings actually present bound the work (a string ends at its NUL or at the end of the
/// data, after which there are no more), and empty ones name nothing and are not kept.
fn string_array(
    mut data: &[u8],
    count: usize,
    names_left: &mut usize,
    cut: &mut bool,
) -> Vec<String> {
    let mut v = Vec::new();
    for _ in 0..count {
        if data.is_empty() {
            break;
        }
        let end = data.iter().position(|&b| b == 0).unwrap_or(data.len());
        if end > 0 {
            if *names_left == 0 {
                *cut = true;
                break;
            }
            *names_left -= 1;
            v.push(String::from_utf8_lossy(&data[..end]).into_owned());
        }
        data = data.get(end + 1..).unwrap_or(&[]);
    }
    v
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
        other_locations: Vec::new(),
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

    /// A name budget that never runs out.
    fn unlimited() -> usize {
        usize::MAX
    }

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
        let h = parse_header(&blob, &mut unlimited()).unwrap();
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
            let mut h = parse_header(&blob, &mut unlimited()).unwrap();
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
        let n = &mut unlimited();
        assert!(parse_header(&[0, 0], n).is_err());
        assert!(parse_header(&[0xff, 0xff, 0xff, 0xff, 0, 0, 0, 0], n).is_err());
        let mut blob = header(&[(TAG_NAME, TYPE_STRING, s("x"))]);
        blob.truncate(blob.len() - 1);
        assert!(parse_header(&blob, n).is_err());
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

    /// A header whose index repeats `entries` times a Requires entry claiming `count`
    /// strings at offset 0 of `data`.
    fn lying_header(entries: usize, count: u32, data: &[u8]) -> Vec<u8> {
        let mut blob = Vec::new();
        blob.extend_from_slice(&(entries as u32 + 1).to_be_bytes());
        blob.extend_from_slice(&(data.len() as u32).to_be_bytes());
        for (tag, ty, c) in std::iter::once((TAG_NAME, TYPE_STRING, 1)).chain(std::iter::repeat_n(
            (TAG_REQUIRENAME, TYPE_STRING_ARRAY, count),
            entries,
        )) {
            blob.extend_from_slice(&tag.to_be_bytes());
            blob.extend_from_slice(&ty.to_be_bytes());
            blob.extend_from_slice(&0u32.to_be_bytes());
            blob.extend_from_slice(&c.to_be_bytes());
        }
        blob.extend_from_slice(data);
        blob
    }

    /// Issue 13 #2: `count = 0xFFFFFFFF` over a large data store of NULs used to reserve and
    /// fill one (empty) string per data byte: 24 bytes of memory per byte of input.
    #[test]
    fn declared_count_is_bounded_by_the_strings_present() {
        let blob = lying_header(1, u32::MAX, &vec![0u8; 1 << 20]);
        let h = parse_header(&blob, &mut unlimited()).unwrap();
        let requires = &h.arrays[&TAG_REQUIRENAME];
        assert!(requires.is_empty());
        assert!(requires.capacity() < 16, "{}", requires.capacity());
        // Real names count, up to what is there.
        let blob = lying_header(1, u32::MAX, &b"a\0bb\0c\0".repeat(1000));
        let h = parse_header(&blob, &mut unlimited()).unwrap();
        assert_eq!(h.arrays[&TAG_REQUIRENAME].len(), 3000);
    }

    /// Issue 13 #2: 20,000 index entries each claiming the whole data store used to rescan
    /// it 20,000 times (> 60 s). Each tag is now read once: the names taken from the budget
    /// are those of one pass over the data.
    #[test]
    fn repeated_tags_are_read_once() {
        let data = b"name\0".repeat(20_000);
        let blob = lying_header(20_000, u32::MAX, &data);
        let mut budget = usize::MAX;
        let h = parse_header(&blob, &mut budget).unwrap();
        assert_eq!(h.arrays[&TAG_REQUIRENAME].len(), 20_000);
        assert_eq!(usize::MAX - budget, 20_000);
    }

    #[test]
    fn the_name_budget_is_shared_by_the_database_and_reported() {
        let blob = lying_header(1, u32::MAX, &b"x\0".repeat(100));
        let mut budget = 150;
        assert_eq!(
            parse_header(&blob, &mut budget).unwrap().arrays[&TAG_REQUIRENAME].len(),
            100
        );
        let h = parse_header(&blob, &mut budget).unwrap();
        assert_eq!(h.arrays[&TAG_REQUIRENAME].len(), 50);
        assert!(h.names_cut);
    }

    fn sqlite_db(setup: &str) -> Vec<u8> {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("rpmdb.sqlite");
        let conn = rusqlite::Connection::open(&path).unwrap();
        conn.execute_batch(setup).unwrap();
        drop(conn);
        std::fs::read(path).unwrap()
    }

    fn detect_sqlite(db: &[u8]) -> Detection {
        Rpm.detect_all(
            &FileRef {
                path: SQLITE_DBS[0],
                content: db,
                layer: None,
            },
            None,
        )
    }

    /// Issue 13 #20: one bad header used to drop the whole database.
    #[test]
    fn a_bad_row_is_a_warning_and_the_other_rows_are_kept() {
        let good = |n: &str| {
            header(&[
                (TAG_NAME, TYPE_STRING, s(n)),
                (TAG_VERSION, TYPE_STRING, s("1.0")),
            ])
        };
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("rpmdb.sqlite");
        let conn = rusqlite::Connection::open(&path).unwrap();
        conn.execute_batch("CREATE TABLE Packages (hnum INTEGER PRIMARY KEY, blob BLOB NOT NULL)")
            .unwrap();
        for b in [good("a"), vec![0xff; 40], good("b"), b"short".to_vec()] {
            conn.execute("INSERT INTO Packages (blob) VALUES (?1)", [b])
                .unwrap();
        }
        drop(conn);
        let d = detect_sqlite(&std::fs::read(path).unwrap());
        let names: Vec<&str> = d.packages.iter().map(|p| p.name.as_str()).collect();
        assert_eq!(names, vec!["a", "b"]);
        let msgs: Vec<String> = d.problems.iter().map(ToString::to_string).collect();
        assert_eq!(
            msgs,
            vec![
                "var/lib/rpm/rpmdb.sqlite: package row 1: implausible header sizes (il=4294967295, dl=4294967295)",
                "var/lib/rpm/rpmdb.sqlite: package row 3: header too short",
            ]
        );
    }

    /// A crafted rpmdb can make `Packages` a view that never ends; it must not hang a scan.
    #[test]
    fn a_packages_view_is_refused() {
        let db = sqlite_db(
            "CREATE VIEW Packages AS WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT x AS blob FROM c",
        );
        let d = detect_sqlite(&db);
        assert!(d.packages.is_empty());
        assert_eq!(
            d.problems[0].to_string(),
            "var/lib/rpm/rpmdb.sqlite: no Packages table"
        );
    }

    /// The step budget stops a table whose generated column is expensive to compute.
    #[test]
    fn expensive_queries_are_stopped() {
        let db = sqlite_db(
            "CREATE TABLE Packages (hnum INTEGER PRIMARY KEY, n INTEGER, blob BLOB AS (zeroblob(n)));
             WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 20000)
             INSERT INTO Packages (n) SELECT 1000000 FROM c;",
        );
        let d = detect_sqlite(&db);
        assert_eq!(d.problems.len(), 1, "{:?}", d.problems);
        assert_eq!(d.problems[0].kind, ProblemKind::LimitExceeded);
        assert!(d.problems[0]
            .message
            .contains("more bytes than the database file"));
    }
}
