use super::{Ctx, Hit, Rule};
use palisade_core::{RuleDocs, RuleMeta, Severity};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        id: "DF043",
        family: palisade_core::RuleFamily::Dockerfile,
        title: "CMD, ENTRYPOINT or HEALTHCHECK in shell form",
        severity: Severity::Low,
        docs: RuleDocs {
            why: "In shell form the process runs under `/bin/sh -c`, which does not forward SIGTERM: containers are killed instead of shutting down cleanly, losing data.",
            fix: "Use the JSON (exec) form: `CMD [\"app\", \"--flag\"]`.",
            bad_example: "CMD node server.js",
            good_example: "CMD [\"node\", \"server.js\"]",
        },
        related: &["DL3025"],
        partial: &[],
        compliance: &[],
        references: &["https://docs.docker.com/reference/dockerfile/#shell-and-exec-form"],
    },
    check,
    fires: &["FROM node as foo\nCMD something", "ENTRYPOINT something", "HEALTHCHECK CMD foobar"],
    passes: &["CMD [\"foo\", \"bar\"]", "HEALTHCHECK CMD [ \"foobar\" ]", "HEALTHCHECK NONE", "CMD [ \"/bin/sh\", \"-c\", \\\n  \"echo foo\" \\\n ]"],
};

fn check(ctx: &Ctx) -> Vec<Hit> {
    ctx.df
        .instructions
        .iter()
        .filter(|i| match i.keyword.as_str() {
            "CMD" | "ENTRYPOINT" => i.exec.is_none(),
            "HEALTHCHECK" => {
                let a = i.args.trim();
                let rest = a
                    .get(..3)
                    .filter(|k| k.eq_ignore_ascii_case("CMD"))
                    .map(|_| a[3..].trim());
                rest.is_some_and(|r| serde_json::from_str::<Vec<String>>(r).is_err())
            }
            _ => false,
        })
        .map(|i| {
            Hit::at(
                i,
                format!(
                    "{} uses the shell form; signals will not reach the process",
                    i.keyword
                ),
            )
        })
        .collect()
}
