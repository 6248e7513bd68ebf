//! Reads one layer blob: verifies its digest and diff_id while streaming, inflates gzip or
//! zstd, walks the tar entries and keeps only what callers asked for.

use crate::digest::{Algorithm, Digest, Hasher, HashingReader};
use crate::error::{ImageError, Result};
use crate::keep::{keep_by_path, read_wanted};
use crate::path;
use crate::{FileVisit, Limits, ReadOptions};
use palisade_core::{LayerRef, ScanError};
use std::io::{self, BufRead, BufReader, Read};
use std::sync::Arc;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NodeKind {
    File,
    Dir,
    Symlink,
    Hardlink,
    CharDevice,
    BlockDevice,
    Fifo,
}

/// One tar entry, reduced to what the layered filesystem keeps.
#[derive(Debug, Clone)]
pub struct LayerEntry {
    pub path: String,
    pub kind: NodeKind,
    pub mode: u32,
    pub size: u64,
    /// Symlink target (raw) or hardlink target (normalised path).
    pub link: Option<String>,
    pub content: Option<Arc<[u8]>>,
}

/// Everything read from one layer.
#[derive(Debug, Default)]
pub struct LayerData {
    pub entries: Vec<LayerEntry>,
    /// Paths removed from lower layers (`.wh.<name>`).
    pub whiteouts: Vec<String>,
    /// Directories whose lower-layer contents are hidden (`.wh..wh..opq`).
    pub opaque_dirs: Vec<String>,
    pub warnings: Vec<ScanError>,
    pub digest: String,
    pub diff_id: String,
    pub uncompressed_bytes: u64,
}

pub(crate) struct LayerSource<'a> {
    pub reader: Box<dyn Read + Send + 'a>,
    pub name: String,
    pub media_type: String,
    pub expected_digest: Option<Digest>,
    pub expected_diff_id: Option<Digest>,
    pub layer_ref: LayerRef,
}

#[derive(Clone, Copy)]
enum Compression {
    None,
    Gzip,
    Zstd,
}

fn sniff(media_type: &str, head: &[u8]) -> Compression {
    if head.starts_with(&[0x1f, 0x8b]) {
        Compression::Gzip
    } else if head.starts_with(&[0x28, 0xb5, 0x2f, 0xfd]) {
        Compression::Zstd
    } else if media_type.ends_with("+gzip")
        || media_type.ends_with(".gzip")
        || media_type.ends_with("+zstd")
    {
        // Declared compressed but the bytes are not: the inflater reports the real error.
        if media_type.ends_with("zstd") {
            Compression::Zstd
        } else {
            Compression::Gzip
        }
    } else {
        Compression::None
    }
}

/// A resource limit tripped inside a reader; travels through the tar and inflate layers as
/// an `io::Error` payload so it can be told apart from corrupt data without string matching.
#[derive(Debug)]
struct LimitHit(String);

impl std::fmt::Display for LimitHit {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for LimitHit {}

/// Counts inflated bytes and stops a decompression bomb: an absolute cap and a ratio cap
/// once enough output exists for the ratio to mean something.
struct Bounded<'a, R> {
    inner: R,
    read: u64,
    limits: &'a Limits,
    compressed: Arc<std::sync::atomic::AtomicU64>,
}

impl<R: Read> Read for Bounded<'_, R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.read += n as u64;
        if self.read > self.limits.max_layer_bytes {
            return Err(io::Error::other(LimitHit(format!(
                "layer inflates beyond {} bytes (limit; raise with --max-layer-size)",
                self.limits.max_layer_bytes
            ))));
        }
        let compressed = self
            .compressed
            .load(std::sync::atomic::Ordering::Relaxed)
            .max(1);
        if self.read > self.limits.ratio_check_after
            && self.read / compressed > self.limits.max_ratio
        {
            return Err(io::Error::other(LimitHit(format!(
                "decompression ratio above {}:1 (likely a decompression bomb)",
                self.limits.max_ratio
            ))));
        }
        Ok(n)
    }
}

/// Counts compressed bytes as they are consumed, for the ratio check and progress.
struct Counting<'a, R> {
    inner: R,
    count: Arc<std::sync::atomic::AtomicU64>,
    progress: Option<&'a (dyn Fn(u64) + Sync)>,
}

impl<R: Read> Read for Counting<'_, R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.count
            .fetch_add(n as u64, std::sync::atomic::Ordering::Relaxed);
        if let Some(p) = self.progress {
            p(n as u64);
        }
        Ok(n)
    }
}

/// Feeds the consumer from the producer thread that reads, hashes and inflates the blob.
struct ChannelReader {
    rx: std::sync::mpsc::Receiver<io::Result<Vec<u8>>>,
    chunk: Vec<u8>,
    pos: usize,
}

impl Read for ChannelReader {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        while self.pos >= self.chunk.len() {
            match self.rx.recv() {
                Ok(Ok(c)) => {
                    self.chunk = c;
                    self.pos = 0;
                }
                Ok(Err(e)) => return Err(e),
                Err(_) => return Ok(0),
            }
        }
        let n = buf.len().min(self.chunk.len() - self.pos);
        buf[..n].copy_from_slice(&self.chunk[self.pos..self.pos + n]);
        self.pos += n;
        Ok(n)
    }
}

const CHUNK: usize = 1 << 20;

pub(crate) fn read_layer(src: LayerSource<'_>, opts: &ReadOptions<'_>) -> Result<LayerData> {
    let name = src.name.clone();
    let alg = src
        .expected_digest
        .as_ref()
        .map(|d| d.algorithm)
        .unwrap_or(Algorithm::Sha256);
    let diff_alg = src
        .expected_diff_id
        .as_ref()
        .map(|d| d.algorithm)
        .unwrap_or(Algorithm::Sha256);
    let (tx, rx) = std::sync::mpsc::sync_channel::<io::Result<Vec<u8>>>(8);
    let (compression_tx, compression_rx) = std::sync::mpsc::sync_channel::<Compression>(1);
    let progress = opts.progress;
    let limits = &opts.limits;
    let reader = src.reader;
    let media_type = src.media_type.clone();
    std::thread::scope(|scope| {
        // The producer reads the blob, hashes it and inflates it; the consumer hashes the
        // inflated stream (diff_id) and walks the tar. Inflating is the longest step, so it
        // gets a core of its own while both digests and the tar walk share the other.
        let producer = scope.spawn(move || {
            let counter = Arc::new(std::sync::atomic::AtomicU64::new(0));
            let hashing = HashingReader::new(
                Counting {
                    inner: reader,
                    count: counter.clone(),
                    progress,
                },
                alg,
            );
            let mut buffered = BufReader::with_capacity(256 << 10, hashing);
            let compression = match buffered.fill_buf() {
                Ok(head) => sniff(&media_type, head),
                Err(e) => {
                    let _ = tx.send(Err(e));
                    return None;
                }
            };
            let _ = compression_tx.send(compression);
            let sent = inflate_into(&mut buffered, compression, limits, counter, &tx);
            if !sent {
                return None;
            }
            // What the inflater did not need is still part of the stored blob and its digest.
            if let Err(e) = io::copy(&mut buffered, &mut io::sink()) {
                let _ = tx.send(Err(e));
                return None;
            }
            let (_, hasher, _) = buffered.into_inner().into_parts();
            Some(hasher.finish())
        });
        let compression = compression_rx.recv().unwrap_or(Compression::None);
        let consumed = consume(
            ChannelReader {
                rx,
                chunk: Vec::new(),
                pos: 0,
            },
            compression,
            diff_alg,
            &name,
            &src.layer_ref,
            opts,
        );
        let blob_digest = producer.join().ok().flatten();
        let (mut data, diff_id) = consumed?;
        let digest = blob_digest
            .ok_or_else(|| ImageError::malformed(&name, "layer blob could not be read"))?;
        if let Some(expected) = &src.expected_digest {
            if &digest != expected {
                return Err(ImageError::DigestMismatch {
                    what: name.clone(),
                    expected: expected.to_string(),
                    actual: digest.to_string(),
                });
            }
        }
        // An uncompressed blob is its own tar stream: the diff_id is the blob digest.
        let diff_id = diff_id.unwrap_or_else(|| digest.clone());
        if let Some(expected) = &src.expected_diff_id {
            if &diff_id != expected {
                return Err(ImageError::DigestMismatch {
                    what: format!("{name} (uncompressed layer, diff_id)"),
                    expected: expected.to_string(),
                    actual: diff_id.to_string(),
                });
            }
        }
        data.digest = digest.to_string();
        data.diff_id = diff_id.to_string();
        Ok(data)
    })
}

/// Inflates `input` (bounded against bombs) into whole chunks on `tx`. False when it stopped
/// early: an error went down the channel, or the consumer hung up after an error of its own.
fn inflate_into<R: BufRead>(
    input: &mut R,
    compression: Compression,
    limits: &Limits,
    compressed: Arc<std::sync::atomic::AtomicU64>,
    tx: &std::sync::mpsc::SyncSender<io::Result<Vec<u8>>>,
) -> bool {
    let inflated: Box<dyn Read + '_> = match compression {
        Compression::None => Box::new(input),
        Compression::Gzip => Box::new(flate2::bufread::MultiGzDecoder::new(input)),
        Compression::Zstd => match zstd::stream::read::Decoder::with_buffer(input) {
            Ok(d) => Box::new(d),
            Err(e) => {
                let _ = tx.send(Err(io::Error::other(format!("zstd: {e}"))));
                return false;
            }
        },
    };
    let mut bounded = Bounded {
        inner: inflated,
        read: 0,
        limits,
        compressed,
    };
    loop {
        let mut buf = vec![0u8; CHUNK];
        let mut filled = 0;
        // Fill whole chunks: fewer, larger messages keep the channel cheap.
        while filled < CHUNK {
            match bounded.read(&mut buf[filled..]) {
                Ok(0) => break,
                Ok(n) => filled += n,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => {
                    let _ = tx.send(Err(e));
                    return false;
                }
            }
        }
        if filled == 0 {
            return true;
        }
        buf.truncate(filled);
        if tx.send(Ok(buf)).is_err() {
            return false;
        }
    }
}

/// Walks the inflated tar stream; returns the data and, for compressed layers, the diff_id.
fn consume(
    input: ChannelReader,
    compression: Compression,
    diff_alg: Algorithm,
    name: &str,
    layer_ref: &LayerRef,
    opts: &ReadOptions<'_>,
) -> Result<(LayerData, Option<Digest>)> {
    let mut data = LayerData::default();
    let hash_it = !matches!(compression, Compression::None);
    let mut tar_reader = TarInput {
        inner: input,
        hasher: hash_it.then(|| Hasher::new(diff_alg)),
        bytes: 0,
    };
    walk_tar(&mut tar_reader, name, layer_ref, opts, &mut data)?;
    // Trailing padding after the end-of-archive blocks belongs to the digests too.
    io::copy(&mut tar_reader, &mut io::sink()).map_err(|e| tar_error(name, e))?;
    data.uncompressed_bytes = tar_reader.bytes;
    Ok((data, tar_reader.hasher.map(Hasher::finish)))
}

/// The tar stream as the consumer reads it: counted, and hashed when it is an inflated
/// stream (an uncompressed blob's digest is already its diff_id).
struct TarInput {
    inner: ChannelReader,
    hasher: Option<Hasher>,
    bytes: u64,
}

impl Read for TarInput {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        if let Some(h) = &mut self.hasher {
            h.update(&buf[..n]);
        }
        self.bytes += n as u64;
        Ok(n)
    }
}

fn walk_tar<R: Read>(
    reader: &mut R,
    name: &str,
    layer_ref: &LayerRef,
    opts: &ReadOptions<'_>,
    data: &mut LayerData,
) -> Result<()> {
    let mut archive = tar::Archive::new(reader);
    let entries = archive
        .entries()
        .map_err(|e| ImageError::malformed(name, format!("not a tar stream: {e}")))?;
    let mut count: u64 = 0;
    for entry in entries {
        let mut entry = entry.map_err(|e| tar_error(name, e))?;
        count += 1;
        if count > opts.limits.max_entries {
            return Err(ImageError::LimitExceeded {
                what: name.to_string(),
                message: format!("more than {} entries in one layer", opts.limits.max_entries),
            });
        }
        let raw_path = entry.path_bytes().into_owned();
        let Some(path) = path::normalize(&raw_path) else {
            if !matches!(&raw_path[..], b"." | b"./" | b"/") {
                data.warnings.push(ScanError::corrupt(
                    name,
                    format!(
                        "entry {:?} escapes the image root; ignored",
                        String::from_utf8_lossy(&raw_path)
                    ),
                ));
            }
            continue;
        };
        let base = path::file_name(&path);
        if let Some(hidden) = base.strip_prefix(".wh.") {
            let parent = path::parent(&path);
            if hidden == ".wh..opq" {
                data.opaque_dirs.push(parent.to_string());
            } else if !hidden.is_empty() {
                let target = if parent.is_empty() {
                    hidden.to_string()
                } else {
                    format!("{parent}/{hidden}")
                };
                data.whiteouts.push(target);
            }
            continue;
        }
        let header = entry.header();
        let et = header.entry_type();
        let mode = header.mode().unwrap_or(0o644);
        let size = entry.size();
        let kind = match et {
            tar::EntryType::Regular | tar::EntryType::Continuous => NodeKind::File,
            tar::EntryType::Directory => NodeKind::Dir,
            tar::EntryType::Symlink => NodeKind::Symlink,
            tar::EntryType::Link => NodeKind::Hardlink,
            tar::EntryType::Char => NodeKind::CharDevice,
            tar::EntryType::Block => NodeKind::BlockDevice,
            tar::EntryType::Fifo => NodeKind::Fifo,
            // GNU sparse files are rare in images; they carry data, so treat as regular.
            tar::EntryType::GNUSparse => NodeKind::File,
            _ => continue,
        };
        let link = match kind {
            NodeKind::Symlink => entry
                .link_name_bytes()
                .map(|b| String::from_utf8_lossy(&b).into_owned()),
            NodeKind::Hardlink => match entry.link_name_bytes().and_then(|b| path::normalize(&b)) {
                Some(t) => Some(t),
                None => {
                    data.warnings.push(ScanError::corrupt(
                        name,
                        format!("hardlink {path:?} points outside the image root; ignored"),
                    ));
                    continue;
                }
            },
            _ => None,
        };
        let mut content = None;
        if kind == NodeKind::File {
            let keep = keep_by_path(opts, &path, size, Some(name), &mut data.warnings);
            // Unread entry data is skipped when the archive moves to the next entry.
            let read = read_wanted(
                entry.by_ref().take(size),
                &path,
                size,
                keep,
                opts,
                opts.kept_budget,
                Some(name),
                &mut data.warnings,
            )
            .map_err(|e| tar_error(name, e))?;
            if let Some(file) = read {
                if let Some(v) = opts.visitor.filter(|_| file.visit) {
                    v.visit(&FileVisit {
                        layer: layer_ref,
                        path: &path,
                        mode,
                        content: &file.content,
                    });
                }
                if file.keep {
                    content = Some(Arc::from(file.content));
                }
            }
        }
        data.entries.push(LayerEntry {
            path,
            kind,
            mode,
            size,
            link,
            content,
        });
    }
    Ok(())
}

fn tar_error(name: &str, e: io::Error) -> ImageError {
    if let Some(limit) = e
        .get_ref()
        .and_then(|inner| inner.downcast_ref::<LimitHit>())
    {
        return ImageError::LimitExceeded {
            what: name.to_string(),
            message: limit.0.clone(),
        };
    }
    let msg = e.to_string();
    if e.kind() == io::ErrorKind::UnexpectedEof {
        ImageError::malformed(name, "truncated layer (unexpected end of data)")
    } else {
        ImageError::malformed(name, format!("corrupt layer: {msg}"))
    }
}
