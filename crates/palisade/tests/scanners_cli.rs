mod common;

use common::*;
use palisade_testkit::{assert_valid, Schema};
use predicates::prelude::*;

/// A full AWS access key ID (the masked form keeps only its first four characters).
fn leaks_key(text: &str) -> bool {
    // AKIA followed by 16 base32 characters, without pulling a regex dependency into tests.
    let b = text.as_bytes();
    // Rule docs (SARIF `help`) quote AWS's own documentation example key; that is not a leak.
    b.windows(20).any(|w| {
        w != b"AKIAIOSFODNN7EXAMPLE"
            && w.starts_with(b"AKIA")
            && w[4..]
                .iter()
                .all(|c| c.is_ascii_uppercase() || (b'2'..=b'7').contains(c))
    })
}

#[test]
fn deleted_secret_is_found_with_both_layers_and_masked_everywhere() {
    let r = json_of(&[
        "image",
        "--input",
        &demo_image(),
        "-f",
        "json",
        "-q",
        "--scanners",
        "secret",
    ]);
    let findings = r["results"][0]["findings"].as_array().unwrap();
    let aws: Vec<_> = findings
        .iter()
        .filter(|f| f["kind"] == "secret" && f["location"]["path"] == "root/.aws/credentials")
        .collect();
    assert!(
        !aws.is_empty(),
        "no secret in root/.aws/credentials: {findings:?}"
    );
    for f in &aws {
        assert_eq!(f["location"]["layer"]["index"], 3, "added by layer 3");
        assert_eq!(f["extra"]["deleted_in_layer"], 4, "deleted by layer 4");
        assert!(f["message"]
            .as_str()
            .unwrap()
            .contains("deleted in layer 4"));
    }
    for format in ["json", "table", "sarif"] {
        let out = palisade()
            .args([
                "image",
                "--input",
                &demo_image(),
                "-f",
                format,
                "-q",
                "--scanners",
                "secret",
            ])
            .output()
            .unwrap();
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(
            text.contains("root/.aws/credentials"),
            "{format}: finding missing"
        );
        assert!(!leaks_key(&text), "{format} output leaks the raw key");
    }
}

#[test]
fn vulnerabilities_from_the_embedded_database_and_exit_codes() {
    let r = json_of(&[
        "image",
        "--input",
        &demo_image(),
        "-f",
        "json",
        "-q",
        "--scanners",
        "vuln",
    ]);
    let ids: Vec<&str> = r["results"][0]["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|f| f["rule_id"].as_str())
        .collect();
    // Findings show the CVE; the advisory they come from stays as `source_id`.
    let source_of = |cve: &str| {
        r["results"][0]["findings"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["rule_id"] == cve)
            .map(|f| f["vulnerability"]["source_id"].clone())
    };
    for (cve, source) in [
        ("CVE-2018-18074", "PYSEC-2018-28"),
        ("CVE-2019-11236", "PYSEC-2019-132"),
        ("CVE-2019-10744", "GHSA-jf85-cpcp-j695"),
    ] {
        assert_eq!(source_of(cve), Some(source.into()), "{cve} in {ids:?}");
    }
    // One finding per advisory and package even though lodash has a lockfile entry too;
    // that finding lists both files.
    let lodash: Vec<_> = r["results"][0]["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["rule_id"] == "CVE-2019-10744")
        .collect();
    assert_eq!(lodash.len(), 1);
    assert_eq!(
        lodash[0]["location"]["path"],
        "srv/app/node_modules/lodash/package.json"
    );
    assert_eq!(
        lodash[0]["other_locations"][0]["path"],
        "srv/app/package-lock.json"
    );
    palisade()
        .args([
            "image",
            "--input",
            &demo_image(),
            "-q",
            "--scanners",
            "vuln",
            "--severity",
            "CRITICAL",
            "--exit-code",
            "3",
        ])
        .assert()
        .code(3);
    palisade()
        .args([
            "image",
            "--input",
            &demo_image(),
            "-q",
            "--scanners",
            "vuln",
            "--severity",
            "CRITICAL",
            "--exit-code",
            "3",
            "--ignore",
            "GHSA-jf85-cpcp-j695",
        ])
        .assert()
        .code(0);
    let sarif = json_of(&["image", "--input", &demo_image(), "-f", "sarif", "-q"]);
    assert_valid(Schema::Sarif210, &sarif);
}

#[test]
fn config_scans_dockerfiles_and_manifests_with_foreign_ids() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("Dockerfile"),
        "FROM debian:latest\nRUN apt-get update && apt-get install -y curl\n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("pod.yaml"),
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n  - name: c\n    image: nginx\n    securityContext:\n      privileged: true\n",
    )
    .unwrap();
    let r = json_of(&["config", dir.path().to_str().unwrap(), "-f", "json", "-q"]);
    let f = r["results"][0]["findings"].as_array().unwrap();
    assert!(f.iter().any(|x| x["location"]["path"] == "Dockerfile"));
    assert!(f
        .iter()
        .any(|x| x["location"]["path"] == "pod.yaml" && x["location"]["object"]["kind"] == "Pod"));
    let sarif = json_of(&["config", dir.path().to_str().unwrap(), "-f", "sarif", "-q"]);
    assert_valid(Schema::Sarif210, &sarif);
    let rules = sarif["runs"][0]["tool"]["driver"]["rules"]
        .as_array()
        .unwrap();
    assert!(rules.iter().any(|r| r["properties"]["related"]
        .as_array()
        .is_some_and(|a| !a.is_empty())));
    // A hadolint ID suppresses the matching Palisade rule.
    let with = f
        .iter()
        .filter(|x| {
            x["related"]
                .as_array()
                .is_some_and(|a| a.iter().any(|i| i == "DL3007"))
        })
        .count();
    assert!(with > 0);
    let r2 = json_of(&[
        "config",
        dir.path().to_str().unwrap(),
        "-f",
        "json",
        "-q",
        "--ignore",
        "DL3007",
    ]);
    let after = r2["results"][0]["findings"].as_array().unwrap();
    assert!(after.iter().all(|x| !x["related"]
        .as_array()
        .is_some_and(|a| a.iter().any(|i| i == "DL3007"))));
    assert_eq!(after.len() + with, f.len());
}

#[test]
fn rules_lists_every_family() {
    palisade().arg("rules").assert().success().stdout(
        predicate::str::contains("DF001")
            .and(predicate::str::contains("K8S001"))
            .and(predicate::str::contains("aws-access-key-id")),
    );
    palisade()
        .args(["rules", "DL3008"])
        .assert()
        .success()
        .stdout(predicate::str::contains("DL3008"));
    palisade().args(["rules", "NOPE999"]).assert().code(2);
}

/// palisade.yaml names a baseline and a gitleaks config whose allowlists apply to the
/// built-in rules; both files are found relative to palisade.yaml, not the working directory.
#[test]
fn secrets_config_reads_baseline_and_gitleaks_allowlists() {
    let tmp = tempfile::tempdir().unwrap();
    let app = tmp.path().join("app");
    let conf = tmp.path().join("conf");
    std::fs::create_dir_all(&app).unwrap();
    std::fs::create_dir_all(&conf).unwrap();
    std::fs::write(
        app.join("config.env"),
        "GITHUB_TOKEN=ghp_R8sQ2vLk9Xw3Zp7Tm4Nc1Bd6Hf0Jy5Ua8Ge2\nGITLAB=glpat-Xq3Lr8Vn2Ks7Pw4Tz9Cm\n",
    )
    .unwrap();
    let app_s = app.display().to_string();
    let scan = |extra: &[&str]| -> Vec<String> {
        let mut args = vec![
            "fs",
            app_s.as_str(),
            "--scanners",
            "secret",
            "-f",
            "json",
            "-q",
        ];
        args.extend_from_slice(extra);
        let r = json_of(&args);
        r["results"][0]["findings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["rule_id"].as_str().unwrap().to_string())
            .collect()
    };
    let before = json_of(&["fs", &app_s, "--scanners", "secret", "-f", "json", "-q"]);
    let findings = before["results"][0]["findings"].as_array().unwrap();
    assert_eq!(scan(&[]), vec!["github-pat", "gitlab-pat"]);
    let github_fp = findings[0]["extra"]["fingerprint"].as_str().unwrap();

    std::fs::write(conf.join("baseline.json"), format!("[\"{github_fp}\"]")).unwrap();
    // A gitleaks rule allowlist for its own rule ID; Palisade's gitlab-pat answers to it.
    std::fs::write(
        conf.join("gitleaks.toml"),
        "[[rules]]\nid = \"gitlab-pat\"\nregex = '''glpat-[0-9a-zA-Z_-]{20}'''\n[[rules.allowlists]]\nregexes = ['''^glpat-Xq3L''']\n",
    )
    .unwrap();
    let yaml = conf.join("palisade.yaml");
    std::fs::write(&yaml, "secrets:\n  baseline: baseline.json\n").unwrap();
    let y = yaml.display().to_string();
    assert_eq!(scan(&["--secret-config", &y]), vec!["gitlab-pat"]);
    std::fs::write(
        &yaml,
        "secrets:\n  baseline: baseline.json\n  gitleaks_allowlists: gitleaks.toml\n",
    )
    .unwrap();
    assert!(scan(&["--secret-config", &y]).is_empty());

    // A missing referenced file is an error naming it, not a silently weaker scan.
    std::fs::write(&yaml, "secrets:\n  gitleaks_config: nope.toml\n").unwrap();
    palisade()
        .args(["fs", &app_s, "--scanners", "secret", "--secret-config", &y])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("nope.toml"));
}
