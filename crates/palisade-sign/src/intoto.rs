//! in-toto Statements (v1) and the predicate types cosign's `attest --type` names.

use crate::dsse::{Envelope, IN_TOTO_PAYLOAD_TYPE};
use crate::error::{Result, SignError};
use crate::keys::{PublicKey, SigningKey};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

pub const STATEMENT_V1: &str = "https://in-toto.io/Statement/v1";
/// What cosign 2.x writes; accepted when verifying.
pub const STATEMENT_V01: &str = "https://in-toto.io/Statement/v0.1";

/// `--type` names as cosign maps them to predicate type URIs.
pub const PREDICATE_TYPES: [(&str, &str); 10] = [
    ("slsaprovenance", "https://slsa.dev/provenance/v0.2"),
    ("slsaprovenance02", "https://slsa.dev/provenance/v0.2"),
    ("slsaprovenance1", "https://slsa.dev/provenance/v1"),
    ("link", "https://in-toto.io/Link/v1"),
    ("spdx", "https://spdx.dev/Document"),
    ("spdxjson", "https://spdx.dev/Document"),
    ("cyclonedx", "https://cyclonedx.org/bom"),
    ("vuln", "https://cosign.sigstore.dev/attestation/vuln/v1"),
    ("openvex", "https://openvex.dev/ns"),
    ("custom", "https://cosign.sigstore.dev/attestation/v1"),
];

/// The predicate type URI for a `--type` value: a cosign name, or a URI as it is.
pub fn predicate_type(name: &str) -> Result<String> {
    if let Some((_, uri)) = PREDICATE_TYPES
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case(name))
    {
        return Ok((*uri).to_string());
    }
    let is_uri = name
        .split_once("://")
        .is_some_and(|(scheme, rest)| !scheme.is_empty() && !rest.is_empty())
        && !name.chars().any(char::is_whitespace);
    if is_uri {
        Ok(name.to_string())
    } else {
        Err(SignError::UnknownPredicateType(name.to_string()))
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Statement {
    #[serde(rename = "_type")]
    pub statement_type: String,
    pub subject: Vec<Subject>,
    #[serde(rename = "predicateType")]
    pub predicate_type: String,
    #[serde(default)]
    pub predicate: serde_json::Value,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Subject {
    #[serde(default)]
    pub name: String,
    pub digest: BTreeMap<String, String>,
}

impl Statement {
    /// A statement about the image `digest` (`sha256:<hex>`) of repository `name`.
    pub fn for_image(
        name: &str,
        digest: &str,
        predicate_type: &str,
        predicate: serde_json::Value,
    ) -> Result<Statement> {
        let (alg, hex) = digest
            .split_once(':')
            .ok_or_else(|| SignError::MalformedStatement {
                message: format!("subject digest {digest:?} is not <algorithm>:<hex>"),
            })?;
        Ok(Statement {
            statement_type: STATEMENT_V1.to_string(),
            subject: vec![Subject {
                name: name.to_string(),
                digest: [(alg.to_string(), hex.to_string())].into(),
            }],
            predicate_type: predicate_type.to_string(),
            predicate,
        })
    }

    pub fn parse(bytes: &[u8]) -> Result<Statement> {
        let s: Statement =
            serde_json::from_slice(bytes).map_err(|e| SignError::MalformedStatement {
                message: e.to_string(),
            })?;
        if s.statement_type != STATEMENT_V1 && s.statement_type != STATEMENT_V01 {
            return Err(SignError::MalformedStatement {
                message: format!("_type {:?} is not an in-toto statement", s.statement_type),
            });
        }
        Ok(s)
    }

    /// Signs the statement into a DSSE envelope, as `cosign attest` does.
    pub fn sign(&self, key: &SigningKey) -> Result<Envelope> {
        let body = crate::gojson::to_vec(self).map_err(|e| SignError::MalformedPredicate {
            message: e.to_string(),
        })?;
        Envelope::sign(key, IN_TOTO_PAYLOAD_TYPE, &body)
    }

    fn names_digest(&self, digest: &str) -> bool {
        let Some((alg, hex)) = digest.split_once(':') else {
            return false;
        };
        self.subject.iter().any(|s| {
            s.digest
                .get(alg)
                .is_some_and(|h| h.eq_ignore_ascii_case(hex))
        })
    }
}

/// A predicate file as the statement's predicate: JSON as it is (a CycloneDX or SPDX
/// document, SLSA provenance, a vulnerability report).
pub fn parse_predicate(bytes: &[u8]) -> Result<serde_json::Value> {
    serde_json::from_slice(bytes).map_err(|e| SignError::MalformedPredicate {
        message: format!("not JSON: {e}"),
    })
}

/// The predicate type of cosign's generic `--type custom`.
pub const CUSTOM: &str = "https://cosign.sigstore.dev/attestation/v1";

/// cosign's generic predicate (COSIGN_PREDICATE_SPEC): the file's text as `Data`, with the
/// time of attestation as `Timestamp` (RFC 3339, UTC), field names as cosign's Go struct
/// writes them.
pub fn custom_predicate(data: &[u8], timestamp: &str) -> Result<serde_json::Value> {
    let text = std::str::from_utf8(data).map_err(|_| SignError::MalformedPredicate {
        message: "a custom predicate must be text (UTF-8)".into(),
    })?;
    Ok(serde_json::json!({"Data": text, "Timestamp": timestamp}))
}

/// Verifies an attestation of the image `digest`: the envelope signature with `key`, the
/// in-toto payload type, a subject naming `digest`, and (when given) the predicate type.
pub fn verify_attestation(
    key: &PublicKey,
    envelope: &[u8],
    digest: &str,
    predicate_type: Option<&str>,
) -> Result<Statement> {
    let env = Envelope::parse(envelope)?;
    let body = env.verify(key)?;
    if env.payload_type != IN_TOTO_PAYLOAD_TYPE {
        return Err(SignError::WrongPayloadType {
            found: env.payload_type,
        });
    }
    let statement = Statement::parse(&body)?;
    if !statement.names_digest(digest) {
        let subjects: Vec<String> = statement
            .subject
            .iter()
            .flat_map(|s| s.digest.iter().map(|(a, h)| format!("{a}:{h}")))
            .collect();
        return Err(SignError::SubjectMismatch {
            expected: digest.to_string(),
            subjects: if subjects.is_empty() {
                "empty".into()
            } else {
                subjects.join(", ")
            },
        });
    }
    if let Some(want) = predicate_type {
        if statement.predicate_type != want {
            return Err(SignError::PredicateTypeMismatch {
                expected: want.to_string(),
                found: statement.predicate_type,
            });
        }
    }
    Ok(statement)
}

#[cfg(test)]
mod tests {
    use super::*;

    const D: &str = "sha256:1111111111111111111111111111111111111111111111111111111111111111";

    #[test]
    fn custom_predicates_wrap_the_text() {
        let p = custom_predicate(b"foo\n", "2026-01-01T00:00:00Z").unwrap();
        assert_eq!(
            p,
            serde_json::json!({"Data": "foo\n", "Timestamp": "2026-01-01T00:00:00Z"})
        );
        assert!(matches!(
            custom_predicate(&[0xff], "t"),
            Err(SignError::MalformedPredicate { .. })
        ));
    }

    #[test]
    fn types_map_as_cosign() {
        assert_eq!(
            predicate_type("cyclonedx").unwrap(),
            "https://cyclonedx.org/bom"
        );
        assert_eq!(
            predicate_type("slsaprovenance1").unwrap(),
            "https://slsa.dev/provenance/v1"
        );
        assert_eq!(
            predicate_type("https://example.com/p/v1").unwrap(),
            "https://example.com/p/v1"
        );
        assert!(matches!(
            predicate_type("sbom"),
            Err(SignError::UnknownPredicateType(_))
        ));
    }

    #[test]
    fn verify_checks_signature_subject_and_type() {
        let key = SigningKey::generate().unwrap();
        let st = Statement::for_image(
            "r/a",
            D,
            "https://cyclonedx.org/bom",
            serde_json::json!({"bomFormat": "CycloneDX"}),
        )
        .unwrap();
        let env = st.sign(&key).unwrap().to_bytes();
        let pk = key.public_key();
        let got = verify_attestation(&pk, &env, D, Some("https://cyclonedx.org/bom")).unwrap();
        assert_eq!(got, st);
        assert!(matches!(
            verify_attestation(&pk, &env, &D.replace('1', "2"), None),
            Err(SignError::SubjectMismatch { .. })
        ));
        assert!(matches!(
            verify_attestation(&pk, &env, D, Some("https://spdx.dev/Document")),
            Err(SignError::PredicateTypeMismatch { .. })
        ));
        let other = SigningKey::generate().unwrap().public_key();
        assert!(matches!(
            verify_attestation(&other, &env, D, None),
            Err(SignError::BadSignature { .. })
        ));
        let not_intoto = Envelope::sign(&key, "text/plain", b"{}")
            .unwrap()
            .to_bytes();
        assert!(matches!(
            verify_attestation(&pk, &not_intoto, D, None),
            Err(SignError::WrongPayloadType { .. })
        ));
    }
}
