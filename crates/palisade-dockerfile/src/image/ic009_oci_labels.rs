use super::{Config, ImageHit, ImageRule};
use palisade_core::{RuleDocs, RuleMeta, Severity};

pub static RULE: ImageRule = ImageRule {
    meta: RuleMeta {
        id: "IC009",
        family: palisade_core::RuleFamily::ImageConfig,
        title: "Image has no OCI source label",
        severity: Severity::Low,
        docs: RuleDocs {
            why: "Without `org.opencontainers.image.source` an image cannot be traced back to its code during an incident.",
            fix: "Rebuild with `LABEL org.opencontainers.image.source=<repo URL>` (and revision).",
            bad_example: "{\"config\": {\"Labels\": {}}}",
            good_example: "{\"config\": {\"Labels\": {\"org.opencontainers.image.source\": \"https://github.com/org/app\"}}}",
        },
        related: &["DF024"],
        partial: &[],
        compliance: &[],
        references: &["https://github.com/opencontainers/image-spec/blob/main/annotations.md"],
    },
    check,
    fires: &["{\"config\": {\"Labels\": {\"a\": \"b\"}}}"],
    passes: &["{\"config\": {\"Labels\": {\"org.opencontainers.image.source\": \"https://x\"}}}"],
};

fn check(c: &Config) -> Vec<ImageHit> {
    let has = c
        .inner
        .get("Labels")
        .and_then(|l| l.get("org.opencontainers.image.source"))
        .is_some();
    if has {
        return Vec::new();
    }
    vec![ImageHit {
        field: "config.Labels".into(),
        message: "the image has no org.opencontainers.image.source label".into(),
        evidence: None,
    }]
}
