use super::util::{effective_var, has_mount, pip_install};
use super::{Ctx, Hit, Rule};
use palisade_core::{Partial, RuleDocs, RuleMeta, Severity};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        id: "DF008",
        family: palisade_core::RuleFamily::Dockerfile,
        title: "pip install without --no-cache-dir",
        severity: Severity::Low,
        docs: RuleDocs {
            why: "pip keeps downloaded wheels in ~/.cache/pip, which then ships in the layer.",
            fix: "Pass `--no-cache-dir`, set `PIP_NO_CACHE_DIR=1`, or use a cache mount on /root/.cache/pip.",
            bad_example: "RUN pip install requests==2.31.0",
            good_example: "RUN pip install --no-cache-dir requests==2.31.0",
        },
        related: &[],
        partial: &[
            Partial::new(
                "DL3042",
                "hadolint reads only a command named pip/pip3, not a path to one (`.venv/bin/pip install`); this rule reads both.",
            ),
        ],
        compliance: &[],
        references: &["https://pip.pypa.io/en/stable/topics/caching/"],
    },
    check,
    fires: &["RUN pip install x==1", "ENV PIP_NO_CACHE_DIR=off\nRUN pip3 install x==1", "RUN python -m pip install x==1"],
    passes: &["RUN pip install --no-cache-dir x==1", "RUN PIP_NO_CACHE_DIR=1 pip install x", "RUN --mount=type=cache,target=/root/.cache/pip pip install x", "RUN pipx install x"],
};

fn truthy(v: &str) -> bool {
    matches!(v.to_ascii_lowercase().as_str(), "1" | "on" | "yes" | "true")
}

fn check(ctx: &Ctx) -> Vec<Hit> {
    ctx.runs()
        .filter(|(idx, ins, s)| {
            !has_mount(ins, "/root/.cache/pip")
                && s.commands.iter().any(|c| {
                    pip_install(c).is_some_and(|(name, args)| {
                        name != "pipx" && !args.iter().any(|a| a == "--no-cache-dir")
                    })
                })
                && !effective_var(ctx, *idx, s, "PIP_NO_CACHE_DIR").is_some_and(|v| truthy(&v))
        })
        .map(|(_, ins, _)| {
            Hit::at(
                ins,
                "pip install without --no-cache-dir keeps the download cache in the layer",
            )
        })
        .collect()
}
