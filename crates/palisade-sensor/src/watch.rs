//! Live detection: the sensor's events through Falco rules, alerts handed to the caller,
//! optional recording of the event stream (replayable with `palisade runtime replay`) and
//! optional enforcement (SIGKILL for alerts of rules carrying a chosen tag).

use crate::container::{spawn_refresher, KubeletClient, KubeletConfig};
use crate::pathfilter::PathFilter;
use crate::pipeline::Pipeline;
use crate::wanted::Wanted;
use crate::{syscalls, Counters, SensorError, SensorOptions};
use palisade_runtime::rules::RuleSet;
use palisade_runtime::syscall::SyscallEvent;
use palisade_runtime::{Alert, Engine, Matching, Syscall};
use serde::Serialize;
use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

#[derive(Debug, Clone, Default)]
pub struct WatchOptions {
    pub sensor: SensorOptions,
    pub all_matches: bool,
    /// Kill the process behind an alert of a rule with this tag.
    pub enforce_tag: Option<String>,
    pub record: Option<PathBuf>,
    pub kubelet: Option<KubeletConfig>,
    pub kubelet_every: Option<Duration>,
    /// Counters written here every tick, for `palisade runtime status`.
    pub status_file: Option<PathBuf>,
    /// Falco's `append_output` (default [`APPEND_OUTPUT`]); empty: nothing appended.
    pub append_output: Option<String>,
    /// Set once the programs are attached: activity from then on is seen.
    pub ready: Option<Arc<AtomicBool>>,
    /// Where the host's passwd and group files are (default `/etc`).
    pub etc_dir: Option<PathBuf>,
    /// Send every open: no [`PathFilter`] (by default the kernel drops the opens whose path
    /// no rule can match).
    pub all_opens: bool,
}

/// Where an alert came from, appended to every rule's output as Falco's container plugin
/// configuration appends it (the default rules' outputs no longer carry container fields).
pub const APPEND_OUTPUT: &str = " container_id=%container.id container_name=%container.name container_image=%container.image.repository k8s_ns=%k8s.ns.name k8s_pod=%k8s.pod.name";

#[derive(Debug, Clone, Default, Serialize)]
pub struct WatchSummary {
    pub records: u64,
    pub bad_records: u64,
    pub events: u64,
    pub alerts: u64,
    pub killed: u64,
    pub kernel: Counters,
    /// Event types delivered by the kernel (all supported ones when a rule needs every event).
    pub syscalls: Vec<String>,
    pub rules: usize,
    /// The kernel's path filter for opens; `None`: every open is sent.
    pub path_filter: Option<PathFilter>,
}

/// The syscalls the rules are filed under, plus what the process table always needs; every
/// supported one when some rule is not filed under an event type.
pub fn needed_syscalls(engine: &Engine<Syscall>) -> Vec<u32> {
    let mut out: Vec<u32> = match engine.index_keys() {
        Some(keys) => {
            // A dup'ed socket's client and server come from the connect or accept before it.
            let dup = keys.iter().any(|k| k.starts_with("dup"));
            let roles: &[&str] = if dup {
                &["connect", "accept", "accept4"]
            } else {
                &[]
            };
            keys.iter()
                .copied()
                .chain(syscalls::ALWAYS.iter().copied())
                .chain(roles.iter().copied())
                .filter_map(syscalls::number)
                .collect()
        }
        None => syscalls::SUPPORTED.iter().map(|(n, _)| *n).collect(),
    };
    out.sort_unstable();
    out.dedup();
    out
}

fn enforce(a: &Alert, ev: &SyscallEvent, tag: &str) -> bool {
    if !a.tags.iter().any(|t| t == tag) {
        return false;
    }
    let Some(pid) = ev.get("proc.pid").and_then(|v| v.as_i64()) else {
        return false;
    };
    let pid = pid as i32;
    // Never the machine's init or the sensor itself.
    if pid <= 1 || pid as u32 == std::process::id() {
        return false;
    }
    // SAFETY: kill(2) with a plain pid and signal has no memory effects.
    unsafe { libc::kill(pid, libc::SIGKILL) == 0 }
}

pub fn watch(
    set: &RuleSet,
    opts: &WatchOptions,
    stop: &AtomicBool,
    on_alert: &mut dyn FnMut(&Alert),
) -> Result<WatchSummary, SensorError> {
    let mut engine = Engine::new(Syscall, set);
    if opts.all_matches {
        engine.matching = Matching::All;
    }
    engine.hostname = palisade_runtime::output::alert::local_hostname();
    let append = opts.append_output.as_deref().unwrap_or(APPEND_OUTPUT);
    if !append.is_empty() {
        engine.append_output(append);
    }
    let mut sensor = opts.sensor.clone();
    sensor.syscalls = needed_syscalls(&engine);
    if !opts.all_opens {
        sensor.path_filter = PathFilter::of(&engine);
    }
    let pods = match &opts.kubelet {
        Some(cfg) => {
            let client = KubeletClient::new(cfg.clone())
                .map_err(|e| SensorError::Io(std::io::Error::other(format!("kubelet: {e}"))))?;
            let every = opts.kubelet_every.unwrap_or(Duration::from_secs(10));
            Some(
                spawn_refresher(client, every, |e| {
                    eprintln!("palisade: warning: kubelet pod list: {e}")
                })
                .map_err(|e| SensorError::Io(std::io::Error::other(format!("kubelet: {e}"))))?,
            )
        }
        None => None,
    };
    // A recording keeps every field so it replays under any rules.
    let wanted = if opts.record.is_some() {
        Wanted::all()
    } else {
        Wanted::of(set, "syscall", append)
    };
    let etc = opts
        .etc_dir
        .clone()
        .unwrap_or_else(|| PathBuf::from("/etc"));
    let mut pipeline = Pipeline::new(pods, wanted, &etc);
    let mut record = match &opts.record {
        Some(p) => Some(BufWriter::new(File::create(p)?)),
        None => None,
    };
    let mut summary = WatchSummary {
        rules: engine.rules.len(),
        path_filter: sensor.path_filter.clone(),
        syscalls: sensor
            .syscalls
            .iter()
            .filter_map(|n| syscalls::name(i64::from(*n)).map(str::to_string))
            .collect(),
        ..WatchSummary::default()
    };
    let mut record_err: Option<std::io::Error> = None;
    let mut on_record = |bytes: &[u8]| {
        let Some(ev) = pipeline.feed(bytes) else {
            return;
        };
        summary.events += 1;
        if let Some(w) = record.as_mut() {
            let line = serde_json::to_string(&ev.merged()).unwrap_or_default();
            if let Err(e) = writeln!(w, "{line}") {
                record_err.get_or_insert(e);
            }
        }
        for a in engine.process(&ev) {
            summary.alerts += 1;
            if let Some(tag) = &opts.enforce_tag {
                if enforce(&a, &ev, tag) {
                    summary.killed += 1;
                }
            }
            on_alert(&a);
        }
    };
    let status_file = opts.status_file.clone();
    let ready = opts.ready.clone();
    let mut on_tick = |c: &Counters| {
        if let Some(r) = &ready {
            r.store(true, Ordering::Relaxed);
        }
        if let Some(p) = &status_file {
            write_status(p, c);
        }
    };
    let kernel = crate::run(&sensor, stop, &mut on_record, &mut on_tick)?;
    if let Some(mut w) = record {
        w.flush()?;
    }
    if let Some(e) = record_err {
        return Err(SensorError::Io(e));
    }
    summary.records = pipeline.records;
    summary.bad_records = pipeline.bad_records;
    summary.kernel = kernel;
    Ok(summary)
}

#[derive(Serialize)]
struct Status<'a> {
    pid: u32,
    updated_unix_ms: u128,
    counters: &'a Counters,
}

/// Written next to itself and renamed, so a reader never sees half a file.
fn write_status(p: &std::path::Path, c: &Counters) {
    let st = Status {
        pid: std::process::id(),
        updated_unix_ms: std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_millis()),
        counters: c,
    };
    let tmp = p.with_extension("tmp");
    if let Ok(text) = serde_json::to_vec_pretty(&st) {
        if std::fs::write(&tmp, text).is_ok() {
            let _ = std::fs::rename(&tmp, p);
        }
    }
}
