use super::{Config, ImageHit, ImageRule};
use palisade_core::{Partial, RuleDocs, RuleMeta, Severity};

pub static RULE: ImageRule = ImageRule {
    meta: RuleMeta {
        id: "IC003",
        family: palisade_core::RuleFamily::ImageConfig,
        title: "Image has no HEALTHCHECK",
        severity: Severity::Low,
        docs: RuleDocs {
            why: "Without a health check the engine cannot detect a hung service.",
            fix: "Rebuild with a `HEALTHCHECK`, or rely on orchestrator probes explicitly (`HEALTHCHECK NONE`).",
            bad_example: "{\"config\": {}}",
            good_example: "{\"config\": {\"Healthcheck\": {\"Test\": [\"CMD\", \"/app\", \"health\"]}}}",
        },
        related: &["DF023"],
        partial: &[
            Partial::new(
                "DS-0026",
                "This rule checks the built image's configuration; the foreign check reads the Dockerfile, whose Palisade equivalent is in `related`.",
            ),
            Partial::new(
                "CKV_DOCKER_2",
                "This rule checks the built image's configuration; the foreign check reads the Dockerfile, whose Palisade equivalent is in `related`.",
            ),
        ],
        compliance: &["CIS-Docker-4.6"],
        references: &["https://docs.docker.com/reference/dockerfile/#healthcheck"],
    },
    check,
    fires: &["{\"config\": {\"User\": \"1\"}}"],
    passes: &["{\"config\": {\"Healthcheck\": {\"Test\": [\"NONE\"]}}}"],
};

fn check(c: &Config) -> Vec<ImageHit> {
    if c.inner.get("Healthcheck").is_some_and(|h| !h.is_null()) {
        return Vec::new();
    }
    vec![ImageHit {
        field: "config.Healthcheck".into(),
        message: "the image defines no health check".into(),
        evidence: None,
    }]
}
