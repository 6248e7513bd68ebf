//! Which file contents are kept for analyzers, and how much in all. Kept contents stay in
//! memory until the analyzers ran, so every limit here is a bound on the scan's memory; a
//! file a limit turns away is a warning naming it, never a silent gap in the inventory.

use crate::{FileVisitor, ReadOptions, HEAD_LEN};
use palisade_core::ScanError;
use std::io::{self, Read};
use std::sync::atomic::{AtomicU64, Ordering};

/// Per-file rules for kept contents beyond yes or no by path.
pub trait KeepRules: Sync {
    /// Largest content kept for `path` when it differs from [`crate::Limits::max_kept_file`]
    /// (package databases are allowed more).
    fn max_size(&self, _path: &str, _size: u64) -> Option<u64> {
        None
    }
    /// Whether a wanted file whose first [`HEAD_LEN`] bytes (all of it when shorter) are
    /// `head` is still worth keeping: a file guessed to be an executable from its path is
    /// not kept without an executable header.
    fn wants_head(&self, _path: &str, _size: u64, _head: &[u8]) -> bool {
        true
    }
}

/// Bytes of file content kept across one image or tree, shared by the threads reading it.
#[derive(Debug)]
pub struct KeptBudget {
    total: u64,
    used: AtomicU64,
}

impl KeptBudget {
    pub fn new(total: u64) -> Self {
        KeptBudget {
            total,
            used: AtomicU64::new(0),
        }
    }

    pub fn total(&self) -> u64 {
        self.total
    }

    /// Reserves `n` bytes; `false`, with nothing reserved, when they do not fit.
    pub fn take(&self, n: u64) -> bool {
        self.used
            .fetch_update(Ordering::Relaxed, Ordering::Relaxed, |used| {
                used.checked_add(n).filter(|&u| u <= self.total)
            })
            .is_ok()
    }
}

/// Whether a regular file is wanted for keeping, by path and size. A wanted file over its
/// size limit is reported in `warnings` (with `layer`, when it comes from one) and not kept.
pub(crate) fn keep_by_path(
    opts: &ReadOptions<'_>,
    path: &str,
    size: u64,
    layer: Option<&str>,
    warnings: &mut Vec<ScanError>,
) -> bool {
    if !(opts.keep)(path, size) {
        return false;
    }
    let limit = opts
        .keep_rules
        .and_then(|r| r.max_size(path, size))
        .unwrap_or(opts.limits.max_kept_file);
    if size > limit {
        warnings.push(ScanError::limit_exceeded(
            path,
            format!(
                "{} is over the {} limit for a file analysed{}; not analysed",
                mib(size),
                mib(limit),
                in_layer(layer)
            ),
        ));
        return false;
    }
    true
}

/// A file read for the caller and/or the visitor.
pub(crate) struct ReadFile {
    pub content: Vec<u8>,
    /// Keep `content` for analyzers.
    pub keep: bool,
    /// Offer `content` to the visitor.
    pub visit: bool,
}

/// Reads a wanted file's content from `r` (already limited to what may be read): its head
/// first, then the rest unless nobody wants it any more. `keep` comes from
/// [`keep_by_path`]; `visitor` is set when the visitor wants the file by path. A file that
/// no longer fits `budget` is reported in `warnings` and only visited. `None` when neither
/// the caller nor the visitor needs the content.
#[allow(clippy::too_many_arguments)]
pub(crate) fn read_wanted(
    mut r: impl Read,
    path: &str,
    size: u64,
    mut keep: bool,
    opts: &ReadOptions<'_>,
    budget: Option<&KeptBudget>,
    layer: Option<&str>,
    warnings: &mut Vec<ScanError>,
) -> io::Result<Option<ReadFile>> {
    let visitor: Option<&dyn FileVisitor> = opts.visitor.filter(|v| v.wants(path, size));
    if !keep && visitor.is_none() {
        return Ok(None);
    }
    // `size` comes from the tar header or stat: reserving it spares regrowing the buffer for
    // large files. The reader is limited, so a wrong size costs a reallocation at most, and
    // the reservation is capped so that a hostile header cannot reserve much.
    const MAX_RESERVE: u64 = 64 << 20;
    let mut buf = Vec::with_capacity(size.min(MAX_RESERVE) as usize);
    (&mut r).take(HEAD_LEN as u64).read_to_end(&mut buf)?;
    if keep {
        keep = opts
            .keep_rules
            .is_none_or(|k| k.wants_head(path, size, &buf));
    }
    if keep {
        if let Some(b) = budget.filter(|b| !b.take(size)) {
            warnings.push(ScanError::limit_exceeded(
                path,
                format!(
                    "the {} budget for file contents kept for analysis is spent{}; not analysed",
                    mib(b.total()),
                    in_layer(layer)
                ),
            ));
            keep = false;
        }
    }
    // A file read whole anyway is visited without asking; otherwise the visitor may turn it
    // down from its head (binary files) and spare reading the rest.
    let visit = visitor.is_some_and(|v| keep || v.wants_content(path, size, &buf));
    if !keep && !visit {
        return Ok(None);
    }
    r.read_to_end(&mut buf)?;
    Ok(Some(ReadFile {
        content: buf,
        keep,
        visit,
    }))
}

fn mib(n: u64) -> String {
    if n >= 1 << 20 {
        format!("{} MiB", n >> 20)
    } else {
        format!("{n} bytes")
    }
}

fn in_layer(layer: Option<&str>) -> String {
    layer.map(|l| format!(" ({l})")).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::KeptBudget;

    #[test]
    fn budget_refuses_what_does_not_fit_and_keeps_the_rest() {
        let b = KeptBudget::new(100);
        assert!(b.take(60));
        assert!(!b.take(50));
        assert!(b.take(40));
        assert!(!b.take(1));
        assert!(!b.take(u64::MAX));
    }
}
