//! `palisade runtime rules check | replay`: Falco rules over recorded events.

use anyhow::{Context, Result};
use clap::{Args, Subcommand, ValueEnum};
use palisade_core::{Report, Target, TargetKind, TargetReport};
use palisade_runtime::k8saudit::{parse_bytes, K8sAudit};
use palisade_runtime::output::{Limit, RateLimiter};
use palisade_runtime::rules::{load_files, Level, RuleSet};
use palisade_runtime::syscall::{parse_lines, Syscall};
use palisade_runtime::{to_finding, Alert, Engine, EventSource, FieldCatalog, Matching};
use std::collections::BTreeMap;
use std::io::{Read, Write};
use std::path::PathBuf;

#[derive(Subcommand, Debug)]
pub enum RuntimeCommand {
    /// Falco rules files.
    #[command(subcommand)]
    Rules(RulesCommand),
    /// Run rules over a recorded event stream (a Kubernetes audit log, or - for stdin).
    Replay(ReplayArgs),
    /// Kubernetes API server audit webhook backend: POST /k8s-audit, alerts as JSON lines.
    ServeAudit(ServeAuditArgs),
    /// List the fields an event source provides (like `falco --list=SOURCE`).
    Fields(FieldsArgs),
    /// Live alerts from the eBPF sensor (root or CAP_BPF + CAP_PERFMON); Ctrl-C to stop.
    Watch(crate::runtime_watch::WatchArgs),
    /// Kernel features the sensor needs, and a running sensor's counters.
    Status(crate::runtime_watch::StatusArgs),
}

#[derive(Args, Debug)]
pub struct FieldsArgs {
    #[arg(long, value_enum, default_value = "k8saudit")]
    pub source: EventSourceArg,
}

#[derive(Args, Debug)]
pub struct ServeAuditArgs {
    /// Rules files (repeatable), loaded in order.
    #[arg(long = "rules", short = 'r', required = true)]
    pub rules: Vec<PathBuf>,
    /// Serve HTTPS with this certificate chain (PEM; with --tls-key).
    #[arg(long, requires = "tls_key")]
    pub tls_cert: Option<PathBuf>,
    /// The certificate's private key (PEM).
    #[arg(long, requires = "tls_cert")]
    pub tls_key: Option<PathBuf>,
    /// Address to listen on (without --tls-cert: plain HTTP, keep it on loopback).
    #[arg(long, default_value = "127.0.0.1:9765")]
    pub listen: std::net::SocketAddr,
    /// Largest request body in bytes.
    #[arg(long, default_value_t = 12 * 1024 * 1024)]
    pub max_body: usize,
    /// Alert for every matching rule instead of the first.
    #[arg(long)]
    pub all_matches: bool,
    /// Per-rule alert rate limit, RATE[:BURST] alerts per second.
    #[arg(long)]
    pub rate_limit: Option<String>,
}

#[derive(Subcommand, Debug)]
pub enum RulesCommand {
    /// Load and compile rules files as `falco --validate` does; exit 1 on errors.
    Check(CheckArgs),
}

#[derive(Args, Debug)]
pub struct CheckArgs {
    /// Rules files, loaded in order (later files append to and override earlier ones).
    #[arg(required = true)]
    pub files: Vec<PathBuf>,
    /// Hide warnings (unused macros and lists, unknown sources).
    #[arg(long)]
    pub no_warnings: bool,
    /// Also list every rule that cannot be evaluated yet with the fields it lacks.
    #[arg(long, short)]
    pub verbose: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum EventSourceArg {
    K8saudit,
    /// Palisade's syscall event JSON lines (flat objects keyed by Falco field names).
    Syscall,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ReplayFormat {
    /// Falco's JSON alerts, one per line.
    Alerts,
    /// Palisade findings as a table.
    Table,
    /// Palisade report JSON.
    Json,
    Sarif,
}

#[derive(Args, Debug)]
pub struct ReplayArgs {
    /// Event source of the recording.
    #[arg(long, value_enum, default_value = "k8saudit")]
    pub source: EventSourceArg,
    /// Rules files (repeatable), loaded in order.
    #[arg(long = "rules", short = 'r', required = true)]
    pub rules: Vec<PathBuf>,
    /// The recording: JSON lines, one JSON document, an EventList, or - for stdin.
    pub input: PathBuf,
    #[arg(long, short = 'f', value_enum, default_value = "alerts")]
    pub format: ReplayFormat,
    /// Alert for every matching rule instead of the first (Falco's rule_matching: all).
    #[arg(long)]
    pub all_matches: bool,
    /// Per-rule alert rate limit, RATE[:BURST] alerts per second of event time.
    #[arg(long)]
    pub rate_limit: Option<String>,
    /// Exit with this code when there are alerts.
    #[arg(long, default_value_t = 0)]
    pub exit_code: i32,
    /// Print per-rule alert counts on stderr at the end.
    #[arg(long)]
    pub stats: bool,
    /// Suppress alerts of this rule (repeatable; the Falco rule name is the finding ID).
    #[arg(long = "ignore", value_name = "RULE")]
    pub ignore: Vec<String>,
    /// Ignore file (.palisadeignore format) applied to the alerts' findings.
    #[arg(long)]
    pub ignorefile: Option<PathBuf>,
}

pub fn run(cmd: &RuntimeCommand) -> Result<i32> {
    match cmd {
        RuntimeCommand::Rules(RulesCommand::Check(a)) => check(a),
        RuntimeCommand::Replay(a) => replay(a),
        RuntimeCommand::ServeAudit(a) => serve_audit(a),
        RuntimeCommand::Fields(a) => fields(a),
        RuntimeCommand::Watch(a) => crate::runtime_watch::run_watch(a),
        RuntimeCommand::Status(a) => crate::runtime_watch::run_status(a),
    }
}

fn catalogs() -> [&'static dyn FieldCatalog; 2] {
    [&K8sAudit, &Syscall]
}

fn fields(a: &FieldsArgs) -> Result<i32> {
    use palisade_runtime::fields::ArgKind;
    let cat: &dyn FieldCatalog = match a.source {
        EventSourceArg::K8saudit => &K8sAudit,
        EventSourceArg::Syscall => &Syscall,
    };
    let mut out = std::io::stdout().lock();
    writeln!(out, "source {}", cat.source())?;
    for f in cat.fields() {
        let arg = match f.arg {
            ArgKind::None => "",
            ArgKind::Index { .. } => "[N]",
            ArgKind::Key { .. } => "[KEY]",
            ArgKind::Pointer => "[/json/pointer]",
        };
        let ty = if f.is_list {
            format!("list of {}", f.ty.name())
        } else {
            f.ty.name().to_string()
        };
        let name = format!("{}{arg}", f.name);
        writeln!(out, "{name:<56} {ty:<16} {}", f.desc)?;
    }
    Ok(0)
}

fn check(a: &CheckArgs) -> Result<i32> {
    let set = load_files(&a.files, &catalogs());
    let mut out = std::io::stdout().lock();
    for d in &set.diagnostics {
        if d.level == Level::Warning && a.no_warnings {
            continue;
        }
        writeln!(out, "{d}")?;
    }
    let mut by_source: BTreeMap<&str, (usize, usize)> = BTreeMap::new();
    for r in &set.rules {
        let e = by_source.entry(r.def.source.as_str()).or_default();
        e.0 += 1;
        if r.evaluable() && catalogs().iter().any(|c| c.source() == r.def.source) {
            e.1 += 1;
        } else if a.verbose && r.expr.is_some() {
            writeln!(
                out,
                "not evaluated: rule '{}' ({}): fields not provided: {}",
                r.def.name,
                r.def.source,
                r.missing_fields.join(", ")
            )?;
        }
    }
    let errors = set.errors();
    let status = if errors == 0 { "Ok" } else { "Invalid" };
    for f in &a.files {
        writeln!(out, "{}: {status}", f.display())?;
    }
    let summary: Vec<String> = by_source
        .iter()
        .map(|(s, (n, ok))| format!("{s}: {ok}/{n} rules evaluable"))
        .collect();
    writeln!(
        out,
        "{} rules, {} macros, {} lists; {}; {errors} errors, {} warnings",
        set.rules.len(),
        set.macros,
        set.lists,
        summary.join(", "),
        set.diagnostics.len() - errors
    )?;
    Ok(i32::from(errors > 0))
}

/// Largest recording read into memory.
const MAX_INPUT: u64 = 1 << 30;

fn read_input(p: &PathBuf) -> Result<Vec<u8>> {
    let mut data = Vec::new();
    if p.as_os_str() == "-" {
        std::io::stdin()
            .take(MAX_INPUT)
            .read_to_end(&mut data)
            .context("stdin")?;
    } else {
        std::fs::File::open(p)
            .and_then(|f| f.take(MAX_INPUT).read_to_end(&mut data))
            .with_context(|| p.display().to_string())?;
    }
    Ok(data)
}

pub fn loaded(rules: &[PathBuf]) -> Result<RuleSet> {
    let set = load_files(rules, &catalogs());
    let errors: Vec<String> = set
        .diagnostics
        .iter()
        .filter(|d| d.level == Level::Error)
        .map(ToString::to_string)
        .collect();
    if !errors.is_empty() {
        anyhow::bail!(
            "rules do not load ({} errors): {}",
            errors.len(),
            errors.join("; ")
        );
    }
    Ok(set)
}

fn replay(a: &ReplayArgs) -> Result<i32> {
    let set = loaded(&a.rules)?;
    let data = read_input(&a.input)?;
    match a.source {
        EventSourceArg::K8saudit => {
            let evs = parse_bytes(&data)
                .into_iter()
                .map(|(l, r)| (l, r.map_err(|e| e.to_string())));
            replay_with(a, Engine::new(K8sAudit, &set), evs)
        }
        EventSourceArg::Syscall => replay_with(
            a,
            Engine::new(Syscall, &set),
            parse_lines(&data).into_iter(),
        ),
    }
}

fn replay_with<S: EventSource>(
    a: &ReplayArgs,
    mut engine: Engine<S>,
    events_in: impl Iterator<Item = (usize, Result<S::Event, String>)>,
) -> Result<i32> {
    let limit = match &a.rate_limit {
        Some(s) => Some(
            Limit::parse(s).with_context(|| format!("--rate-limit {s}: expected RATE[:BURST]"))?,
        ),
        None => None,
    };
    if a.all_matches {
        engine.matching = Matching::All;
    }
    engine.hostname = palisade_runtime::output::alert::local_hostname();
    let mut limiter = RateLimiter::new(limit);
    let ignore = match &a.ignorefile {
        Some(p) => palisade_suppress::IgnoreFile::load(p)
            .with_context(|| format!("--ignorefile {}", p.display()))?,
        None => palisade_suppress::IgnoreFile::empty(),
    };
    // Suppression as every scan applies it, on the alert's finding.
    let suppressed = |al: &Alert| {
        if a.ignore.is_empty() && ignore.rules.is_empty() {
            return false;
        }
        let f = to_finding(al);
        a.ignore
            .iter()
            .any(|id| palisade_suppress::id_matches(&f, id))
            || ignore.rules.iter().any(|r| r.matches(&f))
    };
    let mut alerts: Vec<Alert> = Vec::new();
    let mut out = std::io::stdout().lock();
    let (mut events, mut bad) = (0usize, 0usize);
    for (line, ev) in events_in {
        let ev = match ev {
            Ok(ev) => ev,
            Err(e) => {
                bad += 1;
                eprintln!(
                    "palisade: warning: {}:{line}: event skipped: {e}",
                    a.input.display()
                );
                continue;
            }
        };
        events += 1;
        let t = engine.source.time_ns(&ev);
        for al in engine.process(&ev) {
            if suppressed(&al) || !limiter.allow(&al.rule, t) {
                continue;
            }
            if a.format == ReplayFormat::Alerts {
                writeln!(out, "{}", serde_json::to_string(&al)?)?;
            }
            alerts.push(al);
        }
    }
    if a.format != ReplayFormat::Alerts {
        let mut report = Report::new(palisade_engine::VERSION, palisade_engine::now_rfc3339());
        let mut tr = TargetReport::new(Target {
            kind: TargetKind::Config,
            name: a.input.display().to_string(),
        });
        tr.findings = alerts.iter().map(to_finding).collect();
        report.results.push(tr);
        let lookup = |_: &str| None;
        let text = match a.format {
            ReplayFormat::Json => palisade_report::json_report(&report),
            ReplayFormat::Sarif => palisade_report::sarif_report(&report, &lookup),
            _ => palisade_report::table_report(
                &report,
                palisade_report::TableOptions {
                    color: false,
                    list_packages: false,
                    width: 120,
                },
            ),
        };
        out.write_all(text.as_bytes())?;
    }
    if a.stats {
        let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
        for al in &alerts {
            *counts.entry(al.rule.as_str()).or_default() += 1;
        }
        let (keyed, unkeyed) = engine.index_stats();
        eprintln!(
            "{events} events ({bad} skipped), {} alerts, {} rules evaluated ({keyed} indexed by {}, {unkeyed} tested on every event)",
            alerts.len(),
            engine.rules.len(),
            match (engine.source.index_field(), engine.source.sub_index_field()) {
                (Some(a), Some(b)) => format!("{a} and {b}"),
                (Some(a), None) => a.to_string(),
                _ => "-".to_string(),
            },
        );
        for (r, n) in counts {
            eprintln!("{n:>6}  {r}");
        }
        for (r, n) in &limiter.dropped {
            eprintln!("rate limited: {r}: {n} alerts dropped");
        }
    }
    Ok(if alerts.is_empty() { 0 } else { a.exit_code })
}

fn serve_audit(a: &ServeAuditArgs) -> Result<i32> {
    use palisade_runtime::serve::{serve, ServeConfig};
    let limit = match &a.rate_limit {
        Some(s) => Some(
            Limit::parse(s).with_context(|| format!("--rate-limit {s}: expected RATE[:BURST]"))?,
        ),
        None => None,
    };
    let set = loaded(&a.rules)?;
    let mut engine = Engine::new(K8sAudit, &set);
    if a.all_matches {
        engine.matching = Matching::All;
    }
    engine.hostname = palisade_runtime::output::alert::local_hostname();
    let n_rules = engine.rules.len();
    let sink = std::sync::Arc::new(|al: &Alert| {
        if let Ok(line) = serde_json::to_string(al) {
            let mut out = std::io::stdout().lock();
            let _ = writeln!(out, "{line}");
            let _ = out.flush();
        }
    });
    let tls = match (&a.tls_cert, &a.tls_key) {
        (Some(c), Some(k)) => {
            let cert = std::fs::read(c).with_context(|| format!("--tls-cert {}", c.display()))?;
            let key = std::fs::read(k).with_context(|| format!("--tls-key {}", k.display()))?;
            let cfg = palisade_runtime::serve::tls_config(&cert, &key)
                .map_err(anyhow::Error::msg)
                .with_context(|| format!("--tls-cert {}", c.display()))?;
            Some(std::sync::Arc::new(cfg))
        }
        _ => None,
    };
    let scheme = if tls.is_some() { "https" } else { "http" };
    let cfg = ServeConfig {
        max_body: a.max_body,
        tls,
        ..ServeConfig::default()
    };
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("starting the async runtime")?;
    rt.block_on(serve(
        a.listen,
        engine,
        RateLimiter::new(limit),
        sink,
        cfg,
        |addr| {
            eprintln!(
                "palisade: serving the audit webhook on {scheme}://{addr}/k8s-audit ({n_rules} rules)"
            )
        },
        async {
            let _ = tokio::signal::ctrl_c().await;
        },
    ))
    .with_context(|| format!("--listen {}", a.listen))?;
    Ok(0)
}
