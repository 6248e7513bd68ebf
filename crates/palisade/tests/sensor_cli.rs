//! `palisade runtime status | watch` through the CLI. `watch` needs root and a build with
//! the eBPF programs (`cargo test --workspace` has them); elsewhere it prints SKIPPED.

mod common;

use common::{palisade, repo_root};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// `runtime status --json` with no sensor running.
fn status_json() -> Option<serde_json::Value> {
    let out = palisade()
        .args([
            "runtime",
            "status",
            "--json",
            "--status-file",
            "/nonexistent/s.json",
        ])
        .output()
        .ok()?;
    serde_json::from_slice(&out.stdout).ok()
}

#[test]
fn status_lists_kernel_features() {
    let v = status_json().expect("status prints JSON");
    let names: Vec<&str> = v["checks"]
        .as_array()
        .expect("checks")
        .iter()
        .filter_map(|c| c["name"].as_str())
        .collect();
    for n in [
        "kernel",
        "btf",
        "tracepoint",
        "kprobes",
        "capabilities",
        "cgroup2",
        "build",
    ] {
        assert!(names.contains(&n), "{n} missing from {names:?}");
    }
    assert!(
        v["sensor"].is_null(),
        "no sensor runs with that status file"
    );
}

fn skip_reason() -> Option<String> {
    // SAFETY: geteuid has no preconditions.
    if unsafe { libc::geteuid() } != 0 {
        return Some("not root".into());
    }
    let v = status_json()?;
    let failed: Vec<String> = v["checks"]
        .as_array()?
        .iter()
        .filter(|c| c["ok"] == false)
        .map(|c| format!("{}: {}", c["name"], c["detail"]))
        .collect();
    (!failed.is_empty()).then(|| failed.join("; "))
}

fn subset_rules() -> std::path::PathBuf {
    repo_root().join("crates/palisade-sensor/tests/fixtures/falco_subset.yaml")
}

/// Reads a file with `cat`, whose open the sensor reports.
fn cat(path: &str) {
    let st = Command::new("cat")
        .arg(path)
        .stdout(Stdio::null())
        .status()
        .expect("cat runs");
    assert!(st.success(), "cat {path}");
}

/// `runtime watch` with the rule subset, returned once it has attached (its status file
/// exists); output is piped.
fn start_watch(args: &[&str], status: &std::path::Path) -> std::process::Child {
    start_watch_with(&subset_rules(), args, status)
}

fn start_watch_with(
    rules: &std::path::Path,
    args: &[&str],
    status: &std::path::Path,
) -> std::process::Child {
    let child = Command::new(assert_cmd::cargo::cargo_bin("palisade"))
        .args(["runtime", "watch", "-r"])
        .arg(rules)
        .args(args)
        .arg("--status-file")
        .arg(status)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("watch starts");
    let t0 = Instant::now();
    while !status.exists() {
        assert!(
            t0.elapsed() < Duration::from_secs(30),
            "sensor never attached"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    child
}

#[test]
fn watch_alerts_and_its_recording_replays_the_same() {
    if let Some(why) = skip_reason() {
        eprintln!("\n\n*** SKIPPED sensor_cli watch: {why} ***\n");
        return;
    }
    let dir = tempfile::tempdir().expect("tempdir");
    let rules = subset_rules();
    let status = dir.path().join("status.json");
    let record = dir.path().join("events.jsonl");
    let record_arg = record.to_string_lossy().into_owned();
    let child = start_watch(
        &["--duration", "4s", "--stats", "--record", &record_arg],
        &status,
    );
    // `runtime status` sees the running sensor through its status file.
    let st = palisade()
        .args(["runtime", "status", "--json", "--status-file"])
        .arg(&status)
        .output()
        .expect("status");
    let v: serde_json::Value = serde_json::from_slice(&st.stdout).expect("JSON");
    assert_eq!(
        v["sensor"]["counters"]["programs"].as_array().map(Vec::len),
        Some(4)
    );

    cat("/etc/shadow");
    let out = child.wait_with_output().expect("watch ends");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert!(stderr.contains(" 0 dropped"), "{stderr}");
    let alerts: Vec<serde_json::Value> = String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter_map(|l| serde_json::from_str(l).ok())
        .collect();
    let shadow = alerts
        .iter()
        .find(|a| {
            a["rule"] == "Read sensitive file untrusted" && a["output_fields"]["proc.name"] == "cat"
        })
        .unwrap_or_else(|| panic!("no alert for cat in {alerts:#?}"));
    assert_eq!(shadow["output_fields"]["container.id"], "host");
    assert_eq!(shadow["source"], "syscall");

    // The recording replays to the same alert.
    let replay = palisade()
        .args(["runtime", "replay", "--source", "syscall", "-r"])
        .arg(&rules)
        .arg(&record)
        .output()
        .expect("replay");
    let replayed = String::from_utf8_lossy(&replay.stdout);
    let again = replayed
        .lines()
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .find(|a| {
            a["rule"] == "Read sensitive file untrusted" && a["output_fields"]["proc.name"] == "cat"
        })
        .unwrap_or_else(|| panic!("replay lost the alert: {replayed}"));
    assert_eq!(
        again["output_fields"]["fd.name"],
        shadow["output_fields"]["fd.name"]
    );
    assert_eq!(
        again["output_fields"]["proc.cmdline"],
        shadow["output_fields"]["proc.cmdline"]
    );
}

/// Opens of `/etc/hostname` in a recording made with and without the path filter.
fn recorded_hostname_opens(extra: &[&str]) -> (usize, String) {
    let dir = tempfile::tempdir().expect("tempdir");
    let status = dir.path().join("status.json");
    let record = dir.path().join("events.jsonl");
    let record_arg = record.to_string_lossy().into_owned();
    let mut args = vec!["--duration", "3s", "--stats", "--record", &record_arg];
    args.extend_from_slice(extra);
    let child = start_watch(&args, &status);
    for path in ["/etc/hostname", "/etc/shadow"] {
        cat(path);
    }
    let out = child.wait_with_output().expect("watch ends");
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(out.status.success(), "{stderr}");
    let events = std::fs::read_to_string(&record).expect("recording");
    let opens = |name: &str| {
        events
            .lines()
            .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
            .filter(|e| e["fd.name"] == name && e["proc.name"] == "cat")
            .count()
    };
    assert!(
        opens("/etc/shadow") > 0,
        "a rule reads /etc/shadow: {stderr}"
    );
    (opens("/etc/hostname"), stderr)
}

#[test]
fn the_path_filter_leaves_out_opens_no_rule_reads() {
    if let Some(why) = skip_reason() {
        eprintln!("\n\n*** SKIPPED sensor_cli path filter: {why} ***\n");
        return;
    }
    let (filtered, stats) = recorded_hostname_opens(&[]);
    assert_eq!(filtered, 0, "{stats}");
    assert!(
        stats.contains("opens left out by the path filter (6 prefixes, 0 suffixes, 0 substrings)"),
        "{stats}"
    );
    let (all, stats) = recorded_hostname_opens(&["--no-path-filter"]);
    assert!(all > 0, "{stats}");
    assert!(stats.contains("path filter (off)"), "{stats}");
}

#[test]
fn watch_refuses_rules_that_do_not_load() {
    let dir = tempfile::tempdir().expect("tempdir");
    let bad = dir.path().join("bad.yaml");
    std::fs::write(&bad, "- rule: r\n  condition: evt.type = (\n").expect("write");
    palisade()
        .args(["runtime", "watch", "--duration", "1s", "-r"])
        .arg(&bad)
        .assert()
        .failure()
        .stderr(predicates::str::contains("rules do not load"));
}

#[test]
fn status_max_age_fails_without_a_running_sensor() {
    palisade()
        .args([
            "runtime",
            "status",
            "--max-age",
            "30s",
            "--status-file",
            "/nonexistent/s.json",
        ])
        .assert()
        .code(1)
        .stderr(predicates::str::contains("no sensor has written"));
}

#[test]
fn ctrl_c_ends_watch_quietly() {
    if let Some(why) = skip_reason() {
        eprintln!("\n\n*** SKIPPED sensor_cli ctrl-c: {why} ***\n");
        return;
    }
    let dir = tempfile::tempdir().expect("tempdir");
    let status = dir.path().join("status.json");
    let t0 = Instant::now();
    let child = start_watch(&["--duration", "60s"], &status);
    // The signal lands while the reader waits in the ring buffer's poll.
    std::thread::sleep(Duration::from_millis(300));
    let pid = i32::try_from(child.id()).expect("pid");
    // SAFETY: kill(2) with a plain pid and signal has no memory effects.
    assert_eq!(unsafe { libc::kill(pid, libc::SIGINT) }, 0);
    let out = child.wait_with_output().expect("watch ends");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert!(!stderr.contains("error"), "{stderr}");
    assert!(
        t0.elapsed() < Duration::from_secs(30),
        "SIGINT did not stop it"
    );
}

/// A file of the test's own and a rule that alerts when it is opened, with `tag`: the other
/// tests' processes running meanwhile never match it.
fn bait_rules(dir: &std::path::Path, tag: &str) -> (std::path::PathBuf, std::path::PathBuf) {
    let bait = dir.join("bait");
    std::fs::write(&bait, "x").expect("bait");
    let rules = dir.join("rules.yaml");
    std::fs::write(
        &rules,
        format!(
            "- rule: Bait opened\n  desc: d\n  condition: evt.type in (open, openat, openat2) and fd.name = {}\n  output: bait opened by %proc.name (pid=%proc.pid)\n  priority: WARNING\n  tags: [{tag}]\n",
            bait.display()
        ),
    )
    .expect("rules");
    (bait, rules)
}

/// `--enforce-tag`: the process behind an alert of a rule with that tag is killed, and the
/// alert still reported. The rule watches a file of this test's own, so the other tests'
/// processes running meanwhile are never its target.
#[test]
fn enforce_tag_kills_the_process_behind_the_alert() {
    use std::os::unix::process::ExitStatusExt;
    if let Some(why) = skip_reason() {
        eprintln!("\n\n*** SKIPPED sensor_cli enforce: {why} ***\n");
        return;
    }
    let dir = tempfile::tempdir().expect("tempdir");
    let (bait, rules) = bait_rules(dir.path(), "palisade_test_kill");
    let status = dir.path().join("status.json");
    let child = start_watch_with(
        &rules,
        &[
            "--duration",
            "5s",
            "--stats",
            "--enforce-tag",
            "palisade_test_kill",
        ],
        &status,
    );
    // The shell opens the bait, then becomes `sleep` in the same process.
    let mut victim = Command::new("sh")
        .arg("-c")
        .arg(format!("exec 3<{}; exec sleep 30", bait.display()))
        .spawn()
        .expect("sh runs");
    let t0 = Instant::now();
    let exit = loop {
        if let Some(st) = victim.try_wait().expect("wait") {
            break st;
        }
        if t0.elapsed() > Duration::from_secs(15) {
            let _ = victim.kill();
            let _ = victim.wait();
            panic!("the process behind the alert was not killed");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    assert_eq!(exit.signal(), Some(libc::SIGKILL), "{exit:?}");
    let out = child.wait_with_output().expect("watch ends");
    let stderr = String::from_utf8_lossy(&out.stderr);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{stderr}");
    assert!(stderr.contains(" 1 killed"), "{stderr}");
    assert!(stdout.contains("Bait opened"), "{stdout}");
}

/// One HTTP request received on 127.0.0.1 (answered 200, connection closed): its body.
fn catch_one_post() -> (String, std::thread::JoinHandle<String>) {
    use std::io::{BufRead, BufReader, Read, Write};
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let url = format!("http://{}/falco", listener.local_addr().expect("addr"));
    let server = std::thread::spawn(move || {
        let (stream, _) = listener.accept().expect("a request");
        let mut out = stream.try_clone().expect("clone");
        let mut r = BufReader::new(stream);
        let mut len = 0usize;
        loop {
            let mut h = String::new();
            r.read_line(&mut h).expect("header");
            let h = h.trim_end().to_ascii_lowercase();
            if h.is_empty() {
                break;
            }
            if let Some(v) = h.strip_prefix("content-length:") {
                len = v.trim().parse().expect("length");
            }
        }
        let mut body = vec![0; len];
        r.read_exact(&mut body).expect("body");
        let _ = out.write_all(b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
        String::from_utf8_lossy(&body).into_owned()
    });
    (url, server)
}

/// `--output` appends alerts as JSON lines and `--http-url` POSTs each, besides stdout.
#[test]
fn alerts_also_go_to_a_file_and_an_http_endpoint() {
    if let Some(why) = skip_reason() {
        eprintln!("\n\n*** SKIPPED sensor_cli outputs: {why} ***\n");
        return;
    }
    let dir = tempfile::tempdir().expect("tempdir");
    let (bait, rules) = bait_rules(dir.path(), "palisade_test_output");
    let file = dir.path().join("alerts.jsonl");
    let (url, server) = catch_one_post();
    let status = dir.path().join("status.json");
    let file_arg = file.to_string_lossy().into_owned();
    let child = start_watch_with(
        &rules,
        &[
            "--duration",
            "3s",
            "--output",
            &file_arg,
            "--http-url",
            &url,
        ],
        &status,
    );
    cat(&bait.to_string_lossy());
    let out = child.wait_with_output().expect("watch ends");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert!(!stderr.contains("could not be posted"), "{stderr}");
    let posted: serde_json::Value =
        serde_json::from_str(&server.join().expect("server")).expect("the POST is JSON");
    assert_eq!(posted["rule"], "Bait opened");
    assert_eq!(posted["output_fields"]["proc.name"], "cat");
    let lines = std::fs::read_to_string(&file).expect("the output file");
    let written: serde_json::Value =
        serde_json::from_str(lines.lines().next().expect("a line")).expect("JSON line");
    assert_eq!(
        written, posted,
        "the file and the endpoint get the same alert"
    );
    assert!(
        String::from_utf8_lossy(&out.stdout).contains("Bait opened"),
        "stdout too"
    );
}

/// An overlayfs mount in a temporary directory, unmounted when dropped.
struct Overlay {
    merged: std::path::PathBuf,
}

impl Overlay {
    /// `lower` holds a copy of `true` named `lower-true`.
    fn mount(dir: &std::path::Path) -> Result<Overlay, String> {
        use std::ffi::CString;
        let [lower, upper, work, merged] =
            ["lower", "upper", "work", "merged"].map(|d| dir.join(d));
        for d in [&lower, &upper, &work, &merged] {
            std::fs::create_dir(d).map_err(|e| e.to_string())?;
        }
        std::fs::copy("/bin/true", lower.join("lower-true")).map_err(|e| e.to_string())?;
        let opts = format!(
            "lowerdir={},upperdir={},workdir={}",
            lower.display(),
            upper.display(),
            work.display()
        );
        let c = |s: &str| CString::new(s).expect("no NUL");
        let target = c(&merged.to_string_lossy());
        let data = c(&opts);
        // SAFETY: mount(2) with NUL-terminated strings that outlive the call.
        let rc = unsafe {
            libc::mount(
                c"overlay".as_ptr(),
                target.as_ptr(),
                c"overlay".as_ptr(),
                0,
                data.as_ptr().cast(),
            )
        };
        if rc != 0 {
            return Err(format!(
                "mount overlay: {}",
                std::io::Error::last_os_error()
            ));
        }
        Ok(Overlay { merged })
    }
}

impl Drop for Overlay {
    fn drop(&mut self) {
        let target =
            std::ffi::CString::new(self.merged.to_string_lossy().as_bytes()).expect("no NUL");
        // SAFETY: umount2(2) with a NUL-terminated path.
        unsafe { libc::umount2(target.as_ptr(), libc::MNT_DETACH) };
    }
}

/// `proc.is_exe_upper_layer`: an executable written through an overlay mount (so into its
/// upper layer, as a binary dropped in a container is) is true; one from the lower layer
/// (the image) is false.
#[test]
fn an_executable_written_into_an_overlay_upper_layer_is_flagged() {
    if let Some(why) = skip_reason() {
        eprintln!("\n\n*** SKIPPED sensor_cli upper layer: {why} ***\n");
        return;
    }
    let dir = tempfile::tempdir().expect("tempdir");
    let overlay = match Overlay::mount(dir.path()) {
        Ok(o) => o,
        Err(why) => {
            eprintln!("\n\n*** SKIPPED sensor_cli upper layer: {why} ***\n");
            return;
        }
    };
    let dropped = overlay.merged.join("upper-true");
    std::fs::copy("/bin/true", &dropped).expect("written through the overlay");
    let rules = dir.path().join("rules.yaml");
    std::fs::write(
        &rules,
        "- rule: Exec from an upper layer\n  desc: d\n  condition: evt.type in (execve, execveat) and proc.is_exe_upper_layer = true\n  output: upper layer exec of %proc.exepath\n  priority: WARNING\n- rule: Exec from a lower layer\n  desc: d\n  condition: evt.type in (execve, execveat) and proc.is_exe_upper_layer = false and proc.name = lower-true\n  output: lower layer exec of %proc.exepath\n  priority: NOTICE\n",
    )
    .expect("rules");
    let status = dir.path().join("status.json");
    let child = start_watch_with(&rules, &["--duration", "3s"], &status);
    for exe in [overlay.merged.join("lower-true"), dropped.clone()] {
        let st = Command::new(&exe).status().expect("runs");
        assert!(st.success(), "{}", exe.display());
    }
    let out = child.wait_with_output().expect("watch ends");
    drop(overlay);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    let ours: Vec<(String, String)> = String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .filter(|a| {
            a["output_fields"]["proc.exepath"]
                .as_str()
                .is_some_and(|p| p.starts_with(&*dir.path().to_string_lossy()))
        })
        .map(|a| {
            (
                a["rule"].as_str().unwrap_or_default().to_string(),
                a["output_fields"]["proc.exepath"]
                    .as_str()
                    .unwrap_or_default()
                    .to_string(),
            )
        })
        .collect();
    let merged = dir.path().join("merged");
    assert_eq!(
        ours,
        [
            (
                "Exec from a lower layer".to_string(),
                merged.join("lower-true").to_string_lossy().into_owned()
            ),
            (
                "Exec from an upper layer".to_string(),
                merged.join("upper-true").to_string_lossy().into_owned()
            ),
        ]
    );
}
