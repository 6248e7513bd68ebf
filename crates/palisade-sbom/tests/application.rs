//! The scanned application is a component of its own (CycloneDX `application`, the SPDX
//! package the document DESCRIBES), and its dependency graph hangs from it.

use palisade_core::*;
use palisade_sbom::{cyclonedx_json, spdx_json, SbomInput};
use palisade_testkit::{assert_valid, Schema};
use serde_json::Value;

fn npm(name: &str, version: &str, rel: Relationship, deps: &[&str]) -> Package {
    Package {
        ecosystem: Ecosystem::Npm,
        name: name.into(),
        version: version.into(),
        purl: format!("pkg:npm/{name}@{version}"),
        source_name: None,
        source_version: None,
        arch: None,
        licenses: vec![],
        maintainer: None,
        found_in: "srv/app/package-lock.json".into(),
        layer: None,
        relationship: rel,
        depends_on: deps.iter().map(|d| d.to_string()).collect(),
        declared_deps: vec![],
        other_locations: vec![],
    }
}

fn target() -> TargetReport {
    let mut t = TargetReport::new(Target {
        kind: TargetKind::Rootfs,
        name: "rootfs".into(),
    });
    let mut orphan = npm("left-pad", "1.3.0", Relationship::Unknown, &[]);
    orphan.found_in = "opt/tool/node_modules/left-pad/package.json".into();
    // The same package found a second time elsewhere, outside any application's graph.
    let mut copy = npm("debug", "2.6.9", Relationship::Unknown, &[]);
    copy.found_in = "opt/tool/node_modules/debug/package.json".into();
    t.packages = vec![
        npm(
            "web",
            "2.1.0",
            Relationship::Root,
            &["pkg:npm/express@4.17.1"],
        ),
        npm(
            "express",
            "4.17.1",
            Relationship::Direct,
            &["pkg:npm/debug@2.6.9"],
        ),
        npm("debug", "2.6.9", Relationship::Transitive, &[]),
        orphan,
        copy,
    ];
    t
}

fn input(t: &TargetReport) -> SbomInput<'_> {
    SbomInput {
        tool_version: "0.1.0",
        created_at: "2026-12-01T06:00:00Z",
        target: t,
    }
}

fn depends_on<'a>(doc: &'a Value, r: &str) -> Vec<&'a str> {
    doc["dependencies"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["ref"] == r)
        .map(|d| {
            d["dependsOn"]
                .as_array()
                .unwrap()
                .iter()
                .map(|v| v.as_str().unwrap())
                .collect()
        })
        .unwrap_or_default()
}

#[test]
fn cyclonedx_application_component_and_graph() {
    let t = target();
    let doc = cyclonedx_json(&input(&t));
    assert_valid(Schema::CycloneDx16, &doc);
    let comps = doc["components"].as_array().unwrap();
    let web = comps.iter().find(|c| c["name"] == "web").unwrap();
    assert_eq!(web["type"], "application");
    let express = comps.iter().find(|c| c["name"] == "express").unwrap();
    assert_eq!(express["type"], "library");
    // subject -> application -> direct -> transitive; a package no application reaches
    // stays under the subject.
    assert_eq!(
        depends_on(&doc, "palisade:subject"),
        vec![
            "pkg:npm/web@2.1.0",
            "pkg:npm/left-pad@1.3.0",
            "pkg:npm/debug@2.6.9#2"
        ]
    );
    assert_eq!(
        depends_on(&doc, "pkg:npm/web@2.1.0"),
        vec!["pkg:npm/express@4.17.1"]
    );
    assert_eq!(
        depends_on(&doc, "pkg:npm/express@4.17.1"),
        vec!["pkg:npm/debug@2.6.9"]
    );
}

#[test]
fn spdx_describes_the_application() {
    let t = target();
    let doc = spdx_json(&input(&t));
    assert_valid(Schema::Spdx23, &doc);
    let pkgs = doc["packages"].as_array().unwrap();
    let web = pkgs.iter().find(|p| p["name"] == "web").unwrap();
    assert_eq!(web["primaryPackagePurpose"], "APPLICATION");
    let id = web["SPDXID"].as_str().unwrap();
    let rels = doc["relationships"].as_array().unwrap();
    let has = |a: &str, ty: &str, b: &str| {
        rels.iter().any(|r| {
            r["spdxElementId"] == a && r["relationshipType"] == ty && r["relatedSpdxElement"] == b
        })
    };
    assert!(has("SPDXRef-DOCUMENT", "DESCRIBES", id));
    assert!(has("SPDXRef-DOCUMENT", "DESCRIBES", "SPDXRef-Subject"));
    assert!(has("SPDXRef-Subject", "CONTAINS", id));
    let express = pkgs.iter().find(|p| p["name"] == "express").unwrap();
    assert!(has(id, "DEPENDS_ON", express["SPDXID"].as_str().unwrap()));
}
