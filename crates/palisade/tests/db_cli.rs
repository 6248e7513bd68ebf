//! `palisade db`: a first update with no database fetches the default ecosystems (from a
//! mirror on 127.0.0.1, never the internet), a rejected import changes nothing, and
//! `db status` shows the age of each source.

mod common;

use common::*;
use std::io::Write;

fn zip_of(name: &str, body: &str) -> Vec<u8> {
    let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    w.start_file(name, opts).unwrap();
    w.write_all(body.as_bytes()).unwrap();
    w.finish().unwrap().into_inner()
}

/// An OSV mirror on 127.0.0.1 with one advisory per ecosystem it is asked for; a path it
/// has no archive for is a 404. Returns the base URL and the paths requested.
fn mirror(
    missing: &'static [&'static str],
) -> (String, std::sync::Arc<std::sync::Mutex<Vec<String>>>) {
    let server = tiny_http::Server::http("127.0.0.1:0").unwrap();
    let base = format!("http://{}", server.server_addr().to_ip().unwrap());
    let seen = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let log = seen.clone();
    std::thread::spawn(move || {
        for req in server.incoming_requests() {
            let url = req.url().to_string();
            log.lock().unwrap().push(url.clone());
            let eco = url
                .trim_start_matches('/')
                .trim_end_matches("/all.zip")
                .replace("%20", " ");
            let resp = if missing.contains(&eco.as_str()) || !url.ends_with("/all.zip") {
                tiny_http::Response::from_data(b"no such file".to_vec()).with_status_code(404)
            } else {
                let id = format!("TEST-{}", eco.replace([' ', '.'], "-"));
                let record = serde_json::json!({
                    "id": id,
                    "modified": "2026-01-01T00:00:00Z",
                    "summary": "test advisory",
                    "affected": [{"package": {"name": "demo", "ecosystem": eco},
                                  "ranges": [{"type": "ECOSYSTEM",
                                              "events": [{"introduced": "0"}, {"fixed": "2.0"}]}]}]
                });
                tiny_http::Response::from_data(zip_of(&format!("{id}.json"), &record.to_string()))
            };
            let _ = req.respond(resp);
        }
    });
    (base, seen)
}

fn status_json(db: &std::path::Path) -> serde_json::Value {
    json_of(&[
        "db",
        "status",
        "--db",
        db.to_str().unwrap(),
        "--format",
        "json",
    ])
}

#[test]
fn first_update_fetches_the_default_ecosystems_and_says_what_changed() {
    let (base, seen) = mirror(&[]);
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("cache/vulndb.sqlite");
    let out = palisade()
        .args([
            "db",
            "update",
            "--base-url",
            &base,
            "--db",
            db.to_str().unwrap(),
        ])
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(stdout.contains("fetching the default set"), "{stdout}");
    let requested = seen.lock().unwrap().clone();
    for eco in [
        "PyPI",
        "npm",
        "crates.io",
        "Go",
        "Maven",
        "Debian",
        "Alpine",
        "Rocky%20Linux",
    ] {
        assert!(
            requested.contains(&format!("/{eco}/all.zip")),
            "{eco} not fetched: {requested:?}"
        );
    }
    let last = stdout.lines().last().unwrap_or_default();
    assert!(
        last.starts_with(&format!(
            "{} updated, 0 not modified, 0 failed:",
            requested.len()
        )),
        "{stdout}"
    );
    assert!(last.contains("written"), "{last}");
    let status = status_json(&db);
    assert_eq!(status["advisories"], requested.len());
    let sources = status["sources"].as_array().unwrap();
    assert!(sources
        .iter()
        .all(|s| s["stale"] == false && s["age_seconds"].is_u64()));

    // The second run asks for what the database holds, and says what changed.
    let out = palisade()
        .args([
            "db",
            "update",
            "--base-url",
            &base,
            "--db",
            db.to_str().unwrap(),
        ])
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(!stdout.contains("default set"), "{stdout}");
    assert_eq!(out.status.code(), Some(0), "{stdout}");
}

#[test]
fn an_update_where_every_download_fails_leaves_no_database() {
    let (base, _) = mirror(palisade_engine::vulndb::DEFAULT_ECOSYSTEMS);
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("vulndb.sqlite");
    let out = palisade()
        .args([
            "db",
            "update",
            "--base-url",
            &base,
            "--db",
            db.to_str().unwrap(),
        ])
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(2), "{stdout}");
    assert!(stdout.contains("HTTP 404"), "{stdout}");
    assert!(
        stdout.lines().last().unwrap().ends_with("unchanged"),
        "{stdout}"
    );
    assert!(!db.exists());
}

#[test]
fn a_rejected_import_changes_nothing_timestamps_included() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("vulndb.sqlite");
    let good = repo_root().join("crates/palisade-vulndb/tests/fixtures/osv/debian");
    palisade()
        .args([
            "db",
            "import",
            good.to_str().unwrap(),
            "--db",
            db.to_str().unwrap(),
        ])
        .assert()
        .success();
    let before = status_json(&db);
    let bytes = std::fs::read(&db).unwrap();
    std::thread::sleep(std::time::Duration::from_millis(1100));

    let bad = dir.path().join("broken.json");
    std::fs::write(&bad, "{ this is not OSV").unwrap();
    let out = palisade()
        .args([
            "db",
            "import",
            bad.to_str().unwrap(),
            "--db",
            db.to_str().unwrap(),
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("nothing imported") && err.contains("unchanged"),
        "{err}"
    );
    let after = status_json(&db);
    assert_eq!(before["updated_at"], after["updated_at"]);
    let stamps = |s: &serde_json::Value| {
        s["sources"]
            .as_array()
            .unwrap()
            .iter()
            .map(|x| {
                (
                    x["name"].clone(),
                    x["updated_at"].clone(),
                    x["records"].clone(),
                )
            })
            .collect::<Vec<_>>()
    };
    assert_eq!(stamps(&before), stamps(&after));
    assert_eq!(bytes, std::fs::read(&db).unwrap(), "the file was rewritten");
}

#[test]
fn status_shows_the_age_of_each_source() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("vulndb.sqlite");
    let good = repo_root().join("crates/palisade-vulndb/tests/fixtures/osv/debian");
    palisade()
        .args([
            "db",
            "import",
            good.to_str().unwrap(),
            "--db",
            db.to_str().unwrap(),
        ])
        .assert()
        .success();
    let out = palisade()
        .args(["db", "status", "--db", db.to_str().unwrap()])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("source import:"), "{text}");
    assert!(text.contains(", just now)"), "{text}");
    assert!(!String::from_utf8_lossy(&out.stderr).contains("warning"));
}
