//! Container identity from a cgroup path, for every layout the common runtimes and cgroup
//! drivers produce. The path is all the kernel gives us for free at event time, so it has
//! to carry the attribution; runtime APIs only add names and images later.

use serde::Serialize;

/// The container runtime a cgroup layout belongs to. `Unknown` is a bare 64-hex cgroup (the
/// cgroupfs driver under `kubepods`, or an unrecognised parent): a CRI runtime, but which one
/// only the kubelet's pod list can tell.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum Runtime {
    Docker,
    Containerd,
    Crio,
    Podman,
    Unknown,
}

impl Runtime {
    /// Falco's `container.type` value.
    pub fn as_str(self) -> &'static str {
        match self {
            Runtime::Docker => "docker",
            Runtime::Containerd => "containerd",
            Runtime::Crio => "cri-o",
            Runtime::Podman => "podman",
            Runtime::Unknown => "unknown",
        }
    }
}

/// A container a cgroup belongs to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ContainerRef {
    /// The first 12 hex characters of `full_id`, Falco's `container.id`.
    pub id: String,
    pub full_id: String,
    pub runtime: Runtime,
    /// The Kubernetes pod UID (dashed form), when the path is under `kubepods`.
    pub pod_uid: Option<String>,
}

/// Scope/directory name prefixes that name a container, with their runtime. The conmon
/// scopes (`crio-conmon-`, `libpod-conmon-`) hold the monitor process, not the container;
/// they never match because the id check rejects `conmon-…`.
const PREFIXES: &[(&str, Runtime)] = &[
    ("docker-", Runtime::Docker),
    ("cri-containerd-", Runtime::Containerd),
    ("nerdctl-", Runtime::Containerd),
    ("crio-", Runtime::Crio),
    ("libpod-", Runtime::Podman),
];

/// `<slice>:<prefix>:<id>` names: the kubelet's systemd driver with a runtime that is not
/// itself configured for systemd cgroups (containerd without `SystemdCgroup = true`).
const COLON_PREFIXES: &[(&str, Runtime)] = &[
    (":cri-containerd:", Runtime::Containerd),
    (":docker:", Runtime::Docker),
    (":crio:", Runtime::Crio),
];

pub(crate) fn is_full_id(s: &str) -> bool {
    s.len() == 64
        && s.bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

/// The container a path component names, if it is one.
fn component_container(comp: &str, parent: Option<&str>) -> Option<(String, Runtime)> {
    if is_full_id(comp) {
        let runtime = match parent {
            Some("docker") => Runtime::Docker,
            // containerd namespaces used as the cgroup parent by ctr and nerdctl (cgroupfs).
            Some("default") | Some("k8s.io") => Runtime::Containerd,
            _ => Runtime::Unknown,
        };
        return Some((comp.to_string(), runtime));
    }
    for (sep, runtime) in COLON_PREFIXES {
        if let Some((_, id)) = comp.split_once(sep) {
            if is_full_id(id) {
                return Some((id.to_string(), *runtime));
            }
        }
    }
    let base = comp.strip_suffix(".scope").unwrap_or(comp);
    PREFIXES.iter().find_map(|(prefix, runtime)| {
        let id = base.strip_prefix(prefix)?;
        is_full_id(id).then(|| (id.to_string(), *runtime))
    })
}

/// A pod UID as the kubelet writes it in a cgroup name: a dashed UUID, or 32 hex characters
/// for static pods (their UID is a hash of the manifest).
fn pod_uid_like(s: &str) -> bool {
    let hex = |c: u8| c.is_ascii_hexdigit();
    match s.len() {
        32 => s.bytes().all(hex),
        36 => s.bytes().enumerate().all(|(i, c)| {
            if matches!(i, 8 | 13 | 18 | 23) {
                c == b'-'
            } else {
                hex(c)
            }
        }),
        _ => false,
    }
}

/// The pod UID a component names: `pod<uid>` (cgroupfs driver) or
/// `…kubepods-<qos>-pod<uid_with_underscores>.slice` (systemd driver).
fn component_pod_uid(comp: &str, under_kubepods: bool) -> Option<String> {
    if under_kubepods {
        if let Some(uid) = comp.strip_prefix("pod") {
            if pod_uid_like(uid) {
                return Some(uid.to_string());
            }
        }
    }
    let slice = comp.strip_suffix(".slice")?;
    if !slice.contains("kubepods") {
        return None;
    }
    let (_, uid) = slice.rsplit_once("-pod")?;
    let uid = uid.replace('_', "-");
    pod_uid_like(&uid).then_some(uid)
}

/// The container a cgroup path (as in `/proc/<pid>/cgroup`) belongs to, or `None` for the
/// host. The deepest container component wins: in kind or Docker-in-Docker the outer
/// component is the node container and the inner one the workload.
pub fn from_cgroup_path(path: &str) -> Option<ContainerRef> {
    let comps: Vec<&str> = path.split('/').filter(|c| !c.is_empty()).collect();
    let (at, (full_id, runtime)) = comps.iter().enumerate().rev().find_map(|(i, c)| {
        let parent = i.checked_sub(1).and_then(|p| comps.get(p)).copied();
        component_container(c, parent).map(|found| (i, found))
    })?;
    let mut under_kubepods = false;
    let mut pod_uid = None;
    // `<pod slice>:cri-containerd:<id>` names the pod in the container's own component.
    let own_slice = comps[at].split_once(':').map(|(slice, _)| slice);
    for comp in comps.iter().take(at).copied().chain(own_slice) {
        if comp.starts_with("kubepods") || comp.contains("-kubepods") {
            under_kubepods = true;
        }
        if let Some(uid) = component_pod_uid(comp, under_kubepods) {
            pod_uid = Some(uid);
        }
    }
    Some(ContainerRef {
        id: full_id[..12].to_string(),
        full_id,
        runtime,
        pod_uid,
    })
}

/// The container of a process from its `/proc/<pid>/cgroup` text (cgroup v1, v2 or hybrid).
/// The v2 line is asked first (it is the one unified hierarchy), then the v1 controllers
/// every runtime places containers in, then any other line.
pub fn from_proc_cgroup(contents: &str) -> Option<ContainerRef> {
    let lines: Vec<(&str, &str, &str)> = contents
        .lines()
        .filter_map(|l| {
            let mut parts = l.splitn(3, ':');
            let hier = parts.next()?;
            let controllers = parts.next()?;
            // A path may itself contain ':' (`…slice:cri-containerd:<id>`): splitn keeps it.
            let path = parts.next()?.trim_end();
            Some((hier, controllers, path.trim_end_matches(" (deleted)")))
        })
        .collect();
    let rank = |(hier, controllers, _): &(&str, &str, &str)| -> usize {
        if *hier == "0" && controllers.is_empty() {
            return 0;
        }
        let has = |c: &str| controllers.split(',').any(|x| x == c);
        ["pids", "cpu", "memory", "name=systemd"]
            .iter()
            .position(|c| has(c))
            .map_or(5, |p| p + 1)
    };
    let mut ordered = lines;
    // Stable: lines of equal rank keep their file order.
    ordered.sort_by_key(rank);
    ordered.iter().find_map(|(_, _, p)| from_cgroup_path(p))
}

#[cfg(test)]
#[path = "cgroup_tests.rs"]
mod tests;
