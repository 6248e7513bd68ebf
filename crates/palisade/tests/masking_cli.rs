//! Planted secrets never reach an output: not through secret findings, the raw image config in
//! JSON, build history, Dockerfile or Kubernetes rule evidence, SBOM properties or warnings.

mod common;

use common::*;

/// Values in each provider's format, assembled at run time so no token sits in the source.
fn planted() -> Vec<(&'static str, String)> {
    vec![
        ("stripe", format!("sk_live_{}", "4eC39HqLyjWDarjtT1zdp7dc")),
        (
            "npm",
            format!("npm_{}", "a8Kq2Lm9Zx4Vt7Bn3Hc6Jd1Fs5Gw0Pe2Ry8Q"),
        ),
        (
            "github",
            format!("ghp_{}", "R8sQ2vLk9Xw3Zp7Tm4Nc1Bd6Hf0Jy5Ua8Ge2"),
        ),
        ("url password", format!("Zx9k{}", "Pq2Lm7vRt4W")),
    ]
}

#[test]
fn planted_secrets_are_masked_in_every_format() {
    let p = planted();
    let (stripe, npm, github, pass) = (&p[0].1, &p[1].1, &p[2].1, &p[3].1);
    let dockerfile = format!(
        "FROM debian:12\nADD https://deploy:{pass}@git.corp.internal/app.tgz /app/\nUSER app\n"
    );
    let env = format!("GITHUB_TOKEN={github}\n");
    let tmp = tempfile::tempdir().unwrap();
    let layout = oci_layout(
        tmp.path(),
        &[
            ("srv/app/Dockerfile", dockerfile.as_bytes()),
            ("srv/app/.env", env.as_bytes()),
        ],
        serde_json::json!({
            "config": {"Env": [format!("STRIPE_API_KEY={stripe}"), "PATH=/usr/bin".to_string()],
                       "Labels": {"ci.token": npm.clone()}},
            "history": [
                {"created_by": format!("RUN |1 NPM_TOKEN={npm} /bin/sh -c npm ci")},
                {"created_by": format!("ADD https://deploy:{pass}@git.corp.internal/app.tgz /app/")},
            ],
        }),
    );
    let input = layout.to_str().unwrap();
    let mut seen_findings = 0;
    for format in ["json", "table", "sarif", "cyclonedx", "spdx-json"] {
        let out = palisade()
            .args(["image", "--input", input, "-f", format])
            .args(["--scanners", "vuln,secret,misconfig"])
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{format}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let text = format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        for (what, value) in &p {
            assert!(
                !text.contains(value.as_str()),
                "{format} prints the {what} value"
            );
        }
        if format == "json" {
            let r: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
            let findings = r["results"][0]["findings"].as_array().unwrap();
            seen_findings = findings.len();
            let ids: Vec<&str> = findings
                .iter()
                .filter_map(|f| f["rule_id"].as_str())
                .collect();
            for id in ["github-pat", "stripe-access-token", "DF017"] {
                assert!(ids.contains(&id), "{id} not reported: {ids:?}");
            }
            let config = r["results"][0]["image"]["config"].to_string();
            assert!(
                config.contains("STRIPE_API_KEY="),
                "the config is kept, masked: {config}"
            );
        }
    }
    assert!(seen_findings > 3);
}
