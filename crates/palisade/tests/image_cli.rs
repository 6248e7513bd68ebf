mod common;

use common::*;
use palisade_testkit::{assert_valid, Schema};
use predicates::prelude::*;

#[test]
fn demo_image_inventory_has_os_and_debian_packages() {
    let r = json_of(&[
        "image",
        "--input",
        &demo_image(),
        "--format",
        "json",
        "--quiet",
    ]);
    let t = &r["results"][0];
    assert_eq!(t["os"]["family"], "debian");
    assert_eq!(t["os"]["version"], "12");
    let debs = packages(&r, "deb");
    assert_eq!(debs.len(), 8, "{debs:?}");
    assert!(debs.iter().any(|p| p.starts_with("libssl3@3.0.")));
    let libssl = t["packages"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["name"] == "libssl3")
        .unwrap();
    assert_eq!(libssl["source_name"], "openssl");
    assert_eq!(libssl["layer"]["index"], 0);
    assert!(libssl["purl"]
        .as_str()
        .unwrap()
        .ends_with("?arch=amd64&distro=debian-12"));
    assert_eq!(t["image"]["layers"].as_array().unwrap().len(), 5);
    assert_eq!(
        t["image"]["layers"][1]["created_by"],
        "RUN pip install --no-deps requests==2.19.1 urllib3==1.24.1"
    );
}

#[test]
fn demo_image_sboms_validate() {
    let cdx = json_of(&[
        "image",
        "--input",
        &demo_image(),
        "--format",
        "cyclonedx",
        "-q",
    ]);
    assert_valid(Schema::CycloneDx16, &cdx);
    assert_eq!(cdx["metadata"]["component"]["type"], "container");
    assert!(
        cdx.get("vulnerabilities").is_none(),
        "an SBOM alone is the inventory"
    );
    let spdx = json_of(&[
        "image",
        "--input",
        &demo_image(),
        "--format",
        "spdx-json",
        "-q",
    ]);
    assert_valid(Schema::Spdx23, &spdx);
    let sarif = json_of(&["image", "--input", &demo_image(), "--format", "sarif", "-q"]);
    assert_valid(Schema::Sarif210, &sarif);
}

/// Which scanners run never depends on the format: `--scanners vuln` with CycloneDX writes the
/// same advisories as JSON, each affecting a component of the same document.
#[test]
fn cyclonedx_carries_vulnerabilities_when_asked() {
    let args = [
        "image",
        "--input",
        &demo_image(),
        "--scanners",
        "vuln",
        "-q",
    ];
    let cdx = json_of(&[&args[..], &["-f", "cyclonedx"]].concat());
    assert_valid(Schema::CycloneDx16, &cdx);
    let json = json_of(&[&args[..], &["-f", "json"]].concat());
    let mut expected: Vec<&str> = json["results"][0]["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["rule_id"].as_str().unwrap())
        .collect();
    expected.sort();
    expected.dedup();
    let vulns = cdx["vulnerabilities"].as_array().expect("vulnerabilities");
    let ids: Vec<&str> = vulns.iter().map(|v| v["id"].as_str().unwrap()).collect();
    assert_eq!(ids, expected);
    let refs: Vec<&str> = cdx["components"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["bom-ref"].as_str().unwrap())
        .collect();
    for v in vulns {
        let affects = v["affects"].as_array().unwrap();
        assert!(!affects.is_empty(), "{v}");
        assert!(affects
            .iter()
            .all(|a| refs.contains(&a["ref"].as_str().unwrap())));
        assert!(v["ratings"][0]["severity"].is_string());
    }
}

#[test]
fn tagged_layout_and_wrong_tag() {
    let tagged = format!("{}:demo", demo_image());
    let r = json_of(&["image", "--input", &tagged, "--format", "json", "-q"]);
    assert_eq!(packages(&r, "deb").len(), 8);
    palisade()
        .args(["image", "--input", &format!("{}:nope", demo_image()), "-q"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "no image tagged \"nope\" (tags: demo)",
        ));
}

#[test]
fn missing_input_exits_2_with_a_clear_message() {
    palisade()
        .args(["image", "--input", "/nonexistent/image.tar"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "/nonexistent/image.tar: no such file or directory",
        ));
}

#[test]
fn output_file_and_version() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("r.json");
    palisade()
        .args([
            "image",
            "--input",
            &demo_image(),
            "-f",
            "json",
            "-o",
            out.to_str().unwrap(),
            "-q",
        ])
        .assert()
        .success()
        .stdout(predicate::str::is_empty());
    let v: serde_json::Value = serde_json::from_slice(&std::fs::read(out).unwrap()).unwrap();
    assert_valid(Schema::PalisadeReport, &v);
    palisade()
        .arg("version")
        .assert()
        .success()
        .stdout(predicate::str::starts_with("palisade "));
}

#[test]
fn rootfs_of_the_unpacked_demo_matches_the_image() {
    // Unpack the demo image's layers with the system tar, as a user would.
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("rootfs");
    std::fs::create_dir_all(&root).unwrap();
    let layout = std::path::PathBuf::from(demo_image());
    let index: serde_json::Value =
        serde_json::from_slice(&std::fs::read(layout.join("index.json")).unwrap()).unwrap();
    let md = index["manifests"][0]["digest"]
        .as_str()
        .unwrap()
        .trim_start_matches("sha256:")
        .to_string();
    let manifest: serde_json::Value =
        serde_json::from_slice(&std::fs::read(layout.join("blobs/sha256").join(md)).unwrap())
            .unwrap();
    for l in manifest["layers"].as_array().unwrap() {
        let blob = layout
            .join("blobs/sha256")
            .join(l["digest"].as_str().unwrap().trim_start_matches("sha256:"));
        let f = std::fs::File::open(blob).unwrap();
        let mut ar = tar::Archive::new(flate2::read::GzDecoder::new(f));
        for e in ar.entries().unwrap() {
            let mut e = e.unwrap();
            let p = e.path().unwrap().into_owned();
            let name = p
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            if let Some(hidden) = name.strip_prefix(".wh.") {
                let _ = std::fs::remove_file(root.join(p.parent().unwrap()).join(hidden));
                continue;
            }
            e.unpack_in(&root).unwrap();
        }
    }
    let from_image = json_of(&["image", "--input", &demo_image(), "-f", "json", "-q"]);
    let from_rootfs = json_of(&["rootfs", root.to_str().unwrap(), "-f", "json", "-q"]);
    assert_eq!(packages(&from_image, "deb"), packages(&from_rootfs, "deb"));
    assert_eq!(from_rootfs["results"][0]["os"]["version"], "12");
}
