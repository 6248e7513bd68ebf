//! `--policy`: user policies (Rego, Gatekeeper) over the facts a scan gathered — Kubernetes
//! objects, Dockerfiles, and the image or tree itself (config, packages, vulnerabilities,
//! secrets). Results become findings like any built-in rule's.

use palisade_core::{Finding, Location, ObjectRef, ScanError, Span, TargetReport};
use palisade_policy::gatekeeper::points;
use palisade_policy::{findings, Inventory, PolicySet, Review};
use rayon::prelude::*;
use serde_json::Value;

/// Source name of policy problems in a report's `errors`.
const SOURCE: &str = "policy";

/// Policies of one scan and the objects added to Gatekeeper's inventory (`--inventory`).
#[derive(Debug, Clone)]
pub struct PolicyRun {
    pub set: PolicySet,
    pub inventory: Vec<Value>,
}

/// Checks every Kubernetes object (as the Kubernetes scan loaded them: each item of a `List`
/// on its own) and every Dockerfile.
pub(crate) fn check_config(
    run: &PolicyRun,
    loaded: &[palisade_kube::Obj],
    dockerfiles: &[(String, String)],
    tr: &mut TargetReport,
) {
    let objects: Vec<(&str, u32, Value)> = loaded
        .iter()
        .map(|o| (o.path.as_str(), o.root.line, o.root.to_json()))
        .collect();
    let mut inventory = Inventory::default();
    inventory.extend(run.inventory.iter());
    inventory.extend(objects.iter().map(|(_, _, o)| o));
    let gk = run.set.gatekeeper();
    let bound = if gk.is_empty() {
        None
    } else {
        match gk.bind(&inventory) {
            Ok(b) => Some(b),
            Err(e) => {
                tr.errors.push(ScanError::new(SOURCE, e.to_string()));
                None
            }
        }
    };
    // Params and namespaces for ValidatingAdmissionPolicies and Kyverno: everything the scan
    // loaded, `--inventory`, and objects kept beside the policies.
    let known: Vec<Value> = objects
        .iter()
        .map(|(_, _, o)| o.clone())
        .chain(run.inventory.iter().cloned())
        .chain(run.set.policy_objects().iter().cloned())
        .collect();
    let checked: Vec<Checked> = objects
        .par_iter()
        .map(|(path, line, object)| {
            let mut out = Checked::default();
            let location = object_location(path, *line, object);
            admission(run, object, &known, &location, path, &mut out);
            if let Some(bound) = &bound {
                let verdict = Review::from_document(object)
                    .and_then(|review| bound.review(&review, points::GATOR));
                match verdict {
                    Ok(vs) => out.findings.extend(
                        vs.iter()
                            .map(|v| findings::from_violation(v, gk, location.clone())),
                    ),
                    Err(e) => out.errors.push(ScanError::new(*path, e.to_string())),
                }
            }
            conftest(run, object, location, path, &mut out);
            out
        })
        .chain(dockerfiles.par_iter().map(|(path, text)| {
            let mut out = Checked::default();
            let doc = palisade_dockerfile::facts::facts(path, text);
            conftest(run, &doc, Location::file(path), path, &mut out);
            out
        }))
        .collect();
    for c in checked {
        tr.findings.extend(c.findings);
        tr.errors.extend(c.errors);
    }
}

/// The Namespace object of `ns` among the known objects.
fn namespace_object<'a>(known: &'a [Value], ns: &str) -> Option<&'a Value> {
    known.iter().find(|o| {
        o.get("kind").and_then(Value::as_str) == Some("Namespace")
            && o.pointer("/metadata/name").and_then(Value::as_str) == Some(ns)
    })
}

/// Kyverno rules and ValidatingAdmissionPolicies on one object, admitted as a CREATE.
fn admission(
    run: &PolicyRun,
    object: &Value,
    known: &[Value],
    location: &Location,
    path: &str,
    out: &mut Checked,
) {
    let ns = object
        .pointer("/metadata/namespace")
        .and_then(Value::as_str)
        .unwrap_or("");
    let ns_object = namespace_object(known, ns);
    let kyverno = run.set.kyverno();
    if !kyverno.is_empty() {
        let req = palisade_policy::kyverno::Request {
            operation: "CREATE",
            namespace_labels: ns_object
                .and_then(|n| n.pointer("/metadata/labels"))
                .and_then(Value::as_object),
            ..Default::default()
        };
        for o in kyverno.evaluate(object, &req) {
            use palisade_policy::kyverno::Status;
            let policy = kyverno.policies().iter().find(|p| p.name == o.policy);
            match o.status {
                Status::Fail | Status::Warn => {
                    out.findings
                        .push(findings::from_kyverno(&o, policy, location.clone()))
                }
                Status::Error => out.errors.push(ScanError::new(
                    path,
                    format!("Kyverno policy {} rule {}: {}", o.policy, o.rule, o.message),
                )),
                Status::Pass | Status::Skip => {}
            }
        }
    }
    let vap = run.set.vap();
    if !vap.is_empty() {
        let req = palisade_policy::vap::VapRequest {
            operation: "CREATE",
            object: Some(object),
            old_object: None,
            namespace_object: ns_object,
            user_info: None,
            dry_run: false,
            sub_resource: None,
            objects: known,
        };
        let outcomes = vap
            .evaluate(&req)
            .into_iter()
            .chain(vap.evaluate_unbound(&req));
        for o in outcomes {
            use palisade_policy::vap::VapStatus;
            match o.status {
                VapStatus::Fail => out.findings.push(findings::from_vap(&o, location.clone())),
                VapStatus::Error => out.errors.push(ScanError::new(
                    path,
                    format!(
                        "ValidatingAdmissionPolicy {}: {}",
                        o.policy,
                        o.messages.join("; ")
                    ),
                )),
                VapStatus::Pass => {}
            }
        }
    }
}

/// What checking one input gave.
#[derive(Default)]
struct Checked {
    findings: Vec<Finding>,
    errors: Vec<ScanError>,
}

/// Checks the document describing the whole image or tree.
pub(crate) fn check_artifact(run: &PolicyRun, doc: &Value, tr: &mut TargetReport) {
    let name = tr.target.name.clone();
    let mut out = Checked::default();
    conftest(run, doc, Location::file(&name), &name, &mut out);
    tr.findings.extend(out.findings);
    tr.errors.extend(out.errors);
}

fn conftest(run: &PolicyRun, input: &Value, location: Location, path: &str, out: &mut Checked) {
    match run.set.check(input) {
        Ok(outcomes) => out.findings.extend(
            outcomes
                .iter()
                .map(|o| findings::from_outcome(o, location.clone())),
        ),
        Err(e) => out.errors.push(ScanError::new(path, e.to_string())),
    }
}

fn object_location(path: &str, line: u32, object: &Value) -> Location {
    let s = |p: &str| object.pointer(p).and_then(Value::as_str).map(String::from);
    let mut loc = Location::file(path).with_span(Span::line(line));
    if let (Some(kind), Some(name)) = (s("/kind"), s("/metadata/name")) {
        loc.object = Some(ObjectRef {
            api_version: s("/apiVersion"),
            kind,
            namespace: s("/metadata/namespace"),
            name,
            field_path: None,
        });
    }
    loc
}

/// The document Rego policies see for a whole image or tree
/// (`docs/policy-input/artifact.schema.json`): what the scan found, in the JSON report's
/// shapes, with the image's full config (history included) when there is one.
pub(crate) fn artifact_facts(tr: &TargetReport, config_blob: Option<&Value>) -> Value {
    use palisade_core::FindingKind;
    let of_kind =
        |k: FindingKind| -> Vec<&Finding> { tr.findings.iter().filter(|f| f.kind == k).collect() };
    let image = tr.image.as_ref().map(|meta| {
        let mut v = serde_json::to_value(meta).unwrap_or(Value::Null);
        if let (Value::Object(m), Some(blob)) = (&mut v, config_blob) {
            m.insert(
                "history".into(),
                blob.get("history").cloned().unwrap_or(Value::Array(vec![])),
            );
            m.insert(
                "rootfs".into(),
                blob.get("rootfs").cloned().unwrap_or(Value::Null),
            );
        }
        v
    });
    serde_json::json!({
        "kind": tr.target.kind,
        "name": tr.target.name,
        "image": image,
        "os": tr.os,
        "packages": tr.packages,
        "vulnerabilities": of_kind(FindingKind::Vulnerability),
        "secrets": of_kind(FindingKind::Secret),
        "misconfigurations": of_kind(FindingKind::Misconfiguration),
    })
}
