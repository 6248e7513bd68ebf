//! Falco rules files: lists, macros, rules, exceptions, append/override, diagnostics.

pub mod build;
pub mod diag;
pub mod exceptions;
pub mod loader;
pub mod model;
pub mod priority;
pub mod yaml;

pub use build::{build, LoadedRule, RuleSet};
pub use diag::{Diagnostic, Level};
pub use loader::Loader;
pub use priority::Priority;

use crate::fields::FieldCatalog;
use std::path::Path;

/// Loads files in order (later ones override earlier ones) and builds the rule set.
/// An unreadable file is a `LOAD_ERR_FILE_READ` diagnostic, not an I/O error.
pub fn load_files(paths: &[impl AsRef<Path>], catalogs: &[&dyn FieldCatalog]) -> RuleSet {
    let mut loader = Loader::new();
    for p in paths {
        let p = p.as_ref();
        let name = p.display().to_string();
        match std::fs::read_to_string(p) {
            Ok(text) => loader.load(&name, &text),
            Err(e) => loader.diagnostics.push(Diagnostic {
                level: Level::Error,
                code: "LOAD_ERR_FILE_READ",
                file: name,
                line: 0,
                column: 0,
                item: None,
                message: e.to_string(),
            }),
        }
    }
    build(loader, catalogs)
}

/// Loads rules from strings (name, content), for tests and embedded rules.
pub fn load_strs(files: &[(&str, &str)], catalogs: &[&dyn FieldCatalog]) -> RuleSet {
    let mut loader = Loader::new();
    for (name, text) in files {
        loader.load(name, text);
    }
    build(loader, catalogs)
}

#[cfg(test)]
mod tests;
