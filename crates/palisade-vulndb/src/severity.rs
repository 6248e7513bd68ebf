//! Severity of an advisory: a CVSS v4 or v3.x vector scored with the `cvss` crate when the
//! record has one, else the rating the database states (GHSA `database_specific.severity`,
//! Debian `urgency`, Ubuntu priority).

use crate::osv::{Affected, OsvRecord, OsvSeverity};
use palisade_core::Severity;
use serde_json::Value;
use std::str::FromStr;

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Rating {
    pub severity: Severity,
    pub score: Option<f64>,
    pub vector: Option<String>,
}

fn cvss_rating(list: &[OsvSeverity]) -> Option<Rating> {
    let mut best: Option<Rating> = None;
    for kind in ["CVSS_V4", "CVSS_V3"] {
        for s in list.iter().filter(|s| s.kind == kind) {
            if let Ok(c) = cvss::Cvss::from_str(s.score.trim()) {
                let score = c.score();
                if best
                    .as_ref()
                    .and_then(|b| b.score)
                    .is_none_or(|b| score > b)
                {
                    best = Some(Rating {
                        severity: Severity::from_cvss_score(score),
                        score: Some(score),
                        vector: Some(s.score.trim().to_string()),
                    });
                }
            }
        }
        if best.is_some() {
            return best;
        }
    }
    best
}

fn word(s: &str) -> Option<Severity> {
    match s.trim().to_ascii_lowercase().as_str() {
        "unimportant" | "negligible" => Some(Severity::Low),
        "not yet assigned" | "end-of-life" | "untriaged" | "" => None,
        other => Severity::from_str(other).ok(),
    }
}

fn stated(v: Option<&Value>) -> Option<Severity> {
    let v = v?;
    ["severity", "urgency", "priority"]
        .iter()
        .find_map(|k| v.get(k).and_then(Value::as_str).and_then(word))
}

pub fn rate(record: &OsvRecord, entry: &Affected) -> Rating {
    if let Some(r) = cvss_rating(&entry.severity).or_else(|| cvss_rating(&record.severity)) {
        return r;
    }
    let textual = entry
        .severity
        .iter()
        .chain(record.severity.iter())
        .filter(|s| !s.kind.starts_with("CVSS"))
        .find_map(|s| word(&s.score))
        .or_else(|| stated(entry.ecosystem_specific.as_ref()))
        .or_else(|| stated(entry.database_specific.as_ref()))
        .or_else(|| stated(record.database_specific.as_ref()));
    Rating {
        severity: textual.unwrap_or_default(),
        ..Default::default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sev(kind: &str, score: &str) -> OsvSeverity {
        OsvSeverity {
            kind: kind.into(),
            score: score.into(),
        }
    }

    #[test]
    fn cvss_v3_vector_is_scored() {
        let rec = OsvRecord {
            id: "X".into(),
            severity: vec![sev(
                "CVSS_V3",
                "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H",
            )],
            ..Default::default()
        };
        let r = rate(&rec, &Affected::default());
        assert_eq!(r.score, Some(9.8));
        assert_eq!(r.severity, Severity::Critical);
    }

    #[test]
    fn cvss_v4_vector_is_scored() {
        let rec = OsvRecord {
            id: "X".into(),
            severity: vec![sev(
                "CVSS_V4",
                "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N",
            )],
            ..Default::default()
        };
        let r = rate(&rec, &Affected::default());
        assert_eq!(r.score, Some(9.3));
        assert_eq!(r.severity, Severity::Critical);
    }

    #[test]
    fn stated_ratings_when_no_vector() {
        let rec = OsvRecord {
            id: "GHSA-x".into(),
            severity: vec![sev("CVSS_V3", "garbage")],
            database_specific: Some(serde_json::json!({"severity": "MODERATE"})),
            ..Default::default()
        };
        assert_eq!(rate(&rec, &Affected::default()).severity, Severity::Medium);
        let deb = Affected {
            ecosystem_specific: Some(serde_json::json!({"urgency": "unimportant"})),
            ..Default::default()
        };
        let plain = OsvRecord::default();
        assert_eq!(rate(&plain, &deb).severity, Severity::Low);
        let ubuntu = Affected {
            severity: vec![sev("Ubuntu", "high")],
            ..Default::default()
        };
        assert_eq!(rate(&plain, &ubuntu).severity, Severity::High);
        assert_eq!(
            rate(&plain, &Affected::default()).severity,
            Severity::Unknown
        );
    }
}
