use super::{Ctx, Hit, Rule};
use crate::parser::Instruction;
use palisade_core::{RuleDocs, RuleMeta, Severity};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        id: "DF042",
        family: palisade_core::RuleFamily::Dockerfile,
        title: "Pipe in RUN without pipefail",
        severity: Severity::Low,
        docs: RuleDocs {
            why: "A pipeline's status is its last command's: a failed download piped into another tool lets the build succeed with a broken or empty result.",
            fix: "Set `SHELL [\"/bin/bash\", \"-o\", \"pipefail\", \"-c\"]` before RUNs that use pipes.",
            bad_example: "RUN wget -O - https://example.com/key | gpg --import",
            good_example: "SHELL [\"/bin/bash\", \"-o\", \"pipefail\", \"-c\"]\nRUN wget -O - https://example.com/key | gpg --import",
        },
        related: &["DL4006"],
        partial: &[],
        compliance: &[],
        references: &["https://docs.docker.com/build/building/best-practices/#using-pipes"],
    },
    check,
    fires: &["FROM scratch\nRUN wget -O - https://x | wc -l", "SHELL [\"/bin/sh\", \"-o\", \"pipefail\", \"-c\"]\nRUN a | b"],
    passes: &["SHELL [\"/bin/bash\", \"-eo\", \"pipefail\", \"-c\"]\nRUN a | b", "SHELL [\"pwsh\", \"-c\"]\nRUN a | b", "RUN a && b"],
};

/// Whether a SHELL makes pipelines fail (`-o pipefail` in bash/zsh/ksh), or is not POSIX at all.
fn shell_ok(shell: &Instruction) -> bool {
    let v = shell.exec.as_deref().unwrap_or(&[]);
    let prog = v
        .first()
        .map(|p| {
            p.rsplit(['/', '\\'])
                .next()
                .unwrap_or(p)
                .to_ascii_lowercase()
        })
        .unwrap_or_default();
    if prog.starts_with("pwsh") || prog.starts_with("powershell") || prog.starts_with("cmd") {
        return true;
    }
    let capable = matches!(prog.as_str(), "bash" | "zsh" | "ksh" | "mksh" | "ash");
    capable
        && v.windows(2)
            .any(|w| w[0].starts_with('-') && w[0].ends_with('o') && w[1] == "pipefail")
}

fn check(ctx: &Ctx) -> Vec<Hit> {
    let mut out = Vec::new();
    let mut shell: Option<&Instruction> = None;
    let mut stage = None;
    for (i, ins) in ctx.df.instructions.iter().enumerate() {
        if ins.stage != stage {
            stage = ins.stage;
            shell = None;
        }
        if ins.is("SHELL") && !ins.onbuild {
            shell = Some(ins);
            continue;
        }
        if !ins.is("RUN") || ins.exec.is_some() {
            continue;
        }
        let piped = ctx.script(i).is_some_and(|s| s.has_pipe());
        if piped && !shell.is_some_and(shell_ok) {
            out.push(Hit::at(
                ins,
                "RUN uses a pipe but the shell does not set -o pipefail",
            ));
        }
    }
    out
}
