//! Dockerfile parser following BuildKit's rules: parser directives, escape character,
//! line continuations (with comment and blank lines inside), heredocs, flags, exec (JSON)
//! and shell forms, and `ONBUILD` triggers. Every instruction keeps its span. A broken
//! instruction becomes a [`ParseError`] and parsing carries on with the next line.

mod ast;
mod expand;
mod lines;

pub use ast::{Dockerfile, Flag, Heredoc, Instruction, Stage};
pub use expand::{expand, Env};

/// A problem with one instruction; the rest of the file is still parsed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("line {line}: {message}")]
pub struct ParseError {
    pub line: u32,
    pub message: String,
}

/// Parses a whole Dockerfile. Never fails: problems are collected in `Dockerfile::errors`.
pub fn parse(content: &str) -> Dockerfile {
    let (directives, escape, logical, mut errors) = lines::logical_lines(content);
    let mut instructions = Vec::new();
    for l in logical {
        match ast::instruction_from_line(l) {
            Ok(i) => instructions.push(i),
            Err(e) => errors.push(e),
        }
    }
    Dockerfile::build(directives, escape, instructions, errors)
}

#[cfg(test)]
mod tests;
