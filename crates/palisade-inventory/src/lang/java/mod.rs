//! Java: jar/war/ear archives (nested and shaded), `gradle.lockfile`, `pom.xml`.

mod archive;
mod gradle;
mod pom;

use crate::Detector;

pub fn detectors() -> Vec<Box<dyn Detector>> {
    vec![
        Box::new(archive::Archive),
        Box::new(gradle::GradleLock),
        Box::new(pom::Pom),
    ]
}
