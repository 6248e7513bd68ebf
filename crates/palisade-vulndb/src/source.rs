//! Reading advisory inputs: OSV JSON (one record or an array), OSV YAML (pypa's form),
//! JSON lines (optionally gzip), directories (recursive) and zip archives. Sizes are capped
//! because inputs come from the network: a record over the cap is skipped, not read.

use flate2::read::GzDecoder;
use std::fs::File;
use std::io::{BufRead, BufReader, Read};
use std::path::Path;

/// Largest single document (file or zip entry), uncompressed. Real OSV records are at most
/// a few MiB; a parsed record takes several times its JSON in memory, so this cap is what
/// keeps an import's memory bounded (see `import::IN_FLIGHT_BYTES`).
pub const MAX_DOC_BYTES: u64 = 8 * 1024 * 1024;
/// Largest total uncompressed size of one archive or JSON-lines stream.
pub const MAX_ARCHIVE_BYTES: u64 = 16 * 1024 * 1024 * 1024;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Json,
    Yaml,
}

pub struct Doc {
    /// `path` or `archive.zip!entry` or `stream:line`, for messages.
    pub source: String,
    pub kind: Kind,
    pub bytes: Vec<u8>,
}

pub enum Event {
    Doc(Doc),
    /// A document that could not be read; the rest of the input carries on.
    Skip {
        source: String,
        reason: String,
    },
}

/// Archive-level failure: the whole input is unusable (truncated, bad CRC, unreadable).
#[derive(Debug)]
pub struct Fatal {
    pub source: String,
    pub reason: String,
}

fn kind_of(name: &str) -> Option<Kind> {
    let lower = name.to_ascii_lowercase();
    if lower.ends_with(".json") {
        Some(Kind::Json)
    } else if lower.ends_with(".yaml") || lower.ends_with(".yml") {
        Some(Kind::Yaml)
    } else {
        None
    }
}

fn read_capped(r: impl Read, cap: u64) -> std::io::Result<Option<Vec<u8>>> {
    let mut buf = Vec::new();
    r.take(cap + 1).read_to_end(&mut buf)?;
    Ok(if buf.len() as u64 > cap {
        None
    } else {
        Some(buf)
    })
}

/// Feed every document of one input (file, directory, archive) to `sink`.
pub fn read_input(path: &Path, sink: &mut dyn FnMut(Event)) -> Result<(), Fatal> {
    let fatal = |reason: String| Fatal {
        source: path.display().to_string(),
        reason,
    };
    let meta = std::fs::metadata(path).map_err(|e| fatal(e.to_string()))?;
    if meta.is_dir() {
        read_dir(path, sink);
        return Ok(());
    }
    let name = path.to_string_lossy().to_ascii_lowercase();
    if name.ends_with(".zip") {
        let file = File::open(path).map_err(|e| fatal(e.to_string()))?;
        return read_zip(file, &path.display().to_string(), sink);
    }
    if name.ends_with(".jsonl.gz") || name.ends_with(".ndjson.gz") {
        let file = File::open(path).map_err(|e| fatal(e.to_string()))?;
        return read_json_lines(GzDecoder::new(file), &path.display().to_string(), sink);
    }
    if name.ends_with(".jsonl") || name.ends_with(".ndjson") {
        let file = File::open(path).map_err(|e| fatal(e.to_string()))?;
        return read_json_lines(file, &path.display().to_string(), sink);
    }
    let Some(kind) = kind_of(&name) else {
        return Err(fatal(
            "not an advisory input (expected .json, .yaml, .yml, .zip, .jsonl[.gz] or a directory)"
                .into(),
        ));
    };
    read_file(path, kind, sink);
    Ok(())
}

fn read_file(path: &Path, kind: Kind, sink: &mut dyn FnMut(Event)) {
    let source = path.display().to_string();
    let result = File::open(path).and_then(|f| read_capped(f, MAX_DOC_BYTES));
    sink(match result {
        Ok(Some(bytes)) => Event::Doc(Doc {
            source,
            kind,
            bytes,
        }),
        Ok(None) => Event::Skip {
            source,
            reason: format!("larger than {MAX_DOC_BYTES} bytes"),
        },
        Err(e) => Event::Skip {
            source,
            reason: e.to_string(),
        },
    });
}

fn read_dir(dir: &Path, sink: &mut dyn FnMut(Event)) {
    let mut entries: Vec<_> = Vec::new();
    for entry in walkdir::WalkDir::new(dir).follow_links(false) {
        match entry {
            Ok(e) if e.file_type().is_file() => entries.push(e.into_path()),
            Ok(_) => {}
            Err(e) => sink(Event::Skip {
                source: e
                    .path()
                    .map_or_else(|| dir.display().to_string(), |p| p.display().to_string()),
                reason: e.to_string(),
            }),
        }
    }
    entries.sort();
    for path in entries {
        let name = path.to_string_lossy().to_string();
        if name.to_ascii_lowercase().ends_with(".zip") {
            if let Ok(file) = File::open(&path) {
                if let Err(f) = read_zip(file, &name, sink) {
                    sink(Event::Skip {
                        source: f.source,
                        reason: f.reason,
                    });
                }
            }
        } else if let Some(kind) = kind_of(&name) {
            read_file(&path, kind, sink);
        }
    }
}

pub fn read_zip<R: Read + std::io::Seek>(
    reader: R,
    label: &str,
    sink: &mut dyn FnMut(Event),
) -> Result<(), Fatal> {
    let fatal = |reason: String| Fatal {
        source: label.to_string(),
        reason,
    };
    let mut archive = zip::ZipArchive::new(reader)
        .map_err(|e| fatal(format!("not a readable zip archive (truncated?): {e}")))?;
    let mut total: u64 = 0;
    for i in 0..archive.len() {
        let mut entry = archive
            .by_index(i)
            .map_err(|e| fatal(format!("entry {i}: {e}")))?;
        if entry.is_dir() {
            continue;
        }
        let source = format!("{label}!{}", entry.name());
        let Some(kind) = kind_of(entry.name()) else {
            continue;
        };
        if entry.size() > MAX_DOC_BYTES {
            sink(Event::Skip {
                source,
                reason: format!(
                    "declares {} uncompressed bytes, over the {MAX_DOC_BYTES}-byte cap",
                    entry.size()
                ),
            });
            continue;
        }
        // The zip reader checks each entry's CRC when it reaches the end of the entry.
        let bytes = match read_capped(&mut entry, MAX_DOC_BYTES) {
            Ok(Some(b)) => b,
            Ok(None) => {
                sink(Event::Skip {
                    source,
                    reason: format!("inflates past the {MAX_DOC_BYTES}-byte cap"),
                });
                continue;
            }
            Err(e) => return Err(fatal(format!("{}: {e}", entry.name()))),
        };
        total += bytes.len() as u64;
        if total > MAX_ARCHIVE_BYTES {
            return Err(fatal(format!(
                "inflates past the {MAX_ARCHIVE_BYTES}-byte archive cap"
            )));
        }
        sink(Event::Doc(Doc {
            source,
            kind,
            bytes,
        }));
    }
    Ok(())
}

pub fn read_json_lines(
    reader: impl Read,
    label: &str,
    sink: &mut dyn FnMut(Event),
) -> Result<(), Fatal> {
    let mut reader = BufReader::new(reader.take(MAX_ARCHIVE_BYTES));
    let mut line_no = 0usize;
    let mut buf = Vec::new();
    loop {
        buf.clear();
        line_no += 1;
        let n = (&mut reader)
            .take(MAX_DOC_BYTES + 1)
            .read_until(b'\n', &mut buf)
            .map_err(|e| Fatal {
                source: format!("{label}:{line_no}"),
                reason: e.to_string(),
            })?;
        if n == 0 {
            return Ok(());
        }
        if buf.len() as u64 > MAX_DOC_BYTES {
            return Err(Fatal {
                source: format!("{label}:{line_no}"),
                reason: format!("line longer than {MAX_DOC_BYTES} bytes"),
            });
        }
        if buf.iter().all(|b| b.is_ascii_whitespace()) {
            continue;
        }
        sink(Event::Doc(Doc {
            source: format!("{label}:{line_no}"),
            kind: Kind::Json,
            bytes: std::mem::take(&mut buf),
        }));
    }
}
