//! Load for the sensor's benchmarks (bench/sensor/): a paced `openat` burst or a fork+exec
//! loop, reporting what it did as JSON on stdout.
//!
//! ```text
//! syscall_load openat COUNT RATE_PER_SEC   # COUNT opens of /etc/hostname, paced per millisecond
//! syscall_load forkexec COUNT              # COUNT fork+exec of /bin/true, one at a time
//! syscall_load openloop COUNT              # COUNT opens as fast as possible
//! ```

use std::ffi::CString;
use std::time::{Duration, Instant};

fn open_close(path: &CString) {
    // SAFETY: a valid NUL-terminated path; the descriptor is closed right away.
    unsafe {
        let fd = libc::openat(libc::AT_FDCWD, path.as_ptr(), libc::O_RDONLY);
        if fd >= 0 {
            libc::close(fd);
        }
    }
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let mode = args.get(1).map(String::as_str).unwrap_or("");
    let count: u64 = args.get(2).and_then(|s| s.parse().ok()).unwrap_or(100_000);
    let path = CString::new("/etc/hostname").unwrap_or_default();
    let start = Instant::now();
    match mode {
        "openat" => {
            let rate: u64 = args.get(3).and_then(|s| s.parse().ok()).unwrap_or(200_000);
            let per_ms = (rate / 1000).max(1);
            let mut done = 0u64;
            while done < count {
                let n = per_ms.min(count - done);
                for _ in 0..n {
                    open_close(&path);
                }
                done += n;
                // Pace against the schedule, not the last batch, so the average holds.
                let due = Duration::from_micros(done * 1_000_000 / rate);
                if let Some(wait) = due.checked_sub(start.elapsed()) {
                    std::thread::sleep(wait);
                }
            }
        }
        "openloop" => (0..count).for_each(|_| open_close(&path)),
        "forkexec" => {
            for _ in 0..count {
                let st = std::process::Command::new("/bin/true").status();
                if !st.is_ok_and(|s| s.success()) {
                    eprintln!("/bin/true failed");
                    std::process::exit(1);
                }
            }
        }
        _ => {
            eprintln!("usage: syscall_load openat COUNT RATE | openloop COUNT | forkexec COUNT");
            std::process::exit(2);
        }
    }
    let secs = start.elapsed().as_secs_f64();
    println!(
        "{{\"mode\":\"{mode}\",\"count\":{count},\"seconds\":{secs:.3},\"per_second\":{:.0},\"pid\":{}}}",
        count as f64 / secs,
        std::process::id()
    );
}
