//! Falco's filter language: parse, expand macros and lists, compile, evaluate.

pub mod ast;
pub mod compile;
pub mod eval;
pub mod expand;
pub mod index;
pub mod parser;
pub mod paths;

pub use ast::{Expr, FieldExpr, Op, Rhs, Transformer};
pub use compile::{compile, fields_of, CompileError, Node};
pub use expand::{Definitions, ExpandError, Used};
pub use parser::{parse, ParseError};

#[cfg(test)]
mod tests;
