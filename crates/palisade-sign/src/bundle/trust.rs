//! The trusted root: which Fulcio CAs, Rekor logs, CT logs and timestamp authorities
//! a bundle may chain to.

use super::BundleError;
use sigstore_verify::trust_root::TrustedRoot as CrateRoot;

/// The Sigstore public-good instance's `trusted_root.json`, as published by
/// sigstore/root-signing (`targets/trusted_root.json`, commit c9bda74a, 2025-09-22:
/// Rekor v1 plus the log2025-1 Rekor v2 shard). Kept as our own file rather than the
/// verifier crate's copy so a refresh does not wait for a crate release; see
/// docs/sigstore-bundles.md for how to refresh it.
pub const PUBLIC_GOOD_TRUSTED_ROOT: &str = include_str!("trusted_root.json");

/// A parsed `trusted_root.json` (media type
/// `application/vnd.dev.sigstore.trustedroot+json;version=0.1`).
#[derive(Debug, Clone)]
pub struct TrustedRoot {
    pub(super) inner: CrateRoot,
}

impl TrustedRoot {
    /// Parse a trusted root document.
    pub fn from_json(json: &str) -> Result<Self, BundleError> {
        CrateRoot::from_json(json)
            .map(|inner| Self { inner })
            .map_err(|e| BundleError::TrustedRoot(e.to_string()))
    }

    /// The embedded Sigstore public-good trusted root.
    pub fn public_good() -> Result<Self, BundleError> {
        Self::from_json(PUBLIC_GOOD_TRUSTED_ROOT)
    }
}
