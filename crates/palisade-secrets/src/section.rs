//! The `secrets:` section of palisade.yaml: parsed here, resolved into a [`SecretConfig`]
//! once the caller has read the files it names. This crate never opens a file itself.

use crate::config::{AllowlistConfig, SecretConfig};
use crate::error::{ConfigError, ConfigInput};
use crate::spec::{check_rules, RuleSpec};
use serde::Deserialize;

/// The `secrets:` section of palisade.yaml, parsed but not resolved.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct SecretsSection {
    rules: Vec<RuleSpec>,
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

/// Files a section names, as written (relative to palisade.yaml), for the caller to read.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ReferencedFiles<'a> {
    pub baseline: Option<&'a str>,
    pub gitleaks_config: Option<&'a str>,
    pub gitleaks_allowlists: Option<&'a str>,
}

/// The texts of the [`ReferencedFiles`]. A text is applied whether or not the section names
/// its file, so a front door may also supply one of its own (a `--baseline` flag).
#[derive(Debug, Clone, Copy, Default)]
pub struct ReferencedTexts<'a> {
    /// JSON: fingerprints, or findings of an earlier report.
    pub baseline: Option<&'a str>,
    /// gitleaks TOML whose rules and allowlists are added.
    pub gitleaks_config: Option<&'a str>,
    /// gitleaks TOML whose allowlists only apply, to the built-in rules.
    pub gitleaks_allowlists: Option<&'a str>,
}

impl SecretsSection {
    /// `value` is the section itself (the value under `secrets:`); null means the defaults.
    /// Unknown keys, rules without an ID, without a regex or path, or naming an unknown
    /// validator are errors; regexes are compiled later, by [`crate::Scanner::new`].
    pub fn from_yaml(value: &serde_yaml::Value) -> Result<SecretsSection, ConfigError> {
        if value.is_null() {
            return Ok(SecretsSection::default());
        }
        let section = SecretsSection::deserialize(value).map_err(|e| ConfigError::Parse {
            input: ConfigInput::Section,
            message: e.to_string(),
        })?;
        check_rules(&section.rules, ConfigInput::Section)?;
        Ok(section)
    }

    /// Reads the `secrets:` key of a whole palisade.yaml text (absent means the defaults);
    /// for front doors that do not load the document through the engine yet.
    pub fn from_palisade_yaml(text: &str) -> Result<SecretsSection, ConfigError> {
        let doc: serde_yaml::Value =
            serde_yaml::from_str(text).map_err(|e| ConfigError::Parse {
                input: ConfigInput::Section,
                message: e.to_string(),
            })?;
        match doc.get("secrets") {
            Some(section) => Self::from_yaml(section),
            None => Ok(SecretsSection::default()),
        }
    }

    pub fn referenced_files(&self) -> ReferencedFiles<'_> {
        ReferencedFiles {
            baseline: self.baseline.as_deref(),
            gitleaks_config: self.gitleaks_config.as_deref(),
            gitleaks_allowlists: self.gitleaks_allowlists.as_deref(),
        }
    }

    /// Builds the configuration; every file the section names must have its text in `texts`.
    pub fn resolve(self, texts: ReferencedTexts<'_>) -> Result<SecretConfig, ConfigError> {
        let named = [
            (ConfigInput::Baseline, &self.baseline, texts.baseline),
            (
                ConfigInput::GitleaksConfig,
                &self.gitleaks_config,
                texts.gitleaks_config,
            ),
            (
                ConfigInput::GitleaksAllowlists,
                &self.gitleaks_allowlists,
                texts.gitleaks_allowlists,
            ),
        ];
        for (input, name, text) in named {
            if let (Some(name), None) = (name, text) {
                return Err(ConfigError::MissingText {
                    input,
                    name: name.clone(),
                });
            }
        }
        let mut allowlists = self.allowlists;
        allowlists.extend(self.allowlist);
        let mut cfg = SecretConfig {
            custom_rules: self.rules,
            allowlists,
            disabled_rules: self.disable_rules,
            only_rules: self.only_rules,
            max_file_size: self.max_file_size,
            scan_binary: self.scan_binary,
            skip_extensions: self.skip_extensions,
            report_published_examples: self.report_published_examples,
            ..SecretConfig::default()
        };
        if let Some(text) = texts.baseline {
            cfg.load_baseline(text)?;
        }
        if let Some(text) = texts.gitleaks_config {
            cfg.merge_gitleaks_toml(text)?;
        }
        if let Some(text) = texts.gitleaks_allowlists {
            cfg.merge_gitleaks_allowlists(text)?;
        }
        Ok(cfg)
    }
}

#[cfg(test)]
mod tests;
