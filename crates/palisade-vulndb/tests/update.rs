//! `update` against a real HTTP server on 127.0.0.1 serving a mirror generated here.

mod common;

use common::pkg;
use palisade_core::Ecosystem;
use palisade_vulndb::{update, UpdateStatus, VulnDb};
use std::collections::HashMap;
use std::io::Write;
use std::sync::{Arc, Mutex};

type Mirror = Arc<Mutex<HashMap<String, (Vec<u8>, String)>>>;

fn record(id: &str, name: &str, eco: &str, fixed: &str) -> String {
    serde_json::json!({
        "id": id,
        "summary": format!("{id} summary"),
        "affected": [{"package": {"name": name, "ecosystem": eco},
                      "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"fixed": fixed}]}]}]
    })
    .to_string()
}

fn zip_of(entries: &[(&str, String)], stored: bool) -> Vec<u8> {
    let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let method = if stored {
        zip::CompressionMethod::Stored
    } else {
        zip::CompressionMethod::Deflated
    };
    let opts = zip::write::SimpleFileOptions::default().compression_method(method);
    for (name, body) in entries {
        w.start_file(*name, opts).unwrap();
        w.write_all(body.as_bytes()).unwrap();
    }
    w.finish().unwrap().into_inner()
}

struct Server {
    base: String,
    mirror: Mirror,
    seen_etags: Arc<Mutex<Vec<Option<String>>>>,
}

fn serve() -> Server {
    let server = tiny_http::Server::http("127.0.0.1:0").unwrap();
    let addr = server.server_addr().to_ip().unwrap();
    let mirror: Mirror = Arc::default();
    let seen: Arc<Mutex<Vec<Option<String>>>> = Arc::default();
    let (m, s) = (mirror.clone(), seen.clone());
    std::thread::spawn(move || {
        for req in server.incoming_requests() {
            let inm = req
                .headers()
                .iter()
                .find(|h| h.field.equiv("If-None-Match"))
                .map(|h| h.value.to_string());
            s.lock().unwrap().push(inm.clone());
            let entry = m.lock().unwrap().get(req.url()).cloned();
            let resp = match entry {
                None => {
                    tiny_http::Response::from_data(b"no such file".to_vec()).with_status_code(404)
                }
                Some((_, etag)) if inm.as_deref() == Some(etag.as_str()) => {
                    tiny_http::Response::from_data(Vec::new()).with_status_code(304)
                }
                Some((body, etag)) => tiny_http::Response::from_data(body).with_header(
                    tiny_http::Header::from_bytes(&b"ETag"[..], etag.as_bytes()).unwrap(),
                ),
            };
            let _ = req.respond(resp);
        }
    });
    Server {
        base: format!("http://{addr}"),
        mirror,
        seen_etags: seen,
    }
}

fn ids(db: &VulnDb, name: &str) -> Vec<String> {
    db.match_packages(None, &[pkg(Ecosystem::Pypi, name, "1.0")])
        .unwrap()
        .findings
        .into_iter()
        .map(|f| f.rule_id)
        .collect()
}

#[test]
fn update_conditional_integrity_and_atomicity() {
    let srv = serve();
    let v1 = zip_of(
        &[
            ("PALI-U-1.json", record("PALI-U-1", "demo-a", "PyPI", "2.0")),
            ("PALI-U-2.json", record("PALI-U-2", "demo-b", "PyPI", "2.0")),
            ("README.txt", "not a record".into()),
        ],
        false,
    );
    // A stored (uncompressed) entry with one byte flipped: the CRC no longer matches.
    let mut corrupt = zip_of(
        &[("PALI-N-1.json", record("PALI-N-1", "x", "npm", "2.0.0"))],
        true,
    );
    let at = corrupt
        .windows(10)
        .position(|w| w == b"\"id\":\"PALI")
        .unwrap()
        + 7;
    corrupt[at] ^= 0x20;
    {
        let mut m = srv.mirror.lock().unwrap();
        m.insert("/PyPI/all.zip".into(), (v1, "\"v1\"".into()));
        m.insert("/npm/all.zip".into(), (corrupt, "\"n1\"".into()));
    }
    let dir = tempfile::tempdir().unwrap();
    let db_path = dir.path().join("cache/vulndb.sqlite");
    let eco = |names: &[&str]| names.iter().map(|s| s.to_string()).collect::<Vec<_>>();

    let r = update(&db_path, &srv.base, &eco(&["PyPI", "npm", "Hex"])).unwrap();
    assert_eq!(r.ecosystems[0].status, UpdateStatus::Updated, "{r:#?}");
    assert_eq!(r.ecosystems[0].records, 2);
    assert_eq!(r.ecosystems[1].status, UpdateStatus::Failed);
    let err = r.ecosystems[1].error.clone().unwrap();
    assert!(
        err.to_lowercase().contains("checksum") || err.to_lowercase().contains("crc"),
        "{err}"
    );
    assert_eq!(r.ecosystems[2].status, UpdateStatus::Failed);
    assert!(r.ecosystems[2].error.as_deref().unwrap().contains("404"));
    let db = VulnDb::open(&db_path).unwrap();
    assert_eq!(ids(&db, "demo-a"), vec!["PALI-U-1"]);
    let st = db.status().unwrap();
    assert_eq!(st.advisories, 2);
    let src = st.sources.iter().find(|s| s.name == "osv:PyPI").unwrap();
    assert_eq!(src.etag.as_deref(), Some("\"v1\""));
    assert!(st.sources.iter().all(|s| s.name != "osv:npm"));
    drop(db);

    // Unchanged on the server: a conditional request, answered 304.
    let r = update(&db_path, &srv.base, &eco(&["PyPI"])).unwrap();
    assert_eq!(r.ecosystems[0].status, UpdateStatus::NotModified);
    assert_eq!(
        srv.seen_etags
            .lock()
            .unwrap()
            .last()
            .cloned()
            .flatten()
            .as_deref(),
        Some("\"v1\"")
    );

    // A new snapshot drops PALI-U-2: it disappears from the database.
    let v2 = zip_of(
        &[("PALI-U-1.json", record("PALI-U-1", "demo-a", "PyPI", "3.0"))],
        false,
    );
    srv.mirror
        .lock()
        .unwrap()
        .insert("/PyPI/all.zip".into(), (v2.clone(), "\"v2\"".into()));
    // Empty list: refresh what the database already has.
    let r = update(&db_path, &srv.base, &[]).unwrap();
    assert_eq!(r.ecosystems.len(), 1);
    assert_eq!(r.ecosystems[0].status, UpdateStatus::Updated);
    let db = VulnDb::open(&db_path).unwrap();
    assert_eq!(ids(&db, "demo-a"), vec!["PALI-U-1"]);
    assert!(ids(&db, "demo-b").is_empty());
    drop(db);

    // A truncated archive is rejected and the previous data stays.
    let truncated = v2[..v2.len() / 2].to_vec();
    srv.mirror
        .lock()
        .unwrap()
        .insert("/PyPI/all.zip".into(), (truncated, "\"v3\"".into()));
    let r = update(&db_path, &srv.base, &eco(&["PyPI"])).unwrap();
    assert_eq!(r.ecosystems[0].status, UpdateStatus::Failed);
    assert!(r.ecosystems[0].error.as_deref().unwrap().contains("zip"));
    let db = VulnDb::open(&db_path).unwrap();
    assert_eq!(ids(&db, "demo-a"), vec!["PALI-U-1"]);
    let st = db.status().unwrap();
    let src = st.sources.iter().find(|s| s.name == "osv:PyPI").unwrap();
    assert_eq!(src.etag.as_deref(), Some("\"v2\""));
    // No temporary files left next to the database.
    let leftovers: Vec<_> = std::fs::read_dir(db_path.parent().unwrap())
        .unwrap()
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().to_string())
        .filter(|n| n != "vulndb.sqlite")
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[test]
fn zip_bomb_entries_are_skipped() {
    let dir = tempfile::tempdir().unwrap();
    let zip_path = dir.path().join("bomb.zip");
    // 40 MiB of zeros compresses to a few KB but is over the per-entry cap.
    let big = format!(
        "{{\"id\":\"BOMB\",\"details\":\"{}\"}}",
        "0".repeat(40 * 1024 * 1024)
    );
    let data = zip_of(
        &[
            ("BOMB.json", big),
            ("OK-1.json", record("OK-1", "demo-a", "PyPI", "2.0")),
        ],
        false,
    );
    assert!(data.len() < 1024 * 1024);
    std::fs::write(&zip_path, data).unwrap();
    let db_path = dir.path().join("db.sqlite");
    let r = palisade_vulndb::import(&db_path, &[zip_path]).unwrap();
    assert_eq!(r.records, 1);
    assert_eq!(r.skipped.len(), 1);
    assert!(r.skipped[0].source.ends_with("bomb.zip!BOMB.json"));
    assert!(r.skipped[0].message.contains("cap"));
}
