//! ECDSA P-256 keys as cosign writes and reads them: encrypted cosign/sigstore PEM,
//! PKCS#8 and SEC1 private keys, SubjectPublicKeyInfo public keys (PEM or DER).

use crate::encrypted;
use crate::error::{Result, SignError};
use aws_lc_rs::encoding::{AsDer, PublicKeyX509Der};
use aws_lc_rs::signature::{
    EcdsaKeyPair, KeyPair, UnparsedPublicKey, ECDSA_P256_SHA256_ASN1,
    ECDSA_P256_SHA256_ASN1_SIGNING,
};
use base64::Engine;
use sha2::Digest as _;

const PEM_PKCS8: &str = "PRIVATE KEY";
const PEM_SEC1: &str = "EC PRIVATE KEY";
const PEM_PUBLIC: &str = "PUBLIC KEY";

/// A private signing key (ECDSA P-256, signatures ASN.1 DER over SHA-256).
pub struct SigningKey {
    pair: EcdsaKeyPair,
}

impl std::fmt::Debug for SigningKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "SigningKey({})", self.public_key().key_id())
    }
}

/// A public verification key: the DER SubjectPublicKeyInfo.
#[derive(Clone, PartialEq, Eq)]
pub struct PublicKey {
    spki: Vec<u8>,
}

impl std::fmt::Debug for PublicKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "PublicKey({})", self.key_id())
    }
}

/// What a key file holds, before a password was asked for.
pub enum KeyFile {
    Plain(SigningKey),
    /// An encrypted cosign key: open it with [`KeyFile::open`].
    Encrypted {
        what: String,
        json: Vec<u8>,
    },
}

impl KeyFile {
    /// Reads a private key file's bytes (`what` names it in errors).
    pub fn parse(what: &str, bytes: &[u8]) -> Result<KeyFile> {
        let malformed = |message: String| SignError::MalformedKey {
            what: what.to_string(),
            message,
        };
        if !looks_like_pem(bytes) {
            return SigningKey::from_der(what, bytes).map(KeyFile::Plain);
        }
        let blocks = pem::parse_many(bytes).map_err(|e| malformed(e.to_string()))?;
        for block in &blocks {
            match block.tag() {
                encrypted::PEM_SIGSTORE | encrypted::PEM_COSIGN => {
                    return Ok(KeyFile::Encrypted {
                        what: what.to_string(),
                        json: block.contents().to_vec(),
                    })
                }
                PEM_PKCS8 | PEM_SEC1 => {
                    return SigningKey::from_der(what, block.contents()).map(KeyFile::Plain)
                }
                "RSA PRIVATE KEY" => {
                    return Err(SignError::UnsupportedKey {
                        what: what.to_string(),
                        kind: "RSA".into(),
                    })
                }
                "ENCRYPTED PRIVATE KEY" => {
                    return Err(SignError::UnsupportedEncryption {
                        what: what.to_string(),
                        scheme: "PKCS#8 (openssl) encryption; decrypt it or use a cosign key"
                            .into(),
                    })
                }
                _ => {}
            }
        }
        let tags: Vec<&str> = blocks.iter().map(|b| b.tag()).collect();
        Err(malformed(format!(
            "no private key among PEM blocks {tags:?}"
        )))
    }

    pub fn is_encrypted(&self) -> bool {
        matches!(self, KeyFile::Encrypted { .. })
    }

    /// The key, decrypting with `password` when encrypted (`None`: none was given).
    pub fn open(self, password: Option<&[u8]>) -> Result<SigningKey> {
        match self {
            KeyFile::Plain(k) => Ok(k),
            KeyFile::Encrypted { what, json } => {
                let password =
                    password.ok_or_else(|| SignError::PasswordRequired { what: what.clone() })?;
                let der = encrypted::decrypt(&what, &json, password)?;
                SigningKey::from_der(&what, &der)
            }
        }
    }
}

fn looks_like_pem(bytes: &[u8]) -> bool {
    bytes.windows(11).any(|w| w == b"-----BEGIN ")
}

/// Names the algorithm of a DER key that is not P-256, by the OIDs it carries.
fn key_kind(der: &[u8]) -> Option<&'static str> {
    const OIDS: [(&[u8], &str); 5] = [
        (
            &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01],
            "RSA",
        ),
        (&[0x06, 0x03, 0x2b, 0x65, 0x70], "Ed25519"),
        (&[0x2b, 0x81, 0x04, 0x00, 0x22], "ECDSA P-384"),
        (&[0x2b, 0x81, 0x04, 0x00, 0x23], "ECDSA P-521"),
        (&[0x2b, 0x81, 0x04, 0x00, 0x0a], "ECDSA secp256k1"),
    ];
    OIDS.iter()
        .find(|(oid, _)| der.windows(oid.len()).any(|w| w == *oid))
        .map(|(_, name)| *name)
}

fn reject(what: &str, der: &[u8], message: String) -> SignError {
    match key_kind(der) {
        Some(kind) => SignError::UnsupportedKey {
            what: what.to_string(),
            kind: kind.to_string(),
        },
        None => SignError::MalformedKey {
            what: what.to_string(),
            message,
        },
    }
}

impl SigningKey {
    /// A fresh key.
    pub fn generate() -> Result<SigningKey> {
        EcdsaKeyPair::generate(&ECDSA_P256_SHA256_ASN1_SIGNING)
            .map(|pair| SigningKey { pair })
            .map_err(|_| SignError::Crypto {
                what: "key generation".into(),
            })
    }

    /// PKCS#8 or SEC1 (RFC 5915) DER.
    pub fn from_der(what: &str, der: &[u8]) -> Result<SigningKey> {
        EcdsaKeyPair::from_private_key_der(&ECDSA_P256_SHA256_ASN1_SIGNING, der)
            .map(|pair| SigningKey { pair })
            .map_err(|e| reject(what, der, format!("not an ECDSA P-256 private key ({e})")))
    }

    pub fn public_key(&self) -> PublicKey {
        let spki = AsDer::<PublicKeyX509Der>::as_der(self.pair.public_key())
            .map(|d| d.as_ref().to_vec())
            // Marshalling a key aws-lc just parsed or made cannot fail; the empty key
            // would verify nothing.
            .unwrap_or_default();
        PublicKey { spki }
    }

    /// ASN.1 DER ECDSA signature over SHA-256 of `message`.
    pub fn sign(&self, message: &[u8]) -> Result<Vec<u8>> {
        let rng = aws_lc_rs::rand::SystemRandom::new();
        self.pair
            .sign(&rng, message)
            .map(|s| s.as_ref().to_vec())
            .map_err(|_| SignError::Crypto {
                what: "signing".into(),
            })
    }

    /// The key as cosign's `generate-key-pair` writes `cosign.key`: PKCS#8 sealed with
    /// `password` (which may be empty) in an `ENCRYPTED SIGSTORE PRIVATE KEY` PEM block.
    pub fn to_encrypted_pem(&self, password: &[u8]) -> Result<String> {
        let pkcs8 = self.pair.to_pkcs8v1().map_err(|_| SignError::Crypto {
            what: "PKCS#8 encoding".into(),
        })?;
        let json = encrypted::encrypt(pkcs8.as_ref(), password)?;
        Ok(pem_lf(encrypted::PEM_SIGSTORE, json))
    }
}

fn pem_lf(tag: &str, contents: Vec<u8>) -> String {
    pem::encode_config(
        &pem::Pem::new(tag, contents),
        pem::EncodeConfig::new().set_line_ending(pem::LineEnding::LF),
    )
}

impl PublicKey {
    /// A `PUBLIC KEY` PEM block, or DER SubjectPublicKeyInfo.
    pub fn parse(what: &str, bytes: &[u8]) -> Result<PublicKey> {
        let der = if looks_like_pem(bytes) {
            let blocks = pem::parse_many(bytes).map_err(|e| SignError::MalformedKey {
                what: what.to_string(),
                message: e.to_string(),
            })?;
            let Some(block) = blocks.iter().find(|b| b.tag() == PEM_PUBLIC) else {
                let tags: Vec<&str> = blocks.iter().map(|b| b.tag()).collect();
                let message = if tags.iter().any(|t| t.contains("PRIVATE")) {
                    "a private key where the public key (cosign.pub) belongs".to_string()
                } else {
                    format!("no PUBLIC KEY among PEM blocks {tags:?}")
                };
                return Err(SignError::MalformedKey {
                    what: what.to_string(),
                    message,
                });
            };
            block.contents().to_vec()
        } else {
            bytes.to_vec()
        };
        Self::from_spki(what, der)
    }

    fn from_spki(what: &str, spki: Vec<u8>) -> Result<PublicKey> {
        // aws-lc parses the SPKI and checks the point is on P-256; verifying a dummy
        // signature is the way its API offers to do so.
        const EC_PUBLIC_KEY: [u8; 7] = [0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01];
        const P256: [u8; 8] = [0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07];
        let has = |oid: &[u8]| spki.windows(oid.len()).any(|w| w == oid);
        if !(has(&EC_PUBLIC_KEY) && has(&P256)) || spki.first() != Some(&0x30) {
            return Err(reject(
                what,
                &spki,
                "not an ECDSA P-256 SubjectPublicKeyInfo".into(),
            ));
        }
        let key = PublicKey { spki };
        if key.check_parses().is_err() {
            return Err(SignError::MalformedKey {
                what: what.to_string(),
                message: "the ECDSA P-256 public key does not parse".into(),
            });
        }
        Ok(key)
    }

    fn check_parses(&self) -> std::result::Result<(), ()> {
        aws_lc_rs::signature::ParsedPublicKey::new(&ECDSA_P256_SHA256_ASN1, &self.spki)
            .map(|_| ())
            .map_err(|_| ())
    }

    pub fn spki_der(&self) -> &[u8] {
        &self.spki
    }

    /// `cosign.pub` as cosign writes it.
    pub fn to_pem(&self) -> String {
        pem_lf(PEM_PUBLIC, self.spki.clone())
    }

    /// A short fingerprint for messages: the first 16 hex digits of SHA-256 of the SPKI.
    pub fn key_id(&self) -> String {
        hex::encode(&sha2::Sha256::digest(&self.spki)[..8])
    }

    /// Checks an ASN.1 DER ECDSA signature over SHA-256 of `message`.
    pub fn verify(&self, what: &str, message: &[u8], signature: &[u8]) -> Result<()> {
        if signature.is_empty() || signature.first() != Some(&0x30) {
            return Err(SignError::MalformedSignature {
                what: what.to_string(),
                message: "not an ASN.1 DER ECDSA signature".into(),
            });
        }
        UnparsedPublicKey::new(&ECDSA_P256_SHA256_ASN1, &self.spki)
            .verify(message, signature)
            .map_err(|_| SignError::BadSignature {
                what: what.to_string(),
            })
    }

    /// Checks a base64 signature (what `sign-blob` prints and cosign's annotation holds).
    pub fn verify_b64(&self, what: &str, message: &[u8], signature_b64: &str) -> Result<()> {
        let sig = decode_signature(what, signature_b64)?;
        self.verify(what, message, &sig)
    }
}

/// A base64 signature (surrounding whitespace ignored).
pub fn decode_signature(what: &str, text: &str) -> Result<Vec<u8>> {
    let t = text.trim();
    if t.is_empty() {
        return Err(SignError::MalformedSignature {
            what: what.to_string(),
            message: "empty".into(),
        });
    }
    base64::engine::general_purpose::STANDARD
        .decode(t)
        .map_err(|e| SignError::MalformedSignature {
            what: what.to_string(),
            message: format!("not base64: {e}"),
        })
}

pub fn encode_signature(sig: &[u8]) -> String {
    base64::engine::general_purpose::STANDARD.encode(sig)
}
