//! OS package databases (dpkg, apk, rpm) and OS detection.

use crate::Detector;

pub fn detectors() -> Vec<Box<dyn Detector>> {
    Vec::new()
}
