//! `palisade policy test` and `palisade policy eval`.

use crate::cli::{PolicyArgs, PolicyCommand, PolicyEvalArgs, PolicyTestArgs, PolicyTestFormat};
use anyhow::{Context, Result};
use palisade_engine::policy::{self, suite, Limits, Namespaces, Options, PolicySet};
use std::io::Write;
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
    if !set.has_admission_policies() && !set.selects_any_namespace() {
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
    let kyverno_tests = policy::kyverno_test::find_tests(&args.paths)?;
    if suites.is_empty() && kyverno_tests.is_empty() {
        anyhow::bail!(
            "no gator suite (kind: Suite) and no kyverno-test.yaml under the paths given"
        );
    }
    let mut out = std::io::stdout().lock();
    let (mut passed, mut failed, mut tests, mut tool_error) = (0usize, 0usize, 0usize, false);
    let mut unsupported = 0usize;
    for path in &kyverno_tests {
        tests += 1;
        let report = match policy::kyverno_test::run_test(path) {
            Ok(r) => r,
            Err(e) => {
                writeln!(out, "ERROR {}: {e}", path.display())?;
                tool_error = true;
                continue;
            }
        };
        for e in &report.expectations {
            if e.unsupported.is_some() {
                unsupported += 1;
            } else if e.pass {
                passed += 1;
            } else {
                failed += 1;
            }
            if args.format == PolicyTestFormat::Json {
                writeln!(out, "{}", serde_json::to_string(e)?)?;
                continue;
            }
            let label = format!(
                "{} {}/{} {}/{}",
                report.name, e.policy, e.rule, e.kind, e.resource
            );
            let want = serde_json::to_value(e.expected)?;
            let want = want.as_str().unwrap_or("");
            if let Some(why) = &e.unsupported {
                if args.verbose {
                    writeln!(out, "skip  {label}: {why}")?;
                }
            } else if e.pass {
                if args.verbose {
                    writeln!(out, "ok    {label} ({want})")?;
                }
            } else {
                let got = match e.actual {
                    Some(a) => serde_json::to_value(a)?.as_str().unwrap_or("").to_string(),
                    None => "no result".to_string(),
                };
                writeln!(out, "FAIL  {label}: want {want}, got {got}")?;
                if !e.message.is_empty() {
                    writeln!(out, "      {}", e.message)?;
                }
            }
        }
    }
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
        let not_run = if unsupported > 0 {
            format!(", {unsupported} not evaluated (-v says why)")
        } else {
            String::new()
        };
        writeln!(
            out,
            "{passed} passed, {failed} failed{not_run} ({} expectations in {tests} tests: {} gator suites, {} kyverno tests)",
            passed + failed,
            suites.len(),
            kyverno_tests.len()
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
        Some(p) => policy::read_input(p)?,
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
