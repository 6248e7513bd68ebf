//! The Baseline checks of the PSA library (`k8s.io/pod-security-admission/policy/check_*.go`,
//! Kyverno's fork), one function per check, with PSA's reasons, details and field errors.
//!
//! These duplicate what palisade-kube's K8S001–K8S014 rules decide (the profile checks are in
//! `profiles.rs`), on purpose: those rules
//! report findings with source positions, while Kyverno's exclusions need PSA's exact field paths
//! and bad values per container. The allow-lists come from `palisade_kube::pss`, so both agree.

use super::model::{
    at, containers_phrase, fail, is_true, join_quote, plural, sorted_set, str_at, strings, Bad,
    Failure, FieldErr, Pod, Setters,
};
use palisade_kube::pss::{safe_sysctls, BASELINE_CAPS};
use serde_json::Value;

/// `hostProcess`: no Windows HostProcess pod or container (since v1.0).
pub(crate) fn windows_host_process(pod: &Pod, _: u32) -> Option<Failure> {
    let mut s = Setters::default();
    if is_true(pod.psc(&["windowsOptions", "hostProcess"])) {
        let path = "spec.securityContext.windowsOptions.hostProcess".to_string();
        s.add("pod", [FieldErr::forbidden(path, Bad::Bool(true))]);
    }
    let mut bad = Setters::default();
    for c in pod.containers() {
        if is_true(c.sc(&["windowsOptions", "hostProcess"])) {
            let path = c.field("securityContext.windowsOptions.hostProcess");
            bad.add_container(c.name, [FieldErr::forbidden(path, Bad::Bool(true))]);
        }
    }
    if !bad.is_empty() {
        s.add(containers_phrase(&bad.data), bad.errs);
        s.containers = bad.containers;
    }
    if s.is_empty() {
        return None;
    }
    let detail = format!(
        "{} must not set securityContext.windowsOptions.hostProcess=true",
        s.data.join(" and ")
    );
    fail("windowsHostProcess", "hostProcess", detail, s)
}

/// `host namespaces`: no hostNetwork, hostPID, hostIPC (since v1.0).
pub(crate) fn host_namespaces(pod: &Pod, _: u32) -> Option<Failure> {
    let mut s = Setters::default();
    for key in ["hostNetwork", "hostPID", "hostIPC"] {
        if is_true(pod.spec.get(key)) {
            let err = FieldErr::forbidden(format!("spec.{key}"), Bad::Bool(true));
            s.add(format!("{key}=true"), [err]);
        }
    }
    if s.is_empty() {
        return None;
    }
    let detail = s.data.join(", ");
    fail("hostNamespaces", "host namespaces", detail, s)
}

/// `privileged`: no privileged container (since v1.0).
pub(crate) fn privileged(pod: &Pod, _: u32) -> Option<Failure> {
    let mut s = Setters::default();
    for c in pod.containers() {
        if is_true(c.sc(&["privileged"])) {
            let path = c.field("securityContext.privileged");
            s.add_container(c.name, [FieldErr::forbidden(path, Bad::Bool(true))]);
        }
    }
    if s.is_empty() {
        return None;
    }
    let detail = format!(
        "{} must not set securityContext.privileged=true",
        containers_phrase(&s.data)
    );
    fail("privileged", "privileged", detail, s)
}

/// `non-default capabilities`: `capabilities.add` only from the runtime's default set (v1.0).
pub(crate) fn capabilities_baseline(pod: &Pod, _: u32) -> Option<Failure> {
    let mut s = Setters::default();
    let mut all = Vec::new();
    for c in pod.containers() {
        let Some(caps) = c.sc(&["capabilities"]) else {
            continue;
        };
        let bad: Vec<String> = strings(at(caps, &["add"]))
            .into_iter()
            .filter(|cap| !BASELINE_CAPS.contains(cap))
            .map(str::to_string)
            .collect();
        if !bad.is_empty() {
            all.extend(bad.iter().cloned());
            let path = c.field("securityContext.capabilities.add");
            let err = FieldErr::forbidden(path, Bad::List(sorted_set(bad)));
            s.add_container(c.name, [err]);
        }
    }
    if s.is_empty() {
        return None;
    }
    let detail = format!(
        "{} must not include {} in securityContext.capabilities.add",
        containers_phrase(&s.data),
        join_quote(&sorted_set(all))
    );
    fail(
        "capabilities_baseline",
        "non-default capabilities",
        detail,
        s,
    )
}

/// `hostPath volumes`: none (since v1.0).
pub(crate) fn host_path_volumes(pod: &Pod, _: u32) -> Option<Failure> {
    let mut s = Setters::default();
    let volumes = pod.spec.get("volumes").and_then(Value::as_array);
    for (i, v) in volumes.into_iter().flatten().enumerate() {
        if let Some(hp) = at(v, &["hostPath"]) {
            let path = format!("spec.volumes[{i}].hostPath");
            let err = FieldErr::forbidden(path, Bad::Str(str_at(hp, &["path"]).to_string()));
            s.add(str_at(v, &["name"]), [err]);
        }
    }
    if s.is_empty() {
        return None;
    }
    let detail = format!(
        "{} {}",
        plural("volume", "volumes", s.data.len()),
        join_quote(&s.data)
    );
    fail("hostPathVolumes", "hostPath volumes", detail, s)
}

/// `hostPort`: no container port with a non-zero hostPort (since v1.0).
pub(crate) fn host_ports(pod: &Pod, _: u32) -> Option<Failure> {
    let mut s = Setters::default();
    let mut ports = Vec::new();
    for c in pod.containers() {
        let mut errs = Vec::new();
        let list = c.node.get("ports").and_then(Value::as_array);
        for (i, p) in list.into_iter().flatten().enumerate() {
            let hp = at(p, &["hostPort"]).and_then(Value::as_i64).unwrap_or(0);
            if hp != 0 {
                ports.push(hp.to_string());
                let path = c.field(&format!("ports[{i}].hostPort"));
                errs.push(FieldErr::forbidden(path, Bad::Int(hp)));
            }
        }
        if !errs.is_empty() {
            s.add_container(c.name, errs);
        }
    }
    if s.is_empty() {
        return None;
    }
    let ports = sorted_set(ports);
    let detail = format!(
        "{} {} {} {}",
        containers_phrase(&s.data),
        plural("uses", "use", s.data.len()),
        plural("hostPort", "hostPorts", ports.len()),
        ports.join(", ")
    );
    fail("hostPorts", "hostPort", detail, s)
}

/// `procMount`: only the `Default` /proc mount (since v1.0).
pub(crate) fn proc_mount(pod: &Pod, _: u32) -> Option<Failure> {
    let mut s = Setters::default();
    let mut types = Vec::new();
    for c in pod.containers() {
        let Some(pm) = c.sc(&["procMount"]) else {
            continue;
        };
        let pm = pm.as_str().unwrap_or("");
        if pm != "Default" {
            types.push(pm.to_string());
            let path = c.field("securityContext.procMount");
            s.add_container(
                c.name,
                [FieldErr::forbidden(path, Bad::Str(pm.to_string()))],
            );
        }
    }
    if s.is_empty() {
        return None;
    }
    let detail = format!(
        "{} must not set securityContext.procMount to {}",
        containers_phrase(&s.data),
        join_quote(&sorted_set(types))
    );
    fail("procMount", "procMount", detail, s)
}

/// `forbidden sysctls`: only the safe set of the policy version (v1.0, 1.27, 1.29, 1.32).
pub(crate) fn sysctls(pod: &Pod, minor: u32) -> Option<Failure> {
    let safe = safe_sysctls(minor);
    let mut s = Setters::default();
    let list = pod.psc(&["sysctls"]).and_then(Value::as_array);
    for (i, sc) in list.into_iter().flatten().enumerate() {
        let name = str_at(sc, &["name"]);
        if !safe.contains(&name) {
            let path = format!("spec.securityContext.sysctls[{i}].name");
            s.add(
                name,
                [FieldErr::forbidden(path, Bad::Str(name.to_string()))],
            );
        }
    }
    if s.is_empty() {
        return None;
    }
    let detail = s.data.join(", ");
    fail("sysctls", "forbidden sysctls", detail, s)
}

/// `probe or lifecycle host`: probes and lifecycle handlers may not name a host (since v1.34).
/// PSA reports no field errors for it and Kyverno has no control name for it, so it can be
/// neither excluded nor narrowed.
pub(crate) fn host_probes(pod: &Pod, _: u32) -> Option<Failure> {
    let mut containers = Vec::new();
    let mut hosts = Vec::new();
    for c in pod.containers() {
        let handlers = [
            at(c.node, &["livenessProbe"]),
            at(c.node, &["readinessProbe"]),
            at(c.node, &["startupProbe"]),
            at(c.node, &["lifecycle", "postStart"]),
            at(c.node, &["lifecycle", "preStop"]),
        ];
        let before = hosts.len();
        for h in handlers.into_iter().flatten() {
            for kind in ["httpGet", "tcpSocket"] {
                let host = str_at(h, &[kind, "host"]);
                if !host.is_empty() {
                    hosts.push(host.to_string());
                }
            }
        }
        if hosts.len() > before {
            containers.push(c.name.to_string());
        }
    }
    if containers.is_empty() {
        return None;
    }
    let (containers, hosts) = (sorted_set(containers), sorted_set(hosts));
    let detail = format!(
        "{} {} {} {}",
        containers_phrase(&containers),
        plural("uses", "use", containers.len()),
        plural(
            "probe or lifecycle host",
            "probe or lifecycle hosts",
            hosts.len()
        ),
        join_quote(&hosts)
    );
    let s = Setters {
        containers,
        ..Setters::default()
    };
    fail(
        "hostProbesAndHostLifecycle",
        "probe or lifecycle host",
        detail,
        s,
    )
}
