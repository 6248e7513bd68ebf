//! Bulk loading: one thread reads and inflates documents, rayon parses them, the calling
//! thread inserts. Each input runs in its own savepoint so a broken archive is rolled back
//! whole while the other inputs still land.

use crate::osv::{self, OsvRecord, RecordError};
use crate::source::{self, Doc, Event, Fatal, Kind};
use crate::store::{Inserter, Writer};
use crate::DbError;
use palisade_core::ScanError;
use rayon::prelude::*;
use rusqlite::Connection;
use serde::Serialize;
use std::path::{Path, PathBuf};
use std::sync::mpsc::sync_channel;

/// Documents parsed together (in parallel) and handed to the inserter in one message.
const BATCH: usize = 512;
/// Raw bytes of one batch: many small records batch well, big documents go one by one.
const BATCH_BYTES: u64 = 4 << 20;
/// Raw bytes of the documents read, parsed or waiting to be inserted at any one time.
/// A parsed record takes several times its JSON in memory, so this bounds the import's
/// memory whatever the documents (a document up to `MAX_DOC_BYTES` still goes through,
/// alone).
const IN_FLIGHT_BYTES: u64 = 8 << 20;

/// The bytes between reading a batch and inserting it, shared by the reader thread (which
/// waits while too much is in flight) and the inserter (which gives bytes back).
#[derive(Default)]
struct InFlight {
    state: std::sync::Mutex<(u64, bool)>,
    cv: std::sync::Condvar,
}

impl InFlight {
    /// Waits until `bytes` more fit (or nothing is in flight), then takes them. False when
    /// the inserter has gone away.
    fn acquire(&self, bytes: u64) -> bool {
        let Ok(mut g) = self.state.lock() else {
            return false;
        };
        while !g.1 && g.0 > 0 && g.0 + bytes > IN_FLIGHT_BYTES {
            g = match self.cv.wait(g) {
                Ok(g) => g,
                Err(_) => return false,
            };
        }
        if g.1 {
            return false;
        }
        g.0 += bytes;
        true
    }

    fn release(&self, bytes: u64) {
        if let Ok(mut g) = self.state.lock() {
            g.0 = g.0.saturating_sub(bytes);
        }
        self.cv.notify_all();
    }

    fn close(&self) {
        if let Ok(mut g) = self.state.lock() {
            g.1 = true;
        }
        self.cv.notify_all();
    }
}

/// Gives a batch's bytes back once its records are stored (or the inserter fails).
struct Release<'a>(&'a InFlight, u64);

impl Drop for Release<'_> {
    fn drop(&mut self) {
        self.0.release(self.1);
    }
}

/// Closes the budget when the inserter stops, however it stops, so the reader never waits
/// for bytes that will not come back.
struct CloseOnDrop<'a>(&'a InFlight);

impl Drop for CloseOnDrop<'_> {
    fn drop(&mut self) {
        self.0.close();
    }
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct ImportReport {
    /// Records stored (new or replaced).
    pub records: usize,
    /// Withdrawn records: not stored, and removed if an earlier import had them.
    pub withdrawn: usize,
    /// Malformed or unreadable records and inputs, each naming the file and the reason.
    pub skipped: Vec<ScanError>,
    pub seconds: f64,
    /// Whether the database was written. An import that stores nothing (every input
    /// rejected, or no record in them) leaves the file untouched, timestamps included.
    pub changed: bool,
}

pub(crate) enum Input {
    Path(PathBuf),
    /// A zip downloaded to `path`, named `label` in messages.
    Zip {
        label: String,
        path: PathBuf,
    },
    GzLines {
        label: String,
        data: &'static [u8],
    },
}

pub(crate) struct Job {
    pub input: Input,
    /// The `sources` row the records are attributed to.
    pub source: String,
}

pub(crate) struct Outcome {
    pub records: usize,
    pub result: Result<(), Fatal>,
}

enum Msg {
    Begin(usize),
    /// Parsed records and the raw bytes they came from (returned to the budget once stored).
    Parsed(Vec<(String, Result<OsvRecord, RecordError>)>, u64),
    Skip(ScanError),
    End(Result<(), Fatal>),
}

fn parse_doc(doc: &Doc) -> Vec<(String, Result<OsvRecord, RecordError>)> {
    if doc.kind == Kind::Json {
        let records = osv::parse_json_records(&doc.bytes);
        let many = records.len() > 1;
        return records
            .into_iter()
            .enumerate()
            .map(|(i, r)| {
                let source = if many {
                    format!("{}[{i}]", doc.source)
                } else {
                    doc.source.clone()
                };
                (source, r)
            })
            .collect();
    }
    let values = match doc.kind {
        Kind::Json => osv::parse_json(&doc.bytes),
        Kind::Yaml => osv::parse_yaml(&doc.bytes),
    };
    match values {
        Err(e) => vec![(doc.source.clone(), Err(e))],
        Ok(values) => {
            let many = values.len() > 1;
            values
                .into_iter()
                .enumerate()
                .map(|(i, v)| {
                    let source = if many {
                        format!("{}[{i}]", doc.source)
                    } else {
                        doc.source.clone()
                    };
                    (source, osv::validate(v))
                })
                .collect()
        }
    }
}

fn read_one(input: &Input, sink: &mut dyn FnMut(Event)) -> Result<(), Fatal> {
    match input {
        Input::Path(p) => source::read_input(p, sink),
        Input::Zip { label, path } => {
            let file = std::fs::File::open(path).map_err(|e| Fatal {
                source: label.clone(),
                reason: e.to_string(),
            })?;
            source::read_zip(file, label, sink)
        }
        Input::GzLines { label, data } => {
            source::read_json_lines(flate2::read::GzDecoder::new(*data), label, sink)
        }
    }
}

/// Load `jobs` into the writer's database. `on_begin` runs inside each input's savepoint
/// before its records are inserted (update uses it to drop the source's old records).
pub(crate) fn ingest(
    writer: &Writer,
    jobs: Vec<Job>,
    on_begin: &mut dyn FnMut(&Connection, &str) -> Result<(), DbError>,
) -> Result<(Vec<Outcome>, ImportReport), DbError> {
    let started = std::time::Instant::now();
    let conn = &writer.conn;
    let path = writer.path().to_path_buf();
    let sql = |e| DbError::Sqlite {
        path: path.clone(),
        source: e,
    };
    let mut report = ImportReport::default();
    let mut outcomes: Vec<Outcome> = Vec::new();
    let sources: Vec<String> = jobs.iter().map(|j| j.source.clone()).collect();
    let inputs: Vec<Input> = jobs.into_iter().map(|j| j.input).collect();

    conn.execute_batch("BEGIN").map_err(sql)?;
    let (tx, rx) = sync_channel::<Msg>(4);
    let in_flight = InFlight::default();
    let budget = &in_flight;
    let result = std::thread::scope(|scope| -> Result<(), DbError> {
        scope.spawn(move || {
            for (i, input) in inputs.iter().enumerate() {
                if tx.send(Msg::Begin(i)).is_err() {
                    return;
                }
                let mut batch: Vec<Doc> = Vec::with_capacity(BATCH);
                let mut batch_bytes: u64 = 0;
                let flush = |batch: &mut Vec<Doc>, batch_bytes: &mut u64| {
                    let bytes = std::mem::take(batch_bytes);
                    // Taken before parsing: parsing is where memory multiplies.
                    if !budget.acquire(bytes) {
                        return false;
                    }
                    let parsed: Vec<_> = batch.par_iter().flat_map_iter(parse_doc).collect();
                    batch.clear();
                    tx.send(Msg::Parsed(parsed, bytes)).is_ok()
                };
                let mut alive = true;
                let res = read_one(input, &mut |ev| {
                    if !alive {
                        return;
                    }
                    match ev {
                        Event::Doc(d) => {
                            let size = d.bytes.len() as u64;
                            // A big document goes alone rather than on top of a batch.
                            if !batch.is_empty() && batch_bytes + size > BATCH_BYTES {
                                alive = flush(&mut batch, &mut batch_bytes);
                            }
                            batch_bytes += size;
                            batch.push(d);
                            if alive && (batch.len() >= BATCH || batch_bytes >= BATCH_BYTES) {
                                alive = flush(&mut batch, &mut batch_bytes);
                            }
                        }
                        Event::Skip { source, reason } => {
                            alive = tx.send(Msg::Skip(ScanError::new(source, reason))).is_ok();
                        }
                    }
                });
                if !batch.is_empty() && alive && !flush(&mut batch, &mut batch_bytes) {
                    return;
                }
                if tx.send(Msg::End(res)).is_err() {
                    return;
                }
            }
        });

        let _close = CloseOnDrop(budget);
        let mut ins = Inserter::new(conn, &path)?;
        let mut current = 0usize;
        for msg in rx {
            match msg {
                Msg::Begin(i) => {
                    conn.execute_batch("SAVEPOINT input").map_err(sql)?;
                    on_begin(conn, &sources[i])?;
                    current = 0;
                }
                Msg::Parsed(items, bytes) => {
                    let _give_back = Release(budget, bytes);
                    for (src, rec) in items {
                        match rec {
                            Ok(rec) => {
                                let withdrawn = rec.withdrawn.is_some();
                                ins.put(rec, &sources[outcomes.len()])?;
                                if withdrawn {
                                    report.withdrawn += 1;
                                } else {
                                    current += 1;
                                }
                            }
                            Err(reason) => report
                                .skipped
                                .push(ScanError::corrupt(src, reason.to_string())),
                        }
                    }
                }
                Msg::Skip(e) => report.skipped.push(e),
                Msg::End(res) => {
                    match &res {
                        Ok(()) => {
                            conn.execute_batch("RELEASE input").map_err(sql)?;
                            report.records += current;
                        }
                        Err(f) => {
                            conn.execute_batch("ROLLBACK TO input; RELEASE input")
                                .map_err(sql)?;
                            report.skipped.push(ScanError::new(
                                f.source.clone(),
                                format!("input rejected, nothing imported from it: {}", f.reason),
                            ));
                            current = 0;
                        }
                    }
                    outcomes.push(Outcome {
                        records: current,
                        result: res,
                    });
                }
            }
        }
        Ok(())
    });
    if let Err(e) = result {
        let _ = conn.execute_batch("ROLLBACK");
        return Err(e);
    }
    conn.execute_batch("COMMIT").map_err(sql)?;
    report.seconds = started.elapsed().as_secs_f64();
    Ok((outcomes, report))
}

/// Import OSV inputs (files, directories, zip archives, JSON lines) into the database at
/// `db_path`, creating it if needed. The file is replaced atomically when the import is done.
pub fn import(db_path: &Path, inputs: &[PathBuf]) -> Result<ImportReport, DbError> {
    let writer = Writer::begin(db_path)?;
    let jobs = inputs
        .iter()
        .map(|p| Job {
            source: format!("import:{}", p.display()),
            input: Input::Path(p.clone()),
        })
        .collect();
    let (_, mut report) = ingest(&writer, jobs, &mut |conn, source| {
        crate::store::touch_source(conn, Path::new(""), source, None, None)
    })?;
    report.changed = report.records > 0 || report.withdrawn > 0;
    if report.changed {
        writer.finish()?;
    }
    // Otherwise the temporary copy is dropped (and deleted) unpublished.
    Ok(report)
}
