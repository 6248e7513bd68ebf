//! End to end, as root with BPF: the sensor is attached, real activity is triggered, and
//! the alerts of Falco's default rules must come out with the right process, parent and
//! container fields:
//!
//! - `cat /etc/shadow` on the host → "Read sensitive file untrusted", container.id=host;
//! - a shell with a terminal, started by a process that made itself a container the way
//!   runc does (re-executed through /proc/self/exe, so its name is `exe`; moved into a
//!   cgroup named as Docker names them; new PID and mount namespaces with unshare(2)) →
//!   "Terminal shell in container" with the container's id;
//! - in that shell, `cat /etc/shadow` and a reverse shell to a listener on 127.0.0.1
//!   (`exec 0<>/dev/tcp/…`, a connect then a dup2 onto stdin) → "Read sensitive file
//!   untrusted" and "Redirect STDOUT/STDIN to Network Connection in Container".
//!
//! Falco's rules come from `PALISADE_FALCO_RULES` or the shared corpus when present;
//! otherwise from `tests/fixtures/falco_subset.yaml`, the same rules and macros written out
//! (a fresh clone has no corpus).
#![cfg(feature = "ebpf")]

mod common;

use common::{cgroup::TestCgroup, init};
use palisade_runtime::{Alert, FieldCatalog, K8sAudit, Syscall};
use palisade_sensor::watch::{watch, WatchOptions};
use std::net::TcpListener;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{mpsc, Arc};
use std::time::{Duration, Instant};

/// The re-executed "container runtime" (see common::init); a no-op in a normal test run.
#[test]
fn container_init() {
    init::run_if_asked();
}

fn falco_rules() -> PathBuf {
    if let Some(p) = std::env::var_os("PALISADE_FALCO_RULES") {
        return p.into();
    }
    let corpus = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(
        "../../../shared/corpus/falco/rules-current/falcosecurity__rules/rules/falco_rules.yaml",
    );
    if corpus.exists() {
        return corpus;
    }
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/falco_subset.yaml")
}

fn field<'a>(a: &'a Alert, k: &str) -> &'a str {
    a.output_fields
        .get(k)
        .and_then(|v| v.as_str())
        .unwrap_or("")
}

#[test]
fn triggered_activity_gives_the_default_rules_alerts() {
    if let Some(why) = common::skip_reason() {
        eprintln!("\n\n*** SKIPPED e2e_alerts: {why} ***\n");
        return;
    }
    let rules = falco_rules();
    eprintln!("rules: {}", rules.display());
    let cats: [&dyn FieldCatalog; 2] = [&K8sAudit, &Syscall];
    let set = palisade_runtime::load_files(&[rules], &cats);
    assert_eq!(set.errors(), 0, "{:#?}", set.diagnostics);

    let stop = Arc::new(AtomicBool::new(false));
    let ready = Arc::new(AtomicBool::new(false));
    let (tx, rx) = mpsc::channel::<Alert>();
    let opts = WatchOptions {
        ready: Some(ready.clone()),
        status_file: None,
        ..WatchOptions::default()
    };
    let stop2 = stop.clone();
    let sensor = std::thread::spawn(move || {
        watch(&set, &opts, &stop2, &mut |a: &Alert| {
            let _ = tx.send(a.clone());
        })
    });
    let t0 = Instant::now();
    while !ready.load(Ordering::Relaxed) {
        assert!(
            t0.elapsed() < Duration::from_secs(30),
            "sensor never attached"
        );
        if sensor.is_finished() {
            panic!("sensor ended: {:?}", sensor.join());
        }
        std::thread::sleep(Duration::from_millis(20));
    }

    // 1. The host. The second path is not the file's name as written: the kernel's path
    // filter cannot judge it and must send it; /etc/hostname matches no rule and is dropped.
    for path in ["/etc/shadow", "/etc//shadow", "/etc/hostname"] {
        let st = std::process::Command::new("cat")
            .arg(path)
            .stdout(std::process::Stdio::null())
            .status()
            .expect("cat runs");
        assert!(st.success());
    }

    // 2. The container.
    let listener = TcpListener::bind("127.0.0.1:0").expect("listener");
    let port = listener.local_addr().expect("addr").port();
    let accepter = std::thread::spawn(move || listener.accept().map(|(s, _)| s));
    let cg = TestCgroup::create().expect("test cgroup");
    let script = format!("cat /etc/shadow >/dev/null; exec 0<>/dev/tcp/127.0.0.1/{port}");
    let status = init::spawn_container(&cg, &script).expect("container runs");
    assert!(status.success(), "container shell failed: {status:?}");
    let _conn = accepter.join().expect("accept thread");

    // Collect until the expected alerts arrived (or 20 s).
    let want = [
        "Read sensitive file untrusted",
        "Terminal shell in container",
        "Redirect STDOUT/STDIN to Network Connection in Container",
    ];
    let mut alerts: Vec<Alert> = Vec::new();
    let deadline = Instant::now() + Duration::from_secs(20);
    let done = |alerts: &[Alert]| {
        want.iter().all(|w| alerts.iter().any(|a| a.rule == *w))
            && alerts
                .iter()
                .filter(|a| a.rule == "Read sensitive file untrusted")
                .count()
                >= 3
    };
    while !done(&alerts) && Instant::now() < deadline {
        if let Ok(a) = rx.recv_timeout(Duration::from_millis(100)) {
            alerts.push(a);
        }
    }
    stop.store(true, Ordering::Relaxed);
    let summary = sensor.join().expect("sensor thread").expect("sensor ran");
    while let Ok(a) = rx.try_recv() {
        alerts.push(a);
    }
    eprintln!("{summary:?}");
    for a in &alerts {
        eprintln!("{}: {}", a.rule, a.output);
    }

    let shadow: Vec<&Alert> = alerts
        .iter()
        .filter(|a| a.rule == "Read sensitive file untrusted" && field(a, "proc.name") == "cat")
        .collect();
    let own_comm = std::fs::read_to_string("/proc/self/comm").unwrap_or_default();
    let host = shadow
        .iter()
        .find(|a| field(a, "container.id") == "host")
        .expect("host cat /etc/shadow alert");
    assert_eq!(field(host, "fd.name"), "/etc/shadow");
    assert_eq!(field(host, "proc.cmdline"), "cat /etc/shadow");
    assert_eq!(field(host, "proc.pname"), own_comm.trim());
    assert_eq!(field(host, "user.name"), "root");
    let written = shadow
        .iter()
        .find(|a| field(a, "proc.cmdline") == "cat /etc//shadow")
        .expect("cat /etc//shadow alert: sent past the path filter");
    assert_eq!(field(written, "fd.name"), "/etc/shadow");
    assert!(
        alerts
            .iter()
            .all(|a| field(a, "fd.name") != "/etc/hostname"),
        "no rule reads /etc/hostname"
    );
    let filter = summary
        .path_filter
        .as_ref()
        .expect("the rules allow a path filter");
    assert!(filter.prefixes.contains(&b"/etc/shadow\0".to_vec()));
    assert!(summary.kernel.path_skipped > 0, "{:?}", summary.kernel);

    let in_container = shadow
        .iter()
        .find(|a| field(a, "container.id") == cg.short_id())
        .expect("cat /etc/shadow in the container");
    assert_eq!(field(in_container, "proc.pname"), "bash");

    let shell = alerts
        .iter()
        .find(|a| a.rule == "Terminal shell in container")
        .expect("terminal shell alert");
    assert_eq!(field(shell, "proc.name"), "bash");
    assert_eq!(field(shell, "proc.pname"), "exe");
    assert_eq!(field(shell, "container.id"), cg.short_id());
    assert_ne!(field(shell, "proc.tty"), "0");
    assert!(field(shell, "proc.cmdline").starts_with("bash -c cat /etc/shadow"));

    let redirect = alerts
        .iter()
        .find(|a| a.rule == "Redirect STDOUT/STDIN to Network Connection in Container")
        .expect("reverse shell alert");
    assert_eq!(field(redirect, "proc.name"), "bash");
    assert_eq!(field(redirect, "container.id"), cg.short_id());
    assert_eq!(field(redirect, "fd.sip"), "127.0.0.1");
    assert_eq!(field(redirect, "fd.rport"), port.to_string());
    assert_eq!(field(redirect, "fd.type"), "ipv4");
    assert_eq!(field(redirect, "fd.l4proto"), "tcp");

    assert_eq!(summary.kernel.dropped, 0);
    assert_eq!(summary.bad_records, 0);
}
