use super::util::pip_install;
use super::{Ctx, Hit, Rule};
use crate::shell::positional;
use palisade_core::{Partial, RuleDocs, RuleMeta, Severity};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        id: "DF012",
        family: palisade_core::RuleFamily::Dockerfile,
        title: "pip install without pinned versions",
        severity: Severity::Low,
        docs: RuleDocs {
            why:
                "Unpinned Python packages install whatever is newest, including a hijacked release.",
            fix: "Pin versions (`pkg==1.2.3`), or install from a requirements file with hashes.",
            bad_example: "RUN pip install requests",
            good_example: "RUN pip install --no-cache-dir requests==2.31.0",
        },
        related: &[],
        partial: &[
            Partial::new(
                "DL3013",
                "hadolint reads only a command named pip/pip3, not a path to one (`.venv/bin/pip install`); this rule reads both.",
            ),
        ],
        compliance: &[],
        references: &["https://pip.pypa.io/en/stable/topics/repeatable-installs/"],
    },
    check,
    fires: &[
        "RUN pip install flask",
        "RUN python -m pip install example",
        "RUN pip install git+https://h/x.git#egg=x",
        "RUN pipx install black",
    ],
    passes: &[
        "RUN pip install flask==3.0.0",
        "RUN pip install -r requirements.txt",
        "RUN pip install .",
        "RUN pip install 'a>=1'",
        "RUN pip install git+https://h/x.git@v1#egg=x",
        "RUN pip install x -c c.txt",
    ],
};

const VALUE_OPTS: &[&str] = &[
    "-r",
    "--requirement",
    "-c",
    "--constraint",
    "-e",
    "--editable",
    "-i",
    "--index-url",
    "--extra-index-url",
    "--trusted-host",
    "--build",
    "--prefix",
    "--root",
    "-t",
    "--target",
    "--root-user-action",
    "--python",
    "--src",
    "--platform",
    "--python-version",
    "--implementation",
    "--abi",
    "-f",
    "--find-links",
    "--progress-bar",
    "--cache-dir",
    "--upgrade-strategy",
    "--global-option",
    "--install-option",
    "--only-binary",
    "--no-binary",
    "--log",
    "--proxy",
    "--retries",
    "--timeout",
    "--exists-action",
    "--cert",
    "--client-cert",
];

fn pinned(p: &str) -> bool {
    if p.starts_with("git+")
        || p.starts_with("hg+")
        || p.starts_with("svn+")
        || p.starts_with("bzr+")
    {
        let path = p
            .split("://")
            .nth(1)
            .unwrap_or(p)
            .split('#')
            .next()
            .unwrap_or("");
        return path.rsplit('/').next().is_some_and(|seg| seg.contains('@'));
    }
    p.contains(['=', '<', '>', '~', '!', '/', '$'])
        || p == "."
        || [".whl", ".tar.gz", ".zip", ".tgz", ".tar.bz2"]
            .iter()
            .any(|e| p.ends_with(e))
}

fn check(ctx: &Ctx) -> Vec<Hit> {
    ctx.runs()
        .filter(|(_, _, s)| {
            s.commands.iter().any(|c| {
                let Some((_, args)) = pip_install(c) else {
                    return false;
                };
                if args
                    .iter()
                    .any(|a| a == "-c" || a.starts_with("--constraint"))
                {
                    return false;
                }
                positional(args, VALUE_OPTS)
                    .iter()
                    .skip(1)
                    .any(|p| !pinned(p))
            })
        })
        .map(|(_, ins, _)| Hit::at(ins, "pip install of packages without a pinned version"))
        .collect()
}
