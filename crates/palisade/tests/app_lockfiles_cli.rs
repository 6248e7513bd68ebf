//! Issue 12: an image whose npm dependencies ship their own lockfiles (a real `npm install`,
//! crates/palisade-inventory/fixtures/dependency-internal/npm) reports every installed
//! package once, nothing from those lockfiles, and the application as the SBOM's
//! application component with its dependencies hanging from it.

mod common;
use common::{json_of, oci_layout, repo_root};
use palisade_testkit::{assert_valid, Schema};
use serde_json::Value;
use std::collections::BTreeMap;

/// The fixture's files, as an image layer would hold them.
fn fixture_files() -> Vec<(String, Vec<u8>)> {
    let root = repo_root().join("crates/palisade-inventory/fixtures/dependency-internal/npm");
    walkdir::WalkDir::new(root.join("srv"))
        .into_iter()
        .flatten()
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let rel = e.path().strip_prefix(&root).unwrap().to_string_lossy();
            (rel.into_owned(), std::fs::read(e.path()).unwrap())
        })
        .collect()
}

#[test]
fn image_with_dependency_lockfiles_reports_installed_packages_once() {
    let dir = tempfile::tempdir().unwrap();
    let files = fixture_files();
    let refs: Vec<(&str, &[u8])> = files
        .iter()
        .map(|(p, c)| (p.as_str(), c.as_slice()))
        .collect();
    let layout = oci_layout(dir.path(), &refs, serde_json::json!({}));
    let input = layout.to_str().unwrap();

    let report = json_of(&["image", "--input", input, "-f", "json", "-q"]);
    let pkgs = report["results"][0]["packages"].as_array().unwrap();
    let mut seen: BTreeMap<String, usize> = BTreeMap::new();
    for p in pkgs {
        let found_in = p["found_in"].as_str().unwrap();
        let from_internal_lock =
            found_in.contains("node_modules/") && !found_in.ends_with("/package.json");
        assert!(!from_internal_lock, "{p}");
        *seen
            .entry(p["purl"].as_str().unwrap().to_string())
            .or_default() += 1;
    }
    // npm ls of the same install, plus the application itself.
    let want = [
        "pkg:npm/base64-arraybuffer@0.1.5",
        "pkg:npm/combined-stream@1.0.8",
        "pkg:npm/css-line-break@1.0.1",
        "pkg:npm/delayed-stream@1.0.0",
        "pkg:npm/dep-lock-app@2.1.0",
    ];
    assert_eq!(seen.keys().map(String::as_str).collect::<Vec<_>>(), want);
    assert!(seen.values().all(|n| *n == 1), "{seen:?}");
    let app = pkgs.iter().find(|p| p["name"] == "dep-lock-app").unwrap();
    assert_eq!(app["relationship"], "root");

    // A filesystem scan of the same tree skips the same lockfiles (as Trivy's does).
    let fixture = repo_root().join("crates/palisade-inventory/fixtures/dependency-internal/npm");
    let fs = json_of(&["fs", fixture.to_str().unwrap(), "-f", "json", "-q"]);
    let mut fs_purls: Vec<&str> = fs["results"][0]["packages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["purl"].as_str().unwrap())
        .collect();
    fs_purls.sort_unstable();
    assert_eq!(fs_purls, want);

    let cdx = json_of(&["image", "--input", input, "-f", "cyclonedx", "-q"]);
    assert_valid(Schema::CycloneDx16, &cdx);
    let comps = cdx["components"].as_array().unwrap();
    let app = comps.iter().find(|c| c["name"] == "dep-lock-app").unwrap();
    assert_eq!(app["type"], "application");
    let deps = |r: &str| -> Vec<String> {
        cdx["dependencies"]
            .as_array()
            .unwrap()
            .iter()
            .find(|d| d["ref"] == r)
            .map(|d| {
                d["dependsOn"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|v| v.as_str().unwrap().to_string())
                    .collect()
            })
            .unwrap_or_default()
    };
    let app_ref = app["bom-ref"].as_str().unwrap();
    assert_eq!(deps("palisade:subject"), vec![app_ref.to_string()]);
    assert_eq!(
        deps(app_ref),
        vec![
            "pkg:npm/combined-stream@1.0.8",
            "pkg:npm/css-line-break@1.0.1"
        ]
    );

    let spdx = json_of(&["image", "--input", input, "-f", "spdx-json", "-q"]);
    assert_valid(Schema::Spdx23, &spdx);
    let app_id = spdx["packages"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["name"] == "dep-lock-app")
        .map(|p| p["SPDXID"].clone())
        .unwrap();
    let describes: Vec<&Value> = spdx["relationships"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["relationshipType"] == "DESCRIBES")
        .map(|r| &r["relatedSpdxElement"])
        .collect();
    assert!(describes.contains(&&app_id), "{describes:?}");
}
