//! The simple-signing payload of a cosign image signature (cosign's SIGNATURE_SPEC):
//! `{"critical":{"identity":{"docker-reference":…},"image":{"docker-manifest-digest":…},
//! "type":"cosign container image signature"},"optional":…}`, byte for byte as cosign's
//! Go code marshals it, signed as it is.

use crate::error::{Result, SignError};
use crate::gojson;
use crate::keys::{PublicKey, SigningKey};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// `critical.type` of every cosign image signature.
pub const SIGNATURE_TYPE: &str = "cosign container image signature";

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Payload {
    pub critical: Critical,
    /// Annotations (`-a key=value`); cosign writes `null` without any.
    pub optional: Option<BTreeMap<String, serde_json::Value>>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Critical {
    pub identity: Identity,
    pub image: Image,
    #[serde(rename = "type")]
    pub kind: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Identity {
    #[serde(rename = "docker-reference")]
    pub docker_reference: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Image {
    #[serde(rename = "docker-manifest-digest")]
    pub docker_manifest_digest: String,
}

impl Payload {
    /// The payload for the image `digest` in `docker_reference` (the repository, without
    /// tag or digest, as cosign names it).
    pub fn new(
        docker_reference: &str,
        digest: &str,
        annotations: BTreeMap<String, String>,
    ) -> Payload {
        Payload {
            critical: Critical {
                identity: Identity {
                    docker_reference: docker_reference.to_string(),
                },
                image: Image {
                    docker_manifest_digest: digest.to_string(),
                },
                kind: SIGNATURE_TYPE.to_string(),
            },
            optional: (!annotations.is_empty()).then(|| {
                annotations
                    .into_iter()
                    .map(|(k, v)| (k, serde_json::Value::String(v)))
                    .collect()
            }),
        }
    }

    /// The bytes cosign would sign for this payload.
    pub fn to_bytes(&self) -> Vec<u8> {
        // Serializing strings and maps of strings cannot fail.
        gojson::to_vec(self).unwrap_or_default()
    }

    pub fn parse(bytes: &[u8]) -> Result<Payload> {
        let p: Payload =
            serde_json::from_slice(bytes).map_err(|e| SignError::MalformedPayload {
                message: format!("not a cosign simple-signing payload: {e}"),
            })?;
        if p.critical.kind != SIGNATURE_TYPE {
            return Err(SignError::MalformedPayload {
                message: format!(
                    "critical.type is {:?}, not {SIGNATURE_TYPE:?}",
                    p.critical.kind
                ),
            });
        }
        Ok(p)
    }

    /// Signs the payload: its bytes and the base64 signature cosign stores in the
    /// `dev.cosignproject.cosign/signature` annotation.
    pub fn sign(&self, key: &SigningKey) -> Result<(Vec<u8>, String)> {
        let bytes = self.to_bytes();
        let sig = key.sign(&bytes)?;
        Ok((bytes, crate::keys::encode_signature(&sig)))
    }
}

/// Verifies one cosign signature of the image `digest`: the signature over the payload
/// bytes, then that the payload names that digest. The payload is returned for its
/// identity and annotations.
pub fn verify(
    key: &PublicKey,
    payload: &[u8],
    signature_b64: &str,
    digest: &str,
) -> Result<Payload> {
    key.verify_b64("image signature", payload, signature_b64)?;
    let p = Payload::parse(payload)?;
    if p.critical.image.docker_manifest_digest != digest {
        return Err(SignError::DigestMismatch {
            expected: digest.to_string(),
            signed: p.critical.image.docker_manifest_digest,
        });
    }
    Ok(p)
}

/// Checks that a verified payload carries every `required` annotation with that value, as
/// `cosign verify -a key=value` does.
pub fn check_annotations(payload: &Payload, required: &BTreeMap<String, String>) -> Result<()> {
    for (key, expected) in required {
        let found = payload.optional.as_ref().and_then(|o| o.get(key));
        if found.and_then(|v| v.as_str()) != Some(expected.as_str()) {
            return Err(SignError::AnnotationMismatch {
                key: key.clone(),
                expected: expected.clone(),
                found: found.map_or_else(|| "absent".to_string(), |v| v.to_string()),
            });
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    const DIGEST: &str = "sha256:ad379304e5895fb9d1175a5dea828d898f8e9d1ff171d839b4877b8b03f89231";

    #[test]
    fn bytes_match_cosign() {
        let p = Payload::new("corpus/debian-bookworm-vulnapps", DIGEST, BTreeMap::new());
        assert_eq!(
            String::from_utf8(p.to_bytes()).unwrap(),
            format!(
                r#"{{"critical":{{"identity":{{"docker-reference":"corpus/debian-bookworm-vulnapps"}},"image":{{"docker-manifest-digest":"{DIGEST}"}},"type":"cosign container image signature"}},"optional":null}}"#
            )
        );
        let with = Payload::new(
            "r/a",
            DIGEST,
            [
                ("z".to_string(), "1".to_string()),
                ("a".to_string(), "<&>".to_string()),
            ]
            .into(),
        );
        assert!(String::from_utf8(with.to_bytes())
            .unwrap()
            .ends_with(r#""optional":{"a":"\u003c\u0026\u003e","z":"1"}}"#));
    }

    #[test]
    fn annotations_are_checked_by_value() {
        let p = Payload::new(
            "r/a",
            DIGEST,
            [("env".to_string(), "prod".to_string())].into(),
        );
        let want = |k: &str, v: &str| [(k.to_string(), v.to_string())].into();
        check_annotations(&p, &BTreeMap::new()).unwrap();
        check_annotations(&p, &want("env", "prod")).unwrap();
        assert!(matches!(
            check_annotations(&p, &want("env", "dev")),
            Err(SignError::AnnotationMismatch { .. })
        ));
        let bare = Payload::new("r/a", DIGEST, BTreeMap::new());
        match check_annotations(&bare, &want("env", "prod")) {
            Err(SignError::AnnotationMismatch { found, .. }) => assert_eq!(found, "absent"),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn sign_verify_and_each_failure() {
        let key = SigningKey::generate().unwrap();
        let other = SigningKey::generate().unwrap();
        let (bytes, sig) = Payload::new("r/a", DIGEST, BTreeMap::new())
            .sign(&key)
            .unwrap();
        verify(&key.public_key(), &bytes, &sig, DIGEST).unwrap();
        assert!(matches!(
            verify(&other.public_key(), &bytes, &sig, DIGEST),
            Err(SignError::BadSignature { .. })
        ));
        let elsewhere = DIGEST.replace("ad37", "0000");
        assert!(matches!(
            verify(&key.public_key(), &bytes, &sig, &elsewhere),
            Err(SignError::DigestMismatch { .. })
        ));
        let mut tampered = bytes.clone();
        tampered[20] ^= 1;
        assert!(matches!(
            verify(&key.public_key(), &tampered, &sig, DIGEST),
            Err(SignError::BadSignature { .. })
        ));
        assert!(matches!(
            verify(&key.public_key(), &bytes, "%%%", DIGEST),
            Err(SignError::MalformedSignature { .. })
        ));
        let (junk, junk_sig) = {
            let b = b"{\"critical\":1}".to_vec();
            let s = crate::keys::encode_signature(&key.sign(&b).unwrap());
            (b, s)
        };
        assert!(matches!(
            verify(&key.public_key(), &junk, &junk_sig, DIGEST),
            Err(SignError::MalformedPayload { .. })
        ));
    }
}
