use super::df017_add_remote::remote;
use super::{Ctx, Hit, Rule};
use palisade_core::{RuleDocs, RuleMeta, Severity};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        id: "DF028",
        family: palisade_core::RuleFamily::Dockerfile,
        title: "ADD used to copy plain files",
        severity: Severity::Low,
        docs: RuleDocs {
            why: "ADD silently unpacks archives and fetches URLs; using it for plain files hides that magic where nobody expects it. COPY does only what it says.",
            fix: "Use COPY for files and directories; keep ADD for archives you mean to extract.",
            bad_example: "ADD app.py /app/",
            good_example: "COPY app.py /app/",
        },
        related: &["DL3020", "DS-0005", "CKV_DOCKER_4"],
        partial: &[],
        compliance: &[],
        references: &["https://docs.docker.com/build/building/best-practices/#add-or-copy"],
    },
    check,
    fires: &["ADD file /usr/src/app/", "ADD \"file.zip\" /usr/src/app/"],
    passes: &["ADD file.tar.gz /usr/src/app/", "ADD http://file.com /usr/src/app/", "COPY file /x"],
};

const ARCHIVES: &[&str] = &[
    ".tar", ".gz", ".bz2", ".xz", ".tgz", ".tbz", ".tbz2", ".txz", ".zst", ".tzst", ".lz", ".lzma",
    ".Z",
];

fn check(ctx: &Ctx) -> Vec<Hit> {
    ctx.all("ADD")
        .filter(|i| {
            let w = i.words();
            let srcs = w.get(..w.len().saturating_sub(1)).unwrap_or(&[]);
            !srcs.is_empty()
                && srcs
                    .iter()
                    .any(|s| !remote(s) && !ARCHIVES.iter().any(|e| s.ends_with(e)))
        })
        .map(|i| Hit::at(i, "use COPY instead of ADD for files and folders"))
        .collect()
}
