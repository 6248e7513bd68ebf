use super::{Ctx, Hit, Rule};
use palisade_core::{RuleDocs, RuleMeta, Severity};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        id: "DF052",
        family: palisade_core::RuleFamily::Dockerfile,
        title: "COPY of several sources to a destination without trailing /",
        severity: Severity::Low,
        docs: RuleDocs {
            why: "With several sources the destination must be a directory; without the trailing slash the build fails or files land somewhere unexpected.",
            fix: "End the destination with `/`.",
            bad_example: "COPY a.txt b.txt /app",
            good_example: "COPY a.txt b.txt /app/",
        },
        related: &["DL3021", "DS-0011"],
        partial: &[],
        compliance: &[],
        references: &["https://docs.docker.com/reference/dockerfile/#copy"],
    },
    check,
    fires: &["COPY foo bar baz", "COPY foo bar \"baz\""],
    passes: &[
        "COPY foo bar",
        "COPY foo bar baz/",
        "COPY foo bar \"baz/\"",
        // Windows images: a trailing backslash is a directory too.
        "# escape=`\nFROM mcr.microsoft.com/windows/nanoserver:ltsc2022\nCOPY a.txt b.txt C:\\app\\",
        "FROM mcr.microsoft.com/windows/servercore:ltsc2022\nCOPY a.txt b.txt C:\\\\app\\\\",
    ],
};

fn check(ctx: &Ctx) -> Vec<Hit> {
    ctx.df
        .instructions
        .iter()
        .filter(|i| (i.is("COPY") || i.is("ADD")) && i.heredocs.is_empty())
        .filter(|i| {
            let w = i.words();
            w.len() > 2
                && w.last()
                    .is_some_and(|d| !d.ends_with('/') && !d.ends_with('\\') && !d.contains('$'))
        })
        .map(|i| Hit::at(i, "several sources but the destination does not end with /"))
        .collect()
}
