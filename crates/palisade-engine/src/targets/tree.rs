//! Directories: root filesystems, source trees and configuration directories, read by one
//! walker into the same layered model as images.

use crate::pipeline::{stage, vulnerabilities, Analyzers};
use crate::request::ScanRequest;
use crate::EngineError;
use palisade_core::{Target, TargetKind, TargetReport};
use palisade_image::{FileVisitor, ReadOptions};
use std::path::Path;

pub(crate) fn scan(
    mut req: ScanRequest,
    root: &Path,
    kind: TargetKind,
) -> Result<TargetReport, EngineError> {
    let analyzers = Analyzers::new(&req, kind)?;
    let mut tr = read_and_analyze(&req, &analyzers, root)?;
    vulnerabilities(&mut req, &analyzers, &mut tr)?;
    Ok(tr)
}

/// Walks `root` once, keeping what the analyzers want, and runs them.
pub(crate) fn read_and_analyze(
    req: &ScanRequest,
    analyzers: &Analyzers,
    root: &Path,
) -> Result<TargetReport, EngineError> {
    let dir_opts = req.skip.for_target(analyzers.kind, analyzers.config_only());
    let visitor = analyzers.visitor();
    let keep = |path: &str, size: u64| analyzers.keep(path, size);
    let opts = ReadOptions {
        keep: &keep,
        visitor: visitor.as_ref().map(|v| v as &dyn FileVisitor),
        limits: req.limits.clone(),
        progress: None,
    };
    stage(req, "reading files");
    let fs = palisade_image::read_dir_tree(root, &dir_opts, &opts)?;
    let mut tr = TargetReport::new(Target {
        kind: analyzers.kind,
        name: req.target.name(),
    });
    let facts = analyzers.analyze(req, &fs, visitor, &mut tr)?;
    analyzers.note_if_nothing_read(&facts, &mut tr);
    Ok(tr)
}
