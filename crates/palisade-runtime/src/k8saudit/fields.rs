//! The `ka.*` fields of Falco's k8saudit plugin and the `json.*`/`jevt.*` fields of its json
//! plugin, with the plugin's names, list flags and arguments.

use crate::fields::{ArgKind, FieldDef, FieldType};
use std::sync::OnceLock;

const fn s(name: &'static str, desc: &'static str) -> FieldDef {
    FieldDef {
        name,
        ty: FieldType::String,
        is_list: false,
        arg: ArgKind::None,
        desc,
    }
}

const fn list(name: &'static str, arg: ArgKind, desc: &'static str) -> FieldDef {
    FieldDef {
        name,
        ty: FieldType::String,
        is_list: true,
        arg,
        desc,
    }
}

const IDX: ArgKind = ArgKind::Index { required: false };

const BASE: &[FieldDef] = &[
    s("ka.auditid", "The unique id of the audit event"),
    s(
        "ka.stage",
        "Stage of the request (e.g. RequestReceived, ResponseComplete, etc.)",
    ),
    s("ka.auth.decision", "The authorization decision"),
    s("ka.auth.reason", "The authorization reason"),
    s(
        "ka.auth.openshift.decision",
        "The OpenShift authentication decision",
    ),
    s(
        "ka.validations.admission.policy.failure",
        "The ValidatingAdmissionPolicy failure reason",
    ),
    s(
        "ka.security.pod.violations",
        "The Pod Security admission audit violations",
    ),
    s(
        "ka.auth.openshift.username",
        "The OpenShift authenticated user name",
    ),
    s("ka.user.name", "The user name performing the request"),
    list(
        "ka.user.groups",
        ArgKind::None,
        "The groups to which the user belongs",
    ),
    s("ka.impuser.name", "The impersonated user name"),
    s("ka.verb", "The action being performed"),
    s("ka.uri", "The request URI as sent from client to server"),
    FieldDef {
        name: "ka.uri.param",
        ty: FieldType::String,
        is_list: false,
        arg: ArgKind::Key { required: true },
        desc: "The value of a query parameter of the uri (ka.uri.param[key])",
    },
    s("ka.target.name", "The target object name"),
    s("ka.target.namespace", "The target object namespace"),
    s("ka.target.resource", "The target object resource"),
    s("ka.target.subresource", "The target object subresource"),
    s("ka.target.pod.name", "The target pod name"),
    list(
        "ka.req.binding.subjects",
        ArgKind::None,
        "The subjects of a role binding request",
    ),
    list(
        "ka.req.binding.subjects.user_names",
        ArgKind::None,
        "Subject user names of a binding",
    ),
    list(
        "ka.req.binding.subjects.serviceaccount_names",
        ArgKind::None,
        "Subject service account names of a binding",
    ),
    list(
        "ka.req.binding.subjects.serviceaccount_ns_names",
        ArgKind::None,
        "Subject service accounts of a binding as namespace:name",
    ),
    list(
        "ka.req.binding.subjects.group_names",
        ArgKind::None,
        "Subject group names of a binding",
    ),
    s("ka.req.binding.role", "The role a binding links to"),
    FieldDef {
        name: "ka.req.binding.subject.has_name",
        ty: FieldType::String,
        is_list: false,
        arg: ArgKind::Key { required: true },
        desc: "Deprecated; always true, as the plugin",
    },
    s(
        "ka.req.configmap.name",
        "The configmap name of a configmap request",
    ),
    s("ka.req.configmap.obj", "The data of a configmap request"),
    s(
        "ka.req.container.image",
        "Deprecated: the image of the first container",
    ),
    s(
        "ka.req.container.image.repository",
        "Deprecated: the repository of the first container's image",
    ),
    s("ka.req.pod.host_ipc", "The pod's hostIPC flag"),
    s("ka.req.pod.host_network", "The pod's hostNetwork flag"),
    s(
        "ka.req.container.host_network",
        "Deprecated alias for ka.req.pod.host_network",
    ),
    s("ka.req.pod.host_pid", "The pod's hostPID flag"),
    s(
        "ka.req.container.privileged",
        "Deprecated: true if any container is privileged",
    ),
    s(
        "ka.req.pod.run_as_user",
        "The pod securityContext runAsUser",
    ),
    s(
        "ka.req.pod.run_as_group",
        "The pod securityContext runAsGroup",
    ),
    list(
        "ka.req.role.rules",
        ArgKind::None,
        "The rules of a role request",
    ),
    list(
        "ka.req.role.rules.apiGroups",
        IDX,
        "The api groups of the role's rules",
    ),
    list(
        "ka.req.role.rules.nonResourceURLs",
        IDX,
        "The non resource urls of the role's rules",
    ),
    list(
        "ka.req.role.rules.verbs",
        IDX,
        "The verbs of the role's rules",
    ),
    list(
        "ka.req.role.rules.resources",
        IDX,
        "The resources of the role's rules",
    ),
    s("ka.req.pod.fs_group", "The pod securityContext fsGroup"),
    list(
        "ka.req.pod.supplemental_groups",
        ArgKind::None,
        "The pod securityContext supplementalGroups",
    ),
    s(
        "ka.req.service.type",
        "The service type of a service request",
    ),
    list("ka.req.service.ports", IDX, "The service's ports"),
    list(
        "ka.req.pod.volumes.hostpath",
        IDX,
        "All hostPath paths of the pod's volumes",
    ),
    FieldDef {
        name: "ka.req.volume.hostpath",
        ty: FieldType::String,
        is_list: false,
        arg: ArgKind::Key { required: true },
        desc: "Deprecated: true if a volume uses the host path (prefix with a trailing *)",
    },
    list(
        "ka.req.pod.volumes.flexvolume_driver",
        IDX,
        "All flexvolume drivers of the pod's volumes",
    ),
    list(
        "ka.req.pod.volumes.volume_type",
        IDX,
        "All volume types of the pod's volumes",
    ),
    s("ka.resp.name", "The response object name"),
    s("ka.response.code", "The response code"),
    s("ka.response.reason", "The response reason"),
    s("ka.useragent", "The user agent of the client"),
    list("ka.sourceips", IDX, "The IP addresses of the client"),
    s(
        "ka.cluster.name",
        "The name of the cluster (annotation cluster_name)",
    ),
    FieldDef {
        name: "json.value",
        ty: FieldType::String,
        is_list: false,
        arg: ArgKind::Pointer,
        desc: "A value of the event by JSON pointer (json.value[/a/b])",
    },
    s("json.obj", "The whole event as JSON text"),
    s("json.rawtime", "The event time in nanoseconds"),
    FieldDef {
        name: "jevt.value",
        ty: FieldType::String,
        is_list: false,
        arg: ArgKind::Pointer,
        desc: "Alias for json.value",
    },
    s("jevt.obj", "Alias for json.obj"),
    s("jevt.rawtime", "Alias for json.rawtime"),
];

/// Per-container fields, for `containers`, `initContainers` and `ephemeralContainers`.
pub const CONTAINER_FIELDS: &[&str] = &[
    "name",
    "image",
    "image.repository",
    "command",
    "args",
    "privileged",
    "allow_privilege_escalation",
    "read_only_fs",
    "run_as_user",
    "eff_run_as_user",
    "run_as_group",
    "eff_run_as_group",
    "proc_mount",
    "add_capabilities",
    "host_port",
];

pub const CONTAINER_LISTS: &[&str] = &["containers", "initContainers", "ephemeralContainers"];

/// The full table; container fields are generated once (the names live for the program).
pub fn table() -> &'static [FieldDef] {
    static T: OnceLock<Vec<FieldDef>> = OnceLock::new();
    T.get_or_init(|| {
        let mut v = BASE.to_vec();
        for l in CONTAINER_LISTS {
            for f in CONTAINER_FIELDS {
                if *f == "host_port" && *l == "ephemeralContainers" {
                    continue;
                }
                let name: &'static str = Box::leak(format!("ka.req.pod.{l}.{f}").into_boxed_str());
                v.push(list(
                    name,
                    IDX,
                    "A per-container value of the pod's containers",
                ));
            }
        }
        v
    })
}
