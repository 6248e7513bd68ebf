//! Cosign-compatible signing, offline: ECDSA P-256 keys (cosign's encrypted PEM, PKCS#8,
//! SEC1), blob signatures, the simple-signing payload of image signatures, DSSE envelopes
//! with in-toto statements, and SLSA v1 provenance. No I/O: callers read files and talk
//! to registries; this crate judges bytes.

pub mod bundle;
pub mod cosign;
pub mod dsse;
mod encrypted;
mod error;
mod gojson;
pub mod intoto;
mod keys;
pub mod provenance;
pub mod simple;

pub use error::{Result, SignError};
pub use keys::{decode_signature, encode_signature, KeyFile, PublicKey, SigningKey};

/// `sign-blob`: the base64 signature of `data` (ECDSA P-256, ASN.1 DER, over SHA-256).
pub fn sign_blob(key: &SigningKey, data: &[u8]) -> Result<String> {
    key.sign(data).map(|s| encode_signature(&s))
}

/// `verify-blob`: checks a base64 signature (as `sign-blob` or cosign wrote it) of `data`.
pub fn verify_blob(key: &PublicKey, data: &[u8], signature_b64: &str) -> Result<()> {
    key.verify_b64("blob signature", data, signature_b64)
}
