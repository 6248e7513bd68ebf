//! Alerts as Palisade findings, so reports, severity filters and suppression apply.

use super::alert::Alert;
use palisade_core::{Finding, FindingKind, Location};

pub fn to_finding(a: &Alert) -> Finding {
    let location = Location {
        object: a.object.clone(),
        ..Default::default()
    };
    let mut f = Finding::new(
        a.rule.clone(),
        FindingKind::Detection,
        a.priority_level.severity(),
        a.rule.clone(),
        a.output.clone(),
        location,
    );
    f.extra.insert("source".into(), a.source.clone().into());
    f.extra.insert("time".into(), a.time.clone().into());
    f.extra.insert("priority".into(), a.priority.clone().into());
    f.extra.insert("tags".into(), a.tags.clone().into());
    f.extra
        .insert("output_fields".into(), a.output_fields.clone().into());
    f
}
