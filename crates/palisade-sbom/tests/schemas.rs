use palisade_core::*;
use palisade_sbom::{cyclonedx_json, spdx_json, SbomInput};
use palisade_testkit::{assert_valid, Schema};

fn pkg(eco: Ecosystem, name: &str, version: &str, purl: &str, licenses: &[&str]) -> Package {
    Package {
        ecosystem: eco,
        name: name.into(),
        version: version.into(),
        purl: purl.into(),
        source_name: None,
        source_version: None,
        arch: None,
        licenses: licenses.iter().map(|s| s.to_string()).collect(),
        maintainer: None,
        found_in: "var/lib/dpkg/status".into(),
        layer: Some(LayerRef {
            index: 0,
            digest: "sha256:fae1".into(),
            diff_id: Some("sha256:d632".into()),
            created_by: Some("debootstrap".into()),
        }),
        other_locations: Vec::new(),
        relationship: Relationship::Unknown,
        depends_on: vec![],
        declared_deps: vec![],
    }
}

fn target() -> TargetReport {
    let mut t = TargetReport::new(Target {
        kind: TargetKind::Image,
        name: "demo".into(),
    });
    t.image = Some(ImageMeta {
        references: vec!["demo:1.0".into()],
        manifest_digest: Some("sha256:7954".into()),
        config_digest: "sha256:6eb9".into(),
        os: "linux".into(),
        architecture: "amd64".into(),
        ..Default::default()
    });
    t.os = Some(OsInfo::new(palisade_core::OsFamily::Debian, "12"));
    let mut libssl = pkg(
        Ecosystem::Deb,
        "libssl3",
        "3.0.11-1~deb12u2",
        "pkg:deb/debian/libssl3@3.0.11-1~deb12u2?arch=amd64&distro=debian-12",
        &[],
    );
    libssl.source_name = Some("openssl".into());
    libssl.source_version = Some("3.0.11-1~deb12u2".into());
    libssl.maintainer =
        Some("Debian OpenSSL Team <pkg-openssl-devel@alioth-lists.debian.net>".into());
    let mut requests = pkg(
        Ecosystem::Pypi,
        "requests",
        "2.19.1",
        "pkg:pypi/requests@2.19.1",
        &["Apache 2.0"],
    );
    requests.depends_on = vec!["pkg:pypi/urllib3@1.24.1".into()];
    // Installed, and pinned by the application's requirements.txt in a later layer.
    requests.other_locations = vec![Location {
        path: Some("opt/app/requirements.txt".into()),
        layer: Some(LayerRef {
            index: 2,
            digest: "sha256:a991".into(),
            ..Default::default()
        }),
        ..Default::default()
    }];
    t.packages = vec![
        libssl,
        requests,
        pkg(
            Ecosystem::Pypi,
            "urllib3",
            "1.24.1",
            "pkg:pypi/urllib3@1.24.1",
            &["MIT"],
        ),
        pkg(
            Ecosystem::Maven,
            "org.apache.logging.log4j:log4j-core",
            "2.14.1",
            "pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1",
            &["Apache-2.0", "MIT"],
        ),
        // The same package found twice must still give unique bom-refs / SPDX IDs.
        pkg(
            Ecosystem::Pypi,
            "urllib3",
            "1.24.1",
            "pkg:pypi/urllib3@1.24.1",
            &["MIT"],
        ),
    ];
    t
}

#[test]
fn cyclonedx_is_valid_1_6() {
    let t = target();
    let doc = cyclonedx_json(&SbomInput {
        tool_version: "0.1.0",
        created_at: "2026-11-29T12:00:00Z",
        target: &t,
    });
    assert_valid(Schema::CycloneDx16, &doc);
    // The image is named by its repository; the tag stays in a property, the digest versions it.
    let root = &doc["metadata"]["component"];
    assert_eq!(
        (&root["name"], &root["version"]),
        (&"demo".into(), &"sha256:7954".into())
    );
    assert!(root["properties"]
        .as_array()
        .unwrap()
        .iter()
        .any(|p| p["name"] == "palisade:image:reference" && p["value"] == "demo:1.0"));
    let comps = doc["components"].as_array().unwrap();
    assert_eq!(comps[0]["type"], "operating-system");
    assert_eq!(comps.len(), 6);
    let log4j = comps.iter().find(|c| c["name"] == "log4j-core").unwrap();
    assert_eq!(log4j["group"], "org.apache.logging.log4j");
    let requests = comps.iter().find(|c| c["name"] == "requests").unwrap();
    assert_eq!(requests["licenses"][0]["license"]["name"], "Apache 2.0");
    let found: Vec<&str> = requests["evidence"]["occurrences"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|o| o["location"].as_str())
        .collect();
    assert_eq!(found, ["var/lib/dpkg/status", "opt/app/requirements.txt"]);
    let deps = doc["dependencies"].as_array().unwrap();
    assert!(deps.iter().any(|d| d["ref"] == "pkg:pypi/requests@2.19.1"
        && d["dependsOn"][0] == "pkg:pypi/urllib3@1.24.1"));
}

#[test]
fn spdx_is_valid_2_3() {
    let t = target();
    let doc = spdx_json(&SbomInput {
        tool_version: "0.1.0",
        created_at: "2026-11-29T12:00:00Z",
        target: &t,
    });
    assert_valid(Schema::Spdx23, &doc);
    let pkgs = doc["packages"].as_array().unwrap();
    assert_eq!(pkgs.len(), 2 + 5);
    let urllib = pkgs.iter().find(|p| p["name"] == "urllib3").unwrap();
    assert_eq!(urllib["licenseDeclared"], "MIT");
    let requests = pkgs.iter().find(|p| p["name"] == "requests").unwrap();
    assert_eq!(requests["licenseDeclared"], "NOASSERTION");
    assert!(requests["comment"]
        .as_str()
        .unwrap()
        .contains("palisade:package:also_found_in=opt/app/requirements.txt"));
    assert!(doc["relationships"]
        .as_array()
        .unwrap()
        .iter()
        .any(|r| r["relationshipType"] == "DEPENDS_ON"));
}
