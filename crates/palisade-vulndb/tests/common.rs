#![allow(dead_code)]

use palisade_core::{Ecosystem, Package, Relationship};
use std::path::PathBuf;

pub fn fixtures() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/osv")
}

pub fn pkg(eco: Ecosystem, name: &str, version: &str) -> Package {
    Package {
        ecosystem: eco,
        name: name.into(),
        version: version.into(),
        purl: format!("pkg:{}/{}@{}", eco.purl_type(), name, version),
        source_name: None,
        source_version: None,
        arch: None,
        licenses: Vec::new(),
        maintainer: None,
        found_in: format!("fixture/{name}"),
        layer: None,
        other_locations: Vec::new(),
        relationship: Relationship::Unknown,
        depends_on: Vec::new(),
        declared_deps: Vec::new(),
    }
}
