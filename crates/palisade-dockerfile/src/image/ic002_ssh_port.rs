use super::{Config, ImageHit, ImageRule};
use palisade_core::{Partial, RuleDocs, RuleMeta, Severity};

pub static RULE: ImageRule = ImageRule {
    meta: RuleMeta {
        id: "IC002",
        family: palisade_core::RuleFamily::ImageConfig,
        title: "Image exposes SSH port 22",
        severity: Severity::Medium,
        docs: RuleDocs {
            why: "An SSH port in a container image signals an SSH daemon: an extra way in with its own credentials.",
            fix: "Remove the SSH server and `EXPOSE 22`; use exec for debugging.",
            bad_example: "{\"config\": {\"ExposedPorts\": {\"22/tcp\": {}}}}",
            good_example: "{\"config\": {\"ExposedPorts\": {\"8080/tcp\": {}}}}",
        },
        related: &["DF022"],
        partial: &[
            Partial::new(
                "DS-0004",
                "This rule checks the built image's configuration; the foreign check reads the Dockerfile, whose Palisade equivalent is in `related`.",
            ),
            Partial::new(
                "CKV_DOCKER_1",
                "This rule checks the built image's configuration; the foreign check reads the Dockerfile, whose Palisade equivalent is in `related`.",
            ),
        ],
        compliance: &[],
        references: &["https://github.com/opencontainers/image-spec/blob/main/config.md"],
    },
    check,
    fires: &["{\"config\": {\"ExposedPorts\": {\"22/tcp\": {}}}}"],
    passes: &["{\"config\": {\"ExposedPorts\": {\"8080/tcp\": {}, \"2222/tcp\": {}}}}", "{\"config\": {}}"],
};

fn check(c: &Config) -> Vec<ImageHit> {
    let Some(ports) = c.inner.get("ExposedPorts").and_then(|p| p.as_object()) else {
        return Vec::new();
    };
    ports
        .keys()
        .filter(|k| k.split('/').next() == Some("22"))
        .map(|k| ImageHit {
            field: format!("config.ExposedPorts[{k}]"),
            message: "port 22 (SSH) is exposed".into(),
            evidence: Some(k.clone()),
        })
        .collect()
}
