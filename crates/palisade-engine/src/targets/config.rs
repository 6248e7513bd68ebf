//! Configuration targets: one named file (checked whatever its name), a directory (the same
//! walk and classification as `fs --scanners misconfig`), or text the caller holds.

use crate::classify::MAX_CONFIG_FILE;
use crate::misconfig::{self, ConfigFiles};
use crate::request::ScanRequest;
use crate::EngineError;
use palisade_core::{Target, TargetKind, TargetReport};
use std::io::Read;
use std::path::Path;

pub(crate) fn scan_path(req: ScanRequest, path: &Path) -> Result<TargetReport, EngineError> {
    let name = path.display().to_string();
    let meta = std::fs::metadata(path).map_err(|e| match e.kind() {
        std::io::ErrorKind::NotFound => {
            EngineError::NotFound(format!("{name}: no such file or directory"))
        }
        _ => EngineError::io(&name, e),
    })?;
    if meta.is_dir() {
        return super::tree::read_and_analyze(&req, TargetKind::Config, path).map(|(_, tr)| tr);
    }
    if !meta.is_file() {
        return Err(EngineError::Unsupported {
            path: name,
            message: "not a regular file or directory".into(),
        });
    }
    let text = read_text(path, &name)?;
    scan_text(req, &name, text)
}

pub(crate) fn scan_text(
    req: ScanRequest,
    name: &str,
    text: String,
) -> Result<TargetReport, EngineError> {
    if text.len() as u64 > MAX_CONFIG_FILE {
        return Err(too_large(name));
    }
    let mut files = ConfigFiles::default();
    files.push_named(name, text);
    let mut tr = TargetReport::new(Target {
        kind: TargetKind::Config,
        name: name.to_string(),
    });
    misconfig::scan(&files, &req, &mut tr)?;
    if let Some(e) = misconfig::named_file_problem(&tr, name) {
        return Err(e);
    }
    Ok(tr)
}

pub(crate) fn too_large(name: &str) -> EngineError {
    EngineError::LimitExceeded {
        path: name.to_string(),
        message: format!(
            "larger than {} MiB; configuration files are small, this is not one",
            MAX_CONFIG_FILE >> 20
        ),
    }
}

/// Reads at most one byte more than the limit, so an oversized file is refused rather than
/// silently checked in part.
fn read_text(path: &Path, name: &str) -> Result<String, EngineError> {
    let file = std::fs::File::open(path).map_err(|e| EngineError::io(name, e))?;
    let mut buf = Vec::new();
    file.take(MAX_CONFIG_FILE + 1)
        .read_to_end(&mut buf)
        .map_err(|e| EngineError::io(name, e))?;
    if buf.len() as u64 > MAX_CONFIG_FILE {
        return Err(too_large(name));
    }
    Ok(String::from_utf8_lossy(&buf).into_owned())
}
