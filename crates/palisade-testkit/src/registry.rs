//! A real OCI registry for tests: Debian's `docker-registry` (the CNCF distribution server)
//! on a free port of 127.0.0.1, plain HTTP, optionally behind htpasswd basic auth, stopped
//! when dropped.

use std::net::TcpListener;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

pub struct Registry {
    child: Child,
    pub port: u16,
    /// The registry's configuration and storage (`data/`).
    pub dir: tempfile::TempDir,
}

impl Registry {
    pub fn stop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for Registry {
    fn drop(&mut self) {
        self.stop();
    }
}

/// Whether every tool is installed. Outside CI a missing tool skips the test loudly; in CI
/// (which installs them, `.ci/run`) it fails it.
pub fn tools_present(tools: &[&str]) -> bool {
    let missing: Vec<&str> = tools
        .iter()
        .copied()
        .filter(|t| {
            !Command::new("sh")
                .args(["-c", &format!("command -v {t}")])
                .output()
                .is_ok_and(|o| o.status.success())
        })
        .collect();
    if missing.is_empty() {
        return true;
    }
    assert!(
        std::env::var_os("CI").is_none(),
        "{} required in CI",
        missing.join(", ")
    );
    eprintln!(
        "SKIPPED: install {} (apt-get) to run the registry tests",
        missing.join(" and ")
    );
    false
}

/// Starts the registry (after [`tools_present`]); `htpasswd` turns basic auth on.
pub fn start(htpasswd: Option<&str>) -> Registry {
    let dir = tempfile::tempdir().expect("tempdir");
    let port = TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port")
        .port();
    let mut auth = String::new();
    if let Some(h) = htpasswd {
        let p = dir.path().join("htpasswd");
        std::fs::write(&p, h).expect("htpasswd");
        auth = format!(
            "auth:\n  htpasswd:\n    realm: palisade-test\n    path: {}\n",
            p.display()
        );
    }
    let config = format!(
        "version: 0.1\nlog:\n  level: error\nstorage:\n  filesystem:\n    rootdirectory: {}\nhttp:\n  addr: 127.0.0.1:{port}\n{auth}",
        dir.path().join("data").display()
    );
    let cfg = dir.path().join("config.yml");
    std::fs::write(&cfg, config).expect("registry config");
    let child = Command::new("docker-registry")
        .arg("serve")
        .arg(&cfg)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("docker-registry starts");
    let start = Instant::now();
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(
            start.elapsed() < Duration::from_secs(20),
            "registry did not start"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    Registry { child, port, dir }
}
