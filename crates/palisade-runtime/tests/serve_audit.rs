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
