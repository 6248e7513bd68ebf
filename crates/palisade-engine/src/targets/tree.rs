//! Directories: root filesystems, source trees and configuration directories, read by one
//! walker into the same layered model as images.

use crate::pipeline::{self, stage, vulnerabilities, Analyzers};
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
    let (analyzers, mut tr) = read_and_analyze(&req, kind, root)?;
    vulnerabilities(&mut req, &analyzers, &mut tr)?;
    if let Some(run) = req.policy.clone() {
        let doc = crate::policies::artifact_facts(&tr, None);
        crate::policies::check_artifact(&run, &doc, &mut tr);
    }
    Ok(tr)
}

/// Builds the analyzers and walks `root` at the same time (the walk needs none of them,
/// and compiling the secret rules takes about as long as walking a root filesystem), then
/// reads what the analyzers want and runs them.
pub(crate) fn read_and_analyze(
    req: &ScanRequest,
    kind: TargetKind,
    root: &Path,
) -> Result<(Analyzers, TargetReport), EngineError> {
    let dir_opts = req.skip.for_target(kind, pipeline::config_only(req));
    stage(req, "reading files");
    let (analyzers, tree) = std::thread::scope(|s| {
        let walk = s.spawn(|| palisade_image::walk_dir_tree(root, &dir_opts));
        let analyzers = Analyzers::new(req, kind);
        // A panic in the walk is a bug; pass it on rather than report a partial tree.
        let tree = walk.join().unwrap_or_else(|p| std::panic::resume_unwind(p));
        (analyzers, tree)
    });
    let analyzers = analyzers?;
    let tree = tree?;
    let visitor = analyzers.visitor();
    let keep = |path: &str, size: u64| analyzers.keep(path, size);
    let opts = ReadOptions {
        keep: &keep,
        visitor: (!visitor.is_empty()).then_some(&visitor as &dyn FileVisitor),
        limits: req.limits.clone(),
        progress: None,
        keep_rules: Some(&analyzers),
        kept_budget: None,
    };
    let fs = tree.read(&opts)?;
    let mut tr = TargetReport::new(Target {
        kind,
        name: req.target.name(),
    });
    let facts = analyzers.analyze(req, &fs, visitor, &mut tr)?;
    analyzers.note_if_nothing_read(&facts, &mut tr);
    Ok((analyzers, tr))
}
