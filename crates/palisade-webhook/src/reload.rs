//! `admission.yaml` reloaded when it changes, without a restart: the new controller serves
//! from the next request on; a file that does not load keeps the old one.

use crate::ControllerSlot;
use palisade_engine::admission::Controller;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, SystemTime};

/// What identifies a version of the file: a rewrite in place or a new file moved over it
/// (how a ConfigMap volume updates) both change one of these.
fn stamp(path: &std::path::Path) -> Option<(SystemTime, u64, u64)> {
    let m = std::fs::metadata(path).ok()?;
    #[cfg(unix)]
    let ino = std::os::unix::fs::MetadataExt::ino(&m);
    #[cfg(not(unix))]
    let ino = 0;
    Some((m.modified().ok()?, m.len(), ino))
}

/// Watches `path` every `interval` on a thread of its own (for the life of the process) and
/// stores a freshly loaded controller in `slot` after each change. As with certificates, a
/// change is taken once the file has stayed the same for one interval, so a file being
/// written is not read half-way.
pub fn watch_config(path: PathBuf, slot: ControllerSlot, interval: Duration) {
    let mut seen = stamp(&path);
    let spawned = std::thread::Builder::new()
        .name("palisade-config-watch".into())
        .spawn(move || {
            let mut pending: Option<Option<(SystemTime, u64, u64)>> = None;
            loop {
                std::thread::sleep(interval);
                let now = stamp(&path);
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
