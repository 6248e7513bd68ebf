//! Secret scanning wiring: a visitor that sees every file of every layer while it streams,
//! then annotates findings in files that later layers deleted or replaced.

use anyhow::{Context, Result};
use palisade_core::{Finding, LayerRef};
use palisade_image::{FileVisit, FileVisitor, LayeredFs, Removal};
use palisade_secrets::{ReferencedTexts, Scanner, SecretConfig, SecretsSection};
use std::path::Path;
use std::sync::Mutex;

/// `palisade.yaml` (its `secrets:` section) in the working directory, if present.
pub fn scanner(config: Option<&Path>) -> Result<Scanner> {
    let default = Path::new("palisade.yaml");
    let path = config.or_else(|| default.is_file().then_some(default));
    let cfg = match path {
        Some(p) => {
            let text =
                std::fs::read_to_string(p).with_context(|| format!("reading {}", p.display()))?;
            let section = SecretsSection::from_palisade_yaml(&text)
                .with_context(|| format!("{}", p.display()))?;
            resolve(section, p)?
        }
        None => SecretConfig::default(),
    };
    Scanner::new(cfg).context("building the secret scanner")
}

/// Reads the files palisade.yaml names (baseline, gitleaks config, gitleaks allowlists),
/// relative to the directory of palisade.yaml itself.
fn resolve(section: SecretsSection, config: &Path) -> Result<SecretConfig> {
    let base = config.parent().unwrap_or(Path::new("."));
    let read = |name: Option<&str>| {
        name.map(|name| {
            let path = base.join(name);
            std::fs::read_to_string(&path).with_context(|| {
                format!("reading {} (named in the secrets config)", path.display())
            })
        })
        .transpose()
    };
    let files = section.referenced_files();
    let (baseline, gitleaks_config, gitleaks_allowlists) = (
        read(files.baseline)?,
        read(files.gitleaks_config)?,
        read(files.gitleaks_allowlists)?,
    );
    let texts = ReferencedTexts {
        baseline: baseline.as_deref(),
        gitleaks_config: gitleaks_config.as_deref(),
        gitleaks_allowlists: gitleaks_allowlists.as_deref(),
    };
    section
        .resolve(texts)
        .with_context(|| format!("{}", config.display()))
}

pub struct SecretVisitor<'a> {
    pub scanner: &'a Scanner,
    /// (layer that added the file, finding)
    pub found: Mutex<Vec<(usize, Finding)>>,
    pub image: bool,
}

impl FileVisitor for SecretVisitor<'_> {
    fn wants(&self, path: &str, size: u64) -> bool {
        self.scanner.wants(path, size)
    }

    fn visit(&self, file: &FileVisit<'_>) {
        let findings = self.scanner.scan(file.path, file.content);
        if findings.is_empty() {
            return;
        }
        let layer: Option<LayerRef> = self.image.then(|| file.layer.clone());
        let mut out = self.found.lock().unwrap_or_else(|e| e.into_inner());
        for mut f in findings {
            f.location.layer = layer.clone();
            out.push((file.layer.index, f));
        }
    }
}

impl<'a> SecretVisitor<'a> {
    pub fn new(scanner: &'a Scanner, image: bool) -> Self {
        SecretVisitor {
            scanner,
            found: Mutex::default(),
            image,
        }
    }

    /// Findings, with what happened to their file in later layers spelled out.
    pub fn finish(self, fs: &LayeredFs) -> Vec<Finding> {
        let found = self.found.into_inner().unwrap_or_else(|e| e.into_inner());
        let mut out = Vec::with_capacity(found.len());
        for (layer, mut f) in found {
            if self.image {
                let path = f.location.path.clone().unwrap_or_default();
                let describe = |i: usize| {
                    let created = fs
                        .layer(i)
                        .and_then(|l| l.created_by.clone())
                        .unwrap_or_default();
                    format!(
                        "layer {i} ({})",
                        created.chars().take(60).collect::<String>()
                    )
                };
                match fs.fate(&path, layer) {
                    Some(Removal::Deleted { by_layer }) => {
                        f.message = format!(
                            "{} — file deleted in {}, still recoverable from layer {layer}",
                            f.message,
                            describe(by_layer)
                        );
                        f.extra.insert("deleted_in_layer".into(), by_layer.into());
                    }
                    Some(Removal::Replaced { by_layer }) => {
                        f.message = format!(
                            "{} — file replaced in {}, old version recoverable from layer {layer}",
                            f.message,
                            describe(by_layer)
                        );
                        f.extra.insert("replaced_in_layer".into(), by_layer.into());
                    }
                    None => {}
                }
            }
            out.push(f);
        }
        out.sort_by(|a, b| {
            (&a.location.path, a.location.layer.as_ref().map(|l| l.index))
                .cmp(&(&b.location.path, b.location.layer.as_ref().map(|l| l.index)))
        });
        out
    }
}

/// `palisade repo PATH`: every commit's added lines.
pub fn repo(args: &crate::cli::RepoArgs) -> Result<i32> {
    let scanner = scanner(args.secret_config.as_deref())?;
    let spin = crate::progress::spinner(args.common.quiet, "scanning git history");
    let scan = palisade_secrets::scan_repo(&scanner, &args.path)?;
    spin.finish_and_clear();
    let mut tr = palisade_core::TargetReport::new(palisade_core::Target {
        kind: palisade_core::TargetKind::Repository,
        name: args.path.display().to_string(),
    });
    tr.findings = scan.findings;
    tr.errors = scan.errors;
    let mut report =
        palisade_core::Report::new(env!("CARGO_PKG_VERSION"), crate::output::now_rfc3339());
    report.results.push(tr);
    crate::suppress::apply_all(&mut report, &args.common, &[])?;
    crate::output::emit(report, &args.common)
}
