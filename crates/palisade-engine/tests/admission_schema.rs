//! `docs/admission-config.schema.json` documents exactly what `Config` reads: a full
//! configuration passes both, and what serde refuses the schema refuses too.

use palisade_engine::admission::{Config, Controller};
use serde_json::{json, Value};

fn schema_errors(doc: &Value) -> Vec<String> {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../docs/admission-config.schema.json"
    );
    let text = std::fs::read_to_string(path).expect("schema file");
    let schema: Value = serde_json::from_str(&text).expect("schema is JSON");
    let validator = jsonschema::options()
        .build(&schema)
        .expect("schema compiles");
    validator
        .iter_errors(doc)
        .map(|e| format!("{}: {e}", e.instance_path))
        .collect()
}

fn full() -> Value {
    json!({
        "podSecurity": {
            "enabled": true,
            "defaults": {"enforce": "baseline", "enforce-version": "v1.30", "audit": "restricted",
                         "audit-version": "latest", "warn": "restricted", "warn-version": "latest"},
            "exemptions": {"usernames": ["ci"], "runtimeClasses": ["kata"], "namespaces": ["kube-system"]}
        },
        "inventory": ["namespaces.yaml"],
        "kubernetesRules": {"severity": "HIGH", "action": "warn", "pssVersion": "v1.30"},
        "policies": {"paths": ["policies"], "timeoutMs": 500, "namespaces": ["main"], "gatekeeperEngine": "cel"},
        "images": {"allowedRegistries": ["ghcr.io/acme"], "requireDigest": true,
                   "requireSignature": {"keys": ["cosign.pub"], "images": ["ghcr.io/acme/*"], "action": "warn",
                                        "insecureRegistries": ["127.0.0.1:5000"], "dockerConfig": "docker.json",
                                        "cacheSeconds": 60},
                   "vulnerabilities": {"reports": "reports", "severity": "CRITICAL", "action": "deny", "requireReport": false}},
        "mutate": {"defaults": {"runAsNonRoot": true, "seccompRuntimeDefault": true, "dropAllCapabilities": true,
                                "disallowPrivilegeEscalation": true, "readOnlyRootFilesystem": false,
                                "pinImageDigests": true},
                   "namespaces": {"legacy": {}}},
        "onError": "allow"
    })
}

#[test]
fn a_full_configuration_matches_the_schema_and_round_trips() {
    let doc = full();
    assert_eq!(schema_errors(&doc), Vec::<String>::new());
    let config: Config = serde_json::from_value(doc.clone()).expect("serde reads it");
    let back = serde_json::to_value(&config).expect("serialisable");
    assert_eq!(schema_errors(&back), Vec::<String>::new());
    let again: Config = serde_json::from_value(back).expect("reads its own output");
    assert_eq!(again, config);
    let empty = serde_json::to_value(Config::default()).expect("serialisable");
    assert_eq!(schema_errors(&empty), Vec::<String>::new());
}

#[test]
fn what_serde_refuses_the_schema_refuses() {
    let bad = [
        json!({"onErorr": "allow"}),
        json!({"onError": "maybe"}),
        json!({"podSecurity": {"defaults": {"enforce": 3}}}),
        json!({"podSecurity": {"exemptions": {"users": []}}}),
        json!({"kubernetesRules": {"action": "block"}}),
        json!({"images": {"vulnerabilities": {"severity": "HIGH"}}}),
        json!({"mutate": {"defaults": {"runAsRoot": true}}}),
        json!({"images": {"requireSignature": {"key": "cosign.pub"}}}),
        json!({"images": {"requireSignature": "yes"}}),
    ];
    for doc in bad {
        assert!(
            serde_json::from_value::<Config>(doc.clone()).is_err(),
            "serde took {doc}"
        );
        assert!(!schema_errors(&doc).is_empty(), "schema took {doc}");
    }
    // Values serde takes as strings but `load` refuses: the schema refuses them up front.
    for doc in [
        json!({"podSecurity": {"defaults": {"enforce": "strict"}}}),
        json!({"kubernetesRules": {"severity": "SEVERE"}}),
        json!({"images": {"requireSignature": true}}),
    ] {
        let config: Config = serde_json::from_value(doc.clone()).expect("serde takes strings");
        assert!(Controller::load(&config).is_err(), "load took {doc}");
        assert!(!schema_errors(&doc).is_empty(), "schema took {doc}");
    }
}
