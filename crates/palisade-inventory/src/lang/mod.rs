//! Language-ecosystem detectors (Python, Node.js, Rust, Go, Java, Ruby, PHP, .NET).

mod binary;
pub(crate) mod common;
pub mod dependency_dirs;
mod dotnet;
mod go;
mod java;
pub(crate) mod manifest;
mod node;
mod php;
pub(crate) mod python;
mod ruby;
mod rust;

use crate::Detector;

pub fn detectors() -> Vec<Box<dyn Detector>> {
    let mut v = Vec::new();
    v.extend(python::detectors());
    v.extend(node::detectors());
    v.extend(rust::detectors());
    v.extend(go::detectors());
    v.extend(java::detectors());
    v.extend(ruby::detectors());
    v.extend(php::detectors());
    v.extend(dotnet::detectors());
    v.extend(manifest::detectors());
    v
}
