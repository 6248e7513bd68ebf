//! The table a person reads: laid out to the terminal width, every location ending with
//! its file name and line, findings grouped per file, a closing summary, and the
//! compliance table agreeing with the JSON report.

mod common;

use common::*;

fn fixture(rel: &str) -> String {
    repo_root().join(rel).display().to_string()
}

fn table_at(columns: usize, args: &[&str]) -> String {
    let out = palisade()
        .env("COLUMNS", columns.to_string())
        .args(args)
        .output()
        .expect("run palisade");
    assert!(
        out.status.success(),
        "palisade {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("UTF-8 table")
}

/// The cells of one column (by header name) of every table in `text`, row by row: a cell
/// wrapped over several lines is joined back.
fn column_cells(text: &str, header: &str) -> Vec<String> {
    let mut cells = Vec::new();
    let mut col: Option<usize> = None;
    let mut current: Option<String> = None;
    for line in text.lines() {
        let parts: Vec<&str> = line.split(['│', '┆']).collect();
        if parts.len() < 3 {
            // A border or a separator ends the row; the bottom border ends the table.
            cells.extend(current.take());
            if line.starts_with('╰') || !line.starts_with(['├', '╞', '╭']) {
                col = None;
            }
            continue;
        }
        let here: Vec<&str> = parts[1..parts.len() - 1].iter().map(|c| c.trim()).collect();
        if let Some(i) = here.iter().position(|c| *c == header) {
            col = Some(i);
            continue;
        }
        if let Some(i) = col {
            current
                .get_or_insert_with(String::new)
                .push_str(here.get(i).copied().unwrap_or(""));
        }
    }
    cells.extend(current);
    cells
}

fn assert_fits(text: &str, columns: usize) {
    for line in text.lines() {
        assert!(
            line.chars().count() <= columns,
            "row wider than {columns}: {line:?}"
        );
    }
}

const REPORTS: &str = "crates/palisade/tests/fixtures/reports";

#[test]
fn tables_fit_the_terminal_and_locations_end_with_file_and_line() {
    let cases: Vec<(Vec<String>, &[&str])> = vec![
        (
            vec!["config".into(), fixture(REPORTS), "-q".into()],
            &["deployment.yaml", "Dockerfile"],
        ),
        (
            vec![
                "config".into(),
                fixture("crates/palisade-dockerfile/tests/fixtures"),
                "-q".into(),
            ],
            &["multistage.Dockerfile"],
        ),
        (
            vec![
                "image".into(),
                "--input".into(),
                demo_image(),
                "-q".into(),
                "--scanners".into(),
                "vuln,secret,misconfig".into(),
            ],
            &["credentials", "ImageConfig/config"],
        ),
    ];
    for (args, names) in &cases {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let mut seen_at = Vec::new();
        for columns in [80, 250] {
            let text = table_at(columns, &args);
            assert_fits(&text, columns);
            let locations = column_cells(&text, "Location");
            assert!(!locations.is_empty(), "no Location column: {text}");
            for loc in &locations {
                let ok = names.iter().any(|n| {
                    loc.ends_with(n)
                        || loc.rsplit_once(':').is_some_and(|(file, line)| {
                            file.ends_with(n) && line.parse::<u32>().is_ok()
                        })
                });
                assert!(
                    ok,
                    "{args:?} at {columns}: location {loc:?} lost its file name"
                );
            }
            assert!(text.contains("Summary"), "{text}");
            seen_at.push(locations.len());
        }
        // The layout changes with the width; the rows do not.
        assert_eq!(seen_at[0], seen_at[1], "{args:?}");
    }
}

#[test]
fn kubernetes_rows_keep_their_line_and_a_wide_terminal_uses_its_width() {
    let narrow = table_at(80, &["config", &fixture(REPORTS), "-q"]);
    let wide = table_at(250, &["config", &fixture(REPORTS), "-q"]);
    let with_line = |t: &str| {
        column_cells(t, "Location")
            .iter()
            .filter(|l| l.contains("deployment.yaml:"))
            .count()
    };
    assert!(with_line(&narrow) > 10, "{narrow}");
    assert_eq!(with_line(&narrow), with_line(&wide));
    // At 250 columns the full path fits: nothing is shortened.
    assert!(wide.contains(
        "deploy/charts/platform/templates/production/payments-service-with-a-long-name/deployment.yaml:"
    ));
    let widest = |t: &str| t.lines().map(|l| l.chars().count()).max().unwrap_or(0);
    assert!(widest(&wide) > 120, "the wide table stays narrow");
    assert!(narrow.contains("…/deployment.yaml:"), "{narrow}");
}

#[test]
fn a_clean_scan_says_so_in_the_summary() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("notes.txt"), "nothing secret here\n").unwrap();
    let text = table_at(
        80,
        &[
            "fs",
            dir.path().to_str().unwrap(),
            "-q",
            "--scanners",
            "secret",
        ],
    );
    assert!(text.contains("No findings (1 target)."), "{text}");
    assert!(!text.contains("Packages: 0"), "{text}");
}

#[test]
fn compliance_table_counts_equal_the_json_report() {
    for framework in palisade_engine_frameworks() {
        let args = ["config", &fixture(REPORTS), "-q", "--compliance", framework];
        let text = table_at(250, &args);
        let mut json_args = args.to_vec();
        json_args.extend(["-f", "json"]);
        let report = json_of(&json_args);
        let summary = &report["results"][0]["compliance"];
        let controls = summary["controls"].as_array().expect("controls");
        assert!(
            text.contains(&format!(
                "— {} passed, {} failed",
                summary["passed"], summary["failed"]
            )),
            "{framework}: {text}"
        );
        let ids = column_cells(&text, "ID");
        let failed = column_cells(&text, "Failed resources");
        let status = column_cells(&text, "Status");
        assert_eq!(
            ids.len(),
            controls.len(),
            "{framework}: one row per control"
        );
        for (i, c) in controls.iter().enumerate() {
            assert_eq!(ids[i], c["id"].as_str().unwrap());
            assert_eq!(failed[i], c["failed_resources"].to_string(), "{}", ids[i]);
            assert_eq!(
                status[i],
                c["status"].as_str().unwrap().to_uppercase(),
                "{}",
                ids[i]
            );
        }
        assert!(
            controls.iter().any(|c| c["status"] == "fail"),
            "{framework}: the fixture fails some control"
        );
    }
}

fn palisade_engine_frameworks() -> [&'static str; 4] {
    ["pss-restricted", "pss-baseline", "nsa", "cis"]
}

#[test]
fn hostile_file_names_are_escaped_in_the_table() {
    let dir = tempfile::tempdir().unwrap();
    let evil = dir.path().join("x\u{1b}]0;pwned\u{7}.yaml");
    std::fs::write(
        &evil,
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n    - name: c\n      image: nginx\n      securityContext:\n        privileged: true\n",
    )
    .unwrap();
    let text = table_at(80, &["config", dir.path().to_str().unwrap(), "-q"]);
    assert!(
        !text.contains('\u{1b}') && !text.contains('\u{7}'),
        "{text:?}"
    );
    assert!(text.contains("\\u{1b}"), "{text}");
    assert_fits(&text, 80);
}

#[test]
fn a_secret_from_git_history_names_its_commit() {
    let dir = tempfile::tempdir().unwrap();
    let git = |args: &[&str]| {
        let ok = std::process::Command::new("git")
            .args(args)
            .current_dir(dir.path())
            .env("GIT_CONFIG_GLOBAL", "/dev/null")
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .output()
            .expect("git (installed by .ci/run)");
        assert!(ok.status.success(), "git {args:?}");
    };
    git(&["init", "-q"]);
    std::fs::write(
        dir.path().join("creds.txt"),
        "aws_access_key_id = AKIAQYLPMN5HHHFPZAM2\n",
    )
    .unwrap();
    git(&["add", "creds.txt"]);
    git(&[
        "-c",
        "user.name=Ada Lovelace",
        "-c",
        "user.email=ada@example.com",
        "commit",
        "-qm",
        "add",
        "--date=2024-03-05T10:00:00Z",
    ]);
    git(&["rm", "-q", "creds.txt"]);
    git(&[
        "-c",
        "user.name=Ada Lovelace",
        "-c",
        "user.email=ada@example.com",
        "commit",
        "-qm",
        "remove",
    ]);
    let text = table_at(80, &["repo", dir.path().to_str().unwrap(), "-q"]);
    assert_fits(&text, 80);
    let commits = column_cells(&text, "Commit");
    assert_eq!(commits.len(), 1, "{text}");
    assert!(commits[0].contains("2024-03-05"), "{text}");
    assert!(commits[0].contains("Ada Lovelace"), "{text}");
    assert_eq!(column_cells(&text, "Location"), ["creds.txt:1"]);
}

#[test]
fn dependency_tree_names_the_way_in_in_json_and_table() {
    let args = [
        "image",
        "--input",
        &demo_image(),
        "-q",
        "--scanners",
        "vuln",
    ];
    let chains_of = |report: &serde_json::Value, package: &str| -> Vec<serde_json::Value> {
        report["results"][0]["findings"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|f| f["vulnerability"]["package_name"] == package)
            .map(|f| f["vulnerability"]["dependency_paths"].clone())
            .collect()
    };
    let mut json_args = args.to_vec();
    json_args.extend(["-f", "json"]);
    let plain = json_of(&json_args);
    assert!(chains_of(&plain, "urllib3").iter().all(|c| c.is_null()));
    json_args.push("--dependency-tree");
    let tree = json_of(&json_args);
    let urllib3 = chains_of(&tree, "urllib3");
    assert!(!urllib3.is_empty());
    for c in &urllib3 {
        assert_eq!(
            c,
            &serde_json::json!([["pkg:pypi/requests@2.19.1", "pkg:pypi/urllib3@1.24.1"]])
        );
    }
    for c in chains_of(&tree, "lodash") {
        assert_eq!(c, serde_json::json!([["pkg:npm/lodash@4.17.4"]]));
    }
    let mut table_args = args.to_vec();
    table_args.push("--dependency-tree");
    let text = table_at(80, &table_args);
    assert_fits(&text, 80);
    assert!(text.contains("via requests"), "{text}");
    assert!(text.contains("(direct dependency)"), "{text}");
}
