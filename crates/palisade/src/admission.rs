//! `palisade admission serve | review | certs`.

use crate::cli::{AdmissionCertsArgs, AdmissionCommand, AdmissionReviewArgs, AdmissionServeArgs};
use anyhow::{Context, Result};
use palisade_engine::admission::{Controller, ReviewKind};
use std::io::{Read, Write};

/// Largest review read: the API server's own limit for a request body.
const MAX_REVIEW: u64 = 3 * 1024 * 1024;

pub fn run(cmd: &AdmissionCommand) -> Result<i32> {
    match cmd {
        AdmissionCommand::Serve(args) => serve(args),
        AdmissionCommand::Review(args) => review(args),
        AdmissionCommand::Certs(args) => certs(args),
    }
}

fn controller(config: Option<&std::path::Path>) -> Result<Controller> {
    match config {
        Some(path) => {
            Controller::from_yaml_file(path).with_context(|| format!("--config {}", path.display()))
        }
        None => Ok(Controller::default_policy()),
    }
}

/// Exit 0 when the review is allowed, 1 when it is denied, 2 when it cannot be answered.
fn review(args: &AdmissionReviewArgs) -> Result<i32> {
    let mut body = Vec::new();
    let source = args.input.display().to_string();
    if source == "-" {
        std::io::stdin()
            .take(MAX_REVIEW + 1)
            .read_to_end(&mut body)
            .context("stdin")?;
    } else {
        std::fs::File::open(&args.input)
            .and_then(|f| f.take(MAX_REVIEW + 1).read_to_end(&mut body))
            .with_context(|| source.clone())?;
    }
    if body.len() as u64 > MAX_REVIEW {
        anyhow::bail!("{source}: over the {MAX_REVIEW} byte limit of an admission request");
    }
    let controller = controller(args.config.as_deref())?;
    let kind = if args.mutate {
        ReviewKind::Mutate
    } else {
        ReviewKind::Validate
    };
    let reviewed = controller
        .review(kind, &body)
        .with_context(|| source.clone())?;
    let mut out = std::io::stdout().lock();
    writeln!(out, "{}", serde_json::to_string_pretty(&reviewed.response)?)?;
    Ok(if reviewed.allowed { 0 } else { 1 })
}

/// Serves until SIGTERM/SIGINT; in-flight reviews finish first.
fn serve(args: &AdmissionServeArgs) -> Result<i32> {
    let controller = controller(args.config.as_deref())?;
    let cfg = palisade_webhook::ServerConfig::new(
        args.listen,
        args.tls_cert.clone(),
        args.tls_key.clone(),
    );
    let slot = palisade_webhook::ControllerSlot::new(std::sync::Arc::new(controller));
    if let Some(path) = &args.config {
        // Edits to admission.yaml (a ConfigMap update) apply without a restart.
        palisade_webhook::watch_config(
            path.clone(),
            slot.clone(),
            std::time::Duration::from_secs(2),
        );
    }
    palisade_webhook::run(cfg, slot).context("admission serve")?;
    Ok(0)
}

/// Writes ca.crt, tls.crt and tls.key; prints the caBundle (base64 of ca.crt) on stdout for
/// the webhook configurations.
fn certs(args: &AdmissionCertsArgs) -> Result<i32> {
    let files =
        palisade_webhook::generate_certs(&args.service, &args.namespace, &args.out, args.days)
            .context("admission certs")?;
    eprintln!(
        "wrote {}, {} and {}",
        files.ca_cert.display(),
        files.tls_cert.display(),
        files.tls_key.display()
    );
    writeln!(std::io::stdout().lock(), "{}", files.ca_bundle)?;
    Ok(0)
}
