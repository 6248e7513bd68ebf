use super::history_script;
use super::{Config, ImageHit, ImageRule};
use crate::shell::Script;
use palisade_core::{RuleDocs, RuleMeta, Severity};

pub static RULE: ImageRule = ImageRule {
    meta: RuleMeta {
        id: "IC007",
        family: palisade_core::RuleFamily::ImageConfig,
        title: "Image history disables TLS or signature checks",
        severity: Severity::High,
        docs: RuleDocs {
            why: "A layer was built with certificate or package-signature checks switched off, so its content may come from anyone on the network path.",
            fix: "Rebuild without `curl -k`, `--no-check-certificate`, `--trusted-host`, `--allow-untrusted`, `--nogpgcheck` and similar options.",
            bad_example: "{\"history\": [{\"created_by\": \"/bin/sh -c curl -k https://x/app -o /app\"}]}",
            good_example: "{\"history\": [{\"created_by\": \"/bin/sh -c curl -fsSL https://x/app -o /app\"}]}",
        },
        related: &["DF021", "DF048"],
        partial: &[],
        compliance: &[],
        references: &["https://cwe.mitre.org/data/definitions/295.html"],
    },
    check,
    fires: &["{\"history\": [{\"created_by\": \"/bin/sh -c apk add --allow-untrusted x\"}]}", "{\"history\": [{\"created_by\": \"/bin/sh -c wget --no-check-certificate https://x\"}]}"],
    passes: &["{\"history\": [{\"created_by\": \"/bin/sh -c apk add --no-cache x\"}]}"],
};

fn check(c: &Config) -> Vec<ImageHit> {
    c.history()
        .into_iter()
        .filter_map(|(i, cb)| {
            let s = Script::parse(history_script(cb)?);
            let bad = s.commands.iter().any(|c| match c.name() {
                "curl" => c.has_opt(&['k'], &["insecure"]),
                "wget" => c.has_opt(&[], &["no-check-certificate"]),
                "apk" => c.has_opt(&[], &["allow-untrusted"]),
                "apt-get" | "apt" => c.has_opt(&[], &["allow-unauthenticated", "force-yes"]),
                "yum" | "dnf" | "tdnf" | "microdnf" => c.has_opt(&[], &["nogpgcheck"]),
                "rpm" => c.has_opt(&[], &["nosignature", "nodigest"]),
                n if n.starts_with("pip") => c.has_opt(&[], &["trusted-host"]),
                _ => false,
            });
            bad.then(|| ImageHit {
                field: format!("history[{i}].created_by"),
                message: "a layer was built with TLS or signature verification disabled".into(),
                evidence: Some(cb.chars().take(200).collect()),
            })
        })
        .collect()
}
