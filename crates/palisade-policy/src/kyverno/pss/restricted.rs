//! The Restricted checks of the PSA library (Kyverno's fork), with PSA's reasons, details and
//! field errors. Duplicates palisade-kube's K8S015–K8S020 decisions for the reason given in
//! `baseline.rs`; the volume allow-list is `palisade_kube::pss::RESTRICTED_VOLUMES`.

use super::model::{
    at, containers_phrase, fail, join_quote, plural, sorted_set, str_at, strings, Bad, Failure,
    FieldErr, Pod, Setters,
};
use super::profiles::seccomp_ok;
use palisade_kube::pss::RESTRICTED_VOLUMES;
use serde_json::Value;

/// Volume sources PSA names when it forbids one, in the order its switch tests them.
const NAMED_VOLUME_TYPES: &[&str] = &[
    "hostPath",
    "gcePersistentDisk",
    "awsElasticBlockStore",
    "gitRepo",
    "nfs",
    "iscsi",
    "glusterfs",
    "rbd",
    "flexVolume",
    "cinder",
    "cephfs",
    "flocker",
    "fc",
    "azureFile",
    "vsphereVolume",
    "quobyte",
    "azureDisk",
    "photonPersistentDisk",
    "portworxVolume",
    "scaleIO",
    "storageos",
];

/// `restricted volume types`: only the volume sources of the Restricted list (since v1.0).
///
/// A volume that names no source at all passes: the API server defaults it to `emptyDir`
/// (palisade-kube's K8S015 reads it the same way).
pub(crate) fn restricted_volumes(pod: &Pod, _: u32) -> Option<Failure> {
    let mut s = Setters::default();
    let mut types = Vec::new();
    let volumes = pod.spec.get("volumes").and_then(Value::as_array);
    for (i, v) in volumes.into_iter().flatten().enumerate() {
        let Some(obj) = v.as_object() else { continue };
        let sources: Vec<&str> = obj
            .iter()
            .filter(|(k, n)| k.as_str() != "name" && !n.is_null())
            .map(|(k, _)| k.as_str())
            .collect();
        if sources.is_empty() || sources.iter().any(|k| RESTRICTED_VOLUMES.contains(k)) {
            continue;
        }
        let t = NAMED_VOLUME_TYPES
            .iter()
            .find(|t| sources.contains(t))
            .copied()
            .unwrap_or("unknown");
        types.push(t.to_string());
        let path = format!("spec.volumes[{i}].{t}");
        s.add(
            str_at(v, &["name"]),
            [FieldErr::forbidden(path, Bad::Empty)],
        );
    }
    if s.is_empty() {
        return None;
    }
    let types = sorted_set(types);
    let n = s.data.len();
    let detail = format!(
        "{} {} {} {} {}",
        plural("volume", "volumes", n),
        join_quote(&s.data),
        plural("uses", "use", n),
        plural(
            "restricted volume type",
            "restricted volume types",
            types.len()
        ),
        join_quote(&types)
    );
    fail("restrictedVolumes", "restricted volume types", detail, s)
}

/// `allowPrivilegeEscalation != false`: every container sets it to false (v1.8; from v1.25
/// Windows pods are exempt).
pub(crate) fn allow_privilege_escalation(pod: &Pod, minor: u32) -> Option<Failure> {
    if minor >= 25 && pod.is_windows() {
        return None;
    }
    let mut s = Setters::default();
    for c in pod.containers() {
        let path = c.field("securityContext.allowPrivilegeEscalation");
        let err = match (c.sc(&[]), c.sc(&["allowPrivilegeEscalation"])) {
            (None, _) => FieldErr::required(path),
            (Some(_), None) => FieldErr::forbidden(path, Bad::Str("nil".into())),
            (Some(_), Some(Value::Bool(false))) => continue,
            (Some(_), Some(_)) => FieldErr::forbidden(path, Bad::Bool(true)),
        };
        s.add_container(c.name, [err]);
    }
    if s.is_empty() {
        return None;
    }
    let detail = format!(
        "{} must set securityContext.allowPrivilegeEscalation=false",
        containers_phrase(&s.data)
    );
    fail(
        "allowPrivilegeEscalation",
        "allowPrivilegeEscalation != false",
        detail,
        s,
    )
}

/// `runAsNonRoot != true`: the pod or every container sets runAsNonRoot, none sets it false
/// (since v1.0).
pub(crate) fn run_as_non_root(pod: &Pod, _: u32) -> Option<Failure> {
    let mut setters = Setters::default();
    let mut pod_ok = false;
    match pod.psc(&["runAsNonRoot"]) {
        Some(Value::Bool(true)) => pod_ok = true,
        Some(_) => {
            let path = "spec.securityContext.runAsNonRoot".to_string();
            setters.add("pod", [FieldErr::forbidden(path, Bad::Bool(false))]);
        }
        None => {}
    }
    let (mut explicit, mut implicit) = (Setters::default(), Setters::default());
    for c in pod.containers() {
        let path = c.field("securityContext.runAsNonRoot");
        match c.sc(&["runAsNonRoot"]) {
            Some(Value::Bool(true)) => {}
            Some(_) => {
                explicit.add_container(c.name, [FieldErr::forbidden(path, Bad::Bool(false))])
            }
            None if !pod_ok => implicit.add_container(c.name, [FieldErr::required(path)]),
            None => {}
        }
    }
    if !explicit.is_empty() {
        setters.add(containers_phrase(&explicit.data), explicit.errs);
        setters.containers = explicit.containers;
    }
    if setters.is_empty() && implicit.is_empty() {
        return None;
    }
    let mut details = Vec::new();
    if !setters.is_empty() {
        details.push(format!(
            "{} must not set securityContext.runAsNonRoot=false",
            setters.data.join(" and ")
        ));
    }
    if !implicit.is_empty() {
        details.push(format!(
            "pod or {} must set securityContext.runAsNonRoot=true",
            containers_phrase(&implicit.data)
        ));
        setters.errs.extend(implicit.errs);
        setters.containers.extend(implicit.containers);
    }
    fail(
        "runAsNonRoot",
        "runAsNonRoot != true",
        details.join("\n"),
        setters,
    )
}

/// `runAsUser=0`: neither the pod nor a container runs as UID 0 (since v1.23).
pub(crate) fn run_as_user(pod: &Pod, _: u32) -> Option<Failure> {
    let mut s = Setters::default();
    if pod.psc(&["runAsUser"]).and_then(Value::as_i64) == Some(0) {
        let path = "spec.securityContext.runAsUser".to_string();
        s.add("pod", [FieldErr::forbidden(path, Bad::Int(0))]);
    }
    let mut bad = Setters::default();
    for c in pod.containers() {
        if c.sc(&["runAsUser"]).and_then(Value::as_i64) == Some(0) {
            let path = c.field("securityContext.runAsUser");
            bad.add_container(c.name, [FieldErr::forbidden(path, Bad::Int(0))]);
        }
    }
    if !bad.is_empty() {
        s.add(containers_phrase(&bad.data), bad.errs);
        s.containers = bad.containers;
    }
    if s.is_empty() {
        return None;
    }
    let detail = format!("{} must not set runAsUser=0", s.data.join(" and "));
    fail("runAsUser", "runAsUser=0", detail, s)
}

/// `seccompProfile` (restricted): the pod or every container sets RuntimeDefault or Localhost
/// (v1.19; from v1.25 Windows pods are exempt). Explicitly bad values are reported first and
/// alone, as PSA does.
pub(crate) fn seccomp_restricted(pod: &Pod, minor: u32) -> Option<Failure> {
    if minor >= 25 && pod.is_windows() {
        return None;
    }
    let mut s = Setters::default();
    let mut values = Vec::new();
    let mut pod_ok = false;
    if let Some(p) = pod.psc(&["seccompProfile"]) {
        let t = str_at(p, &["type"]);
        if seccomp_ok(t) {
            pod_ok = true;
        } else {
            let path = "spec.securityContext.seccompProfile.type".to_string();
            s.add("pod", [FieldErr::forbidden(path, Bad::Str(t.to_string()))]);
            values.push(t.to_string());
        }
    }
    let (mut explicit, mut implicit) = (Setters::default(), Setters::default());
    for c in pod.containers() {
        let path = c.field("securityContext.seccompProfile.type");
        match c.sc(&["seccompProfile"]) {
            Some(p) => {
                let t = str_at(p, &["type"]);
                if !seccomp_ok(t) {
                    values.push(t.to_string());
                    let err = FieldErr::forbidden(path, Bad::Str(t.to_string()));
                    explicit.add_container(c.name, [err]);
                }
            }
            None if !pod_ok => implicit.add_container(c.name, [FieldErr::required(path)]),
            None => {}
        }
    }
    if !explicit.is_empty() {
        s.add(containers_phrase(&explicit.data), explicit.errs);
        s.containers = explicit.containers;
    }
    let reason = "seccompProfile";
    if !s.is_empty() {
        let detail = format!(
            "{} must not set securityContext.seccompProfile.type to {}",
            s.data.join(" and "),
            join_quote(&sorted_set(values))
        );
        return fail("seccompProfile_restricted", reason, detail, s);
    }
    if implicit.is_empty() {
        return None;
    }
    let detail = format!(
        "pod or {} must set securityContext.seccompProfile.type to \"RuntimeDefault\" or \"Localhost\"",
        containers_phrase(&implicit.data)
    );
    fail("seccompProfile_restricted", reason, detail, implicit)
}

/// `unrestricted capabilities`: every container drops ALL and adds at most NET_BIND_SERVICE
/// (v1.22; from v1.25 Windows pods are exempt).
pub(crate) fn capabilities_restricted(pod: &Pod, minor: u32) -> Option<Failure> {
    if minor >= 25 && pod.is_windows() {
        return None;
    }
    let (mut no_drop, mut adding) = (Setters::default(), Setters::default());
    let mut added = Vec::new();
    for c in pod.containers() {
        let drop_path = c.field("securityContext.capabilities.drop");
        let Some(caps) = c.sc(&["capabilities"]) else {
            no_drop.add_container(c.name, [FieldErr::required(drop_path)]);
            continue;
        };
        let drops = strings(at(caps, &["drop"]));
        if !drops.contains(&"ALL") {
            let err = if drops.is_empty() {
                FieldErr::required(drop_path)
            } else {
                let list = sorted_set(drops.iter().map(|d| d.to_string()));
                FieldErr::forbidden(drop_path, Bad::List(list))
            };
            no_drop.add_container(c.name, [err]);
        }
        let bad: Vec<String> = strings(at(caps, &["add"]))
            .into_iter()
            .filter(|a| *a != "NET_BIND_SERVICE")
            .map(str::to_string)
            .collect();
        if !bad.is_empty() {
            added.extend(bad.iter().cloned());
            let path = c.field("securityContext.capabilities.add");
            adding.add_container(
                c.name,
                [FieldErr::forbidden(path, Bad::List(sorted_set(bad)))],
            );
        }
    }
    let mut details = Vec::new();
    if !no_drop.is_empty() {
        details.push(format!(
            "{} must set securityContext.capabilities.drop=[\"ALL\"]",
            containers_phrase(&no_drop.data)
        ));
    }
    if !adding.is_empty() {
        details.push(format!(
            "{} must not include {} in securityContext.capabilities.add",
            containers_phrase(&adding.data),
            join_quote(&sorted_set(added))
        ));
    }
    if details.is_empty() {
        return None;
    }
    no_drop.errs.extend(adding.errs);
    no_drop.containers.extend(adding.containers);
    fail(
        "capabilities_restricted",
        "unrestricted capabilities",
        details.join("; "),
        no_drop,
    )
}
