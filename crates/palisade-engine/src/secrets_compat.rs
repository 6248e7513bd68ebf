//! TEMPORARY: the resolved-config API of palisade-secrets, over its current file-name API,
//! until the secrets crate provides `SecretsSection` itself.

use palisade_secrets::{ConfigError, SecretConfig};

pub struct SecretsSection(SecretConfig);

pub struct ReferencedFiles<'a> {
    pub baseline: Option<&'a str>,
    pub gitleaks_config: Option<&'a str>,
    pub gitleaks_allowlists: Option<&'a str>,
}

#[derive(Default)]
pub struct ReferencedTexts {
    pub baseline: Option<String>,
    pub gitleaks_config: Option<String>,
    pub gitleaks_allowlists: Option<String>,
}

impl SecretsSection {
    pub fn from_yaml(value: &serde_yaml::Value) -> Result<SecretsSection, ConfigError> {
        let mut m = serde_yaml::Mapping::new();
        m.insert("secrets".into(), value.clone());
        let text = serde_yaml::to_string(&m).map_err(|e| ConfigError::Yaml(e.to_string()))?;
        SecretConfig::from_palisade_yaml(&text).map(SecretsSection)
    }

    pub fn referenced_files(&self) -> ReferencedFiles<'_> {
        ReferencedFiles {
            baseline: self.0.baseline_file.as_deref(),
            gitleaks_config: self.0.gitleaks_config_file.as_deref(),
            gitleaks_allowlists: self.0.gitleaks_allowlists_file.as_deref(),
        }
    }

    pub fn resolve(self, texts: ReferencedTexts) -> Result<SecretConfig, ConfigError> {
        let mut cfg = self.0;
        if let Some(t) = texts.baseline {
            cfg.load_baseline(&t)?;
        }
        if let Some(t) = texts.gitleaks_config {
            cfg.merge_gitleaks_toml(&t)?;
        }
        if let Some(t) = texts.gitleaks_allowlists {
            cfg.merge_gitleaks_allowlists(&t)?;
        }
        Ok(cfg)
    }
}
