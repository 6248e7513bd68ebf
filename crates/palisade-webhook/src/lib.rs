//! The admission webhook server: Kubernetes' API server POSTs AdmissionReviews over HTTPS,
//! [`palisade_engine::admission::Controller`] decides, this crate owns everything network-side.
//!
//! * HTTPS only (rustls, TLS 1.2 and 1.3, ALPN `h2` and `http/1.1`: the API server speaks
//!   both). The certificate is re-read from disk while serving ([`tls`]), so a cert-manager
//!   or Secret rotation needs no restart.
//! * `POST /validate`, `POST /mutate`: AdmissionReview JSON in and out. `GET /healthz`,
//!   `GET /readyz`, `GET /metrics` (Prometheus text).
//! * Malformed requests get 4xx answers, never a hung connection: 415 for a wrong
//!   `Content-Type`, 400 for empty, truncated or non-review JSON, 413 for bodies over the
//!   limit, 408 for clients too slow to send their body. Kyverno answers 417 to empty or
//!   unparsable bodies; Palisade follows issue 17 (400), which is also what RFC 9110 means by
//!   a malformed request. The API server treats every non-200 alike (it applies the
//!   webhook's `failurePolicy`), so the codes are for humans and metrics.
//! * Certificates for the webhook Service: [`generate_certs`] (`palisade admission certs`).

mod certs;
mod config;
mod handler;
mod metrics;
mod reload;
mod run;
mod server;
pub mod tls;
mod x509;

use std::net::SocketAddr;
use std::path::PathBuf;

pub use certs::{generate_certs, CertFiles};
pub use config::ServerConfig;
pub use reload::watch_config;
pub use run::run;
pub use server::{serve, ControllerSlot, Server};

/// Everything that stops the server from starting or certificates from being written.
/// Per-request problems are HTTP answers, not errors.
#[derive(Debug, thiserror::Error)]
pub enum WebhookError {
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("cannot listen on {addr}: {source}")]
    Bind {
        addr: SocketAddr,
        #[source]
        source: std::io::Error,
    },
    #[error("cannot start the async runtime: {0}")]
    Runtime(#[source] std::io::Error),
    #[error("TLS certificate {cert} / key {key}: {reason}")]
    Certificate {
        cert: PathBuf,
        key: PathBuf,
        reason: String,
    },
    #[error("TLS configuration: {0}")]
    Tls(#[from] rustls::Error),
    #[error("generating certificates: {0}")]
    CertGen(#[from] rcgen::Error),
    #[error("invalid argument: {0}")]
    Invalid(String),
}
