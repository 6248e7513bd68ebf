//! Helpers rules share: image references, package-manager commands, cache mounts.

use super::{Ctx, Hit};
use crate::parser::{Instruction, Stage};
use crate::shell::{positional, Command, Script};
use palisade_core::ImageRef;

/// The parsed reference of a stage's `FROM`; `None` for one that is not a valid reference
/// (the build fails on it, so tag and digest rules have nothing to judge).
pub fn image_ref(s: &str) -> Option<ImageRef> {
    ImageRef::parse(s).ok()
}

/// Stages whose `FROM` names an external image we can judge (not scratch, not an earlier
/// stage, no unresolved variable).
pub fn external_stages<'a>(
    ctx: &'a Ctx,
) -> impl Iterator<Item = (&'a Stage, &'a Instruction)> + 'a {
    ctx.df.stages.iter().filter_map(move |s| {
        let external = s.parent.is_none()
            && !s.image.eq_ignore_ascii_case("scratch")
            && !s.image.contains('$')
            && !s.image.is_empty();
        let ins = ctx.df.instructions.get(s.from)?;
        external.then_some((s, ins))
    })
}

/// `RUN --mount=type=cache|tmpfs,target=...` targets.
pub fn cache_mounts(ins: &Instruction) -> Vec<String> {
    ins.flags
        .iter()
        .filter(|f| f.name == "mount")
        .filter_map(|f| {
            let v = f.value.as_deref()?;
            let mut ty = "bind";
            let mut target = None;
            for part in v.split(',') {
                match part.split_once('=') {
                    Some(("type", t)) => ty = t,
                    Some(("target" | "dst" | "destination", t)) => {
                        target = Some(t.trim_end_matches('/').to_string())
                    }
                    _ => {}
                }
            }
            matches!(ty, "cache" | "tmpfs").then_some(target).flatten()
        })
        .collect()
}

pub fn has_mount(ins: &Instruction, target: &str) -> bool {
    cache_mounts(ins).iter().any(|t| t == target)
}

pub const APT: &[&str] = &["apt-get", "apt", "aptitude"];
pub const APT_VALUE_OPTS: &[&str] = &[
    "-t",
    "--target-release",
    "-o",
    "--option",
    "-c",
    "--config-file",
];

/// `apt-get install ...` style commands of the given program names with sub-command in `subs`.
pub fn with_sub<'a>(
    script: &'a Script,
    names: &'a [&'a str],
    subs: &'a [&'a str],
    value_opts: &'a [&'a str],
) -> impl Iterator<Item = &'a Command> + 'a {
    script
        .named(names)
        .filter(move |c| c.subcommand(value_opts).is_some_and(|s| subs.contains(&s)))
}

/// Positional arguments after the sub-command.
pub fn packages<'a>(c: &'a Command, value_opts: &[&str]) -> Vec<&'a String> {
    positional(c.args(), value_opts)
        .into_iter()
        .skip(1)
        .collect()
}

/// RUNs whose commands make `pred` true, one hit per RUN.
pub fn runs_where(ctx: &Ctx, msg: &str, pred: impl Fn(&Instruction, &Script) -> bool) -> Vec<Hit> {
    ctx.runs()
        .filter(|(_, ins, s)| pred(ins, s))
        .map(|(_, ins, _)| Hit::at(ins, msg))
        .collect()
}

/// Whether the instruction's stage ends up in the final image (or it is an ONBUILD trigger).
pub fn in_final_image(ctx: &Ctx, ins: &Instruction) -> bool {
    if ins.onbuild {
        return true;
    }
    match ins.stage {
        None => true,
        Some(i) => ctx.df.in_final_chain(i),
    }
}

/// rpm-style package pinned: `name-1.2`, `name-1:1.2`, `name:9` (module stream) or a file.
pub fn rpm_pinned(p: &str) -> bool {
    if p.ends_with(".rpm") || p.contains('/') || p.starts_with('@') {
        return true;
    }
    if p.contains(':') && !p.contains('-') {
        return true;
    }
    // A version is a `-` followed by a digit (`gcc-c++-1.1.1`, `openssl-1:1.1.1k`).
    p.match_indices('-')
        .any(|(i, _)| p[i + 1..].starts_with(|c: char| c.is_ascii_digit()))
}

/// Value of a variable as the shell of a RUN would see it: `VAR=x cmd`, `export VAR=x`,
/// or `ENV` earlier in the stage chain.
pub fn effective_var(ctx: &Ctx, ins_idx: usize, script: &Script, var: &str) -> Option<String> {
    for c in &script.commands {
        let from_export = if c.name() == "export" {
            c.args().to_vec()
        } else {
            Vec::new()
        };
        for a in c.assigns.iter().chain(from_export.iter()) {
            if let Some(v) = a.strip_prefix(var).and_then(|r| r.strip_prefix('=')) {
                return Some(v.to_string());
            }
        }
    }
    let df = ctx.df;
    let stage = df.instructions.get(ins_idx)?.stage;
    // A set, not a list: `contains` runs for every earlier instruction.
    let mut chain = std::collections::HashSet::new();
    let mut cur = stage;
    while let Some(s) = cur {
        if !chain.insert(s) {
            break;
        }
        cur = df.stages.get(s).and_then(|st| st.parent);
    }
    df.instructions[..ins_idx]
        .iter()
        .rev()
        .filter(|i| {
            i.is("ENV")
                && !i.onbuild
                && (i.stage.is_none() || i.stage.is_some_and(|s| chain.contains(&s)))
        })
        .find_map(|i| {
            i.pairs()
                .into_iter()
                .find(|(k, _)| k == var)
                .map(|(_, v)| v.unwrap_or_default())
        })
}

/// `pip install ...`, `pip3 install`, `python -m pip install`, `pipx install`: the program
/// and the arguments starting at `install`.
pub fn pip_install(c: &Command) -> Option<(&str, &[String])> {
    let name = c.name();
    let args = c.args();
    let rest: &[String] = if name == "pipx"
        || name == "pip"
        || (name.starts_with("pip") && name[3..].chars().all(|ch| ch.is_ascii_digit() || ch == '.'))
    {
        args
    } else if name.starts_with("python") {
        let m = args.iter().position(|a| a == "-m")?;
        if args.get(m + 1).map(String::as_str) != Some("pip") {
            return None;
        }
        &args[m + 2..]
    } else {
        return None;
    };
    let pos = positional(
        rest,
        &[
            "--trusted-host",
            "-i",
            "--index-url",
            "--proxy",
            "--log",
            "--cache-dir",
            "--python",
        ],
    );
    if pos.first().map(|s| s.as_str()) != Some("install") {
        return None;
    }
    let i = rest.iter().position(|a| a == "install")?;
    Some((name, &rest[i..]))
}

/// A package-manager command in `names` with a sub-command in `subs` that is not followed,
/// later in the same script, by a command `cleans(install, later)` accepts.
pub fn install_without_clean(
    script: &Script,
    names: &[&str],
    subs: &[&str],
    cleans: impl Fn(&Command, &Command) -> bool,
) -> bool {
    script.commands.iter().enumerate().any(|(i, c)| {
        names.contains(&c.name())
            && c.subcommand(&[]).is_some_and(|s| subs.contains(&s))
            && !script.commands[i + 1..]
                .iter()
                .any(|later| cleans(c, later))
    })
}

/// `rm` of a path under one of `dirs`.
pub fn rm_under(c: &Command, dirs: &[&str]) -> bool {
    c.name() == "rm"
        && c.args()
            .iter()
            .any(|a| dirs.iter().any(|d| a.starts_with(d)))
}

/// Sub-command of rpm-style managers (yum/dnf/zypper) has a `-y`-like option.
pub fn rpm_style_unpinned(script: &Script, names: &[&str], subs: &[&str]) -> bool {
    script.named(names).any(|c| {
        let pos = positional(c.args(), &[]);
        let Some(first) = pos.first() else {
            return false;
        };
        let (rest, module) = if first.as_str() == "module"
            || first.as_str() == "group"
            || first.as_str() == "groupinstall"
        {
            if first.as_str() != "module" {
                return false;
            }
            (&pos[1..], true)
        } else {
            (&pos[..], false)
        };
        let Some(sub) = rest.first() else {
            return false;
        };
        if !subs.contains(&sub.as_str()) {
            return false;
        }
        rest[1..].iter().any(|p| {
            if module {
                !p.contains(':')
            } else {
                !rpm_pinned(p)
            }
        })
    })
}
