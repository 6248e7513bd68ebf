//! 10,000 malformed requests: every one answered 4xx, the server still healthy, memory flat.

mod common;

use std::time::Instant;

use common::{TestServer, REVIEW};

const NIL: &str = r#"{"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview","request":null}"#;

async fn malformed(c: &reqwest::Client, base: &str, i: usize) -> u16 {
    let post = |path: &str| c.post(format!("{base}{path}"));
    let json = ("content-type", "application/json");
    let r = match i % 6 {
        0 => post("/validate")
            .header(json.0, json.1)
            .body("{\"apiVersion\": tru"),
        1 => post("/mutate").header(json.0, json.1),
        2 => post("/validate")
            .header("content-type", "text/yaml")
            .body(REVIEW),
        3 => post("/validate").header(json.0, json.1).body(NIL),
        4 => post("/mutate")
            .header(json.0, json.1)
            .body(vec![b'{'; 20 * 1024]),
        _ => c.get(format!("{base}/nope")),
    };
    r.send().await.map(|r| r.status().as_u16()).unwrap_or(0)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn malformed_flood_keeps_memory_flat() {
    let srv = TestServer::start(|c| c.max_body = 16 * 1024).await;
    let base = srv.url("");
    let base = base.trim_end_matches('/').to_string();
    let run = |n: usize| {
        let mut tasks = Vec::new();
        for t in 0..8 {
            // Two of eight clients speak HTTP/1.1, where a 413 costs the connection.
            let c = if t % 4 == 3 {
                reqwest::Client::builder()
                    .resolve(common::HOST, srv.addr)
                    .tls_certs_only([common::ca(&srv.certs.ca_cert)])
                    .http1_only()
                    .build()
                    .expect("client")
            } else {
                srv.client()
            };
            let base = base.clone();
            tasks.push(tokio::spawn(async move {
                let mut bad = Vec::new();
                for i in (t..n).step_by(8) {
                    let code = malformed(&c, &base, i).await;
                    if !(400..500).contains(&code) {
                        bad.push((i, code));
                    }
                }
                bad
            }));
        }
        tasks
    };
    // Warm up until the allocator and every worker thread hold their buffers: after 600
    // requests RSS still rose by tens of MiB on one CI run.
    for t in run(3_000) {
        assert_eq!(t.await.expect("warm-up"), vec![]);
    }
    let before = common::rss_kib();
    let started = Instant::now();
    for t in run(10_000) {
        assert_eq!(t.await.expect("flood"), vec![], "non-4xx answers");
    }
    let after = common::rss_kib();
    eprintln!(
        "10,000 malformed requests in {:?}; RSS {before} KiB -> {after} KiB",
        started.elapsed()
    );
    assert!(
        after < before + 32 * 1024,
        "RSS grew from {before} to {after} KiB"
    );

    let c = srv.client();
    let r = c.get(srv.url("/healthz")).send().await.expect("healthz");
    assert_eq!(r.status(), 200);
    let r = c
        .post(srv.url("/validate"))
        .header("content-type", "application/json")
        .body(REVIEW)
        .send()
        .await
        .expect("review");
    assert_eq!(r.status(), 200);
}
