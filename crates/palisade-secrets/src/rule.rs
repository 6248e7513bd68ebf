//! The static shape of a built-in rule: metadata next to its pattern and fixtures.

use palisade_core::{RuleDocs, RuleMeta, Severity};

/// Extra check a rule may run on a candidate after the regex, entropy and allowlists.
/// `key` is the named capture `key` when the regex has one (the assignment's left side).
pub type Validator = fn(key: Option<&str>, secret: &str) -> bool;

/// A built-in secret rule. Rules are data: one regex, the keywords that must occur in a
/// file before the regex runs at all, and the filters that separate tokens from lookalikes.
pub struct SecretRule {
    pub meta: RuleMeta,
    /// Lower-case literals; a file that contains none of them is never matched against `regex`.
    pub keywords: &'static [&'static str],
    pub regex: &'static str,
    /// Capture group holding the secret; 0 means the first group if any, else the whole match.
    pub secret_group: usize,
    /// Minimum Shannon entropy (bits per byte) of the secret; 0 disables the check.
    pub entropy: f32,
    /// Regexes on the secret that mark a candidate as a placeholder.
    pub allow_regexes: &'static [&'static str],
    /// Case-insensitive substrings of the secret that mark it as a placeholder.
    pub stopwords: &'static [&'static str],
    pub validate: Option<Validator>,
    /// Broad rules yield to a specific rule that matched the same text.
    pub generic: bool,
    /// Texts the rule must report (fixtures; built with `concat!` so no token sits in the source).
    pub true_positives: &'static [&'static str],
    /// Texts the rule must not report.
    pub false_positives: &'static [&'static str],
}

/// Base for struct-update syntax in rule files.
pub const BASE: SecretRule = SecretRule {
    meta: RuleMeta {
        id: "",
        family: palisade_core::RuleFamily::Secret,
        title: "",
        severity: Severity::High,
        docs: RuleDocs {
            why: "",
            fix: "",
            bad_example: "",
            good_example: "",
        },
        related: &[],
        compliance: &[],
        references: &[],
    },
    keywords: &[],
    regex: "",
    secret_group: 0,
    entropy: 0.0,
    allow_regexes: &[],
    stopwords: &[],
    validate: None,
    generic: false,
    true_positives: &[],
    false_positives: &[],
};

/// Metadata for a provider token whose docs follow one pattern: revoke at the provider,
/// load at runtime. `$bad` should be an obviously fake value.
#[macro_export]
#[doc(hidden)]
macro_rules! token_meta {
    (id: $id:expr, title: $title:expr, provider: $provider:expr, severity: $sev:ident,
     related: $related:expr, refs: $refs:expr, bad: $bad:expr, good: $good:expr $(,)?) => {
        palisade_core::RuleMeta {
            id: $id,
            family: palisade_core::RuleFamily::Secret,
            title: $title,
            severity: palisade_core::Severity::$sev,
            docs: palisade_core::RuleDocs {
                why: concat!(
                    "A ", $title, " grants API access to the ", $provider,
                    " account that issued it. Anyone who can read this file, an image layer or the git \
                     history can use it until it is revoked; deleting it in a later commit or layer \
                     does not remove it."
                ),
                fix: concat!(
                    "Revoke the credential in ", $provider,
                    " and issue a new one. Inject the new value at runtime (environment variable, \
                     mounted secret, secret manager, BuildKit `--mount=type=secret`) instead of \
                     writing it into files or images."
                ),
                bad_example: $bad,
                good_example: $good,
            },
            related: $related,
            compliance: &[],
            references: $refs,
        }
    };
}
