//! The audit webhook backend over real HTTP on loopback: an EventList posted as the API
//! server posts it gives alerts; oversized, malformed and unknown requests are refused.

use palisade_runtime::output::RateLimiter;
use palisade_runtime::serve::{serve, ServeConfig};
use palisade_runtime::{load_files, Alert, Engine, FieldCatalog, K8sAudit};
use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::sync::{mpsc, Arc, Mutex};
use std::time::Duration;

const DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/k8s");

fn post(addr: SocketAddr, path: &str, body: &[u8]) -> String {
    let mut s = TcpStream::connect(addr).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    let head = format!(
        "POST {path} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    );
    s.write_all(head.as_bytes()).unwrap();
    let _ = s.write_all(body);
    let mut out = String::new();
    let _ = s.read_to_string(&mut out);
    out
}

#[test]
fn event_list_in_alerts_out() {
    let cats: [&dyn FieldCatalog; 1] = [&K8sAudit];
    let set = load_files(&[format!("{DIR}/rules.yaml")], &cats);
    let engine = Engine::new(K8sAudit, &set);
    let alerts: Arc<Mutex<Vec<Alert>>> = Arc::default();
    let sink_alerts = alerts.clone();
    let (tx, rx) = mpsc::channel();
    let (stop_tx, stop_rx) = tokio::sync::oneshot::channel::<()>();
    let cfg = ServeConfig {
        max_body: 64 * 1024,
        deadline: Duration::from_secs(2),
        tls: None,
    };
    let server = std::thread::spawn(move || {
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .enable_all()
            .build()
            .unwrap();
        rt.block_on(serve(
            "127.0.0.1:0".parse().unwrap(),
            engine,
            RateLimiter::new(None),
            Arc::new(move |a: &Alert| sink_alerts.lock().unwrap().push(a.clone())),
            cfg,
            move |addr| tx.send(addr).unwrap(),
            async move {
                let _ = stop_rx.await;
            },
        ))
        .unwrap();
    });
    let addr = rx.recv_timeout(Duration::from_secs(10)).unwrap();
    let lines = std::fs::read_to_string(format!("{DIR}/events.jsonl")).unwrap();
    let items: Vec<serde_json::Value> = lines
        .lines()
        .filter_map(|l| serde_json::from_str(l).ok())
        .collect();
    let list =
        serde_json::json!({"kind": "EventList", "apiVersion": "audit.k8s.io/v1", "items": items});
    let r = post(addr, "/k8s-audit", list.to_string().as_bytes());
    assert!(r.starts_with("HTTP/1.1 200"), "{r}");
    assert_eq!(alerts.lock().unwrap().len(), 5);

    assert!(post(addr, "/k8s-audit", b"{\"kind\":0}").starts_with("HTTP/1.1 400"));
    assert!(post(addr, "/k8s-audit", &vec![b' '; 70 * 1024]).starts_with("HTTP/1.1 413"));
    assert!(post(addr, "/elsewhere", b"{}").starts_with("HTTP/1.1 404"));
    stop_tx.send(()).unwrap();
    server.join().unwrap();
}

#[test]
fn https_with_a_certificate() {
    use rcgen::{CertificateParams, KeyPair};
    use rustls::pki_types::{CertificateDer, ServerName};
    use tokio::io::{AsyncReadExt, AsyncWriteExt};

    let key = KeyPair::generate().expect("key");
    let cert = CertificateParams::new(vec!["localhost".to_string()])
        .expect("params")
        .self_signed(&key)
        .expect("cert");
    let tls =
        palisade_runtime::serve::tls_config(cert.pem().as_bytes(), key.serialize_pem().as_bytes())
            .expect("tls");
    assert!(palisade_runtime::serve::tls_config(b"junk", b"junk").is_err());

    let cats: [&dyn FieldCatalog; 1] = [&K8sAudit];
    let set = load_files(&[format!("{DIR}/rules.yaml")], &cats);
    let alerts: Arc<Mutex<Vec<Alert>>> = Arc::default();
    let sink_alerts = alerts.clone();
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .unwrap();
    let (tx, rx) = tokio::sync::oneshot::channel();
    let (stop_tx, stop_rx) = tokio::sync::oneshot::channel::<()>();
    let cfg = ServeConfig {
        tls: Some(Arc::new(tls)),
        ..ServeConfig::default()
    };
    let server = rt.spawn(serve(
        "127.0.0.1:0".parse().unwrap(),
        Engine::new(K8sAudit, &set),
        RateLimiter::new(None),
        Arc::new(move |a: &Alert| sink_alerts.lock().unwrap().push(a.clone())),
        cfg,
        move |addr| {
            let _ = tx.send(addr);
        },
        async move {
            let _ = stop_rx.await;
        },
    ));
    let body = std::fs::read_to_string(format!("{DIR}/events.jsonl")).unwrap();
    let reply = rt.block_on(async move {
        let addr = rx.await.unwrap();
        let mut roots = rustls::RootCertStore::empty();
        roots.add(CertificateDer::from(cert.der().to_vec())).unwrap();
        let provider = Arc::new(rustls::crypto::aws_lc_rs::default_provider());
        let client = rustls::ClientConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .unwrap()
            .with_root_certificates(roots)
            .with_no_client_auth();
        let conn = tokio_rustls::TlsConnector::from(Arc::new(client));
        let tcp = tokio::net::TcpStream::connect(addr).await.unwrap();
        let mut s = conn.connect(ServerName::try_from("localhost").unwrap(), tcp).await.unwrap();
        let req = format!(
            "POST /k8s-audit HTTP/1.1\r\nHost: localhost\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
            body.len()
        );
        s.write_all(req.as_bytes()).await.unwrap();
        let mut out = Vec::new();
        let _ = s.read_to_end(&mut out).await;
        String::from_utf8_lossy(&out).into_owned()
    });
    assert!(reply.starts_with("HTTP/1.1 200"), "{reply}");
    assert_eq!(alerts.lock().unwrap().len(), 5);
    stop_tx.send(()).unwrap();
    rt.block_on(server).unwrap().unwrap();
}
