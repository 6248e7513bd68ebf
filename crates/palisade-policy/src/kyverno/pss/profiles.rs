//! The Baseline checks on security profiles (AppArmor, SELinux, seccomp) of the PSA library
//! (Kyverno's fork), with PSA's reasons, details and field errors; split from `baseline.rs` for
//! size, same rationale for duplicating palisade-kube's K8S009/K8S010/K8S012.

use super::model::{
    containers_phrase, fail, join_quote, plural, sorted_set, str_at, Bad, Failure, FieldErr, Pod,
    Setters,
};
use palisade_kube::pss::selinux_types;
use serde_json::Value;

const APPARMOR_PREFIX: &str = "container.apparmor.security.beta.kubernetes.io/";

fn apparmor_type_ok(t: &str) -> bool {
    matches!(t, "RuntimeDefault" | "Localhost")
}

/// `forbidden AppArmor profile`: profile types and the beta annotations may only select the
/// runtime default or a localhost profile (since v1.0).
pub(crate) fn app_armor(pod: &Pod, _: u32) -> Option<Failure> {
    let mut s = Setters::default();
    let mut values = Vec::new();
    if let Some(p) = pod.psc(&["appArmorProfile"]) {
        let t = str_at(p, &["type"]);
        if !apparmor_type_ok(t) {
            let path = "spec.securityContext.appArmorProfile.type".to_string();
            s.add("pod", [FieldErr::forbidden(path, Bad::Str(t.to_string()))]);
            values.push(t.to_string());
        }
    }
    let mut bad = Setters::default();
    for c in pod.containers() {
        if let Some(p) = c.sc(&["appArmorProfile"]) {
            let t = str_at(p, &["type"]);
            if !apparmor_type_ok(t) {
                let path = c.field("securityContext.appArmorProfile.type");
                bad.add_container(c.name, [FieldErr::forbidden(path, Bad::Str(t.to_string()))]);
                values.push(t.to_string());
            }
        }
    }
    if !bad.is_empty() {
        s.add(containers_phrase(&bad.data), bad.errs);
        s.containers = bad.containers;
    }
    let mut values = sorted_set(values);
    let mut annotations = Setters::default();
    if let Some(map) = pod.meta.get("annotations").and_then(Value::as_object) {
        let mut keys: Vec<&String> = map.keys().collect();
        keys.sort();
        for k in keys {
            let v = map.get(k).and_then(Value::as_str).unwrap_or("");
            let allowed = v.is_empty() || v == "runtime/default" || v.starts_with("localhost/");
            if k.starts_with(APPARMOR_PREFIX) && !allowed {
                let path = format!("metadata.annotations[{k}]");
                annotations.add(
                    format!("{k}={v:?}"),
                    [FieldErr::forbidden(path, Bad::Str(v.into()))],
                );
            }
        }
    }
    if !annotations.is_empty() {
        let n = annotations.data.len();
        values.extend(annotations.data);
        s.add(plural("annotation", "annotations", n), annotations.errs);
    }
    if s.is_empty() {
        return None;
    }
    let reason = plural(
        "forbidden AppArmor profile",
        "forbidden AppArmor profiles",
        values.len(),
    );
    let detail = format!(
        "{} must not set AppArmor profile type to {}",
        s.data.join(" and "),
        join_quote(&values)
    );
    fail("appArmorProfile", reason, detail, s)
}

/// Checks one `seLinuxOptions` object; `base` is the path of the securityContext.
fn selinux_errors(o: &Value, base: &str, minor: u32, found: &mut SelinuxFound) -> Vec<FieldErr> {
    let mut errs = Vec::new();
    let t = str_at(o, &["type"]);
    if !t.is_empty() && !selinux_types(minor).contains(&t) {
        found.types.push(t.to_string());
        let path = format!("{base}.seLinuxOptions.type");
        errs.push(FieldErr::forbidden(path, Bad::Str(t.to_string())));
    }
    for (key, flag) in [("user", &mut found.user), ("role", &mut found.role)] {
        let v = str_at(o, &[key]);
        if !v.is_empty() {
            *flag = true;
            let path = format!("{base}.seLinuxOptions.{key}");
            errs.push(FieldErr::forbidden(path, Bad::Str(v.to_string())));
        }
    }
    errs
}

#[derive(Default)]
struct SelinuxFound {
    types: Vec<String>,
    user: bool,
    role: bool,
}

/// `seLinuxOptions`: only the container SELinux types, no user or role (v1.0; v1.31 adds
/// `container_engine_t`).
pub(crate) fn selinux(pod: &Pod, minor: u32) -> Option<Failure> {
    let mut s = Setters::default();
    let mut found = SelinuxFound::default();
    if let Some(o) = pod.psc(&["seLinuxOptions"]) {
        let errs = selinux_errors(o, "spec.securityContext", minor, &mut found);
        if !errs.is_empty() {
            s.add("pod", errs);
        }
    }
    let mut bad = Setters::default();
    for c in pod.containers() {
        if let Some(o) = c.sc(&["seLinuxOptions"]) {
            let errs = selinux_errors(o, &c.field("securityContext"), minor, &mut found);
            if !errs.is_empty() {
                bad.add_container(c.name, errs);
            }
        }
    }
    if !bad.is_empty() {
        s.add(containers_phrase(&bad.data), bad.errs);
        s.containers = bad.containers;
    }
    if s.is_empty() {
        return None;
    }
    let mut what = Vec::new();
    let types = sorted_set(found.types);
    if !types.is_empty() {
        what.push(format!(
            "{} {}",
            plural("type", "types", types.len()),
            join_quote(&types)
        ));
    }
    if found.user {
        what.push("user may not be set".to_string());
    }
    if found.role {
        what.push("role may not be set".to_string());
    }
    let detail = format!(
        "{} set forbidden securityContext.seLinuxOptions: {}",
        s.data.join(" and "),
        what.join("; ")
    );
    fail("seLinuxOptions", "seLinuxOptions", detail, s)
}

/// Seccomp profile types both levels accept.
pub(crate) fn seccomp_ok(t: &str) -> bool {
    matches!(t, "RuntimeDefault" | "Localhost")
}

/// `seccompProfile` (baseline): no explicit `Unconfined` (v1.19 form; the annotation form of
/// v1.0 is not needed, Kyverno accepts v1.19 and later only).
pub(crate) fn seccomp_baseline(pod: &Pod, _: u32) -> Option<Failure> {
    let mut s = Setters::default();
    let mut values = Vec::new();
    if let Some(p) = pod.psc(&["seccompProfile"]) {
        let t = str_at(p, &["type"]);
        if !seccomp_ok(t) {
            let path = "spec.securityContext.seccompProfile.type".to_string();
            s.add("pod", [FieldErr::forbidden(path, Bad::Str(t.to_string()))]);
            values.push(t.to_string());
        }
    }
    let mut bad = Setters::default();
    for c in pod.containers() {
        if let Some(p) = c.sc(&["seccompProfile"]) {
            let t = str_at(p, &["type"]);
            if !seccomp_ok(t) {
                let path = c.field("securityContext.seccompProfile.type");
                bad.add_container(c.name, [FieldErr::forbidden(path, Bad::Str(t.to_string()))]);
                values.push(t.to_string());
            }
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
        "{} must not set securityContext.seccompProfile.type to {}",
        s.data.join(" and "),
        join_quote(&sorted_set(values))
    );
    fail("seccompProfile_baseline", "seccompProfile", detail, s)
}
