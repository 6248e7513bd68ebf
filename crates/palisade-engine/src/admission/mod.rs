//! Admission control: one AdmissionReview in, one AdmissionReview out. The pipeline behind
//! `palisade admission review` and the webhook server (crate `palisade-webhook`): Pod Security
//! per namespace, Palisade's Kubernetes rules, policies (Gatekeeper, Rego, VAP, Kyverno), image
//! rules, and mutation defaults. Pure and synchronous: the server owns the network.
//!
//! Everything is read and compiled in [`Controller::load`]; [`Controller::review`] only
//! evaluates, so a controller answers many reviews from many threads at once.

mod config;
mod envelope;
mod images;
mod mutate;
mod policy;
mod psa;
mod signatures;
mod verdict;

pub use config::{
    Action, AdmissionError, Config, Exemptions, ImagesConfig, MutateConfig, MutateDefaults,
    OnError, PodSecurityConfig, PoliciesConfig, PsaDefaults, RequireSignature, RulesConfig,
    SignatureGate, VulnGate,
};

use envelope::{Answer, Envelope};
use palisade_core::Severity;
use serde_json::{Map, Value};
use std::path::Path;
use std::str::FromStr;
use verdict::{Reason, Verdict};

/// Which endpoint a review came in on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReviewKind {
    Validate,
    Mutate,
}

/// Why a request body is not a review to answer (HTTP 400 at the server).
#[derive(Debug, thiserror::Error)]
pub enum BadReview {
    #[error("request body is not JSON: {0}")]
    NotJson(String),
    #[error("not an AdmissionReview: {0}")]
    NotAReview(String),
}

/// The answer to one review, with what the server counts in its metrics.
#[derive(Debug, Clone)]
pub struct Reviewed {
    /// The whole AdmissionReview to send back (same apiVersion/kind, `response.uid` echoed).
    pub response: Value,
    pub allowed: bool,
    /// Short, low-cardinality reason for metrics: `allowed`, `pod-security`,
    /// `kubernetes-rules`, `policy`, `image`, `vulnerability`, `signature`, `error`.
    pub reason: String,
    /// Policy evaluations that failed (errors, not violations).
    pub eval_errors: usize,
}

/// Palisade's Kubernetes rules. The threshold that makes a finding count is
/// `options.min_severity`: the scan reports nothing below it.
#[derive(Debug)]
struct RulesStage {
    action: Action,
    options: palisade_kube::KubeOptions,
}

/// A loaded admission configuration, ready to answer reviews from many threads.
#[derive(Debug)]
pub struct Controller {
    psa: psa::PodSecurityStage,
    rules: Option<RulesStage>,
    policies: Option<policy::PolicyStage>,
    images: images::ImageStage,
    mutate: MutateConfig,
    on_error: OnError,
}

impl Default for Controller {
    /// [`Controller::default_policy`]: a controller nobody configured still enforces the
    /// baseline.
    fn default() -> Self {
        Controller::default_policy()
    }
}

impl Controller {
    /// What a cluster gets without configuration: Pod Security `baseline` enforced and
    /// `restricted` warned about (both `latest`) in namespaces without PSA labels.
    pub fn default_policy() -> Controller {
        let mut config = Config::default();
        config.pod_security.defaults.enforce = "baseline".into();
        config.pod_security.defaults.warn = "restricted".into();
        // Nothing in this configuration reads a file or can fail to compile.
        Controller::load(&config).unwrap_or_else(|_| Controller {
            psa: psa::PodSecurityStage::off(),
            rules: None,
            policies: None,
            images: images::ImageStage::default(),
            mutate: MutateConfig::default(),
            on_error: OnError::Deny,
        })
    }

    /// Reads a YAML (or JSON) configuration; relative paths in it are relative to its file.
    pub fn from_yaml_file(path: impl AsRef<Path>) -> Result<Controller, AdmissionError> {
        Controller::load(&read_config(path.as_ref())?)
    }

    /// The configuration file and every file or directory it names (inventory, policy paths,
    /// stored reports, keys, registry credentials): what a server watches to reload.
    pub fn inputs(path: impl AsRef<Path>) -> Result<Vec<std::path::PathBuf>, AdmissionError> {
        let path = path.as_ref();
        let config = read_config(path)?;
        let mut out = vec![path.to_path_buf()];
        out.extend(config.inventory.iter().cloned());
        out.extend(config.policies.paths.iter().cloned());
        if let Some(g) = &config.images.vulnerabilities {
            out.push(g.reports.clone());
        }
        if let config::RequireSignature::Gate(g) = &config.images.require_signature {
            out.extend(g.keys.iter().cloned());
            out.extend(g.docker_config.iter().cloned());
        }
        Ok(out)
    }

    /// Reads everything the configuration names and compiles every policy.
    pub fn load(config: &Config) -> Result<Controller, AdmissionError> {
        let inventory = read_inventory(&config.inventory)?;
        let namespaces: Vec<(String, Map<String, Value>)> = inventory
            .iter()
            .filter(|o| o.get("kind").and_then(Value::as_str) == Some("Namespace"))
            .filter_map(|o| {
                let name = o.pointer("/metadata/name")?.as_str()?.to_string();
                let labels = o
                    .pointer("/metadata/labels")
                    .and_then(Value::as_object)
                    .cloned()
                    .unwrap_or_default();
                Some((name, labels))
            })
            .collect();
        let psa = psa::PodSecurityStage::new(&config.pod_security, &namespaces)
            .map_err(AdmissionError::Invalid)?;
        let rules = match &config.kubernetes_rules {
            None => None,
            Some(r) => {
                let severity = Severity::from_str(&r.severity).map_err(|e| {
                    AdmissionError::Invalid(format!("kubernetesRules.severity: {e}"))
                })?;
                Some(RulesStage {
                    action: r.action,
                    options: palisade_kube::KubeOptions {
                        pss_version: r.pss_version.clone(),
                        min_severity: Some(severity),
                        ..Default::default()
                    },
                })
            }
        };
        let policies = if config.policies.paths.is_empty() {
            None
        } else {
            Some(policy::PolicyStage::new(
                load_policies(&config.policies)?,
                &inventory,
            )?)
        };
        Ok(Controller {
            psa,
            rules,
            policies,
            images: images::ImageStage::new(&config.images)?,
            mutate: config.mutate.clone(),
            on_error: config.on_error,
        })
    }

    /// Answers one review. Malformed bodies are a [`BadReview`]; everything else, evaluation
    /// errors included, is an answer.
    pub fn review(&self, kind: ReviewKind, body: &[u8]) -> Result<Reviewed, BadReview> {
        let doc: Value =
            serde_json::from_slice(body).map_err(|e| BadReview::NotJson(e.to_string()))?;
        let Envelope {
            api_version,
            request,
            uid,
        } = envelope::open(doc)?;
        let mut answer = Answer::default();
        let verdict = match kind {
            ReviewKind::Validate => self.guarded(&request),
            ReviewKind::Mutate => self.mutate(request, &mut answer),
        };
        answer.allowed = verdict.allowed();
        if !answer.allowed {
            answer.code = 403;
            answer.message = verdict.message();
            answer.patch = None;
        }
        answer.warnings = verdict.warnings;
        answer.audit = verdict.audit;
        let reason = verdict.reason.map_or("allowed", Reason::as_str);
        Ok(Reviewed {
            response: envelope::respond(api_version, &uid, answer),
            allowed: verdict.reason.is_none(),
            reason: reason.to_string(),
            eval_errors: verdict.errors,
        })
    }

    /// The answer to a well-formed review that could not be evaluated (the server's deadline
    /// passed, the evaluation thread died): a decision by `onError`, with the reason, so the
    /// API server gets a review and never a 5xx. Malformed bodies are still a [`BadReview`].
    pub fn unanswered(&self, body: &[u8], why: &str) -> Result<Reviewed, BadReview> {
        let doc: Value =
            serde_json::from_slice(body).map_err(|e| BadReview::NotJson(e.to_string()))?;
        let Envelope {
            api_version, uid, ..
        } = envelope::open(doc)?;
        let mut verdict = Verdict::default();
        verdict.error(self.on_error, why.to_string());
        let mut answer = Answer {
            allowed: verdict.allowed(),
            ..Answer::default()
        };
        if !answer.allowed {
            answer.code = 403;
            answer.message = verdict.message();
        }
        answer.warnings = verdict.warnings;
        Ok(Reviewed {
            response: envelope::respond(api_version, &uid, answer),
            allowed: verdict.reason.is_none(),
            reason: "error".to_string(),
            eval_errors: verdict.errors,
        })
    }

    /// [`Controller::decide`], with a panic anywhere below (a dependency's bug) turned into an
    /// evaluation error rather than a dropped connection.
    fn guarded(&self, req: &Value) -> Verdict {
        let run = std::panic::AssertUnwindSafe(|| self.decide(req));
        std::panic::catch_unwind(run).unwrap_or_else(|_| {
            let mut v = Verdict::default();
            v.error(
                self.on_error,
                "internal error while evaluating the request".into(),
            );
            v
        })
    }

    /// The validation pipeline. A `dryRun` request is evaluated exactly the same: admission
    /// here has no side effects to skip (no audit sink or cache writes yet).
    fn decide(&self, req: &Value) -> Verdict {
        let mut v = Verdict::default();
        let op = req
            .get("operation")
            .and_then(Value::as_str)
            .unwrap_or("CREATE");
        let present = |k: &str| req.get(k).filter(|o| o.is_object());
        // A DELETE is judged on what is deleted; nothing else to check without an object.
        let object = match op {
            "DELETE" => present("oldObject"),
            _ => present("object").or_else(|| present("oldObject")),
        };
        let namespace = req
            .get("namespace")
            .and_then(Value::as_str)
            .filter(|n| !n.is_empty())
            .or_else(|| object?.pointer("/metadata/namespace")?.as_str())
            .unwrap_or("");
        self.psa.check(req, namespace, &mut v);
        if let (Some(object), true) = (present("object"), op != "DELETE") {
            if let Some(rules) = &self.rules {
                check_rules(rules, object, &mut v);
            }
            self.images.check(object, self.on_error, &mut v);
        }
        if let (Some(p), Some(object)) = (&self.policies, object) {
            let ns_object = present("namespaceObject").or_else(|| p.namespace_object(namespace));
            p.check(req, object, ns_object, self.on_error, &mut v);
        } else if let Some(p) = &self.policies {
            // CONNECT and bodies without objects still reach Gatekeeper, which says why it
            // cannot review them (and onError decides).
            p.check(req, &Value::Null, None, self.on_error, &mut v);
        }
        v
    }

    /// Adds the namespace's defaults and validates the result; the patch is sent only when
    /// the patched object passes.
    fn mutate(&self, mut request: Value, answer: &mut Answer) -> Verdict {
        let op = request
            .get("operation")
            .and_then(Value::as_str)
            .unwrap_or("CREATE");
        let sub = request
            .get("subResource")
            .and_then(Value::as_str)
            .unwrap_or("");
        let namespace = request
            .get("namespace")
            .and_then(Value::as_str)
            .unwrap_or("");
        let defaults = self
            .mutate
            .namespaces
            .get(namespace)
            .unwrap_or(&self.mutate.defaults);
        let is_pod = request.pointer("/object/kind").and_then(Value::as_str) == Some("Pod");
        // A running Pod's spec is immutable: only its creation is mutated.
        let mutable = sub.is_empty() && (op == "CREATE" || (op == "UPDATE" && !is_pod));
        let Some(original) = request.get("object").filter(|o| o.is_object()).cloned() else {
            return self.guarded(&request);
        };
        // Kyverno mutate rules first (on CREATE and UPDATE, as Kyverno), the defaults then
        // fill what they left unset.
        let (mut object, errors) = match &self.policies {
            Some(p) if sub.is_empty() && matches!(op, "CREATE" | "UPDATE") => {
                p.kyverno_mutate(&request, op, &original)
            }
            _ => (original.clone(), Vec::new()),
        };
        let kyverno_changed = object != original;
        let mut ops = if mutable && !defaults.is_empty() {
            mutate::patch(&object, defaults)
        } else {
            Vec::new()
        };
        if mutable && defaults.pin_image_digests {
            ops.extend(mutate::pin_images(&object, |image| {
                self.images.pinned(image)
            }));
        }
        if let Err(e) = mutate::apply(&mut object, &ops) {
            let mut v = Verdict::default();
            v.error(self.on_error, format!("mutation: {e}"));
            return v;
        }
        if kyverno_changed {
            ops = mutate::diff(&original, &object);
        }
        if !ops.is_empty() {
            if let Some(o) = request.get_mut("object") {
                *o = object;
            }
            answer.patch = Some(mutate::encode(&ops));
        }
        let mut v = self.guarded(&request);
        for e in errors {
            v.error(self.on_error, e);
        }
        v
    }
}

/// Palisade's Kubernetes rules on the one object, read as parsed (its findings are those of
/// the same object as one line of JSON text).
fn check_rules(rules: &RulesStage, object: &Value, v: &mut Verdict) {
    let scan = palisade_kube::scan_json(&[("admission".into(), object)], &rules.options);
    for f in scan.findings {
        let msg = format!("{} ({}): {}", f.rule_id, f.severity, f.message);
        v.act(rules.action, Reason::KubernetesRules, msg);
    }
}

/// The pod spec of a Pod or of a controller's pod template.
pub(crate) fn pod_spec(object: &Value) -> Option<&Value> {
    match object.get("kind").and_then(Value::as_str)? {
        "Pod" => object.get("spec"),
        "CronJob" => object.pointer("/spec/jobTemplate/spec/template/spec"),
        "PodTemplate" => object.pointer("/template/spec"),
        _ => object.pointer("/spec/template/spec"),
    }
}

/// Every object of the inventory files, `List` items on their own.
fn read_inventory(paths: &[std::path::PathBuf]) -> Result<Vec<Value>, AdmissionError> {
    let mut out = Vec::new();
    for path in paths {
        let docs = palisade_policy::read_documents(path).map_err(|e| AdmissionError::Read {
            path: path.display().to_string(),
            message: e.to_string(),
        })?;
        for doc in docs {
            match doc.get("items").and_then(Value::as_array) {
                Some(items) if doc.get("kind").and_then(Value::as_str) == Some("List") => {
                    out.extend(items.iter().cloned())
                }
                _ => out.push(doc),
            }
        }
    }
    Ok(out)
}

fn load_policies(cfg: &PoliciesConfig) -> Result<palisade_policy::PolicySet, AdmissionError> {
    use palisade_policy::{gatekeeper::Engine, Limits, Namespaces, Options, PolicySet};
    let namespaces = match cfg.namespaces.as_slice() {
        [] => Namespaces::default(),
        [all] if all == "*" => Namespaces::All,
        list => Namespaces::Some(list.to_vec()),
    };
    let limits = Limits {
        timeout: std::time::Duration::from_millis(cfg.timeout_ms.unwrap_or(1000)),
        ..Limits::default()
    };
    let mut set = PolicySet::load(&cfg.paths, Options { limits, namespaces })?;
    match cfg.gatekeeper_engine.as_deref() {
        None | Some("rego") => {}
        Some("cel") => set.set_gatekeeper_engine(Engine::Cel),
        Some(other) => {
            return Err(AdmissionError::Invalid(format!(
                "policies.gatekeeperEngine: {other:?} (expected rego or cel)"
            )))
        }
    }
    Ok(set)
}

/// A configuration file read, with its relative paths made relative to it.
fn read_config(path: &Path) -> Result<Config, AdmissionError> {
    let read = |message: String| AdmissionError::Read {
        path: path.display().to_string(),
        message,
    };
    let text = std::fs::read_to_string(path).map_err(|e| read(e.to_string()))?;
    let mut config: Config = serde_yaml::from_str(&text).map_err(|e| read(e.to_string()))?;
    let base = path.parent().unwrap_or(Path::new(""));
    let resolve = |p: &mut std::path::PathBuf| {
        if p.is_relative() {
            *p = base.join(&*p);
        }
    };
    config.inventory.iter_mut().for_each(resolve);
    config.policies.paths.iter_mut().for_each(resolve);
    if let Some(g) = &mut config.images.vulnerabilities {
        resolve(&mut g.reports);
    }
    if let config::RequireSignature::Gate(g) = &mut config.images.require_signature {
        g.keys.iter_mut().for_each(resolve);
        g.docker_config.iter_mut().for_each(resolve);
    }
    Ok(config)
}
