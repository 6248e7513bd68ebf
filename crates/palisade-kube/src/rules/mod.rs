//! The `kubernetes` rule family: one file per rule, each with its metadata, check and fixtures
//! (the docs' bad and good examples are the fixtures; `tests/rules.rs` scans them).

use crate::object::{Obj, PodSpec};
use crate::pss::Level;
use crate::yaml::Node;
use crate::KubeOptions;
use palisade_core::RuleMeta;
// Rule files spell their partially related foreign checks with it.
pub(crate) use palisade_core::Partial;

mod util;
pub(crate) use util::*;

mod k8s001_host_process;
mod k8s002_host_pid;
mod k8s003_host_ipc;
mod k8s004_host_network;
mod k8s005_privileged;
mod k8s006_baseline_capabilities;
mod k8s007_host_path;
mod k8s008_host_ports;
mod k8s009_apparmor;
mod k8s010_selinux;
mod k8s011_proc_mount;
mod k8s012_seccomp_unconfined;
mod k8s013_sysctls;
mod k8s014_probe_host;
mod k8s015_volume_types;
mod k8s016_privilege_escalation;
mod k8s017_run_as_non_root;
mod k8s018_run_as_user_root;
mod k8s019_seccomp_required;
mod k8s020_restricted_capabilities;
mod k8s021_read_only_root_fs;
mod k8s022_cpu_requests;
mod k8s023_cpu_limits;
mod k8s024_memory_requests;
mod k8s025_memory_limits;
mod k8s026_image_tag;
mod k8s027_image_digest;
mod k8s028_registry;
mod k8s029_liveness;
mod k8s030_readiness;
mod k8s031_automount_token;
mod k8s032_default_sa_used;
mod k8s033_default_sa_automount;
mod k8s034_secret_env_ref;
mod k8s035_plain_secret_env;
mod k8s036_secret_object;
mod k8s037_default_namespace;
mod k8s038_dangerous_capabilities;
mod k8s039_net_raw;
mod k8s040_docker_socket;
mod k8s041_pull_policy;
mod k8s042_pod_security_context;
mod k8s043_container_security_context;
mod k8s044_low_uid;
mod k8s045_sys_admin;
mod k8s050_rbac_wildcard;
mod k8s051_rbac_secrets;
mod k8s052_rbac_exec;
mod k8s053_rbac_create_pods;
mod k8s054_rbac_escalate;
mod k8s055_rbac_node_proxy;
mod k8s056_cluster_admin_binding;
mod k8s057_anonymous_binding;
mod k8s058_default_sa_binding;
mod k8s060_netpol_ingress_deny;
mod k8s061_netpol_egress_deny;
mod k8s062_netpol_unselected;
mod k8s063_netpol_allow_all;
mod k8s064_peer_auth;
mod k8s065_ingress_tls;

/// A finding before it is turned into a [`palisade_core::Finding`].
#[derive(Debug, Clone)]
pub struct Hit {
    /// Field path inside the object.
    pub field: String,
    pub line: u32,
    pub message: String,
    pub extra: Vec<(String, serde_json::Value)>,
}

impl Hit {
    /// A hit at `node`'s line, or at `fallback` when the field is absent.
    pub fn new(
        field: impl Into<String>,
        node: Option<&Node>,
        fallback: &Node,
        message: impl Into<String>,
    ) -> Hit {
        Hit {
            field: field.into(),
            line: node.map_or(fallback.line, |n| n.line),
            message: message.into(),
            extra: Vec::new(),
        }
    }

    pub fn with(mut self, key: &str, value: serde_json::Value) -> Hit {
        self.extra.push((key.to_string(), value));
        self
    }
}

pub struct Ctx<'a> {
    pub opts: &'a KubeOptions,
    /// Kubernetes minor version the Pod Security Standards are evaluated at (1.x).
    pub pss_minor: u32,
}

/// A check over all objects; hits carry the index of the object they are about.
pub type GlobalCheck = fn(&Ctx, &[Obj]) -> Vec<(usize, Hit)>;

pub enum Check {
    /// Runs on the pod template of every pod-bearing object.
    Pod(fn(&Ctx, &Obj, &PodSpec) -> Vec<Hit>),
    /// Runs on every object.
    Object(fn(&Ctx, &Obj) -> Vec<Hit>),
    /// Runs once over all objects; hits name the object by index.
    Global(GlobalCheck),
}

/// Where a rule sits in the Pod Security Standards.
#[derive(Debug, Clone, Copy)]
pub struct PssControl {
    pub level: Level,
    /// Control name as the standard spells it.
    pub control: &'static str,
    /// First Kubernetes minor version (1.x) whose policy includes the control.
    pub since: u32,
}

pub struct Rule {
    pub meta: RuleMeta,
    pub pss: Option<PssControl>,
    pub check: Check,
}

pub fn all() -> Vec<&'static Rule> {
    vec![
        &k8s001_host_process::RULE,
        &k8s002_host_pid::RULE,
        &k8s003_host_ipc::RULE,
        &k8s004_host_network::RULE,
        &k8s005_privileged::RULE,
        &k8s006_baseline_capabilities::RULE,
        &k8s007_host_path::RULE,
        &k8s008_host_ports::RULE,
        &k8s009_apparmor::RULE,
        &k8s010_selinux::RULE,
        &k8s011_proc_mount::RULE,
        &k8s012_seccomp_unconfined::RULE,
        &k8s013_sysctls::RULE,
        &k8s014_probe_host::RULE,
        &k8s015_volume_types::RULE,
        &k8s016_privilege_escalation::RULE,
        &k8s017_run_as_non_root::RULE,
        &k8s018_run_as_user_root::RULE,
        &k8s019_seccomp_required::RULE,
        &k8s020_restricted_capabilities::RULE,
        &k8s021_read_only_root_fs::RULE,
        &k8s022_cpu_requests::RULE,
        &k8s023_cpu_limits::RULE,
        &k8s024_memory_requests::RULE,
        &k8s025_memory_limits::RULE,
        &k8s026_image_tag::RULE,
        &k8s027_image_digest::RULE,
        &k8s028_registry::RULE,
        &k8s029_liveness::RULE,
        &k8s030_readiness::RULE,
        &k8s031_automount_token::RULE,
        &k8s032_default_sa_used::RULE,
        &k8s033_default_sa_automount::RULE,
        &k8s034_secret_env_ref::RULE,
        &k8s035_plain_secret_env::RULE,
        &k8s036_secret_object::RULE,
        &k8s037_default_namespace::RULE,
        &k8s038_dangerous_capabilities::RULE,
        &k8s039_net_raw::RULE,
        &k8s040_docker_socket::RULE,
        &k8s041_pull_policy::RULE,
        &k8s042_pod_security_context::RULE,
        &k8s043_container_security_context::RULE,
        &k8s044_low_uid::RULE,
        &k8s045_sys_admin::RULE,
        &k8s050_rbac_wildcard::RULE,
        &k8s051_rbac_secrets::RULE,
        &k8s052_rbac_exec::RULE,
        &k8s053_rbac_create_pods::RULE,
        &k8s054_rbac_escalate::RULE,
        &k8s055_rbac_node_proxy::RULE,
        &k8s056_cluster_admin_binding::RULE,
        &k8s057_anonymous_binding::RULE,
        &k8s058_default_sa_binding::RULE,
        &k8s060_netpol_ingress_deny::RULE,
        &k8s061_netpol_egress_deny::RULE,
        &k8s062_netpol_unselected::RULE,
        &k8s063_netpol_allow_all::RULE,
        &k8s064_peer_auth::RULE,
        &k8s065_ingress_tls::RULE,
    ]
}
