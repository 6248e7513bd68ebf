//! `palisade admission certs`: a private CA and a serving certificate for the webhook's
//! Service, for clusters without cert-manager. The CA's key is not written: renewing means
//! generating a new pair and updating the webhook configuration's `caBundle`, which keeps a
//! long-lived signing key off disk.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use base64::Engine;
use rcgen::{
    BasicConstraints, CertificateParams, DnType, ExtendedKeyUsagePurpose, IsCa, Issuer, KeyPair,
    KeyUsagePurpose, PKCS_ECDSA_P256_SHA256,
};
use time::{Duration, OffsetDateTime};

use crate::WebhookError;

/// What [`generate_certs`] wrote.
#[derive(Debug, Clone)]
pub struct CertFiles {
    /// `ca.crt`: the CA certificate (PEM).
    pub ca_cert: PathBuf,
    /// `tls.crt`: the serving certificate (PEM), signed by the CA.
    pub tls_cert: PathBuf,
    /// `tls.key`: the serving key (PKCS#8 PEM, mode 0600).
    pub tls_key: PathBuf,
    /// base64 of `ca.crt`, the value for the webhook configuration's `clientConfig.caBundle`.
    pub ca_bundle: String,
}

/// Writes `ca.crt`, `tls.crt` and `tls.key` into `out_dir` (created if missing): ECDSA P-256,
/// valid from an hour ago (clock skew between nodes) for `valid_days`, server names
/// `service`, `service.namespace`, `service.namespace.svc` and
/// `service.namespace.svc.cluster.local` (the API server dials `service.namespace.svc`).
pub fn generate_certs(
    service: &str,
    namespace: &str,
    out_dir: &Path,
    valid_days: u32,
) -> Result<CertFiles, WebhookError> {
    for (what, name) in [("service", service), ("namespace", namespace)] {
        if !is_dns_label(name) {
            return Err(WebhookError::Invalid(format!(
                "{what} {name:?} is not a DNS label (lowercase letters, digits, '-', at most 63)"
            )));
        }
    }
    if valid_days == 0 {
        return Err(WebhookError::Invalid(
            "valid_days must be at least 1".into(),
        ));
    }
    let now = OffsetDateTime::now_utc();
    let not_before = now - Duration::hours(1);
    let not_after = now + Duration::days(i64::from(valid_days));

    let ca_key = KeyPair::generate_for(&PKCS_ECDSA_P256_SHA256)?;
    let mut ca = CertificateParams::new(Vec::<String>::new())?;
    // The creation time in the name tells an old CA from its successor in a caBundle that
    // holds both during a rotation.
    let stamp = now.unix_timestamp();
    ca.distinguished_name.push(
        DnType::CommonName,
        format!("palisade-webhook-ca {namespace}/{service} {stamp}"),
    );
    ca.is_ca = IsCa::Ca(BasicConstraints::Constrained(0));
    ca.key_usages = vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign];
    ca.not_before = not_before;
    ca.not_after = not_after;
    let ca_cert = ca.self_signed(&ca_key)?;
    let issuer = Issuer::new(ca, ca_key);

    let sans = vec![
        service.to_string(),
        format!("{service}.{namespace}"),
        format!("{service}.{namespace}.svc"),
        format!("{service}.{namespace}.svc.cluster.local"),
    ];
    let leaf_key = KeyPair::generate_for(&PKCS_ECDSA_P256_SHA256)?;
    let mut leaf = CertificateParams::new(sans)?;
    leaf.distinguished_name
        .push(DnType::CommonName, format!("{service}.{namespace}.svc"));
    leaf.key_usages = vec![KeyUsagePurpose::DigitalSignature];
    leaf.extended_key_usages = vec![ExtendedKeyUsagePurpose::ServerAuth];
    leaf.use_authority_key_identifier_extension = true;
    leaf.not_before = not_before;
    leaf.not_after = not_after;
    let leaf_cert = leaf.signed_by(&leaf_key, &issuer)?;

    fs::create_dir_all(out_dir).map_err(|source| WebhookError::Io {
        path: out_dir.to_path_buf(),
        source,
    })?;
    let ca_pem = ca_cert.pem();
    let files = CertFiles {
        ca_cert: out_dir.join("ca.crt"),
        tls_cert: out_dir.join("tls.crt"),
        tls_key: out_dir.join("tls.key"),
        ca_bundle: base64::engine::general_purpose::STANDARD.encode(ca_pem.as_bytes()),
    };
    write_file(&files.ca_cert, ca_pem.as_bytes(), 0o644)?;
    write_file(&files.tls_key, leaf_key.serialize_pem().as_bytes(), 0o600)?;
    write_file(&files.tls_cert, leaf_cert.pem().as_bytes(), 0o644)?;
    Ok(files)
}

/// RFC 1123 label, what Kubernetes accepts for Service and Namespace names.
fn is_dns_label(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 63
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !s.starts_with('-')
        && !s.ends_with('-')
}

/// Writes through a temporary file and a rename, so a running server polling these paths
/// never reads a half-written file; the key is created with its final mode, never readable
/// by others even briefly.
fn write_file(path: &Path, contents: &[u8], mode: u32) -> Result<(), WebhookError> {
    let io = |source| WebhookError::Io {
        path: path.to_path_buf(),
        source,
    };
    let mut tmp_name = path.as_os_str().to_owned();
    tmp_name.push(".tmp");
    let tmp = PathBuf::from(tmp_name);
    let mut opts = fs::OpenOptions::new();
    opts.write(true).create(true).truncate(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        opts.mode(mode);
    }
    #[cfg(not(unix))]
    let _ = mode;
    let mut f = opts.open(&tmp).map_err(io)?;
    #[cfg(unix)]
    {
        // `mode` is filtered by the umask and ignored for an existing file: set it outright.
        use std::os::unix::fs::PermissionsExt;
        f.set_permissions(fs::Permissions::from_mode(mode))
            .map_err(io)?;
    }
    f.write_all(contents).map_err(io)?;
    f.sync_all().map_err(io)?;
    drop(f);
    fs::rename(&tmp, path).map_err(io)
}
