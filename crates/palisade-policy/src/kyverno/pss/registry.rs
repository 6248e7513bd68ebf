//! Which checks run for a level and version, and the control names Kyverno maps onto PSA
//! check IDs (`pkg/pss/utils/mapping.go`).

use super::model::{Failure, Pod};
use super::{baseline as b, profiles as p, restricted as r};
use palisade_kube::pss::Level;

type CheckFn = fn(&Pod, u32) -> Option<Failure>;

/// One PSA check: its level, the policy version it starts at, and its evaluator.
struct CheckDef {
    level: Level,
    since: u32,
    run: CheckFn,
}

/// PSA's default checks in the order the library registers them (file-name order).
const CHECKS: &[CheckDef] = &[
    CheckDef {
        level: Level::Restricted,
        since: 8,
        run: r::allow_privilege_escalation,
    },
    CheckDef {
        level: Level::Baseline,
        since: 0,
        run: p::app_armor,
    },
    CheckDef {
        level: Level::Baseline,
        since: 0,
        run: b::capabilities_baseline,
    },
    CheckDef {
        level: Level::Restricted,
        since: 22,
        run: r::capabilities_restricted,
    },
    CheckDef {
        level: Level::Baseline,
        since: 0,
        run: b::host_namespaces,
    },
    CheckDef {
        level: Level::Baseline,
        since: 0,
        run: b::host_path_volumes,
    },
    CheckDef {
        level: Level::Baseline,
        since: 0,
        run: b::host_ports,
    },
    CheckDef {
        level: Level::Baseline,
        since: 34,
        run: b::host_probes,
    },
    CheckDef {
        level: Level::Baseline,
        since: 0,
        run: b::privileged,
    },
    CheckDef {
        level: Level::Baseline,
        since: 0,
        run: b::proc_mount,
    },
    CheckDef {
        level: Level::Restricted,
        since: 0,
        run: r::restricted_volumes,
    },
    CheckDef {
        level: Level::Restricted,
        since: 0,
        run: r::run_as_non_root,
    },
    CheckDef {
        level: Level::Restricted,
        since: 23,
        run: r::run_as_user,
    },
    CheckDef {
        level: Level::Baseline,
        since: 0,
        run: p::selinux,
    },
    CheckDef {
        level: Level::Baseline,
        since: 19,
        run: p::seccomp_baseline,
    },
    CheckDef {
        level: Level::Restricted,
        since: 19,
        run: r::seccomp_restricted,
    },
    CheckDef {
        level: Level::Baseline,
        since: 0,
        run: b::sysctls,
    },
    CheckDef {
        level: Level::Baseline,
        since: 0,
        run: b::windows_host_process,
    },
];

/// Runs the checks of `level` at policy version `1.<minor>` and returns the failed ones.
///
/// As Kyverno's `evaluatePSS` does, Restricted runs the Baseline checks too *without* PSA's
/// overrides (so `Unconfined` seccomp fails both `seccompProfile_baseline` and
/// `seccompProfile_restricted`, and excluding one control leaves the other). Unlike Kyverno, a
/// check newer than the policy version is skipped (Kyverno runs its oldest revision anyway), and
/// `privileged` checks nothing (Kyverno's filter only narrows `baseline`).
pub(crate) fn evaluate(level: Level, minor: u32, pod: &Pod) -> Vec<Failure> {
    if level == Level::Privileged {
        return Vec::new();
    }
    CHECKS
        .iter()
        .filter(|c| c.level <= level && c.since <= minor)
        .filter_map(|c| (c.run)(pod, minor))
        .collect()
}

/// Kyverno's control names and the PSA check IDs each stands for.
pub(crate) const CONTROLS: &[(&str, &[&str])] = &[
    ("HostProcess", &["windowsHostProcess"]),
    ("Host Namespaces", &["hostNamespaces"]),
    ("Privileged Containers", &["privileged"]),
    (
        "Capabilities",
        &["capabilities_baseline", "capabilities_restricted"],
    ),
    ("HostPath Volumes", &["hostPathVolumes"]),
    ("Host Ports", &["hostPorts"]),
    ("AppArmor", &["appArmorProfile"]),
    ("SELinux", &["seLinuxOptions"]),
    ("/proc Mount Type", &["procMount"]),
    (
        "Seccomp",
        &["seccompProfile_baseline", "seccompProfile_restricted"],
    ),
    ("Sysctls", &["sysctls"]),
    ("Volume Types", &["restrictedVolumes"]),
    ("Privilege Escalation", &["allowPrivilegeEscalation"]),
    ("Running as Non-root", &["runAsNonRoot"]),
    ("Running as Non-root user", &["runAsUser"]),
];

/// Controls only the Restricted level has; a Baseline rule may not exclude them.
pub(crate) const RESTRICTED_ONLY: &[&str] = &[
    "Volume Types",
    "Privilege Escalation",
    "Running as Non-root",
    "Running as Non-root user",
];

/// Controls whose exclusion must name images (they concern containers only).
pub(crate) const CONTAINER_LEVEL: &[&str] = &[
    "Capabilities",
    "Privileged Containers",
    "Host Ports",
    "/proc Mount Type",
    "Privilege Escalation",
];

/// Controls whose exclusion may not name images (they concern the pod only).
pub(crate) const POD_LEVEL: &[&str] = &[
    "Host Namespaces",
    "HostPath Volumes",
    "Sysctls",
    "Volume Types",
];

/// The check IDs of a control name (empty for an unknown name).
pub(crate) fn control_ids(control: &str) -> &'static [&'static str] {
    CONTROLS
        .iter()
        .find(|(name, _)| *name == control)
        .map(|(_, ids)| *ids)
        .unwrap_or(&[])
}

/// The control name of a check ID; the probe-host check has none in Kyverno, so it gets the
/// Pod Security Standards' name.
pub(crate) fn control_name(id: &str) -> &'static str {
    CONTROLS
        .iter()
        .find(|(_, ids)| ids.contains(&id))
        .map(|(name, _)| *name)
        .unwrap_or("Probes / Lifecycle Hooks")
}
