//! `palisade.yaml`: one configuration model, loaded once, for every front door. Files it
//! names (a secrets baseline, gitleaks configs, ignore files, VEX documents) are resolved
//! relative to the file itself; the capability crates receive resolved values only.

use crate::EngineError;
use palisade_core::{Scanner, Severity};
use palisade_secrets::SecretConfig;
use serde::Deserialize;
use std::path::{Path, PathBuf};

/// The file name looked for in the working directory when none is given.
pub const DEFAULT_FILE: &str = "palisade.yaml";

/// A resolved `palisade.yaml`. Every part is optional in the file; `Config::default()` is
/// what a scan uses without one.
#[derive(Debug, Clone, Default)]
pub struct Config {
    /// The file it was read from.
    pub source: Option<PathBuf>,
    pub secrets: SecretConfig,
    /// Scanners to run when the caller does not say.
    pub scanners: Option<Vec<Scanner>>,
    /// Severities to report when the caller does not say.
    pub severity: Option<Vec<Severity>>,
    /// Inline ignore entries (IDs, or `{id, purls, paths, expires, reason}` objects).
    pub ignore: palisade_suppress::IgnoreFile,
    /// Ignore files and VEX documents the file names, resolved to paths.
    pub ignore_files: Vec<PathBuf>,
    pub vex: Vec<PathBuf>,
    pub kube: palisade_kube::KubeOptions,
    pub skip_dirs: Vec<String>,
    pub skip_files: Vec<String>,
}

#[derive(Deserialize, Default)]
#[serde(default, deny_unknown_fields)]
struct File {
    secrets: Option<serde_yaml::Value>,
    scanners: Option<Vec<String>>,
    severity: Option<Vec<String>>,
    ignore: Option<serde_yaml::Value>,
    ignorefile: Option<OneOrMany>,
    vex: Option<OneOrMany>,
    kubernetes: Option<KubeSection>,
    skip_dirs: Vec<String>,
    skip_files: Vec<String>,
}

#[derive(Deserialize, Default)]
#[serde(default, deny_unknown_fields)]
struct KubeSection {
    pss_version: Option<String>,
    allowed_registries: Vec<String>,
}

#[derive(Deserialize)]
#[serde(untagged)]
enum OneOrMany {
    One(String),
    Many(Vec<String>),
}

impl OneOrMany {
    fn into_vec(self) -> Vec<String> {
        match self {
            OneOrMany::One(s) => vec![s],
            OneOrMany::Many(v) => v,
        }
    }
}

impl Config {
    /// Reads `path`; a missing or malformed file is an error naming it.
    pub fn load(path: &Path) -> Result<Config, EngineError> {
        let text = std::fs::read_to_string(path)
            .map_err(|e| EngineError::io(path.display().to_string(), e))?;
        let base = path.parent().unwrap_or(Path::new("."));
        Config::parse(&text, &path.display().to_string(), base).map(|mut c| {
            c.source = Some(path.to_path_buf());
            c
        })
    }

    /// `palisade.yaml` in `dir` if there is one, else the defaults.
    pub fn discover(dir: &Path) -> Result<Config, EngineError> {
        let p = dir.join(DEFAULT_FILE);
        if p.is_file() {
            Config::load(&p)
        } else {
            Ok(Config::default())
        }
    }

    /// Parses the text of a palisade.yaml called `name`, resolving the files it names
    /// against `base`.
    pub fn parse(text: &str, name: &str, base: &Path) -> Result<Config, EngineError> {
        let file: File = serde_yaml::from_str::<Option<File>>(text)
            .map_err(|e| EngineError::config(name, e))?
            .unwrap_or_default();
        let mut cfg = Config {
            secrets: secrets(file.secrets, name, base)?,
            ..Config::default()
        };
        if let Some(list) = file.scanners {
            let parsed = list
                .iter()
                .map(|s| s.parse::<Scanner>())
                .collect::<Result<Vec<_>, _>>()
                .map_err(|e| EngineError::config(name, format!("scanners: {e}")))?;
            cfg.scanners = Some(parsed);
        }
        if let Some(list) = file.severity {
            let parsed = list
                .iter()
                .map(|s| s.parse::<Severity>())
                .collect::<Result<Vec<_>, _>>()
                .map_err(|e| EngineError::config(name, format!("severity: {e}")))?;
            cfg.severity = Some(parsed);
        }
        if let Some(v) = file.ignore {
            cfg.ignore = palisade_suppress::IgnoreFile::from_yaml_value(name, &v)?;
        }
        let resolve = |names: Option<OneOrMany>| -> Vec<PathBuf> {
            names
                .map(OneOrMany::into_vec)
                .unwrap_or_default()
                .into_iter()
                .map(|n| base.join(n))
                .collect()
        };
        cfg.ignore_files = resolve(file.ignorefile);
        cfg.vex = resolve(file.vex);
        if let Some(k) = file.kubernetes {
            cfg.kube = palisade_kube::KubeOptions {
                pss_version: k.pss_version,
                allowed_registries: k.allowed_registries,
                ..Default::default()
            };
        }
        cfg.skip_dirs = file.skip_dirs;
        cfg.skip_files = file.skip_files;
        Ok(cfg)
    }
}

/// The `secrets:` section, with the files it names read relative to palisade.yaml.
fn secrets(
    section: Option<serde_yaml::Value>,
    name: &str,
    base: &Path,
) -> Result<SecretConfig, EngineError> {
    let Some(section) = section.filter(|v| !v.is_null()) else {
        return Ok(SecretConfig::default());
    };
    let parsed = palisade_secrets::SecretsSection::from_yaml(&section)
        .map_err(|e| EngineError::config(name, e))?;
    let files = parsed.referenced_files();
    let read = |what: &str, file: Option<&str>| -> Result<Option<String>, EngineError> {
        let Some(file) = file else { return Ok(None) };
        let path = base.join(file);
        std::fs::read_to_string(&path)
            .map(Some)
            .map_err(|e| EngineError::Config {
                path: path.display().to_string(),
                message: format!("cannot read the {what} named in {name}: {e}"),
            })
    };
    let baseline = read("secrets baseline", files.baseline)?;
    let gitleaks_config = read("gitleaks config", files.gitleaks_config)?;
    let gitleaks_allowlists = read("gitleaks allowlists", files.gitleaks_allowlists)?;
    let texts = palisade_secrets::ReferencedTexts {
        baseline: baseline.as_deref(),
        gitleaks_config: gitleaks_config.as_deref(),
        gitleaks_allowlists: gitleaks_allowlists.as_deref(),
    };
    parsed
        .resolve(texts)
        .map_err(|e| EngineError::config(name, e))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_section_is_read_and_files_resolve_against_the_config_dir() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("baseline.json"), "[\"abc\"]").unwrap();
        let text = "scanners: [vuln, config]\nseverity: [HIGH, critical]\nignore:\n  - CVE-2023-1\n  - {id: DL3008, paths: [app/]}\nignorefile: extra.ignore\nvex: [a.vex.json]\nkubernetes:\n  pss_version: v1.29\n  allowed_registries: [ghcr.io]\nskip_dirs: [testdata]\nsecrets:\n  baseline: baseline.json\n";
        let cfg = Config::parse(text, "palisade.yaml", dir.path()).unwrap();
        assert_eq!(cfg.scanners, Some(vec![Scanner::Vuln, Scanner::Misconfig]));
        assert_eq!(cfg.severity, Some(vec![Severity::High, Severity::Critical]));
        assert_eq!(cfg.ignore.rules.len(), 2);
        assert_eq!(cfg.ignore_files, vec![dir.path().join("extra.ignore")]);
        assert_eq!(cfg.vex, vec![dir.path().join("a.vex.json")]);
        assert_eq!(cfg.kube.pss_version.as_deref(), Some("v1.29"));
        assert_eq!(cfg.skip_dirs, vec!["testdata"]);
        assert!(cfg.secrets.baseline.contains("abc"));
    }

    #[test]
    fn mistakes_are_errors_naming_the_file() {
        let dir = tempfile::tempdir().unwrap();
        for bad in [
            "scanner: [vuln]\n",
            "scanners: [licence]\n",
            "severity: [URGENT]\n",
            "secrets:\n  baseline: missing.json\n",
            "secrets: [\n",
        ] {
            let err = Config::parse(bad, "my.yaml", dir.path()).unwrap_err();
            assert!(err.to_string().contains("my.yaml"), "{bad:?}: {err}");
        }
        assert!(Config::parse("", "empty.yaml", dir.path()).is_ok());
    }

    /// The example in docs/configuration.md is a valid palisade.yaml.
    #[test]
    fn documented_example_parses() {
        let doc = include_str!("../../../docs/configuration.md");
        let start = doc.find("```yaml\n").expect("yaml block") + 8;
        let end = start + doc[start..].find("```").expect("end of block");
        let cfg = Config::parse(&doc[start..end], "configuration.md", Path::new("/x")).unwrap();
        assert_eq!(cfg.scanners.as_ref().map(Vec::len), Some(3));
        assert_eq!(cfg.ignore.rules.len(), 2);
        assert_eq!(cfg.vex, vec![PathBuf::from("/x/vex/app.openvex.json")]);
        assert_eq!(cfg.kube.allowed_registries.len(), 2);
        assert_eq!(cfg.secrets.allowlists.len(), 1);
    }
}
