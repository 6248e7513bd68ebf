use super::{Config, ImageHit, ImageRule};
use palisade_core::{Partial, RuleDocs, RuleMeta, Severity};

pub static RULE: ImageRule = ImageRule {
    meta: RuleMeta {
        id: "IC001",
        family: palisade_core::RuleFamily::ImageConfig,
        title: "Image runs as root",
        severity: Severity::High,
        docs: RuleDocs {
            why: "An empty or root `config.User` means the container runs as root unless every deployment overrides it.",
            fix: "Rebuild with `USER <non-root uid>` in the final stage.",
            bad_example: "{\"config\": {\"User\": \"\"}}",
            good_example: "{\"config\": {\"User\": \"10001\"}}",
        },
        related: &["DF004", "DF005"],
        partial: &[
            Partial::new(
                "DL3002",
                "This rule checks the built image's configuration; the foreign check reads the Dockerfile, whose Palisade equivalent is in `related`.",
            ),
            Partial::new(
                "DS-0002",
                "This rule checks the built image's configuration; the foreign check reads the Dockerfile, whose Palisade equivalent is in `related`.",
            ),
            Partial::new(
                "CKV_DOCKER_3",
                "This rule checks the built image's configuration; the foreign check reads the Dockerfile, whose Palisade equivalent is in `related`.",
            ),
            Partial::new(
                "CKV_DOCKER_8",
                "This rule checks the built image's configuration; the foreign check reads the Dockerfile, whose Palisade equivalent is in `related`.",
            ),
        ],
        compliance: &["CIS-Docker-4.1"],
        references: &["https://github.com/opencontainers/image-spec/blob/main/config.md"],
    },
    check,
    fires: &["{\"config\": {}}", "{\"config\": {\"User\": \"root\"}}", "{\"config\": {\"User\": \"0:0\"}}"],
    passes: &["{\"config\": {\"User\": \"10001\"}}", "{\"config\": {\"User\": \"app:app\"}}"],
};

fn check(c: &Config) -> Vec<ImageHit> {
    let user = c.user().unwrap_or("");
    let name = user.split(':').next().unwrap_or("");
    if name.is_empty() || name == "root" || name == "0" {
        return vec![ImageHit {
            field: "config.User".into(),
            message: format!("the image runs as root (User={user:?})"),
            evidence: Some(user.to_string()),
        }];
    }
    Vec::new()
}
