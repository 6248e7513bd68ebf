//! A built-in rule: its entry in `data/rules.yaml` and the metadata `palisade rules` shows.

use crate::spec::RuleSpec;
use palisade_core::RuleMeta;

/// Extra check a rule may run on a candidate after the regex, entropy and allowlists.
/// `key` is the named capture `key` when the regex has one (the assignment's left side).
pub type Validator = fn(key: Option<&str>, secret: &str) -> bool;

/// A built-in secret rule: the data entry (pattern, filters, test cases) and the metadata
/// derived from it.
#[derive(Debug)]
pub struct SecretRule {
    pub meta: RuleMeta,
    pub spec: RuleSpec,
}
