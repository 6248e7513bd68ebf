//! Certificate rotation under load: zero failed requests, new connections get the new pair.

mod common;

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use common::{TestServer, REVIEW};
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::CertificateDer;

fn leaf_der(path: &std::path::Path) -> Vec<u8> {
    let pem = std::fs::read(path).expect("cert");
    CertificateDer::from_pem_slice(&pem).expect("pem").to_vec()
}

/// The certificate a new connection is served: a new client each time, as a resumed TLS
/// session would carry the certificate of the handshake it resumes.
async fn served_cert(srv: &TestServer, cas: &[&std::path::Path], path: &str) -> Vec<u8> {
    let c = common::client_for(srv.addr, cas, false);
    let r = c.get(srv.url(path)).send().await.expect("request");
    let info = r
        .extensions()
        .get::<reqwest::tls::TlsInfo>()
        .expect("tls info");
    info.peer_certificate().expect("peer cert").to_vec()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn swap_certificates_under_load() {
    let srv = TestServer::start(|_| {}).await;
    let next_dir = tempfile::tempdir().expect("tempdir");
    let next =
        palisade_webhook::generate_certs(common::SERVICE, common::NAMESPACE, next_dir.path(), 30)
            .expect("certs");
    let old_leaf = leaf_der(&srv.certs.tls_cert);
    let new_leaf = leaf_der(&next.tls_cert);
    let cas = [srv.certs.ca_cert.as_path(), next.ca_cert.as_path()];
    assert_eq!(served_cert(&srv, &cas, "/healthz").await, old_leaf);

    let stop = Arc::new(AtomicBool::new(false));
    let (ok, failed) = (Arc::new(AtomicUsize::new(0)), Arc::new(AtomicUsize::new(0)));
    let mut workers = Vec::new();
    for i in 0..4 {
        // Two clients keep their connections, two open a new one per request.
        let c = common::client_for(srv.addr, &cas, i % 2 == 0);
        let (url, stop, ok, failed) = (
            srv.url("/validate"),
            stop.clone(),
            ok.clone(),
            failed.clone(),
        );
        workers.push(tokio::spawn(async move {
            while !stop.load(Ordering::Relaxed) {
                let r = c
                    .post(&url)
                    .header("content-type", "application/json")
                    .body(REVIEW)
                    .send()
                    .await;
                match r {
                    Ok(r) if r.status() == 200 => ok.fetch_add(1, Ordering::Relaxed),
                    other => {
                        eprintln!("failed: {other:?}");
                        failed.fetch_add(1, Ordering::Relaxed)
                    }
                };
            }
        }));
    }
    tokio::time::sleep(Duration::from_millis(300)).await;

    // The certificate first, alone: a pair that does not match. The server must keep serving
    // the old pair (and count a failed reload) until the key follows.
    std::fs::copy(&next.tls_cert, &srv.certs.tls_cert).expect("copy cert");
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(served_cert(&srv, &cas, "/healthz").await, old_leaf);
    std::fs::copy(&next.tls_key, &srv.certs.tls_key).expect("copy key");

    let swapped = Instant::now();
    loop {
        if served_cert(&srv, &cas, "/healthz").await == new_leaf {
            break;
        }
        assert!(
            swapped.elapsed() < Duration::from_secs(3),
            "new certificate not served"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    tokio::time::sleep(Duration::from_millis(300)).await;
    stop.store(true, Ordering::Relaxed);
    for w in workers {
        w.await.expect("worker");
    }
    let (ok, failed) = (ok.load(Ordering::Relaxed), failed.load(Ordering::Relaxed));
    eprintln!("requests during the swap: {ok} ok, {failed} failed");
    assert_eq!(failed, 0);
    assert!(ok > 20, "{ok} requests");

    let metrics = common::client_for(srv.addr, &cas, true)
        .get(srv.url("/metrics"))
        .send()
        .await
        .expect("metrics");
    let text = metrics.text().await.expect("text");
    assert!(
        text.contains("palisade_webhook_certificate_reloads_total{result=\"success\"} 1"),
        "{text}"
    );
    assert!(
        !text.contains("palisade_webhook_certificate_reloads_total{result=\"failure\"} 0"),
        "{text}"
    );

    // Garbage on disk: the good pair stays.
    std::fs::write(&srv.certs.tls_cert, b"not a certificate").expect("write");
    tokio::time::sleep(Duration::from_millis(400)).await;
    assert_eq!(served_cert(&srv, &cas, "/readyz").await, new_leaf);
}
