//! What a front door asks for: one [`ScanRequest`], built directly or through [`Scan`].

use crate::config::Config;
use crate::progress::Progress;
use crate::walk::SkipList;
use crate::EngineError;
use palisade_core::{Report, Scanner};
use std::collections::BTreeSet;
use std::path::PathBuf;
use std::sync::Arc;

/// What to scan.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// A local image: OCI layout directory (`DIR` or `DIR:TAG`), docker-archive or OCI archive tar.
    Image(String),
    /// An image in a registry (`127.0.0.1:5000/team/app:1.2`).
    Registry(String),
    /// An unpacked root filesystem.
    Rootfs(PathBuf),
    /// A directory or repository checkout.
    Filesystem(PathBuf),
    /// Dockerfiles and Kubernetes manifests: one file (checked whatever its name) or a directory.
    Config(PathBuf),
    /// Configuration text the caller already holds (stdin, an admission request), reported
    /// under `name`.
    ConfigText { name: String, text: String },
    /// Every commit of a git repository's history (secrets only).
    Repository(PathBuf),
}

impl Target {
    /// Configuration text from a stream (stdin), read up to
    /// [`MAX_CONFIG_FILE`](crate::MAX_CONFIG_FILE) bytes: a bigger input is refused, never
    /// checked in part.
    pub fn config_from_reader(
        name: impl Into<String>,
        reader: impl std::io::Read,
    ) -> Result<Target, EngineError> {
        let name = name.into();
        use std::io::Read;
        let mut buf = Vec::new();
        reader
            .take(crate::MAX_CONFIG_FILE + 1)
            .read_to_end(&mut buf)
            .map_err(|e| EngineError::io(&name, e))?;
        if buf.len() as u64 > crate::MAX_CONFIG_FILE {
            return Err(crate::targets::config::too_large(&name));
        }
        let text = String::from_utf8_lossy(&buf).into_owned();
        Ok(Target::ConfigText { name, text })
    }

    /// The name reports use for the target: what the caller named.
    pub fn name(&self) -> String {
        match self {
            Target::Image(s) | Target::Registry(s) => s.clone(),
            Target::Rootfs(p)
            | Target::Filesystem(p)
            | Target::Config(p)
            | Target::Repository(p) => p.display().to_string(),
            Target::ConfigText { name, .. } => name.clone(),
        }
    }
}

/// Where vulnerability data comes from.
#[cfg(feature = "vuln")]
#[derive(Debug, Default)]
pub enum DbSource {
    /// `PALISADE_DB`, else the user cache directory, else the embedded database.
    #[default]
    Default,
    /// This database file.
    Path(PathBuf),
    /// A database the caller opened (kept open across scans by long-running front doors).
    Open(palisade_vulndb::VulnDb),
}

#[cfg(feature = "vuln")]
impl From<palisade_vulndb::VulnDb> for DbSource {
    fn from(db: palisade_vulndb::VulnDb) -> Self {
        DbSource::Open(db)
    }
}

#[cfg(feature = "vuln")]
impl From<PathBuf> for DbSource {
    fn from(p: PathBuf) -> Self {
        DbSource::Path(p)
    }
}

#[cfg(feature = "vuln")]
impl From<&std::path::Path> for DbSource {
    fn from(p: &std::path::Path) -> Self {
        DbSource::Path(p.to_path_buf())
    }
}

/// Findings to drop after analysis. Entries that silence nothing are reported back.
#[derive(Debug, Clone, Default)]
pub struct Suppressions {
    /// Rule or advisory IDs: Palisade's own, an advisory alias, or a related foreign ID
    /// (`DL3008`, `CKV_K8S_16`).
    pub ids: Vec<String>,
    /// Ignore files (`.palisadeignore` format or its YAML form). A named file must exist.
    pub ignore_files: Vec<PathBuf>,
    /// OpenVEX or CycloneDX VEX documents; `not_affected` and `fixed` statements suppress.
    pub vex: Vec<PathBuf>,
    /// Vulnerabilities without a fixed version yet.
    pub unfixed: bool,
}

/// Options for reading images.
#[derive(Debug, Clone, Default)]
pub struct ImageOptions {
    /// `os/arch[/variant]` to pick from a multi-platform index.
    pub platform: Option<String>,
    #[cfg(feature = "registry")]
    pub auth: palisade_image::RegistryAuthOptions,
}

/// Everything a scan needs. Front doors fill it from their own inputs (flags, an admission
/// request) and call [`ScanRequest::run`].
pub struct ScanRequest {
    pub target: Target,
    /// `None`: palisade.yaml's `scanners:`, else vuln and secret (misconfig for `Config`
    /// targets, secret for `Repository`, whatever is asked).
    pub scanners: Option<BTreeSet<Scanner>>,
    /// Run the package inventory even when no vulnerability scan needs it (SBOMs, listings).
    pub packages: bool,
    #[cfg(feature = "vuln")]
    pub db: DbSource,
    /// Older than this, the report carries a warning about the database's age.
    pub db_max_age: std::time::Duration,
    /// The resolved `palisade.yaml` (defaults when there is none).
    pub config: Config,
    pub kube: palisade_kube::KubeOptions,
    /// Compliance framework to summarise (`pss-restricted`, `pss-baseline`, `nsa`, `cis`).
    pub compliance: Option<String>,
    pub suppressions: Suppressions,
    /// Directories and files not to read, on top of the built-in skip list.
    pub skip: SkipList,
    pub limits: palisade_image::Limits,
    /// Most findings reported per target, after suppression; the most severe are kept and
    /// the rest counted in a warning. Reports of millions of findings help nobody and cost
    /// gigabytes to render.
    pub max_findings: usize,
    pub image: ImageOptions,
    /// User policies (`--policy`) applied to the scan's objects, Dockerfiles and the target
    /// itself.
    pub policy: Option<Arc<crate::PolicyRun>>,
    pub progress: Option<Arc<dyn Progress>>,
    /// The secret scanner built from `config` once per run, shared by the analyzers and the
    /// masking of the report.
    pub(crate) secret_scanner: Arc<std::sync::OnceLock<Arc<palisade_secrets::Scanner>>>,
}

/// Default of [`ScanRequest::max_findings`].
pub const DEFAULT_MAX_FINDINGS: usize = 100_000;

impl ScanRequest {
    pub fn new(target: Target) -> Self {
        ScanRequest {
            target,
            scanners: None,
            packages: false,
            #[cfg(feature = "vuln")]
            db: DbSource::Default,
            db_max_age: std::time::Duration::from_secs(7 * 86_400),
            config: Config::default(),
            kube: Default::default(),
            compliance: None,
            suppressions: Suppressions::default(),
            skip: SkipList::default(),
            limits: Default::default(),
            max_findings: DEFAULT_MAX_FINDINGS,
            image: ImageOptions::default(),
            policy: None,
            progress: None,
            secret_scanner: Default::default(),
        }
    }

    /// Whether scanner `s` runs, once defaults and palisade.yaml are taken into account.
    pub fn enabled(&self, s: Scanner) -> bool {
        crate::pipeline::scanners(self).contains(&s)
    }

    /// Runs the scan: read the target, analyse, match, suppress.
    pub fn run(self) -> Result<Report, EngineError> {
        crate::pipeline::run(self)
    }
}

/// Builder over [`ScanRequest`]:
/// `Scan::image("app.tar").scanners([Vuln, Secret]).run()?`.
pub struct Scan {
    request: ScanRequest,
}

impl Scan {
    pub fn new(target: Target) -> Scan {
        Scan {
            request: ScanRequest::new(target),
        }
    }

    pub fn image(input: impl Into<String>) -> Scan {
        Scan::new(Target::Image(input.into()))
    }

    pub fn registry(reference: impl Into<String>) -> Scan {
        Scan::new(Target::Registry(reference.into()))
    }

    pub fn rootfs(path: impl Into<PathBuf>) -> Scan {
        Scan::new(Target::Rootfs(path.into()))
    }

    pub fn fs(path: impl Into<PathBuf>) -> Scan {
        Scan::new(Target::Filesystem(path.into()))
    }

    pub fn config(path: impl Into<PathBuf>) -> Scan {
        Scan::new(Target::Config(path.into()))
    }

    pub fn config_text(name: impl Into<String>, text: impl Into<String>) -> Scan {
        Scan::new(Target::ConfigText {
            name: name.into(),
            text: text.into(),
        })
    }

    pub fn repo(path: impl Into<PathBuf>) -> Scan {
        Scan::new(Target::Repository(path.into()))
    }

    pub fn scanners(mut self, scanners: impl IntoIterator<Item = Scanner>) -> Scan {
        self.request.scanners = Some(scanners.into_iter().collect());
        self
    }

    pub fn packages(mut self, on: bool) -> Scan {
        self.request.packages = on;
        self
    }

    #[cfg(feature = "vuln")]
    pub fn db(mut self, db: impl Into<DbSource>) -> Scan {
        self.request.db = db.into();
        self
    }

    pub fn with_config(mut self, config: Config) -> Scan {
        self.request.config = config;
        self
    }

    pub fn kube(mut self, kube: palisade_kube::KubeOptions) -> Scan {
        self.request.kube = kube;
        self
    }

    pub fn compliance(mut self, framework: impl Into<String>) -> Scan {
        self.request.compliance = Some(framework.into());
        self
    }

    pub fn suppressions(mut self, s: Suppressions) -> Scan {
        self.request.suppressions = s;
        self
    }

    pub fn skip(mut self, skip: SkipList) -> Scan {
        self.request.skip = skip;
        self
    }

    pub fn limits(mut self, limits: palisade_image::Limits) -> Scan {
        self.request.limits = limits;
        self
    }

    /// See [`ScanRequest::max_findings`].
    pub fn max_findings(mut self, n: usize) -> Scan {
        self.request.max_findings = n;
        self
    }

    pub fn image_options(mut self, options: ImageOptions) -> Scan {
        self.request.image = options;
        self
    }

    pub fn progress(mut self, progress: Arc<dyn Progress>) -> Scan {
        self.request.progress = Some(progress);
        self
    }

    /// The request as built so far, for callers that set fields directly.
    pub fn request_mut(&mut self) -> &mut ScanRequest {
        &mut self.request
    }

    pub fn into_request(self) -> ScanRequest {
        self.request
    }

    pub fn run(self) -> Result<Report, EngineError> {
        self.request.run()
    }
}
