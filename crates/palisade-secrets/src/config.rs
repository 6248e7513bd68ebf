//! User configuration: `secrets:` in palisade.yaml, gitleaks TOML import, baselines.

use crate::error::ConfigError;
use palisade_core::Severity;
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

/// A user-defined rule.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct CustomRule {
    pub id: String,
    pub title: Option<String>,
    pub description: Option<String>,
    pub severity: Option<Severity>,
    /// Regex on the content; may be empty when `path` alone identifies a secret file.
    pub regex: Option<String>,
    pub secret_group: Option<usize>,
    pub entropy: Option<f32>,
    pub keywords: Vec<String>,
    /// Regex on the path: the rule only applies to matching files.
    pub path: Option<String>,
    pub allowlists: Vec<AllowlistConfig>,
}

/// Everything the scanner can be told. `Default` gives the built-in rules and limits.
#[derive(Debug, Clone, Default)]
pub struct SecretConfig {
    pub custom_rules: Vec<CustomRule>,
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
    /// Path of a baseline file named in palisade.yaml, for the CLI to read and pass to `load_baseline`.
    pub baseline_file: Option<String>,
    /// Path of a gitleaks TOML file named in palisade.yaml, for the CLI to read and merge.
    pub gitleaks_config_file: Option<String>,
    /// Path of a gitleaks TOML file whose allowlists only (not rules) apply, for the CLI to
    /// read and pass to [`SecretConfig::merge_gitleaks_allowlists`].
    pub gitleaks_allowlists_file: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
struct YamlSecrets {
    rules: Vec<CustomRule>,
    allowlist: Option<AllowlistConfig>,
    allowlists: Vec<AllowlistConfig>,
    disable_rules: Vec<String>,
    only_rules: Vec<String>,
    max_file_size: Option<u64>,
    scan_binary: bool,
    skip_extensions: Vec<String>,
    baseline: Option<String>,
    report_published_examples: bool,
    gitleaks_config: Option<String>,
    gitleaks_allowlists: Option<String>,
}

impl SecretConfig {
    /// Reads the `secrets:` section of a palisade.yaml; other sections are ignored and a
    /// file without the section gives the default configuration.
    pub fn from_palisade_yaml(text: &str) -> Result<Self, ConfigError> {
        let doc: serde_yaml::Value =
            serde_yaml::from_str(text).map_err(|e| ConfigError::Yaml(e.to_string()))?;
        let section = match doc.get("secrets") {
            Some(v) if !v.is_null() => v.clone(),
            _ => return Ok(SecretConfig::default()),
        };
        let y: YamlSecrets =
            serde_yaml::from_value(section).map_err(|e| ConfigError::Yaml(e.to_string()))?;
        let mut allowlists = y.allowlists;
        allowlists.extend(y.allowlist);
        let cfg = SecretConfig {
            custom_rules: y.rules,
            allowlists,
            disabled_rules: y.disable_rules,
            only_rules: y.only_rules,
            max_file_size: y.max_file_size,
            scan_binary: y.scan_binary,
            skip_extensions: y.skip_extensions,
            baseline: HashSet::new(),
            report_published_examples: y.report_published_examples,
            baseline_file: y.baseline,
            gitleaks_config_file: y.gitleaks_config,
            gitleaks_allowlists_file: y.gitleaks_allowlists,
        };
        for r in &cfg.custom_rules {
            if r.id.trim().is_empty() {
                return Err(ConfigError::Yaml(
                    "a rule under secrets.rules has no id".into(),
                ));
            }
            if r.regex.is_none() && r.path.is_none() {
                return Err(ConfigError::Rule(
                    r.id.clone(),
                    "needs a regex or a path".into(),
                ));
            }
        }
        Ok(cfg)
    }

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
        let v: serde_json::Value =
            serde_json::from_str(json).map_err(|e| ConfigError::Baseline(e.to_string()))?;
        let items = match &v {
            serde_json::Value::Array(a) => a,
            _ => {
                return Err(ConfigError::Baseline(
                    "expected a JSON array of fingerprints".into(),
                ))
            }
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
                    return Err(ConfigError::Baseline(format!(
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
    fn yaml_section_is_read() {
        let cfg = SecretConfig::from_palisade_yaml(
            "other: 1\nsecrets:\n  max_file_size: 100\n  disable_rules: [generic-api-key]\n  allowlist:\n    paths: ['^vendor/']\n  rules:\n    - id: acme-token\n      regex: 'acme_[a-z0-9]{20}'\n      keywords: [acme_]\n      severity: HIGH\n",
        )
        .unwrap();
        assert_eq!(cfg.max_file_size, Some(100));
        assert_eq!(cfg.disabled_rules, vec!["generic-api-key"]);
        assert_eq!(cfg.allowlists[0].paths, vec!["^vendor/"]);
        assert_eq!(cfg.custom_rules[0].id, "acme-token");
        assert_eq!(cfg.custom_rules[0].severity, Some(Severity::High));
    }

    #[test]
    fn yaml_without_section_is_default_and_bad_yaml_errors() {
        let cfg = SecretConfig::from_palisade_yaml("kube: {}\n").unwrap();
        assert!(cfg.custom_rules.is_empty());
        assert!(SecretConfig::from_palisade_yaml("secrets: [").is_err());
        let err =
            SecretConfig::from_palisade_yaml("secrets:\n  rules:\n    - id: x\n").unwrap_err();
        assert!(err.to_string().contains("needs a regex or a path"), "{err}");
        assert!(SecretConfig::from_palisade_yaml("secrets:\n  bogus: 1\n").is_err());
    }

    #[test]
    fn baseline_accepts_strings_and_objects() {
        let mut cfg = SecretConfig::default();
        cfg.load_baseline(r#"["a", {"fingerprint": "b"}, {"extra": {"fingerprint": "c"}}]"#)
            .unwrap();
        assert_eq!(cfg.baseline.len(), 3);
        assert!(cfg.load_baseline("[1]").is_err());
        assert!(cfg.load_baseline("{}").is_err());
    }
}

#[cfg(test)]
mod doc_example {
    use super::SecretConfig;

    /// The palisade.yaml example in docs/secrets.md parses and builds a scanner.
    #[test]
    fn docs_example_is_valid() {
        let doc = include_str!("../../../docs/secrets.md");
        let start = doc.find("```yaml\n").expect("yaml block") + 8;
        let end = start + doc[start..].find("```").expect("end of block");
        let cfg = SecretConfig::from_palisade_yaml(&doc[start..end]).unwrap();
        assert_eq!(cfg.custom_rules[0].id, "acme-api-key");
        assert_eq!(
            cfg.gitleaks_allowlists_file.as_deref(),
            Some(".gitleaks.toml")
        );
        crate::Scanner::new(cfg).unwrap();
    }
}
