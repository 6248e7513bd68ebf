//! Every route and every malformed-request answer, over real HTTPS.

mod common;

use common::{TestServer, REVIEW};
use reqwest::{Method, StatusCode, Version};
use serde_json::Value;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

const CORPUS: &str =
    "/work/shared/corpus/policy/admission/kube-rs/admission_review_v1_pod_create.json";

async fn post(
    c: &reqwest::Client,
    url: &str,
    ctype: Option<&str>,
    body: impl Into<reqwest::Body>,
) -> reqwest::Response {
    let mut r = c.post(url).body(body);
    if let Some(t) = ctype {
        r = r.header("content-type", t);
    }
    r.send().await.expect("request")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn reviews_and_errors() {
    let srv = TestServer::start(|c| c.max_body = 64 * 1024).await;
    let c = srv.client();
    let json = Some("application/json");

    for path in ["/validate", "/mutate"] {
        let r = post(
            &c,
            &srv.url(path),
            Some("application/json; charset=utf-8"),
            REVIEW,
        )
        .await;
        assert_eq!(r.status(), StatusCode::OK, "{path}");
        assert_eq!(r.version(), Version::HTTP_2, "ALPN h2");
        let v: Value = serde_json::from_slice(&r.bytes().await.expect("body")).expect("json");
        assert_eq!(v["kind"], "AdmissionReview");
        assert_eq!(
            v["response"]["uid"], "705ab4f5-6393-11e8-b7cc-42010a800002",
            "{path}: {v}"
        );
    }
    if let Ok(real) = std::fs::read(CORPUS) {
        let want: Value = serde_json::from_slice(&real).expect("corpus json");
        let r = post(&c, &srv.url("/validate"), json, real).await;
        assert_eq!(r.status(), StatusCode::OK);
        let v: Value = serde_json::from_slice(&r.bytes().await.expect("body")).expect("json");
        assert_eq!(v["response"]["uid"], want["request"]["uid"]);
    }

    let cases: Vec<(&str, Option<&str>, Vec<u8>, StatusCode)> = vec![
        (
            "wrong type",
            Some("text/plain"),
            REVIEW.into(),
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
        ),
        (
            "no type",
            None,
            REVIEW.into(),
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
        ),
        (
            "yaml",
            Some("application/yaml"),
            REVIEW.into(),
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
        ),
        ("empty", json, vec![], StatusCode::BAD_REQUEST),
        (
            "truncated",
            json,
            REVIEW.as_bytes()[..100].to_vec(),
            StatusCode::BAD_REQUEST,
        ),
        ("not json", json, b"hello".to_vec(), StatusCode::BAD_REQUEST),
        (
            "nil request",
            json,
            br#"{"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview","request":null}"#
                .to_vec(),
            StatusCode::BAD_REQUEST,
        ),
        (
            "over limit",
            json,
            vec![b' '; 65 * 1024],
            StatusCode::PAYLOAD_TOO_LARGE,
        ),
    ];
    for (what, ctype, body, want) in cases {
        let r = post(&c, &srv.url("/validate"), ctype, body).await;
        assert_eq!(r.status(), want, "{what}");
    }

    // A chunked body without Content-Length is cut off at the limit, not read to the end.
    let mut tls = common::raw_tls(srv.addr, &srv.certs.ca_cert).await;
    let head = "POST /validate HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n";
    tls.write_all(head.as_bytes()).await.expect("head");
    let chunk = format!("400\r\n{}\r\n", " ".repeat(0x400));
    let mut answer = Vec::new();
    for _ in 0..70 {
        if tls.write_all(chunk.as_bytes()).await.is_err() {
            break;
        }
    }
    let _ = tls.read_to_end(&mut answer).await;
    let answer = String::from_utf8_lossy(&answer);
    assert!(answer.starts_with("HTTP/1.1 413"), "chunked: {answer}");

    for (method, path, want) in [
        (Method::GET, "/validate", StatusCode::METHOD_NOT_ALLOWED),
        (Method::PUT, "/mutate", StatusCode::METHOD_NOT_ALLOWED),
        (Method::POST, "/healthz", StatusCode::METHOD_NOT_ALLOWED),
        (Method::GET, "/", StatusCode::NOT_FOUND),
        (Method::POST, "/validate/x", StatusCode::NOT_FOUND),
        (Method::GET, "/healthz", StatusCode::OK),
        (Method::GET, "/readyz", StatusCode::OK),
    ] {
        let r = c
            .request(method.clone(), srv.url(path))
            .send()
            .await
            .expect("req");
        assert_eq!(r.status(), want, "{method} {path}");
    }
    let r = c.get(srv.url("/validate")).send().await.expect("req");
    assert_eq!(
        r.headers().get("allow").map(|v| v.as_bytes()),
        Some(&b"POST"[..])
    );

    let metrics = c.get(srv.url("/metrics")).send().await.expect("metrics");
    assert!(metrics
        .headers()
        .get("content-type")
        .is_some_and(|v| v.as_bytes().starts_with(b"text/plain; version=0.0.4")));
    let text = metrics.text().await.expect("text");
    let count = |line: &str| -> u64 {
        text.lines()
            .find_map(|l| l.strip_prefix(line)?.trim().parse().ok())
            .unwrap_or_else(|| panic!("no {line} in\n{text}"))
    };
    let valid_ok = count(r#"palisade_admission_requests_total{endpoint="validate",code="200"}"#);
    assert!(valid_ok >= 1);
    assert_eq!(
        count(r#"palisade_admission_requests_total{endpoint="validate",code="415"}"#),
        3
    );
    assert_eq!(
        count(r#"palisade_admission_requests_total{endpoint="validate",code="400"}"#),
        4
    );
    assert_eq!(
        count(r#"palisade_admission_requests_total{endpoint="validate",code="413"}"#),
        2
    );
    assert_eq!(
        count(r#"palisade_admission_requests_total{endpoint="other",code="404"}"#),
        2
    );
    assert_eq!(
        count(r#"palisade_admission_request_duration_seconds_count{endpoint="validate"}"#),
        valid_ok + 3 + 4 + 2 + 2 // 415s, 400s, 413s, 405s
    );
    assert!(
        count(r#"palisade_admission_request_duration_seconds_bucket{endpoint="mutate",le="10"}"#)
            >= 1
    );
    assert!(text.contains("palisade_admission_decisions_total{endpoint=\"validate\",allowed="));
    assert!(text.contains("palisade_admission_policy_errors_total "));
    assert!(text.contains("palisade_webhook_certificate_expiry_seconds "));
}

/// Every SAN the generated certificate carries verifies against its CA, over HTTP/1.1 too.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn certificate_names_and_files() {
    let srv = TestServer::start(|_| {}).await;
    let ca = reqwest::Certificate::from_pem(&std::fs::read(&srv.certs.ca_cert).expect("ca"))
        .expect("pem");
    for name in [
        "palisade-webhook",
        "palisade-webhook.palisade",
        "palisade-webhook.palisade.svc",
        "palisade-webhook.palisade.svc.cluster.local",
    ] {
        let c = reqwest::Client::builder()
            .resolve(name, srv.addr)
            .tls_certs_only([ca.clone()])
            .http1_only()
            .build()
            .expect("client");
        let r = c
            .get(format!("https://{name}:{}/healthz", srv.addr.port()))
            .send()
            .await
            .unwrap_or_else(|e| panic!("{name}: {e:?}"));
        assert_eq!(r.version(), Version::HTTP_11);
        assert_eq!(r.text().await.expect("body"), "ok\n");
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&srv.certs.tls_key)
            .expect("key")
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600);
    }
    use base64::Engine;
    let bundle = base64::engine::general_purpose::STANDARD
        .decode(&srv.certs.ca_bundle)
        .expect("base64");
    assert_eq!(bundle, std::fs::read(&srv.certs.ca_cert).expect("ca"));
    assert!(palisade_webhook::generate_certs("Bad_Name", "ns", srv.dir.path(), 1).is_err());
}
