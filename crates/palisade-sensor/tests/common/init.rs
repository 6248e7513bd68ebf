//! The test's own minimal container runtime, doing what runc's init does: the test binary is
//! executed again through /proc/self/exe (so the kernel names it `exe`, one of the parents
//! Falco's `container_entrypoint` macro expects), joins the container's cgroup, unshares
//! PID and mount namespaces, and starts a shell on a new pseudo-terminal as PID 1.

use super::cgroup::TestCgroup;
use std::ffi::CString;
use std::process::{Command, ExitStatus};

const CGROUP_ENV: &str = "PALISADE_E2E_CGROUP_PROCS";
const SCRIPT_ENV: &str = "PALISADE_E2E_SCRIPT";

pub fn spawn_container(cg: &TestCgroup, script: &str) -> std::io::Result<ExitStatus> {
    Command::new("/proc/self/exe")
        .args([
            "--exact",
            "container_init",
            "--nocapture",
            "--test-threads=1",
        ])
        .env(CGROUP_ENV, cg.procs())
        .env(SCRIPT_ENV, script)
        .status()
}

fn fail(what: &str) -> ! {
    eprintln!(
        "container init: {what}: {}",
        std::io::Error::last_os_error()
    );
    // SAFETY: _exit ends the process without running the test harness any further.
    unsafe { libc::_exit(120) }
}

/// Does nothing unless this process is the re-executed init; then it never returns.
pub fn run_if_asked() {
    let (Some(procs), Some(script)) = (std::env::var_os(CGROUP_ENV), std::env::var_os(SCRIPT_ENV))
    else {
        return;
    };
    if std::fs::write(&procs, std::process::id().to_string()).is_err() {
        fail("joining the cgroup");
    }
    let script = CString::new(script.to_string_lossy().as_bytes()).unwrap_or_default();
    let bash = CString::new("/bin/bash").unwrap_or_default();
    let argv0 = CString::new("bash").unwrap_or_default();
    let dash_c = CString::new("-c").unwrap_or_default();
    let root = CString::new("/").unwrap_or_default();
    // SAFETY: plain system calls on values this function owns; after fork the child only
    // makes system calls until execv.
    unsafe {
        if libc::unshare(libc::CLONE_NEWPID | libc::CLONE_NEWNS) != 0 {
            fail("unshare");
        }
        let master = libc::posix_openpt(libc::O_RDWR | libc::O_NOCTTY);
        if master < 0 || libc::grantpt(master) != 0 || libc::unlockpt(master) != 0 {
            fail("allocating a pseudo-terminal");
        }
        let mut name = [0 as libc::c_char; 128];
        if libc::ptsname_r(master, name.as_mut_ptr(), name.len()) != 0 {
            fail("ptsname");
        }
        match libc::fork() {
            -1 => fail("fork"),
            0 => {
                libc::setsid();
                libc::mount(
                    std::ptr::null(),
                    root.as_ptr(),
                    std::ptr::null(),
                    libc::MS_REC | libc::MS_PRIVATE,
                    std::ptr::null(),
                );
                let slave = libc::open(name.as_ptr(), libc::O_RDWR);
                if slave < 0 || libc::ioctl(slave, libc::TIOCSCTTY, 0) != 0 {
                    libc::_exit(121);
                }
                for fd in 0..3 {
                    libc::dup2(slave, fd);
                }
                let argv = [
                    argv0.as_ptr(),
                    dash_c.as_ptr(),
                    script.as_ptr(),
                    std::ptr::null(),
                ];
                libc::execv(bash.as_ptr(), argv.as_ptr());
                libc::_exit(127);
            }
            child => {
                let mut status = 0;
                libc::waitpid(child, &mut status, 0);
                let code = if libc::WIFEXITED(status) {
                    libc::WEXITSTATUS(status)
                } else {
                    122
                };
                libc::_exit(code);
            }
        }
    }
}
