//! Palisade's command line: argument parsing, wiring of the capability crates, output and
//! exit codes. No domain logic lives here.

mod cli;
mod config;
mod db;
mod output;
mod progress;
mod rules;
mod scan;
mod secrets;
mod suppress;

use clap::Parser;
use cli::{Cli, Command};
use std::process::ExitCode;

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Image(args) => scan::image(&args),
        Command::Rootfs(args) => scan::tree(&args, palisade_core::TargetKind::Rootfs),
        Command::Fs(args) => scan::tree(&args, palisade_core::TargetKind::Filesystem),
        Command::Config(args) => config::run(&args),
        Command::Repo(args) => secrets::repo(&args),
        Command::Rules(args) => rules::run(&args),
        Command::Db(cmd) => db::run(&cmd),
        Command::Version => {
            println!("palisade {}", env!("CARGO_PKG_VERSION"));
            Ok(0)
        }
    };
    match result {
        Ok(code) => ExitCode::from(u8::try_from(code).unwrap_or(1)),
        Err(e) => {
            if output::is_broken_pipe(&e) {
                return ExitCode::SUCCESS;
            }
            eprintln!("palisade: error: {e:#}");
            ExitCode::from(2)
        }
    }
}
