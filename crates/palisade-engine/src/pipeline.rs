//! The one scan pipeline: target → reader → facts → analyzers → findings → suppression.
//! Every target kind shares [`Analyzers`]; only the reading differs (`targets/`).

use crate::classify;
use crate::misconfig::{self, ConfigFiles};
use crate::request::{ScanRequest, Target};
use crate::secrets::SecretVisitor;
use crate::visitors::Visitors;
use crate::{suppression, targets, EngineError};
use palisade_core::{Report, ScanError, Scanner, TargetKind, TargetReport};
use palisade_image::LayeredFs;
use std::collections::BTreeSet;
use std::sync::atomic::Ordering;
use std::sync::{Arc, Mutex};

pub(crate) fn run(mut req: ScanRequest) -> Result<Report, EngineError> {
    let loaded = suppression::load(&req.suppressions, &req.config)?;
    merge_config(&mut req);
    let progress = req.progress.clone();
    let req_max_findings = req.max_findings;
    // The analyzers build the secret scanner (trees do it while they walk); masking uses the
    // same one afterwards — the scan's own rules, the user's allowlists included.
    let built = req.secret_scanner.clone();
    let result = match req.target.clone() {
        Target::Image(_) | Target::Registry(_) => targets::image::scan(req),
        Target::Rootfs(p) => targets::tree::scan(req, &p, TargetKind::Rootfs),
        Target::Filesystem(p) => targets::tree::scan(req, &p, TargetKind::Filesystem),
        Target::Config(p) => targets::config::scan_path(req, &p),
        Target::ConfigText { name, text } => targets::config::scan_text(req, &name, text),
        Target::Repository(p) => targets::repo::scan(req, &p),
    };
    if let Some(p) = &progress {
        p.finish();
    }
    let mut tr = result?;
    suppression::apply(&loaded, &mut tr);
    cap_findings(&mut tr, req_max_findings);
    match built.get() {
        Some(s) => crate::mask::report(s, &mut tr),
        None => {
            if let Some(s) = crate::mask::default_scanner() {
                crate::mask::report(s, &mut tr);
            }
        }
    }
    let mut report = Report::new(crate::VERSION, now_rfc3339());
    report.results.push(tr);
    Ok(report)
}

/// Keeps the `max` most severe findings (in their order) and counts the rest in a warning.
fn cap_findings(tr: &mut TargetReport, max: usize) {
    let dropped = palisade_core::keep_most_severe(&mut tr.findings, max, |f| f.severity);
    if dropped == 0 {
        return;
    }
    tr.errors.push(ScanError::limit_exceeded(
        tr.target.name.clone(),
        format!(
            "{dropped} more findings not reported: the limit is {max} per target, the most severe are kept"
        ),
    ));
}

/// palisade.yaml fills what the caller left unset; the caller's own choices win.
fn merge_config(req: &mut ScanRequest) {
    let cfg = &req.config;
    if req.kube.pss_version.is_none() {
        req.kube.pss_version = cfg.kube.pss_version.clone();
    }
    if req.kube.allowed_registries.is_empty() {
        req.kube.allowed_registries = cfg.kube.allowed_registries.clone();
    }
    req.skip.dirs.extend(cfg.skip_dirs.iter().cloned());
    req.skip.files.extend(cfg.skip_files.iter().cloned());
}

/// The scanners that run: the caller's, else palisade.yaml's, else the target's default.
pub(crate) fn scanners(req: &ScanRequest) -> BTreeSet<Scanner> {
    match &req.target {
        Target::Config(_) | Target::ConfigText { .. } => [Scanner::Misconfig].into(),
        Target::Repository(_) => [Scanner::Secret].into(),
        _ => req
            .scanners
            .clone()
            .or_else(|| {
                req.config
                    .scanners
                    .as_ref()
                    .map(|s| s.iter().copied().collect())
            })
            .unwrap_or_else(|| [Scanner::Vuln, Scanner::Secret].into()),
    }
}

/// Only configuration files are wanted: third-party trees need not even be walked. Decided
/// from the request alone (the scanners [`Analyzers::new`] builds), so that the walk can
/// start before the analyzers are built.
pub(crate) fn config_only(req: &ScanRequest) -> bool {
    let scanners = scanners(req);
    let packages = cfg!(feature = "packages") && wants_packages(req, &scanners);
    !packages && !scanners.contains(&Scanner::Secret)
}

/// The inventory runs when asked for (SBOMs, `--list-all-pkgs`) or for the vulnerability
/// scanner.
impl palisade_image::KeepRules for Analyzers {
    fn max_size(&self, path: &str, size: u64) -> Option<u64> {
        #[cfg(feature = "packages")]
        if let Some(inv) = &self.inventory {
            return inv.max_size(path, size);
        }
        let _ = (path, size);
        None
    }

    fn wants_head(&self, path: &str, size: u64, head: &[u8]) -> bool {
        if self.kept_as_text(path) {
            return true;
        }
        #[cfg(feature = "packages")]
        if let Some(inv) = &self.inventory {
            return inv.wants_head(path, size, head);
        }
        let _ = (size, head);
        true
    }
}

fn wants_packages(req: &ScanRequest, scanners: &BTreeSet<Scanner>) -> bool {
    req.packages || scanners.contains(&Scanner::Vuln)
}

/// The analyzers one target needs, built once from the request.
pub(crate) struct Analyzers {
    pub kind: TargetKind,
    pub scanners: BTreeSet<Scanner>,
    #[cfg(feature = "packages")]
    inventory: Option<crate::packages::Inventory>,
    pub secrets: Option<Arc<palisade_secrets::Scanner>>,
    /// `secrets.scan_binary` of the configuration the scanner was built from.
    scan_binary: bool,
    /// Configuration files too big to check, seen by `keep` while the tree streams by.
    oversized: Mutex<Vec<(String, u64)>>,
}

impl Analyzers {
    pub fn new(req: &ScanRequest, kind: TargetKind) -> Result<Analyzers, EngineError> {
        let scanners = scanners(req);
        let secrets = match (
            req.secret_scanner.get(),
            scanners.contains(&Scanner::Secret),
        ) {
            (Some(s), true) => Some(s.clone()),
            (None, true) => {
                let s = Arc::new(secret_scanner(req)?);
                // A second builder (there is none today) would lose the race harmlessly.
                let _ = req.secret_scanner.set(s.clone());
                Some(s)
            }
            (_, false) => None,
        };
        #[cfg(feature = "packages")]
        let inventory = wants_packages(req, &scanners).then(crate::packages::Inventory::new);
        Ok(Analyzers {
            kind,
            scanners,
            #[cfg(feature = "packages")]
            inventory,
            secrets,
            scan_binary: req.config.secrets.scan_binary,
            oversized: Mutex::default(),
        })
    }

    pub fn misconfig(&self) -> bool {
        self.scanners.contains(&Scanner::Misconfig)
    }

    pub fn packages(&self) -> bool {
        #[cfg(feature = "packages")]
        return self.inventory.is_some();
        #[cfg(not(feature = "packages"))]
        false
    }

    /// Whether a file's content must be kept once read: package databases, lockfiles,
    /// OS release files, configuration files.
    pub fn keep(&self, path: &str, size: u64) -> bool {
        #[cfg(feature = "packages")]
        if let Some(inv) = &self.inventory {
            if palisade_inventory::os::RELEASE_FILES.contains(&path) || inv.wants(path, size) {
                return true;
            }
        }
        if !self.misconfig() || !classify::is_config_path(self.kind, path) {
            return false;
        }
        if size > classify::MAX_CONFIG_FILE {
            let mut big = self.oversized.lock().unwrap_or_else(|e| e.into_inner());
            big.push((path.to_string(), size));
            return false;
        }
        true
    }

    /// Kept for the configuration checks or OS detection, whatever its content.
    fn kept_as_text(&self, path: &str) -> bool {
        #[cfg(feature = "packages")]
        if palisade_inventory::os::RELEASE_FILES.contains(&path) {
            return true;
        }
        self.misconfig() && classify::is_config_path(self.kind, path)
    }

    /// What sees files as they stream by: the secret scanner and the detectors that need
    /// nothing but the file.
    pub fn visitor(&self) -> Visitors<'_> {
        let image = self.kind == TargetKind::Image;
        Visitors {
            secrets: self
                .secrets
                .as_deref()
                .map(|s| SecretVisitor::new(s, image, self.scan_binary)),
            #[cfg(feature = "packages")]
            streamed: self
                .inventory
                .as_ref()
                .map(|inv| crate::early::StreamedInventory::new(inv, image)),
        }
    }

    /// Packages, configuration findings and secrets of a read tree; `before_files` runs
    /// between the inventory and the file analyzers (image-config checks).
    pub fn analyze(
        &self,
        req: &ScanRequest,
        fs: &LayeredFs,
        visitor: Visitors<'_>,
        tr: &mut TargetReport,
    ) -> Result<Facts, EngineError> {
        let mut facts = Facts::default();
        tr.errors.extend(fs.warnings.iter().cloned());
        #[cfg(feature = "packages")]
        if let Some(inv) = &self.inventory {
            stage(req, "detecting packages");
            let os = palisade_inventory::os::detect_os(&|p: &str| fs.read(p).map(<[u8]>::to_vec));
            let streamed = visitor.streamed.map(|s| s.finish(fs)).unwrap_or_default();
            let (packages, errors, read) = inv.detect(fs, os.as_ref(), streamed);
            facts.package_files = read;
            tr.packages = packages;
            tr.errors.extend(errors);
            tr.os = os;
        }
        if self.misconfig() {
            let mut files = ConfigFiles::default();
            for (path, node, content) in fs.files_with_content() {
                if classify::wants_config(self.kind, path, node.size) {
                    files.push_found(path, content);
                }
            }
            facts.config_files = files.dockerfiles.len() + files.manifests.len();
            let mut big = self.oversized.lock().unwrap_or_else(|e| e.into_inner());
            big.sort();
            big.dedup();
            for (path, size) in big.drain(..) {
                tr.errors.push(ScanError::new(
                    path,
                    format!(
                        "not checked: {size} bytes, over the {} MiB limit for configuration files",
                        classify::MAX_CONFIG_FILE >> 20
                    ),
                ));
            }
            misconfig::scan(&files, req, tr)?;
        }
        if let Some(v) = visitor.secrets {
            facts.secret_files = v.files.load(Ordering::Relaxed);
            tr.findings.extend(v.finish(fs));
        }
        Ok(facts)
    }

    /// A directory where no analyzer found anything to read says so, instead of looking clean.
    pub fn note_if_nothing_read(&self, facts: &Facts, tr: &mut TargetReport) {
        let read_something = facts.package_files > 0
            || facts.config_files > 0
            || facts.secret_files > 0
            || tr.os.is_some();
        if read_something {
            return;
        }
        let mut looked_for = Vec::new();
        if self.packages() {
            looked_for.push("package databases or lockfiles");
        }
        if self.misconfig() {
            looked_for.push("Dockerfiles or Kubernetes manifests");
        }
        if self.secrets.is_some() {
            looked_for.push("text files for the secret scanner");
        }
        tr.errors.push(ScanError::new(
            tr.target.name.clone(),
            format!(
                "no supported file found (looked for {})",
                looked_for.join(", ")
            ),
        ));
    }
}

/// What the analyzers saw, for notices about blind spots.
#[derive(Debug, Default)]
pub(crate) struct Facts {
    pub package_files: usize,
    pub config_files: usize,
    pub secret_files: usize,
}

fn secret_scanner(req: &ScanRequest) -> Result<palisade_secrets::Scanner, EngineError> {
    palisade_secrets::Scanner::new(req.config.secrets.clone()).map_err(|e| {
        let path = req
            .config
            .source
            .as_ref()
            .map(|p| p.display().to_string())
            .unwrap_or_else(|| "secret rules".into());
        EngineError::config(path, e)
    })
}

pub(crate) fn stage(req: &ScanRequest, name: &str) {
    if let Some(p) = &req.progress {
        p.stage(name);
    }
}

pub(crate) fn vulnerabilities(
    req: &mut ScanRequest,
    analyzers: &Analyzers,
    tr: &mut TargetReport,
) -> Result<(), EngineError> {
    #[cfg(feature = "vuln")]
    if analyzers.scanners.contains(&Scanner::Vuln) {
        stage(req, "matching vulnerabilities");
        let db = std::mem::take(&mut req.db);
        crate::vulns::scan(db, req.db_max_age, req.suppressions.unfixed, tr)?;
    }
    #[cfg(not(feature = "vuln"))]
    if analyzers.scanners.contains(&Scanner::Vuln) {
        let _ = (req, tr);
        return Err(EngineError::Unsupported {
            path: "vuln".into(),
            message: "this build of Palisade has no vulnerability scanner (feature `vuln`)".into(),
        });
    }
    Ok(())
}

/// RFC 3339 UTC, whole seconds.
pub fn now_rfc3339() -> String {
    time::OffsetDateTime::now_utc()
        .replace_nanosecond(0)
        .ok()
        .and_then(|t| {
            t.format(&time::format_description::well_known::Rfc3339)
                .ok()
        })
        .unwrap_or_else(|| "1970-01-01T00:00:00Z".into())
}
