//! One event's container, joined with its pod when the kubelet knows it, and rendered under
//! Falco's field names.

use super::cgroup::{ContainerRef, Runtime};
use super::pods::{image_digest, split_image, PodIndex, PodMeta};
use serde_json::Value;
use std::borrow::Cow;

/// Falco's `container.id` (and `container.name`) for processes outside any container.
pub const HOST: &str = "host";

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContainerInfo {
    /// The 12-char container id, or `"host"`.
    pub id: String,
    pub full_id: Option<String>,
    /// `None` for the host.
    pub runtime: Option<Runtime>,
    /// From the pod list, else from the cgroup path.
    pub pod_uid: Option<String>,
    pub pod: Option<PodMeta>,
}

impl ContainerInfo {
    pub fn host() -> Self {
        ContainerInfo {
            id: HOST.to_string(),
            full_id: None,
            runtime: None,
            pod_uid: None,
            pod: None,
        }
    }

    /// `container` as found from the cgroup (`None`: the host), with its pod from `pods`.
    pub fn new(container: Option<&ContainerRef>, pods: Option<&PodIndex>) -> Self {
        let Some(c) = container else {
            return Self::host();
        };
        let pod = pods.and_then(|p| p.get(&c.full_id)).cloned();
        // The cgroupfs driver's bare-id layout does not say which CRI runtime made it; the
        // pod list's `containerd://` / `cri-o://` scheme does.
        let runtime = match (&pod, c.runtime) {
            (Some(p), Runtime::Unknown) => p.runtime,
            _ => c.runtime,
        };
        ContainerInfo {
            id: c.id.clone(),
            full_id: Some(c.full_id.clone()),
            runtime: Some(runtime),
            pod_uid: pod
                .as_ref()
                .map(|p| p.uid.clone())
                .filter(|u| !u.is_empty())
                .or_else(|| c.pod_uid.clone()),
            pod,
        }
    }

    pub fn is_host(&self) -> bool {
        self.full_id.is_none()
    }

    /// Falco's `container.*` and `k8s.*` fields that are known; unknown ones are left out
    /// (Falco prints them as `<NA>`). Labels come as `k8s.pod.labels` (`(k:v,…)`) and one
    /// `k8s.pod.label[KEY]` each, the way the syscall event format keys field arguments.
    pub fn fields(&self) -> Vec<(Cow<'static, str>, Value)> {
        let mut out: Vec<(Cow<'static, str>, Value)> = Vec::new();
        let mut put = |name: &'static str, v: &str| out.push((Cow::Borrowed(name), v.into()));
        put("container.id", &self.id);
        if self.is_host() {
            put("container.name", HOST);
            return out;
        }
        if let Some(rt) = self.runtime.filter(|r| *r != Runtime::Unknown) {
            put("container.type", rt.as_str());
        }
        if let Some(uid) = &self.pod_uid {
            put("k8s.pod.uid", uid);
            put("k8s.pod.id", uid);
        }
        let Some(pod) = &self.pod else { return out };
        put("container.name", &pod.container_name);
        if !pod.image.is_empty() {
            put("container.image", &pod.image);
            let (repo, tag, digest) = split_image(&pod.image);
            put("container.image.repository", repo);
            if let Some(tag) = tag {
                put("container.image.tag", tag);
            }
            if let Some(d) = digest.or_else(|| image_digest(&pod.image_id)) {
                put("container.image.digest", d);
            }
        }
        put("k8s.pod.name", &pod.name);
        put("k8s.ns.name", &pod.namespace);
        if let Some(ip) = &pod.ip {
            put("k8s.pod.ip", ip);
        }
        if !pod.labels.is_empty() {
            let joined: Vec<String> = pod.labels.iter().map(|(k, v)| format!("{k}:{v}")).collect();
            put("k8s.pod.labels", &format!("({})", joined.join(",")));
            for (k, v) in &pod.labels {
                out.push((Cow::Owned(format!("k8s.pod.label[{k}]")), v.as_str().into()));
            }
        }
        out.push((Cow::Borrowed("container.privileged"), pod.privileged.into()));
        out
    }
}

#[cfg(test)]
#[path = "info_tests.rs"]
mod tests;
