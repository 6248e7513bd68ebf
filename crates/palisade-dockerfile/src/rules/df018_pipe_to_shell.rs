use super::{Ctx, Hit, Rule};
use palisade_core::{RuleDocs, RuleMeta, Severity};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        id: "DF018",
        family: palisade_core::RuleFamily::Dockerfile,
        title: "Download piped into a shell",
        severity: Severity::High,
        docs: RuleDocs {
            why: "`curl ... | sh` runs whatever the server sends, unverified and unlogged; a compromised host or a MITM owns the build.",
            fix: "Download to a file, verify its checksum or signature, then run it.",
            bad_example: "RUN curl -fsSL https://get.example.com | sh",
            good_example: "RUN curl -fsSLo install.sh https://get.example.com \\\n && echo \"<sha256>  install.sh\" | sha256sum -c - \\\n && sh install.sh",
        },
        related: &[],
        partial: &[],
        compliance: &[],
        references: &["https://docs.docker.com/build/building/best-practices/#using-pipes"],
    },
    check,
    fires: &["RUN curl -fsSL https://x/i.sh | sh", "RUN wget -qO- https://x | sudo bash -s -- -y", "RUN curl https://x | python3 -"],
    passes: &["RUN curl -fsSLo i.sh https://x && sh i.sh", "RUN curl https://x | tar xz", "RUN echo hi | sh"],
};

const FETCH: &[&str] = &["curl", "wget", "fetch"];
const SHELLS: &[&str] = &[
    "sh", "bash", "zsh", "ash", "dash", "ksh", "python", "python2", "python3", "perl", "ruby",
    "node", "php",
];

fn check(ctx: &Ctx) -> Vec<Hit> {
    ctx.runs()
        .filter(|(_, _, s)| {
            s.commands.windows(2).any(|w| {
                let next = &w[1];
                let target = if next.name() == "sudo" {
                    next.args()
                        .iter()
                        .find(|a| !a.starts_with('-'))
                        .map(|a| a.rsplit('/').next().unwrap_or(a))
                        .unwrap_or("")
                } else {
                    next.name()
                };
                w[0].pipe_out
                    && next.pipe_in
                    && FETCH.contains(&w[0].name())
                    && SHELLS.contains(&target)
            })
        })
        .map(|(_, ins, _)| Hit::at(ins, "a download is piped straight into an interpreter"))
        .collect()
}
