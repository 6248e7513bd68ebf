//! Java archives. Every `META-INF/maven/<group>/<artifact>/pom.properties` names one Maven
//! artifact inside (a shaded jar carries several); an archive without any falls back to its
//! manifest's `Implementation-Vendor-Id`/`-Title`/`-Version`. Nested archives
//! (`WEB-INF/lib/*.jar`, Spring Boot `BOOT-INF/lib`) are opened up to a fixed depth, and
//! `found_in` is `outer.war!/WEB-INF/lib/inner.jar` for those.

use crate::lang::common::package;
use crate::{DetectError, Detection, Detector, FileRef};
use palisade_core::{Ecosystem, OsInfo, Package, ProblemKind};
use std::collections::HashSet;
use std::io::{Cursor, Read, Seek, Write};
use std::sync::atomic::{AtomicU64, Ordering};

pub struct Archive;

const MAX_ARCHIVE: u64 = 256 * 1024 * 1024;
/// Nested archives are opened this many levels deep (`app.war!/lib/a.jar!/lib/b.jar` is 2).
const MAX_DEPTH: usize = 3;
/// One nested archive may inflate to this much.
const MAX_ENTRY: u64 = 64 * 1024 * 1024;
/// All bytes inflated for one top-level archive and everything nested in it: a jar bomb
/// multiplies its size at every level, and this bounds the work whatever the nesting.
const MAX_INFLATED: u64 = 512 * 1024 * 1024;
/// Central-directory entries and nested archives opened for one top-level archive:
/// a small archive can list the same nested jar thousands of times at every level.
const MAX_ENTRIES: u64 = 1_000_000;
const MAX_NESTED: usize = 10_000;
const MAX_SMALL: u64 = 1024 * 1024;
/// Inflated nested archives held in memory by all threads together. A nested archive that
/// does not fit in what is left is inflated into an anonymous temp file instead, so memory
/// stays bounded however many jars are read at once, and the result does not depend on
/// what other threads hold.
const MEMORY_BUDGET: u64 = 128 * 1024 * 1024;

/// Bytes of [`MEMORY_BUDGET`] in use, across threads.
static IN_MEMORY: AtomicU64 = AtomicU64::new(0);

/// A share of [`MEMORY_BUDGET`], given back on drop.
struct Reservation(u64);

impl Reservation {
    fn try_new(n: u64) -> Option<Reservation> {
        IN_MEMORY
            .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |used| {
                used.checked_add(n).filter(|t| *t <= MEMORY_BUDGET)
            })
            .ok()
            .map(|_| Reservation(n))
    }
}

impl Drop for Reservation {
    fn drop(&mut self) {
        IN_MEMORY.fetch_sub(self.0, Ordering::SeqCst);
    }
}

fn is_archive_name(name: &str) -> bool {
    let n = name.to_ascii_lowercase();
    [".jar", ".war", ".ear", ".par"]
        .iter()
        .any(|e| n.ends_with(e))
}

impl Detector for Archive {
    fn name(&self) -> &'static str {
        "java-archive"
    }

    fn wants(&self, path: &str, size: u64) -> bool {
        size <= MAX_ARCHIVE && is_archive_name(path)
    }

    fn detect(&self, file: &FileRef<'_>, os: Option<&OsInfo>) -> Result<Vec<Package>, DetectError> {
        self.detect_all(file, os).into_strict()
    }

    /// The artifacts of the archive and of the archives nested in it. A limit that stops the
    /// reading (depth, inflated bytes, entries) is a warning naming the nested archive, and
    /// what was read before it is kept.
    fn detect_all(&self, file: &FileRef<'_>, _os: Option<&OsInfo>) -> Detection {
        read_archive(file).0
    }
}

/// The detection, and the most inflated bytes the walk held in memory at once.
fn read_archive(file: &FileRef<'_>) -> (Detection, u64) {
    {
        let mut st = State {
            out: Vec::new(),
            seen: HashSet::new(),
            inflated_left: MAX_INFLATED,
            entries_left: MAX_ENTRIES,
            nested_left: MAX_NESTED,
            limits: Vec::new(),
            limits_more: 0,
            held: 0,
            peak_held: 0,
        };
        let mut problems = Vec::new();
        match zip::ZipArchive::new(Cursor::new(file.content)) {
            Ok(zip) => {
                if let Err(e) = walk(file, zip, Some(file.content), file.path, 0, &mut st) {
                    problems.push(e.into_detect(file));
                }
            }
            Err(source) => problems.push(
                ArchiveError::NotAnArchive {
                    archive: file.path.to_string(),
                    source,
                }
                .into_detect(file),
            ),
        }
        problems.extend(
            st.limits.iter().map(|e| {
                DetectError::of_kind(ProblemKind::LimitExceeded, file.path, e.to_string())
            }),
        );
        if st.limits_more > 0 {
            problems.push(DetectError::of_kind(
                ProblemKind::LimitExceeded,
                file.path,
                format!("{} more nested archives not read (limits)", st.limits_more),
            ));
        }
        let peak = st.peak_held;
        (
            Detection {
                packages: st.out,
                problems,
            },
            peak,
        )
    }
}

/// Why an archive (or one nested in it) could not be read.
#[derive(Debug, thiserror::Error)]
enum ArchiveError {
    #[error("{archive}: not a valid archive: {source}")]
    NotAnArchive {
        archive: String,
        source: zip::result::ZipError,
    },
    #[error("{archive}: entry {index}: {source}")]
    Entry {
        archive: String,
        index: usize,
        source: zip::result::ZipError,
    },
    #[error("{entry}: {source}")]
    Read {
        entry: String,
        source: std::io::Error,
    },
    /// An entry inflates past the per-entry or per-archive budget (a zip bomb, or just huge).
    #[error("{entry}: decompresses past the {limit}-byte limit")]
    TooLarge { entry: String, limit: u64 },
    #[error("{archive}: not opened: nested more than {MAX_DEPTH} archives deep")]
    TooDeep { archive: String },
    #[error("{archive}: not read: over {MAX_ENTRIES} entries or {MAX_NESTED} nested archives in one archive")]
    TooManyEntries { archive: String },
}

impl ArchiveError {
    fn is_limit(&self) -> bool {
        matches!(
            self,
            ArchiveError::TooLarge { .. }
                | ArchiveError::TooDeep { .. }
                | ArchiveError::TooManyEntries { .. }
        )
    }

    fn into_detect(self, file: &FileRef<'_>) -> DetectError {
        let kind = if self.is_limit() {
            ProblemKind::LimitExceeded
        } else {
            ProblemKind::Corrupt
        };
        DetectError::of_kind(kind, file.path, self.to_string())
    }
}

struct State {
    out: Vec<Package>,
    seen: HashSet<(String, String, String)>,
    /// What is left of [`MAX_INFLATED`], [`MAX_ENTRIES`] and [`MAX_NESTED`].
    inflated_left: u64,
    entries_left: u64,
    nested_left: usize,
    /// Limits hit, each naming its archive; the first few are kept, the rest counted.
    limits: Vec<ArchiveError>,
    limits_more: usize,
    /// Inflated nested-archive bytes held in memory now, and at most, by this walk.
    held: u64,
    peak_held: u64,
}

impl State {
    fn limit(&mut self, e: ArchiveError) {
        if self.limits.len() < 10 {
            self.limits.push(e);
        } else {
            self.limits_more += 1;
        }
    }
}

/// Reads at most `limit` inflated bytes of an entry into `sink`, charging them to the
/// archive's budget; more is [`ArchiveError::TooLarge`].
fn inflate<W: Write>(
    entry: &mut zip::read::ZipFile<'_, impl Read>,
    shown: &str,
    cap: u64,
    st: &mut State,
    sink: &mut W,
) -> Result<u64, ArchiveError> {
    let limit = cap.min(st.inflated_left);
    let name = format!("{shown}!/{}", entry.name());
    let read_err = |source| ArchiveError::Read {
        entry: name.clone(),
        source,
    };
    let n = std::io::copy(&mut entry.take(limit + 1), sink).map_err(read_err)?;
    st.inflated_left -= n.min(st.inflated_left);
    if n > limit {
        return Err(ArchiveError::TooLarge { entry: name, limit });
    }
    Ok(n)
}

fn read_small(
    entry: &mut zip::read::ZipFile<'_, impl Read>,
    shown: &str,
    st: &mut State,
) -> Result<Vec<u8>, ArchiveError> {
    let mut buf = Vec::new();
    inflate(entry, shown, MAX_SMALL, st, &mut buf)?;
    Ok(buf)
}

/// An inflated nested archive: in memory under a [`Reservation`], or in a temp file.
enum Inflated {
    Memory(Vec<u8>, Reservation),
    File(std::fs::File),
}

/// Writes to memory while the reservation lasts, then moves everything to a temp file.
struct Spill {
    mem: Vec<u8>,
    res: Option<Reservation>,
    file: Option<std::fs::File>,
}

impl Write for Spill {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        if self.file.is_none() {
            let room = self.res.as_ref().map_or(0, |r| r.0);
            if (self.mem.len() + buf.len()) as u64 <= room {
                self.mem.extend_from_slice(buf);
                return Ok(buf.len());
            }
            let mut f = tempfile::tempfile()?;
            f.write_all(&self.mem)?;
            self.mem = Vec::new();
            self.res = None;
            self.file = Some(f);
        }
        match self.file.as_mut() {
            Some(f) => f.write(buf),
            None => Ok(0),
        }
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// Inflates a nested archive entry within the budgets.
fn inflate_nested(
    entry: &mut zip::read::ZipFile<'_, impl Read>,
    shown: &str,
    st: &mut State,
) -> Result<Inflated, ArchiveError> {
    let expected = entry.size().min(MAX_ENTRY).min(st.inflated_left);
    let mut spill = Spill {
        mem: Vec::new(),
        res: Reservation::try_new(expected),
        file: None,
    };
    inflate(entry, shown, MAX_ENTRY, st, &mut spill)?;
    let name = entry.name().to_string();
    match (spill.file, spill.res) {
        (Some(mut f), _) => {
            f.rewind().map_err(|source| ArchiveError::Read {
                entry: name,
                source,
            })?;
            Ok(Inflated::File(f))
        }
        (None, Some(res)) => Ok(Inflated::Memory(spill.mem, res)),
        (None, None) => Ok(Inflated::Memory(Vec::new(), Reservation(0))),
    }
}

/// Reads one archive. `whole` is the archive's bytes when they are in memory: a nested
/// archive stored without compression is then read in place, with no copy.
fn walk<R: Read + Seek>(
    file: &FileRef<'_>,
    mut zip: zip::ZipArchive<R>,
    whole: Option<&[u8]>,
    shown: &str,
    depth: usize,
    st: &mut State,
) -> Result<(), ArchiveError> {
    let entries = zip.len() as u64;
    if entries > st.entries_left {
        st.entries_left = 0;
        st.limit(ArchiveError::TooManyEntries {
            archive: shown.to_string(),
        });
        return Ok(());
    }
    st.entries_left -= entries;
    let mut found_pom = false;
    let mut manifest: Option<String> = None;
    for i in 0..zip.len() {
        let entry_err = |source| ArchiveError::Entry {
            archive: shown.to_string(),
            index: i,
            source,
        };
        let Some(name) = zip.name_for_index(i).map(str::to_string) else {
            continue;
        };
        let nested = is_archive_name(&name);
        // Where a nested archive stored without compression sits in `whole`.
        let mut stored_at = None;
        if nested {
            let entry = zip.by_index_raw(i).map_err(entry_err)?;
            if !entry.is_file() {
                continue;
            }
            if entry.compression() == zip::CompressionMethod::Stored && !entry.encrypted() {
                stored_at = usize::try_from(entry.data_start())
                    .ok()
                    .zip(usize::try_from(entry.compressed_size()).ok())
                    .and_then(|(a, n)| Some(a..a.checked_add(n)?));
            }
        }
        if name.starts_with("META-INF/maven/") && name.ends_with("/pom.properties") {
            let mut entry = zip.by_index(i).map_err(entry_err)?;
            let body = read_small(&mut entry, shown, st)?;
            if let Some((g, a, v)) = pom_properties(&String::from_utf8_lossy(&body)) {
                found_pom = true;
                push(file, shown, &g, &a, &v, st);
            }
        } else if name.eq_ignore_ascii_case("META-INF/MANIFEST.MF") {
            let mut entry = zip.by_index(i).map_err(entry_err)?;
            manifest =
                Some(String::from_utf8_lossy(&read_small(&mut entry, shown, st)?).into_owned());
        } else if nested {
            let inner = format!("{shown}!/{name}");
            if depth + 1 > MAX_DEPTH {
                st.limit(ArchiveError::TooDeep { archive: inner });
                continue;
            }
            if st.nested_left == 0 {
                st.limit(ArchiveError::TooManyEntries { archive: inner });
                continue;
            }
            st.nested_left -= 1;
            // Descend now, one nested archive at a time: no list of inflated archives is
            // held while their siblings are read.
            let in_place = whole.zip(stored_at).and_then(|(w, span)| w.get(span));
            let result = match in_place {
                Some(bytes) => {
                    open_nested(file, Cursor::new(bytes), Some(bytes), &inner, depth, st)
                }
                None => {
                    let mut entry = zip.by_index(i).map_err(entry_err)?;
                    match inflate_nested(&mut entry, shown, st) {
                        Ok(Inflated::Memory(bytes, _res)) => {
                            let n = bytes.len() as u64;
                            st.held += n;
                            st.peak_held = st.peak_held.max(st.held);
                            let r = open_nested(
                                file,
                                Cursor::new(&bytes[..]),
                                Some(&bytes),
                                &inner,
                                depth,
                                st,
                            );
                            st.held -= n;
                            r
                        }
                        Ok(Inflated::File(f)) => open_nested(file, f, None, &inner, depth, st),
                        Err(e) => Err(e),
                    }
                }
            };
            match result {
                Err(e) if e.is_limit() => st.limit(e),
                // A `.jar`-named entry that is not a zip (test data, renamed resources), or a
                // damaged one, is skipped: the outer archive's packages matter more.
                _ => {}
            }
        }
    }
    if !found_pom {
        if let Some((g, a, v)) = manifest.as_deref().and_then(from_manifest) {
            push(file, shown, &g, &a, &v, st);
        }
    }
    Ok(())
}

fn open_nested<R: Read + Seek>(
    file: &FileRef<'_>,
    reader: R,
    whole: Option<&[u8]>,
    shown: &str,
    depth: usize,
    st: &mut State,
) -> Result<(), ArchiveError> {
    let zip = zip::ZipArchive::new(reader).map_err(|source| ArchiveError::NotAnArchive {
        archive: shown.to_string(),
        source,
    })?;
    walk(file, zip, whole, shown, depth + 1, st)
}

fn push(file: &FileRef<'_>, shown: &str, g: &str, a: &str, v: &str, st: &mut State) {
    if st
        .seen
        .insert((g.to_string(), a.to_string(), v.to_string()))
    {
        let mut p = package(Ecosystem::Maven, &format!("{g}:{a}"), v, file);
        p.found_in = shown.to_string();
        st.out.push(p);
    }
}

fn properties(body: &str) -> impl Iterator<Item = (&str, &str)> {
    body.lines()
        .map(str::trim)
        .filter(|l| !l.starts_with('#') && !l.starts_with('!'))
        .filter_map(|l| l.split_once(['=', ':']))
        .map(|(k, v)| (k.trim(), v.trim()))
}

fn pom_properties(body: &str) -> Option<(String, String, String)> {
    let (mut g, mut a, mut v) = (None, None, None);
    for (k, val) in properties(body) {
        match k {
            "groupId" => g = Some(val),
            "artifactId" => a = Some(val),
            "version" => v = Some(val),
            _ => {}
        }
    }
    let (g, a, v) = (g?, a?, v?);
    (!g.is_empty() && !a.is_empty() && !v.is_empty())
        .then(|| (g.to_string(), a.to_string(), v.to_string()))
}

fn from_manifest(body: &str) -> Option<(String, String, String)> {
    let get = |key: &str| {
        body.lines().find_map(|l| {
            let (k, v) = l.split_once(':')?;
            (k.trim() == key)
                .then(|| v.trim().to_string())
                .filter(|v| !v.is_empty())
        })
    };
    Some((
        get("Implementation-Vendor-Id")?,
        get("Implementation-Title")?,
        get("Implementation-Version")?,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn jar(entries: &[(&str, &[u8])]) -> Vec<u8> {
        let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
        for (name, body) in entries {
            w.start_file(*name, zip::write::SimpleFileOptions::default())
                .unwrap();
            w.write_all(body).unwrap();
        }
        w.finish().unwrap().into_inner()
    }

    fn run(data: &[u8]) -> Result<Vec<Package>, DetectError> {
        Archive.detect(
            &FileRef {
                path: "app/app.war",
                content: data,
                layer: None,
            },
            None,
        )
    }

    #[test]
    fn shaded_and_nested() {
        let inner = jar(&[(
            "META-INF/maven/org.slf4j/slf4j-api/pom.properties",
            b"groupId=org.slf4j\nartifactId=slf4j-api\nversion=2.0.9\n",
        )]);
        let outer = jar(&[
            (
                "META-INF/maven/com.x/app/pom.properties",
                b"#c\nversion=1.0\ngroupId=com.x\nartifactId=app\n",
            ),
            (
                "META-INF/maven/com.y/shaded/pom.properties",
                b"groupId=com.y\nartifactId=shaded\nversion=3\n",
            ),
            ("WEB-INF/lib/slf4j-api-2.0.9.jar", &inner),
            ("WEB-INF/lib/broken.jar", b"not a zip"),
        ]);
        let p = run(&outer).unwrap();
        let got: Vec<(&str, &str)> = p
            .iter()
            .map(|p| (p.purl.as_str(), p.found_in.as_str()))
            .collect();
        assert_eq!(
            got,
            vec![
                ("pkg:maven/com.x/app@1.0", "app/app.war"),
                ("pkg:maven/com.y/shaded@3", "app/app.war"),
                (
                    "pkg:maven/org.slf4j/slf4j-api@2.0.9",
                    "app/app.war!/WEB-INF/lib/slf4j-api-2.0.9.jar"
                ),
            ]
        );
    }

    #[test]
    fn manifest_fallback_and_errors() {
        let j = jar(&[("META-INF/MANIFEST.MF", b"Manifest-Version: 1.0\r\nImplementation-Vendor-Id: org.x\r\nImplementation-Title: lib\r\nImplementation-Version: 1.2\r\n")]);
        assert_eq!(run(&j).unwrap()[0].purl, "pkg:maven/org.x/lib@1.2");
        assert!(run(b"PK garbage")
            .unwrap_err()
            .message
            .contains("not a valid archive"));
    }

    #[test]
    fn nesting_depth_is_capped() {
        let mut j = jar(&[(
            "META-INF/maven/a/deep/pom.properties",
            b"groupId=a\nartifactId=deep\nversion=1\n",
        )]);
        for _ in 0..5 {
            j = jar(&[("lib/x.jar", &j)]);
        }
        let d = Archive.detect_all(
            &FileRef {
                path: "app/app.war",
                content: &j,
                layer: None,
            },
            None,
        );
        assert!(d.packages.is_empty());
        assert_eq!(d.problems.len(), 1);
        assert_eq!(d.problems[0].kind, ProblemKind::LimitExceeded);
        assert_eq!(
            d.problems[0].message,
            "app/app.war!/lib/x.jar!/lib/x.jar!/lib/x.jar!/lib/x.jar: not opened: nested more than 3 archives deep"
        );
    }

    /// A jar holding `zeros` bytes of padding stored as they are: large itself, but tiny
    /// once the archive around it compresses it.
    fn padded_jar(pom: Option<&str>, zeros: usize) -> Vec<u8> {
        let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
        let deflate = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Stored);
        if let Some(a) = pom {
            w.start_file(format!("META-INF/maven/g/{a}/pom.properties"), deflate)
                .unwrap();
            write!(w, "groupId=g\nartifactId={a}\nversion=1\n").unwrap();
        }
        w.start_file("pad", deflate).unwrap();
        let block = vec![0u8; 1 << 20];
        let mut left = zeros;
        while left > 0 {
            let n = left.min(block.len());
            w.write_all(&block[..n]).unwrap();
            left -= n;
        }
        w.finish().unwrap().into_inner()
    }

    fn deflated(entries: &[(String, Vec<u8>)]) -> Vec<u8> {
        let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
        let o = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated);
        for (name, body) in entries {
            w.start_file(name.as_str(), o).unwrap();
            w.write_all(body).unwrap();
        }
        w.finish().unwrap().into_inner()
    }

    /// Issue 13 #7: nested archives were all inflated into memory before any was opened
    /// (8 × 40 MiB here, from a few hundred KiB). Now one nested archive is held at a time,
    /// every artifact is still found, and all of it is inflated under one budget.
    #[test]
    fn nested_archives_are_held_one_at_a_time() {
        let inner: Vec<(String, Vec<u8>)> = (0..8)
            .map(|i| {
                let a = format!("lib{i}");
                (
                    format!("WEB-INF/lib/{a}.jar"),
                    padded_jar(Some(&a), 40 << 20),
                )
            })
            .collect();
        let outer = deflated(&inner);
        assert!(outer.len() < 2 << 20, "{}", outer.len());
        let (d, peak) = read_archive(&FileRef {
            path: "app.war",
            content: &outer,
            layer: None,
        });
        assert_eq!(d.packages.len(), 8, "{:?}", d.problems);
        assert!(d.problems.is_empty(), "{:?}", d.problems);
        // One inflated nested jar (40 MiB of padding) at a time, not all eight.
        assert!(peak <= 41 << 20, "{peak} bytes held at once");
    }

    /// The inflated-bytes budget is shared by the whole nesting: two levels of eight 48 MiB
    /// entries would inflate 3 GiB; reading stops at the budget with a warning naming the
    /// nested archive, and what was read before is kept.
    #[test]
    fn a_jar_bomb_stops_at_the_budget_with_a_warning() {
        let leaf = padded_jar(None, 48 << 20);
        let mid = deflated(
            &(0..8)
                .map(|i| (format!("lib/pad{i}.jar"), leaf.clone()))
                .collect::<Vec<_>>(),
        );
        let mut top: Vec<(String, Vec<u8>)> = vec![(
            "META-INF/maven/g/top/pom.properties".to_string(),
            b"groupId=g\nartifactId=top\nversion=1\n".to_vec(),
        )];
        top.extend((0..8).map(|i| (format!("lib/mid{i}.jar"), mid.clone())));
        let outer = deflated(&top);
        let (d, peak) = read_archive(&FileRef {
            path: "bomb.jar",
            content: &outer,
            layer: None,
        });
        assert_eq!(d.packages.len(), 1);
        assert!(peak <= MAX_ENTRY, "{peak}");
        let limit = d
            .problems
            .iter()
            .find(|p| p.kind == ProblemKind::LimitExceeded)
            .expect("a limit warning");
        assert!(
            limit.message.starts_with("bomb.jar!/lib/mid"),
            "{}",
            limit.message
        );
        assert!(limit.message.contains("limit"), "{}", limit.message);
    }
}
