//! Rust: `Cargo.lock` and binaries built with cargo-auditable.

mod auditable;
mod cargo_lock;

use crate::Detector;

pub fn detectors() -> Vec<Box<dyn Detector>> {
    vec![
        Box::new(cargo_lock::CargoLock),
        Box::new(auditable::Auditable),
    ]
}
