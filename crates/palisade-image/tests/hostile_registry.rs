//! A fake registry on 127.0.0.1 that misbehaves (issue 13): a manifest that never ends, a
//! blob longer than its descriptor says, and a token service on the way. Everything is
//! generated at test time; pulls use `--insecure` since the fake speaks plain HTTP.
#![cfg(feature = "registry")]

mod common;

use common::{compress, sha, Compression, TarBuilder};
use palisade_image::{pull, ImageError, RegistryAuthOptions, RegistryError};
use std::io::Read;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

/// Endless (or long) zeros, counting what the server managed to hand to the socket.
struct Zeros {
    left: u64,
    sent: Arc<AtomicU64>,
}

impl Read for Zeros {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = (buf.len() as u64).min(self.left) as usize;
        buf[..n].fill(b' ');
        self.left -= n as u64;
        self.sent.fetch_add(n as u64, Ordering::Relaxed);
        Ok(n)
    }
}

struct Image {
    manifest: Vec<u8>,
    config: Vec<u8>,
    layer: Vec<u8>,
}

fn image() -> Image {
    let tar = TarBuilder::new()
        .file("etc/os-release", b"ID=alpine\n")
        .finish();
    let layer = compress(&tar, Compression::Gzip);
    let config = serde_json::json!({
        "architecture": "amd64", "os": "linux",
        "rootfs": {"type": "layers", "diff_ids": [sha(&tar)]},
    })
    .to_string()
    .into_bytes();
    let manifest = serde_json::json!({
        "schemaVersion": 2,
        "mediaType": "application/vnd.oci.image.manifest.v1+json",
        "config": {"mediaType": "application/vnd.oci.image.config.v1+json", "digest": sha(&config), "size": config.len()},
        "layers": [{"mediaType": "application/vnd.oci.image.layer.v1.tar+gzip", "digest": sha(&layer), "size": layer.len()}],
    })
    .to_string()
    .into_bytes();
    Image {
        manifest,
        config,
        layer,
    }
}

#[derive(Clone, Copy, PartialEq)]
enum Misbehaviour {
    None,
    EndlessManifest,
    LongBlob,
    TokenAuth,
}

/// Serves `img` on a fresh port until the test ends; returns the port and the byte count
/// of the misbehaving response.
fn serve(img: Image, how: Misbehaviour) -> (u16, Arc<AtomicU64>) {
    let server = tiny_http::Server::http("127.0.0.1:0").unwrap();
    let port = server.server_addr().to_ip().unwrap().port();
    let sent = Arc::new(AtomicU64::new(0));
    let counter = sent.clone();
    std::thread::spawn(move || {
        for req in server.incoming_requests() {
            let url = req.url().to_string();
            let auth = req
                .headers()
                .iter()
                .find(|h| h.field.equiv("Authorization"))
                .map(|h| h.value.as_str().to_string());
            let header = |k: &str, v: &str| tiny_http::Header::from_bytes(k, v).unwrap();
            if how == Misbehaviour::TokenAuth {
                if url.starts_with("/token") {
                    // base64("alice:s3cret")
                    let ok = auth.as_deref() == Some("Basic YWxpY2U6czNjcmV0")
                        && url.contains("scope=repository%3Ateam%2Fapp%3Apull");
                    let _ = if ok {
                        req.respond(tiny_http::Response::from_string(r#"{"token":"t0k3n"}"#))
                    } else {
                        req.respond(tiny_http::Response::empty(401))
                    };
                    continue;
                }
                if auth.as_deref() != Some("Bearer t0k3n") {
                    let challenge =
                        format!(r#"Bearer realm="http://127.0.0.1:{port}/token",service="fake""#);
                    let _ = req.respond(
                        tiny_http::Response::empty(401)
                            .with_header(header("WWW-Authenticate", &challenge)),
                    );
                    continue;
                }
            }
            let body: Option<&[u8]> = if url.contains("/manifests/") {
                if how == Misbehaviour::EndlessManifest {
                    let endless = Zeros {
                        left: 2 << 30,
                        sent: counter.clone(),
                    };
                    // No Content-Length: the size shows only while reading.
                    let r = tiny_http::Response::new(
                        200.into(),
                        vec![header(
                            "Content-Type",
                            "application/vnd.oci.image.manifest.v1+json",
                        )],
                        endless,
                        None,
                        None,
                    );
                    let _ = req.respond(r);
                    continue;
                }
                Some(&img.manifest)
            } else if url.ends_with(&sha(&img.config)) {
                Some(&img.config)
            } else if url.ends_with(&sha(&img.layer)) {
                if how == Misbehaviour::LongBlob {
                    let long = Zeros {
                        left: 3 << 30,
                        sent: counter.clone(),
                    };
                    let r = tiny_http::Response::new(200.into(), vec![], long, None, None);
                    let _ = req.respond(r);
                    continue;
                }
                Some(&img.layer)
            } else {
                None
            };
            let _ = match body {
                Some(b) => req.respond(tiny_http::Response::from_data(b.to_vec()).with_header(
                    header("Content-Type", "application/vnd.oci.image.manifest.v1+json"),
                )),
                None => req.respond(tiny_http::Response::empty(404)),
            };
        }
    });
    (port, sent)
}

fn insecure() -> RegistryAuthOptions {
    RegistryAuthOptions {
        insecure: true,
        docker_config: Some("/nonexistent/config.json".into()),
        ..Default::default()
    }
}

fn registry_error(e: ImageError) -> RegistryError {
    match e {
        ImageError::Registry { source, .. } => source,
        other => panic!("not a registry error: {other}"),
    }
}

#[test]
fn a_well_behaved_registry_pulls() {
    let (port, _) = serve(image(), Misbehaviour::None);
    let img = pull(&format!("127.0.0.1:{port}/team/app:1"), None, &insecure()).unwrap();
    let fs = img
        .read_filesystem(&palisade_image::ReadOptions {
            keep: &|_, _| true,
            ..Default::default()
        })
        .unwrap();
    assert_eq!(fs.read("etc/os-release"), Some(&b"ID=alpine\n"[..]));
}

#[test]
fn an_endless_manifest_is_cut_at_the_cap_while_reading() {
    let (port, sent) = serve(image(), Misbehaviour::EndlessManifest);
    let err = pull(&format!("127.0.0.1:{port}/team/app:1"), None, &insecure())
        .err()
        .expect("must fail");
    let text = err.to_string();
    let e = registry_error(err);
    assert!(matches!(e, RegistryError::ManifestTooLarge { .. }), "{e}");
    assert!(text.contains("manifest larger than"), "{text}");
    // The client stopped reading near the 4 MiB cap, not after 2 GiB.
    let sent = sent.load(Ordering::Relaxed);
    assert!(sent < 64 << 20, "server sent {sent} bytes");
}

#[test]
fn a_blob_longer_than_its_descriptor_is_stopped_at_the_declared_size() {
    let (port, sent) = serve(image(), Misbehaviour::LongBlob);
    let err = pull(&format!("127.0.0.1:{port}/team/app:1"), None, &insecure())
        .err()
        .expect("must fail");
    let e = registry_error(err);
    assert!(matches!(e, RegistryError::BlobSize { .. }), "{e}");
    let text = e.to_string();
    assert!(text.contains("blob sha256:"), "{text}");
    assert!(text.contains("declares"), "{text}");
    let sent = sent.load(Ordering::Relaxed);
    assert!(
        sent < 64 << 20,
        "server sent {sent} bytes before the client stopped"
    );
}

#[test]
fn token_authentication_sends_basic_credentials_to_the_realm_only() {
    let (port, _) = serve(image(), Misbehaviour::TokenAuth);
    let reference = format!("127.0.0.1:{port}/team/app:1");
    let mut opts = insecure();
    opts.username = Some("alice".into());
    opts.password = Some("s3cret".into());
    let img = pull(&reference, None, &opts).unwrap();
    assert_eq!(img.layers.len(), 1);
    // Wrong credentials: the token service refuses, and the error says authentication.
    opts.password = Some("wrong".into());
    let e = registry_error(pull(&reference, None, &opts).err().expect("must fail"));
    assert!(matches!(e, RegistryError::Unauthorized { .. }), "{e}");
}
