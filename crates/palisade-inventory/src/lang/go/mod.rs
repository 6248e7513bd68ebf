//! Go: `go.mod` requirements and the build info embedded in Go binaries.

mod binary;
mod gomod;

use crate::Detector;

pub fn detectors() -> Vec<Box<dyn Detector>> {
    vec![Box::new(gomod::GoMod), Box::new(binary::GoBinary)]
}
