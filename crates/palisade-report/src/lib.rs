//! Reporters: turn a [`Report`] into bytes for people (table) or machines (JSON, SARIF).
//! They know outputs, not how findings were made; rule metadata arrives as data.

mod json;
mod sarif;
mod table;
mod text;

pub use json::{json_report, write_json};
pub use sarif::sarif_report;
pub use table::{table_report, TableOptions};
pub use text::{escape_controls, rules_table};

use palisade_core::RuleMeta;

/// Looks rule metadata up by ID (for SARIF rule descriptors and table titles).
pub type RuleLookup<'a> = &'a dyn Fn(&str) -> Option<&'static RuleMeta>;
