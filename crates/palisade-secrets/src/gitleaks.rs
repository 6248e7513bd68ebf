//! Import of gitleaks TOML configs into [`SecretConfig`].

use crate::config::{AllowlistConfig, RegexTarget, SecretConfig};
use crate::error::{ConfigError, ConfigInput};
use crate::spec::{check_rules, RuleSpec};
use serde::Deserialize;

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct GlConfig {
    rules: Vec<GlRule>,
    allowlist: Option<GlAllowlist>,
    allowlists: Vec<GlAllowlist>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
struct GlRule {
    id: String,
    description: Option<String>,
    regex: Option<String>,
    secret_group: Option<usize>,
    entropy: Option<f32>,
    keywords: Vec<String>,
    path: Option<String>,
    allowlist: Option<GlAllowlist>,
    allowlists: Vec<GlAllowlist>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
struct GlAllowlist {
    description: Option<String>,
    condition: Option<String>,
    commits: Vec<String>,
    paths: Vec<String>,
    regex_target: Option<String>,
    regexes: Vec<String>,
    stopwords: Vec<String>,
    target_rules: Vec<String>,
}

fn convert(a: GlAllowlist, input: ConfigInput) -> Result<AllowlistConfig, ConfigError> {
    let regex_target = match a
        .regex_target
        .as_deref()
        .map(str::to_ascii_lowercase)
        .as_deref()
    {
        None | Some("") | Some("secret") => RegexTarget::Secret,
        Some("match") => RegexTarget::Match,
        Some("line") => RegexTarget::Line,
        Some(other) => {
            return Err(ConfigError::Parse {
                input,
                message: format!("unknown allowlist regexTarget {other:?}"),
            })
        }
    };
    Ok(AllowlistConfig {
        description: a.description,
        paths: a.paths,
        regexes: a.regexes,
        regex_target,
        stopwords: a.stopwords,
        commits: a.commits,
        condition: a.condition,
        target_rules: a.target_rules,
    })
}

/// Parses the config and adds its global allowlists; the rules are left to the caller.
fn parse_with_globals(
    cfg: &mut SecretConfig,
    text: &str,
    input: ConfigInput,
) -> Result<Vec<GlRule>, ConfigError> {
    let gl: GlConfig = toml::from_str(text).map_err(|e| ConfigError::Parse {
        input,
        message: e.to_string(),
    })?;
    for a in gl.allowlist.into_iter().chain(gl.allowlists) {
        cfg.allowlists.push(convert(a, input)?);
    }
    Ok(gl.rules)
}

pub(crate) fn merge(cfg: &mut SecretConfig, text: &str) -> Result<(), ConfigError> {
    let input = ConfigInput::GitleaksConfig;
    let mut rules = Vec::new();
    for r in parse_with_globals(cfg, text, input)? {
        let mut allowlists = Vec::new();
        for a in r.allowlist.into_iter().chain(r.allowlists) {
            allowlists.push(convert(a, input)?);
        }
        rules.push(RuleSpec {
            id: r.id,
            title: r.description.clone(),
            description: r.description,
            regex: r.regex,
            secret_group: r.secret_group,
            entropy: r.entropy,
            keywords: r.keywords,
            path: r.path,
            allowlists,
            ..RuleSpec::default()
        });
    }
    check_rules(&rules, input)?;
    for r in rules {
        cfg.custom_rules.retain(|c| c.id != r.id);
        cfg.custom_rules.push(r);
    }
    Ok(())
}

pub(crate) fn merge_allowlists(cfg: &mut SecretConfig, text: &str) -> Result<(), ConfigError> {
    let input = ConfigInput::GitleaksAllowlists;
    for r in parse_with_globals(cfg, text, input)? {
        for a in r.allowlist.into_iter().chain(r.allowlists) {
            let mut a = convert(a, input)?;
            // The scanner maps a gitleaks rule ID to the built-in rule that answers to it.
            a.target_rules = vec![r.id.clone()];
            cfg.allowlists.push(a);
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    const SAMPLE: &str = r#"
title = "custom"
[extend]
useDefault = true

[[rules]]
id = "acme-api-key"
description = "Acme API key"
regex = '''acme_([a-z0-9]{24})'''
secretGroup = 1
entropy = 3.0
keywords = ["acme_"]
[rules.allowlist]
regexTarget = "line"
regexes = ['''fixture''']
stopwords = ["dummy"]

[[rules]]
id = "p12"
path = '''\.p12$'''

[allowlist]
description = "global"
paths = ['''(^|/)testdata/''']
"#;

    #[test]
    fn rules_and_allowlists_are_imported() {
        let mut cfg = SecretConfig::default();
        merge(&mut cfg, SAMPLE).unwrap();
        assert_eq!(cfg.custom_rules.len(), 2);
        let r = &cfg.custom_rules[0];
        assert_eq!(r.secret_group, Some(1));
        assert_eq!(r.allowlists[0].regex_target, RegexTarget::Line);
        assert_eq!(r.allowlists[0].stopwords, vec!["dummy"]);
        assert_eq!(cfg.allowlists[0].paths, vec![r"(^|/)testdata/"]);
        // Importing twice replaces rather than duplicates.
        merge(&mut cfg, SAMPLE).unwrap();
        assert_eq!(cfg.custom_rules.len(), 2);
    }

    #[test]
    fn allowlists_only_import_keeps_rules_out() {
        let mut cfg = SecretConfig::default();
        merge_allowlists(&mut cfg, SAMPLE).unwrap();
        assert!(cfg.custom_rules.is_empty());
        assert_eq!(cfg.allowlists.len(), 2);
        assert_eq!(cfg.allowlists[1].target_rules, vec!["acme-api-key"]);
        assert_eq!(cfg.allowlists[1].stopwords, vec!["dummy"]);
    }

    #[test]
    fn broken_configs_are_errors() {
        let mut cfg = SecretConfig::default();
        assert!(merge(&mut cfg, "[[rules]]\nid = 3").is_err());
        let err = merge(&mut cfg, "[[rules]]\nid = \"x\"\n").unwrap_err();
        assert!(
            matches!(err, ConfigError::Rule { ref rule, .. } if rule == "x"),
            "{err}"
        );
        let err = merge(&mut cfg, "[[rules]]\nregex = \"y\"\n").unwrap_err();
        assert!(
            matches!(
                err,
                ConfigError::MissingRuleId {
                    input: ConfigInput::GitleaksConfig,
                    index: 1
                }
            ),
            "{err}"
        );
        assert!(merge(&mut cfg, "[allowlist]\nregexTarget = \"bogus\"\n").is_err());
    }
}
