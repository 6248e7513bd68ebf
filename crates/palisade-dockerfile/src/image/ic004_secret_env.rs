use super::{Config, ImageHit, ImageRule};
use crate::rules::secret_name;
use palisade_core::{Partial, RuleDocs, RuleMeta, Severity};

pub static RULE: ImageRule = ImageRule {
    meta: RuleMeta {
        id: "IC004",
        family: palisade_core::RuleFamily::ImageConfig,
        title: "Secret in image environment",
        severity: Severity::Critical,
        docs: RuleDocs {
            why: "`config.Env` is readable by anyone who can pull the image.",
            fix: "Inject secrets at run time (orchestrator secrets, mounted files); rebuild without them and rotate the leaked value.",
            bad_example: "{\"config\": {\"Env\": [\"DB_PASSWORD=hunter2hunter2\"]}}",
            good_example: "{\"config\": {\"Env\": [\"DB_PASSWORD_FILE=/run/secrets/db\"]}}",
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
    fires: &["{\"config\": {\"Env\": [\"DB_PASSWORD=hunter2hunter2\"]}}"],
    passes: &["{\"config\": {\"Env\": [\"PATH=/usr/bin\", \"DB_PASSWORD_FILE=/run/secrets/db\", \"API_TOKEN=\"]}}"],
};

fn check(c: &Config) -> Vec<ImageHit> {
    c.env()
        .into_iter()
        .filter(|(_, k, v)| secret_name(k) && !v.is_empty())
        .map(|(i, k, v)| ImageHit {
            field: format!("config.Env[{i}]"),
            message: format!("{k} looks like a secret stored in the image config"),
            evidence: Some(format!("{k}={}", palisade_core::mask_secret(v))),
        })
        .collect()
}
