//! palisade-kube: Kubernetes manifest loading with positions, the Pod Security Standards, and
//! workload, RBAC, NetworkPolicy, mesh and TLS checks (rule family `kubernetes`).

mod compliance;
mod netpol;
mod object;
pub mod pss;
mod rbac;
mod rules;
pub mod yaml;

pub use compliance::{
    compliance_summary, ComplianceSummary, ControlResult, UnknownFramework, FRAMEWORKS,
};
pub use pss::Level;

pub use object::Obj;
use palisade_core::{
    target_path, Finding, FindingKind, Location, RuleMeta, ScanError, Severity, Span,
};
use serde::Serialize;
use std::path::Path;

/// Metadata of every rule of the `kubernetes` family.
/// Built-in kinds that have no namespace. A manifest does not say whether its kind is
/// namespaced, so this list decides whether a missing `metadata.namespace` means "cluster
/// scope" or "the default namespace".
pub const CLUSTER_SCOPED_KINDS: &[&str] = &[
    "Namespace",
    "Node",
    "PersistentVolume",
    "ClusterRole",
    "ClusterRoleBinding",
    "StorageClass",
    "CustomResourceDefinition",
    "PodSecurityPolicy",
    "PriorityClass",
    "ValidatingWebhookConfiguration",
    "MutatingWebhookConfiguration",
    "ValidatingAdmissionPolicy",
    "ValidatingAdmissionPolicyBinding",
    "MutatingAdmissionPolicy",
    "MutatingAdmissionPolicyBinding",
    "APIService",
    "CSIDriver",
    "CSINode",
    "VolumeAttachment",
    "IngressClass",
    "RuntimeClass",
    "CertificateSigningRequest",
    "FlowSchema",
    "PriorityLevelConfiguration",
    "ClusterIssuer",
    "VolumeSnapshotClass",
    "ConstraintTemplate",
];

pub fn rules() -> Vec<&'static RuleMeta> {
    rules::all().into_iter().map(|r| &r.meta).collect()
}

/// Whether a file is worth loading: a YAML or JSON file that mentions `apiVersion` and `kind`.
pub fn looks_like_manifest(path: &Path, content: &str) -> bool {
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
        .unwrap_or_default();
    matches!(ext.as_str(), "yaml" | "yml" | "json")
        && content.contains("apiVersion")
        && content.contains("kind")
}

#[derive(Debug, Default, Clone)]
pub struct KubeOptions {
    /// Pod Security Standards version: `latest` (default) or `v1.N`.
    pub pss_version: Option<String>,
    /// Registries images may come from (`ghcr.io`, `registry.example.com/team`); empty: no check.
    pub allowed_registries: Vec<String>,
    /// Most findings to report (0: [`DEFAULT_MAX_FINDINGS`]); the rest are counted in
    /// [`KubeScan::dropped`], so a hostile `List` of 100k Pods cannot exhaust memory.
    pub max_findings: usize,
    /// Hand the loaded objects back in [`KubeScan::loaded`], for a caller that checks them
    /// again (user policies) without reading the files a second time.
    pub keep_objects: bool,
    /// Report only findings at this severity or above, and do not run the rules that could
    /// give no other (the admission webhook's `kubernetesRules.severity`: every review pays
    /// for what it checks). Pod Security rules still run for the levels they set
    /// ([`KubeScan::workloads`], `pss_level_met`), so those are as without the option.
    pub min_severity: Option<Severity>,
}

/// Findings reported per scan unless the caller says otherwise.
pub const DEFAULT_MAX_FINDINGS: usize = 100_000;

/// The Pod Security Standards level one workload meets.
#[derive(Debug, Clone, Serialize)]
pub struct WorkloadLevel {
    pub path: String,
    pub object: String,
    pub level: Level,
}

#[derive(Debug, Default)]
pub struct KubeScan {
    pub findings: Vec<Finding>,
    pub errors: Vec<ScanError>,
    /// Highest Pod Security Standards level each pod-bearing object meets.
    pub workloads: Vec<WorkloadLevel>,
    /// Kubernetes objects loaded.
    pub objects: usize,
    /// Findings not reported because of [`KubeOptions::max_findings`].
    pub dropped: usize,
    /// The objects loaded (each item of a `List` on its own), when
    /// [`KubeOptions::keep_objects`] asked for them.
    pub loaded: Vec<Obj>,
}

/// Loads every document of every `(path, content)` pair and runs all rules; cross-object
/// analyses (RBAC, NetworkPolicy) see the objects of all files together. Finding locations
/// carry each path in [`Location::path`] form (relative, `/`-separated).
pub fn scan_manifests(files: &[(String, String)], opts: &KubeOptions) -> KubeScan {
    let mut errors = Vec::new();
    let objects = load_objects(files, &mut errors);
    scan_objects(objects, errors, opts)
}

/// As [`scan_manifests`] for objects already parsed from JSON, such as the object of an
/// AdmissionReview: no text is written and read again. Each `(path, object)` is one document;
/// a `List` gives its items. Locations have line 1, as the same object written as one line
/// of JSON would.
pub fn scan_json(objects: &[(String, &serde_json::Value)], opts: &KubeOptions) -> KubeScan {
    let mut loaded = Vec::new();
    for (path, value) in objects {
        push_object(
            path,
            yaml::Node::from_json(value, 1),
            String::new(),
            &mut loaded,
        );
    }
    scan_objects(loaded, Vec::new(), opts)
}

fn scan_objects(objects: Vec<Obj>, errors: Vec<ScanError>, opts: &KubeOptions) -> KubeScan {
    let mut scan = KubeScan {
        errors,
        ..KubeScan::default()
    };
    let pss_minor = match opts.pss_version.as_deref().map(pss::parse_version) {
        None => pss::LATEST_MINOR,
        Some(Ok(m)) => m,
        Some(Err(e)) => {
            scan.errors
                .push(ScanError::new("pss_version", format!("{e}; using latest")));
            pss::LATEST_MINOR
        }
    };
    scan.objects = objects.len();
    let ctx = rules::Ctx { opts, pss_minor };
    let max = match opts.max_findings {
        0 => DEFAULT_MAX_FINDINGS,
        n => n,
    };
    let mut hits: Vec<(&'static rules::Rule, usize, rules::Hit)> = Vec::new();
    let mut levels: Vec<Level> = vec![Level::Restricted; objects.len()];
    let reported = |rule: &rules::Rule| opts.min_severity.is_none_or(|m| rule.meta.severity >= m);
    for rule in rules::all() {
        if rule.pss.is_some_and(|p| p.since > pss_minor) {
            continue;
        }
        if rule.pss.is_none() && !reported(rule) {
            continue;
        }
        let before = hits.len();
        match rule.check {
            rules::Check::Pod(f) => {
                for (i, o) in objects.iter().enumerate() {
                    if let Some(pod) = o.pod() {
                        hits.extend(f(&ctx, o, &pod).into_iter().map(|h| (rule, i, h)));
                    }
                }
            }
            rules::Check::Object(f) => {
                for (i, o) in objects.iter().enumerate() {
                    hits.extend(f(&ctx, o).into_iter().map(|h| (rule, i, h)));
                }
            }
            rules::Check::Global(f) => {
                hits.extend(f(&ctx, &objects).into_iter().map(|(i, h)| (rule, i, h)));
            }
        }
        // Every hit lowers its object's level, reported or not.
        if let Some(p) = rule.pss {
            let below = match p.level {
                Level::Restricted => Level::Baseline,
                _ => Level::Privileged,
            };
            for (_, i, _) in &hits[before..] {
                if let Some(l) = levels.get_mut(*i) {
                    *l = (*l).min(below);
                }
            }
            if !reported(rule) {
                hits.truncate(before);
            }
        }
        // Hits carry messages: a list of many thousand workloads gave millions of them.
        // Keeping the first `max` in file order as the rules go holds at most twice that.
        if hits.len() > 2 * max {
            scan.dropped += keep_first(&mut hits, max);
        }
    }
    for (i, o) in objects.iter().enumerate() {
        if o.pod().is_some() {
            scan.workloads.push(WorkloadLevel {
                path: o.path.clone(),
                object: o.display(),
                level: levels[i],
            });
        }
    }
    // Findings carry docs and references: cap before building them, keeping the first ones
    // in file order so the report is the same whatever the rule order.
    if hits.len() > max {
        scan.dropped += keep_first(&mut hits, max);
    }
    for (rule, i, hit) in hits {
        let Some(o) = objects.get(i) else { continue };
        scan.findings.push(to_finding(rule, o, hit, levels[i]));
    }
    scan.findings.sort_by(|a, b| {
        (
            a.location.path.as_deref(),
            a.location.span.map(|s| s.start_line),
            &a.rule_id,
        )
            .cmp(&(
                b.location.path.as_deref(),
                b.location.span.map(|s| s.start_line),
                &b.rule_id,
            ))
    });
    if opts.keep_objects {
        scan.loaded = objects;
    }
    scan
}

/// Keeps the `max` first hits in file order (object, line, rule ID) and returns how many
/// were dropped. Applied repeatedly it keeps the same set as once at the end: a dropped hit
/// already had `max` hits before it.
fn keep_first(hits: &mut Vec<(&'static rules::Rule, usize, rules::Hit)>, max: usize) -> usize {
    hits.sort_by_key(|(rule, i, hit)| (*i, hit.line, rule.meta.id));
    let dropped = hits.len().saturating_sub(max);
    hits.truncate(max);
    dropped
}

fn to_finding(rule: &rules::Rule, o: &Obj, hit: rules::Hit, level: Level) -> Finding {
    let m = &rule.meta;
    let location = Location {
        path: Some(target_path(&o.path)),
        span: Some(Span::line(hit.line)),
        object: Some(o.object_ref(&hit.field)),
        ..Default::default()
    };
    let mut f = Finding::new(
        m.id,
        FindingKind::Misconfiguration,
        m.severity,
        m.title,
        hit.message,
        location,
    );
    f.remediation = Some(m.docs.fix.trim().to_string());
    f.references = m.references.iter().map(|s| s.to_string()).collect();
    f.related = m.related.iter().map(|s| s.to_string()).collect();
    if let Some(p) = rule.pss {
        f.extra.insert("pss_control".into(), p.control.into());
        f.extra.insert("pss_policy".into(), p.level.as_str().into());
        f.extra
            .insert("pss_level_met".into(), level.as_str().into());
    }
    for (k, v) in hit.extra {
        f.extra.insert(k, v);
    }
    f
}

/// Hard caps for hostile input.
const LIMITS: yaml::Limits = yaml::Limits {
    max_bytes: 16 * 1024 * 1024,
    max_depth: 128,
    max_nodes: 2_000_000,
    max_expanded_bytes: 64 * 1024 * 1024,
};

fn load_objects(files: &[(String, String)], errors: &mut Vec<ScanError>) -> Vec<Obj> {
    let mut out = Vec::new();
    for (path, content) in files {
        for doc in yaml::parse_stream(content, &LIMITS) {
            match doc.result {
                Err(e) => errors.push(ScanError::of_kind(
                    e.kind,
                    path.clone(),
                    format!("document {}: {e}", doc.index + 1),
                )),
                Ok(root) => push_object(path, root, String::new(), &mut out),
            }
        }
    }
    out
}

fn push_object(path: &str, root: yaml::Node, prefix: String, out: &mut Vec<Obj>) {
    let is_list = root
        .get("kind")
        .and_then(yaml::Node::as_str)
        .is_some_and(|k| k.ends_with("List"))
        && root.get("items").is_some();
    if is_list {
        if let Some(yaml::Node {
            value: yaml::Value::Seq(items),
            ..
        }) = root.get("items")
        {
            for (i, item) in items.iter().enumerate() {
                push_object(path, item.clone(), format!("{prefix}items[{i}]."), out);
            }
        }
        return;
    }
    // Documents without `kind` (values files, CRD instances of unknown shape) are skipped.
    if let Some(o) = Obj::from_node(path, root, prefix) {
        out.push(o);
    }
}
