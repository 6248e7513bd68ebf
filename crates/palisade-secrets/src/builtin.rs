//! The built-in rules: `data/rules.yaml`, read by the loader user rules go through.

use crate::error::{ConfigError, ConfigInput};
use crate::rule::SecretRule;
use crate::spec::{check_rules, RuleSpec};
use palisade_core::{Partial, RuleDocs, RuleFamily, RuleMeta};
use std::sync::OnceLock;

const DATA: &str = include_str!("../data/rules.yaml");

/// Every built-in rule, in the order of the data file.
pub fn builtin() -> &'static [SecretRule] {
    static RULES: OnceLock<Vec<SecretRule>> = OnceLock::new();
    // The data is compiled in and `tests/rules.rs` loads and exercises every entry, so a
    // failure here is a build defect, not something a user's input can cause.
    RULES.get_or_init(|| load(DATA).unwrap_or_else(|e| panic!("data/rules.yaml: {e}")))
}

/// Metadata of the built-in rules, for `palisade rules`.
pub fn rules() -> Vec<&'static RuleMeta> {
    builtin().iter().map(|r| &r.meta).collect()
}

fn load(text: &str) -> Result<Vec<SecretRule>, ConfigError> {
    let specs: Vec<RuleSpec> = serde_yaml::from_str(text).map_err(|e| ConfigError::Parse {
        input: ConfigInput::BuiltinRules,
        message: e.to_string(),
    })?;
    check_rules(&specs, ConfigInput::BuiltinRules)?;
    Ok(specs
        .into_iter()
        .map(|spec| SecretRule {
            meta: meta(&spec),
            spec,
        })
        .collect())
}

/// `RuleMeta` (shared by every rule family in palisade-core) holds `&'static str`s, which
/// fits rules compiled into the binary. Built-in secret rules are loaded once per process
/// behind a `OnceLock` and never dropped, so leaking their texts costs nothing beyond the
/// memory the static would hold anyway, and never grows.
fn meta(spec: &RuleSpec) -> RuleMeta {
    fn leak(s: String) -> &'static str {
        Box::leak(s.into_boxed_str())
    }
    fn leak_all(v: &[String]) -> &'static [&'static str] {
        Box::leak(v.iter().map(|s| leak(s.clone())).collect::<Box<[_]>>())
    }
    RuleMeta {
        id: leak(spec.id.clone()),
        family: RuleFamily::Secret,
        title: leak(spec.title()),
        severity: spec.severity(),
        docs: RuleDocs {
            why: leak(spec.why().unwrap_or_default()),
            fix: leak(spec.fix().unwrap_or_default()),
            bad_example: leak(spec.bad_example.clone().unwrap_or_default()),
            good_example: leak(spec.good_example.clone().unwrap_or_default()),
        },
        related: leak_all(&spec.related),
        partial: Box::leak(
            spec.partial
                .iter()
                .map(|p| Partial::new(leak(p.id.clone()), leak(p.note.clone())))
                .collect::<Box<[_]>>(),
        ),
        compliance: &[],
        references: leak_all(&spec.references),
    }
}
