use super::util::runs_where;
use super::{Ctx, Hit, Rule};
use palisade_core::{RuleDocs, RuleMeta, Severity};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        id: "DF049",
        family: palisade_core::RuleFamily::Dockerfile,
        title: "Download over plain HTTP",
        severity: Severity::Medium,
        docs: RuleDocs {
            why: "Anything fetched over http:// can be altered in transit; unless a checksum or signature is verified afterwards, the build installs the attacker's file.",
            fix: "Use https://, and verify a checksum or signature of what you download.",
            bad_example: "RUN curl -fsSLo tool.tgz http://example.com/tool.tgz",
            good_example: "RUN curl -fsSLo tool.tgz https://example.com/tool.tgz \\\n && echo \"<sha256>  tool.tgz\" | sha256sum -c -",
        },
        related: &[],
        partial: &[],
        compliance: &[],
        references: &["https://cwe.mitre.org/data/definitions/494.html"],
    },
    check,
    fires: &["RUN curl -o x.tgz http://example.com/x.tgz", "RUN wget http://example.com/x.sh"],
    passes: &["RUN curl -o x https://example.com/x", "RUN curl http://localhost:8080/health", "RUN wget http://example.com/x.tgz && sha256sum -c x.sha256"],
};

fn plain(a: &str) -> bool {
    let Some(rest) = a.strip_prefix("http://") else {
        return false;
    };
    let host = rest.split(['/', ':']).next().unwrap_or("");
    !matches!(host, "localhost" | "127.0.0.1" | "0.0.0.0" | "[::1]")
}

fn check(ctx: &Ctx) -> Vec<Hit> {
    runs_where(ctx, "a file is downloaded over plain http", |_, s| {
        let verified = s
            .commands
            .iter()
            .any(|c| c.name().ends_with("sum") || c.name() == "gpg" || c.name() == "gpgv");
        !verified
            && s.named(&["curl", "wget"])
                .any(|c| c.args().iter().any(|a| plain(a)))
    })
}
