//! Cosign-compatible commands: `generate-key-pair`, `sign`, `verify`, `attest`,
//! `verify-attestation`, `sign-blob`, `verify-blob`, `provenance`, and the signature gate
//! of `palisade image --require-signature`.
//!
//! Exit 0 verified (or done), 1 verification failed (one line on stderr naming what
//! failed), 2 tool errors (unreadable key, registry down, bad flags).

use crate::cli::ImageArgs;
use anyhow::{bail, Context, Result};
use clap::{Args, ValueEnum};
use palisade_engine::sign::{
    intoto, provenance, simple, KeyFile, PublicKey, SignError, SigningKey,
};
use palisade_engine::signing::{self, Placement, SignOptions, SigningError};
use std::collections::BTreeMap;
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};

/// Key and predicate files are small; refuse anything huge before reading it.
const MAX_KEY_FILE: u64 = 1 << 20;
const MAX_PREDICATE: u64 = 64 << 20;

/// Registry options shared with `palisade image`.
#[derive(Args, Debug, Clone)]
pub struct RegistryArgs {
    /// Registry user name (else ~/.docker/config.json).
    #[arg(long, env = "PALISADE_USERNAME")]
    pub username: Option<String>,
    /// Registry password.
    #[arg(long, env = "PALISADE_PASSWORD", hide_env_values = true)]
    pub password: Option<String>,
    /// Talk plain HTTP to the registry and skip TLS verification.
    #[arg(long)]
    pub insecure: bool,
    /// Transparency-log upload: always off (offline); `--tlog-upload=false` is accepted as
    /// cosign users write it.
    #[arg(long, value_name = "BOOL", default_value_t = false, action = clap::ArgAction::Set)]
    pub tlog_upload: bool,
}

impl RegistryArgs {
    fn auth(&self) -> Result<palisade_engine::RegistryAuthOptions> {
        if self.tlog_upload {
            bail!("--tlog-upload=true needs Rekor; Palisade signs offline (drop the flag)");
        }
        Ok(palisade_engine::RegistryAuthOptions {
            username: self.username.clone(),
            password: self.password.clone(),
            insecure: self.insecure,
            docker_config: None,
        })
    }
}

#[derive(Clone, Copy, Debug, Default, ValueEnum, PartialEq)]
pub enum ReferrersMode {
    /// cosign's `sha256-<digest>.sig`/`.att` tags.
    #[default]
    Legacy,
    /// OCI 1.1 referrers (the API, else the `sha256-<digest>` fallback index).
    #[value(name = "oci-1-1")]
    Oci11,
}

#[derive(Args, Debug)]
pub struct GenerateKeyPairArgs {
    /// Writes PREFIX.key and PREFIX.pub.
    #[arg(long, default_value = "cosign")]
    pub output_key_prefix: String,
    /// Overwrite existing files.
    #[arg(long, short = 'f')]
    pub force: bool,
}

#[derive(Args, Debug)]
pub struct SignArgs {
    /// The image (tag or digest); its digest is what gets signed.
    pub reference: String,
    /// Private key (cosign.key; password from COSIGN_PASSWORD).
    #[arg(long)]
    pub key: PathBuf,
    /// Annotation for the payload's `optional` section (KEY=VALUE, repeatable).
    #[arg(long = "annotations", short = 'a', value_name = "KEY=VALUE")]
    pub annotations: Vec<String>,
    /// Also write the base64 signature to this file.
    #[arg(long)]
    pub output_signature: Option<PathBuf>,
    /// Also write the signed payload to this file.
    #[arg(long)]
    pub output_payload: Option<PathBuf>,
    #[arg(long, value_enum, default_value_t = ReferrersMode::Legacy)]
    pub registry_referrers_mode: ReferrersMode,
    /// Accepted for cosign compatibility (nothing is uploaded to a public log).
    #[arg(long, short = 'y')]
    pub yes: bool,
    #[command(flatten)]
    pub registry: RegistryArgs,
}

#[derive(Args, Debug)]
pub struct VerifyArgs {
    /// The image (tag or digest).
    pub reference: String,
    /// Public key(s) (cosign.pub); a signature by any of them passes.
    #[arg(long, required = true)]
    pub key: Vec<PathBuf>,
    /// Accepted for cosign compatibility: there is no transparency log offline.
    #[arg(long)]
    pub insecure_ignore_tlog: bool,
    /// Only signatures whose payload carries this annotation pass (KEY=VALUE, repeatable).
    #[arg(long = "annotations", short = 'a', value_name = "KEY=VALUE")]
    pub annotations: Vec<String>,
    #[command(flatten)]
    pub registry: RegistryArgs,
}

#[derive(Args, Debug)]
pub struct AttestArgs {
    /// The image (tag or digest).
    pub reference: String,
    #[arg(long)]
    pub key: PathBuf,
    /// Predicate type: cyclonedx, spdxjson, slsaprovenance1, vuln, openvex, custom, … or a URI.
    #[arg(long = "type", default_value = "custom")]
    pub predicate_type: String,
    /// The predicate (JSON): `palisade image -f cyclonedx` output, `palisade provenance`
    /// output, an SPDX document, ….
    #[arg(long)]
    pub predicate: PathBuf,
    #[arg(long, value_enum, default_value_t = ReferrersMode::Legacy)]
    pub registry_referrers_mode: ReferrersMode,
    #[arg(long, short = 'y')]
    pub yes: bool,
    #[command(flatten)]
    pub registry: RegistryArgs,
}

#[derive(Args, Debug)]
pub struct VerifyAttestationArgs {
    pub reference: String,
    #[arg(long, required = true)]
    pub key: Vec<PathBuf>,
    /// Only attestations of this predicate type (name or URI) pass.
    #[arg(long = "type")]
    pub predicate_type: Option<String>,
    /// SLSA provenance: the builder id that must have built the image.
    #[arg(long)]
    pub builder_id: Option<String>,
    /// SLSA provenance: the source repository it must come from.
    #[arg(long)]
    pub source_repo: Option<String>,
    /// SLSA provenance: the source commit it must come from.
    #[arg(long)]
    pub source_commit: Option<String>,
    #[arg(long)]
    pub insecure_ignore_tlog: bool,
    #[command(flatten)]
    pub registry: RegistryArgs,
}

#[derive(Args, Debug)]
pub struct SignBlobArgs {
    pub file: PathBuf,
    #[arg(long)]
    pub key: PathBuf,
    /// Write the base64 signature here (it is printed on stdout too, unless this is given).
    #[arg(long)]
    pub output_signature: Option<PathBuf>,
    #[arg(long, value_name = "BOOL", default_value_t = false, action = clap::ArgAction::Set)]
    pub tlog_upload: bool,
    #[arg(long, short = 'y')]
    pub yes: bool,
}

#[derive(Args, Debug)]
pub struct VerifyBlobArgs {
    pub file: PathBuf,
    #[arg(long)]
    pub key: PathBuf,
    /// The base64 signature file (what sign-blob wrote).
    #[arg(long)]
    pub signature: PathBuf,
    #[arg(long)]
    pub insecure_ignore_tlog: bool,
}

#[derive(Args, Debug)]
pub struct ProvenanceArgs {
    /// Who built it (a URI); default from GitHub Actions or GitLab CI variables.
    #[arg(long)]
    pub builder_id: Option<String>,
    #[arg(long)]
    pub build_type: Option<String>,
    /// Source repository URL.
    #[arg(long)]
    pub source_repo: Option<String>,
    #[arg(long)]
    pub source_commit: Option<String>,
    /// Source ref (refs/heads/main, refs/tags/v1).
    #[arg(long)]
    pub source_ref: Option<String>,
    /// A resolved dependency, URI@ALG:HEX (e.g. the base image
    /// docker.io/library/debian@sha256:…); repeatable.
    #[arg(long = "material", value_name = "URI@DIGEST")]
    pub materials: Vec<String>,
    #[arg(long)]
    pub invocation_id: Option<String>,
    #[arg(long)]
    pub started_on: Option<String>,
    #[arg(long)]
    pub finished_on: Option<String>,
    /// Ignore CI environment variables: only the flags describe the build.
    #[arg(long)]
    pub no_ci_env: bool,
    /// Write the predicate here instead of stdout.
    #[arg(long, short = 'o')]
    pub output: Option<PathBuf>,
}

fn read_limited(path: &Path, cap: u64) -> Result<Vec<u8>> {
    use std::io::Read;
    let f = std::fs::File::open(path).with_context(|| path.display().to_string())?;
    let mut out = Vec::new();
    f.take(cap + 1)
        .read_to_end(&mut out)
        .with_context(|| path.display().to_string())?;
    if out.len() as u64 > cap {
        bail!("{}: larger than {cap} bytes", path.display());
    }
    Ok(out)
}

/// `COSIGN_PASSWORD`, else (as cosign does) a prompt when a terminal is there to answer it;
/// `confirm` asks twice. `None` when neither is available.
fn password(confirm: bool) -> Result<Option<Vec<u8>>> {
    if let Some(p) = std::env::var_os("COSIGN_PASSWORD") {
        return Ok(Some(p.into_encoded_bytes()));
    }
    if !std::io::stdin().is_terminal() {
        return Ok(None);
    }
    let first = rpassword::prompt_password("Enter password for private key: ")?;
    if confirm {
        let again = rpassword::prompt_password("Enter password for private key again: ")?;
        if again != first {
            bail!("the passwords do not match");
        }
    }
    Ok(Some(first.into_bytes()))
}

fn signing_key(path: &Path) -> Result<SigningKey> {
    let what = path.display().to_string();
    let file = KeyFile::parse(&what, &read_limited(path, MAX_KEY_FILE)?)?;
    let pw = if file.is_encrypted() {
        password(false)?
    } else {
        None
    };
    Ok(file.open(pw.as_deref())?)
}

fn public_keys(paths: &[PathBuf]) -> Result<Vec<PublicKey>> {
    paths
        .iter()
        .map(|p| {
            let what = p.display().to_string();
            Ok(PublicKey::parse(&what, &read_limited(p, MAX_KEY_FILE)?)?)
        })
        .collect()
}

/// A verification verdict: one line on stderr, exit 1. Anything else stays an error (2).
fn verdict(e: SigningError) -> Result<i32> {
    if e.is_verification_failure() {
        eprintln!(
            "palisade: verification failed: {}",
            palisade_report::escape_controls(&e.to_string())
        );
        Ok(1)
    } else {
        Err(e.into())
    }
}

fn sign_verdict(e: SignError) -> Result<i32> {
    verdict(SigningError::Sign(e))
}

fn options(annotations: &[String], mode: ReferrersMode) -> Result<SignOptions> {
    let mut map = BTreeMap::new();
    for a in annotations {
        let Some((k, v)) = a.split_once('=') else {
            bail!("-a {a:?}: expected KEY=VALUE");
        };
        map.insert(k.to_string(), v.to_string());
    }
    Ok(SignOptions {
        annotations: map,
        placement: match mode {
            ReferrersMode::Legacy => Placement::Tag,
            ReferrersMode::Oci11 => Placement::Referrer,
        },
    })
}

fn write_new(path: &Path, data: &[u8], force: bool, mode: u32) -> Result<()> {
    let mut o = std::fs::OpenOptions::new();
    o.write(true);
    if force {
        o.create(true).truncate(true);
    } else {
        o.create_new(true);
    }
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut o, mode);
    #[cfg(not(unix))]
    let _ = mode;
    let mut f = o
        .open(path)
        .with_context(|| format!("{} (exists? use --force)", path.display()))?;
    f.write_all(data)
        .with_context(|| path.display().to_string())
}

pub fn generate_key_pair(args: &GenerateKeyPairArgs) -> Result<i32> {
    let Some(pw) = password(true)? else {
        bail!("set COSIGN_PASSWORD (empty for an unencrypted-password key) or run in a terminal to generate a key pair");
    };
    let key = SigningKey::generate()?;
    let priv_path = PathBuf::from(format!("{}.key", args.output_key_prefix));
    let pub_path = PathBuf::from(format!("{}.pub", args.output_key_prefix));
    write_new(
        &priv_path,
        key.to_encrypted_pem(&pw)?.as_bytes(),
        args.force,
        0o600,
    )?;
    write_new(
        &pub_path,
        key.public_key().to_pem().as_bytes(),
        args.force,
        0o644,
    )?;
    eprintln!(
        "Private key written to {}\nPublic key written to {}",
        priv_path.display(),
        pub_path.display()
    );
    Ok(0)
}

pub fn sign(args: &SignArgs) -> Result<i32> {
    let auth = args.registry.auth()?;
    let opts = options(&args.annotations, args.registry_referrers_mode)?;
    let key = signing_key(&args.key)?;
    let signed = signing::sign_image(&args.reference, &key, &opts, &auth)?;
    if let Some(p) = &args.output_signature {
        let sig = signed.signature.as_deref().unwrap_or_default();
        std::fs::write(p, sig).with_context(|| p.display().to_string())?;
    }
    if let Some(p) = &args.output_payload {
        std::fs::write(p, &signed.payload).with_context(|| p.display().to_string())?;
    }
    eprintln!(
        "Pushing signature to: {} ({})",
        signed.location, signed.pinned
    );
    Ok(0)
}

pub fn verify(args: &VerifyArgs) -> Result<i32> {
    let auth = args.registry.auth()?;
    let keys = public_keys(&args.key)?;
    let required = options(&args.annotations, ReferrersMode::Legacy)?.annotations;
    match signing::verify_image(&args.reference, &keys, &auth) {
        Ok(mut v) => {
            let mut first_error = None;
            v.payloads
                .retain(|p| match simple::check_annotations(p, &required) {
                    Ok(()) => true,
                    Err(e) => {
                        first_error.get_or_insert(e);
                        false
                    }
                });
            if let Some(e) = first_error.filter(|_| v.payloads.is_empty()) {
                return sign_verdict(e);
            }
            eprintln!(
                "Verification for {} --\nThe following checks were performed on each of these signatures:\n  - The cosign claims were validated\n  - The signatures were verified against the specified public key",
                v.pinned
            );
            let mut out = std::io::stdout().lock();
            serde_json::to_writer(&mut out, &v.payloads)?;
            writeln!(out)?;
            Ok(0)
        }
        Err(e) => verdict(e),
    }
}

fn predicate_uri(name: &str) -> Result<String> {
    Ok(intoto::predicate_type(name)?)
}

pub fn attest(args: &AttestArgs) -> Result<i32> {
    let auth = args.registry.auth()?;
    let opts = options(&[], args.registry_referrers_mode)?;
    let uri = predicate_uri(&args.predicate_type)?;
    let bytes = read_limited(&args.predicate, MAX_PREDICATE)?;
    // cosign wraps its generic type's file in {Data, Timestamp}; every other type is JSON.
    let predicate = if uri == intoto::CUSTOM {
        intoto::custom_predicate(&bytes, &palisade_engine::now_rfc3339())
    } else {
        intoto::parse_predicate(&bytes)
    }
    .with_context(|| args.predicate.display().to_string())?;
    let key = signing_key(&args.key)?;
    let signed = signing::attest_image(&args.reference, &key, &uri, predicate, &opts, &auth)?;
    eprintln!(
        "Pushing attestation ({uri}) to: {} ({})",
        signed.location, signed.pinned
    );
    Ok(0)
}

pub fn verify_attestation(args: &VerifyAttestationArgs) -> Result<i32> {
    let auth = args.registry.auth()?;
    let keys = public_keys(&args.key)?;
    let uri = args
        .predicate_type
        .as_deref()
        .map(predicate_uri)
        .transpose()?;
    let expect = provenance::Expectations {
        builder_id: args.builder_id.clone(),
        source_repo: args.source_repo.clone(),
        source_commit: args.source_commit.clone(),
    };
    let checks_provenance = expect.builder_id.is_some()
        || expect.source_repo.is_some()
        || expect.source_commit.is_some();
    let verified = match signing::verify_attestations(&args.reference, &keys, uri.as_deref(), &auth)
    {
        Ok(v) => v,
        Err(e) => return verdict(e),
    };
    let mut statements = verified.statements;
    if checks_provenance {
        let mut first_error = None;
        statements.retain(|s| {
            if !s.predicate_type.starts_with("https://slsa.dev/provenance/") {
                return false;
            }
            match provenance::check(&s.predicate, &expect) {
                Ok(()) => true,
                Err(e) => {
                    first_error.get_or_insert(e);
                    false
                }
            }
        });
        if statements.is_empty() {
            return sign_verdict(first_error.unwrap_or(SignError::MalformedProvenance {
                message: format!("no SLSA provenance attestation on {}", verified.pinned),
            }));
        }
    }
    eprintln!(
        "Verification for {} --\nThe following checks were performed on each of these attestations:\n  - The envelope signature was verified against the specified public key\n  - The subject is the image's digest{}{}",
        verified.pinned,
        if uri.is_some() { "\n  - The predicate type matched" } else { "" },
        if checks_provenance { "\n  - The provenance builder and source matched" } else { "" },
    );
    let mut out = std::io::stdout().lock();
    for s in &statements {
        serde_json::to_writer(&mut out, s)?;
        writeln!(out)?;
    }
    Ok(0)
}

pub fn sign_blob(args: &SignBlobArgs) -> Result<i32> {
    if args.tlog_upload {
        bail!("--tlog-upload=true needs Rekor; Palisade signs offline (drop the flag)");
    }
    let key = signing_key(&args.key)?;
    let data = std::fs::read(&args.file).with_context(|| args.file.display().to_string())?;
    let sig = palisade_engine::sign::sign_blob(&key, &data)?;
    match &args.output_signature {
        Some(p) => std::fs::write(p, &sig).with_context(|| p.display().to_string())?,
        None => writeln!(std::io::stdout(), "{sig}")?,
    }
    Ok(0)
}

pub fn verify_blob(args: &VerifyBlobArgs) -> Result<i32> {
    let keys = public_keys(std::slice::from_ref(&args.key))?;
    let data = std::fs::read(&args.file).with_context(|| args.file.display().to_string())?;
    let sig = read_limited(&args.signature, MAX_KEY_FILE)?;
    let sig = String::from_utf8_lossy(&sig);
    match palisade_engine::sign::verify_blob(&keys[0], &data, &sig) {
        Ok(()) => {
            eprintln!("Verified OK");
            Ok(0)
        }
        Err(e) => sign_verdict(e),
    }
}

pub fn provenance(args: &ProvenanceArgs) -> Result<i32> {
    let flags = provenance::Build {
        builder_id: args.builder_id.clone(),
        build_type: args.build_type.clone(),
        source_repo: args.source_repo.clone(),
        source_commit: args.source_commit.clone(),
        source_ref: args.source_ref.clone(),
        materials: args
            .materials
            .iter()
            .map(|m| provenance::Material::parse(m))
            .collect(),
        invocation_id: args.invocation_id.clone(),
        started_on: args.started_on.clone(),
        finished_on: args.finished_on.clone(),
        parameters: BTreeMap::new(),
    };
    let build = if args.no_ci_env {
        flags
    } else {
        flags.or(provenance::Build::from_ci(|k| std::env::var(k).ok()))
    };
    let predicate = build.predicate()?;
    let text = serde_json::to_string_pretty(&predicate)? + "\n";
    match &args.output {
        Some(p) => std::fs::write(p, text).with_context(|| p.display().to_string())?,
        None => std::io::stdout().write_all(text.as_bytes())?,
    }
    Ok(0)
}

/// `palisade image --require-signature`: `Ok(Ok(Some(pinned)))` to scan the verified
/// digest, `Ok(Ok(None))` when no signature is required, `Ok(Err(1))` when it failed.
pub fn image_gate(args: &ImageArgs) -> Result<std::result::Result<Option<String>, i32>> {
    if !args.require_signature {
        // clap counts the flag's default as present, so `requires` cannot say this.
        if !args.key.is_empty() {
            bail!("--key is for --require-signature; add it, or drop --key");
        }
        return Ok(Ok(None));
    }
    let Some(reference) = &args.reference else {
        bail!("--require-signature needs a registry reference (signatures live in the registry)");
    };
    if args.key.is_empty() {
        bail!("--require-signature needs --key cosign.pub");
    }
    let keys = public_keys(&args.key)?;
    let auth = palisade_engine::RegistryAuthOptions {
        username: args.username.clone(),
        password: args.password.clone(),
        insecure: args.insecure,
        docker_config: None,
    };
    match signing::signature_gate(reference, &keys, &auth) {
        Ok(pinned) => {
            if !args.common.quiet {
                eprintln!("palisade: signature verified; scanning {pinned}");
            }
            Ok(Ok(Some(pinned)))
        }
        Err(e) => verdict(e).map(Err),
    }
}
