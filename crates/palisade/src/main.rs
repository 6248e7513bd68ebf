//! Palisade's command line: flags, progress, rendering and exit codes. Scanning is
//! `palisade-engine`'s; nothing here analyses anything.

mod admission;
mod cli;
mod db;
mod output;
mod policy;
mod progress;
mod rules;
mod runtime;
mod runtime_watch;
mod scan;
mod sign;
mod verify_bundle;

use clap::Parser;
use cli::{Cli, Command};
use std::io::Write;
use std::process::ExitCode;

fn main() -> ExitCode {
    quiet_library_backtraces();
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Image(args) => scan::image(&args),
        Command::Rootfs(args) => scan::tree(&args, true),
        Command::Fs(args) => scan::tree(&args, false),
        Command::Config(args) => scan::config(&args),
        Command::Repo(args) => scan::repo(&args),
        Command::Rules(args) => rules::run(&args),
        Command::Db(cmd) => db::run(&cmd),
        Command::Policy(cmd) => policy::run(&cmd),
        Command::Admission(cmd) => admission::run(&cmd),
        Command::VerifyBundle(args) => verify_bundle::run(&args),
        Command::GenerateKeyPair(args) => sign::generate_key_pair(&args),
        Command::Sign(args) => sign::sign(&args),
        Command::Verify(args) => sign::verify(&args),
        Command::Attest(args) => sign::attest(&args),
        Command::VerifyAttestation(args) => sign::verify_attestation(&args),
        Command::SignBlob(args) => sign::sign_blob(&args),
        Command::VerifyBlob(args) => sign::verify_blob(&args),
        Command::Provenance(args) => sign::provenance(&args),
        Command::Runtime(cmd) => runtime::run(&cmd),
        Command::Version => writeln!(std::io::stdout(), "palisade {}", palisade_engine::VERSION)
            .map(|_| 0)
            .map_err(Into::into),
    };
    match result {
        Ok(code) => ExitCode::from(u8::try_from(code).unwrap_or(1)),
        // A closed stdout (`palisade rules | head`) is the reader's choice, not a failure.
        Err(e) if output::is_broken_pipe(&e) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("palisade: error: {}", one_line(&e));
            ExitCode::from(2)
        }
    }
}

/// The error and its causes on one line, each said once (a cause its wrapper already
/// quotes is dropped), with control characters escaped so a file name cannot drive the terminal.
fn one_line(e: &anyhow::Error) -> String {
    let mut parts: Vec<String> = Vec::new();
    for cause in e.chain().map(|c| c.to_string()) {
        if !parts.iter().any(|p| p.contains(&cause)) {
            parts.push(cause);
        }
    }
    palisade_report::escape_controls(&parts.join(": ")).into_owned()
}

/// regorus builds an `anyhow` error for every builtin call that fails, which a policy reads
/// as undefined (`object.get` on a non-object, `to_number` of a word), and with
/// `RUST_BACKTRACE=1` set every one of them captured a stack trace: 2 % of the admission
/// webhook's CPU under load. Errors Palisade prints never show those traces; panics still do.
/// Runs first in `main`, before any thread exists to read the environment.
fn quiet_library_backtraces() {
    if std::env::var_os("RUST_LIB_BACKTRACE").is_none() {
        std::env::set_var("RUST_LIB_BACKTRACE", "0");
    }
}
