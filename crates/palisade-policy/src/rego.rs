//! The Rego interpreter (regorus) behind one narrow door: modules in, values out, limits on.

use crate::PolicyError;
use regorus::utils::limits::ExecutionTimerConfig;
use regorus::{Engine, Value};
use std::num::NonZeroU32;
use std::time::Duration;

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
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            timeout: Duration::from_secs(5),
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

    /// The packages the modules declare, as `data.a.b`.
    pub fn packages(&self) -> Vec<String> {
        self.engine.get_packages().unwrap_or_default()
    }

    /// The value of `query` (a reference such as `data.main` or `data.k8s.violation`, or any
    /// Rego expression) for `input`; `None` when it is undefined.
    pub fn eval(&mut self, query: &str, input: Value) -> Result<Option<Value>, PolicyError> {
        self.engine.set_input(input);
        self.engine
            .set_execution_timer_config(ExecutionTimerConfig {
                limit: self.limits.timeout,
                check_interval: NonZeroU32::MIN,
            });
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

    fn eval_error(&self, query: &str, e: &anyhow::Error) -> PolicyError {
        if e.chain().any(|c| {
            matches!(
                c.downcast_ref::<regorus::LimitError>(),
                Some(regorus::LimitError::TimeLimitExceeded { .. })
            )
        }) || one_line(e).contains("time limit")
        {
            return PolicyError::Timeout {
                query: query.to_string(),
                limit_ms: self.limits.timeout.as_millis() as u64,
            };
        }
        PolicyError::Eval {
            query: query.to_string(),
            message: one_line(e),
        }
    }
}

fn add_module(engine: &mut Engine, m: &Module) -> Result<(), PolicyError> {
    engine.set_rego_v0(false);
    let v1 = engine.add_policy(m.path.clone(), m.source.clone());
    let Err(v1_err) = v1 else {
        return Ok(());
    };
    // Only a module that fails as v1 for want of v1's keywords is retried as v0: regorus
    // prints warnings to stderr while it parses v0, and a plain syntax error would fail the
    // same way in both dialects.
    let v1_text = one_line(&v1_err);
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
    let v0 = engine.add_policy(m.path.clone(), m.source.clone());
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
    }
}
