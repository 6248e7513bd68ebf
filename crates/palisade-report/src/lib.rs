//! Reporters: turn a [`Report`] into bytes for people (table, HTML) or machines (JSON,
//! SARIF, JUnit XML, GitHub Actions annotations, user templates). They know outputs, not
//! how findings were made; rule metadata arrives as data.

mod github;
mod html;
mod json;
mod junit;
mod place;
mod sarif;
mod table;
mod template;
mod text;

pub use github::{escape_data, escape_property, github_report};
pub use html::html_report;
pub use json::{json_report, write_json};
pub use junit::junit_report;
pub use sarif::sarif_report;
pub use table::{table_report, TableOptions};
pub use template::{template_report, TemplateError};
pub use text::{escape_controls, rules_table};

use palisade_core::RuleMeta;

/// Looks rule metadata up by ID (for SARIF rule descriptors and table titles).
pub type RuleLookup<'a> = &'a dyn Fn(&str) -> Option<&'static RuleMeta>;
