//! The Kubernetes audit webhook backend: the API server's `--audit-webhook-config-file`
//! points at `POST /k8s-audit` (Falco's path), which takes an `EventList` (or one event,
//! or JSON lines) and runs every event through the engine. HTTPS with a certificate, or
//! plain HTTP for loopback and sidecars; bodies are bounded and must arrive within a deadline.

use crate::k8saudit::{parse_bytes, K8sAudit};
use crate::output::{Alert, RateLimiter};
use crate::Engine;
use bytes::Bytes;
use http_body_util::{BodyExt, Full, Limited};
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper::{Method, Request, Response, StatusCode};
use hyper_util::rt::{TokioIo, TokioTimer};
use std::future::Future;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::net::TcpListener;

#[derive(Debug, Clone)]
pub struct ServeConfig {
    /// Largest accepted body: the API server's default batch is well under this.
    pub max_body: usize,
    /// Time a client has to send its headers and body (and finish the TLS handshake).
    pub deadline: Duration,
    /// HTTPS when set (see [`tls_config`]).
    pub tls: Option<Arc<rustls::ServerConfig>>,
}

impl Default for ServeConfig {
    fn default() -> Self {
        ServeConfig {
            max_body: 12 * 1024 * 1024,
            deadline: Duration::from_secs(10),
            tls: None,
        }
    }
}

/// A TLS 1.2/1.3 server configuration from PEM files (certificate chain, private key).
pub fn tls_config(cert_pem: &[u8], key_pem: &[u8]) -> Result<rustls::ServerConfig, String> {
    use rustls::pki_types::pem::PemObject;
    use rustls::pki_types::{CertificateDer, PrivateKeyDer};
    let chain = CertificateDer::pem_slice_iter(cert_pem)
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| format!("certificate PEM: {e}"))?;
    if chain.is_empty() {
        return Err("no CERTIFICATE block in the certificate file".into());
    }
    let key = PrivateKeyDer::from_pem_slice(key_pem).map_err(|e| format!("key PEM: {e}"))?;
    let provider = Arc::new(rustls::crypto::aws_lc_rs::default_provider());
    rustls::ServerConfig::builder_with_provider(provider)
        .with_protocol_versions(&[&rustls::version::TLS13, &rustls::version::TLS12])
        .map_err(|e| e.to_string())?
        .with_no_client_auth()
        .with_single_cert(chain, key)
        .map_err(|e| format!("key does not fit the certificate: {e}"))
}

/// Where alerts go; called from the server's tasks.
pub type Sink = Arc<dyn Fn(&Alert) + Send + Sync>;

/// Counters for `/healthz` and for tests.
#[derive(Debug, Default)]
pub struct Stats {
    pub events: u64,
    pub skipped: u64,
    pub alerts: u64,
}

struct State {
    engine: Engine<K8sAudit>,
    limiter: Mutex<RateLimiter>,
    sink: Sink,
    cfg: ServeConfig,
    stats: Mutex<Stats>,
}

fn reply(code: StatusCode, body: impl Into<Bytes>) -> Response<Full<Bytes>> {
    let mut r = Response::new(Full::new(body.into()));
    *r.status_mut() = code;
    r
}

async fn handle(st: Arc<State>, req: Request<Incoming>) -> Response<Full<Bytes>> {
    match (req.method(), req.uri().path()) {
        (&Method::GET, "/healthz") => {
            let s = st.stats.lock().map(|s| {
                format!(
                    "ok events={} skipped={} alerts={}\n",
                    s.events, s.skipped, s.alerts
                )
            });
            reply(StatusCode::OK, s.unwrap_or_else(|_| "ok\n".into()))
        }
        (&Method::POST, "/k8s-audit" | "/") => {
            let body = Limited::new(req.into_body(), st.cfg.max_body);
            let data = match tokio::time::timeout(st.cfg.deadline, body.collect()).await {
                Err(_) => {
                    return reply(
                        StatusCode::REQUEST_TIMEOUT,
                        "body not received within the deadline\n",
                    )
                }
                Ok(Err(e)) if e.is::<http_body_util::LengthLimitError>() => {
                    return reply(StatusCode::PAYLOAD_TOO_LARGE, "body over the limit\n")
                }
                Ok(Err(_)) => return reply(StatusCode::BAD_REQUEST, "body could not be read\n"),
                Ok(Ok(c)) => c.to_bytes(),
            };
            // Evaluation is CPU work: off the I/O threads.
            let st2 = st.clone();
            let res = tokio::task::spawn_blocking(move || process(&st2, &data)).await;
            match res {
                Ok((0, bad)) if bad > 0 => {
                    reply(StatusCode::BAD_REQUEST, "no audit events in the body\n")
                }
                Ok(_) => reply(StatusCode::OK, ""),
                Err(_) => reply(StatusCode::INTERNAL_SERVER_ERROR, "evaluation failed\n"),
            }
        }
        _ => reply(StatusCode::NOT_FOUND, "POST audit events to /k8s-audit\n"),
    }
}

fn process(st: &State, data: &[u8]) -> (u64, u64) {
    let (mut good, mut bad, mut n_alerts) = (0u64, 0u64, 0u64);
    for (_, ev) in parse_bytes(data) {
        let Ok(ev) = ev else {
            bad += 1;
            continue;
        };
        good += 1;
        for a in st.engine.process(&ev) {
            let ok = st
                .limiter
                .lock()
                .map(|mut l| l.allow(&a.rule, ev.time_ns))
                .unwrap_or(true);
            if ok {
                n_alerts += 1;
                (st.sink)(&a);
            }
        }
    }
    if let Ok(mut s) = st.stats.lock() {
        s.events += good;
        s.skipped += bad;
        s.alerts += n_alerts;
    }
    (good, bad)
}

/// Serves until `shutdown` completes. Returns the address bound (useful with port 0) via
/// `on_bound` before accepting.
pub async fn serve(
    addr: SocketAddr,
    engine: Engine<K8sAudit>,
    limiter: RateLimiter,
    sink: Sink,
    cfg: ServeConfig,
    on_bound: impl FnOnce(SocketAddr),
    shutdown: impl Future<Output = ()>,
) -> std::io::Result<()> {
    let listener = TcpListener::bind(addr).await?;
    on_bound(listener.local_addr()?);
    let st = Arc::new(State {
        engine,
        limiter: Mutex::new(limiter),
        sink,
        cfg: cfg.clone(),
        stats: Mutex::new(Stats::default()),
    });
    tokio::pin!(shutdown);
    loop {
        tokio::select! {
            _ = &mut shutdown => return Ok(()),
            acc = listener.accept() => {
                // Accept errors (out of descriptors, a reset) concern one client only.
                let Ok((stream, _)) = acc else { continue };
                let st = st.clone();
                let tls = cfg.tls.clone().map(tokio_rustls::TlsAcceptor::from);
                let deadline = cfg.deadline;
                tokio::spawn(async move {
                    let svc = service_fn(move |req| {
                        let st = st.clone();
                        async move { Ok::<_, std::convert::Infallible>(handle(st, req).await) }
                    });
                    let mut http = http1::Builder::new();
                    http.timer(TokioTimer::new()).header_read_timeout(deadline);
                    match tls {
                        None => {
                            let _ = http.serve_connection(TokioIo::new(stream), svc).await;
                        }
                        Some(acceptor) => {
                            // Failed or slow handshakes concern that client only.
                            let Ok(Ok(tls)) = tokio::time::timeout(deadline, acceptor.accept(stream)).await else {
                                return;
                            };
                            let _ = http.serve_connection(TokioIo::new(tls), svc).await;
                        }
                    }
                });
            }
        }
    }
}
