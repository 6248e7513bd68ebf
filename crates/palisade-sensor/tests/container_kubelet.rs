//! The kubelet client against a local HTTP server speaking the kubelet's `/pods`: the pod
//! list indexed, the bearer token sent (and re-read), and the errors a caller acts on.

use palisade_sensor::container::{
    spawn_refresher, KubeletClient, KubeletConfig, KubeletError, Runtime,
};
use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::sync::mpsc::{channel, Receiver};
use std::time::Duration;

const APP: &str = "8c1f0a7e5d2b4c6a9e3f1d0b7a5c3e2f4d6b8a0c1e3f5d7b9a2c4e6f8a0b1c3d";
const SIDECAR: &str = "f0e1d2c3b4a5968778695a4b3c2d1e0ff0e1d2c3b4a5968778695a4b3c2d1e0f";
const INIT: &str = "0a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f9";

fn pod_list() -> String {
    format!(
        r#"{{
  "kind": "PodList",
  "apiVersion": "v1",
  "metadata": {{}},
  "items": [
    {{
      "metadata": {{
        "name": "checkout-7d9f8b6c5-x2k4p",
        "generateName": "checkout-7d9f8b6c5-",
        "namespace": "shop",
        "uid": "0f4e2a1c-9b8d-4c7e-a6f5-3d2c1b0a9e8f",
        "resourceVersion": "48213",
        "creationTimestamp": "2024-05-02T09:14:11Z",
        "labels": {{"app.kubernetes.io/name": "checkout", "pod-template-hash": "7d9f8b6c5"}},
        "annotations": {{"kubernetes.io/config.seen": "2024-05-02T09:14:11.5Z"}},
        "ownerReferences": [{{"apiVersion": "apps/v1", "kind": "ReplicaSet", "name": "checkout-7d9f8b6c5", "uid": "1b2c", "controller": true}}]
      }},
      "spec": {{
        "initContainers": [{{"name": "migrate", "image": "registry.local:5000/shop/migrate:3.1", "command": ["/migrate"]}}],
        "containers": [
          {{"name": "app", "image": "registry.local:5000/shop/checkout:2.4.1", "ports": [{{"containerPort": 8080, "protocol": "TCP"}}]}},
          {{"name": "envoy", "image": "envoyproxy/envoy:v1.30.1"}}
        ],
        "nodeName": "node-a",
        "serviceAccountName": "checkout"
      }},
      "status": {{
        "phase": "Running",
        "hostIP": "192.168.10.4",
        "podIP": "10.244.1.17",
        "podIPs": [{{"ip": "10.244.1.17"}}],
        "startTime": "2024-05-02T09:14:11Z",
        "initContainerStatuses": [{{
          "name": "migrate", "ready": true, "restartCount": 0,
          "state": {{"terminated": {{"exitCode": 0, "reason": "Completed"}}}},
          "image": "registry.local:5000/shop/migrate:3.1",
          "imageID": "registry.local:5000/shop/migrate@sha256:1111111111111111111111111111111111111111111111111111111111111111",
          "containerID": "containerd://{INIT}"
        }}],
        "containerStatuses": [
          {{"name": "app", "ready": true, "restartCount": 0, "started": true,
            "state": {{"running": {{"startedAt": "2024-05-02T09:14:20Z"}}}},
            "image": "registry.local:5000/shop/checkout:2.4.1",
            "imageID": "registry.local:5000/shop/checkout@sha256:2222222222222222222222222222222222222222222222222222222222222222",
            "containerID": "containerd://{APP}"}},
          {{"name": "envoy", "ready": true, "restartCount": 1, "started": true,
            "state": {{"running": {{"startedAt": "2024-05-02T09:14:21Z"}}}},
            "image": "docker.io/envoyproxy/envoy:v1.30.1",
            "imageID": "docker.io/envoyproxy/envoy@sha256:3333333333333333333333333333333333333333333333333333333333333333",
            "containerID": "containerd://{SIDECAR}"}}
        ],
        "qosClass": "Burstable"
      }}
    }}
  ]
}}"#
    )
}

struct Reply {
    status: &'static str,
    body: String,
    /// Without it the body runs to the connection's end, as a chunked or streamed answer
    /// would: the size limit must hold without a declared length.
    content_length: bool,
}

fn ok(body: String) -> Reply {
    Reply {
        status: "200 OK",
        body,
        content_length: true,
    }
}

/// Serves `replies` in order, one connection each; the request heads come back on the
/// channel (lower-cased, so header checks don't depend on the client's spelling).
fn serve(replies: Vec<Reply>) -> (String, Receiver<String>) {
    let listener =
        TcpListener::bind("127.0.0.1:0").unwrap_or_else(|e| panic!("bind 127.0.0.1:0: {e}"));
    let port = listener.local_addr().map(|a| a.port()).unwrap_or(0);
    let (tx, rx) = channel();
    std::thread::spawn(move || {
        for reply in replies {
            let Ok((stream, _)) = listener.accept() else {
                return;
            };
            let mut reader = BufReader::new(stream);
            let mut head = String::new();
            loop {
                let mut line = String::new();
                if reader.read_line(&mut line).unwrap_or(0) == 0 || line == "\r\n" {
                    break;
                }
                head.push_str(&line.to_ascii_lowercase());
            }
            let _ = tx.send(head);
            let mut stream = reader.into_inner();
            let length = if reply.content_length {
                format!("Content-Length: {}\r\n", reply.body.len())
            } else {
                String::new()
            };
            let _ = write!(
                stream,
                "HTTP/1.1 {}\r\nContent-Type: application/json\r\n{length}Connection: close\r\n\r\n{}",
                reply.status, reply.body
            );
        }
    });
    (format!("http://127.0.0.1:{port}/pods"), rx)
}

fn client(config: KubeletConfig) -> KubeletClient {
    KubeletClient::new(config).unwrap_or_else(|e| panic!("{e}"))
}

fn head(rx: &Receiver<String>) -> String {
    rx.recv_timeout(Duration::from_secs(10))
        .unwrap_or_else(|e| panic!("no request reached the server: {e}"))
}

#[test]
fn the_pod_list_is_indexed_and_the_rotating_token_sent() {
    let (url, rx) = serve(vec![ok(pod_list()), ok(pod_list())]);
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let token = dir.path().join("token");
    std::fs::write(&token, "first-token\n").unwrap_or_else(|e| panic!("{e}"));
    let mut config = KubeletConfig::new(url);
    config.token_file = Some(token.clone());
    let kubelet = client(config);

    let index = kubelet.fetch().unwrap_or_else(|e| panic!("{e}"));
    let req = head(&rx);
    assert!(req.starts_with("get /pods http/1.1"), "{req}");
    assert!(
        req.contains("authorization: bearer first-token\r\n"),
        "{req}"
    );
    assert_eq!(index.len(), 3);

    let app = index.get(APP).unwrap_or_else(|| panic!("app container"));
    assert_eq!(app.name, "checkout-7d9f8b6c5-x2k4p");
    assert_eq!(app.namespace, "shop");
    assert_eq!(app.uid, "0f4e2a1c-9b8d-4c7e-a6f5-3d2c1b0a9e8f");
    assert_eq!(app.container_name, "app");
    assert_eq!(app.image, "registry.local:5000/shop/checkout:2.4.1");
    assert!(app
        .image_id
        .ends_with("@sha256:2222222222222222222222222222222222222222222222222222222222222222"));
    assert_eq!(app.ip.as_deref(), Some("10.244.1.17"));
    assert_eq!(app.runtime, Runtime::Containerd);
    assert_eq!(
        app.labels.get("app.kubernetes.io/name").map(String::as_str),
        Some("checkout")
    );
    let envoy = index
        .get(&SIDECAR[..12])
        .unwrap_or_else(|| panic!("sidecar by short id"));
    assert_eq!(envoy.container_name, "envoy");
    let init = index.get(INIT).unwrap_or_else(|| panic!("init container"));
    assert_eq!(init.container_name, "migrate");
    assert_eq!(init.name, app.name);

    // Projected tokens rotate: the next fetch reads the file again.
    std::fs::write(&token, "second-token").unwrap_or_else(|e| panic!("{e}"));
    kubelet.fetch().unwrap_or_else(|e| panic!("{e}"));
    assert!(head(&rx).contains("authorization: bearer second-token\r\n"));
}

#[test]
fn unauthorized_is_a_status_error() {
    let (url, _rx) = serve(vec![Reply {
        status: "401 Unauthorized",
        body: "Unauthorized".into(),
        content_length: true,
    }]);
    let err = client(KubeletConfig::new(url)).fetch().err();
    assert!(
        matches!(err, Some(KubeletError::Status { status: 401, .. })),
        "{err:?}"
    );
    assert!(err.is_some_and(|e| e.is_unauthorized()));
}

#[test]
fn oversize_bodies_are_refused_with_or_without_a_length() {
    let big = format!(r#"{{"items":[],"pad":"{}"}}"#, "x".repeat(5000));
    let (url, _rx) = serve(vec![
        ok(big.clone()),
        Reply {
            status: "200 OK",
            body: big,
            content_length: false,
        },
    ]);
    let mut config = KubeletConfig::new(url);
    config.max_body = 1000;
    let kubelet = client(config);
    for _ in 0..2 {
        let err = kubelet.fetch().err();
        assert!(
            matches!(err, Some(KubeletError::TooLarge { limit: 1000 })),
            "{err:?}"
        );
    }
}

#[test]
fn bad_json_missing_token_and_no_kubelet_are_told_apart() {
    let (url, _rx) = serve(vec![ok("<html>not json</html>".into())]);
    let err = client(KubeletConfig::new(url.clone())).fetch().err();
    assert!(matches!(err, Some(KubeletError::Json(_))), "{err:?}");

    let mut config = KubeletConfig::new(url);
    config.token_file = Some("/nonexistent/palisade/token".into());
    let err = client(config).fetch().err();
    assert!(matches!(err, Some(KubeletError::Token { .. })), "{err:?}");

    // A port nobody listens on: bind one, then free it.
    let port = TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .unwrap_or_else(|e| panic!("{e}"));
    let mut config = KubeletConfig::new(format!("http://127.0.0.1:{port}/pods"));
    config.timeout = Duration::from_secs(2);
    let err = client(config).fetch().err();
    assert!(matches!(err, Some(KubeletError::Connect { .. })), "{err:?}");
}

#[test]
fn a_bad_ca_file_is_a_configuration_error() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let ca = dir.path().join("ca.crt");
    std::fs::write(&ca, "garbage").unwrap_or_else(|e| panic!("{e}"));
    let mut config = KubeletConfig::new("https://127.0.0.1:10250/pods");
    config.ca_file = Some(ca);
    let err = KubeletClient::new(config).err();
    assert!(matches!(err, Some(KubeletError::Tls { .. })), "{err:?}");
}

#[test]
fn the_refresher_keeps_the_last_good_index() {
    let (url, rx) = serve(vec![
        ok(pod_list()),
        Reply {
            status: "500 Internal Server Error",
            body: String::new(),
            content_length: true,
        },
    ]);
    let (err_tx, err_rx) = channel();
    let shared = spawn_refresher(
        client(KubeletConfig::new(url)),
        Duration::from_millis(50),
        move |e| {
            let _ = err_tx.send(e.to_string());
        },
    )
    .unwrap_or_else(|e| panic!("{e}"));
    head(&rx);
    head(&rx);
    let error = err_rx
        .recv_timeout(Duration::from_secs(10))
        .unwrap_or_else(|e| panic!("no error reported: {e}"));
    assert!(error.contains("500"), "{error}");
    let index = shared.read().unwrap_or_else(|p| p.into_inner());
    assert_eq!(index.len(), 3, "the failed refresh kept the earlier index");
    assert!(index.get(APP).is_some());
}
