use super::history_script;
use super::{Config, ImageHit, ImageRule};
use crate::shell::Script;
use palisade_core::{RuleDocs, RuleMeta, Severity};

pub static RULE: ImageRule = ImageRule {
    meta: RuleMeta {
        id: "IC006",
        family: palisade_core::RuleFamily::ImageConfig,
        title: "Image history pipes a download into a shell",
        severity: Severity::High,
        docs: RuleDocs {
            why: "A layer was built by running an unverified download; whatever the server sent is in the image.",
            fix: "Rebuild, downloading to a file and verifying its checksum before running it.",
            bad_example: "{\"history\": [{\"created_by\": \"/bin/sh -c curl -fsSL https://x/i.sh | sh\"}]}",
            good_example: "{\"history\": [{\"created_by\": \"/bin/sh -c curl -fsSLo i.sh https://x/i.sh && sha256sum -c i.sha256 && sh i.sh\"}]}",
        },
        related: &["DF018"],
        partial: &[],
        compliance: &[],
        references: &["https://docs.docker.com/build/building/best-practices/#using-pipes"],
    },
    check,
    fires: &["{\"history\": [{\"created_by\": \"RUN /bin/sh -c curl -fsSL https://x/i.sh | bash # buildkit\"}]}"],
    passes: &["{\"history\": [{\"created_by\": \"/bin/sh -c #(nop)  CMD [\\\"sh\\\"]\"}, {\"created_by\": \"/bin/sh -c curl -o x https://x | tee log\"}]}"],
};

fn check(c: &Config) -> Vec<ImageHit> {
    c.history()
        .into_iter()
        .filter_map(|(i, cb)| {
            let s = Script::parse(history_script(cb)?);
            let bad = s.commands.windows(2).any(|w| {
                w[0].pipe_out
                    && matches!(w[0].name(), "curl" | "wget")
                    && matches!(
                        w[1].name(),
                        "sh" | "bash" | "zsh" | "ash" | "dash" | "python" | "python3" | "perl"
                    )
            });
            bad.then(|| ImageHit {
                field: format!("history[{i}].created_by"),
                message: "a layer was built by piping a download into a shell".into(),
                evidence: Some(cb.chars().take(200).collect()),
            })
        })
        .collect()
}
