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

/// Whether `a` rates an advisory better than `b`: a CVSS score beats a stated word (it was
/// computed from the vector), then the higher score or word wins.
pub fn better(a: &Rating, b: &Rating) -> bool {
    match (a.score, b.score) {
        (Some(x), Some(y)) => x > y,
        (Some(_), None) => true,
        (None, Some(_)) => false,
        (None, None) => a.severity > b.severity,
    }
}

/// The best rating a record gives anywhere: its own severity and each affected entry's.
/// Used for an alias's record, whose affected entries need not be about the package at hand
/// (a CVE record, a GHSA for another ecosystem) but still rate the same flaw.
pub fn record_rating(record: &OsvRecord) -> Rating {
    let mut best = rate(record, &Affected::default());
    for entry in &record.affected {
        let r = rate(record, entry);
        if better(&r, &best) {
            best = r;
        }
    }
    best
}

/// The rating a finding shows, in the order of trust: the advisory's own CVSS vector, then an
/// alias record's CVSS vector, then the advisory's stated rating (GHSA
/// `database_specific.severity`, Debian urgency, Ubuntu priority), then the alias's stated
/// rating. `alias` names the record a rating came from; `None` means the advisory's own.
pub fn choose(own: Rating, alias: Option<(String, Rating)>) -> (Rating, Option<String>) {
    let Some((id, theirs)) = alias else {
        return (own, None);
    };
    let own_cvss = own.score.is_some();
    let own_stated = own.severity != Severity::Unknown;
    let keep_own =
        own_cvss || (theirs.score.is_none() && own_stated) || theirs.severity == Severity::Unknown;
    if keep_own {
        (own, None)
    } else {
        (theirs, Some(id))
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

    fn stated(sev: Severity) -> Rating {
        Rating {
            severity: sev,
            ..Default::default()
        }
    }

    fn scored(score: f64) -> Rating {
        Rating {
            severity: Severity::from_cvss_score(score),
            score: Some(score),
            vector: Some("CVSS:3.1/…".into()),
        }
    }

    #[test]
    fn own_vector_then_alias_vector_then_own_word_then_alias_word() {
        let alias = |r: Rating| Some(("GHSA-alias".to_string(), r));
        let pick = |own: Rating, theirs: Option<(String, Rating)>| {
            let (r, from) = choose(own, theirs);
            (r.severity, from.is_some())
        };
        assert_eq!(
            pick(scored(5.0), alias(scored(9.8))),
            (Severity::Medium, false)
        );
        assert_eq!(
            pick(stated(Severity::Low), alias(scored(9.8))),
            (Severity::Critical, true)
        );
        assert_eq!(
            pick(stated(Severity::Low), alias(stated(Severity::High))),
            (Severity::Low, false)
        );
        assert_eq!(
            pick(stated(Severity::Unknown), alias(stated(Severity::High))),
            (Severity::High, true)
        );
        assert_eq!(
            pick(stated(Severity::Unknown), alias(stated(Severity::Unknown))),
            (Severity::Unknown, false)
        );
        assert_eq!(
            pick(stated(Severity::Unknown), None),
            (Severity::Unknown, false)
        );
    }

    #[test]
    fn an_alias_record_rates_through_any_of_its_entries() {
        let rec = OsvRecord {
            id: "GHSA-x".into(),
            affected: vec![
                Affected::default(),
                Affected {
                    severity: vec![sev(
                        "CVSS_V3",
                        "CVSS:3.1/AV:N/AC:H/PR:N/UI:R/S:U/C:H/I:N/A:N",
                    )],
                    ..Default::default()
                },
            ],
            database_specific: Some(serde_json::json!({"severity": "LOW"})),
            ..Default::default()
        };
        let r = record_rating(&rec);
        assert_eq!((r.score, r.severity), (Some(5.3), Severity::Medium));
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
