//! Checks on the bundle's own certificate chain that sigstore-verify 0.15.1 does not make.
//!
//! The bundle spec says `x509CertificateChain` MUST NOT contain the root: trust anchors
//! come only from the trusted root. sigstore-verify builds its path from the trusted
//! root's anchors and ignores a shipped root, so a bundle that carries one verifies
//! (conformance case `bundle-with-root-cert_fail` only fails there for unrelated reasons:
//! a v0.1 proof without checkpoint, another identity). sigstore-python and sigstore-go
//! refuse such a bundle outright; so do we, before the crate runs.

use super::BundleError;
use sigstore_verify::types::{Bundle, VerificationMaterialContent};
use x509_cert::der::Decode;
use x509_cert::Certificate;

pub(super) fn check(bundle: &Bundle) -> Result<(), BundleError> {
    let VerificationMaterialContent::X509CertificateChain { certificates } =
        &bundle.verification_material.content
    else {
        return Ok(());
    };
    for (i, cert) in certificates.iter().enumerate() {
        let parsed = Certificate::from_der(cert.raw_bytes.as_bytes()).map_err(|e| {
            BundleError::MalformedCertificate(format!("chain certificate {i}: {e}"))
        })?;
        let tbs = &parsed.tbs_certificate;
        // Self-issued is what makes a root; a Fulcio leaf or intermediate never is.
        if tbs.subject == tbs.issuer {
            return Err(BundleError::UntrustedChain(format!(
                "bundle ships a self-issued root certificate (chain position {i}, subject {}); \
                 roots come only from the trusted root",
                tbs.subject
            )));
        }
    }
    Ok(())
}
