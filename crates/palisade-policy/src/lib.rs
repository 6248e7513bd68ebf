//! Policy as code: Rego policies over anything Palisade knows.
//!
//! A [`PolicySet`] is loaded from directories, files and OPA bundle tarballs. It holds
//! Conftest-style modules (`deny`, `violation`, `warn` rules in namespaces), data documents,
//! and Gatekeeper ConstraintTemplates with their constraints. Front doors hand it facts as
//! JSON (a Kubernetes object, a Dockerfile, an image) and turn the outcomes into findings with
//! [`findings`]. [`suite`] runs Gatekeeper's `suite.yaml` tests like `gator verify`.
//!
//! The interpreter is regorus; Rego v1 is parsed first and v0 is the fallback, so Gatekeeper
//! templates, old Conftest policies and new policies load side by side.

mod bundle;
mod compat;
mod conftest;
mod error;
pub mod findings;
pub mod gatekeeper;
mod input;
pub mod kyverno;
pub mod kyverno_test;
mod rego;
mod rego_vm;
mod selector;
mod sprintf;
pub mod suite;
mod text;
pub mod vap;
mod yaml;

pub use bundle::{Sources, MAX_BUNDLE, MAX_FILE};
pub use conftest::{verdict_of, Namespaces, Outcome, Verdict};
pub use error::PolicyError;
pub use gatekeeper::{Gatekeeper, Inventory, Review, Violation};
pub use input::{read_documents, read_input};
pub use rego::{Limits, Module, DEFAULT_MEMORY};
pub use yaml::documents;

use rego::Rego;
use serde_json::Value;
use std::path::Path;

/// Rules that conflict whatever the input (`allow := true` in one module, `allow := false` in
/// another) are found only when evaluated; evaluating each package once at load, with an empty
/// input, makes them the loader's error instead of a warning on every file scanned.
fn find_conflicts(rego: &Rego, packages: &[String]) -> Result<(), PolicyError> {
    let mut rego = rego.clone();
    for p in packages {
        if let Err(PolicyError::Eval { message, .. }) =
            rego.eval(p, regorus::Value::from(serde_json::json!({})))
        {
            if message.contains("conflicts with rule") {
                return Err(PolicyError::Compile { message });
            }
        }
    }
    Ok(())
}

/// How policies are applied.
#[derive(Debug, Clone, Default)]
pub struct Options {
    pub limits: Limits,
    pub namespaces: Namespaces,
}

/// Loaded, compiled policies.
#[derive(Debug, Clone)]
pub struct PolicySet {
    /// Modules and data for Conftest rules and ad-hoc queries; `None` without modules.
    rego: Option<Rego>,
    packages: Vec<String>,
    /// Package → its Conftest rules (`deny*`, `violation*`, `warn*`, `exception`).
    rules: std::collections::BTreeMap<String, std::collections::BTreeSet<String>>,
    gatekeeper: Gatekeeper,
    kyverno: kyverno::Kyverno,
    vap: vap::VapSet,
    /// Objects found beside the policies (VAP params, namespaces).
    objects: Vec<Value>,
    options: Options,
    module_count: usize,
}

impl PolicySet {
    /// Reads and compiles everything under `paths`.
    pub fn load<P: AsRef<Path>>(paths: &[P], options: Options) -> Result<PolicySet, PolicyError> {
        let sources = Sources::load(paths)?;
        PolicySet::from_sources(sources, options)
    }

    pub fn from_sources(sources: Sources, options: Options) -> Result<PolicySet, PolicyError> {
        let gatekeeper = Gatekeeper::load(
            &sources.templates,
            &sources.constraints,
            &sources.expansions,
            options.limits,
        )?;
        let mut kyverno = kyverno::Kyverno::default();
        for (path, doc) in &sources.kyverno {
            if doc
                .get("apiVersion")
                .and_then(Value::as_str)
                .is_some_and(|a| a.starts_with("policies.kyverno.io/"))
            {
                kyverno.add_cel(path, doc)?;
            } else {
                kyverno.add(path, doc)?;
            }
        }
        let mut vap = vap::VapSet::default();
        for (path, doc) in &sources.vap {
            vap.add(path, doc)?;
        }
        let objects = sources.objects.iter().map(|(_, d)| d.clone()).collect();
        let has_data = sources.data.as_object().is_some_and(|m| !m.is_empty());
        let rego = if sources.modules.is_empty() && !has_data {
            None
        } else {
            Some(Rego::compile(
                &sources.modules,
                &sources.data,
                options.limits,
            )?)
        };
        let packages = rego.as_ref().map(Rego::packages).unwrap_or_default();
        if let Some(r) = &rego {
            find_conflicts(r, &packages)?;
        }
        let rules = rego
            .as_ref()
            .map(|r| {
                r.declared_rules(&sources.modules, |n| {
                    n == "exception" || conftest::verdict_of(n).is_some()
                })
            })
            .unwrap_or_default();
        Ok(PolicySet {
            rego,
            packages,
            rules,
            gatekeeper,
            kyverno,
            vap,
            objects,
            module_count: sources.modules.len(),
            options,
        })
    }

    pub fn gatekeeper(&self) -> &Gatekeeper {
        &self.gatekeeper
    }

    pub fn kyverno(&self) -> &kyverno::Kyverno {
        &self.kyverno
    }

    pub fn vap(&self) -> &vap::VapSet {
        &self.vap
    }

    /// Kubernetes objects found beside the policies: params of ValidatingAdmissionPolicies,
    /// namespaces.
    pub fn policy_objects(&self) -> &[Value] {
        &self.objects
    }

    /// Whether there is anything besides Rego modules to check Kubernetes objects with.
    pub fn has_admission_policies(&self) -> bool {
        !self.gatekeeper.is_empty() || !self.kyverno.is_empty() || !self.vap.is_empty()
    }

    /// Which code runs for Gatekeeper templates that carry both Rego and CEL.
    pub fn set_gatekeeper_engine(&mut self, engine: gatekeeper::Engine) {
        self.gatekeeper.set_engine(engine);
    }

    /// The packages the Rego modules declare (`data.main`).
    pub fn packages(&self) -> &[String] {
        &self.packages
    }

    pub fn module_count(&self) -> usize {
        self.module_count
    }

    /// Whether any namespace the options select exists: a policy directory without the
    /// `main` package (and without `--namespace`) would otherwise silently check nothing.
    pub fn selects_any_namespace(&self) -> bool {
        match &self.options.namespaces {
            Namespaces::All => !self.packages.is_empty(),
            Namespaces::Some(list) => list.iter().any(|n| {
                self.packages
                    .iter()
                    .any(|p| p.strip_prefix("data.") == Some(n))
            }),
        }
    }

    /// Conftest's evaluation of one input document.
    pub fn check(&self, input: &Value) -> Result<Vec<Outcome>, PolicyError> {
        let Some(rego) = &self.rego else {
            return Ok(Vec::new());
        };
        let mut rego = rego.clone();
        conftest::evaluate(
            &mut rego,
            &self.rules,
            &self.options.namespaces,
            &regorus::Value::from(input.clone()),
        )
    }

    /// The value of a Rego query (`data.main.deny`, `count(data.main.deny) > 0`) for `input`,
    /// as JSON; `None` when undefined.
    pub fn query(&self, query: &str, input: &Value) -> Result<Option<Value>, PolicyError> {
        let mut rego = match &self.rego {
            Some(r) => r.clone(),
            None => Rego::compile(&[], &Value::Null, self.options.limits)?,
        };
        Ok(rego
            .eval(query, regorus::Value::from(input.clone()))?
            .map(|v| rego::to_json(&v)))
    }
}
