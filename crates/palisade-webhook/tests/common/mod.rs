//! A real webhook on 127.0.0.1 with certificates from `generate_certs`, and clients for it.
#![allow(dead_code)]

use std::net::SocketAddr;
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use palisade_engine::admission::Controller;
use palisade_webhook::{generate_certs, CertFiles, Server, ServerConfig, WebhookError};
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, ServerName};
use tokio::net::TcpStream;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;
use tokio_rustls::client::TlsStream;

pub const SERVICE: &str = "palisade-webhook";
pub const NAMESPACE: &str = "palisade";
/// The name the API server dials; resolved to the test server by the clients.
pub const HOST: &str = "palisade-webhook.palisade.svc";

pub const REVIEW: &str = r#"{"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview",
"request":{"uid":"705ab4f5-6393-11e8-b7cc-42010a800002",
"kind":{"group":"","version":"v1","kind":"ConfigMap"},
"resource":{"group":"","version":"v1","resource":"configmaps"},
"name":"cm","namespace":"default","operation":"CREATE",
"userInfo":{"username":"admin"},
"object":{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"cm","namespace":"default"},"data":{"a":"b"}}}}"#;

pub struct TestServer {
    pub addr: SocketAddr,
    pub dir: tempfile::TempDir,
    pub certs: CertFiles,
    shutdown: Option<oneshot::Sender<()>>,
    pub task: Option<JoinHandle<Result<(), WebhookError>>>,
}

impl TestServer {
    /// Starts a server with test-friendly timeouts, adjusted by `tweak`.
    pub async fn start(tweak: impl FnOnce(&mut ServerConfig)) -> TestServer {
        let dir = tempfile::tempdir().expect("tempdir");
        let certs = generate_certs(SERVICE, NAMESPACE, dir.path(), 30).expect("certs");
        let mut cfg = ServerConfig::new(
            "127.0.0.1:0".parse().expect("addr"),
            certs.tls_cert.clone(),
            certs.tls_key.clone(),
        );
        cfg.cert_poll_interval = Duration::from_millis(100);
        cfg.shutdown_grace = Duration::from_secs(5);
        tweak(&mut cfg);
        let server = Server::bind(cfg, Arc::new(Controller::default()))
            .await
            .expect("bind");
        let addr = server.local_addr();
        let (tx, rx) = oneshot::channel::<()>();
        let task = tokio::spawn(server.serve(async move {
            let _ = rx.await;
        }));
        TestServer {
            addr,
            dir,
            certs,
            shutdown: Some(tx),
            task: Some(task),
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("https://{HOST}:{}{path}", self.addr.port())
    }

    /// A pooled client trusting this server's CA.
    pub fn client(&self) -> reqwest::Client {
        client_for(self.addr, &[&self.certs.ca_cert], true)
    }

    /// Sends the shutdown signal; returns the serve task.
    pub fn shutdown(&mut self) -> JoinHandle<Result<(), WebhookError>> {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        self.task.take().expect("serve task")
    }
}

/// A reqwest client for `HOST` at `addr` trusting exactly the CAs in `ca_files`.
pub fn client_for(addr: SocketAddr, ca_files: &[&Path], pooled: bool) -> reqwest::Client {
    let mut b = reqwest::Client::builder()
        .resolve(HOST, addr)
        .tls_info(true)
        .timeout(Duration::from_secs(10));
    b = b.tls_certs_only(ca_files.iter().map(|p| ca(p)).collect::<Vec<_>>());
    if !pooled {
        // HTTP/2 would multiplex every request onto one connection.
        b = b.pool_max_idle_per_host(0).http1_only();
    }
    b.build().expect("client")
}

pub fn ca(path: &Path) -> reqwest::Certificate {
    reqwest::Certificate::from_pem(&std::fs::read(path).expect("ca")).expect("pem")
}

/// A raw TLS connection (HTTP/1.1 by ALPN) for requests reqwest will not send: stalled
/// headers, half bodies.
pub async fn raw_tls(addr: SocketAddr, ca_file: &Path) -> TlsStream<TcpStream> {
    let mut roots = rustls::RootCertStore::empty();
    let pem = std::fs::read(ca_file).expect("ca");
    for c in CertificateDer::pem_slice_iter(&pem) {
        roots.add(c.expect("pem")).expect("root");
    }
    let mut cfg = rustls::ClientConfig::builder_with_provider(palisade_webhook::tls::provider())
        .with_safe_default_protocol_versions()
        .expect("versions")
        .with_root_certificates(roots)
        .with_no_client_auth();
    cfg.alpn_protocols = vec![b"http/1.1".to_vec()];
    let tcp = TcpStream::connect(addr).await.expect("connect");
    tokio_rustls::TlsConnector::from(Arc::new(cfg))
        .connect(ServerName::try_from(HOST).expect("name"), tcp)
        .await
        .expect("handshake")
}

/// Resident set size of this test process, KiB.
pub fn rss_kib() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or(0)
}
