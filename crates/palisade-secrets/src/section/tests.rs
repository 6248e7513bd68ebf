use super::*;
use palisade_core::Severity;

fn section(yaml: &str) -> Result<SecretsSection, ConfigError> {
    SecretsSection::from_palisade_yaml(yaml)
}

#[test]
fn yaml_section_is_read() {
    let cfg = section(
        "other: 1\nsecrets:\n  max_file_size: 100\n  disable_rules: [generic-api-key]\n  allowlist:\n    paths: ['^vendor/']\n  rules:\n    - id: acme-token\n      regex: 'acme_[a-z0-9]{20}'\n      keywords: [acme_]\n      severity: HIGH\n",
    )
    .unwrap()
    .resolve(ReferencedTexts::default())
    .unwrap();
    assert_eq!(cfg.max_file_size, Some(100));
    assert_eq!(cfg.disabled_rules, vec!["generic-api-key"]);
    assert_eq!(cfg.allowlists[0].paths, vec!["^vendor/"]);
    assert_eq!(cfg.custom_rules[0].id, "acme-token");
    assert_eq!(cfg.custom_rules[0].severity, Some(Severity::High));
}

#[test]
fn yaml_without_section_is_default_and_bad_yaml_errors() {
    let cfg = section("kube: {}\n")
        .unwrap()
        .resolve(ReferencedTexts::default())
        .unwrap();
    assert!(cfg.custom_rules.is_empty());
    assert!(SecretsSection::from_yaml(&serde_yaml::Value::Null).is_ok());
    assert!(section("secrets: [").is_err());
    let err = section("secrets:\n  rules:\n    - id: x\n").unwrap_err();
    assert!(err.to_string().contains("needs a regex or a path"), "{err}");
    assert!(matches!(err, ConfigError::Rule { ref rule, .. } if rule == "x"));
    let err = section("secrets:\n  bogus: 1\n").unwrap_err();
    assert!(
        matches!(
            err,
            ConfigError::Parse {
                input: ConfigInput::Section,
                ..
            }
        ),
        "{err}"
    );
}

#[test]
fn referenced_files_must_be_supplied() {
    let s =
        section("secrets:\n  baseline: b.json\n  gitleaks_allowlists: .gitleaks.toml\n").unwrap();
    assert_eq!(
        s.referenced_files(),
        ReferencedFiles {
            baseline: Some("b.json"),
            gitleaks_config: None,
            gitleaks_allowlists: Some(".gitleaks.toml"),
        }
    );
    let err = s.clone().resolve(ReferencedTexts::default()).unwrap_err();
    assert!(
        matches!(&err, ConfigError::MissingText { input: ConfigInput::Baseline, name } if name == "b.json"),
        "{err}"
    );
    let err = s
        .clone()
        .resolve(ReferencedTexts {
            baseline: Some("[\"fp\"]"),
            gitleaks_allowlists: Some("[allowlist]\nregexTarget = \"bogus\"\n"),
            ..Default::default()
        })
        .unwrap_err();
    assert!(
        matches!(
            err,
            ConfigError::Parse {
                input: ConfigInput::GitleaksAllowlists,
                ..
            }
        ),
        "{err}"
    );
    let cfg = s
        .resolve(ReferencedTexts {
            baseline: Some("[\"fp\"]"),
            gitleaks_allowlists: Some("[allowlist]\nstopwords = [\"dummy\"]\n"),
            ..Default::default()
        })
        .unwrap();
    assert!(cfg.baseline.contains("fp"));
    assert_eq!(cfg.allowlists[0].stopwords, vec!["dummy"]);
}

#[test]
fn unnamed_texts_still_apply() {
    let cfg = SecretsSection::default()
        .resolve(ReferencedTexts {
            baseline: Some("[\"fp\"]"),
            ..Default::default()
        })
        .unwrap();
    assert!(cfg.baseline.contains("fp"));
}

/// The palisade.yaml example in docs/secrets.md parses, resolves and builds a scanner.
#[test]
fn docs_example_is_valid() {
    let doc = include_str!("../../../../docs/secrets.md");
    let start = doc.find("```yaml\n").expect("yaml block") + 8;
    let end = start + doc[start..].find("```").expect("end of block");
    let value: serde_yaml::Value = serde_yaml::from_str(&doc[start..end]).unwrap();
    let s = SecretsSection::from_yaml(&value["secrets"]).unwrap();
    let files = s.referenced_files();
    assert_eq!(files.baseline, Some("secrets-baseline.json"));
    assert_eq!(files.gitleaks_allowlists, Some(".gitleaks.toml"));
    let cfg = s
        .resolve(ReferencedTexts {
            baseline: Some("[]"),
            gitleaks_config: Some(""),
            gitleaks_allowlists: Some(""),
        })
        .unwrap();
    assert_eq!(cfg.custom_rules[0].id, "acme-api-key");
    crate::Scanner::new(cfg).unwrap();
}

/// The rule example in docs/secrets.md (the block after "## Rules") loads and its test
/// cases behave.
#[test]
fn docs_rule_example_is_valid() {
    let doc = include_str!("../../../../docs/secrets.md");
    let rules = &doc[doc.find("\n## Rules").expect("rules section")..];
    let start = rules.find("```yaml\n").expect("yaml block") + 8;
    let end = start + rules[start..].find("```").expect("end of block");
    let text = format!("secrets:\n  only_rules: [acme-api-key]\n  rules:\n{}", {
        rules[start..end]
            .lines()
            .map(|l| format!("    {l}\n"))
            .collect::<String>()
    });
    let s = SecretsSection::from_palisade_yaml(&text).unwrap();
    let spec = s.rules[0].clone();
    assert!(spec.why().is_some_and(|w| w.contains("the Acme account")));
    let scanner = crate::Scanner::new(s.resolve(ReferencedTexts::default()).unwrap()).unwrap();
    for tp in &spec.tests.true_positives {
        assert_eq!(scanner.scan("app/.env", tp.as_bytes()).len(), 1, "{tp}");
    }
    for fp in &spec.tests.false_positives {
        assert!(scanner.scan("app/.env", fp.as_bytes()).is_empty(), "{fp}");
    }
}
