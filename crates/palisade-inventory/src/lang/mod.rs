//! Language-ecosystem detectors (Python, Node.js, Rust, Go, Java, Ruby, PHP, .NET).

use crate::Detector;

pub fn detectors() -> Vec<Box<dyn Detector>> {
    Vec::new()
}
