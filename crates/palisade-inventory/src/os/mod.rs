//! OS package databases (dpkg, apk, rpm) and OS detection.

mod apk;
mod bdb;
mod depends;
mod dpkg;
mod release;
mod rpm;

pub use apk::Apk;
pub use dpkg::Dpkg;
pub use release::{detect_os, parse_os_release, RELEASE_FILES};
pub use rpm::Rpm;

use crate::Detector;
use palisade_core::OsInfo;

pub fn detectors() -> Vec<Box<dyn Detector>> {
    vec![Box::new(Dpkg), Box::new(Apk), Box::new(Rpm)]
}

/// purl `distro` qualifier: `debian-12`, `ubuntu-22.04`, `redhat-9.2`.
pub(crate) fn distro_qualifier(os: Option<&OsInfo>) -> String {
    match os {
        Some(o) if !o.version.is_empty() => format!("{}-{}", o.family, o.version),
        Some(o) => o.family.clone(),
        None => String::new(),
    }
}
