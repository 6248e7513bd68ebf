use super::{Ctx, Hit, Rule};
use palisade_core::{RuleDocs, RuleMeta, Severity};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        id: "DF017",
        family: palisade_core::RuleFamily::Dockerfile,
        title: "ADD fetches a remote URL without a checksum",
        severity: Severity::Medium,
        docs: RuleDocs {
            why: "ADD downloads whatever the server returns at build time, unverified; a compromised or changed file goes straight into the image.",
            fix: "Use `ADD --checksum=sha256:...` or download with curl and verify a checksum or signature in the same RUN.",
            bad_example: "ADD https://example.com/tool.tar.gz /opt/",
            good_example: "ADD --checksum=sha256:24454f830cdb571e2c4ad15481119c43b3cafd48dd869a9b2945d1036d1dc68d https://example.com/tool.tar.gz /opt/",
        },
        related: &["CKV_DOCKER_4"],
        partial: &[],
        compliance: &[],
        references: &["https://docs.docker.com/reference/dockerfile/#add---checksum"],
    },
    check,
    fires: &["ADD https://example.com/x.tgz /opt/", "ADD git@github.com:org/repo.git /src"],
    passes: &["ADD --checksum=sha256:abc https://example.com/x.tgz /opt/", "ADD x.tgz /opt/", "COPY https.txt /x"],
};

pub fn remote(src: &str) -> bool {
    let l = src.to_ascii_lowercase();
    l.starts_with("http://")
        || l.starts_with("https://")
        || l.starts_with("git@")
        || l.starts_with("git://")
}

fn check(ctx: &Ctx) -> Vec<Hit> {
    ctx.all("ADD")
        .filter(|i| i.flag("checksum").is_none())
        .filter_map(|i| {
            let w = i.words();
            let srcs = w.get(..w.len().saturating_sub(1)).unwrap_or(&[]);
            let url = srcs.iter().find(|s| remote(s))?;
            Some(Hit {
                span: i.span,
                message: format!("ADD downloads {url} without --checksum"),
                evidence: Some(url.clone()),
            })
        })
        .collect()
}
