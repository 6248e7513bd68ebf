use clap::{Args, Parser, Subcommand, ValueEnum};
use palisade_core::Severity;
use palisade_engine::Scanner;
use std::path::PathBuf;

#[derive(Parser, Debug)]
#[command(
    name = "palisade",
    version,
    about = "Container security: images, SBOMs, vulnerabilities, secrets, misconfigurations."
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Scan a container image: OCI layout, docker-archive/OCI tar, or a registry reference.
    Image(ImageArgs),
    /// Scan an unpacked root filesystem.
    Rootfs(TreeArgs),
    /// Scan a directory or repository checkout.
    Fs(TreeArgs),
    /// Find secrets in every commit of a git repository's history.
    Repo(RepoArgs),
    /// Check Dockerfiles and Kubernetes manifests (a file, a directory, or - for stdin).
    Config(ConfigArgs),
    /// List rules (all families), or print one rule's documentation.
    Rules(RulesArgs),
    /// Manage the vulnerability database.
    #[command(subcommand)]
    Db(DbCommand),
    /// Policy as code: run Gatekeeper suites and Kyverno tests, evaluate Rego queries.
    #[command(subcommand)]
    Policy(PolicyCommand),
    /// Admission control: serve the webhook, answer one AdmissionReview offline, make
    /// its certificates.
    #[command(subcommand)]
    Admission(AdmissionCommand),
    /// Verify a Sigstore bundle offline (keyless identity + issuer, or --key).
    VerifyBundle(crate::verify_bundle::VerifyBundleArgs),
    /// Make a cosign key pair: cosign.key (encrypted with COSIGN_PASSWORD) and cosign.pub.
    GenerateKeyPair(crate::sign::GenerateKeyPairArgs),
    /// Sign an image in a registry, as cosign does (offline: no transparency log).
    Sign(crate::sign::SignArgs),
    /// Verify an image's cosign signatures with a public key.
    Verify(crate::sign::VerifyArgs),
    /// Attach a signed in-toto attestation (SBOM, provenance, scan results) to an image.
    Attest(crate::sign::AttestArgs),
    /// Verify an image's attestations and print the verified statements.
    VerifyAttestation(crate::sign::VerifyAttestationArgs),
    /// Sign a file: prints the base64 signature.
    SignBlob(crate::sign::SignBlobArgs),
    /// Verify a file's signature.
    VerifyBlob(crate::sign::VerifyBlobArgs),
    /// Write a SLSA v1 provenance predicate (from flags, GitHub Actions or GitLab CI).
    Provenance(crate::sign::ProvenanceArgs),
    /// Runtime detection: check Falco rules, replay recorded events through them.
    #[command(subcommand)]
    Runtime(crate::runtime::RuntimeCommand),
    /// Print version information.
    Version,
}

#[derive(Args, Debug)]
pub struct ImageArgs {
    /// Registry reference (e.g. 127.0.0.1:5000/team/app:1.2). Use --input for local images.
    pub reference: Option<String>,
    /// OCI layout directory (DIR or DIR:TAG), docker-archive tar or OCI archive tar.
    #[arg(long, short = 'i', conflicts_with = "reference")]
    pub input: Option<String>,
    /// Platform to pick from a multi-platform index (OS/ARCH[/VARIANT]).
    #[arg(long)]
    pub platform: Option<String>,
    /// Registry user name (else ~/.docker/config.json).
    #[arg(long, env = "PALISADE_USERNAME")]
    pub username: Option<String>,
    /// Registry password.
    #[arg(long, env = "PALISADE_PASSWORD", hide_env_values = true)]
    pub password: Option<String>,
    /// Talk plain HTTP to the registry and skip TLS verification.
    #[arg(long)]
    pub insecure: bool,
    /// Largest uncompressed layer accepted, in MiB.
    #[arg(long, default_value_t = 16384)]
    pub max_layer_size: u64,
    /// Scan only an image whose cosign signature verifies with --key (exit 1 otherwise).
    #[arg(long, requires = "key", conflicts_with = "input")]
    pub require_signature: bool,
    /// Public key(s) for --require-signature (cosign.pub; repeatable).
    #[arg(long, value_name = "FILE")]
    pub key: Vec<PathBuf>,
    #[command(flatten)]
    pub scan: ScanArgs,
    #[command(flatten)]
    pub policy: PolicyArgs,
    #[command(flatten)]
    pub common: CommonArgs,
}

#[derive(Args, Debug)]
pub struct TreeArgs {
    /// Directory to scan.
    pub path: PathBuf,
    #[command(flatten)]
    pub scan: ScanArgs,
    #[command(flatten)]
    pub policy: PolicyArgs,
    #[command(flatten)]
    pub common: CommonArgs,
}

#[derive(Args, Debug, Clone)]
pub struct CommonArgs {
    /// Output format.
    #[arg(long, short = 'f', value_enum, default_value_t = Format::Table)]
    pub format: Format,
    /// Write the report to this file instead of stdout.
    #[arg(long, short = 'o')]
    pub output: Option<PathBuf>,
    /// Template for --format template: `@FILE` (like Trivy), or the template text itself.
    #[arg(long, short = 't')]
    pub template: Option<String>,
    /// Severities to report (comma-separated; default: palisade.yaml's `severity`, else all).
    #[arg(long, short = 's', value_delimiter = ',')]
    pub severity: Option<Vec<Severity>>,
    /// Exit code when findings remain after filtering (0: always succeed).
    #[arg(long, default_value_t = 0)]
    pub exit_code: i32,
    /// No progress output.
    #[arg(long, short = 'q')]
    pub quiet: bool,
    /// List every package in the table output.
    #[arg(long)]
    pub list_all_pkgs: bool,
    /// Rule or advisory IDs to drop (comma-separated); foreign IDs (DL3008, CKV_K8S_16) work too.
    #[arg(long, value_delimiter = ',')]
    pub ignore: Vec<String>,
    /// Ignore file (IDs, purls, paths, expiry dates, reasons); default ./.palisadeignore if present.
    #[arg(long)]
    pub ignorefile: Option<PathBuf>,
    /// Configuration file (default ./palisade.yaml if present): secrets, ignore, severity,
    /// scanners, kubernetes, skip lists.
    #[arg(long, visible_alias = "secret-config")]
    pub config: Option<PathBuf>,
    /// Directories to skip (globs; `/dir` anchors at the root; repeatable or comma-separated).
    #[arg(long, value_delimiter = ',')]
    pub skip_dirs: Vec<String>,
    /// Files to skip (globs, repeatable or comma-separated).
    #[arg(long, value_delimiter = ',')]
    pub skip_files: Vec<String>,
}

#[derive(Args, Debug, Clone)]
pub struct ScanArgs {
    /// Scanners to run (comma-separated): vuln, secret, misconfig. Default: palisade.yaml's
    /// `scanners`, else vuln,secret; SBOM formats (cyclonedx, spdx-json) without this flag
    /// carry the inventory only.
    #[arg(long, value_delimiter = ',')]
    pub scanners: Option<Vec<Scanner>>,
    /// Vulnerability database file (default: user cache dir, else the embedded database).
    #[arg(long, env = "PALISADE_DB")]
    pub db: Option<PathBuf>,
    /// Never touch the network (scans never do; accepted for Trivy compatibility).
    #[arg(long)]
    pub offline: bool,
    /// Do not update the database before scanning (scans never do; accepted for Trivy compatibility).
    #[arg(long)]
    pub skip_db_update: bool,
    /// Warn when the vulnerability database is older than this many days.
    #[arg(long, default_value_t = 7)]
    pub db_max_age: u64,
    /// Drop vulnerabilities that have no fixed version yet.
    #[arg(long)]
    pub ignore_unfixed: bool,
    /// OpenVEX or CycloneDX VEX documents; `not_affected` statements suppress findings.
    #[arg(long)]
    pub vex: Vec<PathBuf>,
    /// Show how each vulnerable package got in: the chain from a direct dependency (or a
    /// top-level package) to it, in the table and the JSON (`dependency_paths`).
    #[arg(long)]
    pub dependency_tree: bool,
    #[command(flatten)]
    pub kube: KubeArgs,
}

/// Kubernetes manifest checks (config, and misconfig scans of trees and images).
#[derive(Args, Debug, Clone)]
pub struct KubeArgs {
    /// Pod Security Standards version (e.g. v1.30; default latest).
    #[arg(long)]
    pub pss_version: Option<String>,
    /// Registries images may come from (comma-separated); others are reported.
    #[arg(long, value_delimiter = ',')]
    pub allowed_registries: Vec<String>,
}

#[derive(Subcommand, Debug)]
pub enum DbCommand {
    /// Download OSV archives (per ecosystem all.zip) and replace the database atomically.
    Update {
        /// Base URL of the OSV archive mirror.
        #[arg(
            long,
            env = "PALISADE_DB_URL",
            default_value = "https://osv-vulnerabilities.storage.googleapis.com"
        )]
        base_url: String,
        /// Ecosystems to fetch (OSV names, e.g. PyPI, npm, Debian:12); default: those already in the database.
        #[arg(long = "ecosystem", value_delimiter = ',')]
        ecosystems: Vec<String>,
        #[arg(long, env = "PALISADE_DB")]
        db: Option<PathBuf>,
    },
    /// Import OSV JSON/YAML files, directories or zip archives, offline.
    Import {
        #[arg(required = true)]
        paths: Vec<PathBuf>,
        #[arg(long, env = "PALISADE_DB")]
        db: Option<PathBuf>,
    },
    /// Sources, record counts and age of the database.
    Status {
        #[arg(long, env = "PALISADE_DB")]
        db: Option<PathBuf>,
        #[arg(long, value_enum, default_value_t = RulesFormat::Table)]
        format: RulesFormat,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Table,
    Json,
    Sarif,
    Cyclonedx,
    #[value(name = "spdx-json")]
    SpdxJson,
    /// One self-contained HTML page (works offline).
    Html,
    /// JUnit XML for CI test reports.
    Junit,
    /// GitHub Actions workflow annotations.
    Github,
    /// A user template (--template).
    Template,
}

#[derive(Args, Debug)]
pub struct RulesArgs {
    /// A rule ID (or a related foreign ID such as DL3008) to print in full.
    pub id: Option<String>,
    /// Write one Markdown page per rule into this directory.
    #[arg(long)]
    pub docs: Option<PathBuf>,
    /// Output format for the listing.
    #[arg(long, value_enum, default_value_t = RulesFormat::Table)]
    pub format: RulesFormat,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum RulesFormat {
    Table,
    Json,
}

#[derive(Args, Debug)]
pub struct ConfigArgs {
    /// File, directory, or `-` for stdin.
    pub path: PathBuf,
    #[command(flatten)]
    pub policy: PolicyArgs,
    /// Also print a pass/fail summary per control: pss-restricted, pss-baseline, nsa, cis.
    #[arg(long)]
    pub compliance: Option<String>,
    #[command(flatten)]
    pub kube: KubeArgs,
    #[command(flatten)]
    pub common: CommonArgs,
}

#[derive(Args, Debug)]
pub struct RepoArgs {
    /// Path of the git repository.
    pub path: PathBuf,
    #[command(flatten)]
    pub common: CommonArgs,
}

/// Rego policies applied during a scan (`config`, `fs`, `rootfs`, `image`).
#[derive(Args, Debug, Clone, Default)]
pub struct PolicyArgs {
    /// Policy directory, file or OPA bundle (.tar.gz): Rego (Conftest-style deny/warn/violation
    /// rules), data.json/data.yaml, Gatekeeper ConstraintTemplates and constraints. Repeatable.
    #[arg(long, short = 'p', value_name = "PATH")]
    pub policy: Vec<PathBuf>,
    /// Rego packages whose rules apply (repeatable or comma-separated; default `main`).
    #[arg(long, short = 'n', value_delimiter = ',', requires = "policy")]
    pub namespace: Vec<String>,
    /// Apply the rules of every package.
    #[arg(long, requires = "policy", conflicts_with = "namespace")]
    pub all_namespaces: bool,
    /// Objects (YAML/JSON) added to Gatekeeper's `data.inventory` besides the scanned ones.
    #[arg(long, value_name = "FILE", requires = "policy")]
    pub inventory: Vec<PathBuf>,
    /// Time limit of one policy query, in milliseconds.
    #[arg(long, default_value_t = 5000, value_name = "MS")]
    pub policy_timeout: u64,
    /// Heap the process may hold while a policy query runs, in MiB.
    #[arg(long, default_value_t = 2048, value_name = "MIB")]
    pub policy_memory: u64,
    /// For Gatekeeper templates carrying both: run their Rego, or their K8sNativeValidation CEL.
    #[arg(long, value_enum, default_value_t = PolicyEngine::Rego)]
    pub policy_engine: PolicyEngine,
}

#[derive(Subcommand, Debug)]
pub enum PolicyCommand {
    /// Run Gatekeeper `suite.yaml` tests (like `gator verify`) and `kyverno-test.yaml` tests
    /// (like `kyverno test`).
    Test(PolicyTestArgs),
    /// Evaluate a Rego query against an input document.
    Eval(PolicyEvalArgs),
}

#[derive(Args, Debug)]
pub struct PolicyTestArgs {
    /// Suite or kyverno-test files, or directories holding them.
    #[arg(required = true)]
    pub paths: Vec<PathBuf>,
    /// `table`: a line per failure and a closing count; `json`: a record per assertion or
    /// expectation.
    #[arg(long, short = 'f', value_enum, default_value_t = PolicyTestFormat::Table)]
    pub format: PolicyTestFormat,
    /// Print passing tests too.
    #[arg(long, short = 'v')]
    pub verbose: bool,
    /// For templates carrying both: run their Rego, or their K8sNativeValidation CEL.
    #[arg(long, value_enum, default_value_t = PolicyEngine::Rego)]
    pub engine: PolicyEngine,
    /// Time limit of one policy query, in milliseconds.
    #[arg(long, default_value_t = 5000, value_name = "MS")]
    pub policy_timeout: u64,
    /// Heap the process may hold while a policy query runs, in MiB.
    #[arg(long, default_value_t = 2048, value_name = "MIB")]
    pub policy_memory: u64,
}

#[derive(Clone, Copy, Debug, Default, ValueEnum, PartialEq)]
pub enum PolicyEngine {
    #[default]
    Rego,
    Cel,
}

#[derive(Clone, Copy, Debug, ValueEnum, PartialEq)]
pub enum PolicyTestFormat {
    Table,
    Json,
}

#[derive(Args, Debug)]
pub struct PolicyEvalArgs {
    /// The query: a reference such as `data.main.deny`, or any Rego expression.
    pub query: String,
    /// Input document (YAML or JSON; `-` for stdin). A multi-document YAML file is an array.
    #[arg(long, short = 'i')]
    pub input: Option<PathBuf>,
    /// Policy directories, files or bundles (repeatable).
    #[arg(long, short = 'p', value_name = "PATH")]
    pub policy: Vec<PathBuf>,
    /// Time limit of the query, in milliseconds.
    #[arg(long, default_value_t = 5000, value_name = "MS")]
    pub policy_timeout: u64,
    /// Heap the process may hold while the query runs, in MiB.
    #[arg(long, default_value_t = 2048, value_name = "MIB")]
    pub policy_memory: u64,
}

#[derive(Subcommand, Debug)]
pub enum AdmissionCommand {
    /// Serve the validating (`/validate`) and mutating (`/mutate`) webhook over HTTPS.
    Serve(AdmissionServeArgs),
    /// Answer one AdmissionReview (a file, or - for stdin): the review the webhook would send.
    Review(AdmissionReviewArgs),
    /// Make a CA and a serving certificate for the webhook's Service; prints the caBundle.
    Certs(AdmissionCertsArgs),
}

#[derive(Args, Debug)]
pub struct AdmissionServeArgs {
    /// The admission configuration (docs/admission-config.schema.json); without it, Pod
    /// Security `baseline` is enforced and `restricted` warned for unlabelled namespaces.
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// PEM certificate chain; reloaded when the file changes.
    #[arg(long, value_name = "FILE")]
    pub tls_cert: PathBuf,
    /// PEM private key; reloaded when the file changes.
    #[arg(long, value_name = "FILE")]
    pub tls_key: PathBuf,
    #[arg(long, default_value = "0.0.0.0:8443", value_name = "ADDR")]
    pub listen: std::net::SocketAddr,
}

#[derive(Args, Debug)]
pub struct AdmissionReviewArgs {
    /// AdmissionReview JSON (or a bare AdmissionRequest); `-` for stdin.
    pub input: PathBuf,
    /// The admission configuration; the default policy without it.
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Answer as the mutating webhook (`/mutate`): the response carries the JSONPatch.
    #[arg(long)]
    pub mutate: bool,
}

#[derive(Args, Debug)]
pub struct AdmissionCertsArgs {
    /// The webhook's Service name.
    #[arg(long)]
    pub service: String,
    /// The Service's namespace.
    #[arg(long)]
    pub namespace: String,
    /// Directory for ca.crt, tls.crt and tls.key.
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,
    /// Validity of the certificates, in days.
    #[arg(long, default_value_t = 365)]
    pub days: u32,
}
