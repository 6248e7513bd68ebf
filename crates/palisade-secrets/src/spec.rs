//! One secret rule as written in YAML: the built-in `data/rules.yaml` and the user's
//! `secrets.rules` in palisade.yaml share this shape, its deserializer and its checks.

use crate::config::AllowlistConfig;
use crate::error::{ConfigError, ConfigInput};
use palisade_core::Severity;
use serde::{Deserialize, Deserializer};

/// A secret rule. Users write `id` and `regex` (or `path`) and whatever else they need;
/// built-in rules also carry their documentation and test cases.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct RuleSpec {
    pub id: String,
    pub title: Option<String>,
    /// gitleaks' name for the title, used when `title` is absent.
    pub description: Option<String>,
    /// `HIGH` when absent.
    pub severity: Option<Severity>,
    /// Who issued the credential; fills the standard `why`/`fix` texts ("Revoke the
    /// credential in {provider} ...") unless the rule writes its own.
    pub provider: Option<String>,
    pub why: Option<String>,
    /// Also the remediation every finding of the rule carries.
    pub fix: Option<String>,
    #[serde(deserialize_with = "opt_text")]
    pub bad_example: Option<String>,
    #[serde(deserialize_with = "opt_text")]
    pub good_example: Option<String>,
    /// Other tools' IDs for the same check (gitleaks); the rule answers to them too.
    pub related: Vec<String>,
    /// Other tools' rules for a neighbouring credential this rule does not detect the same
    /// way; shown in the docs, not answered to.
    pub partial: Vec<PartialSpec>,
    pub references: Vec<String>,
    /// Regex on the content; may be absent when `path` alone identifies a secret file.
    pub regex: Option<String>,
    /// Capture group holding the secret; 0 or absent means the first group that took part
    /// in the match, else the whole match.
    pub secret_group: Option<usize>,
    /// Minimum Shannon entropy (bits per byte) of the secret; absent or 0 disables the check.
    pub entropy: Option<f32>,
    /// Literals one of which must occur in a file (any case) before the regex runs at all.
    pub keywords: Vec<String>,
    /// Regex on the path: the rule only applies to matching files.
    pub path: Option<String>,
    pub allowlists: Vec<AllowlistConfig>,
    /// Name of a check in `validate.rs` run on each candidate after the regex and filters.
    pub validate: Option<String>,
    /// Broad rules yield to a specific rule that matched the same text.
    pub generic: bool,
    pub tests: RuleTests,
}

/// A foreign rule about a neighbouring credential, with how it differs.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct PartialSpec {
    pub id: String,
    pub note: String,
}

/// Texts a rule must report and must not report. Each case may be written as a list of
/// parts joined at load time, so that no complete token-shaped literal sits in the file
/// (push protection and Palisade's own scan of its repository would flag it).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct RuleTests {
    #[serde(deserialize_with = "texts")]
    pub true_positives: Vec<String>,
    #[serde(deserialize_with = "texts")]
    pub false_positives: Vec<String>,
}

/// A string, or a list of strings to concatenate.
#[derive(Deserialize)]
#[serde(untagged)]
enum Text {
    One(String),
    Parts(Vec<String>),
}

impl Text {
    fn joined(self) -> String {
        match self {
            Text::One(s) => s,
            Text::Parts(p) => p.concat(),
        }
    }
}

fn opt_text<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    Ok(Option::<Text>::deserialize(d)?.map(Text::joined))
}

fn texts<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<String>, D::Error> {
    Ok(Vec::<Text>::deserialize(d)?
        .into_iter()
        .map(Text::joined)
        .collect())
}

/// Shown on findings of rules that say nothing about remediation.
const DEFAULT_FIX: &str =
    "Revoke the credential, issue a new one and inject it at runtime instead of storing it in files.";

impl RuleSpec {
    pub fn title(&self) -> String {
        self.title
            .clone()
            .or_else(|| self.description.clone())
            .unwrap_or_else(|| format!("Secret matching custom rule {}", self.id))
    }

    pub fn severity(&self) -> Severity {
        self.severity.unwrap_or(Severity::High)
    }

    /// Why the finding matters: the rule's own text, else the provider template.
    pub fn why(&self) -> Option<String> {
        self.why.clone().or_else(|| {
            let provider = self.provider.as_deref()?;
            Some(format!(
                "A {} grants API access to the {provider} account that issued it. Anyone who can \
                 read this file, an image layer or the git history can use it until it is \
                 revoked; deleting it in a later commit or layer does not remove it.",
                self.title()
            ))
        })
    }

    /// How to fix it: the rule's own text, else the provider template.
    pub fn fix(&self) -> Option<String> {
        self.fix.clone().or_else(|| {
            let provider = self.provider.as_deref()?;
            Some(format!(
                "Revoke the credential in {provider} and issue a new one. Inject the new value at \
                 runtime (environment variable, mounted secret, secret manager, BuildKit \
                 `--mount=type=secret`) instead of writing it into files or images."
            ))
        })
    }

    pub(crate) fn remediation(&self) -> String {
        self.fix().unwrap_or_else(|| DEFAULT_FIX.to_string())
    }

    /// Problems found without compiling anything (regexes are compiled with the scanner).
    fn check(&self) -> Result<(), ConfigError> {
        if self.regex.is_none() && self.path.is_none() {
            return Err(ConfigError::Rule {
                rule: self.id.clone(),
                problem: "needs a regex or a path".into(),
            });
        }
        if let Some(name) = &self.validate {
            if crate::validate::by_name(name).is_none() {
                return Err(ConfigError::UnknownValidator {
                    rule: self.id.clone(),
                    name: name.clone(),
                });
            }
        }
        Ok(())
    }
}

/// The checks every rule list goes through, whoever wrote it.
pub(crate) fn check_rules(rules: &[RuleSpec], input: ConfigInput) -> Result<(), ConfigError> {
    for (i, r) in rules.iter().enumerate() {
        if r.id.trim().is_empty() {
            return Err(ConfigError::MissingRuleId {
                input,
                index: i + 1,
            });
        }
        r.check()?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(yaml: &str) -> Result<Vec<RuleSpec>, ConfigError> {
        let rules: Vec<RuleSpec> = serde_yaml::from_str(yaml).map_err(|e| ConfigError::Parse {
            input: ConfigInput::Section,
            message: e.to_string(),
        })?;
        check_rules(&rules, ConfigInput::Section)?;
        Ok(rules)
    }

    #[test]
    fn parts_are_joined_and_docs_templated() {
        let r = &parse(
            "- id: acme\n  title: Acme key\n  provider: Acme\n  regex: 'acme_[a-z]+'\n  bad_example: [acme_, abc]\n  tests:\n    true_positives: [[acme_, xyz], plain]\n",
        )
        .unwrap()[0];
        assert_eq!(r.bad_example.as_deref(), Some("acme_abc"));
        assert_eq!(r.tests.true_positives, vec!["acme_xyz", "plain"]);
        assert!(r
            .why()
            .unwrap()
            .starts_with("A Acme key grants API access to the Acme account"));
        assert!(r
            .remediation()
            .starts_with("Revoke the credential in Acme and"));
    }

    #[test]
    fn user_rule_defaults_and_errors() {
        let r = &parse("- id: x\n  regex: 'y'\n").unwrap()[0];
        assert_eq!(r.title(), "Secret matching custom rule x");
        assert_eq!(r.severity(), Severity::High);
        assert_eq!(r.why(), None);
        assert_eq!(r.remediation(), DEFAULT_FIX);
        let err = parse("- id: x\n  regex: 'y'\n  validate: nope\n").unwrap_err();
        assert!(
            matches!(&err, ConfigError::UnknownValidator { rule, name } if rule == "x" && name == "nope"),
            "{err}"
        );
        assert!(err.to_string().contains("generic_assignment"), "{err}");
        let err = parse("- regex: 'y'\n").unwrap_err();
        assert!(
            matches!(err, ConfigError::MissingRuleId { index: 1, .. }),
            "{err}"
        );
        assert!(parse("- id: x\n  regex: 'y'\n  bogus: 1\n").is_err());
    }
}
