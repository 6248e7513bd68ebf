//! `palisade policy test` and `palisade policy eval`.

use crate::cli::{PolicyArgs, PolicyCommand, PolicyEvalArgs, PolicyTestArgs, PolicyTestFormat};
use anyhow::{Context, Result};
use palisade_engine::policy::{self, suite, Limits, Namespaces, Options, PolicySet};
use std::io::{Read, Write};
use std::time::Duration;

pub fn run(cmd: &PolicyCommand) -> Result<i32> {
    match cmd {
        PolicyCommand::Test(args) => test(args),
        PolicyCommand::Eval(args) => eval(args),
    }
}

fn engine_of(e: crate::cli::PolicyEngine) -> policy::gatekeeper::Engine {
    match e {
        crate::cli::PolicyEngine::Rego => policy::gatekeeper::Engine::Rego,
        crate::cli::PolicyEngine::Cel => policy::gatekeeper::Engine::Cel,
    }
}

fn limits(ms: u64, mib: u64) -> Limits {
    Limits {
        timeout: Duration::from_millis(ms.max(1)),
        memory: mib.max(1).saturating_mul(1 << 20),
    }
}

/// The policy set `--policy` names for a scan, if any.
pub fn load_for_scan(args: &PolicyArgs) -> Result<Option<PolicySet>> {
    if args.policy.is_empty() {
        return Ok(None);
    }
    let namespaces = if args.all_namespaces {
        Namespaces::All
    } else if args.namespace.is_empty() {
        Namespaces::default()
    } else {
        Namespaces::Some(args.namespace.clone())
    };
    let options = Options {
        limits: limits(args.policy_timeout, args.policy_memory),
        namespaces,
    };
    let mut set = PolicySet::load(&args.policy, options).context("--policy")?;
    set.set_gatekeeper_engine(engine_of(args.policy_engine));
    if set.gatekeeper().is_empty() && !set.selects_any_namespace() {
        let found = set.packages().join(", ");
        anyhow::bail!(
            "--policy: no constraint, and no Rego package among the namespaces asked for (found: {}); use --namespace or --all-namespaces",
            if found.is_empty() { "none" } else { &found }
        );
    }
    Ok(Some(set))
}

fn test(args: &PolicyTestArgs) -> Result<i32> {
    let suites = suite::find_suites(&args.paths)?;
    if suites.is_empty() {
        anyhow::bail!("no gator suite (kind: Suite) under the paths given");
    }
    let mut out = std::io::stdout().lock();
    let (mut passed, mut failed, mut tests, mut tool_error) = (0usize, 0usize, 0usize, false);
    for path in &suites {
        let engine = engine_of(args.engine);
        let limits = limits(args.policy_timeout, args.policy_memory);
        let results = match suite::run_suite(path, limits, engine) {
            Ok(r) => r,
            Err(e) => {
                writeln!(out, "ERROR {e}")?;
                tool_error = true;
                continue;
            }
        };
        for t in results {
            tests += 1;
            tool_error |= t.load_error.is_some();
            for a in &t.assertions {
                if a.pass {
                    passed += 1;
                } else {
                    failed += 1;
                }
                if args.format == PolicyTestFormat::Json {
                    writeln!(out, "{}", serde_json::to_string(a)?)?;
                }
            }
            if args.format == PolicyTestFormat::Json {
                continue;
            }
            let label = format!("{} {}", t.suite, t.test);
            if t.skipped {
                writeln!(out, "skip  {label}")?;
            } else if t.passed() {
                if args.verbose {
                    writeln!(out, "ok    {label} ({} assertions)", t.assertions.len())?;
                }
            } else {
                writeln!(out, "FAIL  {label}")?;
                for a in t.assertions.iter().filter(|a| !a.pass) {
                    let filter = a
                        .message
                        .as_deref()
                        .map(|m| format!(" matching /{m}/"))
                        .unwrap_or_default();
                    let got = a.actual.map(|n| n.to_string()).unwrap_or("-".into());
                    writeln!(
                        out,
                        "      case {:?}: expected violations {}{filter}, got {got}: {}",
                        a.case,
                        a.expected,
                        a.error.as_deref().unwrap_or("")
                    )?;
                }
            }
        }
    }
    if args.format == PolicyTestFormat::Table {
        writeln!(
            out,
            "{passed} passed, {failed} failed ({} assertions in {tests} tests of {} suites)",
            passed + failed,
            suites.len()
        )?;
    }
    Ok(if tool_error {
        2
    } else if failed > 0 {
        1
    } else {
        0
    })
}

fn eval(args: &PolicyEvalArgs) -> Result<i32> {
    let options = Options {
        limits: limits(args.policy_timeout, args.policy_memory),
        namespaces: Namespaces::All,
    };
    let set = PolicySet::load(&args.policy, options).context("--policy")?;
    let input = match &args.input {
        None => serde_json::Value::Null,
        Some(p) => read_input(p)?,
    };
    let value = set.query(&args.query, &input)?;
    let mut out = std::io::stdout().lock();
    match value {
        Some(v) => {
            writeln!(out, "{}", serde_json::to_string_pretty(&v)?)?;
            Ok(0)
        }
        None => {
            eprintln!("palisade: {} is undefined", args.query);
            Ok(1)
        }
    }
}

/// Every document of a YAML or JSON file (a JSON array is one document).
pub fn read_documents(path: &std::path::Path) -> Result<Vec<serde_json::Value>> {
    Ok(match read_input(path)? {
        serde_json::Value::Array(items) if !path.display().to_string().ends_with(".json") => items,
        serde_json::Value::Null => Vec::new(),
        v => vec![v],
    })
}

/// YAML or JSON; several YAML documents become an array, as `conftest --combine` sees them.
fn read_input(path: &std::path::Path) -> Result<serde_json::Value> {
    let mut text = String::new();
    let name = path.display().to_string();
    if name == "-" {
        std::io::stdin()
            .take(policy::MAX_FILE)
            .read_to_string(&mut text)?;
    } else {
        std::fs::File::open(path)
            .with_context(|| name.clone())?
            .take(policy::MAX_FILE)
            .read_to_string(&mut text)
            .with_context(|| name.clone())?;
    }
    if let Ok(v) = serde_json::from_str(&text) {
        return Ok(v);
    }
    let mut docs: Vec<serde_json::Value> = policy::documents(&name, &text)?
        .into_iter()
        .map(|(_, d)| d)
        .collect();
    Ok(match docs.len() {
        0 => serde_json::Value::Null,
        1 => docs.swap_remove(0),
        _ => serde_json::Value::Array(docs),
    })
}
