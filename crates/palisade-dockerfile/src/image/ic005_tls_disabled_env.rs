use super::{Config, ImageHit, ImageRule};
use crate::rules::disabling_var;
use palisade_core::{Partial, RuleDocs, RuleMeta, Severity};

pub static RULE: ImageRule = ImageRule {
    meta: RuleMeta {
        id: "IC005",
        family: palisade_core::RuleFamily::ImageConfig,
        title: "Environment disables TLS verification",
        severity: Severity::High,
        docs: RuleDocs {
            why: "Variables such as `NODE_TLS_REJECT_UNAUTHORIZED=0` or `GIT_SSL_NO_VERIFY` switch off certificate checks for every process in the container.",
            fix: "Remove the variable and install the needed CA certificate instead.",
            bad_example: "{\"config\": {\"Env\": [\"NODE_TLS_REJECT_UNAUTHORIZED=0\"]}}",
            good_example: "{\"config\": {\"Env\": [\"NODE_EXTRA_CA_CERTS=/etc/ssl/corp.pem\"]}}",
        },
        related: &["DF021"],
        partial: &[
            Partial::new(
                "CKV2_DOCKER_5",
                "This rule checks the built image's configuration; the foreign check reads the Dockerfile, whose Palisade equivalent is in `related`.",
            ),
            Partial::new(
                "CKV2_DOCKER_6",
                "This rule checks the built image's configuration; the foreign check reads the Dockerfile, whose Palisade equivalent is in `related`.",
            ),
            Partial::new(
                "CKV2_DOCKER_12",
                "This rule checks the built image's configuration; the foreign check reads the Dockerfile, whose Palisade equivalent is in `related`.",
            ),
            Partial::new(
                "CKV2_DOCKER_14",
                "This rule checks the built image's configuration; the foreign check reads the Dockerfile, whose Palisade equivalent is in `related`.",
            ),
            Partial::new(
                "CKV2_DOCKER_16",
                "This rule checks the built image's configuration; the foreign check reads the Dockerfile, whose Palisade equivalent is in `related`.",
            ),
        ],
        compliance: &[],
        references: &["https://cwe.mitre.org/data/definitions/295.html"],
    },
    check,
    fires: &["{\"config\": {\"Env\": [\"NODE_TLS_REJECT_UNAUTHORIZED=0\"]}}", "{\"config\": {\"Env\": [\"GIT_SSL_NO_VERIFY=1\"]}}"],
    passes: &["{\"config\": {\"Env\": [\"NODE_TLS_REJECT_UNAUTHORIZED=1\"]}}"],
};

fn check(c: &Config) -> Vec<ImageHit> {
    c.env()
        .into_iter()
        .filter(|(_, k, v)| disabling_var(k, v))
        .map(|(i, k, v)| ImageHit {
            field: format!("config.Env[{i}]"),
            message: format!("{k} disables TLS certificate verification"),
            evidence: Some(format!("{k}={v}")),
        })
        .collect()
}
