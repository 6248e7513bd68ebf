//! Kyverno's `podSecurity.exclude`, as `pkg/pss/evaluate.go` applies it: the excluded control
//! is evaluated again on a reduced pod, and each field error of that evaluation that the
//! exclusion covers (restricted field, values) removes one matching error of the full
//! evaluation; a check left without errors no longer fails.
//!
//! - Without `images` the reduced pod is the pod with a single empty container `fake`: only
//!   pod-level fields (and what an empty container lacks) are excused, compared by path with
//!   indexes replaced by `*`.
//! - With `images` it holds only the containers whose image matches, and nothing of the pod
//!   spec: errors are matched by path and by container name.

use super::model::{Failure, Pod, CONTAINER_LISTS};
use super::registry::{control_ids, evaluate};
use palisade_kube::pss::Level;
use serde_json::{json, Map, Value};
use std::collections::{HashMap, VecDeque};

/// One `exclude` entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Exclusion {
    pub control: String,
    pub images: Vec<String>,
    pub restricted_field: String,
    pub values: Vec<String>,
}

/// Removes from `failures` what `excludes` cover.
pub(crate) fn apply(
    level: Level,
    minor: u32,
    excludes: &[Exclusion],
    pod: &Pod,
    failures: &mut Vec<Failure>,
) {
    for ex in excludes {
        if ex.images.is_empty() {
            let (meta, spec) = fake_pod(pod);
            let reduced = Pod {
                meta: &meta,
                spec: &spec,
            };
            let found = evaluate(level, minor, &reduced);
            exempt(failures, &found, ex, pod, None);
        } else {
            let spec = matching_spec(pod, &ex.images);
            let meta = json!({
                "name": pod.meta.get("name").cloned().unwrap_or(Value::Null),
                "namespace": pod.meta.get("namespace").cloned().unwrap_or(Value::Null),
            });
            let reduced = Pod {
                meta: &meta,
                spec: &spec,
            };
            let found = evaluate(level, minor, &reduced);
            exempt(failures, &found, ex, pod, Some(&reduced));
        }
    }
}

/// The pod with one empty container, no init or ephemeral containers (`GetPodWithMatchingContainers`).
fn fake_pod(pod: &Pod) -> (Value, Value) {
    let mut spec = pod.spec.as_object().cloned().unwrap_or_default();
    spec.insert("containers".into(), json!([{"name": "fake"}]));
    spec.remove("initContainers");
    spec.remove("ephemeralContainers");
    (pod.meta.clone(), Value::Object(spec))
}

/// A spec holding only the containers whose image matches one of `images`.
fn matching_spec(pod: &Pod, images: &[String]) -> Value {
    let mut spec = Map::new();
    for list in CONTAINER_LISTS {
        let Some(items) = pod.spec.get(list).and_then(Value::as_array) else {
            continue;
        };
        let kept: Vec<Value> = items
            .iter()
            .filter(|c| {
                let image = c.get("image").and_then(Value::as_str).unwrap_or("");
                images.iter().any(|p| wildcard(p, image))
            })
            .cloned()
            .collect();
        if !kept.is_empty() {
            spec.insert(list.to_string(), Value::Array(kept));
        }
    }
    Value::Object(spec)
}

/// Kyverno's `exemptExclusions`: each error of `found` the exclusion covers removes the first
/// not yet removed error of the same check with the same starred path (and, for an exclusion
/// with images, the same container name). The errors are indexed by that key so that a pod with
/// very many containers costs linear time instead of Kyverno's quadratic scan; the remaining
/// errors keep their order (Kyverno's order is a map's, i.e. random).
fn exempt(
    failures: &mut Vec<Failure>,
    found: &[Failure],
    ex: &Exclusion,
    pod: &Pod,
    matching: Option<&Pod>,
) {
    let ids = control_ids(&ex.control);
    for f in found.iter().filter(|f| ids.contains(&f.id)) {
        let Some(pos) = failures.iter().position(|d| d.id == f.id) else {
            continue;
        };
        let mut index: HashMap<Key, VecDeque<usize>> = HashMap::new();
        for (i, d) in failures[pos].errs.iter().enumerate() {
            index
                .entry(key(&d.field, pod, matching.is_some()))
                .or_default()
                .push_back(i);
        }
        let mut removed = vec![false; failures[pos].errs.len()];
        for err in &f.errs {
            let (field, name) = match matching {
                Some(m) => key(&err.field, m, true),
                None => key(&err.field, pod, false),
            };
            if !ex.restricted_field.is_empty() && field != ex.restricted_field {
                continue;
            }
            let values_ok = ex.values.is_empty()
                || err
                    .bad
                    .values()
                    .iter()
                    .all(|v| ex.values.iter().any(|p| wildcard(p, v)));
            if !values_ok {
                continue;
            }
            if let Some(i) = index.get_mut(&(field, name)).and_then(VecDeque::pop_front) {
                removed[i] = true;
            }
        }
        let target = &mut failures[pos];
        let mut flags = removed.into_iter();
        target.errs.retain(|_| !flags.next().unwrap_or(false));
        if target.errs.is_empty() {
            failures.remove(pos);
        }
    }
}

/// What a default error is matched on: the starred path, and with images the name of the
/// container it is in (`None` for a pod-level path, which Kyverno matches on the path alone).
type Key = (String, Option<String>);

fn key(path: &str, pod: &Pod, by_container: bool) -> Key {
    if !by_container {
        return (stars(path), None);
    }
    let p = parse_field(path);
    let name = p
        .container
        .map(|(list, i)| container_name(pod, list, i).unwrap_or_default());
    (p.field, name)
}

/// A field path with its indexes replaced by `*`, and the container it names.
struct ParsedField {
    field: String,
    container: Option<(&'static str, usize)>,
}

/// Kyverno's `parseField`: runs of digits become `*`; the container is the list named by the
/// second word of the path (`spec.containers[3]…`) at the first index.
fn parse_field(path: &str) -> ParsedField {
    let first_index = path
        .split(|c: char| !c.is_ascii_digit())
        .find(|s| !s.is_empty())
        .and_then(|s| s.parse::<usize>().ok());
    let second_word = path
        .split(|c: char| !c.is_ascii_alphabetic())
        .filter(|s| !s.is_empty())
        .nth(1);
    let list = CONTAINER_LISTS.iter().find(|l| Some(**l) == second_word);
    ParsedField {
        field: stars(path),
        container: list.zip(first_index).map(|(l, i)| (*l, i)),
    }
}

/// Replaces each run of digits with `*` (Kyverno's `regexIndex.ReplaceAllString(f, "*")`).
fn stars(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    let mut in_digits = false;
    for c in path.chars() {
        if c.is_ascii_digit() {
            if !in_digits {
                out.push('*');
            }
            in_digits = true;
        } else {
            out.push(c);
            in_digits = false;
        }
    }
    out
}

fn container_name(pod: &Pod, list: &str, i: usize) -> Option<String> {
    let c = pod.spec.get(list)?.as_array()?.get(i)?;
    Some(
        c.get("name")
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_string(),
    )
}

pub(crate) use crate::kyverno::wildcard::matches as wildcard;
