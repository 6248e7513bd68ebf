//! Container attribution: which container (and Kubernetes pod) an event's process is in.
//!
//! The kernel side gives a cgroup v2 id per event; [`CgroupIds`] turns it into a cgroup
//! path, [`from_cgroup_path`] into a container id and runtime, and a [`PodIndex`] from the
//! node's kubelet adds the pod, container name and image. [`ContainerInfo::fields`] renders
//! the result under Falco's `container.*` and `k8s.*` field names.

pub mod cgroup;
pub mod cgroupfs;
mod info;
pub mod kubelet;
mod kubelet_tls;
pub mod pods;

pub use cgroup::{from_cgroup_path, from_proc_cgroup, ContainerRef, Runtime};
pub use cgroupfs::{cgroup2_mount, CgroupFsError, CgroupIds};
pub use info::ContainerInfo;
pub use kubelet::{spawn_refresher, KubeletClient, KubeletConfig, KubeletError};
pub use pods::{PodIndex, PodMeta};
