//! A Gatekeeper template's `violation` rule compiled to regorus' bytecode VM (RVM). On the 20
//! library templates of the admission bench the VM gives the interpreter's values at about two
//! thirds of its CPU (1.8 → 1.2 ms a review); admission latency is made of exactly this.
//! Templates the VM cannot compile, and those that need Palisade's `sprintf` extension (the VM
//! has no extension hook), stay on the interpreter.

use crate::rego::{Limits, Rego, CHECK_INTERVAL};
use crate::PolicyError;
use regorus::rvm::{Program, RegoVM};
use regorus::utils::limits::ExecutionTimerConfig;
use regorus::Value;
use std::sync::Arc;

/// One compiled rule and the data it reads, shared by every [`Vm`] made from it.
#[derive(Clone)]
pub(crate) struct Compiled {
    program: Arc<Program>,
    data: Value,
    limits: Limits,
}

impl Compiled {
    /// `None` when the VM cannot take this rule; the caller keeps the interpreter.
    pub fn new(rego: &Rego, rule: &str, data: Value, limits: Limits) -> Option<Compiled> {
        let policy = rego.compile_entrypoint(rule)?;
        let program =
            regorus::languages::rego::compiler::Compiler::compile_from_policy(&policy, &[rule])
                .ok()?;
        Some(Compiled {
            program,
            data,
            limits,
        })
    }

    pub fn vm(&self) -> Result<Vm, PolicyError> {
        let mut vm = RegoVM::new();
        vm.load_program(self.program.clone());
        vm.set_data(self.data.clone())
            .map_err(|e| PolicyError::Compile {
                message: format!("data: {e}"),
            })?;
        // OPA's default, as the interpreter is set: a failing builtin makes its expression
        // undefined.
        vm.set_strict_builtin_errors(false);
        // The VM's own step budget (25,000 by default) would fail large objects that the
        // interpreter evaluates; the wall-clock and memory limits bound the work instead.
        vm.set_max_instructions(usize::MAX);
        Ok(Vm {
            vm,
            limits: self.limits,
        })
    }
}

/// One evaluator of a [`Compiled`] rule; a thread holds it while it evaluates.
pub(crate) struct Vm {
    vm: RegoVM,
    limits: Limits,
}

impl Vm {
    /// The rule's value for `input`; `None` when undefined.
    pub fn eval(&mut self, rule: &str, input: Value) -> Result<Option<Value>, PolicyError> {
        regorus::set_global_memory_limit(Some(self.limits.memory));
        self.vm.set_input(input);
        self.vm
            .set_execution_timer_config(Some(ExecutionTimerConfig {
                limit: self.limits.timeout,
                check_interval: CHECK_INTERVAL,
            }));
        match self.vm.execute() {
            Ok(v) => Ok(Some(v).filter(|v| *v != Value::Undefined)),
            Err(e) => Err(crate::rego::limit_error(rule, &e, self.limits)),
        }
    }
}

/// What evaluates one template's rule: the VM when it compiled, else the interpreter.
pub(crate) enum Evaluator {
    Interpreter(Rego),
    Vm(Vm),
}

impl Evaluator {
    /// As many evaluators of `rule` as asked, all sharing one compiled program.
    pub fn many(
        rego: Rego,
        rule: &str,
        data: Value,
        limits: Limits,
        vm_allowed: bool,
        count: usize,
    ) -> Result<Vec<Evaluator>, PolicyError> {
        let compiled = if vm_allowed {
            Compiled::new(&rego, rule, data, limits)
        } else {
            None
        };
        (0..count)
            .map(|_| match &compiled {
                Some(c) => c.vm().map(Evaluator::Vm),
                None => Ok(Evaluator::Interpreter(rego.clone())),
            })
            .collect()
    }

    pub fn eval_rule(&mut self, rule: &str, input: Value) -> Result<Option<Value>, PolicyError> {
        match self {
            Evaluator::Interpreter(rego) => rego.eval_rule(rule, input),
            Evaluator::Vm(vm) => vm.eval(rule, input),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rego::Module;

    const TEMPLATE: &str = r#"package k8srequiredlabels
violation[{"msg": msg}] {
  provided := {label | input.review.object.metadata.labels[label]}
  required := {label | label := input.parameters.labels[_]}
  missing := required - provided
  count(missing) > 0
  msg := sprintf("missing labels: %v", [missing])
}
"#;

    fn input(labels: serde_json::Value) -> Value {
        Value::from(serde_json::json!({
            "review": {"object": {"metadata": {"labels": labels}}},
            "parameters": {"labels": ["team"]},
        }))
    }

    #[test]
    fn the_vm_answers_each_input_afresh() {
        let modules = [Module {
            path: "t.rego".into(),
            source: TEMPLATE.into(),
        }];
        let rego =
            Rego::compile(&modules, &serde_json::Value::Null, Limits::default()).expect("compiles");
        let rule = "data.k8srequiredlabels.violation";
        let data = Value::from(serde_json::json!({}));
        let mut evals =
            Evaluator::many(rego, rule, data, Limits::default(), true, 1).expect("evaluators");
        let e = &mut evals[0];
        assert!(
            matches!(e, Evaluator::Vm(_)),
            "the template compiles to the VM"
        );
        let count = |v: Option<Value>| {
            v.and_then(|v| v.as_set().ok().map(|s| s.len()))
                .unwrap_or(0)
        };
        let missing = || input(serde_json::json!({"app": "x"}));
        let present = || input(serde_json::json!({"team": "a"}));
        // A cache kept from one execution to the next would repeat the first answer.
        assert_eq!(count(e.eval_rule(rule, missing()).expect("evaluates")), 1);
        assert_eq!(count(e.eval_rule(rule, present()).expect("evaluates")), 0);
        assert_eq!(count(e.eval_rule(rule, missing()).expect("evaluates")), 1);
    }

    fn vm_of(source: &str, limits: Limits) -> Evaluator {
        let modules = [Module {
            path: "t.rego".into(),
            source: source.into(),
        }];
        let rego = Rego::compile(&modules, &serde_json::Value::Null, limits).expect("compiles");
        let data = Value::from(serde_json::json!({}));
        let mut evals =
            Evaluator::many(rego, "data.t.violation", data, limits, true, 1).expect("evaluators");
        let e = evals.remove(0);
        assert!(
            matches!(e, Evaluator::Vm(_)),
            "the template compiles to the VM"
        );
        e
    }

    #[test]
    fn a_runaway_template_stops_at_the_time_limit() {
        let limits = Limits {
            timeout: std::time::Duration::from_millis(200),
            ..Limits::default()
        };
        let mut e = vm_of(
            "package t\nviolation[{\"msg\": \"slow\"}] {\n  count([1 | numbers.range(1, 20000)[_]; numbers.range(1, 20000)[_]]) > 0\n}\n",
            limits,
        );
        let start = std::time::Instant::now();
        let err = e
            .eval_rule("data.t.violation", Value::from(serde_json::json!({})))
            .expect_err("stops");
        assert!(matches!(err, PolicyError::Timeout { .. }), "{err}");
        assert!(start.elapsed() < std::time::Duration::from_secs(20));
    }
}
