//! The signing side of the registry client (`RegistryClient`) against a fake registry on
//! 127.0.0.1 that misbehaves: content that does not match its digest, blobs beyond the cap,
//! a "referrers" answer that is not an index, paginated tags, and a token service that must
//! be asked for push scope when the client writes.
#![cfg(feature = "registry")]

use palisade_image::{ImageError, RegistryAuthOptions, RegistryClient};
use sha2::Digest;
use std::sync::{Arc, Mutex};

fn sha(b: &[u8]) -> String {
    format!("sha256:{}", hex::encode(sha2::Sha256::digest(b)))
}

const MANIFEST: &[u8] = br#"{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":{"mediaType":"application/vnd.oci.image.config.v1+json","size":2,"digest":"sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a"},"layers":[]}"#;

/// Serves the fake; returns its port and the token scopes requested.
fn serve() -> (u16, Arc<Mutex<Vec<String>>>) {
    let server = tiny_http::Server::http("127.0.0.1:0").unwrap();
    let port = server.server_addr().to_ip().unwrap().port();
    let scopes = Arc::new(Mutex::new(Vec::new()));
    let seen = scopes.clone();
    std::thread::spawn(move || {
        let good = sha(MANIFEST);
        for mut req in server.incoming_requests() {
            let url = req.url().to_string();
            let authed = req
                .headers()
                .iter()
                .any(|h| h.field.equiv("Authorization") && h.value.as_str() == "Bearer t0k");
            let mut body = Vec::new();
            let _ = req.as_reader().read_to_end(&mut body);
            let header = |k: &str, v: &str| tiny_http::Header::from_bytes(k, v).unwrap();
            let resp = if url.starts_with("/token") {
                seen.lock().unwrap().push(url.clone());
                tiny_http::Response::from_data(br#"{"token":"t0k"}"#.to_vec())
            } else if url.starts_with("/v2/w/") && !authed {
                tiny_http::Response::from_data(Vec::new())
                    .with_status_code(401)
                    .with_header(header(
                        "WWW-Authenticate",
                        &format!(r#"Bearer realm="http://127.0.0.1:{port}/token",service="fake""#),
                    ))
            } else if url == "/v2/r/manifests/1" || url == format!("/v2/r/manifests/{good}") {
                tiny_http::Response::from_data(MANIFEST.to_vec()).with_header(header(
                    "Content-Type",
                    "application/vnd.oci.image.manifest.v1+json",
                ))
            } else if url.starts_with("/v2/r/manifests/sha256:") {
                // Whatever digest was asked for, other bytes.
                tiny_http::Response::from_data(b"{}".to_vec())
            } else if url.starts_with("/v2/q/referrers/") {
                tiny_http::Response::from_data(br#"{"schemaVersion":2,"manifests":[]}"#.to_vec())
                    .with_header(header(
                        "Content-Type",
                        "application/vnd.oci.image.index.v1+json",
                    ))
            } else if url.starts_with("/v2/r/referrers/") {
                tiny_http::Response::from_data(b"<html>not here</html>".to_vec())
                    .with_header(header("Content-Type", "text/html"))
            } else if url.starts_with("/v2/r/blobs/sha256:00") {
                tiny_http::Response::from_data(vec![b'x'; 4096])
            } else if url.starts_with("/v2/r/blobs/") {
                tiny_http::Response::from_data(b"altered".to_vec())
            } else if url == "/v2/r/tags/list" {
                tiny_http::Response::from_data(br#"{"name":"r","tags":["a","b"]}"#.to_vec())
                    .with_header(header(
                        "Link",
                        r#"</v2/r/tags/list?last=b&n=2>; rel="next""#,
                    ))
            } else if url == "/v2/r/tags/list?last=b&n=2" {
                tiny_http::Response::from_data(br#"{"name":"r","tags":["c"]}"#.to_vec())
            } else if url.starts_with("/v2/w/blobs/uploads/")
                && req.method() == &tiny_http::Method::Post
            {
                tiny_http::Response::from_data(Vec::new())
                    .with_status_code(202)
                    .with_header(header("Location", "/v2/w/blobs/uploads/u1"))
            } else if url.starts_with("/v2/w/blobs/uploads/u1?digest=") {
                tiny_http::Response::from_data(Vec::new()).with_status_code(201)
            } else if url.starts_with("/v2/w/manifests/") {
                tiny_http::Response::from_data(Vec::new())
                    .with_status_code(201)
                    .with_header(header("OCI-Subject", &good))
            } else {
                tiny_http::Response::from_data(Vec::new()).with_status_code(404)
            };
            let _ = req.respond(resp);
        }
    });
    (port, scopes)
}

fn insecure() -> RegistryAuthOptions {
    RegistryAuthOptions {
        insecure: true,
        ..Default::default()
    }
}

#[test]
fn reads_check_digests_and_caps() {
    let (port, _) = serve();
    let mut c =
        RegistryClient::connect(&format!("127.0.0.1:{port}/r:1"), &insecure(), false).unwrap();
    let (digest, media_type, size) = c.resolve().unwrap();
    assert_eq!(digest, sha(MANIFEST));
    assert_eq!(media_type, "application/vnd.oci.image.manifest.v1+json");
    assert_eq!(size, MANIFEST.len() as u64);
    // A manifest asked for by digest must be that digest's bytes.
    let other = format!("sha256:{}", "1".repeat(64));
    assert!(matches!(
        c.manifest(&other),
        Err(ImageError::DigestMismatch { .. })
    ));
    // A missing manifest is None, not an error.
    assert!(c.manifest("nope").unwrap().is_none());
    // A "referrers" answer that is not an OCI index means the API is not there.
    assert!(c.referrers(&digest).unwrap().is_none());
    // Blobs: altered content and content beyond the cap are refused.
    let blob = format!("sha256:{}", "2".repeat(64));
    assert!(matches!(
        c.blob(&blob, 1 << 20),
        Err(ImageError::DigestMismatch { .. })
    ));
    let big = format!("sha256:00{}", "3".repeat(62));
    let e = c.blob(&big, 1024).unwrap_err();
    assert!(e.to_string().contains("larger than allowed"), "{e}");
    assert_eq!(c.tags().unwrap(), ["a", "b", "c"]);
    // A registry with the referrers API answers with an index.
    let mut q =
        RegistryClient::connect(&format!("127.0.0.1:{port}/q:1"), &insecure(), false).unwrap();
    assert!(q.referrers(&digest).unwrap().is_some());
    assert!(q.referrers("not-a-digest").is_err());
    // By digest: the resolved digest is the one written, and a mismatch is refused.
    let mut by_digest =
        RegistryClient::connect(&format!("127.0.0.1:{port}/r@{other}"), &insecure(), false)
            .unwrap();
    assert!(by_digest.resolve().is_err());
}

#[test]
fn a_writing_client_asks_for_push_scope() {
    let (port, scopes) = serve();
    let mut c =
        RegistryClient::connect(&format!("127.0.0.1:{port}/w:1"), &insecure(), true).unwrap();
    assert_eq!(c.push_blob(b"{}").unwrap(), sha(b"{}"));
    let pushed = c
        .push_manifest("1", "application/vnd.oci.image.manifest.v1+json", MANIFEST)
        .unwrap();
    assert_eq!(pushed.digest, sha(MANIFEST));
    assert!(pushed.subject_accepted);
    let scopes = scopes.lock().unwrap();
    assert!(!scopes.is_empty());
    assert!(
        scopes
            .iter()
            .all(|s| s.contains("scope=repository%3Aw%3Apull%2Cpush")),
        "{scopes:?}"
    );
}
