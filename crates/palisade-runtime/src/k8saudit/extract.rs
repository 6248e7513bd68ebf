//! Field extraction with the k8saudit plugin's semantics: non-string JSON values render as
//! compact JSON text, arrays along a path fan out (or pick one element with an index
//! argument), and a field that does not apply yields nothing.

use super::event::AuditEvent;
use crate::fields::{BoundField, Extracted, FieldArg, Value};
use serde_json::Value as J;
use std::borrow::Cow;

fn text(v: &J) -> Cow<'_, str> {
    match v {
        J::String(s) => Cow::Borrowed(s),
        other => Cow::Owned(other.to_string()),
    }
}

fn one(v: Option<&J>) -> Extracted<'_> {
    v.map_or(Extracted::Missing, |v| Extracted::One(Value::Str(text(v))))
}

fn owned(s: String) -> Extracted<'static> {
    Extracted::One(Value::Str(Cow::Owned(s)))
}

fn strs<'e>(v: impl IntoIterator<Item = Cow<'e, str>>) -> Extracted<'e> {
    Extracted::from_vec(v.into_iter().map(Value::Str).collect())
}

fn path<'e>(v: &'e J, keys: &[&str]) -> Option<&'e J> {
    keys.iter().try_fold(v, |v, k| v.get(*k))
}

/// Walks `keys`; at every array on the way either fans out (no index: a missing value
/// becomes `None`) or picks the indexed element. `Err` when the path does not exist.
fn values<'e>(
    v: &'e J,
    idx: Option<usize>,
    keys: &[&str],
    out: &mut Vec<Option<&'e J>>,
) -> Result<(), ()> {
    let mut cur = v;
    for (i, k) in keys.iter().enumerate() {
        if let J::Array(items) = cur {
            match idx {
                None => {
                    for it in items {
                        let mut sub = Vec::new();
                        match values(it, idx, &keys[i..], &mut sub) {
                            Ok(()) => out.extend(sub),
                            Err(()) => out.push(None),
                        }
                    }
                    return Ok(());
                }
                Some(n) => cur = items.get(n).ok_or(())?,
            }
        }
        cur = if k.is_empty() {
            cur
        } else {
            cur.get(*k).ok_or(())?
        };
    }
    out.push(Some(cur));
    Ok(())
}

fn index_of(f: &BoundField) -> Option<usize> {
    match f.arg {
        FieldArg::Index(i) => Some(i),
        _ => None,
    }
}

fn skip_nil<'e>(vals: &[Option<&'e J>]) -> Extracted<'e> {
    strs(vals.iter().flatten().map(|v| text(v)))
}

fn container_values<'e>(
    ev: &'e J,
    list: &str,
    idx: Option<usize>,
    sub: &[&str],
) -> Option<Vec<Option<&'e J>>> {
    let mut keys = vec!["requestObject", "spec", list];
    keys.extend_from_slice(sub);
    let mut out = Vec::new();
    values(ev, idx, &keys, &mut out).ok()?;
    Some(out)
}

/// Container images; any container without one makes the field unavailable, as the plugin.
fn images<'e>(ev: &'e J, list: &str, idx: Option<usize>) -> Option<Vec<Cow<'e, str>>> {
    container_values(ev, list, idx, &["image"])?
        .into_iter()
        .map(|v| v.map(text))
        .collect()
}

/// The plugin's repository: the image up to the first ':' and then the first '@'.
fn repository(image: &str) -> &str {
    let a = image.split(':').next().unwrap_or(image);
    a.split('@').next().unwrap_or(a)
}

fn joined<'e>(ev: &'e J, list: &str, idx: Option<usize>, key: &str) -> Extracted<'e> {
    let Some(vals) = container_values(ev, list, idx, &[key]) else {
        return Extracted::Missing;
    };
    let mut out = Vec::new();
    for v in vals.into_iter().flatten() {
        let Some(arr) = v.as_array() else {
            return Extracted::Missing;
        };
        let parts: Option<Vec<&str>> = arr.iter().map(J::as_str).collect();
        let Some(parts) = parts else {
            return Extracted::Missing;
        };
        out.push(Cow::Owned(parts.join(" ")));
    }
    strs(out)
}

fn container_field<'e>(ev: &'e J, list: &str, field: &str, idx: Option<usize>) -> Extracted<'e> {
    let sc = |k: &str| {
        container_values(ev, list, idx, &["securityContext", k])
            .map_or(Extracted::Missing, |v| skip_nil(&v))
    };
    match field {
        "args" => joined(ev, list, idx, "args"),
        "command" => joined(ev, list, idx, "command"),
        "name" => container_values(ev, list, idx, &["name"])
            .and_then(|v| {
                v.into_iter()
                    .map(|v| v.map(text))
                    .collect::<Option<Vec<_>>>()
            })
            .map_or(Extracted::Missing, strs),
        "image" => images(ev, list, idx).map_or(Extracted::Missing, strs),
        "image.repository" => images(ev, list, idx).map_or(Extracted::Missing, |imgs| {
            strs(imgs.into_iter().map(|i| match i {
                Cow::Borrowed(b) => Cow::Borrowed(repository(b)),
                Cow::Owned(o) => Cow::Owned(repository(&o).to_string()),
            }))
        }),
        "host_port" => {
            let Some(vals) = container_values(ev, list, idx, &["ports"]) else {
                return Extracted::Missing;
            };
            let mut out = Vec::new();
            for ports in vals.into_iter().flatten() {
                for p in ports.as_array().into_iter().flatten() {
                    if let Some(v) = p.get("hostPort").or_else(|| p.get("containerPort")) {
                        out.push(text(v));
                    }
                }
            }
            strs(out)
        }
        "privileged" => sc("privileged"),
        "allow_privilege_escalation" => sc("allowPrivilegeEscalation"),
        "read_only_fs" => sc("readOnlyRootFilesystem"),
        "run_as_user" => sc("runAsUser"),
        "run_as_group" => sc("runAsGroup"),
        "proc_mount" => sc("procMount"),
        "add_capabilities" => {
            container_values(ev, list, idx, &["securityContext", "capabilities", "add"])
                .map_or(Extracted::Missing, |v| skip_nil(&v))
        }
        // The plugin reads `spec.<key>` and `<container>.<key>` (not the securityContext
        // ones); kept as it is so alerts agree with Falco's.
        "eff_run_as_user" | "eff_run_as_group" => {
            let key = if field == "eff_run_as_user" {
                "runAsUser"
            } else {
                "runAsGroup"
            };
            let pod = path(ev, &["requestObject", "spec", key]).map_or(Cow::Borrowed("0"), text);
            container_values(ev, list, idx, &[key]).map_or(Extracted::Missing, |v| {
                strs(v.into_iter().map(|c| c.map_or_else(|| pod.clone(), text)))
            })
        }
        _ => Extracted::Missing,
    }
}

fn subjects<'e>(ev: &'e J, kind: &str, namespaced: bool) -> Extracted<'e> {
    let Some(subj) = path(ev, &["requestObject", "subjects"]).and_then(J::as_array) else {
        return Extracted::Missing;
    };
    strs(subj.iter().filter_map(|s| {
        if s.get("kind").map(text).as_deref() != Some(kind) {
            return None;
        }
        let name = text(s.get("name")?);
        if namespaced {
            Some(Cow::Owned(format!(
                "{}:{}",
                text(s.get("namespace")?),
                name
            )))
        } else {
            Some(name)
        }
    }))
}

fn list_at<'e>(ev: &'e J, keys: &[&str]) -> Extracted<'e> {
    match path(ev, keys) {
        Some(J::Array(a)) => strs(a.iter().map(text)),
        _ => Extracted::Missing,
    }
}

fn rules_field<'e>(ev: &'e J, key: &str, idx: Option<usize>) -> Extracted<'e> {
    let mut vals = Vec::new();
    if values(ev, idx, &["requestObject", "rules", key], &mut vals).is_err() {
        return Extracted::Missing;
    }
    strs(
        vals.into_iter()
            .flatten()
            .filter_map(J::as_array)
            .flatten()
            .map(text),
    )
}

pub fn extract<'e>(f: &BoundField, e: &'e AuditEvent) -> Extracted<'e> {
    let ev = &e.json;
    match f.name {
        "json.obj" | "jevt.obj" => return owned(ev.to_string()),
        "json.rawtime" | "jevt.rawtime" => return owned(e.time_ns.to_string()),
        "json.value" | "jevt.value" => {
            let FieldArg::Pointer(keys) = &f.arg else {
                return Extracted::Missing;
            };
            let mut cur = ev;
            for k in keys {
                let next = match cur {
                    J::Object(m) => m.get(k),
                    J::Array(a) => k.parse::<usize>().ok().and_then(|i| a.get(i)),
                    _ => None,
                };
                let Some(n) = next else {
                    return Extracted::Missing;
                };
                cur = n;
            }
            return one(Some(cur));
        }
        _ => {}
    }
    // The plugin ignores JSON that is not an audit event.
    if ev.get("auditID").is_none() {
        return Extracted::Missing;
    }
    let idx = index_of(f);
    if let Some(rest) = f.name.strip_prefix("ka.req.pod.") {
        for l in super::fields::CONTAINER_LISTS {
            if let Some(field) = rest.strip_prefix(l).and_then(|r| r.strip_prefix('.')) {
                return container_field(ev, l, field, idx);
            }
        }
    }
    let ann = |k: &str| one(path(ev, &["annotations", k]));
    match f.name {
        "ka.auditid" => one(ev.get("auditID")),
        "ka.stage" => one(ev.get("stage")),
        "ka.auth.decision" => ann("authorization.k8s.io/decision"),
        "ka.auth.reason" => ann("authorization.k8s.io/reason"),
        "ka.auth.openshift.decision" => ann("authentication.openshift.io/decision"),
        "ka.auth.openshift.username" => ann("authentication.openshift.io/username"),
        "ka.validations.admission.policy.failure" => {
            ann("validation.policy.admission.k8s.io/validation_failure")
        }
        "ka.security.pod.violations" => ann("pod-security.kubernetes.io/audit-violations"),
        "ka.cluster.name" => ann("cluster_name"),
        "ka.user.name" => one(path(ev, &["user", "username"])),
        "ka.user.groups" => list_at(ev, &["user", "groups"]),
        "ka.impuser.name" => one(path(ev, &["impersonatedUser", "username"])),
        "ka.verb" => one(ev.get("verb")),
        "ka.uri" => one(ev.get("requestURI")),
        "ka.uri.param" => {
            let (Some(uri), FieldArg::Key(key)) =
                (ev.get("requestURI").and_then(J::as_str), &f.arg)
            else {
                return Extracted::Missing;
            };
            let query = uri.split_once('?').map_or("", |(_, q)| q);
            let query = query.split('#').next().unwrap_or_default();
            form_urlencoded::parse(query.as_bytes())
                .find(|(k, _)| k == key)
                .map_or(Extracted::Missing, |(_, v)| owned(v.into_owned()))
        }
        "ka.target.name" | "ka.req.configmap.name" => one(path(ev, &["objectRef", "name"])),
        "ka.target.namespace" => one(path(ev, &["objectRef", "namespace"])),
        "ka.target.resource" => one(path(ev, &["objectRef", "resource"])),
        "ka.target.subresource" => one(path(ev, &["objectRef", "subresource"])),
        "ka.target.pod.name" => {
            let res = path(ev, &["objectRef", "resource"]).and_then(J::as_str);
            let sub = path(ev, &["objectRef", "subresource"])
                .and_then(J::as_str)
                .unwrap_or("");
            if res == Some("pods") && sub.is_empty() {
                one(path(ev, &["responseObject", "metadata", "name"]))
            } else {
                Extracted::Missing
            }
        }
        "ka.req.binding.subjects" => list_at(ev, &["requestObject", "subjects"]),
        "ka.req.binding.subjects.user_names" => subjects(ev, "User", false),
        "ka.req.binding.subjects.serviceaccount_names" => subjects(ev, "ServiceAccount", false),
        "ka.req.binding.subjects.serviceaccount_ns_names" => subjects(ev, "ServiceAccount", true),
        "ka.req.binding.subjects.group_names" => subjects(ev, "Group", false),
        "ka.req.binding.role" => one(path(ev, &["requestObject", "roleRef", "name"])),
        "ka.req.binding.subject.has_name" => owned("true".into()),
        "ka.req.configmap.obj" => one(path(ev, &["requestObject", "data"])),
        "ka.req.container.image" => images(ev, "containers", Some(0))
            .and_then(|v| v.into_iter().next())
            .map_or(Extracted::Missing, |i| Extracted::One(Value::Str(i))),
        "ka.req.container.image.repository" => images(ev, "containers", Some(0))
            .and_then(|v| v.into_iter().next())
            .map_or(Extracted::Missing, |i| owned(repository(&i).to_string())),
        "ka.req.pod.host_ipc" => one(path(ev, &["requestObject", "spec", "hostIPC"])),
        "ka.req.pod.host_network" | "ka.req.container.host_network" => {
            one(path(ev, &["requestObject", "spec", "hostNetwork"]))
        }
        "ka.req.pod.host_pid" => one(path(ev, &["requestObject", "spec", "hostPID"])),
        "ka.req.container.privileged" => {
            match container_values(ev, "containers", None, &["securityContext", "privileged"]) {
                None => Extracted::Missing,
                Some(v) => {
                    let any = v.into_iter().flatten().any(|p| p.as_bool() == Some(true));
                    owned(any.to_string())
                }
            }
        }
        "ka.req.pod.run_as_user" => one(path(
            ev,
            &["requestObject", "spec", "securityContext", "runAsUser"],
        )),
        "ka.req.pod.run_as_group" => one(path(
            ev,
            &["requestObject", "spec", "securityContext", "runAsGroup"],
        )),
        "ka.req.pod.fs_group" => one(path(
            ev,
            &["requestObject", "spec", "securityContext", "fsGroup"],
        )),
        "ka.req.pod.supplemental_groups" => list_at(
            ev,
            &[
                "requestObject",
                "spec",
                "securityContext",
                "supplementalGroups",
            ],
        ),
        "ka.req.role.rules" => list_at(ev, &["requestObject", "rules"]),
        "ka.req.role.rules.apiGroups" => rules_field(ev, "apiGroups", idx),
        "ka.req.role.rules.nonResourceURLs" => rules_field(ev, "nonResourceURLs", idx),
        "ka.req.role.rules.verbs" => rules_field(ev, "verbs", idx),
        "ka.req.role.rules.resources" => rules_field(ev, "resources", idx),
        "ka.req.service.type" => one(path(ev, &["requestObject", "spec", "type"])),
        "ka.req.service.ports" => {
            let mut v = Vec::new();
            match values(ev, idx, &["requestObject", "spec", "ports"], &mut v) {
                Ok(()) => skip_nil(&v),
                Err(()) => Extracted::Missing,
            }
        }
        "ka.req.pod.volumes.hostpath" | "ka.req.volume.hostpath" => {
            let vidx = if f.name == "ka.req.volume.hostpath" {
                None
            } else {
                idx
            };
            let mut v = Vec::new();
            if values(
                ev,
                vidx,
                &["requestObject", "spec", "volumes", "hostPath", "path"],
                &mut v,
            )
            .is_err()
            {
                return Extracted::Missing;
            }
            let paths = skip_nil(&v);
            let FieldArg::Key(arg) = &f.arg else {
                return paths;
            };
            let hit = paths.values().iter().filter_map(Value::as_str).any(|p| {
                match arg.strip_suffix('*') {
                    Some(prefix) => p.starts_with(prefix),
                    None => p == arg,
                }
            });
            owned(hit.to_string())
        }
        "ka.req.pod.volumes.flexvolume_driver" => {
            let mut v = Vec::new();
            match values(
                ev,
                idx,
                &["requestObject", "spec", "volumes", "flexVolume", "driver"],
                &mut v,
            ) {
                Ok(()) => skip_nil(&v),
                Err(()) => Extracted::Missing,
            }
        }
        "ka.req.pod.volumes.volume_type" => {
            let mut v = Vec::new();
            if values(ev, idx, &["requestObject", "spec", "volumes", ""], &mut v).is_err() {
                return Extracted::Missing;
            }
            strs(
                v.into_iter()
                    .flatten()
                    .filter_map(J::as_object)
                    .flat_map(|o| {
                        o.keys()
                            .filter(|k| *k != "name")
                            .map(|k| Cow::Borrowed(k.as_str()))
                    }),
            )
        }
        "ka.resp.name" => one(path(ev, &["responseObject", "metadata", "name"])),
        "ka.response.code" => one(path(ev, &["responseStatus", "code"])),
        "ka.response.reason" => one(path(ev, &["responseStatus", "reason"])),
        "ka.useragent" => one(ev.get("userAgent")),
        // The plugin reads requestObject.rules.sourceIPs here, which never exists; the
        // event's own sourceIPs is what the field documents.
        "ka.sourceips" => match (ev.get("sourceIPs").and_then(J::as_array), idx) {
            (Some(a), Some(i)) => one(a.get(i)),
            (Some(a), None) => strs(a.iter().map(text)),
            (None, _) => Extracted::Missing,
        },
        _ => Extracted::Missing,
    }
}
