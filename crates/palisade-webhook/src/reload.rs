//! `admission.yaml` reloaded when it or anything it names (policy directories, inventory,
//! stored reports, keys) changes, without a restart: the new controller serves from the next
//! request on; a configuration that does not load keeps the old one.

use crate::ControllerSlot;
use palisade_engine::admission::Controller;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, SystemTime};

/// Files looked at per directory tree at most: a policy directory is tens of files, and a
/// mistaken `/` must not make the watcher walk a whole filesystem every interval.
const MAX_WATCHED: usize = 10_000;

/// What identifies a version of one file: a rewrite in place or a new file moved over it
/// (how a ConfigMap volume updates) both change one of these.
fn stamp(path: &Path) -> Option<(SystemTime, u64, u64)> {
    let m = std::fs::metadata(path).ok()?;
    #[cfg(unix)]
    let ino = std::os::unix::fs::MetadataExt::ino(&m);
    #[cfg(not(unix))]
    let ino = 0;
    Some((m.modified().ok()?, m.len(), ino))
}

type Stamps = Vec<(PathBuf, Option<(SystemTime, u64, u64)>)>;

/// The stamps of the configuration and of every file under what it names (symlinks
/// followed, as a ConfigMap volume's `..data` link must be), in a stable order.
fn stamps(config: &Path) -> Stamps {
    let mut roots = Controller::inputs(config).unwrap_or_else(|_| vec![config.to_path_buf()]);
    roots.sort();
    roots.dedup();
    let mut out = Vec::new();
    for root in roots {
        let mut stack = vec![root];
        let mut seen = 0;
        while let Some(p) = stack.pop() {
            seen += 1;
            if seen > MAX_WATCHED {
                break;
            }
            match std::fs::read_dir(&p) {
                Ok(entries) => {
                    let mut children: Vec<PathBuf> =
                        entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
                    children.sort();
                    stack.extend(children.into_iter().rev());
                }
                Err(_) => {
                    let st = stamp(&p);
                    out.push((p, st));
                }
            }
        }
    }
    out
}

/// Watches `path` every `interval` on a thread of its own (for the life of the process) and
/// stores a freshly loaded controller in `slot` after each change. As with certificates, a
/// change is taken once the file has stayed the same for one interval, so a file being
/// written is not read half-way.
pub fn watch_config(path: PathBuf, slot: ControllerSlot, interval: Duration) {
    let mut seen = stamps(&path);
    let spawned = std::thread::Builder::new()
        .name("palisade-config-watch".into())
        .spawn(move || {
            let mut pending: Option<Stamps> = None;
            loop {
                std::thread::sleep(interval);
                let now = stamps(&path);
                if now == seen {
                    pending = None;
                    continue;
                }
                if pending.as_ref() != Some(&now) {
                    pending = Some(now);
                    continue;
                }
                pending = None;
                seen = now;
                match Controller::from_yaml_file(&path) {
                    Ok(c) => {
                        slot.store(Arc::new(c));
                        eprintln!("palisade-webhook: reloaded {}", path.display());
                    }
                    Err(e) => eprintln!(
                        "palisade-webhook: {} not reloaded, the previous configuration stays: {e}",
                        path.display()
                    ),
                }
            }
        });
    if let Err(e) = spawned {
        eprintln!("palisade-webhook: cannot watch the configuration for changes: {e}");
    }
}
