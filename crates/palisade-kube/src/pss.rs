//! Pod Security Standards levels and versions, with the semantics of the Pod Security Admission
//! controller: a control applies from the Kubernetes version that introduced it, and a workload
//! meets the highest level none of whose controls it violates.

use serde::Serialize;

/// The newest policy version this evaluator knows (`latest`).
pub const LATEST_MINOR: u32 = 34;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    Privileged,
    Baseline,
    Restricted,
}

impl Level {
    pub fn as_str(self) -> &'static str {
        match self {
            Level::Privileged => "privileged",
            Level::Baseline => "baseline",
            Level::Restricted => "restricted",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown Pod Security Standards version {0:?} (expected `latest` or `v1.N`, e.g. v1.30)")]
pub struct BadVersion(pub String);

/// Parses `latest`, `v1.30` or `1.30` into the minor version.
pub fn parse_version(v: &str) -> Result<u32, BadVersion> {
    let t = v.trim();
    if t.eq_ignore_ascii_case("latest") || t.is_empty() {
        return Ok(LATEST_MINOR);
    }
    let t = t.strip_prefix('v').unwrap_or(t);
    let minor = t
        .strip_prefix("1.")
        .and_then(|m| m.split('.').next())
        .and_then(|m| m.parse::<u32>().ok())
        .ok_or_else(|| BadVersion(v.to_string()))?;
    // Versions past the newest known evaluate as the newest, as the admission controller does.
    Ok(minor.min(LATEST_MINOR))
}

/// Sysctls the Baseline policy allows at `minor`.
pub fn safe_sysctls(minor: u32) -> Vec<&'static str> {
    let mut s = vec![
        "kernel.shm_rmid_forced",
        "net.ipv4.ip_local_port_range",
        "net.ipv4.ip_unprivileged_port_start",
        "net.ipv4.tcp_syncookies",
        "net.ipv4.ping_group_range",
    ];
    if minor >= 27 {
        s.push("net.ipv4.ip_local_reserved_ports");
    }
    if minor >= 29 {
        s.extend([
            "net.ipv4.tcp_keepalive_time",
            "net.ipv4.tcp_fin_timeout",
            "net.ipv4.tcp_keepalive_intvl",
            "net.ipv4.tcp_keepalive_probes",
        ]);
    }
    if minor >= 32 {
        s.extend(["net.ipv4.tcp_rmem", "net.ipv4.tcp_wmem"]);
    }
    s
}

/// SELinux types Baseline allows in `seLinuxOptions.type` at `minor` (besides unset or empty).
pub fn selinux_types(minor: u32) -> Vec<&'static str> {
    let mut t = vec!["container_t", "container_init_t", "container_kvm_t"];
    if minor >= 31 {
        t.push("container_engine_t");
    }
    t
}

/// Capabilities Baseline lets a container add (the container runtime's default set).
pub const BASELINE_CAPS: &[&str] = &[
    "AUDIT_WRITE",
    "CHOWN",
    "DAC_OVERRIDE",
    "FOWNER",
    "FSETID",
    "KILL",
    "MKNOD",
    "NET_BIND_SERVICE",
    "SETFCAP",
    "SETGID",
    "SETPCAP",
    "SETUID",
    "SYS_CHROOT",
];

/// Volume sources Restricted allows.
pub const RESTRICTED_VOLUMES: &[&str] = &[
    "configMap",
    "csi",
    "downwardAPI",
    "emptyDir",
    "ephemeral",
    "persistentVolumeClaim",
    "projected",
    "secret",
    "image",
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_parse() {
        assert_eq!(parse_version("latest"), Ok(LATEST_MINOR));
        assert_eq!(parse_version("v1.25"), Ok(25));
        assert_eq!(parse_version("1.29.3"), Ok(29));
        assert_eq!(parse_version("v1.99"), Ok(LATEST_MINOR));
        assert!(parse_version("2.0").is_err());
        assert!(parse_version("banana").is_err());
    }

    #[test]
    fn sysctl_allow_list_grows_with_version() {
        assert!(!safe_sysctls(26).contains(&"net.ipv4.ip_local_reserved_ports"));
        assert!(safe_sysctls(27).contains(&"net.ipv4.ip_local_reserved_ports"));
        assert!(!safe_sysctls(28).contains(&"net.ipv4.tcp_keepalive_time"));
        assert!(safe_sysctls(29).contains(&"net.ipv4.tcp_keepalive_time"));
    }
}
