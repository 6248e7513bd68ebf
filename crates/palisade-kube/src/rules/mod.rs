//! The `kubernetes` rule family: one file per rule, each with its metadata, check and fixtures
//! (the docs' bad and good examples are the fixtures; `tests/rules.rs` scans them).

use crate::object::{Obj, PodSpec};
use crate::pss::Level;
use crate::yaml::Node;
use crate::KubeOptions;
use palisade_core::RuleMeta;

mod util;
pub(crate) use util::*;

mod ksv001_host_process;
mod ksv002_host_pid;
mod ksv003_host_ipc;
mod ksv004_host_network;
mod ksv005_privileged;
mod ksv006_baseline_capabilities;
mod ksv007_host_path;
mod ksv008_host_ports;
mod ksv009_apparmor;
mod ksv010_selinux;
mod ksv011_proc_mount;
mod ksv012_seccomp_unconfined;
mod ksv013_sysctls;
mod ksv014_probe_host;
mod ksv015_volume_types;
mod ksv016_privilege_escalation;
mod ksv017_run_as_non_root;
mod ksv018_run_as_user_root;
mod ksv019_seccomp_required;
mod ksv020_restricted_capabilities;
mod ksv021_read_only_root_fs;
mod ksv022_cpu_requests;
mod ksv023_cpu_limits;
mod ksv024_memory_requests;
mod ksv025_memory_limits;
mod ksv026_image_tag;
mod ksv027_image_digest;
mod ksv028_registry;
mod ksv029_liveness;
mod ksv030_readiness;
mod ksv031_automount_token;
mod ksv032_default_sa_used;
mod ksv033_default_sa_automount;
mod ksv034_secret_env_ref;
mod ksv035_plain_secret_env;
mod ksv036_secret_object;
mod ksv037_default_namespace;
mod ksv038_dangerous_capabilities;
mod ksv039_net_raw;
mod ksv040_docker_socket;
mod ksv041_pull_policy;
mod ksv042_pod_security_context;
mod ksv043_container_security_context;
mod ksv044_low_uid;
mod ksv045_sys_admin;
mod ksv050_rbac_wildcard;
mod ksv051_rbac_secrets;
mod ksv052_rbac_exec;
mod ksv053_rbac_create_pods;
mod ksv054_rbac_escalate;
mod ksv055_rbac_node_proxy;
mod ksv056_cluster_admin_binding;
mod ksv057_anonymous_binding;
mod ksv058_default_sa_binding;
mod ksv060_netpol_ingress_deny;
mod ksv061_netpol_egress_deny;
mod ksv062_netpol_unselected;
mod ksv063_netpol_allow_all;
mod ksv064_peer_auth;
mod ksv065_ingress_tls;

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
        &ksv001_host_process::RULE,
        &ksv002_host_pid::RULE,
        &ksv003_host_ipc::RULE,
        &ksv004_host_network::RULE,
        &ksv005_privileged::RULE,
        &ksv006_baseline_capabilities::RULE,
        &ksv007_host_path::RULE,
        &ksv008_host_ports::RULE,
        &ksv009_apparmor::RULE,
        &ksv010_selinux::RULE,
        &ksv011_proc_mount::RULE,
        &ksv012_seccomp_unconfined::RULE,
        &ksv013_sysctls::RULE,
        &ksv014_probe_host::RULE,
        &ksv015_volume_types::RULE,
        &ksv016_privilege_escalation::RULE,
        &ksv017_run_as_non_root::RULE,
        &ksv018_run_as_user_root::RULE,
        &ksv019_seccomp_required::RULE,
        &ksv020_restricted_capabilities::RULE,
        &ksv021_read_only_root_fs::RULE,
        &ksv022_cpu_requests::RULE,
        &ksv023_cpu_limits::RULE,
        &ksv024_memory_requests::RULE,
        &ksv025_memory_limits::RULE,
        &ksv026_image_tag::RULE,
        &ksv027_image_digest::RULE,
        &ksv028_registry::RULE,
        &ksv029_liveness::RULE,
        &ksv030_readiness::RULE,
        &ksv031_automount_token::RULE,
        &ksv032_default_sa_used::RULE,
        &ksv033_default_sa_automount::RULE,
        &ksv034_secret_env_ref::RULE,
        &ksv035_plain_secret_env::RULE,
        &ksv036_secret_object::RULE,
        &ksv037_default_namespace::RULE,
        &ksv038_dangerous_capabilities::RULE,
        &ksv039_net_raw::RULE,
        &ksv040_docker_socket::RULE,
        &ksv041_pull_policy::RULE,
        &ksv042_pod_security_context::RULE,
        &ksv043_container_security_context::RULE,
        &ksv044_low_uid::RULE,
        &ksv045_sys_admin::RULE,
        &ksv050_rbac_wildcard::RULE,
        &ksv051_rbac_secrets::RULE,
        &ksv052_rbac_exec::RULE,
        &ksv053_rbac_create_pods::RULE,
        &ksv054_rbac_escalate::RULE,
        &ksv055_rbac_node_proxy::RULE,
        &ksv056_cluster_admin_binding::RULE,
        &ksv057_anonymous_binding::RULE,
        &ksv058_default_sa_binding::RULE,
        &ksv060_netpol_ingress_deny::RULE,
        &ksv061_netpol_egress_deny::RULE,
        &ksv062_netpol_unselected::RULE,
        &ksv063_netpol_allow_all::RULE,
        &ksv064_peer_auth::RULE,
        &ksv065_ingress_tls::RULE,
    ]
}
