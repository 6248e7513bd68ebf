use crate::Severity;
use serde::{Deserialize, Serialize};
use std::fmt;

/// The rule families Palisade ships. A rule's family decides which scanner runs it and
/// where its documentation lives.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Serialize,
    Deserialize,
    schemars::JsonSchema,
)]
#[serde(rename_all = "kebab-case")]
pub enum RuleFamily {
    /// Dockerfile instructions (`DF…`).
    Dockerfile,
    /// The configuration and history of a built image (`IC…`).
    ImageConfig,
    /// Kubernetes manifests (`K8S…`).
    Kubernetes,
    /// Credentials in files, image configs and git history.
    Secret,
}

impl RuleFamily {
    pub const ALL: [RuleFamily; 4] = [
        RuleFamily::Dockerfile,
        RuleFamily::ImageConfig,
        RuleFamily::Kubernetes,
        RuleFamily::Secret,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            RuleFamily::Dockerfile => "dockerfile",
            RuleFamily::ImageConfig => "image-config",
            RuleFamily::Kubernetes => "kubernetes",
            RuleFamily::Secret => "secret",
        }
    }
}

impl fmt::Display for RuleFamily {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Static metadata every rule carries, next to its check (one file per rule).
#[derive(Debug, Clone, Serialize)]
pub struct RuleMeta {
    /// Stable ID, e.g. `DF001`, `K8S012`, `SEC-aws-access-key-id`.
    pub id: &'static str,
    pub family: RuleFamily,
    pub title: &'static str,
    pub severity: Severity,
    pub docs: RuleDocs,
    /// Equivalent checks of other tools (`DL3008`, `DS-0002`, `CKV_DOCKER_3`, `KSV-0017`, `C-0057`):
    /// the same check, measured so on the corpus where a peer runs (`docs/*-agreement.md`).
    /// Findings carry these, and `--ignore`/`only_rules` accept them as this rule's ID.
    pub related: &'static [&'static str],
    /// Checks of other tools about the same concern that fire on other inputs. They are not
    /// this rule's aliases (ignoring one does not silence this rule); each says how it differs.
    pub partial: &'static [Partial],
    /// Compliance controls (`NSA-...`, `CIS-5.2.1`, `PSS-baseline`).
    pub compliance: &'static [&'static str],
    pub references: &'static [&'static str],
}

/// A foreign check that overlaps a rule without being the same check.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Partial {
    /// The foreign ID, spelled as in `related`.
    pub id: &'static str,
    /// How it differs, e.g. "fires when no seccomp profile is set; this rule only on Unconfined".
    pub note: &'static str,
}

impl Partial {
    pub const fn new(id: &'static str, note: &'static str) -> Self {
        Partial { id, note }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct RuleDocs {
    /// Why it matters.
    pub why: &'static str,
    /// How to fix it.
    pub fix: &'static str,
    pub bad_example: &'static str,
    pub good_example: &'static str,
}

impl RuleMeta {
    /// Problems with this rule's docs, for the registry tests every family runs.
    pub fn docs_problems(&self) -> Vec<String> {
        let mut out = Vec::new();
        let checks = [
            ("id", self.id),
            ("title", self.title),
            ("why", self.docs.why),
            ("fix", self.docs.fix),
            ("bad_example", self.docs.bad_example),
            ("good_example", self.docs.good_example),
        ];
        for (field, value) in checks {
            if value.trim().is_empty() {
                out.push(format!("{}: empty {field}", self.id));
            }
        }
        for p in self.partial {
            if p.note.trim().is_empty() {
                out.push(format!("{}: partial {} has no note", self.id, p.id));
            }
            let id = canonical_rule_id(p.id);
            if self.related.iter().any(|r| canonical_rule_id(r) == id) {
                out.push(format!("{}: {} is both related and partial", self.id, p.id));
            }
        }
        out
    }

    /// Whether `id` names this rule, either by its own ID or a related foreign ID. Trivy's
    /// three spellings of one check (`KSV017`, `KSV-0017`, `AVD-KSV-0017`) are one ID.
    pub fn answers_to(&self, id: &str) -> bool {
        let id = canonical_rule_id(id);
        self.id.eq_ignore_ascii_case(&id)
            || self
                .related
                .iter()
                .any(|r| canonical_rule_id(r).eq_ignore_ascii_case(&id))
    }

    /// Whether `id` is this rule's ID, a related ID or a partially related one: for looking
    /// a rule up (`palisade rules KSV-0104`), never for selecting or silencing findings.
    pub fn mentions(&self, id: &str) -> bool {
        let canon = canonical_rule_id(id);
        self.answers_to(id)
            || self
                .partial
                .iter()
                .any(|p| canonical_rule_id(p.id).eq_ignore_ascii_case(&canon))
    }

    /// Markdown page for `docs/rules/`, generated from this metadata.
    pub fn to_markdown(&self) -> String {
        let mut s = format!(
            "# {} — {}\n\nFamily: `{}` · Severity: **{}**\n\n",
            self.id, self.title, self.family, self.severity
        );
        if !self.related.is_empty() {
            s.push_str(&format!("Related checks: {}\n\n", self.related.join(", ")));
        }
        if !self.partial.is_empty() {
            s.push_str("Partially related checks (same concern, not the same check):\n\n");
            for p in self.partial {
                s.push_str(&format!("- {}: {}\n", p.id, p.note.trim()));
            }
            s.push('\n');
        }
        if !self.compliance.is_empty() {
            s.push_str(&format!("Compliance: {}\n\n", self.compliance.join(", ")));
        }
        s.push_str(&format!(
            "## Why it matters\n\n{}\n\n",
            self.docs.why.trim()
        ));
        s.push_str(&format!("## How to fix\n\n{}\n\n", self.docs.fix.trim()));
        s.push_str(&format!(
            "## Bad\n\n```\n{}\n```\n\n",
            self.docs.bad_example.trim_end()
        ));
        s.push_str(&format!(
            "## Good\n\n```\n{}\n```\n",
            self.docs.good_example.trim_end()
        ));
        if !self.references.is_empty() {
            s.push_str("\n## References\n\n");
            for r in self.references {
                s.push_str(&format!("- {r}\n"));
            }
        }
        s
    }
}

/// Trivy's check IDs as its current releases print them (`KSV-0017`, `DS-0002`), whatever
/// the spelling: older releases printed `KSV017`, its database `AVD-KSV-0017`. Other IDs
/// are returned unchanged.
pub fn canonical_rule_id(id: &str) -> String {
    let trimmed = id.trim();
    let upper = trimmed.to_ascii_uppercase();
    let bare = upper.strip_prefix("AVD-").unwrap_or(&upper);
    for prefix in ["KSV", "DS", "KCV", "AWS", "AZU", "GCP"] {
        if let Some(rest) = bare.strip_prefix(prefix) {
            let digits = rest.strip_prefix('-').unwrap_or(rest);
            if !digits.is_empty() && digits.len() <= 4 && digits.bytes().all(|b| b.is_ascii_digit())
            {
                return format!("{prefix}-{digits:0>4}");
            }
        }
    }
    trimmed.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trivy_spellings_are_one_id() {
        for id in ["KSV017", "ksv-0017", "AVD-KSV-0017", "KSV-17"] {
            assert_eq!(canonical_rule_id(id), "KSV-0017", "{id}");
        }
        assert_eq!(canonical_rule_id("DS002"), "DS-0002");
        assert_eq!(canonical_rule_id("DL3008"), "DL3008");
        assert_eq!(canonical_rule_id("CKV_K8S_16"), "CKV_K8S_16");
        assert_eq!(canonical_rule_id("K8S005"), "K8S005");
    }

    fn meta(related: &'static [&'static str], partial: &'static [Partial]) -> RuleMeta {
        RuleMeta {
            id: "K8S012",
            family: RuleFamily::Kubernetes,
            title: "Seccomp explicitly unconfined",
            severity: Severity::High,
            docs: RuleDocs {
                why: "w",
                fix: "f",
                bad_example: "b",
                good_example: "g",
            },
            related,
            partial,
            compliance: &[],
            references: &[],
        }
    }

    #[test]
    fn partial_ids_find_the_rule_but_are_not_its_aliases() {
        let m = meta(
            &["kubesec:SeccompUnconfined"],
            &[Partial {
                id: "KSV-0104",
                note: "fires when no profile is set",
            }],
        );
        assert!(m.answers_to("kubesec:SeccompUnconfined"));
        assert!(!m.answers_to("KSV104"));
        assert!(m.mentions("AVD-KSV-0104"));
        assert!(m.docs_problems().is_empty());
        let page = m.to_markdown();
        assert!(
            page.contains("- KSV-0104: fires when no profile is set"),
            "{page}"
        );
    }

    #[test]
    fn a_partial_needs_a_note_and_cannot_also_be_related() {
        let m = meta(
            &["KSV-0104"],
            &[Partial {
                id: "KSV104",
                note: " ",
            }],
        );
        let problems = m.docs_problems();
        assert_eq!(problems.len(), 2, "{problems:?}");
    }
}
