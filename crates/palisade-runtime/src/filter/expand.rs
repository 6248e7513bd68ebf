//! Load-time resolution of macros and lists, as Falco does before compiling a rule: a macro
//! name becomes the macro's condition, and list items naming a list become its items.

use super::ast::{Expr, Rhs};
use std::collections::{HashMap, HashSet};

/// Macro chains deeper than this are refused (they are cycles in practice).
pub const MAX_MACRO_DEPTH: usize = 64;

/// Nesting of the expanded condition (macros inlined) is capped too: compiling and
/// evaluating recurse over it, and a hostile file must not exhaust the stack.
pub const MAX_EXPANDED_DEPTH: usize = 512;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ExpandError {
    #[error("Undefined macro '{0}' used in filter.")]
    UndefinedMacro(String),
    #[error("macro '{0}' refers to itself (through {1})")]
    MacroCycle(String, String),
    #[error("macros nested deeper than {MAX_MACRO_DEPTH} levels at '{0}'")]
    TooDeep(String),
    #[error("condition nested deeper than {MAX_EXPANDED_DEPTH} levels once macros are expanded")]
    ExpandedTooDeep,
}

/// Macros (parsed, unexpanded) and lists (items already expanded) visible to a condition.
#[derive(Debug, Default)]
pub struct Definitions {
    pub macros: HashMap<String, Expr>,
    pub lists: HashMap<String, Vec<String>>,
}

/// What expansion touched, for Falco's unused-macro/unused-list warnings.
#[derive(Debug, Default)]
pub struct Used {
    pub macros: HashSet<String>,
    pub lists: HashSet<String>,
}

impl Definitions {
    pub fn expand(&self, e: &Expr, used: &mut Used) -> Result<Expr, ExpandError> {
        let mut stack = Vec::new();
        self.go(e, used, &mut stack, 0)
    }

    fn go(
        &self,
        e: &Expr,
        used: &mut Used,
        stack: &mut Vec<String>,
        depth: usize,
    ) -> Result<Expr, ExpandError> {
        if depth > MAX_EXPANDED_DEPTH {
            return Err(ExpandError::ExpandedTooDeep);
        }
        let d = depth + 1;
        Ok(match e {
            Expr::And(v) => Expr::And(self.all(v, used, stack, d)?),
            Expr::Or(v) => Expr::Or(self.all(v, used, stack, d)?),
            Expr::Not(inner) => Expr::Not(Box::new(self.go(inner, used, stack, d)?)),
            Expr::Macro { name, .. } => {
                let Some(body) = self.macros.get(name) else {
                    return Err(ExpandError::UndefinedMacro(name.clone()));
                };
                if stack.iter().any(|s| s == name) {
                    return Err(ExpandError::MacroCycle(name.clone(), stack.join(" -> ")));
                }
                if stack.len() >= MAX_MACRO_DEPTH {
                    return Err(ExpandError::TooDeep(name.clone()));
                }
                used.macros.insert(name.clone());
                stack.push(name.clone());
                let out = self.go(body, used, stack, d);
                stack.pop();
                out?
            }
            Expr::Cmp { lhs, op, rhs } => Expr::Cmp {
                lhs: lhs.clone(),
                op: *op,
                rhs: match rhs {
                    Rhs::List(items) => Rhs::List(self.splice(items, used)),
                    other => other.clone(),
                },
            },
            Expr::Const(b) => Expr::Const(*b),
        })
    }

    fn all(
        &self,
        v: &[Expr],
        used: &mut Used,
        stack: &mut Vec<String>,
        depth: usize,
    ) -> Result<Vec<Expr>, ExpandError> {
        v.iter().map(|e| self.go(e, used, stack, depth)).collect()
    }

    /// Replaces items that name a list by that list's items.
    pub fn splice(&self, items: &[String], used: &mut Used) -> Vec<String> {
        let mut out = Vec::with_capacity(items.len());
        for it in items {
            match self.lists.get(it) {
                Some(l) => {
                    used.lists.insert(it.clone());
                    out.extend(l.iter().cloned());
                }
                None => out.push(it.clone()),
            }
        }
        out
    }
}
