//! DSSE envelopes (secure-systems-lab/dsse v1): the signature covers the pre-authentication
//! encoding `DSSEv1 <len(type)> <type> <len(body)> <body>`, never the JSON around it.

use crate::error::{Result, SignError};
use crate::keys::{decode_signature, encode_signature, PublicKey, SigningKey};
use base64::Engine;
use serde::{Deserialize, Serialize};

/// The payload type of in-toto statements.
pub const IN_TOTO_PAYLOAD_TYPE: &str = "application/vnd.in-toto+json";

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Envelope {
    #[serde(rename = "payloadType")]
    pub payload_type: String,
    /// Standard base64 of the payload bytes.
    pub payload: String,
    pub signatures: Vec<EnvelopeSignature>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct EnvelopeSignature {
    #[serde(default)]
    pub keyid: String,
    pub sig: String,
}

/// The pre-authentication encoding the signature covers.
pub fn pae(payload_type: &str, body: &[u8]) -> Vec<u8> {
    let mut out = format!(
        "DSSEv1 {} {} {} ",
        payload_type.len(),
        payload_type,
        body.len()
    )
    .into_bytes();
    out.extend_from_slice(body);
    out
}

impl Envelope {
    /// Signs `body` as one envelope with one signature (`keyid` empty, as cosign writes).
    pub fn sign(key: &SigningKey, payload_type: &str, body: &[u8]) -> Result<Envelope> {
        let sig = key.sign(&pae(payload_type, body))?;
        Ok(Envelope {
            payload_type: payload_type.to_string(),
            payload: base64::engine::general_purpose::STANDARD.encode(body),
            signatures: vec![EnvelopeSignature {
                keyid: String::new(),
                sig: encode_signature(&sig),
            }],
        })
    }

    pub fn parse(bytes: &[u8]) -> Result<Envelope> {
        serde_json::from_slice(bytes).map_err(|e| SignError::MalformedEnvelope {
            message: format!("not a DSSE envelope: {e}"),
        })
    }

    pub fn to_bytes(&self) -> Vec<u8> {
        crate::gojson::to_vec(self).unwrap_or_default()
    }

    /// The payload bytes, after one of the envelope's signatures verified with `key`.
    pub fn verify(&self, key: &PublicKey) -> Result<Vec<u8>> {
        let body = base64::engine::general_purpose::STANDARD
            .decode(self.payload.trim())
            .map_err(|e| SignError::MalformedEnvelope {
                message: format!("payload is not base64: {e}"),
            })?;
        if self.signatures.is_empty() {
            return Err(SignError::MalformedEnvelope {
                message: "no signatures".into(),
            });
        }
        let message = pae(&self.payload_type, &body);
        let mut first_error = None;
        for s in &self.signatures {
            let checked = decode_signature("attestation signature", &s.sig)
                .and_then(|sig| key.verify("attestation", &message, &sig));
            match checked {
                Ok(()) => return Ok(body),
                Err(e) => {
                    first_error.get_or_insert(e);
                }
            }
        }
        Err(first_error.unwrap_or(SignError::BadSignature {
            what: "attestation".into(),
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pae_matches_the_spec_example() {
        // The DSSE protocol document's example.
        assert_eq!(
            pae("http://example.com/HelloWorld", b"hello world"),
            b"DSSEv1 29 http://example.com/HelloWorld 11 hello world".to_vec()
        );
    }

    #[test]
    fn round_trip_and_tamper() {
        let key = SigningKey::generate().unwrap();
        let env = Envelope::sign(&key, IN_TOTO_PAYLOAD_TYPE, b"{}").unwrap();
        let parsed = Envelope::parse(&env.to_bytes()).unwrap();
        assert_eq!(parsed.verify(&key.public_key()).unwrap(), b"{}");
        let mut other_type = parsed.clone();
        other_type.payload_type = "text/plain".into();
        assert!(matches!(
            other_type.verify(&key.public_key()),
            Err(SignError::BadSignature { .. })
        ));
        let other = SigningKey::generate().unwrap();
        assert!(matches!(
            parsed.verify(&other.public_key()),
            Err(SignError::BadSignature { .. })
        ));
        assert!(matches!(
            Envelope::parse(b"[]"),
            Err(SignError::MalformedEnvelope { .. })
        ));
    }
}
