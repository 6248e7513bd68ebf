//! `image`, `rootfs` and `fs`: read the target into a layered filesystem, then run the
//! analyzers over it and emit one report.

use crate::cli::{Format, ImageArgs, ScanArgs, Scanner, TreeArgs};
use crate::secrets::SecretVisitor;
use crate::{output, progress};
use anyhow::{Context, Result};
use palisade_core::{Package, Report, ScanError, Target, TargetKind, TargetReport};
use palisade_image::{ImageInput, LayeredFs, Limits, Platform, ReadOptions, RegistryAuthOptions};
use palisade_inventory::{os::RELEASE_FILES, Detector, FileRef};
use rayon::prelude::*;

pub fn image(args: &ImageArgs) -> Result<i32> {
    let platform = args.platform.as_deref().map(Platform::parse).transpose()?;
    let spin = progress::spinner(args.common.quiet, "resolving image");
    let (name, resolved) = match (&args.input, &args.reference) {
        (Some(input), _) => {
            let parsed = ImageInput::parse(input)?;
            (input.clone(), parsed.open(platform.as_ref())?)
        }
        (None, Some(reference)) => {
            spin.set_message(format!("pulling {reference}"));
            let auth = RegistryAuthOptions {
                username: args.username.clone(),
                password: args.password.clone(),
                insecure: args.insecure,
                docker_config: None,
            };
            (
                reference.clone(),
                palisade_image::pull(reference, platform.as_ref(), &auth)?,
            )
        }
        (None, None) => anyhow::bail!(
            "name an image: `palisade image REFERENCE` or `palisade image --input PATH`"
        ),
    };
    spin.finish_and_clear();
    let detectors = palisade_inventory::all_detectors();
    let keep = keep_predicate(&detectors);
    let total: u64 = resolved.layers.iter().filter_map(|l| l.size).sum();
    let bar = progress::bytes_bar(total, args.common.quiet, "reading layers");
    let on_bytes = |n: u64| bar.inc(n);
    let secret_scanner = secret_scanner(&args.scan, args.common.format)?;
    let visitor = secret_scanner.as_ref().map(|s| SecretVisitor::new(s, true));
    let opts = ReadOptions {
        keep: &keep,
        visitor: visitor
            .as_ref()
            .map(|v| v as &dyn palisade_image::FileVisitor),
        limits: Limits {
            max_layer_bytes: args.max_layer_size.saturating_mul(1 << 20),
            ..Limits::default()
        },
        progress: Some(&on_bytes),
    };
    let fs = resolved
        .read_filesystem(&opts)
        .with_context(|| format!("reading image {name}"))?;
    bar.finish_and_clear();
    let mut tr = TargetReport::new(Target {
        kind: TargetKind::Image,
        name,
    });
    tr.image = Some(resolved.meta(Some(&fs)));
    analyze(&fs, &detectors, &mut tr);
    if args.scan.enabled(Scanner::Misconfig, args.common.format) {
        tr.findings.extend(palisade_dockerfile::scan_image_config(
            &resolved.config_json,
        ));
    }
    if let (Some(v), Some(scanner)) = (visitor, secret_scanner.as_ref()) {
        tr.findings.extend(v.finish(&fs));
        tr.findings
            .extend(scanner.scan_image_config(&resolved.config_json));
    }
    vulns(&args.scan, args.common.format, &mut tr)?;
    finish(tr, &args.common, &args.scan)
}

pub fn tree(args: &TreeArgs, kind: TargetKind) -> Result<i32> {
    let detectors = palisade_inventory::all_detectors();
    let keep = keep_predicate(&detectors);
    let spin = progress::spinner(args.common.quiet, "reading files");
    let secret_scanner = secret_scanner(&args.scan, args.common.format)?;
    let visitor = secret_scanner
        .as_ref()
        .map(|s| SecretVisitor::new(s, false));
    let opts = ReadOptions {
        keep: &keep,
        visitor: visitor
            .as_ref()
            .map(|v| v as &dyn palisade_image::FileVisitor),
        ..ReadOptions::default()
    };
    let dir_opts = palisade_image::DirOptions {
        skip_dirs: args.skip_dirs.clone(),
        skip_files: args.skip_files.clone(),
    };
    let fs = palisade_image::read_dir_tree(&args.path, &dir_opts, &opts)?;
    spin.finish_and_clear();
    let mut tr = TargetReport::new(Target {
        kind,
        name: args.path.display().to_string(),
    });
    analyze(&fs, &detectors, &mut tr);
    if let Some(v) = visitor {
        tr.findings.extend(v.finish(&fs));
    }
    vulns(&args.scan, args.common.format, &mut tr)?;
    finish(tr, &args.common, &args.scan)
}

fn secret_scanner(scan: &ScanArgs, format: Format) -> Result<Option<palisade_secrets::Scanner>> {
    if !scan.enabled(Scanner::Secret, format) {
        return Ok(None);
    }
    crate::secrets::scanner(scan.secret_config.as_deref()).map(Some)
}

impl ScanArgs {
    fn enabled(&self, s: Scanner, format: Format) -> bool {
        match &self.scanners {
            Some(list) => list.contains(&s),
            None => {
                !matches!(format, Format::Cyclonedx | Format::SpdxJson) && s != Scanner::Misconfig
            }
        }
    }
}

fn vulns(scan: &ScanArgs, format: Format, tr: &mut TargetReport) -> Result<()> {
    if !scan.enabled(Scanner::Vuln, format) {
        return Ok(());
    }
    let db = crate::db::open_for_scan(&scan.db, scan.db_max_age)?;
    let mut found = db.match_packages(tr.os.as_ref(), &tr.packages)?.findings;
    if scan.ignore_unfixed {
        found.retain(|f| {
            f.vulnerability
                .as_ref()
                .is_some_and(|v| !v.fixed_versions.is_empty())
        });
    }
    tr.findings.extend(found);
    Ok(())
}

fn keep_predicate(detectors: &[Box<dyn Detector>]) -> impl Fn(&str, u64) -> bool + Sync + '_ {
    move |path: &str, size: u64| {
        RELEASE_FILES.contains(&path) || detectors.iter().any(|d| d.wants(path, size))
    }
}

fn analyze(fs: &LayeredFs, detectors: &[Box<dyn Detector>], tr: &mut TargetReport) {
    tr.errors.extend(fs.warnings.iter().cloned());
    let os = palisade_inventory::os::detect_os(&|p: &str| fs.read(p).map(<[u8]>::to_vec));
    let files: Vec<(&str, &palisade_image::Node, &[u8])> = fs.files_with_content().collect();
    let results: Vec<Result<Vec<Package>, ScanError>> = files
        .par_iter()
        .flat_map_iter(|(path, node, content)| {
            let file = FileRef {
                path,
                content,
                layer: fs.layer(node.layer),
            };
            let os = os.as_ref();
            detectors
                .iter()
                .filter(move |d| d.wants(path, node.size))
                .map(move |d| d.detect(&file, os).map_err(ScanError::from))
        })
        .collect();
    for r in results {
        match r {
            Ok(p) => tr.packages.extend(p),
            Err(e) => tr.errors.push(e),
        }
    }
    palisade_inventory::link_installed(&mut tr.packages);
    tr.packages.sort_by(|a, b| {
        (a.ecosystem, &a.name, &a.version, &a.found_in).cmp(&(
            b.ecosystem,
            &b.name,
            &b.version,
            &b.found_in,
        ))
    });
    // An installed package and the lockfile entry that installed it are one package;
    // sorting puts `node_modules/…/package.json` before the lockfile, so the installed copy wins.
    tr.packages.dedup_by(|b, a| {
        a.purl == b.purl
            && a.found_in
                .rsplit_once('/')
                .map(|x| x.0)
                .unwrap_or("")
                .starts_with(b.found_in.rsplit_once('/').map(|x| x.0).unwrap_or(""))
    });
    tr.os = os;
}

fn finish(tr: TargetReport, common: &crate::cli::CommonArgs, scan: &ScanArgs) -> Result<i32> {
    let mut report = Report::new(env!("CARGO_PKG_VERSION"), output::now_rfc3339());
    report.results.push(tr);
    crate::suppress::apply_all(&mut report, common, &scan.vex)?;
    output::emit(report, common)
}
