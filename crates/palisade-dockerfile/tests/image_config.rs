//! A full OCI config blob as `docker image inspect`/registries store it.

use palisade_dockerfile::scan_image_config;
use serde_json::json;

#[test]
fn full_config_blob() {
    let cfg = json!({
        "architecture": "amd64",
        "os": "linux",
        "config": {
            "User": "",
            "Env": ["PATH=/usr/bin", "DB_PASSWORD=correct-horse-battery", "GIT_SSL_NO_VERIFY=1"],
            "ExposedPorts": {"22/tcp": {}, "80/tcp": {}},
            "Labels": {"org.opencontainers.image.source": "https://example.com/repo"}
        },
        "history": [
            {"created_by": "/bin/sh -c #(nop) ADD file:abc in / "},
            {"created_by": "|1 NPM_TOKEN=npm_abcdefghijklmnop /bin/sh -c npm ci", "empty_layer": false},
            {"created_by": "RUN /bin/sh -c curl -fsSL https://get.example.com | bash # buildkit"},
            {"created_by": "RUN /bin/sh -c apk add --allow-untrusted foo # buildkit"}
        ]
    });
    let f = scan_image_config(&cfg);
    let mut ids: Vec<&str> = f.iter().map(|f| f.rule_id.as_str()).collect();
    ids.sort();
    assert_eq!(
        ids,
        ["IC001", "IC002", "IC003", "IC004", "IC005", "IC006", "IC007", "IC008"]
    );
    let secret = f
        .iter()
        .find(|f| f.rule_id == "IC004")
        .and_then(|f| f.evidence.clone())
        .unwrap_or_default();
    assert!(!secret.contains("horse"), "{secret}");
    let path = f
        .iter()
        .find(|f| f.rule_id == "IC006")
        .and_then(|f| f.location.object.as_ref())
        .and_then(|o| o.field_path.clone());
    assert_eq!(path.as_deref(), Some("history[2].created_by"));
    assert!(f
        .iter()
        .all(|f| !f.related.is_empty() && f.kind == palisade_core::FindingKind::Misconfiguration));
}

#[test]
fn junk_configs_do_not_panic() {
    for v in [
        json!(null),
        json!([]),
        json!({"config": 3}),
        json!({"history": "x"}),
        json!({"config": {"Env": [1, null]}}),
    ] {
        let _ = scan_image_config(&v);
    }
}
