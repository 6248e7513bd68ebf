//! Gatekeeper's constraint framework: ConstraintTemplates define Rego checks, constraints
//! apply them to matching objects with parameters, and `violation[{"msg", "details"}]` is the
//! verdict.

mod cel;
mod constraint;
mod expansion;
mod inventory;
mod review;
mod schema;

mod template;

pub use cel::CelCode;
pub use constraint::{points, Action, Constraint, Match};
pub use expansion::Expansion;
pub use inventory::Inventory;
pub use review::Review;
pub use template::Template;

use crate::rego::{to_json, Limits};
use crate::rego_vm::Evaluator;
use crate::PolicyError;
use constraint::Subject;
use rayon::prelude::*;
use serde_json::Value;
use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex};

/// One result of one constraint for one object.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Violation {
    /// `K8sRequiredLabels`.
    pub constraint_kind: String,
    /// `all-must-have-owner`.
    pub constraint_name: String,
    pub msg: String,
    #[serde(skip_serializing_if = "Value::is_null")]
    pub details: Value,
    pub action: Action,
}

/// Which code of a template runs when it carries both Rego and `K8sNativeValidation` CEL.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Engine {
    /// Rego, as Gatekeeper's audit and older releases do.
    #[default]
    Rego,
    /// CEL, as Gatekeeper's webhook does when the CEL engine is enabled; templates without CEL
    /// still run their Rego.
    Cel,
}

/// Templates and the constraints that use them.
#[derive(Debug, Clone, Default)]
pub struct Gatekeeper {
    templates: Vec<Template>,
    by_kind: HashMap<String, usize>,
    constraints: Vec<Constraint>,
    /// The parameters of each constraint, converted once for the interpreter.
    params: Vec<regorus::Value>,
    expansions: Vec<Expansion>,
    engine: Engine,
    limits: Limits,
}

impl Gatekeeper {
    /// Compiles every template and checks every constraint against its template's schema.
    pub fn load(
        templates: &[(String, Value)],
        constraints: &[(String, Value)],
        expansions: &[(String, Value)],
        limits: Limits,
    ) -> Result<Gatekeeper, PolicyError> {
        let mut gk = Gatekeeper {
            limits,
            ..Default::default()
        };
        for (path, doc) in expansions {
            gk.add_expansion(Expansion::parse(path, doc)?);
        }
        for (path, doc) in templates {
            gk.add_template(Template::parse(path, doc, limits)?)?;
        }
        for (path, doc) in constraints {
            gk.add_constraint(Constraint::parse(path, doc)?)?;
        }
        Ok(gk)
    }

    pub fn add_template(&mut self, t: Template) -> Result<(), PolicyError> {
        if let Some(&i) = self.by_kind.get(&t.kind) {
            let first = &self.templates[i];
            // The same template loaded twice (a library and its copy) is harmless.
            if first.modules != t.modules {
                return Err(PolicyError::Compile {
                    message: format!(
                        "{} and {} both define constraint kind {}",
                        first.path, t.path, t.kind
                    ),
                });
            }
            return Ok(());
        }
        self.by_kind.insert(t.kind.clone(), self.templates.len());
        self.templates.push(t);
        Ok(())
    }

    pub fn add_constraint(&mut self, c: Constraint) -> Result<(), PolicyError> {
        let Some(&i) = self.by_kind.get(&c.kind) else {
            return Err(PolicyError::InvalidConstraint {
                path: c.path.clone(),
                message: format!("no ConstraintTemplate defines kind {}", c.kind),
            });
        };
        if let Some(schema) = &self.templates[i].schema {
            let problems = schema::check(&c.parameters, schema);
            if !problems.is_empty() {
                return Err(PolicyError::InvalidConstraint {
                    path: format!("{}#{}/{}", c.path, c.kind, c.name),
                    message: problems.join("; "),
                });
            }
        }
        // Gatekeeper's driver gives a constraint without `spec.parameters` (or with `null`)
        // an empty object, "so that we don't need to default this in Rego": templates call
        // `object.get(input.parameters, …)` and would otherwise fail instead of defaulting.
        // CEL keeps `null`, as Gatekeeper's `BindParamsV1Beta1` variable gives it.
        let params = match &c.parameters {
            Value::Null => Value::Object(Default::default()),
            p => p.clone(),
        };
        self.params.push(regorus::Value::from(params));
        self.constraints.push(c);
        Ok(())
    }

    /// Which code runs for templates that carry both Rego and CEL.
    pub fn set_engine(&mut self, engine: Engine) {
        self.engine = engine;
    }

    pub fn add_expansion(&mut self, e: Expansion) {
        self.expansions.push(e);
    }

    pub fn templates(&self) -> &[Template] {
        &self.templates
    }

    pub fn constraints(&self) -> &[Constraint] {
        &self.constraints
    }

    pub fn template_of(&self, c: &Constraint) -> Option<&Template> {
        self.by_kind.get(&c.kind).map(|&i| &self.templates[i])
    }

    pub fn is_empty(&self) -> bool {
        self.constraints.is_empty()
    }

    /// Ready to review against the given cluster state: templates that read `data.inventory`
    /// are compiled with it.
    pub fn bind<'a>(&'a self, inventory: &'a Inventory) -> Result<Bound<'a>, PolicyError> {
        Ok(Bound {
            gk: self,
            engines: self.engines(inventory, true)?,
            inventory,
        })
    }

    /// As [`Gatekeeper::bind`] with every template on regorus' interpreter, never its
    /// bytecode VM: the reference the VM's verdicts are checked against.
    pub fn bind_interpreted<'a>(
        &'a self,
        inventory: &'a Inventory,
    ) -> Result<Bound<'a>, PolicyError> {
        Ok(Bound {
            gk: self,
            engines: self.engines(inventory, false)?,
            inventory,
        })
    }

    /// As [`Gatekeeper::bind`], owning what it reviews with, for a server that keeps one
    /// bound set across requests and swaps it whole on reload.
    pub fn bind_shared(
        gk: Arc<Gatekeeper>,
        inventory: Arc<Inventory>,
    ) -> Result<SharedBound, PolicyError> {
        let engines = gk.engines(&inventory, true)?;
        Ok(SharedBound {
            gk,
            engines,
            inventory,
        })
    }

    fn engines(
        &self,
        inventory: &Inventory,
        vm: bool,
    ) -> Result<Vec<Vec<Mutex<Evaluator>>>, PolicyError> {
        let threads = rayon::current_num_threads().max(1);
        self.templates
            .iter()
            .map(|t| {
                let rego = t.with_inventory(inventory.as_value(), self.limits)?;
                let data = if t.referential {
                    serde_json::json!({ "inventory": inventory.as_value() })
                } else {
                    serde_json::json!({})
                };
                // The VM has no hook for Palisade's `sprintf` extension.
                let vm_allowed = vm
                    && t.has_rego()
                    && !t.modules.iter().any(|m| crate::sprintf::needed(&m.source));
                // As many copies as constraints of this template can run at once.
                let uses = self.constraints.iter().filter(|c| c.kind == t.kind).count();
                Ok(Evaluator::many(
                    rego,
                    &format!("{}.violation", t.package),
                    regorus::Value::from(data),
                    self.limits,
                    vm_allowed,
                    uses.clamp(1, threads),
                )?
                .into_iter()
                .map(Mutex::new)
                .collect())
            })
            .collect()
    }
}

/// Templates compiled for one inventory.
pub struct Bound<'a> {
    gk: &'a Gatekeeper,
    /// Engines per template, reused across reviews (cloning one per review cost more than
    /// evaluating it); each behind its own lock so threads evaluate side by side.
    engines: Vec<Vec<Mutex<Evaluator>>>,
    inventory: &'a Inventory,
}

/// [`Bound`] owning its templates and inventory, for a server: reviews run side by side, the
/// constraints of one review one after another.
pub struct SharedBound {
    gk: Arc<Gatekeeper>,
    engines: Vec<Vec<Mutex<Evaluator>>>,
    inventory: Arc<Inventory>,
}

impl std::fmt::Debug for SharedBound {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SharedBound")
            .field("constraints", &self.gk.constraints.len())
            .finish_non_exhaustive()
    }
}

impl SharedBound {
    /// As [`Bound::review`].
    pub fn review(&self, review: &Review, point: &str) -> Result<Vec<Violation>, PolicyError> {
        View {
            gk: &self.gk,
            engines: &self.engines,
            inventory: &self.inventory,
            parallel: false,
        }
        .review(review, point)
    }

    pub fn gatekeeper(&self) -> &Gatekeeper {
        &self.gk
    }
}

impl Bound<'_> {
    /// How many templates run on regorus' bytecode VM (the others on its interpreter).
    pub fn templates_on_vm(&self) -> usize {
        self.engines
            .iter()
            .filter(|pool| {
                pool.first().is_some_and(|m| {
                    matches!(
                        *m.lock().unwrap_or_else(|p| p.into_inner()),
                        Evaluator::Vm(_)
                    )
                })
            })
            .count()
    }

    /// Every violation of every constraint that matches the object and is enforced at
    /// `point`. A template that fails to evaluate fails the review: a policy error must not
    /// read as "allowed".
    pub fn review(&self, review: &Review, point: &str) -> Result<Vec<Violation>, PolicyError> {
        View {
            gk: self.gk,
            engines: &self.engines,
            inventory: self.inventory,
            parallel: true,
        }
        .review(review, point)
    }
}

/// What a review reads, however the engines are held.
struct View<'a> {
    gk: &'a Gatekeeper,
    engines: &'a [Vec<Mutex<Evaluator>>],
    inventory: &'a Inventory,
    /// Constraints side by side (one review at a time: a scan, `policy test`), or one after
    /// another (a server already running as many reviews as it has cores, where fanning
    /// each out only adds hand-offs between threads).
    parallel: bool,
}

impl View<'_> {
    fn review(&self, review: &Review, point: &str) -> Result<Vec<Violation>, PolicyError> {
        let mut out = self.review_one(review, point)?;
        for e in &self.gk.expansions {
            let Some(child) = e.expand(review.object()) else {
                continue;
            };
            let mut child_review = Review::from_object(child);
            // The operation and user of the parent's request carry over to what it implies.
            for key in ["operation", "userInfo"] {
                if let Some(v) = review.request.get(key) {
                    child_review.request[key] = v.clone();
                }
            }
            for mut v in self.review_one(&child_review, point)? {
                v.msg = format!("[Implied by {}] {}", e.name, v.msg);
                out.push(v);
            }
        }
        Ok(out)
    }

    fn review_one(&self, review: &Review, point: &str) -> Result<Vec<Violation>, PolicyError> {
        let object = review.object();
        let labels = object.pointer("/metadata/labels");
        let is_namespace = review.kind == "Namespace" && review.group.is_empty();
        let namespace_labels = if is_namespace {
            Some(labels.unwrap_or(&EMPTY))
        } else {
            self.inventory.namespace_labels(&review.namespace)
        };
        let subject = Subject {
            group: &review.group,
            kind: &review.kind,
            name: &review.name,
            namespace: &review.namespace,
            cluster_scoped: review.cluster_scoped,
            labels,
            namespace_labels,
        };
        let due: Vec<(usize, usize, Action)> = self
            .gk
            .constraints
            .iter()
            .enumerate()
            .filter_map(|(ci, c)| {
                let action = c.action_at(point)?;
                let ti = *self.gk.by_kind.get(&c.kind)?;
                c.matcher.matches(&subject).then_some((ci, ti, action))
            })
            .collect();
        if due.is_empty() {
            return Ok(Vec::new());
        }
        let review_value = regorus::Value::from(review.request.clone());
        // Constraints are independent: evaluated side by side, a review costs its slowest
        // templates rather than their sum, which is what admission latency is made of.
        let one = |&(ci, ti, action): &(usize, usize, Action)| {
            self.evaluate(ci, ti, action, review, &review_value)
        };
        let per_constraint: Vec<Vec<Violation>> = if self.parallel {
            due.par_iter().map(one).collect::<Result<_, _>>()?
        } else {
            due.iter().map(one).collect::<Result<_, _>>()?
        };
        Ok(per_constraint.into_iter().flatten().collect())
    }

    fn evaluate(
        &self,
        ci: usize,
        ti: usize,
        action: Action,
        review_json: &Review,
        review: &regorus::Value,
    ) -> Result<Vec<Violation>, PolicyError> {
        let c = &self.gk.constraints[ci];
        let template = &self.gk.templates[ti];
        let use_cel = self.gk.engine == Engine::Cel || !template.has_rego();
        if let (true, Some(cel)) = (use_cel, &template.cel) {
            let code = cel
                .as_ref()
                .map_err(|e| PolicyError::parse(&template.path, e))?;
            let msgs = code
                .evaluate(&review_json.request, &c.parameters)
                .map_err(|message| PolicyError::Eval {
                    query: format!("{}#{} (CEL)", template.path, template.name),
                    message,
                })?;
            return Ok(msgs
                .into_iter()
                .map(|msg| Violation {
                    constraint_kind: c.kind.clone(),
                    constraint_name: c.name.clone(),
                    msg,
                    details: Value::Null,
                    action,
                })
                .collect());
        }
        let mut input = BTreeMap::new();
        input.insert(regorus::Value::from("review"), review.clone());
        input.insert(
            regorus::Value::from("parameters"),
            self.gk.params[ci].clone(),
        );
        let query = format!("{}.violation", template.package);
        let result = {
            let pool = &self.engines[ti];
            let mut engine = pool
                .iter()
                .find_map(|m| m.try_lock().ok())
                .unwrap_or_else(|| pool[0].lock().unwrap_or_else(|p| p.into_inner()));
            engine.eval_rule(&query, regorus::Value::from(input))?
        };
        let Some(result) = result else {
            return Ok(Vec::new());
        };
        let mut out = Vec::new();
        for v in to_json(&result)
            .as_array()
            .map(Vec::as_slice)
            .unwrap_or_default()
        {
            out.push(Violation {
                constraint_kind: c.kind.clone(),
                constraint_name: c.name.clone(),
                msg: v
                    .get("msg")
                    .and_then(Value::as_str)
                    .unwrap_or_default()
                    .to_string(),
                details: v.get("details").cloned().unwrap_or(Value::Null),
                action,
            });
        }
        Ok(out)
    }
}

static EMPTY: Value = Value::Null;
