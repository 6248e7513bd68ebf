//! The signature gate: images must carry a cosign signature that verifies with a configured
//! key. Unlike the other image rules this one reaches the registry — for the signature
//! manifest and payloads, never the image — so answers are remembered per reference: a
//! Deployment's replicas ask once, and a registry outage during the cache window costs nothing.
//! The webhook's deadline bounds a slow registry; past it the review is decided by `onError`.

use super::config::{Action, OnError, SignatureGate};
use super::verdict::{Reason, Verdict};
use super::AdmissionError;
use crate::signing::{self, RegistryAuthOptions};
use palisade_sign::PublicKey;
use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

const DEFAULT_CACHE: Duration = Duration::from_secs(300);
/// References remembered at most; a cluster runs far fewer distinct images.
const MAX_CACHED: usize = 4096;

/// What the registry said about one reference, and until when it holds.
#[derive(Debug, Clone)]
struct Answer {
    /// The verified digest, or why nothing verified.
    outcome: Result<String, Failure>,
    until: Instant,
}

#[derive(Debug, Clone)]
enum Failure {
    /// A signature is missing or does not verify: the gate's action applies.
    Unsigned(String),
    /// The registry could not be asked: `onError` decides.
    Unreachable(String),
}

#[derive(Debug)]
pub(crate) struct SignatureStage {
    keys: Vec<PublicKey>,
    images: Vec<String>,
    action: Action,
    insecure: Vec<String>,
    docker_config: Option<std::path::PathBuf>,
    ttl: Duration,
    cache: Mutex<HashMap<String, Answer>>,
}

impl SignatureStage {
    pub fn new(gate: &SignatureGate) -> Result<SignatureStage, AdmissionError> {
        if gate.keys.is_empty() {
            return Err(AdmissionError::Signatures(
                "keys: at least one public key is needed".into(),
            ));
        }
        let keys = gate
            .keys
            .iter()
            .map(|p| {
                let what = p.display().to_string();
                let bytes = std::fs::read(p)
                    .map_err(|e| AdmissionError::Signatures(format!("{what}: {e}")))?;
                PublicKey::parse(&what, &bytes)
                    .map_err(|e| AdmissionError::Signatures(e.to_string()))
            })
            .collect::<Result<_, _>>()?;
        Ok(SignatureStage {
            keys,
            images: gate.images.clone(),
            action: gate.action,
            insecure: gate.insecure_registries.clone(),
            docker_config: gate.docker_config.clone(),
            ttl: gate
                .cache_seconds
                .map(Duration::from_secs)
                .unwrap_or(DEFAULT_CACHE),
            cache: Mutex::new(HashMap::new()),
        })
    }

    /// Whether `name` (the image's fully qualified repository) needs a signature.
    pub fn applies_to(&self, name: &str) -> bool {
        self.images.is_empty()
            || self
                .images
                .iter()
                .any(|p| super::images::registry_matches(p, name))
    }

    pub fn check(
        &self,
        container: &str,
        image: &str,
        name: &str,
        on_error: OnError,
        out: &mut Verdict,
    ) {
        match self.answer(image, name) {
            Ok(_) => {}
            Err(Failure::Unsigned(why)) => out.act(
                self.action,
                Reason::Signature,
                // The reason names the image already.
                format!("container {container:?}: {why}"),
            ),
            Err(Failure::Unreachable(why)) => out.error(
                on_error,
                format!("container {container:?}: signature check: {why}"),
            ),
        }
    }

    /// The digest a signature verified for `image`, asking the registry when not remembered.
    pub fn verified_digest(&self, image: &str, name: &str) -> Option<String> {
        self.answer(image, name).ok()
    }

    fn answer(&self, image: &str, name: &str) -> Result<String, Failure> {
        let now = Instant::now();
        if let Some(a) = self.lock().get(image).filter(|a| a.until > now) {
            return a.outcome.clone();
        }
        let auth = RegistryAuthOptions {
            insecure: self
                .insecure
                .iter()
                .any(|p| super::images::registry_matches(p, name)),
            docker_config: self.docker_config.clone(),
            ..Default::default()
        };
        let outcome = match signing::verify_image(image, &self.keys, &auth) {
            Ok(v) => Ok(v.digest),
            Err(e) if e.is_verification_failure() => Err(Failure::Unsigned(e.to_string())),
            Err(e) => Err(Failure::Unreachable(e.to_string())),
        };
        // A failure is asked again sooner: the image may be signed a minute later, and a
        // registry outage should not outlive itself here.
        let ttl = if outcome.is_ok() {
            self.ttl
        } else {
            self.ttl / 10
        };
        let mut cache = self.lock();
        if cache.len() >= MAX_CACHED {
            cache.retain(|_, a| a.until > now);
            if cache.len() >= MAX_CACHED {
                cache.clear();
            }
        }
        cache.insert(
            image.to_string(),
            Answer {
                outcome: outcome.clone(),
                until: now + ttl,
            },
        );
        outcome
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<String, Answer>> {
        self.cache.lock().unwrap_or_else(|p| p.into_inner())
    }
}
