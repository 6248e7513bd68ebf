//! The resolved scanner configuration, and the texts that can be merged into it: gitleaks
//! TOML configs and baselines.

use crate::error::{ConfigError, ConfigInput};
use crate::spec::RuleSpec;
use serde::Deserialize;
use std::collections::HashSet;

/// Files larger than this are skipped unless the user raises the limit (bundles and
/// databases are slow to scan and rarely hold hand-written credentials).
pub const DEFAULT_MAX_FILE_SIZE: u64 = 10 * 1024 * 1024;

/// What an allowlist regex is matched against.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum RegexTarget {
    #[default]
    Secret,
    Match,
    Line,
}

/// Candidates matching any entry are dropped (`condition: and` requires every kind of
/// entry present to match instead).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct AllowlistConfig {
    pub description: Option<String>,
    /// Regexes on the file path.
    pub paths: Vec<String>,
    pub regexes: Vec<String>,
    pub regex_target: RegexTarget,
    /// Case-insensitive substrings of the secret.
    pub stopwords: Vec<String>,
    /// Commit IDs (git history scans).
    pub commits: Vec<String>,
    /// `and` or `or` (default).
    pub condition: Option<String>,
    /// For global allowlists: only these rules (empty = all).
    pub target_rules: Vec<String>,
}

/// Everything the scanner can be told, resolved: no file names left to read (see
/// [`crate::SecretsSection`] for the palisade.yaml side). `Default` gives the built-in
/// rules and limits.
#[derive(Debug, Clone, Default)]
pub struct SecretConfig {
    /// Rules added to the built-in ones; one whose ID (or a related ID) names a built-in
    /// rule replaces it.
    pub custom_rules: Vec<RuleSpec>,
    /// Global allowlists, applied to every rule.
    pub allowlists: Vec<AllowlistConfig>,
    /// Built-in rule IDs (or related gitleaks IDs) to turn off.
    pub disabled_rules: Vec<String>,
    /// When not empty, only these rules run (built-in IDs, related gitleaks IDs or custom IDs).
    pub only_rules: Vec<String>,
    /// Skip files larger than this many bytes; `None` means [`DEFAULT_MAX_FILE_SIZE`], `Some(0)` no limit.
    pub max_file_size: Option<u64>,
    /// Scan files whose first 8 KiB contain a NUL byte (off by default).
    pub scan_binary: bool,
    /// Extra file extensions (without dot) to skip, on top of the built-in binary list.
    pub skip_extensions: Vec<String>,
    /// Fingerprints of accepted findings (see [`SecretConfig::load_baseline`]).
    pub baseline: HashSet<String>,
    /// Report credentials their owners publish on purpose (Firebase SDK example keys, see
    /// `data/published-example-keys.tsv`); off by default.
    pub report_published_examples: bool,
}

impl SecretConfig {
    /// Adds the rules and allowlists of a gitleaks TOML config (`[[rules]]`, `[allowlist]`,
    /// `[[allowlists]]`, `[rules.allowlist]`, `[[rules.allowlists]]`). A rule whose ID names
    /// a built-in rule replaces it.
    pub fn merge_gitleaks_toml(&mut self, text: &str) -> Result<(), ConfigError> {
        crate::gitleaks::merge(self, text)
    }

    /// Adds only the allowlists of a gitleaks TOML config and keeps the built-in rules: a
    /// `[rules.allowlist]` applies to the built-in rule that answers to that gitleaks rule ID
    /// (for teams moving from gitleaks with allowlists they have tuned over the years).
    pub fn merge_gitleaks_allowlists(&mut self, text: &str) -> Result<(), ConfigError> {
        crate::gitleaks::merge_allowlists(self, text)
    }

    /// Accepts a baseline: a JSON list of fingerprints, or of objects with a `fingerprint`
    /// field (a previous JSON report's findings also work: `extra.fingerprint` is read).
    pub fn load_baseline(&mut self, json: &str) -> Result<(), ConfigError> {
        let bad = |message: String| ConfigError::Parse {
            input: ConfigInput::Baseline,
            message,
        };
        let v: serde_json::Value = serde_json::from_str(json).map_err(|e| bad(e.to_string()))?;
        let serde_json::Value::Array(items) = &v else {
            return Err(bad("expected a JSON array of fingerprints".into()));
        };
        for (i, item) in items.iter().enumerate() {
            let fp = item
                .as_str()
                .or_else(|| item.get("fingerprint").and_then(|f| f.as_str()))
                .or_else(|| {
                    item.get("extra")
                        .and_then(|e| e.get("fingerprint"))
                        .and_then(|f| f.as_str())
                });
            match fp {
                Some(fp) => {
                    self.baseline.insert(fp.to_string());
                }
                None => {
                    return Err(bad(format!(
                        "entry {i} is neither a string nor an object with a fingerprint"
                    )))
                }
            }
        }
        Ok(())
    }

    pub(crate) fn effective_max_size(&self) -> Option<u64> {
        match self.max_file_size {
            None => Some(DEFAULT_MAX_FILE_SIZE),
            Some(0) => None,
            Some(n) => Some(n),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn baseline_accepts_strings_and_objects() {
        let mut cfg = SecretConfig::default();
        cfg.load_baseline(r#"["a", {"fingerprint": "b"}, {"extra": {"fingerprint": "c"}}]"#)
            .unwrap();
        assert_eq!(cfg.baseline.len(), 3);
        let err = cfg.load_baseline("[1]").unwrap_err();
        assert!(
            matches!(
                err,
                ConfigError::Parse {
                    input: ConfigInput::Baseline,
                    ..
                }
            ),
            "{err}"
        );
        assert!(cfg.load_baseline("{}").is_err());
    }
}
