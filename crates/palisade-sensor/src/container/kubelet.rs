//! Pod metadata from the node's own kubelet (`GET /pods`): no API-server watch, no cluster
//! wide RBAC beyond `nodes/proxy`, and only this node's pods, which are the only ones the
//! sensor can see.

use super::pods::PodIndex;
use std::io::Read;
use std::path::PathBuf;
use std::sync::{Arc, RwLock, Weak};
use std::time::Duration;

/// Largest pod list accepted: a 110-pod node sends a few MiB; more means something is wrong.
pub const DEFAULT_MAX_BODY: u64 = 64 << 20;

#[derive(Debug, thiserror::Error)]
pub enum KubeletError {
    #[error("reading the bearer token file {path}: {source}")]
    Token {
        path: String,
        source: std::io::Error,
    },
    #[error("kubelet TLS settings (CA file {path:?}): {reason}")]
    Tls {
        path: Option<String>,
        reason: String,
    },
    /// Connection refused, DNS, TLS handshake, timeout: the kubelet was not reached.
    #[error("connecting to the kubelet at {url}: {reason}")]
    Connect { url: String, reason: String },
    /// The kubelet answered with an error status (401/403: the token or its RBAC).
    #[error("the kubelet answered {url} with HTTP {status}")]
    Status { url: String, status: u16 },
    #[error("the kubelet's pod list is larger than {limit} bytes")]
    TooLarge { limit: u64 },
    #[error("reading the kubelet's answer: {0}")]
    Read(std::io::Error),
    #[error("the kubelet's pod list is not a valid PodList: {0}")]
    Json(serde_json::Error),
    #[error("starting the kubelet refresh thread: {0}")]
    Spawn(std::io::Error),
}

impl KubeletError {
    /// A 401 or 403: retrying with the same token will not help.
    pub fn is_unauthorized(&self) -> bool {
        matches!(
            self,
            KubeletError::Status {
                status: 401 | 403,
                ..
            }
        )
    }
}

/// How to reach the kubelet.
#[derive(Debug, Clone)]
pub struct KubeletConfig {
    /// e.g. `https://127.0.0.1:10250/pods` (or the read-only `http://…:10255/pods`).
    pub url: String,
    /// Sent as `Authorization: Bearer`; re-read on every fetch because projected service
    /// account tokens rotate.
    pub token_file: Option<PathBuf>,
    /// PEM bundle to verify the kubelet's certificate with (instead of public roots).
    pub ca_file: Option<PathBuf>,
    pub insecure_skip_verify: bool,
    pub timeout: Duration,
    pub max_body: u64,
}

impl KubeletConfig {
    pub fn new(url: impl Into<String>) -> Self {
        KubeletConfig {
            url: url.into(),
            token_file: None,
            ca_file: None,
            insecure_skip_verify: false,
            timeout: Duration::from_secs(10),
            max_body: DEFAULT_MAX_BODY,
        }
    }
}

/// A kubelet pod-list client; [`KubeletClient::fetch`] is one request.
pub struct KubeletClient {
    config: KubeletConfig,
    agent: ureq::Agent,
}

impl KubeletClient {
    /// Reads the CA file now (a wrong one is a configuration error, not a fetch error).
    pub fn new(config: KubeletConfig) -> Result<Self, KubeletError> {
        let mut builder = ureq::AgentBuilder::new()
            .timeout(config.timeout)
            .user_agent(concat!("palisade-sensor/", env!("CARGO_PKG_VERSION")));
        if config.ca_file.is_some() || config.insecure_skip_verify {
            let tls = super::kubelet_tls::client_config(
                config.ca_file.as_deref(),
                config.insecure_skip_verify,
            )
            .map_err(|reason| KubeletError::Tls {
                path: config.ca_file.as_ref().map(|p| p.display().to_string()),
                reason,
            })?;
            builder = builder.tls_config(tls);
        }
        Ok(KubeletClient {
            agent: builder.build(),
            config,
        })
    }

    pub fn config(&self) -> &KubeletConfig {
        &self.config
    }

    /// Fetch and index the pod list.
    pub fn fetch(&self) -> Result<PodIndex, KubeletError> {
        let url = &self.config.url;
        let mut req = self.agent.get(url).set("Accept", "application/json");
        if let Some(path) = &self.config.token_file {
            let token = std::fs::read_to_string(path).map_err(|source| KubeletError::Token {
                path: path.display().to_string(),
                source,
            })?;
            req = req.set("Authorization", &format!("Bearer {}", token.trim()));
        }
        let resp = match req.call() {
            Ok(r) => r,
            Err(ureq::Error::Status(status, _)) => {
                return Err(KubeletError::Status {
                    url: url.clone(),
                    status,
                })
            }
            Err(ureq::Error::Transport(t)) => {
                return Err(KubeletError::Connect {
                    url: url.clone(),
                    reason: t.to_string(),
                })
            }
        };
        let limit = self.config.max_body;
        let declared: Option<u64> = resp
            .header("Content-Length")
            .and_then(|v| v.trim().parse().ok());
        if declared.is_some_and(|n| n > limit) {
            return Err(KubeletError::TooLarge { limit });
        }
        let mut body = Vec::new();
        // One byte past the limit tells "exactly at the limit" from "larger" without a length.
        resp.into_reader()
            .take(limit.saturating_add(1))
            .read_to_end(&mut body)
            .map_err(KubeletError::Read)?;
        if body.len() as u64 > limit {
            return Err(KubeletError::TooLarge { limit });
        }
        PodIndex::from_json(&body).map_err(KubeletError::Json)
    }
}

/// Keep a [`PodIndex`] fresh from a background thread: a fetch now, then one every `every`.
/// A failed fetch keeps the last good index and is passed to `on_error` (for the caller's
/// log). The thread ends once every clone of the returned `Arc` is dropped.
pub fn spawn_refresher(
    client: KubeletClient,
    every: Duration,
    on_error: impl Fn(&KubeletError) + Send + 'static,
) -> Result<Arc<RwLock<PodIndex>>, KubeletError> {
    let shared = Arc::new(RwLock::new(PodIndex::default()));
    let weak: Weak<RwLock<PodIndex>> = Arc::downgrade(&shared);
    std::thread::Builder::new()
        .name("palisade-kubelet".into())
        .spawn(move || loop {
            let result = client.fetch();
            let Some(shared) = weak.upgrade() else { return };
            match result {
                Ok(index) => {
                    // A poisoned lock only means a reader panicked; the index is replaced whole.
                    let mut guard = shared.write().unwrap_or_else(|p| p.into_inner());
                    *guard = index;
                }
                Err(e) => on_error(&e),
            }
            drop(shared);
            std::thread::sleep(every);
        })
        .map_err(KubeletError::Spawn)?;
    Ok(shared)
}
