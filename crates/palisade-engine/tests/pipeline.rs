//! The engine as a library caller sees it: one request, one report, typed errors.

use palisade_core::{FindingKind, Report, TargetKind};
use palisade_engine::{Config, EngineError, Scan, Scanner::*, SkipList, Suppressions};
use std::path::{Path, PathBuf};

fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn write(root: &Path, rel: &str, text: &str) {
    let p = root.join(rel);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(p, text).unwrap();
}

const PRIVILEGED_POD: &str = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n  - name: c\n    image: nginx:1.25\n    securityContext:\n      privileged: true\n";

/// A project tree with configuration of its own and configuration inside dependencies.
fn project() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let r = dir.path();
    write(
        r,
        "Dockerfile",
        "FROM debian:latest\nRUN apt-get update && apt-get install -y curl\n",
    );
    write(r, "deploy/pod.yaml", PRIVILEGED_POD);
    write(r, "deploy/values.yaml", "replicas: 3\n");
    write(r, "node_modules/chart/Dockerfile", "FROM alpine:latest\n");
    write(r, "vendor/x/pod.yaml", PRIVILEGED_POD);
    dir
}

fn keys(report: &Report) -> Vec<String> {
    let mut v: Vec<String> = report.results[0]
        .findings
        .iter()
        .map(|f| {
            format!(
                "{} {} {}",
                f.rule_id,
                f.location.path.as_deref().unwrap_or(""),
                f.message
            )
        })
        .collect();
    v.sort();
    v
}

#[test]
fn fs_with_misconfig_and_config_are_one_pipeline() {
    let dir = project();
    let fs = Scan::fs(dir.path()).scanners([Misconfig]).run().unwrap();
    let config = Scan::config(dir.path()).run().unwrap();
    assert_eq!(keys(&fs), keys(&config));
    let paths: Vec<_> = fs.results[0]
        .findings
        .iter()
        .filter_map(|f| f.location.path.clone())
        .collect();
    assert!(paths.iter().any(|p| p == "Dockerfile"));
    assert!(paths.iter().any(|p| p == "deploy/pod.yaml"));
    assert!(
        paths
            .iter()
            .all(|p| !p.starts_with("node_modules") && !p.starts_with("vendor")),
        "dependencies' own configuration is not the project's: {paths:?}"
    );
    assert_eq!(fs.results[0].target.kind, TargetKind::Filesystem);
    assert_eq!(config.results[0].target.kind, TargetKind::Config);
}

#[test]
fn misconfig_is_off_unless_asked_and_secrets_find_planted_keys() {
    let dir = project();
    write(
        dir.path(),
        "app/.env",
        concat!(
            "GITHUB_TOKEN=ghp_R8sQ2vLk9Xw3Zp7",
            "Tm4Nc1Bd6Hf0Jy5Ua8Ge2\n"
        ),
    );
    let r = Scan::fs(dir.path()).scanners([Secret]).run().unwrap();
    let f = &r.results[0].findings;
    assert!(f.iter().all(|f| f.kind == FindingKind::Secret), "{f:?}");
    assert!(f.iter().any(|f| f.rule_id == "github-pat"));
    assert!(
        r.results[0].packages.is_empty(),
        "no inventory without vuln or packages"
    );
}

#[test]
fn image_through_the_library() {
    let demo = repo_root().join("examples/demo-image-oci");
    let r = Scan::image(demo.display().to_string())
        .scanners([Vuln, Secret, Misconfig])
        .run()
        .unwrap();
    let t = &r.results[0];
    assert!(t.os.is_some());
    assert!(t.packages.len() > 10);
    let kinds: Vec<FindingKind> = t.findings.iter().map(|f| f.kind).collect();
    for k in [
        FindingKind::Vulnerability,
        FindingKind::Secret,
        FindingKind::Misconfiguration,
    ] {
        assert!(kinds.contains(&k), "no {k:?} finding");
    }
    let deleted = t
        .findings
        .iter()
        .find(|f| f.kind == FindingKind::Secret && f.extra.contains_key("deleted_in_layer"))
        .expect("the key a later layer deleted");
    assert!(deleted.message.contains("deleted in layer 4"));
}

#[test]
fn errors_say_what_kind_of_problem() {
    let dir = tempfile::tempdir().unwrap();
    let text = dir.path().join("notes.txt");
    std::fs::write(&text, "just some text, not an image\n").unwrap();
    let e = Scan::image(text.display().to_string()).run().unwrap_err();
    assert!(matches!(e, EngineError::Unsupported { .. }), "{e:?}");

    let e = Scan::image("/nonexistent/app.tar").run().unwrap_err();
    assert!(matches!(e, EngineError::NotFound(_)), "{e:?}");

    let bad = dir.path().join("broken.yaml");
    std::fs::write(
        &bad,
        "apiVersion: v1\nkind: Pod\nmetadata: {name: [\nsecret: hunter2hunter2\n",
    )
    .unwrap();
    let e = Scan::config(&bad).run().unwrap_err();
    assert!(matches!(e, EngineError::Corrupt { .. }), "{e:?}");
    assert!(!e.to_string().contains("hunter2"), "{e}");

    let huge = dir.path().join("huge.yaml");
    let f = std::fs::File::create(&huge).unwrap();
    f.set_len(palisade_engine::MAX_CONFIG_FILE + 1).unwrap();
    let e = Scan::config(&huge).run().unwrap_err();
    assert!(matches!(e, EngineError::LimitExceeded { .. }), "{e:?}");
}

#[test]
fn an_empty_directory_says_so() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "notes.bin", "\0\0\0binary");
    for r in [
        Scan::config(dir.path()).run().unwrap(),
        Scan::fs(dir.path()).scanners([Vuln]).run().unwrap(),
    ] {
        let errors = &r.results[0].errors;
        assert!(
            errors
                .iter()
                .any(|e| e.message.contains("no supported file")),
            "{errors:?}"
        );
    }
    let big = dir.path().join("big/values.yaml");
    std::fs::create_dir_all(big.parent().unwrap()).unwrap();
    let f = std::fs::File::create(&big).unwrap();
    f.set_len(palisade_engine::MAX_CONFIG_FILE + 1).unwrap();
    let r = Scan::config(dir.path()).run().unwrap();
    assert!(
        r.results[0]
            .errors
            .iter()
            .any(|e| e.source == "big/values.yaml" && e.message.contains("not checked")),
        "an oversized configuration file is a warning, not a silent skip"
    );
    let r = Scan::config(project().path()).run().unwrap();
    assert!(r.results[0]
        .errors
        .iter()
        .all(|e| !e.message.contains("no supported file")));
}

#[test]
fn rootfs_skips_kernel_filesystems_and_honours_the_skip_list() {
    let dir = project();
    write(dir.path(), "proc/1/environ", "AWS_SECRET=x\n");
    write(dir.path(), "proc/pod.yaml", PRIVILEGED_POD);
    write(dir.path(), "srv/proc/pod.yaml", PRIVILEGED_POD);
    let paths = |r: &Report| -> Vec<String> {
        r.results[0]
            .findings
            .iter()
            .filter_map(|f| f.location.path.clone())
            .collect()
    };
    let rootfs = Scan::rootfs(dir.path())
        .scanners([Misconfig])
        .run()
        .unwrap();
    assert!(paths(&rootfs).iter().all(|p| !p.starts_with("proc/")));
    assert!(paths(&rootfs).iter().any(|p| p == "srv/proc/pod.yaml"));
    let fs = Scan::fs(dir.path()).scanners([Misconfig]).run().unwrap();
    assert!(paths(&fs).iter().any(|p| p == "proc/pod.yaml"));
    let skipped = Scan::fs(dir.path())
        .scanners([Misconfig])
        .skip(SkipList {
            dirs: vec!["deploy".into(), "/proc".into()],
            files: vec!["Dockerfile".into()],
        })
        .run()
        .unwrap();
    assert!(!paths(&skipped).is_empty());
    assert_eq!(
        paths(&skipped),
        vec!["srv/proc/pod.yaml"; paths(&skipped).len()]
    );
}

#[test]
fn palisade_yaml_drives_suppression_and_defaults() {
    let dir = project();
    write(
        dir.path(),
        "palisade.yaml",
        "scanners: [misconfig]\nignore:\n  - DL3007\n  - {id: NOPE-1, reason: stale}\nskip_dirs: [deploy]\n",
    );
    let cfg = Config::load(&dir.path().join("palisade.yaml")).unwrap();
    let r = Scan::fs(dir.path()).with_config(cfg).run().unwrap();
    let t = &r.results[0];
    assert!(!t.findings.is_empty());
    assert!(t
        .findings
        .iter()
        .all(|f| f.kind == FindingKind::Misconfiguration));
    assert!(t
        .findings
        .iter()
        .all(|f| !f.related.iter().any(|r| r == "DL3007")));
    assert!(t
        .findings
        .iter()
        .all(|f| f.location.path.as_deref() == Some("Dockerfile")));
    assert!(t
        .errors
        .iter()
        .any(|e| e.message.contains("matched nothing") && e.message.contains("NOPE-1")));

    let missing = Scan::fs(dir.path())
        .suppressions(Suppressions {
            ignore_files: vec![dir.path().join("absent.ignore")],
            ..Default::default()
        })
        .run()
        .unwrap_err();
    assert!(missing.to_string().contains("absent.ignore"), "{missing}");
}

/// A consumer that checks configuration only (the admission webhook) links neither SQLite
/// nor an HTTP client, and no build of the engine links the CLI's crates.
#[test]
fn dependency_boundaries() {
    let tree = |extra: &[&str]| -> String {
        let out = std::process::Command::new(env!("CARGO"))
            .args(["tree", "--offline", "-p", "palisade-engine", "-e", "normal"])
            .args(["--prefix", "none"])
            .args(extra)
            .current_dir(repo_root())
            .output()
            .expect("cargo tree");
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).into_owned()
    };
    let crate_names = |t: &str| -> Vec<String> {
        t.lines()
            .filter_map(|l| l.split_whitespace().next())
            .map(str::to_string)
            .collect()
    };
    let full = crate_names(&tree(&[]));
    for banned in ["clap", "indicatif"] {
        assert!(
            !full.iter().any(|c| c == banned),
            "engine depends on {banned}"
        );
    }
    assert!(
        full.iter().any(|c| c == "rusqlite"),
        "default build has the vuln DB"
    );
    let lean = crate_names(&tree(&["--no-default-features"]));
    for banned in [
        "rusqlite",
        "libsqlite3-sys",
        "ureq",
        "reqwest",
        "hyper",
        "oci-client",
        "palisade-vulndb",
        "palisade-inventory",
    ] {
        assert!(
            !lean.iter().any(|c| c == banned),
            "config-only engine depends on {banned}"
        );
    }
}

#[test]
fn findings_past_the_limit_are_counted_in_a_warning_and_the_most_severe_kept() {
    let dir = tempfile::tempdir().unwrap();
    // Five Discord webhooks (medium) before thirty GitHub tokens (critical).
    let mut text = String::new();
    for i in 0..5 {
        text.push_str(&format!(
            "hook{i} = https://discord.com/api/webhooks/19784695014099031{i:02}/Q{i}rASl1YCJlS24R5gA2q_yfHwuEHFhvTS0lzNrr_9EEa4rSMrsEQp2vt7ZAoLbUx\n"
        ));
    }
    for i in 0..30 {
        text.push_str(&format!(
            "token{i} = ghp_{:0>36}\n",
            format!("{i}x9Kq7LmZ2vR8tY4wP1nB6cD3fG5hJ0aS")
        ));
    }
    write(dir.path(), "many.env", &text);
    let r = Scan::fs(dir.path()).scanners([Secret]).run().unwrap();
    let all = r.results[0].findings.len();
    assert!(all >= 35, "{all}");
    let r = Scan::fs(dir.path())
        .scanners([Secret])
        .max_findings(30)
        .run()
        .unwrap();
    let t = &r.results[0];
    assert_eq!(t.findings.len(), 30);
    assert!(t
        .findings
        .iter()
        .all(|f| f.severity == palisade_core::Severity::Critical));
    let warning = t
        .errors
        .iter()
        .find(|e| e.message.contains("more findings not reported"))
        .expect("a warning counts the rest");
    assert!(
        warning.message.starts_with(&format!("{} more", all - 30)),
        "{}",
        warning.message
    );
}
