//! The kubelet's pod list (`GET /pods`, a `PodList`) indexed by container id: the pod and
//! container a cgroup's container belongs to. Only the fields attribution needs are read;
//! everything else in the (large) PodList is skipped by serde.

use super::cgroup::{is_full_id, Runtime};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap};

/// What Kubernetes knows about one container: its pod and the container's spec/status.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PodMeta {
    pub name: String,
    pub namespace: String,
    pub uid: String,
    pub labels: BTreeMap<String, String>,
    pub ip: Option<String>,
    pub container_name: String,
    /// The image as the runtime reports it (the spec's when the runtime gives only an id).
    pub image: String,
    /// `imageID` from the status: usually `repo@sha256:…`.
    pub image_id: String,
    /// From the `containerID` scheme: what the cgroup path alone cannot tell on the
    /// cgroupfs driver.
    pub runtime: Runtime,
    /// `securityContext.privileged` of the container's spec (`container.privileged`).
    pub privileged: bool,
}

/// Container id (full 64-hex, or Falco's 12-char short id) → [`PodMeta`].
#[derive(Debug, Clone, Default)]
pub struct PodIndex {
    by_full: HashMap<String, PodMeta>,
    by_short: HashMap<String, String>,
}

#[derive(Deserialize)]
struct PodList {
    // Go marshals an empty (nil) slice as `null`: a node with no pods sends `"items":null`.
    #[serde(default, deserialize_with = "null_as_empty")]
    items: Vec<Pod>,
}

fn null_as_empty<'de, D, T>(d: D) -> Result<Vec<T>, D::Error>
where
    D: serde::Deserializer<'de>,
    T: Deserialize<'de>,
{
    Ok(Option::<Vec<T>>::deserialize(d)?.unwrap_or_default())
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct Pod {
    metadata: Metadata,
    spec: Spec,
    status: Status,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct Metadata {
    name: String,
    namespace: String,
    uid: String,
    labels: BTreeMap<String, String>,
}

#[derive(Deserialize, Default)]
#[serde(default, rename_all = "camelCase")]
struct Spec {
    #[serde(deserialize_with = "null_as_empty")]
    containers: Vec<SpecContainer>,
    #[serde(deserialize_with = "null_as_empty")]
    init_containers: Vec<SpecContainer>,
    #[serde(deserialize_with = "null_as_empty")]
    ephemeral_containers: Vec<SpecContainer>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct SpecContainer {
    name: String,
    image: String,
    #[serde(rename = "securityContext")]
    security_context: Option<SecurityContext>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct SecurityContext {
    privileged: Option<bool>,
}

#[derive(Deserialize, Default)]
#[serde(default, rename_all = "camelCase")]
struct Status {
    #[serde(rename = "podIP")]
    pod_ip: Option<String>,
    #[serde(deserialize_with = "null_as_empty")]
    container_statuses: Vec<ContainerStatus>,
    #[serde(deserialize_with = "null_as_empty")]
    init_container_statuses: Vec<ContainerStatus>,
    #[serde(deserialize_with = "null_as_empty")]
    ephemeral_container_statuses: Vec<ContainerStatus>,
}

#[derive(Deserialize, Default)]
#[serde(default, rename_all = "camelCase")]
struct ContainerStatus {
    name: String,
    image: String,
    #[serde(rename = "imageID")]
    image_id: String,
    #[serde(rename = "containerID")]
    container_id: Option<String>,
}

/// `containerd://<id>` → (runtime, id); `None` when not a 64-hex id (a container that has
/// not started yet has no `containerID` at all).
fn split_container_id(s: &str) -> Option<(Runtime, &str)> {
    let (scheme, id) = s.split_once("://")?;
    let runtime = match scheme {
        "containerd" => Runtime::Containerd,
        "cri-o" => Runtime::Crio,
        "docker" => Runtime::Docker,
        "podman" => Runtime::Podman,
        _ => Runtime::Unknown,
    };
    is_full_id(id).then_some((runtime, id))
}

impl PodIndex {
    /// Index a `PodList` JSON document.
    pub fn from_json(body: &[u8]) -> Result<PodIndex, serde_json::Error> {
        let list: PodList = serde_json::from_slice(body)?;
        let mut index = PodIndex::default();
        for pod in list.items {
            let specs: HashMap<&str, &SpecContainer> = pod
                .spec
                .containers
                .iter()
                .chain(&pod.spec.init_containers)
                .chain(&pod.spec.ephemeral_containers)
                .map(|c| (c.name.as_str(), c))
                .collect();
            let spec_of = |name: &str| specs.get(name).copied();
            let statuses = pod
                .status
                .container_statuses
                .iter()
                .chain(&pod.status.init_container_statuses)
                .chain(&pod.status.ephemeral_container_statuses);
            for st in statuses {
                let Some((runtime, id)) = st.container_id.as_deref().and_then(split_container_id)
                else {
                    continue;
                };
                // Some runtimes report only the image id (`sha256:…`) as the image; the spec
                // has the name a user recognises.
                let image = if st.image.is_empty() || st.image.starts_with("sha256:") {
                    spec_of(&st.name).map_or(st.image.as_str(), |c| c.image.as_str())
                } else {
                    st.image.as_str()
                };
                let meta = PodMeta {
                    name: pod.metadata.name.clone(),
                    namespace: pod.metadata.namespace.clone(),
                    uid: pod.metadata.uid.clone(),
                    labels: pod.metadata.labels.clone(),
                    ip: pod.status.pod_ip.clone().filter(|ip| !ip.is_empty()),
                    container_name: st.name.clone(),
                    image: image.to_string(),
                    image_id: st.image_id.clone(),
                    runtime,
                    privileged: spec_of(&st.name)
                        .and_then(|c| c.security_context.as_ref())
                        .and_then(|s| s.privileged)
                        .unwrap_or(false),
                };
                index.by_short.insert(id[..12].to_string(), id.to_string());
                index.by_full.insert(id.to_string(), meta);
            }
        }
        Ok(index)
    }

    /// By full (64-hex) or short (12-char) container id.
    pub fn get(&self, id: &str) -> Option<&PodMeta> {
        match id.len() {
            12 => self.by_short.get(id).and_then(|f| self.by_full.get(f)),
            _ => self.by_full.get(id),
        }
    }

    pub fn len(&self) -> usize {
        self.by_full.len()
    }

    pub fn is_empty(&self) -> bool {
        self.by_full.is_empty()
    }
}

/// An image reference split as Falco does: (repository, tag, digest).
/// `reg:5000/team/app:1.2@sha256:ab` → (`reg:5000/team/app`, `1.2`, `sha256:ab`).
pub fn split_image(image: &str) -> (&str, Option<&str>, Option<&str>) {
    let (name, digest) = match image.split_once('@') {
        Some((n, d)) => (n, Some(d)),
        None => (image, None),
    };
    // A ':' before the last '/' is a registry port, not a tag.
    let last_slash = name.rfind('/').map_or(0, |i| i + 1);
    match name[last_slash..].rfind(':') {
        Some(i) => {
            let at = last_slash + i;
            (&name[..at], Some(&name[at + 1..]), digest)
        }
        None => (name, None, digest),
    }
}

/// The repository digest in a status `imageID` (`docker-pullable://repo@sha256:…`,
/// `repo@sha256:…`); a bare `sha256:…` is the local image id, not a digest.
pub fn image_digest(image_id: &str) -> Option<&str> {
    let (_, digest) = image_id.rsplit_once('@')?;
    digest.starts_with("sha256:").then_some(digest)
}

#[cfg(test)]
#[path = "pods_tests.rs"]
mod tests;
