use super::{Config, ImageHit, ImageRule};
use crate::rules::secret_name;
use palisade_core::{Partial, RuleDocs, RuleMeta, Severity};

pub static RULE: ImageRule = ImageRule {
    meta: RuleMeta {
        id: "IC008",
        family: palisade_core::RuleFamily::ImageConfig,
        title: "Secret build argument recorded in image history",
        severity: Severity::Critical,
        docs: RuleDocs {
            why: "Build arguments used by RUN are written into `history[].created_by` (`|1 TOKEN=... /bin/sh -c ...`), where anyone who pulls the image can read them.",
            fix: "Pass secrets with `RUN --mount=type=secret`; rebuild and rotate the leaked value.",
            bad_example: "{\"history\": [{\"created_by\": \"|1 NPM_TOKEN=abcd1234efgh /bin/sh -c npm ci\"}]}",
            good_example: "{\"history\": [{\"created_by\": \"RUN /bin/sh -c npm ci # buildkit\"}]}",
        },
        related: &["DF015"],
        partial: &[
            Partial::new(
                "DS-0031",
                "This rule checks the built image's configuration; the foreign check reads the Dockerfile, whose Palisade equivalent is in `related`.",
            ),
        ],
        compliance: &["CIS-Docker-4.10"],
        references: &["https://docs.docker.com/build/building/secrets/"],
    },
    check,
    fires: &["{\"history\": [{\"created_by\": \"|2 A=1 NPM_TOKEN=abcd1234efgh /bin/sh -c npm ci\"}]}"],
    passes: &["{\"history\": [{\"created_by\": \"|1 VERSION=1.2 /bin/sh -c make\"}]}"],
};

fn check(c: &Config) -> Vec<ImageHit> {
    c.history()
        .into_iter()
        .filter_map(|(i, cb)| {
            let rest = cb
                .trim_start()
                .strip_prefix("RUN ")
                .unwrap_or(cb.trim_start())
                .strip_prefix('|')?;
            let args = rest.split("/bin/sh -c").next().unwrap_or("");
            let (k, v) = args
                .split_whitespace()
                .skip(1)
                .filter_map(|w| w.split_once('='))
                .find(|(k, v)| secret_name(k) && !v.is_empty())?;
            Some(ImageHit {
                field: format!("history[{i}].created_by"),
                message: format!("build argument {k} is recorded in the image history"),
                evidence: Some(format!("{k}={}", palisade_core::mask_secret(v))),
            })
        })
        .collect()
}
