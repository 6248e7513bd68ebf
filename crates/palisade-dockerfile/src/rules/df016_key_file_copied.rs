use super::{Ctx, Hit, Rule};
use palisade_core::{Partial, RuleDocs, RuleMeta, Severity};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        id: "DF016",
        family: palisade_core::RuleFamily::Dockerfile,
        title: "Private key or credential file copied into the image",
        severity: Severity::Critical,
        docs: RuleDocs {
            why: "Files copied into a layer stay there even if a later step deletes them; keys and credential files become readable by anyone with the image.",
            fix: "Mount credentials only for the step that needs them (`RUN --mount=type=secret` or `--mount=type=ssh`).",
            bad_example: "COPY id_rsa /root/.ssh/id_rsa",
            good_example: "RUN --mount=type=ssh git clone git@github.com:org/repo.git",
        },
        related: &[],
        partial: &[
            Partial::new(
                "DS-0031",
                "Trivy's check covers secrets in ENV/ARG (DF015) and copied secret files together; this rule is the copied files only.",
            ),
        ],
        compliance: &["CIS-Docker-4.10"],
        references: &["https://docs.docker.com/build/building/secrets/"],
    },
    check,
    fires: &["COPY id_rsa /root/.ssh/", "ADD .npmrc /app/.npmrc", "COPY certs/server.key /etc/ssl/", "COPY .aws/credentials /root/.aws/"],
    passes: &["COPY app.py /app/", "COPY --from=build /out/key.pub /x", "COPY keys.go /src/"],
};

const NAMES: &[&str] = &[
    "id_rsa",
    "id_dsa",
    "id_ecdsa",
    "id_ed25519",
    ".npmrc",
    ".pypirc",
    ".netrc",
    ".git-credentials",
    ".htpasswd",
    "credentials",
    "credentials.json",
    ".dockercfg",
    "secrets.yml",
    "secrets.yaml",
    ".env",
    "service-account.json",
];
const EXTS: &[&str] = &[
    ".pem",
    ".key",
    ".p12",
    ".pfx",
    ".jks",
    ".keystore",
    ".ppk",
    ".gpg",
    ".asc",
];

pub fn secret_file(path: &str) -> bool {
    let base = path
        .trim_end_matches('/')
        .rsplit('/')
        .next()
        .unwrap_or(path);
    NAMES.contains(&base)
        || EXTS.iter().any(|e| base.ends_with(e))
        || path.contains(".ssh/")
        || path.contains(".docker/config.json")
}

fn check(ctx: &Ctx) -> Vec<Hit> {
    ctx.df
        .instructions
        .iter()
        .filter(|i| (i.is("COPY") || i.is("ADD")) && i.flag("from").is_none())
        .filter_map(|i| {
            let w = i.words();
            let srcs = w.get(..w.len().saturating_sub(1)).unwrap_or(&[]);
            let bad = srcs.iter().find(|s| !s.contains("://") && secret_file(s))?;
            Some(Hit {
                span: i.span,
                message: format!(
                    "{bad} looks like a key or credential file and is baked into a layer"
                ),
                evidence: Some(bad.clone()),
            })
        })
        .collect()
}
