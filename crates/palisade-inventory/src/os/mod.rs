//! OS package databases (dpkg, apk, rpm) and OS detection.

mod apk;
mod bdb;
mod depends;
mod dpkg;
mod records;
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

/// purl `distro` qualifier: `debian-12`, `ubuntu-22.04`, `rhel-9.2`, `alpine-3.19.1`.
pub(crate) fn distro_qualifier(os: Option<&OsInfo>) -> String {
    os.map(OsInfo::purl_distro).unwrap_or_default()
}

/// purl namespace of an OS package: the distribution's os-release `ID`, or `default` when
/// the OS is not known.
pub(crate) fn purl_namespace<'a>(os: Option<&'a OsInfo>, default: &'a str) -> &'a str {
    match os {
        Some(o) if o.family != palisade_core::OsFamily::Unknown => o.family.id(),
        _ => default,
    }
}

/// Parses one RPM header blob as rpmdb stores it and drops the result: the entry point of
/// the `rpm_header` fuzz target (`fuzz/`), which reaches the header parser without wrapping
/// every input in a database. Not for other uses.
#[doc(hidden)]
pub fn fuzz_rpm_header(blob: &[u8]) {
    let _ = rpm::parse_header(blob, &mut 1_000_000);
}
