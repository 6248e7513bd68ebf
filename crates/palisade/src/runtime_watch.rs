//! `palisade runtime watch | status`: the eBPF sensor's alerts, live.

use anyhow::{Context, Result};
use clap::{Args, ValueEnum};
use palisade_runtime::Alert;
use palisade_sensor::container::KubeletConfig;
use palisade_sensor::watch::{watch, WatchOptions};
use std::io::Write;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

const STATUS_FILE: &str = "/run/palisade/sensor.json";

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum WatchFormat {
    /// Falco's JSON alert, one per line.
    Json,
    /// Falco's text line: `time: Priority output`.
    Text,
}

#[derive(Args, Debug)]
pub struct WatchArgs {
    /// Falco rules files, loaded in order.
    #[arg(long = "rules", short = 'r', required = true)]
    pub rules: Vec<PathBuf>,
    #[arg(long, short = 'f', value_enum, default_value = "json")]
    pub format: WatchFormat,
    /// Also append alerts (JSON lines) to this file.
    #[arg(long)]
    pub output: Option<PathBuf>,
    /// POST each alert (JSON) to this URL.
    #[arg(long)]
    pub http_url: Option<String>,
    /// Keep the event stream (JSON lines, replayable with `runtime replay --source syscall`).
    #[arg(long)]
    pub record: Option<PathBuf>,
    /// Stop after this long (`30s`, `5m`, `1h`); default: until Ctrl-C or SIGTERM.
    #[arg(long, value_parser = parse_duration)]
    pub duration: Option<Duration>,
    /// The kubelet's pod list, for k8s.* fields (`https://NODE:10250/pods`).
    #[arg(long)]
    pub kubelet_url: Option<String>,
    #[arg(long, requires = "kubelet_url")]
    pub kubelet_token_file: Option<PathBuf>,
    #[arg(long, requires = "kubelet_url")]
    pub kubelet_ca: Option<PathBuf>,
    /// Accept any kubelet certificate.
    #[arg(long, requires = "kubelet_url")]
    pub kubelet_insecure: bool,
    /// Kill (SIGKILL) the process behind an alert of a rule carrying this tag. Off by default.
    #[arg(long)]
    pub enforce_tag: Option<String>,
    /// Alert for every matching rule, not only the first.
    #[arg(long)]
    pub all_matches: bool,
    /// Ring buffer size in MiB (a power of two).
    #[arg(long, default_value_t = 16)]
    pub ring_mib: u32,
    /// Where counters are written every second, for `runtime status`.
    #[arg(long, default_value = STATUS_FILE)]
    pub status_file: PathBuf,
    /// Print the run's counters on stderr at the end.
    #[arg(long)]
    pub stats: bool,
    /// The directory holding the host's passwd and group files, for user.name and
    /// group.name (in a container: where the node's files are mounted).
    #[arg(long, default_value = "/etc")]
    pub host_etc: PathBuf,
    /// Send every open to user space. By default the kernel drops opens whose path no
    /// loaded rule can match (see docs/runtime.md, "Path filter").
    #[arg(long)]
    pub no_path_filter: bool,
}

#[derive(Args, Debug)]
pub struct StatusArgs {
    /// JSON instead of lines.
    #[arg(long)]
    pub json: bool,
    #[arg(long, default_value = STATUS_FILE)]
    pub status_file: PathBuf,
    /// Exit 1 unless a sensor is running and wrote its counters within this long (`30s`):
    /// a liveness check for the DaemonSet.
    #[arg(long, value_parser = parse_duration)]
    pub max_age: Option<Duration>,
}

pub fn parse_duration(s: &str) -> Result<Duration, String> {
    let (num, unit) = s.split_at(s.find(|c: char| !c.is_ascii_digit()).unwrap_or(s.len()));
    let n: u64 = num
        .parse()
        .map_err(|_| format!("{s}: expected e.g. 30s, 5m, 1h"))?;
    let secs = match unit {
        "" | "s" => n,
        "ms" => return Ok(Duration::from_millis(n)),
        "m" => n * 60,
        "h" => n * 3600,
        _ => return Err(format!("{s}: unit must be ms, s, m or h")),
    };
    Ok(Duration::from_secs(secs))
}

static STOP: AtomicBool = AtomicBool::new(false);

extern "C" fn on_signal(_: libc::c_int) {
    STOP.store(true, Ordering::Relaxed);
}

pub fn run_watch(a: &WatchArgs) -> Result<i32> {
    let set = crate::runtime::loaded(&a.rules)?;
    let kubelet = a.kubelet_url.as_ref().map(|u| {
        let mut c = KubeletConfig::new(u.clone());
        c.token_file = a.kubelet_token_file.clone();
        c.ca_file = a.kubelet_ca.clone();
        c.insecure_skip_verify = a.kubelet_insecure;
        c
    });
    if let Some(dir) = a.status_file.parent() {
        let _ = std::fs::create_dir_all(dir);
    }
    let mut opts = WatchOptions {
        all_matches: a.all_matches,
        enforce_tag: a.enforce_tag.clone(),
        record: a.record.clone(),
        kubelet,
        status_file: Some(a.status_file.clone()),
        etc_dir: Some(a.host_etc.clone()),
        all_opens: a.no_path_filter,
        ..WatchOptions::default()
    };
    opts.sensor.ring_bytes = a
        .ring_mib
        .checked_next_power_of_two()
        .and_then(|m| m.checked_mul(1 << 20))
        .context("--ring-mib too large")?;
    // SAFETY: the handler only stores to an atomic, which is async-signal-safe.
    unsafe {
        libc::signal(libc::SIGINT, on_signal as *const () as libc::sighandler_t);
        libc::signal(libc::SIGTERM, on_signal as *const () as libc::sighandler_t);
    }
    if let Some(d) = a.duration {
        std::thread::spawn(move || {
            std::thread::sleep(d);
            STOP.store(true, Ordering::Relaxed);
        });
    }
    let mut file = match &a.output {
        Some(p) => Some(
            std::fs::OpenOptions::new()
                .create(true)
                .append(true)
                .open(p)
                .with_context(|| format!("--output {}", p.display()))?,
        ),
        None => None,
    };
    let http = a
        .http_url
        .as_ref()
        .map(|u| palisade_sensor::sink::HttpSink::start(u.clone()));
    let mut out = std::io::stdout();
    let mut write_err: Option<std::io::Error> = None;
    let mut file_failed = 0u64;
    let mut on_alert = |al: &Alert| {
        let json = serde_json::to_string(al).unwrap_or_default();
        let line = match a.format {
            WatchFormat::Json => json.clone(),
            WatchFormat::Text => al.output.clone(),
        };
        if let Err(e) = writeln!(out, "{line}").and_then(|_| out.flush()) {
            write_err.get_or_insert(e);
            STOP.store(true, Ordering::Relaxed);
        }
        // A full disk must not stop detection (stdout still has the alert), but is reported.
        if let Some(f) = file.as_mut() {
            if writeln!(f, "{json}").is_err() {
                file_failed += 1;
            }
        }
        if let Some(h) = &http {
            h.send(json);
        }
    };
    let summary = watch(&set, &opts, &STOP, &mut on_alert).map_err(anyhow::Error::from)?;
    if let Some(e) = write_err {
        return Err(e.into());
    }
    if a.stats {
        eprintln!(
            "{} records ({} unreadable), {} events, {} alerts, {} killed; kernel: {} sent, {} dropped, {} opens left out by the path filter ({}); syscalls: {}",
            summary.records,
            summary.bad_records,
            summary.events,
            summary.alerts,
            summary.killed,
            summary.kernel.sent,
            summary.kernel.dropped,
            summary.kernel.path_skipped,
            match &summary.path_filter {
                Some(f) => format!(
                    "{} prefixes, {} suffixes, {} substrings",
                    f.prefixes.len(),
                    f.suffixes.len(),
                    f.contains.len()
                ),
                None => "off".to_string(),
            },
            summary.syscalls.join(",")
        );
    }
    if file_failed > 0 {
        eprintln!("palisade: warning: {file_failed} alerts could not be written to --output");
    }
    if let Some(h) = http {
        let failed = h.finish();
        if failed > 0 {
            eprintln!(
                "palisade: warning: {failed} alerts could not be posted to the HTTP endpoint"
            );
        }
    }
    Ok(0)
}

pub fn run_status(a: &StatusArgs) -> Result<i32> {
    let checks = palisade_sensor::probe::checks();
    let running = std::fs::read_to_string(&a.status_file)
        .ok()
        .and_then(|s| serde_json::from_str::<serde_json::Value>(&s).ok())
        .filter(|v| {
            v.get("pid")
                .and_then(|p| p.as_i64())
                .is_some_and(|p| std::path::Path::new(&format!("/proc/{p}")).exists())
        });
    if a.json {
        let v = serde_json::json!({"checks": checks, "sensor": running});
        println!("{}", serde_json::to_string_pretty(&v)?);
    } else {
        for c in &checks {
            println!(
                "{:<26} {:<4} {}",
                c.name,
                if c.ok { "ok" } else { "FAIL" },
                c.detail
            );
        }
        match &running {
            Some(v) => println!(
                "{:<26} {:<4} pid {}, {} records sent, {} dropped, {} opens left out by the path filter, programs: {}",
                "sensor",
                "ok",
                v["pid"],
                v["counters"]["sent"],
                v["counters"]["dropped"],
                v["counters"]["path_skipped"],
                v["counters"]["programs"]
                    .as_array()
                    .map(|p| p
                        .iter()
                        .filter_map(|x| x.as_str())
                        .collect::<Vec<_>>()
                        .join(","))
                    .unwrap_or_default()
            ),
            None => println!(
                "{:<26} {:<4} no sensor running (`palisade runtime watch`)",
                "sensor", "-"
            ),
        }
    }
    if let Some(max) = a.max_age {
        let now_ms = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_millis() as i64);
        let age_ms = running
            .as_ref()
            .and_then(|v| v["updated_unix_ms"].as_i64())
            .map(|t| now_ms - t);
        if age_ms.is_none_or(|age| age > max.as_millis() as i64) {
            eprintln!(
                "palisade: no sensor has written {} within {max:?}",
                a.status_file.display()
            );
            return Ok(1);
        }
    }
    Ok(if checks.iter().all(|c| c.ok) { 0 } else { 1 })
}
