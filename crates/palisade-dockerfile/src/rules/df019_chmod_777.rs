use super::{Ctx, Hit, Rule};
use palisade_core::{RuleDocs, RuleMeta, Severity};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        id: "DF019",
        family: palisade_core::RuleFamily::Dockerfile,
        title: "World-writable permissions (chmod 777)",
        severity: Severity::Medium,
        docs: RuleDocs {
            why: "World-writable files and directories let any process or user in the container replace code or configuration that others trust.",
            fix: "Grant only what is needed (`chown app` and `chmod 755`/`644`), or `COPY --chown`.",
            bad_example: "RUN chmod -R 777 /app",
            good_example: "RUN chown -R app:app /app && chmod -R 755 /app",
        },
        related: &[],
        partial: &[],
        compliance: &[],
        references: &["https://cwe.mitre.org/data/definitions/732.html"],
    },
    check,
    fires: &["RUN chmod -R 777 /app", "RUN chmod o+w /etc/passwd", "COPY --chmod=0777 a /a"],
    passes: &["RUN chmod 755 /app", "RUN chmod 1777 /tmp", "RUN chmod +x run.sh"],
};

/// World-writable mode, except the sticky-bit `1777` that /tmp-like directories need.
pub fn world_writable(mode: &str) -> bool {
    if mode.chars().all(|c| c.is_ascii_digit()) && !mode.is_empty() {
        if mode.len() == 4 && mode.starts_with('1') {
            return false;
        }
        return mode
            .chars()
            .last()
            .and_then(|c| c.to_digit(8))
            .is_some_and(|d| d & 2 != 0);
    }
    mode.split(',').any(|part| {
        let (who, perm) = match part.find(['+', '=']) {
            Some(i) => (&part[..i], &part[i + 1..]),
            None => return false,
        };
        (who.contains('o') || who.contains('a')) && perm.contains('w')
    })
}

fn check(ctx: &Ctx) -> Vec<Hit> {
    let mut out: Vec<Hit> = ctx
        .runs()
        .filter(|(_, _, s)| {
            s.named(&["chmod"]).any(|c| {
                c.args()
                    .iter()
                    .any(|a| !a.starts_with('-') && world_writable(a))
            })
        })
        .map(|(_, ins, _)| Hit::at(ins, "chmod makes files world-writable"))
        .collect();
    for i in ctx
        .df
        .instructions
        .iter()
        .filter(|i| i.is("COPY") || i.is("ADD"))
    {
        if i.flag_value("chmod").is_some_and(world_writable) {
            out.push(Hit::at(i, "--chmod makes copied files world-writable"));
        }
    }
    out
}
