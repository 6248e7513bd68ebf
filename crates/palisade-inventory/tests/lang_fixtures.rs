//! The language detectors against real lockfiles and installed trees made by the package
//! managers themselves (scripts/make-lang-fixtures.sh), compared with what those package
//! managers report (`pip list`, `npm ls`, `cargo metadata`, `go version -m`, ...).

use palisade_core::{pep503_normalize, Package, Relationship};
use palisade_inventory::{lang, FileRef};
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/lang")
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

/// Runs every language detector over `sub` as a scan root; fails on any detector error.
fn scan(sub: &str) -> Vec<Package> {
    let root = fixtures().join(sub);
    let mut all = Vec::new();
    files(&root, &mut all);
    all.sort();
    let detectors = lang::detectors();
    let mut out = Vec::new();
    for path in all {
        let rel = path
            .strip_prefix(&root)
            .unwrap()
            .to_string_lossy()
            .into_owned();
        let size = std::fs::metadata(&path).unwrap().len();
        let content = std::fs::read(&path).unwrap();
        for d in detectors.iter().filter(|d| d.wants(&rel, size)) {
            let file = FileRef {
                path: &rel,
                content: &content,
                layer: None,
            };
            out.extend(
                d.detect(&file, None)
                    .unwrap_or_else(|e| panic!("{} failed: {e}", d.name())),
            );
        }
    }
    palisade_inventory::link_installed(&mut out);
    out
}

/// The packages the package manager lists: its tools list dependencies, not the
/// application itself (see `applications_are_roots_with_their_direct_dependencies`).
fn pairs(pkgs: &[Package]) -> BTreeSet<(String, String)> {
    pkgs.iter()
        .filter(|p| p.relationship != Relationship::Root)
        .map(|p| (p.name.clone(), p.version.clone()))
        .collect()
}

fn only(pkgs: &[Package], file: &str) -> Vec<Package> {
    pkgs.iter()
        .filter(|p| p.found_in.ends_with(file))
        .cloned()
        .collect()
}

fn read_json(rel: &str) -> Value {
    serde_json::from_slice(&std::fs::read(fixtures().join(rel)).unwrap()).unwrap()
}

fn pip_list(rel: &str) -> BTreeSet<(String, String)> {
    read_json(rel)
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            (
                pep503_normalize(p["name"].as_str().unwrap()),
                p["version"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

#[test]
fn python_installed_matches_pip_list() {
    let pkgs = scan("python/site-packages");
    assert_eq!(pairs(&pkgs), pip_list("python/expected-pip-list.json"));
    let yaml = pkgs.iter().find(|p| p.name == "pyyaml").unwrap();
    assert_eq!(yaml.purl, "pkg:pypi/pyyaml@6.0.1");
    assert!(!yaml.licenses.is_empty(), "PyYAML states its licence");
}

#[test]
fn python_installed_edges_match_pip_show() {
    let pkgs = scan("python/site-packages");
    let want = read_json("python/expected-pip-show.json");
    let want = want.as_object().unwrap();
    assert!(!want.is_empty());
    for (name, requires) in want {
        let name = pep503_normalize(name);
        let p = pkgs.iter().find(|p| p.name == name).unwrap();
        let got: BTreeSet<String> = p
            .depends_on
            .iter()
            .map(|d| {
                d.trim_start_matches("pkg:pypi/")
                    .split('@')
                    .next()
                    .unwrap()
                    .to_string()
            })
            .collect();
        let exp: BTreeSet<String> = requires
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r.as_str().unwrap().to_lowercase().replace('_', "-"))
            .collect();
        assert_eq!(got, exp, "edges of {name}");
    }
}

#[test]
fn python_lockfiles_match_resolution() {
    // pip freeze of the same venv.
    assert_eq!(
        pairs(&scan("python/requirements")),
        pip_list("python/expected-pip-list.json")
    );
    let want = pip_list("python/expected-lock-resolution.json");
    for dir in ["python/uv", "python/pipenv", "python/poetry", "python/pdm"] {
        let pkgs = scan(dir);
        assert_eq!(pairs(&pkgs), want, "{dir}");
        let ini = pkgs.iter().find(|p| p.name == "iniconfig").unwrap();
        assert_eq!(
            ini.relationship,
            Relationship::Dev,
            "{dir}: iniconfig is a dev dependency"
        );
    }
    // Pipfile.lock records no edges; the others must give requests its four dependencies.
    for dir in ["python/uv", "python/poetry", "python/pdm"] {
        let pkgs = scan(dir);
        let requests = pkgs.iter().find(|p| p.name == "requests").unwrap();
        if dir == "python/uv" {
            // Only uv.lock records the project and so which dependencies are direct.
            assert_eq!(requests.relationship, Relationship::Direct);
        }
        let deps: BTreeSet<&str> = requests
            .depends_on
            .iter()
            .map(|d| d.trim_start_matches("pkg:pypi/").split('@').next().unwrap())
            .collect();
        assert_eq!(
            deps,
            BTreeSet::from(["certifi", "charset-normalizer", "idna", "urllib3"]),
            "{dir}"
        );
    }
}

type Pairs = BTreeSet<(String, String)>;
type Edges = BTreeMap<String, BTreeSet<String>>;

/// name@version pairs and edges from `npm ls --all --json`.
fn npm_ls() -> (Pairs, Edges) {
    fn walk(
        deps: &Value,
        set: &mut BTreeSet<(String, String)>,
        edges: &mut BTreeMap<String, BTreeSet<String>>,
    ) {
        let Some(m) = deps.as_object() else { return };
        for (name, d) in m {
            let v = d["version"].as_str().unwrap().to_string();
            set.insert((name.clone(), v.clone()));
            let kids = d
                .get("dependencies")
                .and_then(Value::as_object)
                .map(|k| k.keys().cloned().collect())
                .unwrap_or_default();
            edges.insert(format!("{name}@{v}"), kids);
            if let Some(sub) = d.get("dependencies") {
                walk(sub, set, edges);
            }
        }
    }
    let (mut set, mut edges) = (BTreeSet::new(), BTreeMap::new());
    walk(
        &read_json("node/expected-npm-ls.json")["dependencies"],
        &mut set,
        &mut edges,
    );
    (set, edges)
}

#[test]
fn node_lockfiles_and_installed_match_npm_ls() {
    let (want, edges) = npm_ls();
    for dir in [
        "node/npm-v1",
        "node/npm-v2",
        "node/npm-v3",
        "node/shrinkwrap",
        "node/yarn-classic",
        "node/yarn-berry",
        "node/pnpm",
        "node/installed",
    ] {
        let pkgs = scan(dir);
        assert_eq!(pairs(&pkgs), want, "{dir}");
        for p in &pkgs {
            if p.relationship == Relationship::Root {
                // The application (from the lockfile, or package.json beside a lockfile or
                // node_modules that lacks it): its edges reach installed packages only.
                assert!(!p.depends_on.is_empty(), "{dir}: {p:?}");
                assert!(
                    p.depends_on
                        .iter()
                        .all(|d| pkgs.iter().any(|q| &q.purl == d)),
                    "{dir}: {p:?}"
                );
                continue;
            }
            let got: BTreeSet<String> = p
                .depends_on
                .iter()
                .map(|d| {
                    d.trim_start_matches("pkg:npm/")
                        .split('@')
                        .next()
                        .unwrap()
                        .to_string()
                })
                .collect();
            assert_eq!(
                got,
                edges[&format!("{}@{}", p.name, p.version)],
                "{dir}: edges of {}",
                p.name
            );
        }
    }
    let v3 = scan("node/npm-v3");
    let rel = |n: &str| v3.iter().find(|p| p.name == n).unwrap().relationship;
    assert_eq!(
        (rel("debug"), rel("ms"), rel("is-number")),
        (
            Relationship::Direct,
            Relationship::Transitive,
            Relationship::Dev
        )
    );
}

#[test]
fn cargo_lock_matches_cargo_metadata() {
    let pkgs = only(&scan("rust/lock"), "Cargo.lock");
    let meta = read_json("rust/expected-cargo-metadata.json");
    let want: BTreeSet<(String, String)> = meta
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            (
                p["name"].as_str().unwrap().into(),
                p["version"].as_str().unwrap().into(),
            )
        })
        .collect();
    // cargo metadata lists the workspace's own crate too: here it is the application.
    let all: BTreeSet<(String, String)> = pkgs
        .iter()
        .map(|p| (p.name.clone(), p.version.clone()))
        .collect();
    assert_eq!(all, want);
    for m in meta.as_array().unwrap() {
        let p = pkgs
            .iter()
            .find(|p| p.name == m["name"].as_str().unwrap())
            .unwrap();
        let got: BTreeSet<&str> = p
            .depends_on
            .iter()
            .map(|d| {
                d.trim_start_matches("pkg:cargo/")
                    .split('@')
                    .next()
                    .unwrap()
            })
            .collect();
        let exp: BTreeSet<&str> = m["dependencies"]
            .as_array()
            .unwrap()
            .iter()
            .map(|d| d.as_str().unwrap())
            .collect();
        assert_eq!(got, exp, "edges of {}", p.name);
    }
}

#[test]
fn cargo_auditable_binary_matches_cargo_metadata() {
    let dir = fixtures().join("rust/auditable");
    if !dir.join("usr/local/bin/fixture-app").exists() {
        panic!("fixture missing: run scripts/make-lang-fixtures.sh rust with cargo-auditable installed");
    }
    let pkgs = scan("rust/auditable");
    let meta = read_json("rust/expected-cargo-metadata.json");
    // The binary records runtime dependencies only; this fixture has no build-only crates.
    let want: BTreeSet<(String, String)> = meta
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            (
                p["name"].as_str().unwrap().into(),
                p["version"].as_str().unwrap().into(),
            )
        })
        .collect();
    assert_eq!(pairs(&pkgs), want);
    assert!(pkgs
        .iter()
        .all(|p| p.found_in == "usr/local/bin/fixture-app"));
}

#[test]
fn go_binary_matches_go_version_m() {
    let pkgs = scan("go/bin");
    let text = std::fs::read_to_string(fixtures().join("go/expected-go-version-m.txt")).unwrap();
    let mut want = BTreeSet::new();
    let mut last_dep = None;
    for line in text.lines() {
        let f: Vec<&str> = line.trim().split('\t').collect();
        match f[..] {
            ["dep", path, version, ..] => {
                let dep = (path.to_string(), version.to_string());
                want.insert(dep.clone());
                last_dep = Some(dep);
            }
            // A local-directory replacement is the project's own code: not reported.
            ["=>", path, ..] if path.starts_with('.') => {
                if let Some(l) = last_dep.take() {
                    want.remove(&l);
                }
            }
            _ if line.contains(": go") => {
                let v = line.split(": go").nth(1).unwrap();
                want.insert(("stdlib".to_string(), format!("v{v}")));
            }
            _ => {}
        }
    }
    assert_eq!(pairs(&pkgs), want);
    assert!(pkgs.iter().any(|p| p.purl == "pkg:golang/stdlib@v1.19.8"));
    assert!(
        !text.contains("\tdep\t") || text.contains("=>"),
        "fixture keeps its local replace"
    );
}

#[test]
fn go_mod_matches_go_list() {
    let text = std::fs::read(fixtures().join("go/expected-go-list-m.json")).unwrap();
    let want: BTreeSet<(String, String)> = serde_json::Deserializer::from_slice(&text)
        .into_iter::<Value>()
        .map(Result::unwrap)
        .filter(|m| m.get("Main").is_none())
        // A local-directory replacement is the project's own code: not reported.
        .filter(|m| {
            !m["Replace"]["Path"]
                .as_str()
                .is_some_and(|p| p.starts_with('.'))
        })
        .map(|m| {
            (
                m["Path"].as_str().unwrap().to_string(),
                m["Version"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert_eq!(pairs(&scan("go/mod")), want);
}

fn mvn_list(key: &str) -> BTreeSet<(String, String)> {
    read_json("java/expected-mvn-dependency-list.json")[key]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| {
            (
                format!(
                    "{}:{}",
                    a["group"].as_str().unwrap(),
                    a["artifact"].as_str().unwrap()
                ),
                a["version"].as_str().unwrap().into(),
            )
        })
        .collect()
}

#[test]
fn java_archives_match_maven_dependency_list() {
    let pkgs = scan("java/archives");
    for archive in ["greet-1.0.0-all.jar", "webapp-1.0.0.war"] {
        let mine: Vec<Package> = pkgs
            .iter()
            .filter(|p| p.found_in.starts_with(archive))
            .cloned()
            .collect();
        assert_eq!(pairs(&mine), mvn_list(archive), "{archive}");
    }
    // The war nests jars in WEB-INF/lib; the shaded jar keeps its dependency's pom.properties.
    let nested = pkgs
        .iter()
        .find(|p| p.name == "commons-cli:commons-cli")
        .unwrap();
    assert_eq!(
        nested.found_in,
        "webapp-1.0.0.war!/WEB-INF/lib/commons-cli-1.5.0.jar"
    );
    assert!(pkgs
        .iter()
        .any(|p| p.name == "commons-io:commons-io" && p.found_in == "greet-1.0.0-all.jar"));
}

#[test]
fn pom_declared_dependencies_match_maven() {
    assert_eq!(pairs(&scan("java/pom")), mvn_list("pom.xml"));
}

#[test]
fn ruby_matches_bundle_list() {
    let text = std::fs::read_to_string(fixtures().join("ruby/expected-bundle-list.txt")).unwrap();
    let want: BTreeSet<(String, String)> = text
        .lines()
        .filter_map(|l| l.trim().strip_prefix("* "))
        .filter_map(|l| l.split_once(" ("))
        .map(|(n, v)| (n.to_string(), v.trim_end_matches(')').to_string()))
        .collect();
    assert_eq!(pairs(&scan("ruby/bundle")), want);
    assert_eq!(pairs(&scan("ruby/installed")), want);
}

#[test]
fn php_matches_composer_show() {
    let want: BTreeSet<(String, String)> = read_json("php/expected-composer-show.json")
        ["installed"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            (
                p["name"].as_str().unwrap().into(),
                p["version"].as_str().unwrap().into(),
            )
        })
        .collect();
    for dir in ["php/lock", "php/installed"] {
        let pkgs = scan(dir);
        assert_eq!(pairs(&pkgs), want, "{dir}");
        let greet = pkgs.iter().find(|p| p.name == "palisade/greet").unwrap();
        assert_eq!(greet.depends_on, vec!["pkg:composer/palisade/util@1.4.0"]);
        assert_eq!(greet.licenses, vec!["Apache-2.0"]);
    }
}

#[test]
fn every_package_has_purl_path_and_version() {
    let pkgs = scan("");
    assert!(pkgs.len() > 60, "{} packages", pkgs.len());
    for p in &pkgs {
        assert!(
            p.purl
                .starts_with(&format!("pkg:{}/", p.ecosystem.purl_type())),
            "{}",
            p.purl
        );
        // A Go main module has no version: go.mod does not hold it (its VCS tag does).
        let go_root = p.relationship == Relationship::Root && p.purl.starts_with("pkg:golang/");
        assert!(
            (go_root || !p.version.is_empty()) && !p.found_in.is_empty(),
            "{p:?}"
        );
    }
}

/// The project each real tool locked is reported once, as the application, with edges to
/// exactly its direct dependencies (as the manifests the scripts wrote declare them).
#[test]
fn applications_are_roots_with_their_direct_dependencies() {
    let cases: [(&str, &str, &[&str]); 5] = [
        (
            "node/npm-v3",
            "pkg:npm/fixture-app@1.0.0",
            &["debug", "is-number", "lodash"],
        ),
        (
            "python/uv",
            "pkg:pypi/fixture-app@0.1.0",
            &["iniconfig", "requests"],
        ),
        ("rust/lock", "", &[]),
        ("java/pom", "", &[]),
        ("go/mod", "pkg:golang/example.com/hello", &[]),
    ];
    for (dir, purl, deps) in cases {
        let pkgs = scan(dir);
        let roots: Vec<&Package> = pkgs
            .iter()
            .filter(|p| p.relationship == Relationship::Root)
            .collect();
        assert_eq!(roots.len(), 1, "{dir}: {roots:?}");
        if !purl.is_empty() {
            assert_eq!(roots[0].purl, purl, "{dir}");
        }
        if !deps.is_empty() {
            let names: Vec<&str> = roots[0]
                .depends_on
                .iter()
                .map(|d| d.rsplit('/').next().unwrap().split('@').next().unwrap())
                .collect();
            assert_eq!(names, deps, "{dir}");
        }
        // Every edge points at a package of the same scan.
        for d in &roots[0].depends_on {
            assert!(pkgs.iter().any(|p| &p.purl == d), "{dir}: {d}");
        }
    }
}
