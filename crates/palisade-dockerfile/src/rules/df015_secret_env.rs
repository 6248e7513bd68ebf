use super::{Ctx, Hit, Rule};
use palisade_core::{mask_secret, Partial, RuleDocs, RuleMeta, Severity};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        id: "DF015",
        family: palisade_core::RuleFamily::Dockerfile,
        title: "Secret passed through ENV or ARG",
        severity: Severity::Critical,
        docs: RuleDocs {
            why: "ENV values are stored in the image config and ARG values in the build history: anyone who can pull the image can read them.",
            fix: "Use BuildKit secret mounts (`RUN --mount=type=secret,id=token ...`) at build time and inject secrets at run time.",
            bad_example: "ENV AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
            good_example: "RUN --mount=type=secret,id=aws,target=/root/.aws/credentials aws s3 cp s3://bucket/x /x",
        },
        related: &[],
        partial: &[
            Partial::new(
                "DS-0031",
                "Trivy also flags names such as GPG_KEY, whose values (key fingerprints) are public; this rule ignores names containing GPG or PUBLIC. Trivy's check also covers copied secret files (DF016).",
            ),
        ],
        compliance: &["CIS-Docker-4.10"],
        references: &["https://docs.docker.com/build/building/secrets/"],
    },
    check,
    fires: &["ENV DB_PASSWORD=hunter2hunter2", "ARG GITHUB_TOKEN", "ENV API_KEY abcdef123456"],
    passes: &["ENV PASSWORD_FILE=/run/secrets/db", "ENV GPG_KEY=A035C8C19219BA821ECEA86B64E628F8D684696D", "ENV PATH=/usr/bin", "ARG TOKEN_URL=https://x"],
};

const SECRET_WORDS: &[&str] = &[
    "PASSWORD",
    "PASSWD",
    "SECRET",
    "TOKEN",
    "API_KEY",
    "APIKEY",
    "PRIVATE_KEY",
    "ACCESS_KEY",
    "CREDENTIAL",
    "AUTH_KEY",
];
const NOT_SECRET_SUFFIXES: &[&str] = &[
    "_FILE",
    "_PATH",
    "_DIR",
    "_URL",
    "_HOST",
    "_USER",
    "_USERNAME",
    "_NAME",
    "_ID",
    "_LENGTH",
    "_TYPE",
];

pub fn secret_name(k: &str) -> bool {
    let u = k.to_ascii_uppercase();
    SECRET_WORDS.iter().any(|w| u.contains(w))
        && !NOT_SECRET_SUFFIXES.iter().any(|s| u.ends_with(s))
        && !u.contains("GPG")
        && !u.contains("PUBLIC")
}

fn check(ctx: &Ctx) -> Vec<Hit> {
    let mut out = Vec::new();
    for ins in ctx
        .df
        .instructions
        .iter()
        .filter(|i| i.is("ENV") || i.is("ARG"))
    {
        for (k, v) in ins.pairs() {
            if !secret_name(&k) {
                continue;
            }
            let v = v.unwrap_or_default();
            // ENV FOO=$FOO only re-exports a build argument, which ARG already reports.
            if ins.is("ENV") && (v.is_empty() || v.starts_with('$')) {
                continue;
            }
            out.push(Hit {
                span: ins.span,
                message: format!(
                    "{} {k} looks like a secret and is stored in the image",
                    ins.keyword
                ),
                evidence: Some(if v.is_empty() {
                    k.clone()
                } else {
                    format!("{k}={}", mask_secret(&v))
                }),
            });
        }
    }
    out
}
