//! Java archives. Every `META-INF/maven/<group>/<artifact>/pom.properties` names one Maven
//! artifact inside (a shaded jar carries several); an archive without any falls back to its
//! manifest's `Implementation-Vendor-Id`/`-Title`/`-Version`. Nested archives
//! (`WEB-INF/lib/*.jar`, Spring Boot `BOOT-INF/lib`) are opened up to a fixed depth, and
//! `found_in` is `outer.war!/WEB-INF/lib/inner.jar` for those.

use crate::lang::common::package;
use crate::{DetectError, Detector, FileRef};
use palisade_core::{Ecosystem, OsInfo, Package, ProblemKind};
use std::collections::HashSet;
use std::io::{Cursor, Read};

pub struct Archive;

const MAX_ARCHIVE: u64 = 256 * 1024 * 1024;
const MAX_DEPTH: usize = 3;
/// Per-entry and per-scan decompression budgets, against zip bombs.
const MAX_ENTRY: u64 = 64 * 1024 * 1024;
const MAX_TOTAL: u64 = 512 * 1024 * 1024;
const MAX_SMALL: u64 = 1024 * 1024;

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

    fn detect(
        &self,
        file: &FileRef<'_>,
        _os: Option<&OsInfo>,
    ) -> Result<Vec<Package>, DetectError> {
        let mut st = State {
            out: Vec::new(),
            seen: HashSet::new(),
            budget: MAX_TOTAL,
        };
        walk(file, file.content, file.path, 0, &mut st).map_err(|e| {
            let kind = match e {
                ArchiveError::TooLarge { .. } => ProblemKind::LimitExceeded,
                _ => ProblemKind::Corrupt,
            };
            DetectError::of_kind(kind, file.path, e.to_string())
        })?;
        Ok(st.out)
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
    /// An entry inflates past the per-entry or per-scan budget (a zip bomb, or just huge).
    #[error("{entry}: decompresses past the {limit}-byte limit")]
    TooLarge { entry: String, limit: u64 },
}

struct State {
    out: Vec<Package>,
    seen: HashSet<(String, String, String)>,
    budget: u64,
}

fn read_entry(
    entry: &mut zip::read::ZipFile<'_, Cursor<&[u8]>>,
    cap: u64,
    st: &mut State,
) -> Result<Vec<u8>, ArchiveError> {
    let limit = cap.min(st.budget);
    let mut buf = Vec::new();
    entry
        .take(limit + 1)
        .read_to_end(&mut buf)
        .map_err(|source| ArchiveError::Read {
            entry: entry.name().to_string(),
            source,
        })?;
    if buf.len() as u64 > limit {
        return Err(ArchiveError::TooLarge {
            entry: entry.name().to_string(),
            limit,
        });
    }
    st.budget -= buf.len() as u64;
    Ok(buf)
}

fn walk(
    file: &FileRef<'_>,
    data: &[u8],
    shown: &str,
    depth: usize,
    st: &mut State,
) -> Result<(), ArchiveError> {
    let mut zip =
        zip::ZipArchive::new(Cursor::new(data)).map_err(|source| ArchiveError::NotAnArchive {
            archive: shown.to_string(),
            source,
        })?;
    let mut found_pom = false;
    let mut manifest: Option<String> = None;
    let mut nested: Vec<(String, Vec<u8>)> = Vec::new();
    for i in 0..zip.len() {
        let mut entry = zip.by_index(i).map_err(|source| ArchiveError::Entry {
            archive: shown.to_string(),
            index: i,
            source,
        })?;
        let name = entry.name().to_string();
        if name.starts_with("META-INF/maven/") && name.ends_with("/pom.properties") {
            let body = read_entry(&mut entry, MAX_SMALL, st)?;
            if let Some((g, a, v)) = pom_properties(&String::from_utf8_lossy(&body)) {
                found_pom = true;
                push(file, shown, &g, &a, &v, st);
            }
        } else if name.eq_ignore_ascii_case("META-INF/MANIFEST.MF") {
            manifest =
                Some(String::from_utf8_lossy(&read_entry(&mut entry, MAX_SMALL, st)?).into_owned());
        } else if is_archive_name(&name) && entry.is_file() && depth < MAX_DEPTH {
            nested.push((name, read_entry(&mut entry, MAX_ENTRY, st)?));
        }
    }
    if !found_pom {
        if let Some((g, a, v)) = manifest.as_deref().and_then(from_manifest) {
            push(file, shown, &g, &a, &v, st);
        }
    }
    for (name, bytes) in nested {
        let inner = format!("{shown}!/{name}");
        // A `.jar`-named entry that is not a zip (test data, renamed resources) is skipped:
        // a detector returns packages or one error, and the outer archive's packages matter more.
        let _ = walk(file, &bytes, &inner, depth + 1, st);
    }
    Ok(())
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
        assert!(run(&j).unwrap().is_empty());
    }
}
