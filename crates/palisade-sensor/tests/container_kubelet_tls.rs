//! The kubelet client over HTTPS, as kubelets serve `/pods` on :10250: the CA file verifies
//! the serving certificate, a wrong CA or public roots refuse it, and
//! `insecure_skip_verify` accepts it (self-signed kubelet certificates).

use palisade_sensor::container::{KubeletClient, KubeletConfig, KubeletError};
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer};
use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::sync::Arc;
use std::time::Duration;

// A test CA and a leaf for 127.0.0.1 it signed, valid 2000–2999 so no clock breaks them.
const CA: &str = "\
-----BEGIN CERTIFICATE-----
MIIBXTCCAQOgAwIBAgIUNxKLAH+opNI68oS5n2mSo87zwhowCgYIKoZIzj0EAwIw
GzEZMBcGA1UEAwwQcGFsaXNhZGUtdGVzdC1jYTAgFw0wMDAxMDEwMDAwMDBaGA8y
OTk5MTIzMTAwMDAwMFowGzEZMBcGA1UEAwwQcGFsaXNhZGUtdGVzdC1jYTBZMBMG
ByqGSM49AgEGCCqGSM49AwEHA0IABPi6zsvVf/i16yW07UmVbnvB8nZzgtoY/HJy
R7wsOZ1o9F5HezeYl+4dX08gk1ZtdIiI3GGrsgwNSfmHeamfBzyjIzAhMA8GA1Ud
EwEB/wQFMAMBAf8wDgYDVR0PAQH/BAQDAgEGMAoGCCqGSM49BAMCA0gAMEUCIQCX
ZpaUGIiST8P1s0af+RS9B5yVQxXcTOtUSWkPdpZPCAIgMnuPq2g9JIwGKg5/daOj
8CjHuemQofRtEZxZRBGziC0=
-----END CERTIFICATE-----
";

const OTHER_CA: &str = "\
-----BEGIN CERTIFICATE-----
MIIBTDCB86ADAgECAhR8OlArn0ML3tpVEQtC0zd8joT4hzAKBggqhkjOPQQDAjAT
MREwDwYDVQQDDAhvdGhlci1jYTAgFw0wMDAxMDEwMDAwMDBaGA8yOTk5MTIzMTAw
MDAwMFowEzERMA8GA1UEAwwIb3RoZXItY2EwWTATBgcqhkjOPQIBBggqhkjOPQMB
BwNCAASKHocDwlxQWxldg/yB664RCAEyWXCgGNIIfOCsm/0egGI3ZJbnwxk3m2hf
gSsqmC93CSYtnuDJqwOV2iiOUlY4oyMwITAPBgNVHRMBAf8EBTADAQH/MA4GA1Ud
DwEB/wQEAwIBBjAKBggqhkjOPQQDAgNIADBFAiAlkwUq/hJhygGNqfsNnx248Wnl
3d5XRcd8vLwwLU1kHAIhANkqg+wAZIwnr9B+cTL+HARTIjHXVrvw9ssIPAGsulUz
-----END CERTIFICATE-----
";

const LEAF: &str = "\
-----BEGIN CERTIFICATE-----
MIIBcjCCARigAwIBAgIUB76zHbIJu6JFdnuHlA/TR6XCOoQwCgYIKoZIzj0EAwIw
GzEZMBcGA1UEAwwQcGFsaXNhZGUtdGVzdC1jYTAgFw0wMDAxMDEwMDAwMDBaGA8y
OTk5MTIzMTAwMDAwMFowEjEQMA4GA1UEAwwHa3ViZWxldDBZMBMGByqGSM49AgEG
CCqGSM49AwEHA0IABBBrdl6YMqi9Mf8pNzYOpY7ZhpkRyKj1w+JZCcBZpMj4T8ZL
gnHsD4fOqeLaddxBhPBvLsvjG0ZPGdVHyA+h2wijQTA/MBoGA1UdEQQTMBGHBH8A
AAGCCWxvY2FsaG9zdDAMBgNVHRMBAf8EAjAAMBMGA1UdJQQMMAoGCCsGAQUFBwMB
MAoGCCqGSM49BAMCA0gAMEUCIQDy9akcJTd4chwyWzN8mgdd+URvJNGoP53W/THM
phkMVwIgJgUGw9U1hpCktLadfRrhWoRT+z9QR8yP3F9Vg0Tcjv0=
-----END CERTIFICATE-----
";

const LEAF_KEY: &str = "\
-----BEGIN PRIVATE KEY-----
MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgDZm1OCt/49vDjJRf
m2Hczj6ijeGjkYKjVw5Stj68SE+hRANCAAQQa3ZemDKovTH/KTc2DqWO2YaZEcio
9cPiWQnAWaTI+E/GS4Jx7A+Hzqni2nXcQYTwby7L4xtGTxnVR8gPodsI
-----END PRIVATE KEY-----
";

/// An HTTPS server answering `connections` connections with an empty pod list; a failed
/// handshake just ends that connection.
fn serve_tls(connections: usize) -> String {
    let certs =
        vec![CertificateDer::from_pem_slice(LEAF.as_bytes())
            .unwrap_or_else(|e| panic!("leaf: {e:?}"))];
    let key =
        PrivateKeyDer::from_pem_slice(LEAF_KEY.as_bytes()).unwrap_or_else(|e| panic!("key: {e:?}"));
    let config = rustls::ServerConfig::builder_with_provider(Arc::new(
        rustls::crypto::ring::default_provider(),
    ))
    .with_safe_default_protocol_versions()
    .and_then(|b| b.with_no_client_auth().with_single_cert(certs, key))
    .unwrap_or_else(|e| panic!("server config: {e}"));
    let config = Arc::new(config);
    let listener = TcpListener::bind("127.0.0.1:0").unwrap_or_else(|e| panic!("bind: {e}"));
    let port = listener.local_addr().map(|a| a.port()).unwrap_or(0);
    std::thread::spawn(move || {
        for _ in 0..connections {
            let Ok((tcp, _)) = listener.accept() else {
                return;
            };
            let Ok(conn) = rustls::ServerConnection::new(config.clone()) else {
                return;
            };
            let mut reader = BufReader::new(rustls::StreamOwned::new(conn, tcp));
            loop {
                let mut line = String::new();
                match reader.read_line(&mut line) {
                    Ok(0) | Err(_) => break,
                    Ok(_) if line == "\r\n" => break,
                    Ok(_) => {}
                }
            }
            let body = r#"{"kind":"PodList","items":[]}"#;
            let mut stream = reader.into_inner();
            let _ = write!(
                stream,
                "HTTP/1.1 200 OK\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                body.len()
            );
            let _ = stream.flush();
            stream.conn.send_close_notify();
            let _ = stream.flush();
        }
    });
    format!("https://127.0.0.1:{port}/pods")
}

fn config(url: &str, dir: &std::path::Path, ca: Option<&str>, insecure: bool) -> KubeletConfig {
    let mut c = KubeletConfig::new(url);
    c.timeout = Duration::from_secs(5);
    c.insecure_skip_verify = insecure;
    if let Some(pem) = ca {
        let path = dir.join("ca.crt");
        std::fs::write(&path, pem).unwrap_or_else(|e| panic!("{e}"));
        c.ca_file = Some(path);
    }
    c
}

fn fetch(c: KubeletConfig) -> Result<usize, KubeletError> {
    KubeletClient::new(c)?.fetch().map(|i| i.len())
}

#[test]
fn the_ca_file_verifies_the_kubelet() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let url = serve_tls(1);
    let got = fetch(config(&url, dir.path(), Some(CA), false));
    assert!(matches!(got, Ok(0)), "{got:?}");
}

#[test]
fn a_wrong_ca_or_public_roots_refuse_it() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let url = serve_tls(2);
    for ca in [Some(OTHER_CA), None] {
        let got = fetch(config(&url, dir.path(), ca, false));
        let refused = matches!(&got, Err(KubeletError::Connect { reason, .. })
            if reason.contains("UnknownIssuer"));
        assert!(refused, "{got:?}");
    }
}

#[test]
fn insecure_skip_verify_accepts_any_certificate() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let url = serve_tls(1);
    let got = fetch(config(&url, dir.path(), Some(OTHER_CA), true));
    assert!(matches!(got, Ok(0)), "{got:?}");
}
