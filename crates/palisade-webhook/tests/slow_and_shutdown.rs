//! Clients that stall, and shutting down with a request in flight.

mod common;

use std::time::{Duration, Instant};

use common::{TestServer, REVIEW};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

/// Reads until EOF or `limit`; what arrived.
async fn read_all(s: &mut (impl AsyncReadExt + Unpin), limit: Duration) -> String {
    let mut buf = Vec::new();
    let _ = tokio::time::timeout(limit, s.read_to_end(&mut buf)).await;
    String::from_utf8_lossy(&buf).into_owned()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn slow_clients_are_cut_off() {
    let srv = TestServer::start(|c| {
        c.request_timeout = Duration::from_millis(800);
        c.header_read_timeout = Duration::from_millis(500);
    })
    .await;

    // Headers, then a body that never comes: 408 at the request deadline.
    let started = Instant::now();
    let mut tls = common::raw_tls(srv.addr, &srv.certs.ca_cert).await;
    let head = "POST /validate HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 500\r\n\r\n{\"apiVersion\":";
    tls.write_all(head.as_bytes()).await.expect("head");
    let answer = read_all(&mut tls, Duration::from_secs(5)).await;
    assert!(answer.starts_with("HTTP/1.1 408"), "{answer}");
    assert!(started.elapsed() < Duration::from_secs(3));

    // Half the headers: the connection is closed after the header read timeout.
    let started = Instant::now();
    let mut tls = common::raw_tls(srv.addr, &srv.certs.ca_cert).await;
    tls.write_all(b"POST /validate HTTP/1.1\r\nHost: x\r\n")
        .await
        .expect("head");
    let answer = read_all(&mut tls, Duration::from_secs(5)).await;
    assert!(
        answer.is_empty() || answer.starts_with("HTTP/1.1 408"),
        "{answer}"
    );
    assert!(
        started.elapsed() < Duration::from_secs(3),
        "{:?}",
        started.elapsed()
    );

    // No TLS handshake at all: closed after the same timeout.
    let started = Instant::now();
    let mut tcp = TcpStream::connect(srv.addr).await.expect("connect");
    let answer = read_all(&mut tcp, Duration::from_secs(5)).await;
    assert!(answer.is_empty());
    assert!(
        started.elapsed() < Duration::from_secs(3),
        "{:?}",
        started.elapsed()
    );

    // Still serving.
    let r = srv
        .client()
        .get(srv.url("/healthz"))
        .send()
        .await
        .expect("healthz");
    assert_eq!(r.status(), 200);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn graceful_shutdown_finishes_in_flight_requests() {
    let mut srv = TestServer::start(|_| {}).await;

    // A request whose body is still arriving when the shutdown starts.
    let mut tls = common::raw_tls(srv.addr, &srv.certs.ca_cert).await;
    let head = format!(
        "POST /validate HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n",
        REVIEW.len()
    );
    tls.write_all(head.as_bytes()).await.expect("head");
    let (first, rest) = REVIEW.as_bytes().split_at(40);
    tls.write_all(first).await.expect("body");
    tls.flush().await.expect("flush");
    tokio::time::sleep(Duration::from_millis(100)).await;

    let task = srv.shutdown();
    tokio::time::sleep(Duration::from_millis(200)).await;
    assert!(
        !task.is_finished(),
        "serve returned with a request in flight"
    );
    // New connections are no longer accepted.
    assert!(
        TcpStream::connect(srv.addr).await.is_err(),
        "still accepting"
    );

    tls.write_all(rest).await.expect("rest of body");
    let answer = read_all(&mut tls, Duration::from_secs(5)).await;
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    assert!(
        answer.contains("705ab4f5-6393-11e8-b7cc-42010a800002"),
        "{answer}"
    );
    let done = tokio::time::timeout(Duration::from_secs(3), task)
        .await
        .expect("serve returns after the last request");
    assert!(matches!(done, Ok(Ok(()))));
}
