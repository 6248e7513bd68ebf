//! Lockfiles and manifests that ship inside installed dependencies are not read; the same
//! files at an application root are, and installed-package metadata inside dependency
//! directories still is (docs/dependency-internal-manifests.md).
//!
//! The npm tree is a real `npm install` (scripts/make-dependency-lockfile-fixtures.sh) of
//! packages published with their own lockfiles. For the other ecosystems the files are the
//! real tools' lockfiles from scripts/make-lang-fixtures.sh, offered at the paths where
//! their installers put dependencies.

use palisade_core::{Package, Relationship};
use palisade_inventory::{lang, FileRef};
use serde_json::Value;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures")
}

fn read(rel: &str) -> Vec<u8> {
    std::fs::read(fixtures().join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

/// Every language detector that wants `path` run on `content`; fails on a detector error.
fn detect_at(path: &str, content: &[u8]) -> Vec<Package> {
    let mut out = Vec::new();
    for d in lang::detectors() {
        if !d.wants(path, content.len() as u64) {
            continue;
        }
        let file = FileRef {
            path,
            content,
            layer: None,
        };
        out.extend(
            d.detect(&file, None)
                .unwrap_or_else(|e| panic!("{} failed: {e}", d.name())),
        );
    }
    out
}

fn files(dir: &Path, out: &mut Vec<PathBuf>) {
    for e in std::fs::read_dir(dir).unwrap().flatten() {
        let p = e.path();
        if p.is_dir() {
            files(&p, out);
        } else {
            out.push(p);
        }
    }
}

/// The npm fixture as a scan root: every file offered to every detector, then linked.
fn scan_npm() -> Vec<Package> {
    let root = fixtures().join("dependency-internal/npm");
    let mut all = Vec::new();
    files(&root.join("srv"), &mut all);
    all.sort();
    let mut out = Vec::new();
    for path in all {
        let rel = path.strip_prefix(&root).unwrap().to_string_lossy();
        out.extend(detect_at(&rel, &std::fs::read(&path).unwrap()));
    }
    palisade_inventory::link_installed(&mut out);
    out
}

fn npm_ls_pairs(v: &Value, out: &mut BTreeSet<(String, String)>) {
    if let Some(deps) = v.get("dependencies").and_then(Value::as_object) {
        for (name, d) in deps {
            if let Some(ver) = d.get("version").and_then(Value::as_str) {
                out.insert((name.clone(), ver.to_string()));
            }
            npm_ls_pairs(d, out);
        }
    }
}

#[test]
fn npm_lockfiles_inside_node_modules_are_not_read() {
    let pkgs = scan_npm();
    // What npm itself says is installed.
    let ls: Value =
        serde_json::from_slice(&read("dependency-internal/npm/expected-npm-ls.json")).unwrap();
    let mut want = BTreeSet::new();
    npm_ls_pairs(&ls, &mut want);
    let got: BTreeSet<(String, String)> = pkgs
        .iter()
        .filter(|p| p.relationship != Relationship::Root)
        .map(|p| (p.name.clone(), p.version.clone()))
        .collect();
    assert_eq!(got, want);
    // The application itself, with its two direct dependencies.
    let roots: Vec<&Package> = pkgs
        .iter()
        .filter(|p| p.relationship == Relationship::Root)
        .collect();
    assert_eq!(roots.len(), 1, "{roots:?}");
    assert_eq!(roots[0].purl, "pkg:npm/dep-lock-app@2.1.0");
    assert_eq!(
        roots[0].depends_on,
        vec![
            "pkg:npm/combined-stream@1.0.8",
            "pkg:npm/css-line-break@1.0.1"
        ]
    );
    for p in &pkgs {
        let internal =
            p.found_in.contains("node_modules/") && !p.found_in.ends_with("/package.json");
        assert!(!internal, "{} {} from {}", p.name, p.version, p.found_in);
    }
    // The shipped lockfiles are real and would have added hundreds of packages that npm
    // never installed: read them directly to show what the rule keeps out.
    let css_lock = "dependency-internal/npm/srv/app/node_modules/css-line-break/package-lock.json";
    let as_app = detect_at("srv/other/package-lock.json", &read(css_lock));
    assert!(as_app.len() > 100, "{}", as_app.len());
    let yarn = "dependency-internal/npm/srv/app/node_modules/combined-stream/yarn.lock";
    assert!(!detect_at("srv/other/yarn.lock", &read(yarn)).is_empty());
    assert!(detect_at(
        &css_lock["dependency-internal/npm/".len()..],
        &read(css_lock)
    )
    .is_empty());
}

/// A real lockfile or manifest: read at an application root, not inside dependencies.
fn assert_dependency_internal(fixture: &str, app_path: &str, internal_paths: &[&str]) {
    let content = read(fixture);
    assert!(
        !detect_at(app_path, &content).is_empty(),
        "{fixture} yields nothing at {app_path}"
    );
    for p in internal_paths {
        assert!(detect_at(p, &content).is_empty(), "{fixture} read at {p}");
    }
}

#[test]
fn ruby_gem_lockfiles_are_not_read_but_installed_gemspecs_are() {
    assert_dependency_internal(
        "lang/ruby/bundle/Gemfile.lock",
        "srv/app/Gemfile.lock",
        &[
            "usr/local/bundle/gems/rack-2.2.8/Gemfile.lock",
            "var/lib/gems/3.1.0/gems/nokogiri-1.15.4-x86_64-linux/Gemfile.lock",
            "srv/app/vendor/bundle/ruby/3.2.0/bundler/gems/rails-4f1b2c3d/Gemfile.lock",
        ],
    );
    // A gem's bundled npm project (the vscode extension of a language-server gem).
    assert_dependency_internal(
        "lang/node/npm-v3/package-lock.json",
        "srv/app/package-lock.json",
        &["usr/local/bundle/gems/ruby-lsp-0.17.2/vscode/package-lock.json"],
    );
    let spec = "lang/ruby/installed/specifications/rake-13.0.6.gemspec";
    let got = detect_at(
        "usr/local/bundle/specifications/rake-13.0.6.gemspec",
        &read(spec),
    );
    assert_eq!(got.len(), 1);
}

#[test]
fn python_project_files_inside_environments_are_not_read() {
    for (fixture, name) in [
        ("lang/python/poetry/poetry.lock", "poetry.lock"),
        ("lang/python/uv/uv.lock", "uv.lock"),
        ("lang/python/pdm/pdm.lock", "pdm.lock"),
        (
            "lang/python/requirements/requirements.txt",
            "requirements.txt",
        ),
    ] {
        assert_dependency_internal(
            fixture,
            &format!("srv/app/{name}"),
            &[
                &format!("usr/local/lib/python3.11/site-packages/somepkg/{name}"),
                &format!("usr/lib/python3/dist-packages/somepkg/{name}"),
                &format!("srv/app/.venv/lib/python3.12/site-packages/x/tests/{name}"),
            ],
        );
    }
    // Installed metadata and pip's list of the code it vendors are still read.
    let meta = "lang/python/site-packages/requests-2.31.0.dist-info/METADATA";
    assert_eq!(
        detect_at(
            "usr/local/lib/python3.11/site-packages/requests-2.31.0.dist-info/METADATA",
            &read(meta)
        )
        .len(),
        1
    );
    let vendored = detect_at(
        "usr/lib/python3/dist-packages/pip/_vendor/vendor.txt",
        b"urllib3==1.26.18\n",
    );
    assert_eq!(vendored.len(), 1);
}

#[test]
fn cargo_lockfiles_of_downloaded_crates_are_not_read() {
    assert_dependency_internal(
        "lang/rust/lock/Cargo.lock",
        "home/u/src/app/Cargo.lock",
        &[
            "root/.cargo/registry/src/index.crates.io-6f17d22bba15001f/ripgrep-14.1.0/Cargo.lock",
            "root/.cargo/git/checkouts/tokio-0d4f3c/ab12cd3/Cargo.lock",
            "home/u/src/app/vendor/ripgrep/Cargo.lock",
        ],
    );
}

#[test]
fn go_mod_files_of_dependencies_are_not_read() {
    // The fixture module's only requirement is replaced by a local directory; a go.mod
    // with a registry requirement shows the rule.
    let gomod = b"module example.com/app\n\ngo 1.21\n\nrequire golang.org/x/text v0.14.0\n";
    // The module itself and its one requirement.
    assert_eq!(detect_at("src/app/go.mod", gomod).len(), 2);
    for p in [
        "root/go/pkg/mod/github.com/gin-gonic/gin@v1.9.1/go.mod",
        "src/app/vendor/github.com/gin-gonic/gin/go.mod",
    ] {
        assert!(detect_at(p, gomod).is_empty(), "{p}");
    }
}

#[test]
fn maven_and_gradle_caches_are_not_read() {
    assert_dependency_internal(
        "lang/java/pom/pom.xml",
        "src/app/pom.xml",
        &[
            "root/.m2/repository/org/example/lib/1.0/pom.xml",
            "home/u/.gradle/caches/modules-2/files-2.1/org.example/lib/1.0/abc/pom.xml",
        ],
    );
    let lockfile = b"org.slf4j:slf4j-api:2.0.9=compileClasspath,runtimeClasspath\nempty=\n";
    assert_eq!(detect_at("src/app/gradle.lockfile", lockfile).len(), 1);
    assert!(detect_at(
        "home/u/.gradle/caches/modules-2/files-2.1/g/a/1/abc/gradle.lockfile",
        lockfile
    )
    .is_empty());
}

#[test]
fn composer_lockfiles_inside_vendor_are_not_read_but_installed_json_is() {
    assert_dependency_internal(
        "lang/php/lock/composer.lock",
        "var/www/app/composer.lock",
        &["var/www/app/vendor/monolog/monolog/composer.lock"],
    );
    let installed = "lang/php/installed/vendor/composer/installed.json";
    assert!(!detect_at(
        "var/www/app/vendor/composer/installed.json",
        &read(installed)
    )
    .is_empty());
}
