//! Scan commands: flags become one engine request; the report goes to `output`.

use crate::cli::{
    CommonArgs, ConfigArgs, Format, ImageArgs, KubeArgs, PolicyArgs, RepoArgs, ScanArgs, TreeArgs,
};
use crate::{output, progress};
use anyhow::Result;
use palisade_engine::{Config, Scan, ScanRequest, SkipList, Suppressions, Target};
use std::path::Path;
use std::sync::Arc;

pub fn image(args: &ImageArgs) -> Result<i32> {
    // With --require-signature, what is scanned is the digest whose signature verified.
    let verified = match crate::sign::image_gate(args)? {
        Ok(pinned) => pinned,
        Err(code) => return Ok(code),
    };
    let target = match (&args.input, verified.as_ref().or(args.reference.as_ref())) {
        (Some(input), _) => Target::Image(input.clone()),
        (None, Some(reference)) => Target::Registry(reference.clone()),
        (None, None) => anyhow::bail!(
            "name an image: `palisade image REFERENCE` or `palisade image --input PATH`"
        ),
    };
    let mut req = request(target, &args.common)?;
    scan_options(&mut req, &args.scan, args.common.format);
    req.image.platform = args.platform.clone();
    req.image.auth = palisade_engine::RegistryAuthOptions {
        username: args.username.clone(),
        password: args.password.clone(),
        insecure: args.insecure,
        docker_config: None,
    };
    req.limits.max_layer_bytes = args.max_layer_size.saturating_mul(1 << 20);
    policy(&mut req, &args.policy)?;
    run_with(req, &args.common, args.scan.dependency_tree)
}

pub fn tree(args: &TreeArgs, rootfs: bool) -> Result<i32> {
    let target = if rootfs {
        Target::Rootfs(args.path.clone())
    } else {
        Target::Filesystem(args.path.clone())
    };
    let mut req = request(target, &args.common)?;
    scan_options(&mut req, &args.scan, args.common.format);
    policy(&mut req, &args.policy)?;
    run_with(req, &args.common, args.scan.dependency_tree)
}

pub fn config(args: &ConfigArgs) -> Result<i32> {
    let target = if args.path.as_os_str() == "-" {
        Target::config_from_reader("<stdin>", std::io::stdin())?
    } else {
        Target::Config(args.path.clone())
    };
    let mut req = request(target, &args.common)?;
    kube(&mut req, &args.kube);
    req.compliance = args.compliance.clone();
    policy(&mut req, &args.policy)?;
    run(req, &args.common)
}

pub fn repo(args: &RepoArgs) -> Result<i32> {
    let req = request(Target::Repository(args.path.clone()), &args.common)?;
    run(req, &args.common)
}

/// What every scan command shares: palisade.yaml, suppressions, skip lists, progress.
fn request(target: Target, common: &CommonArgs) -> Result<ScanRequest> {
    let config = match &common.config {
        Some(p) => Config::load(p)?,
        None => Config::discover(Path::new("."))?,
    };
    let ignore_files = match &common.ignorefile {
        Some(p) => vec![p.clone()],
        None => Some(Path::new(".palisadeignore"))
            .filter(|p| p.is_file())
            .map(Path::to_path_buf)
            .into_iter()
            .collect(),
    };
    let mut scan = Scan::new(target)
        .with_config(config)
        .suppressions(Suppressions {
            ids: common.ignore.clone(),
            ignore_files,
            ..Suppressions::default()
        })
        .skip(SkipList {
            dirs: common.skip_dirs.clone(),
            files: common.skip_files.clone(),
        });
    if let Some(p) = progress::Bar::new(common.quiet) {
        scan = scan.progress(Arc::new(p));
    }
    let mut req = scan.into_request();
    req.packages = common.list_all_pkgs || common.format.is_sbom();
    Ok(req)
}

fn scan_options(req: &mut ScanRequest, scan: &ScanArgs, format: Format) {
    req.scanners = match (&scan.scanners, format.is_sbom()) {
        (Some(list), _) => Some(list.iter().copied().collect()),
        // An SBOM is the inventory; scanners join it only when asked for.
        (None, true) => Some(Default::default()),
        (None, false) => None,
    };
    if let Some(db) = &scan.db {
        req.db = db.clone().into();
    }
    req.db_max_age = std::time::Duration::from_secs(scan.db_max_age.saturating_mul(86_400));
    req.suppressions.unfixed = scan.ignore_unfixed;
    req.suppressions.vex = scan.vex.clone();
    kube(req, &scan.kube);
}

/// Loads `--policy` (and `--inventory`) once, before any file is read: a broken policy is
/// the command's error, not a warning in a report.
fn policy(req: &mut ScanRequest, args: &PolicyArgs) -> Result<()> {
    let Some(set) = crate::policy::load_for_scan(args)? else {
        return Ok(());
    };
    let mut inventory = Vec::new();
    for path in &args.inventory {
        inventory.extend(palisade_engine::policy::read_documents(path)?);
    }
    req.policy = Some(Arc::new(palisade_engine::PolicyRun { set, inventory }));
    Ok(())
}

fn kube(req: &mut ScanRequest, args: &KubeArgs) {
    req.kube.pss_version = args.pss_version.clone();
    req.kube.allowed_registries = args.allowed_registries.clone();
}

fn run(req: ScanRequest, common: &CommonArgs) -> Result<i32> {
    run_with(req, common, false)
}

/// `dependency_tree`: vulnerability findings carry the chains that pull their package in.
fn run_with(req: ScanRequest, common: &CommonArgs, dependency_tree: bool) -> Result<i32> {
    output::check_args(common)?;
    let severities = common.severity.clone().or(req.config.severity.clone());
    let mut report = req.run()?;
    if dependency_tree {
        report
            .results
            .iter_mut()
            .for_each(palisade_core::attach_dependency_paths);
    }
    output::emit(report, common, severities)
}
