//! Images: local layouts and archives, or registry pulls; every layer streamed once.

use crate::pipeline::{stage, vulnerabilities, Analyzers};
use crate::request::{ScanRequest, Target};
use crate::EngineError;
use palisade_core::{Scanner, TargetKind, TargetReport};
use palisade_image::{FileVisitor, ImageInput, Platform, ReadOptions, ResolvedImage};

pub(crate) fn scan(mut req: ScanRequest) -> Result<TargetReport, EngineError> {
    let analyzers = Analyzers::new(&req, TargetKind::Image)?;
    let resolved = resolve(&req)?;
    let visitor = analyzers.visitor();
    let keep = |path: &str, size: u64| analyzers.keep(path, size);
    let progress = req.progress.clone();
    let on_bytes = move |n: u64| {
        if let Some(p) = &progress {
            p.advance(n);
        }
    };
    let opts = ReadOptions {
        keep: &keep,
        visitor: (!visitor.is_empty()).then_some(&visitor as &dyn FileVisitor),
        limits: req.limits.clone(),
        progress: Some(&on_bytes),
        keep_rules: Some(&analyzers),
        kept_budget: None,
    };
    stage(&req, "reading layers");
    if let Some(p) = &req.progress {
        p.total_bytes(resolved.layers.iter().filter_map(|l| l.size).sum());
    }
    let fs = resolved.read_filesystem(&opts)?;
    let mut tr = TargetReport::new(palisade_core::Target {
        kind: TargetKind::Image,
        name: req.target.name(),
    });
    tr.image = Some(resolved.meta(Some(&fs)));
    if analyzers.scanners.contains(&Scanner::Misconfig) {
        tr.findings.extend(palisade_dockerfile::scan_image_config(
            &resolved.config_json,
        ));
    }
    analyzers.analyze(&req, &fs, visitor, &mut tr)?;
    if let Some(s) = &analyzers.secrets {
        tr.findings
            .extend(s.scan_image_config(&resolved.config_json));
    }
    vulnerabilities(&mut req, &analyzers, &mut tr)?;
    if let Some(run) = req.policy.clone() {
        let doc = crate::policies::artifact_facts(&tr, Some(&resolved.config_json));
        crate::policies::check_artifact(&run, &doc, &mut tr);
    }
    Ok(tr)
}

fn resolve(req: &ScanRequest) -> Result<ResolvedImage, EngineError> {
    let platform = req
        .image
        .platform
        .as_deref()
        .map(Platform::parse)
        .transpose()?;
    match &req.target {
        Target::Image(input) => {
            stage(req, "opening image");
            let parsed = ImageInput::parse(input)?;
            if let ImageInput::Archive(path) = &parsed {
                refuse_non_tar(path)?;
            }
            Ok(parsed.open(platform.as_ref())?)
        }
        Target::Registry(reference) => pull(req, reference, platform.as_ref()),
        other => Err(EngineError::Unsupported {
            path: other.name(),
            message: "not an image".into(),
        }),
    }
}

#[cfg(feature = "registry")]
fn pull(
    req: &ScanRequest,
    reference: &str,
    platform: Option<&Platform>,
) -> Result<ResolvedImage, EngineError> {
    stage(req, &format!("pulling {reference}"));
    Ok(palisade_image::pull(reference, platform, &req.image.auth)?)
}

#[cfg(not(feature = "registry"))]
fn pull(
    _: &ScanRequest,
    reference: &str,
    _: Option<&Platform>,
) -> Result<ResolvedImage, EngineError> {
    Err(EngineError::Unsupported {
        path: reference.to_string(),
        message: "this build of Palisade cannot pull from registries (feature `registry`)".into(),
    })
}

/// A file given as an image must be a tar (docker save, OCI archive); anything else gets a
/// message saying what was expected, not a tar parser's complaint about block sizes.
fn refuse_non_tar(path: &std::path::Path) -> Result<(), EngineError> {
    use std::io::Read;
    let name = path.display().to_string();
    let mut head = Vec::with_capacity(512);
    std::fs::File::open(path)
        .and_then(|f| f.take(512).read_to_end(&mut head))
        .map_err(|e| EngineError::io(&name, e))?;
    let expected = "expected an OCI layout directory, or a docker-archive or OCI archive tar";
    let message = match head.as_slice() {
        [0x1f, 0x8b, ..] => format!("a gzip-compressed file; {expected} (decompress it first)"),
        [0x28, 0xb5, 0x2f, 0xfd, ..] => {
            format!("a zstd-compressed file; {expected} (decompress it first)")
        }
        h if h.len() == 512 && &h[257..262] == b"ustar" => return Ok(()),
        // Old-style (v7) tars have no magic; let the tar reader judge a full first block.
        h if h.len() == 512 && (h[156].is_ascii_digit() || h[156] == 0) => return Ok(()),
        _ => format!("not a container image; {expected}"),
    };
    Err(EngineError::Unsupported {
        path: name,
        message,
    })
}
