//! The Rego interpreter (regorus) behind one narrow door: modules in, values out, limits on.

use crate::PolicyError;
use regorus::utils::limits::ExecutionTimerConfig;
use regorus::{Engine, Value};
use std::num::NonZeroU32;
use std::time::Duration;

/// Steps between two looks at the clock: reading it every step took a tenth of the time of
/// a Gatekeeper review; every 256 steps costs nothing and still stops within microseconds.
pub(crate) const CHECK_INTERVAL: NonZeroU32 = match NonZeroU32::new(256) {
    Some(n) => n,
    None => NonZeroU32::MIN,
};

/// One Rego source file.
#[derive(Debug, Clone, PartialEq)]
pub struct Module {
    /// Where it came from (a file, `bundle.tar.gz:path`, `template.yaml#k8srequiredlabels`):
    /// errors name it.
    pub path: String,
    pub source: String,
}

/// What one query may cost.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Wall-clock budget of one query. Past it the evaluation stops with
    /// [`PolicyError::Timeout`]; a policy that loops forever cannot hang a scan or a webhook.
    pub timeout: Duration,
    /// Heap the process may hold while a query runs, in bytes. Past it the evaluation stops
    /// with [`PolicyError::MemoryLimit`] instead of the process being killed: a policy that
    /// builds `numbers.range(0, input.spec.replicas)` for a hostile `replicas` must not take
    /// the scan or the webhook down. The allocator counts every thread's allocations, so this
    /// bounds the whole process, and one value holds for all policy sets of the process (the
    /// last set wins).
    pub memory: u64,
}

/// Default of [`Limits::memory`]: 2 GiB.
pub const DEFAULT_MEMORY: u64 = 2 << 30;

impl Default for Limits {
    fn default() -> Self {
        Limits {
            timeout: Duration::from_secs(5),
            memory: DEFAULT_MEMORY,
        }
    }
}

/// A compiled set of modules and data, ready to answer queries. Cloning is cheap (the compiled
/// policy is shared); each clone evaluates independently, so threads take their own.
#[derive(Clone)]
pub(crate) struct Rego {
    engine: Engine,
    limits: Limits,
}

impl std::fmt::Debug for Rego {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Rego").finish_non_exhaustive()
    }
}

impl Rego {
    /// Parses every module (Rego v1 first, then v0, as Regal does: Gatekeeper templates and
    /// older Conftest policies are v0, new policies v1), loads `data` and compiles the lot, so
    /// a broken policy is reported at load time rather than at its first query.
    pub fn compile(
        modules: &[Module],
        data: &serde_json::Value,
        limits: Limits,
    ) -> Result<Rego, PolicyError> {
        let mut engine = Engine::new();
        // OPA's default: a builtin that fails (a bad regex, a missing key) makes its
        // expression undefined instead of failing the whole query.
        engine.set_strict_builtin_errors(false);
        if modules.iter().any(|m| crate::sprintf::needed(&m.source)) {
            crate::sprintf::install(&mut engine).map_err(|e| PolicyError::Compile {
                message: one_line(&e),
            })?;
        }
        for m in modules {
            add_module(&mut engine, m)?;
        }
        if !data.is_null() {
            engine
                .add_data(Value::from(data.clone()))
                .map_err(|e| PolicyError::Compile {
                    message: format!("data: {}", one_line(&e)),
                })?;
        }
        engine
            .eval_query("true".to_string(), false)
            .map_err(|e| PolicyError::Compile {
                message: one_line(&e),
            })?;
        Ok(Rego { engine, limits })
    }

    /// The rules each package declares whose name passes `wanted` (`data.main` → `deny`,
    /// `warn_x`). Names are proposed by reading rule heads in the source and confirmed by the
    /// interpreter, so a local variable named `deny` inside a body is not taken for a rule.
    pub fn declared_rules(
        &self,
        modules: &[Module],
        wanted: impl Fn(&str) -> bool,
    ) -> std::collections::BTreeMap<String, std::collections::BTreeSet<String>> {
        let mut out: std::collections::BTreeMap<String, std::collections::BTreeSet<String>> =
            Default::default();
        for m in modules {
            let Some(package) = package_of(&m.source) else {
                continue;
            };
            let names: std::collections::BTreeSet<&str> = m
                .source
                .lines()
                .filter_map(|l| {
                    let l = l.trim_start();
                    let end = l
                        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                        .unwrap_or(l.len());
                    let name = &l[..end];
                    (!name.is_empty() && wanted(name)).then_some(name)
                })
                .collect();
            for name in names {
                if self
                    .engine
                    .has_declared_rule_rooted_at(&m.path, name)
                    .unwrap_or(false)
                {
                    out.entry(package.clone())
                        .or_default()
                        .insert(name.to_string());
                }
            }
        }
        out
    }

    /// The packages the modules declare, as `data.a.b`.
    pub fn packages(&self) -> Vec<String> {
        self.engine.get_packages().unwrap_or_default()
    }

    /// The value of `query` (a reference such as `data.main` or `data.k8s.violation`, or any
    /// Rego expression) for `input`; `None` when it is undefined.
    pub fn eval(&mut self, query: &str, input: Value) -> Result<Option<Value>, PolicyError> {
        self.prepare(input);
        let results = self
            .engine
            .eval_query(query.to_string(), false)
            .map_err(|e| self.eval_error(query, &e))?;
        Ok(results
            .result
            .into_iter()
            .next()
            .and_then(|r| r.expressions.into_iter().next())
            .map(|e| e.value)
            .filter(|v| *v != Value::Undefined))
    }

    /// The value of the rule at `path` (`data.pkg.violation`) for `input`; `None` when it is
    /// undefined. Cheaper than [`Rego::eval`]: no query to parse.
    pub fn eval_rule(&mut self, path: &str, input: Value) -> Result<Option<Value>, PolicyError> {
        self.prepare(input);
        let value = self
            .engine
            .eval_rule(path.to_string())
            .map_err(|e| self.eval_error(path, &e))?;
        Ok(Some(value).filter(|v| *v != Value::Undefined))
    }

    /// Input and limits for the next evaluation.
    fn prepare(&mut self, input: Value) {
        regorus::set_global_memory_limit(Some(self.limits.memory));
        self.engine.set_input(input);
        self.engine
            .set_execution_timer_config(ExecutionTimerConfig {
                limit: self.limits.timeout,
                check_interval: CHECK_INTERVAL,
            });
    }

    fn eval_error(&self, query: &str, e: &anyhow::Error) -> PolicyError {
        let limit = e
            .chain()
            .find_map(|c| c.downcast_ref::<regorus::LimitError>().copied());
        let text = one_line(e);
        let timeout = matches!(limit, Some(regorus::LimitError::TimeLimitExceeded { .. }))
            || text.contains("time limit");
        let memory = matches!(limit, Some(regorus::LimitError::MemoryLimitExceeded { .. }))
            || text.contains("memory limit");
        classify(query, self.limits, timeout, memory, text)
    }

    /// The compiled form of `rule` alone, for the bytecode VM; `None` when regorus cannot
    /// compile it.
    pub(crate) fn compile_entrypoint(&self, rule: &str) -> Option<regorus::CompiledPolicy> {
        self.engine
            .clone()
            .compile_with_entrypoint(&rule.into())
            .ok()
    }
}

/// An evaluation error of the bytecode VM as the interpreter's would read.
pub(crate) fn limit_error(
    query: &str,
    e: &regorus::rvm::vm::VmError,
    limits: Limits,
) -> PolicyError {
    use regorus::rvm::vm::VmError;
    let timeout = matches!(e, VmError::TimeLimitExceeded { .. });
    let memory = matches!(e, VmError::MemoryLimitExceeded { .. });
    classify(query, limits, timeout, memory, e.to_string())
}

fn classify(query: &str, limits: Limits, timeout: bool, memory: bool, text: String) -> PolicyError {
    if timeout {
        return PolicyError::Timeout {
            query: query.to_string(),
            limit_ms: limits.timeout.as_millis() as u64,
        };
    }
    if memory {
        return PolicyError::MemoryLimit {
            query: query.to_string(),
            limit_mib: limits.memory >> 20,
        };
    }
    PolicyError::Eval {
        query: query.to_string(),
        message: text,
    }
}

/// `path:3:5: message` (regorus' form, after [`one_line`]) as `line 3, column 5: message`,
/// the form of YAML errors, for an error that names `path` already.
fn relative_to(path: &str, message: &str) -> String {
    let Some(rest) = message.strip_prefix(path).and_then(|r| r.strip_prefix(':')) else {
        return message.to_string();
    };
    let mut parts = rest.splitn(3, ':');
    match (parts.next(), parts.next(), parts.next()) {
        (Some(l), Some(c), Some(m)) if l.parse::<u32>().is_ok() && c.parse::<u32>().is_ok() => {
            format!("line {l}, column {c}:{m}")
        }
        _ => message.to_string(),
    }
}

fn add_module(engine: &mut Engine, m: &Module) -> Result<(), PolicyError> {
    let source = crate::compat::rewrite(&m.source).into_owned();
    engine.set_rego_v0(false);
    let v1 = engine.add_policy(m.path.clone(), source.clone());
    let Err(v1_err) = v1 else {
        return Ok(());
    };
    // Only a module that fails as v1 for want of v1's keywords is retried as v0: regorus
    // prints warnings to stderr while it parses v0, and a plain syntax error would fail the
    // same way in both dialects.
    let v1_text = relative_to(&m.path, &one_line(&v1_err));
    let dialect = [
        "keyword is required",
        "`if`",
        "`contains`",
        "future.keywords",
        "rego.v1",
    ];
    if !dialect.iter().any(|d| v1_text.contains(d)) {
        return Err(PolicyError::parse(&m.path, v1_text));
    }
    engine.set_rego_v0(true);
    let v0 = engine.add_policy(m.path.clone(), source);
    engine.set_rego_v0(false);
    match v0 {
        Ok(_) => Ok(()),
        // Both messages: which dialect the author meant is unknown.
        Err(v0_err) => Err(PolicyError::parse(
            &m.path,
            format!("{} (as Rego v0: {})", one_line(&v1_err), one_line(&v0_err)),
        )),
    }
}

/// regorus errors span several lines (`--> file:line:col`, the source line, a caret, then
/// `error: message`); a table row or log line holds one, so this keeps `file:line:col: message`.
pub(crate) fn one_line(e: &anyhow::Error) -> String {
    one_line_of(&format!("{e:#}"))
}

fn one_line_of(text: &str) -> String {
    let mut location = None;
    let mut parts: Vec<&str> = Vec::new();
    for line in text.lines().map(str::trim).filter(|l| !l.is_empty()) {
        if let Some(loc) = line.strip_prefix("--> ") {
            location = Some(loc);
            continue;
        }
        let gutter = line
            .split_once('|')
            .is_some_and(|(head, _)| head.trim().chars().all(|c| c.is_ascii_digit()));
        if gutter {
            continue; // the quoted source line and the caret under it
        }
        parts.push(line.strip_prefix("error: ").unwrap_or(line));
    }
    let message = if parts.is_empty() {
        "unknown error".to_string()
    } else {
        parts.join(": ")
    };
    match location {
        Some(loc) => format!("{loc}: {message}"),
        None => message,
    }
}

/// `data.a.b` for `package a.b`; the package a module declares.
pub(crate) fn package_of(rego: &str) -> Option<String> {
    rego.lines().find_map(|l| {
        let rest = l.trim_start().strip_prefix("package")?;
        if !rest.starts_with(char::is_whitespace) {
            return None;
        }
        let name = rest.split('#').next()?.trim();
        (!name.is_empty()).then(|| format!("data.{name}"))
    })
}

/// Converts between the JSON the rest of Palisade speaks and the interpreter's values.
pub(crate) fn to_json(v: &Value) -> serde_json::Value {
    // Sets become arrays and non-string keys become strings, as `opa eval` prints them.
    v.to_json_str()
        .ok()
        .and_then(|s| serde_json::from_str(&s).ok())
        .unwrap_or(serde_json::Value::Null)
}

#[cfg(test)]
mod tests {
    use super::one_line_of;

    #[test]
    fn regorus_errors_become_one_line() {
        let text = "\n--> p.rego:3:5\n  |\n3 | x := [\n  |     ^\nerror: unexpected end";
        assert_eq!(one_line_of(text), "p.rego:3:5: unexpected end");
        assert_eq!(one_line_of("plain failure"), "plain failure");
        assert_eq!(
            super::relative_to("p.rego", "p.rego:3:5: unexpected end"),
            "line 3, column 5: unexpected end"
        );
    }
}
