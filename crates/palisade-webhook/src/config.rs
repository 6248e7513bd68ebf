//! Server settings. The defaults fit the API server's side of the contract: it gives a
//! webhook at most `timeoutSeconds` (10 s by default, 30 s at most) and never sends a body
//! over 3 MiB, its own request limit.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

/// How the webhook listens and how long it waits.
#[derive(Debug, Clone)]
pub struct ServerConfig {
    /// Address to listen on (`0.0.0.0:8443` in a cluster; port 0 picks a free port).
    pub listen: SocketAddr,
    /// PEM certificate chain, leaf first. Re-read when it changes on disk.
    pub tls_cert: PathBuf,
    /// PEM private key (PKCS#8, SEC1 or PKCS#1). Re-read with the certificate.
    pub tls_key: PathBuf,
    /// Whole-request deadline once headers are in: reading the body plus the review. 9 s by
    /// default, under the webhook's default `timeoutSeconds: 10`, so the API server gets an
    /// answer (408) rather than a timeout of its own.
    pub request_timeout: Duration,
    /// Largest request body accepted; larger ones get 413 before they are read. 3 MiB, the
    /// API server's own limit for a request, by default.
    pub max_body: usize,
    /// How long a client may take to finish its TLS handshake and to send request headers
    /// (HTTP/1.1). Slow-loris connections are closed after this.
    pub header_read_timeout: Duration,
    /// How often the certificate files are checked for changes (mtime, size, inode).
    pub cert_poll_interval: Duration,
    /// Connections served at once; more wait in the accept queue. Bounds memory under floods.
    pub max_connections: usize,
    /// On shutdown, how long in-flight requests may take before connections are dropped.
    pub shutdown_grace: Duration,
    /// Worker threads for [`crate::run`]'s runtime.
    pub worker_threads: usize,
    /// Run `Controller::review` on tokio's blocking pool (true) or on the connection's worker
    /// thread (false). See `handler::review` for the measurements behind the default.
    pub review_on_blocking_pool: bool,
}

impl ServerConfig {
    /// The defaults for everything but where to listen and which certificate to serve.
    pub fn new(listen: SocketAddr, tls_cert: PathBuf, tls_key: PathBuf) -> Self {
        ServerConfig {
            listen,
            tls_cert,
            tls_key,
            request_timeout: Duration::from_secs(9),
            max_body: 3 * 1024 * 1024,
            header_read_timeout: Duration::from_secs(5),
            cert_poll_interval: Duration::from_secs(1),
            max_connections: 1024,
            shutdown_grace: Duration::from_secs(10),
            worker_threads: 2,
            review_on_blocking_pool: true,
        }
    }
}
