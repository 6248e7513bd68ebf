//! Oracles that are programs, not schemas: `xmllint` for XSD validation and headless
//! Chromium for HTML reports. Each returns `None` when the program is absent so a test
//! can print SKIPPED (`.ci/run` installs both).

use std::path::{Path, PathBuf};
use std::process::Command;

fn on_path(names: &[&str]) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    names.iter().find_map(|n| {
        std::env::split_paths(&path)
            .map(|d| d.join(n))
            .find(|p| p.is_file())
    })
}

/// The vendored JUnit schema (`schemas/junit-10.xsd`).
pub fn junit_xsd() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../schemas/junit-10.xsd")
}

/// Validates `xml` against `xsd` with xmllint; `Some(Err(output))` when invalid.
pub fn xmllint_validate(xml: &str, xsd: &Path) -> Option<Result<(), String>> {
    let xmllint = on_path(&["xmllint"])?;
    let dir = tempfile::tempdir().ok()?;
    let file = dir.path().join("doc.xml");
    std::fs::write(&file, xml).ok()?;
    let out = Command::new(xmllint)
        .arg("--noout")
        .arg("--schema")
        .arg(xsd)
        .arg(&file)
        .output()
        .ok()?;
    let text = String::from_utf8_lossy(&out.stderr).into_owned();
    Some(if out.status.success() {
        Ok(())
    } else {
        Err(text)
    })
}

/// Debian's `chromium` (or another Chromium on PATH).
pub fn chromium() -> Option<PathBuf> {
    on_path(&["chromium", "chromium-browser", "google-chrome", "chrome"])
}

/// A page as headless Chromium leaves it after its scripts ran.
pub struct Loaded {
    /// The serialised DOM (`--dump-dom`).
    pub dom: String,
    /// What the page wrote to its console, CSP violations and uncaught errors included.
    pub console: Vec<String>,
}

fn base_args(cmd: &mut Command, profile: &Path) {
    cmd.args([
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--no-first-run",
        "--no-default-browser-check",
        "--disable-extensions",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--hide-scrollbars",
        "--enable-logging=stderr",
        "--v=0",
    ])
    .arg(format!("--user-data-dir={}", profile.display()));
}

/// Loads `file` (with `#fragment` if not empty) and returns its DOM and console output.
pub fn load_in_chromium(file: &Path, fragment: &str) -> Option<Loaded> {
    let bin = chromium()?;
    let profile = tempfile::tempdir().ok()?;
    let mut url = format!("file://{}", file.canonicalize().ok()?.display());
    if !fragment.is_empty() {
        url.push('#');
        url.push_str(fragment);
    }
    let mut cmd = Command::new(bin);
    base_args(&mut cmd, profile.path());
    let out = cmd
        .args(["--virtual-time-budget=5000", "--dump-dom"])
        .arg(url)
        .output()
        .ok()?;
    let stderr = String::from_utf8_lossy(&out.stderr);
    Some(Loaded {
        dom: String::from_utf8_lossy(&out.stdout).into_owned(),
        console: stderr
            .lines()
            .filter(|l| l.contains(":CONSOLE"))
            .map(str::to_string)
            .collect(),
    })
}

/// Screenshots `file` at `width`×`height` into `png`.
pub fn screenshot(file: &Path, png: &Path, width: u32, height: u32) -> Option<bool> {
    let bin = chromium()?;
    let profile = tempfile::tempdir().ok()?;
    let mut cmd = Command::new(bin);
    base_args(&mut cmd, profile.path());
    let status = cmd
        .arg(format!("--window-size={width},{height}"))
        .arg(format!("--screenshot={}", png.display()))
        .arg(format!("file://{}", file.canonicalize().ok()?.display()))
        .output()
        .ok()?
        .status;
    Some(status.success())
}
