//! Shared by the sensor's root-only tests: when to skip, a throw-away cgroup, and the
//! re-executed "container runtime".
#![allow(dead_code)]

pub mod cgroup;
pub mod init;

/// Why this machine cannot run the sensor's end-to-end tests, if it cannot.
pub fn skip_reason() -> Option<String> {
    // SAFETY: geteuid has no preconditions.
    if unsafe { libc::geteuid() } != 0 {
        return Some(
            "not root: loading eBPF programs needs root (or CAP_BPF + CAP_PERFMON)".into(),
        );
    }
    if !std::path::Path::new("/sys/kernel/btf/vmlinux").exists() {
        return Some("the kernel has no BTF (/sys/kernel/btf/vmlinux)".into());
    }
    if cgroup::cgroup2_root().is_none() {
        return Some("no cgroup2 mount".into());
    }
    for tool in ["/bin/bash", "/bin/cat"] {
        if !std::path::Path::new(tool).exists() {
            return Some(format!("{tool} missing"));
        }
    }
    None
}
