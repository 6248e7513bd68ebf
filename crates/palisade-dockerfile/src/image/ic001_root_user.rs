use super::{Config, ImageHit, ImageRule};
use palisade_core::{RuleDocs, RuleMeta, Severity};

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
        related: &["DF004", "DF005", "DL3002", "DS-0002", "CKV_DOCKER_3", "CKV_DOCKER_8"],
        partial: &[],
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
