//! `palisade verify-bundle`: a Sigstore bundle checked offline, in the command-line
//! shape of the Sigstore conformance protocol (docs/cli_protocol.md there).
//!
//! Exit 0 verified, 1 verification failed (one line on stderr naming the failed
//! check), 2 when the inputs cannot be read (bad flags are clap's 2 as well).

use anyhow::{Context, Result};
use clap::Args;
use palisade_sign::bundle::{
    verify_bundle, verify_bundle_reader, Artifact, BundleError, Policy, TrustedRoot, Verified,
};
use std::io::Write;
use std::path::{Path, PathBuf};

/// Larger bundles or roots than this are not Sigstore documents; refuse before parsing.
const MAX_DOCUMENT: u64 = 32 * 1024 * 1024;

#[derive(Args, Debug)]
#[command(
    after_help = "Exit status: 0 verified; 1 verification failed (the failed check on \
stderr); 2 an input could not be read or bad flags. Details: docs/sigstore-bundles.md"
)]
pub struct VerifyBundleArgs {
    /// The Sigstore bundle (`*.sigstore.json`, v0.1–v0.3).
    #[arg(long)]
    pub bundle: PathBuf,
    /// Expected identity (SAN) of the signing certificate, matched exactly.
    #[arg(
        long,
        required_unless_present = "key",
        conflicts_with = "key",
        requires = "certificate_oidc_issuer"
    )]
    pub certificate_identity: Option<String>,
    /// Expected OIDC issuer of the signing certificate, matched exactly.
    #[arg(long, conflicts_with = "key", requires = "certificate_identity")]
    pub certificate_oidc_issuer: Option<String>,
    /// PEM public key for a managed-key bundle (instead of identity and issuer).
    #[arg(long)]
    pub key: Option<PathBuf>,
    /// trusted_root.json to verify against (default: the embedded Sigstore public-good root).
    #[arg(long)]
    pub trusted_root: Option<PathBuf>,
    /// Sigstore staging is an online instance; refused (offline verification only).
    #[arg(long, hide = true)]
    pub staging: bool,
    /// Print what was verified as JSON on stdout.
    #[arg(long)]
    pub json: bool,
    /// The artifact (for DSSE: a subject of the statement), or `sha256:<hex digest>`.
    pub artifact: String,
}

pub fn run(args: &VerifyBundleArgs) -> Result<i32> {
    if args.staging {
        anyhow::bail!("--staging: no embedded staging root; pass its --trusted-root instead");
    }
    let bundle = read_limited(&args.bundle).with_context(|| args.bundle.display().to_string())?;
    // Bytes that are not text are a bundle that fails to verify, not a tool error.
    let Ok(bundle) = String::from_utf8(bundle) else {
        return Ok(fail(
            &BundleError::MalformedBundle("not UTF-8 text".into()),
            args.json,
        ));
    };
    let root = match &args.trusted_root {
        Some(path) => Some(read_text(path)?),
        None => None,
    };
    let policy = match (
        &args.key,
        &args.certificate_identity,
        &args.certificate_oidc_issuer,
    ) {
        (Some(key), _, _) => Policy::PublicKey {
            pem: read_text(key)?,
        },
        (None, Some(identity), Some(issuer)) => Policy::Keyless {
            identity: identity.clone(),
            issuer: issuer.clone(),
        },
        _ => anyhow::bail!("give --key, or --certificate-identity with --certificate-oidc-issuer"),
    };
    let root = match root {
        Some(json) => TrustedRoot::from_json(&json),
        None => TrustedRoot::public_good(),
    };
    // The protocol's rule: a well-formed sha256 digest that is not a file on disk is a
    // digest; anything else is a path.
    let digest =
        Artifact::parse_digest(&args.artifact).filter(|_| !Path::new(&args.artifact).exists());
    let verdict = match digest {
        Some(d) => root.and_then(|r| verify_bundle(Artifact::Sha256(d), &bundle, &policy, &r)),
        None => verify_file(Path::new(&args.artifact), &bundle, &policy, root)?,
    };
    match verdict {
        Ok(verified) => {
            if args.json {
                // One shape for both verdicts: a consumer reads `verified` first.
                let mut doc = serde_json::to_value(&verified)?;
                if let Some(obj) = doc.as_object_mut() {
                    obj.insert("verified".into(), true.into());
                }
                let mut out = std::io::stdout().lock();
                writeln!(out, "{}", serde_json::to_string_pretty(&doc)?)?;
            } else {
                eprintln!("verified: {}", summary(&verified));
            }
            Ok(0)
        }
        Err(e) => Ok(fail(&e, args.json)),
    }
}

fn fail(e: &BundleError, json: bool) -> i32 {
    let line = palisade_report::escape_controls(&e.to_string()).replace('\n', " ");
    eprintln!("palisade: verification failed: {line}");
    if json {
        let doc = serde_json::json!({"verified": false, "reason": e.kind(), "message": line});
        // stdout closing early changes nothing about the verdict.
        let _ = writeln!(std::io::stdout().lock(), "{doc}");
    }
    1
}

/// Streams the file (release tarballs can be larger than memory); only a scheme that
/// needs the whole message (Ed25519) gets the bytes read in full.
fn verify_file(
    path: &Path,
    bundle: &str,
    policy: &Policy,
    root: Result<TrustedRoot, BundleError>,
) -> Result<Result<Verified, BundleError>> {
    // An unreadable artifact is a tool error whatever else is wrong.
    let file = std::fs::File::open(path).with_context(|| path.display().to_string())?;
    let root = match root {
        Ok(r) => r,
        Err(e) => return Ok(Err(e)),
    };
    let reader = std::io::BufReader::new(file);
    match verify_bundle_reader(reader, bundle, policy, &root) {
        Err(BundleError::ArtifactInput(_)) => {
            let bytes = std::fs::read(path).with_context(|| path.display().to_string())?;
            Ok(verify_bundle(
                Artifact::Bytes(&bytes),
                bundle,
                policy,
                &root,
            ))
        }
        verdict => Ok(verdict),
    }
}

fn summary(v: &Verified) -> String {
    let who = match &v.signer {
        palisade_sign::bundle::Signer::Certificate { identity, issuer } => {
            format!("{identity} ({issuer})")
        }
        palisade_sign::bundle::Signer::PublicKey => "the given public key".to_string(),
    };
    format!("{} signed by {who}", v.content)
}

fn read_text(path: &Path) -> Result<String> {
    String::from_utf8(read_limited(path)?)
        .map_err(|_| anyhow::anyhow!("not UTF-8 text"))
        .with_context(|| path.display().to_string())
}

fn read_limited(path: &Path) -> Result<Vec<u8>> {
    use std::io::Read;
    let mut bytes = Vec::new();
    std::fs::File::open(path)?
        .take(MAX_DOCUMENT + 1)
        .read_to_end(&mut bytes)?;
    if bytes.len() as u64 > MAX_DOCUMENT {
        anyhow::bail!("over the {MAX_DOCUMENT} byte limit");
    }
    Ok(bytes)
}
