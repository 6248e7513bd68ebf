//! Pulls from a real registry (Debian's `docker-registry`, the CNCF distribution server)
//! started on 127.0.0.1, after pushing the demo image to it with skopeo.

mod common;

use common::*;
use palisade_testkit::registry::{self, start};
use std::process::Command;

fn tools_present() -> bool {
    registry::tools_present(&["docker-registry", "skopeo"])
}

fn push(port: u16, repo: &str, creds: Option<&str>) {
    let mut cmd = Command::new("skopeo");
    cmd.args(["copy", "--quiet", "--dest-tls-verify=false"]);
    if let Some(c) = creds {
        cmd.args(["--dest-creds", c]);
    }
    let st = cmd
        .arg(format!("oci:{}:demo", demo_image()))
        .arg(format!("docker://127.0.0.1:{port}/{repo}"))
        .status()
        .unwrap();
    assert!(st.success(), "skopeo push failed");
}

#[test]
fn pull_from_local_registry_matches_layout() {
    if !tools_present() {
        return;
    }
    let reg = start(None);
    push(reg.port, "team/demo:1.2", None);
    let reference = format!("127.0.0.1:{}/team/demo:1.2", reg.port);
    let pulled = json_of(&["image", &reference, "--insecure", "-f", "json", "-q"]);
    let local = json_of(&["image", "--input", &demo_image(), "-f", "json", "-q"]);
    assert_eq!(packages(&pulled, "deb"), packages(&local, "deb"));
    assert_eq!(packages(&pulled, "deb").len(), 8);
    assert_eq!(
        pulled["results"][0]["image"]["config_digest"],
        local["results"][0]["image"]["config_digest"]
    );
    // Without --insecure the client insists on TLS, which this registry does not speak.
    palisade()
        .args(["image", &reference, "-q"])
        .assert()
        .code(2);
}

#[test]
fn pull_with_basic_auth() {
    if !tools_present() {
        return;
    }
    // bcrypt (cost 5) of "s3cret" for user alice, as `htpasswd -nbB` writes it.
    let reg = start(Some(
        "alice:$2y$05$029N7r6V.rj3qV94PJYXquN7MxypQDUDni3xkfvfWVL54vuGZ9/DC\n",
    ));
    push(reg.port, "private/demo:1", Some("alice:s3cret"));
    let reference = format!("127.0.0.1:{}/private/demo:1", reg.port);
    palisade()
        .args(["image", &reference, "--insecure", "-q"])
        .assert()
        .code(2);
    let r = json_of(&[
        "image",
        &reference,
        "--insecure",
        "--username",
        "alice",
        "--password",
        "s3cret",
        "-f",
        "json",
        "-q",
    ]);
    assert_eq!(packages(&r, "deb").len(), 8);
    // The same credentials from a docker config file.
    let home = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(home.path().join(".docker")).unwrap();
    let auth = "YWxpY2U6czNjcmV0"; // base64("alice:s3cret")
    std::fs::write(
        home.path().join(".docker/config.json"),
        format!(
            r#"{{"auths":{{"127.0.0.1:{}":{{"auth":"{auth}"}}}}}}"#,
            reg.port
        ),
    )
    .unwrap();
    let out = palisade()
        .env("HOME", home.path())
        .env_remove("DOCKER_CONFIG")
        .args(["image", &reference, "--insecure", "-f", "json", "-q"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // Through a credential helper (`credsStore`), spoken to over Docker's helper protocol:
    // the server on stdin, JSON on stdout, failure when it has nothing for that server.
    let bin = home.path().join("bin");
    std::fs::create_dir_all(&bin).unwrap();
    let helper = bin.join("docker-credential-palisadetest");
    std::fs::write(
        &helper,
        format!(
            "#!/bin/sh\nread -r server\nif [ \"$1\" = get ] && [ \"$server\" = 127.0.0.1:{port} ]; then\n  printf '{{\"ServerURL\":\"%s\",\"Username\":\"alice\",\"Secret\":\"s3cret\"}}' \"$server\"\nelse\n  echo 'credentials not found in native keychain'; exit 1\nfi\n",
            port = reg.port
        ),
    )
    .unwrap();
    std::fs::set_permissions(&helper, std::os::unix::fs::PermissionsExt::from_mode(0o755)).unwrap();
    std::fs::write(
        home.path().join(".docker/config.json"),
        format!(
            r#"{{"credsStore":"palisadetest","auths":{{"127.0.0.1:{}":{{}}}}}}"#,
            reg.port
        ),
    )
    .unwrap();
    let path = format!(
        "{}:{}",
        bin.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let r = {
        let out = palisade()
            .env("HOME", home.path())
            .env("PATH", &path)
            .env_remove("DOCKER_CONFIG")
            .args(["image", &reference, "--insecure", "-f", "json", "-q"])
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "credsStore: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        serde_json::from_slice::<serde_json::Value>(&out.stdout).unwrap()
    };
    assert_eq!(packages(&r, "deb").len(), 8);
}

#[test]
fn oci_archive_and_docker_archive_match_layout() {
    if !tools_present() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let local = json_of(&["image", "--input", &demo_image(), "-f", "json", "-q"]);
    for (transport, file) in [
        ("oci-archive", "demo.oci.tar"),
        ("docker-archive", "demo.docker.tar"),
    ] {
        let path = dir.path().join(file);
        let dest = if transport == "docker-archive" {
            format!("{transport}:{}:demo:1.0", path.display())
        } else {
            format!("{transport}:{}", path.display())
        };
        let st = Command::new("skopeo")
            .args([
                "copy",
                "--quiet",
                &format!("oci:{}:demo", demo_image()),
                &dest,
            ])
            .status()
            .unwrap();
        assert!(st.success(), "skopeo copy to {transport} failed");
        let r = json_of(&[
            "image",
            "--input",
            path.to_str().unwrap(),
            "-f",
            "json",
            "-q",
        ]);
        assert_eq!(packages(&r, "deb"), packages(&local, "deb"), "{transport}");
        assert_eq!(
            packages(&r, "pypi"),
            packages(&local, "pypi"),
            "{transport}"
        );
        let layers = r["results"][0]["image"]["layers"].as_array().unwrap();
        assert_eq!(layers.len(), 5, "{transport}");
    }
}
