//! What the kernel offers the sensor, checked at start-up and by `palisade runtime status`:
//! BTF, the tracepoints the programs attach to, the bpf() syscall, capabilities, cgroup v2.

use serde::Serialize;
use std::path::Path;

#[derive(Debug, Clone, Serialize)]
pub struct Check {
    pub name: &'static str,
    pub ok: bool,
    pub detail: String,
}

fn check(name: &'static str, ok: bool, detail: impl Into<String>) -> Check {
    Check {
        name,
        ok,
        detail: detail.into(),
    }
}

fn uname_release() -> String {
    std::fs::read_to_string("/proc/sys/kernel/osrelease")
        .map(|s| s.trim().to_string())
        .unwrap_or_else(|_| "unknown".into())
}

/// Effective capabilities of this process, from /proc/self/status.
fn cap_eff() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find_map(|l| l.strip_prefix("CapEff:"))
                .and_then(|v| u64::from_str_radix(v.trim(), 16).ok())
        })
        .unwrap_or(0)
}

/// BTF type names the programs rely on: the tracepoints they attach to by BTF name.
fn btf_has(btf: &[u8], name: &str) -> bool {
    let needle = format!("\0{name}\0");
    btf.windows(needle.len()).any(|w| w == needle.as_bytes())
}

pub fn checks() -> Vec<Check> {
    let mut out = vec![check("kernel", true, uname_release())];
    let btf_path = Path::new("/sys/kernel/btf/vmlinux");
    let btf = std::fs::read(btf_path).unwrap_or_default();
    out.push(check(
        "btf",
        !btf.is_empty(),
        if btf.is_empty() {
            "no /sys/kernel/btf/vmlinux: the kernel was built without CONFIG_DEBUG_INFO_BTF; CO-RE programs cannot load".to_string()
        } else {
            format!("/sys/kernel/btf/vmlinux ({} KiB)", btf.len() / 1024)
        },
    ));
    for tp in [
        "sys_exit",
        "sched_process_exec",
        "sched_process_fork",
        "sched_process_exit",
    ] {
        let name = format!("btf_trace_{tp}");
        let ok = btf_has(&btf, &name);
        out.push(check(
            "tracepoint",
            ok,
            format!("{tp}{}", if ok { "" } else { ": not in the kernel's BTF" }),
        ));
    }
    let kprobes = Path::new("/sys/bus/event_source/devices/kprobe").exists();
    out.push(check(
        "kprobes",
        true,
        if kprobes {
            "available (not used)"
        } else {
            "not available (not needed: tracepoints only)"
        },
    ));
    let caps = cap_eff();
    let has = |bit: u32| caps & (1u64 << bit) != 0;
    let (sys_admin, perfmon, bpf) = (has(21), has(38), has(39));
    out.push(check(
        "capabilities",
        sys_admin || (bpf && perfmon),
        format!(
            "CAP_BPF={} CAP_PERFMON={} CAP_SYS_ADMIN={}",
            bpf, perfmon, sys_admin
        ),
    ));
    let unpriv = std::fs::read_to_string("/proc/sys/kernel/unprivileged_bpf_disabled")
        .map(|s| s.trim().to_string())
        .unwrap_or_default();
    out.push(check(
        "unprivileged_bpf_disabled",
        true,
        if unpriv.is_empty() {
            "unknown".into()
        } else {
            unpriv
        },
    ));
    let mountinfo = std::fs::read_to_string("/proc/self/mountinfo").unwrap_or_default();
    let cg2 = crate::container::cgroup2_mount(&mountinfo);
    out.push(check(
        "cgroup2",
        cg2.is_some(),
        match cg2 {
            Some(p) => format!("{} (container attribution by cgroup id)", p.display()),
            None => "not mounted: containers are attributed from /proc/<pid>/cgroup".into(),
        },
    ));
    out.push(check(
        "build",
        crate::BUILT_WITH_EBPF,
        if crate::BUILT_WITH_EBPF {
            "eBPF programs compiled in"
        } else {
            "built without the eBPF programs (feature `sensor`)"
        },
    ));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn btf_names_are_matched_whole() {
        let blob = b"\0btf_trace_sys_exit\0btf_trace_sched_process_exec_x\0";
        assert!(btf_has(blob, "btf_trace_sys_exit"));
        assert!(!btf_has(blob, "btf_trace_sched_process_exec"));
    }

    #[test]
    fn checks_name_the_kernel() {
        let c = checks();
        assert_eq!(c[0].name, "kernel");
        assert!(c.iter().any(|c| c.name == "build"));
    }
}
