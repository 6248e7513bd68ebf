//! Rules-file items after reading, before compilation.

use super::priority::Priority;
use serde_yaml::Value;

/// Where an item came from.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Pos {
    pub file: String,
    pub line: usize,
    /// Line of the `condition:` key, when known.
    pub condition_line: usize,
}

#[derive(Debug, Clone)]
pub struct ListDef {
    pub name: String,
    pub items: Vec<String>,
    pub pos: Pos,
}

#[derive(Debug, Clone)]
pub struct MacroDef {
    pub name: String,
    pub condition: String,
    pub pos: Pos,
}

/// `fields`/`comps` are either one string or a list, and values follow the same shape.
#[derive(Debug, Clone, PartialEq)]
pub enum OneOrMany {
    One(String),
    Many(Vec<String>),
}

#[derive(Debug, Clone)]
pub struct ExceptionDef {
    pub name: String,
    pub fields: Option<OneOrMany>,
    pub comps: Option<OneOrMany>,
    pub values: Vec<Value>,
}

#[derive(Debug, Clone)]
pub struct RuleDef {
    pub name: String,
    pub desc: String,
    pub condition: String,
    pub output: String,
    pub priority: Priority,
    pub source: String,
    pub tags: Vec<String>,
    pub enabled: bool,
    pub exceptions: Vec<ExceptionDef>,
    pub warn_evttypes: bool,
    pub skip_if_unknown_filter: bool,
    pub pos: Pos,
}
