//! cosign's encrypted private key: a PEM block whose content is JSON
//! `{kdf: {name: scrypt, params: {N, r, p}, salt}, cipher: {name: nacl/secretbox, nonce},
//! ciphertext}` (byte fields in standard base64, as Go's `encoding/json` writes `[]byte`);
//! the plaintext is the PKCS#8 DER of the key. The format is go-securesystemslib's
//! `encrypted` package, which cosign and sigstore use.

use crate::error::{Result, SignError};
use crypto_secretbox::aead::{Aead, KeyInit};
use crypto_secretbox::XSalsa20Poly1305;
use serde::{Deserialize, Serialize};
use zeroize::Zeroizing;

/// PEM types of encrypted keys: sigstore's current one first, cosign's older second.
pub const PEM_SIGSTORE: &str = "ENCRYPTED SIGSTORE PRIVATE KEY";
pub const PEM_COSIGN: &str = "ENCRYPTED COSIGN PRIVATE KEY";

/// cosign's current parameters (N = 2^16, r = 8, p = 1).
const LOG_N: u8 = 16;
const R: u32 = 8;
const P: u32 = 1;
/// Caps that keep a hostile key file from asking for gigabytes of scrypt memory
/// (128·r·N bytes): cosign writes N = 2^15 or 2^16 with r = 8.
const MAX_LOG_N: u8 = 20;
const MAX_R: u32 = 32;
const MAX_P: u32 = 16;

#[derive(Serialize, Deserialize)]
struct Encrypted {
    kdf: Kdf,
    cipher: Cipher,
    #[serde(with = "b64")]
    ciphertext: Vec<u8>,
}

#[derive(Serialize, Deserialize)]
struct Kdf {
    name: String,
    params: ScryptParams,
    #[serde(with = "b64")]
    salt: Vec<u8>,
}

#[derive(Serialize, Deserialize)]
struct ScryptParams {
    #[serde(rename = "N")]
    n: u64,
    r: u32,
    p: u32,
}

#[derive(Serialize, Deserialize)]
struct Cipher {
    name: String,
    #[serde(with = "b64")]
    nonce: Vec<u8>,
}

mod b64 {
    use base64::Engine;
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(v: &[u8], s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&base64::engine::general_purpose::STANDARD.encode(v))
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<u8>, D::Error> {
        let text = String::deserialize(d)?;
        base64::engine::general_purpose::STANDARD
            .decode(text)
            .map_err(serde::de::Error::custom)
    }
}

fn derive_key(
    what: &str,
    password: &[u8],
    salt: &[u8],
    params: &ScryptParams,
) -> Result<Zeroizing<[u8; 32]>> {
    let unsupported = |scheme: String| SignError::UnsupportedEncryption {
        what: what.to_string(),
        scheme,
    };
    let n = params.n;
    if !n.is_power_of_two() || n < 2 {
        return Err(unsupported(format!("scrypt N={n} (not a power of two)")));
    }
    let log_n = u8::try_from(n.trailing_zeros()).unwrap_or(u8::MAX);
    if log_n > MAX_LOG_N || params.r == 0 || params.r > MAX_R || params.p == 0 || params.p > MAX_P {
        return Err(unsupported(format!(
            "scrypt N={n} r={} p={} (beyond N=2^{MAX_LOG_N}, r={MAX_R}, p={MAX_P})",
            params.r, params.p
        )));
    }
    let p = scrypt::Params::new(log_n, params.r, params.p, 32)
        .map_err(|e| unsupported(format!("scrypt parameters: {e}")))?;
    let mut key = Zeroizing::new([0u8; 32]);
    scrypt::scrypt(password, salt, &p, key.as_mut()).map_err(|_| SignError::Crypto {
        what: what.to_string(),
    })?;
    Ok(key)
}

/// Opens the JSON content of an encrypted key PEM block: the PKCS#8 DER inside.
pub fn decrypt(what: &str, json: &[u8], password: &[u8]) -> Result<Zeroizing<Vec<u8>>> {
    let enc: Encrypted = serde_json::from_slice(json).map_err(|e| SignError::MalformedKey {
        what: what.to_string(),
        message: format!("encrypted key JSON: {e}"),
    })?;
    if enc.kdf.name != "scrypt" {
        return Err(SignError::UnsupportedEncryption {
            what: what.to_string(),
            scheme: format!("kdf {:?}", enc.kdf.name),
        });
    }
    if enc.cipher.name != "nacl/secretbox" {
        return Err(SignError::UnsupportedEncryption {
            what: what.to_string(),
            scheme: format!("cipher {:?}", enc.cipher.name),
        });
    }
    if enc.cipher.nonce.len() != 24 {
        return Err(SignError::MalformedKey {
            what: what.to_string(),
            message: format!(
                "secretbox nonce of {} bytes, not 24",
                enc.cipher.nonce.len()
            ),
        });
    }
    let key = derive_key(what, password, &enc.kdf.salt, &enc.kdf.params)?;
    let cipher = XSalsa20Poly1305::new(key.as_ref().into());
    let nonce = crypto_secretbox::Nonce::from_slice(&enc.cipher.nonce);
    cipher
        .decrypt(nonce, enc.ciphertext.as_slice())
        .map(Zeroizing::new)
        .map_err(|_| SignError::WrongPassword {
            what: what.to_string(),
        })
}

/// Seals PKCS#8 DER as cosign does, with fresh salt and nonce: the JSON content of an
/// [`PEM_SIGSTORE`] block.
pub fn encrypt(pkcs8: &[u8], password: &[u8]) -> Result<Vec<u8>> {
    use aws_lc_rs::rand::{SecureRandom, SystemRandom};
    let what = "new key";
    let rng = SystemRandom::new();
    let mut salt = vec![0u8; 32];
    let mut nonce = vec![0u8; 24];
    rng.fill(&mut salt)
        .and_then(|()| rng.fill(&mut nonce))
        .map_err(|_| SignError::Crypto { what: what.into() })?;
    let params = ScryptParams {
        n: 1 << LOG_N,
        r: R,
        p: P,
    };
    let key = derive_key(what, password, &salt, &params)?;
    let cipher = XSalsa20Poly1305::new(key.as_ref().into());
    let ciphertext = cipher
        .encrypt(crypto_secretbox::Nonce::from_slice(&nonce), pkcs8)
        .map_err(|_| SignError::Crypto { what: what.into() })?;
    let enc = Encrypted {
        kdf: Kdf {
            name: "scrypt".into(),
            params,
            salt,
        },
        cipher: Cipher {
            name: "nacl/secretbox".into(),
            nonce,
        },
        ciphertext,
    };
    serde_json::to_vec(&enc).map_err(|_| SignError::Crypto { what: what.into() })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_and_wrong_password() {
        let sealed = encrypt(b"pkcs8 bytes", b"pw").unwrap();
        let text = String::from_utf8(sealed.clone()).unwrap();
        assert!(text
            .starts_with(r#"{"kdf":{"name":"scrypt","params":{"N":65536,"r":8,"p":1},"salt":""#));
        assert_eq!(
            decrypt("k", &sealed, b"pw").unwrap().as_slice(),
            b"pkcs8 bytes"
        );
        assert!(matches!(
            decrypt("k", &sealed, b"other"),
            Err(SignError::WrongPassword { .. })
        ));
    }

    #[test]
    fn hostile_parameters_are_refused_before_any_work() {
        for params in [
            r#"{"N":3,"r":8,"p":1}"#,
            r#"{"N":4294967296,"r":8,"p":1}"#,
            r#"{"N":1024,"r":0,"p":1}"#,
        ] {
            let json = format!(
                r#"{{"kdf":{{"name":"scrypt","params":{params},"salt":""}},"cipher":{{"name":"nacl/secretbox","nonce":"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"}},"ciphertext":""}}"#
            );
            assert!(
                matches!(
                    decrypt("k", json.as_bytes(), b""),
                    Err(SignError::UnsupportedEncryption { .. })
                ),
                "{params}"
            );
        }
        assert!(matches!(
            decrypt("k", b"{", b""),
            Err(SignError::MalformedKey { .. })
        ));
    }
}
