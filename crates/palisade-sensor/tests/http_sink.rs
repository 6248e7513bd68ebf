//! Alerts POSTed by `HttpSink` to an HTTP server on 127.0.0.1: what arrives, in order, and
//! what is counted as lost when the endpoint is down or refuses.

use palisade_sensor::sink::HttpSink;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::sync::mpsc::{channel, Receiver};

/// One request as the server saw it: the request line, the content type and the body.
#[derive(Debug)]
struct Seen {
    line: String,
    content_type: String,
    body: String,
}

/// Serves every request on its connection (the sink's agent keeps connections alive) with
/// `status`, and reports each.
fn server(status: &'static str) -> (String, Receiver<Seen>) {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let url = format!("http://{}/alerts", listener.local_addr().expect("addr"));
    let (tx, rx) = channel();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(stream) = stream else { return };
            let tx = tx.clone();
            std::thread::spawn(move || {
                let mut out = stream.try_clone().expect("clone");
                let mut r = BufReader::new(stream);
                loop {
                    let mut line = String::new();
                    if r.read_line(&mut line).unwrap_or(0) == 0 {
                        return;
                    }
                    let (mut len, mut content_type) = (0usize, String::new());
                    loop {
                        let mut h = String::new();
                        if r.read_line(&mut h).unwrap_or(0) == 0 {
                            return;
                        }
                        let h = h.trim_end();
                        if h.is_empty() {
                            break;
                        }
                        let (k, v) = h.split_once(':').unwrap_or((h, ""));
                        match k.to_ascii_lowercase().as_str() {
                            "content-length" => len = v.trim().parse().unwrap_or(0),
                            "content-type" => content_type = v.trim().to_string(),
                            _ => {}
                        }
                    }
                    let mut body = vec![0; len];
                    if r.read_exact(&mut body).is_err() {
                        return;
                    }
                    let _ = tx.send(Seen {
                        line: line.trim_end().to_string(),
                        content_type,
                        body: String::from_utf8_lossy(&body).into_owned(),
                    });
                    let reply = format!("HTTP/1.1 {status}\r\nContent-Length: 0\r\n\r\n");
                    if out.write_all(reply.as_bytes()).is_err() {
                        return;
                    }
                }
            });
        }
    });
    (url, rx)
}

#[test]
fn alerts_arrive_as_json_posts_in_order() {
    let (url, rx) = server("200 OK");
    let sink = HttpSink::start(url);
    let alerts: Vec<String> = (0..3)
        .map(|i| format!(r#"{{"rule":"r{i}","priority":"Warning"}}"#))
        .collect();
    for a in &alerts {
        sink.send(a.clone());
    }
    assert_eq!(sink.finish(), 0, "nothing lost");
    let seen: Vec<Seen> = rx.try_iter().collect();
    assert_eq!(seen.len(), 3, "{seen:?}");
    for (s, a) in seen.iter().zip(&alerts) {
        assert_eq!(s.line, "POST /alerts HTTP/1.1");
        assert_eq!(s.content_type, "application/json");
        assert_eq!(&s.body, a);
    }
}

#[test]
fn an_endpoint_that_refuses_or_is_down_counts_its_alerts_as_lost() {
    let (url, rx) = server("500 Internal Server Error");
    let sink = HttpSink::start(url);
    sink.send("{}".to_string());
    sink.send("{}".to_string());
    assert_eq!(sink.finish(), 2);
    assert_eq!(rx.try_iter().count(), 2, "both were tried");

    // A port nobody listens on any more.
    let port = TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("free port")
        .port();
    let sink = HttpSink::start(format!("http://127.0.0.1:{port}/"));
    sink.send("{}".to_string());
    assert_eq!(sink.finish(), 1);
}
