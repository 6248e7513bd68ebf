//! Kyverno's JMESPath: the language of `{{ ... }}` variables in Kyverno policies.
//!
//! Kyverno evaluates with its own fork of go-jmespath plus custom functions, and the fork differs
//! from standard JMESPath where policies notice: a field lookup on an object that lacks the key is
//! an error (`NotFound`, "Unknown key \"x\" in path") which subexpressions pass up and most other
//! nodes swallow as null. The `jmespath` crate's interpreter returns null for a missing key and
//! cannot be told otherwise, so the crate is used **only to parse**; [`ast`] rewrites its tree into
//! the fork's node kinds and [`eval`] walks it node by node as the fork's `interpreter.go` does.
//! Functions: [`builtins`] (standard JMESPath as go-jmespath implements it) and [`custom`] (Kyverno's
//! `pkg/engine/jmespath`), with [`arith`] (quantity/duration arithmetic), [`time`] and [`semver`].
//! Whatever cannot be reproduced exactly offline returns [`JmesError::Unsupported`], never a guess.
//!
//! Hostile input is bounded: expression length and nesting, evaluation depth and steps, and the
//! total size of values built or copied during one search (see [`limits`]).

mod arith;
mod ast;
mod builtins;
mod custom;
mod eval;
mod goformat;
mod limits;
mod quantity;
mod semver;
#[cfg(test)]
mod tests;
#[cfg(test)]
mod tests_kyverno;
pub(crate) mod time;

use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};

use serde_json::Value;

/// Errors of parsing or evaluating a Kyverno JMESPath expression.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum JmesError {
    /// A field looked up on an object that lacks it (Kyverno's `NotFoundError`).
    #[error("Unknown key \"{0}\" in path")]
    NotFound(String),
    #[error("invalid JMESPath expression {expr:?}: {message}")]
    Parse { expr: String, message: String },
    #[error("JMESPath function {function}: {message}")]
    Function { function: String, message: String },
    /// The function needs the cluster, the network or behaviour not reproduced here.
    #[error("JMESPath function {function} is not supported offline")]
    Unsupported { function: String },
    #[error("JMESPath evaluation too deep or too large")]
    Limit,
}

impl JmesError {
    pub(crate) fn function(function: &str, message: impl Into<String>) -> Self {
        JmesError::Function {
            function: function.to_string(),
            message: message.into(),
        }
    }

    pub(crate) fn unsupported(function: &str) -> Self {
        JmesError::Unsupported {
            function: function.to_string(),
        }
    }
}

/// Compiled expression, Send + Sync + Clone (cache-friendly).
#[derive(Debug, Clone)]
pub struct Expr {
    root: Arc<ast::Node>,
}

impl Expr {
    /// Parses `expr` with Kyverno's grammar (standard JMESPath; the fork adds no syntax).
    pub fn parse(expr: &str) -> Result<Expr, JmesError> {
        Ok(Expr {
            root: Arc::new(ast::parse(expr)?),
        })
    }

    /// Evaluates against `data` with Kyverno's semantics.
    pub fn search(&self, data: &Value) -> Result<Value, JmesError> {
        eval::search(&self.root, data)
    }
}

/// Parsed expressions kept by [`search`]; policies evaluate the same few for every resource.
const CACHE_CAP: usize = 4096;

fn cache() -> &'static Mutex<HashMap<String, Expr>> {
    static CACHE: OnceLock<Mutex<HashMap<String, Expr>>> = OnceLock::new();
    CACHE.get_or_init(|| Mutex::new(HashMap::new()))
}

/// Parse + search in one go, with a small global cache of parsed expressions.
pub fn search(expr: &str, data: &Value) -> Result<Value, JmesError> {
    let cached = cache().lock().ok().and_then(|c| c.get(expr).cloned());
    let compiled = match cached {
        Some(e) => e,
        None => {
            let e = Expr::parse(expr)?;
            if let Ok(mut c) = cache().lock() {
                // Dropping everything at the cap is crude but bounded and rare: policies have a
                // few hundred distinct expressions at most.
                if c.len() >= CACHE_CAP {
                    c.clear();
                }
                c.insert(expr.to_string(), e.clone());
            }
            e
        }
    };
    compiled.search(data)
}
