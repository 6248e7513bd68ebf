use super::{Ctx, Hit, Rule};
use crate::shell::Command;
use palisade_core::{Partial, RuleDocs, RuleMeta, Severity};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        id: "DF021",
        family: palisade_core::RuleFamily::Dockerfile,
        title: "TLS certificate verification disabled",
        severity: Severity::High,
        docs: RuleDocs {
            why: "Without certificate checks any network attacker can swap the packages, scripts or repositories the build downloads.",
            fix: "Remove `-k`/`--insecure`, `--no-check-certificate`, `--trusted-host`, `GIT_SSL_NO_VERIFY`, `NODE_TLS_REJECT_UNAUTHORIZED=0`, `PYTHONHTTPSVERIFY=0`, `strict-ssl false` and `sslverify=0`; add the needed CA certificate instead.",
            bad_example: "RUN curl -k https://example.com/install.sh -o install.sh",
            good_example: "COPY corp-ca.crt /usr/local/share/ca-certificates/\nRUN update-ca-certificates && curl -fsSLo install.sh https://example.com/install.sh",
        },
        related: &[],
        partial: &[
            Partial::new(
                "CKV2_DOCKER_2",
                "Checkov's check covers one way of turning verification off, `curl -k`/`--insecure`; this rule covers all of them (Checkov's CKV2_DOCKER_2 to 6 and 12 to 16).",
            ),
            Partial::new(
                "CKV2_DOCKER_3",
                "Checkov's check covers one way of turning verification off, `wget --no-check-certificate`; this rule covers all of them (Checkov's CKV2_DOCKER_2 to 6 and 12 to 16).",
            ),
            Partial::new(
                "CKV2_DOCKER_4",
                "Checkov's check covers one way of turning verification off, `pip --trusted-host`; this rule covers all of them (Checkov's CKV2_DOCKER_2 to 6 and 12 to 16).",
            ),
            Partial::new(
                "CKV2_DOCKER_5",
                "Checkov's check covers one way of turning verification off, `PYTHONHTTPSVERIFY=0`; this rule covers all of them (Checkov's CKV2_DOCKER_2 to 6 and 12 to 16).",
            ),
            Partial::new(
                "CKV2_DOCKER_6",
                "Checkov's check covers one way of turning verification off, `NODE_TLS_REJECT_UNAUTHORIZED=0`; this rule covers all of them (Checkov's CKV2_DOCKER_2 to 6 and 12 to 16).",
            ),
            Partial::new(
                "CKV2_DOCKER_12",
                "Checkov's check covers one way of turning verification off, `NPM_CONFIG_STRICT_SSL=false`; this rule covers all of them (Checkov's CKV2_DOCKER_2 to 6 and 12 to 16).",
            ),
            Partial::new(
                "CKV2_DOCKER_13",
                "Checkov's check covers one way of turning verification off, `npm config set strict-ssl false`; this rule covers all of them (Checkov's CKV2_DOCKER_2 to 6 and 12 to 16).",
            ),
            Partial::new(
                "CKV2_DOCKER_14",
                "Checkov's check covers one way of turning verification off, `GIT_SSL_NO_VERIFY`; this rule covers all of them (Checkov's CKV2_DOCKER_2 to 6 and 12 to 16).",
            ),
            Partial::new(
                "CKV2_DOCKER_15",
                "Checkov's check covers one way of turning verification off, `yum-config-manager --setopt=sslverify=false`; this rule covers all of them (Checkov's CKV2_DOCKER_2 to 6 and 12 to 16).",
            ),
            Partial::new(
                "CKV2_DOCKER_16",
                "Checkov's check covers one way of turning verification off, `PIP_TRUSTED_HOST`; this rule covers all of them (Checkov's CKV2_DOCKER_2 to 6 and 12 to 16).",
            ),
        ],
        compliance: &[],
        references: &["https://cwe.mitre.org/data/definitions/295.html"],
    },
    check,
    fires: &[
        "RUN curl -Lkv https://x",
        "RUN wget --no-check-certificate https://x",
        "RUN pip --trusted-host=pypi.org install x",
        "ENV GIT_SSL_NO_VERIFY=1",
        "ARG NODE_TLS_REJECT_UNAUTHORIZED 0",
        "RUN export PYTHONHTTPSVERIFY=0 && python x.py",
        "ENV npm_config_strict_ssl=false",
        "RUN yarn config set strict-ssl false",
        "RUN yum-config-manager --save --setopt=\\*.sslverify=0",
    ],
    passes: &[
        "RUN curl -lol https://x | grep -k y",
        "RUN wget https://x && echo --no-check-certificate",
        "ENV NODE_TLS_REJECT_UNAUTHORIZED=1",
        "ENV ASDFGIT_SSL_NO_VERIFY=1",
        "RUN npm config set strict-ssl true || false",
        "RUN yum-config-manager --save --setopt=sslverify=1",
    ],
};

/// Environment variables that disable verification, and the values that do it (`None`: any).
const VARS: &[(&str, Option<&[&str]>)] = &[
    ("GIT_SSL_NO_VERIFY", None),
    ("PIP_TRUSTED_HOST", None),
    ("NODE_TLS_REJECT_UNAUTHORIZED", Some(&["0"])),
    ("PYTHONHTTPSVERIFY", Some(&["0"])),
    ("NPM_CONFIG_STRICT_SSL", Some(&["false"])),
    ("YARN_STRICT_SSL", Some(&["false"])),
];

pub fn disabling_var(k: &str, v: &str) -> bool {
    VARS.iter().any(|(name, vals)| {
        name.eq_ignore_ascii_case(k)
            && vals.is_none_or(|vs| vs.iter().any(|x| x.eq_ignore_ascii_case(v.trim())))
    })
}

fn assignment(a: &str) -> bool {
    a.split_once('=').is_some_and(|(k, v)| disabling_var(k, v))
}

fn insecure_command(c: &Command) -> bool {
    let name = c.name();
    let args = c.args();
    if c.assigns.iter().any(|a| assignment(a))
        || (name == "export" && args.iter().any(|a| assignment(a)))
    {
        return true;
    }
    match name {
        "curl" => c.has_opt(&['k'], &["insecure", "proxy-insecure"]),
        "wget" => c.has_opt(&[], &["no-check-certificate"]),
        "git" => {
            args.iter()
                .any(|a| a.eq_ignore_ascii_case("http.sslVerify=false"))
                || args
                    .windows(2)
                    .any(|w| w[0].eq_ignore_ascii_case("http.sslVerify") && w[1] == "false")
        }
        "npm" | "yarn" | "pnpm" => strict_ssl_off(args),
        "yum-config-manager" | "dnf-config-manager" => sslverify_off(args),
        "yum" | "dnf" | "microdnf" if args.iter().any(|a| a == "config-manager") => {
            sslverify_off(args)
        }
        n if n.starts_with("pip") => c.has_opt(&[], &["trusted-host"]),
        _ => false,
    }
}

fn strict_ssl_off(args: &[String]) -> bool {
    let Some(set) = args.iter().position(|a| a == "set") else {
        return false;
    };
    let rest = &args[set + 1..];
    match rest.first().map(String::as_str) {
        Some("strict-ssl") => rest.get(1).is_some_and(|v| v == "false"),
        Some(kv) => kv.strip_prefix("strict-ssl=").is_some_and(|v| v == "false"),
        None => false,
    }
}

fn sslverify_off(args: &[String]) -> bool {
    args.iter()
        .filter_map(|a| a.strip_prefix("--setopt="))
        .any(|kv| {
            kv.rsplit_once('=').is_some_and(|(k, v)| {
                k.to_ascii_lowercase().ends_with("sslverify")
                    && matches!(v.to_ascii_lowercase().as_str(), "0" | "false" | "no")
            })
        })
}

fn check(ctx: &Ctx) -> Vec<Hit> {
    let mut out: Vec<Hit> = ctx
        .runs()
        .filter(|(_, _, s)| s.commands.iter().any(insecure_command))
        .map(|(_, ins, _)| Hit::at(ins, "TLS certificate verification is disabled"))
        .collect();
    for ins in ctx
        .df
        .instructions
        .iter()
        .filter(|i| i.is("ENV") || i.is("ARG"))
    {
        if let Some((k, _)) = ins
            .pairs()
            .into_iter()
            .find(|(k, v)| disabling_var(k, v.as_deref().unwrap_or("")))
        {
            out.push(Hit::at(
                ins,
                format!("{k} disables TLS certificate verification"),
            ));
        }
    }
    out.sort_by_key(|h| h.span.start_line);
    out
}
