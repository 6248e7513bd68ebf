//! Alerts as Falco's JSON output writes them.

use serde::Serialize;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Alert {
    pub rule: String,
    pub priority: String,
    /// RFC 3339 with nanoseconds, UTC: the event's time.
    pub time: String,
    /// `HH:MM:SS.nnnnnnnnn: Priority <formatted output>`, as Falco's JSON `output`.
    pub output: String,
    pub output_fields: serde_json::Map<String, serde_json::Value>,
    pub source: String,
    pub tags: Vec<String>,
    /// The machine that saw the event, as Falco's JSON output carries it.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub hostname: String,
    /// The object the event is about (Kubernetes kind/namespace/name), when the source knows.
    #[serde(skip)]
    pub object: Option<palisade_core::ObjectRef>,
    #[serde(skip)]
    pub priority_level: crate::rules::Priority,
}

/// `2024-01-02T03:04:05.123456789Z` and `03:04:05.123456789` for an event time.
pub fn times(ns: i64) -> (String, String) {
    let secs = ns.div_euclid(1_000_000_000);
    let nanos = ns.rem_euclid(1_000_000_000) as u32;
    match chrono::DateTime::from_timestamp(secs, nanos) {
        Some(t) => (
            t.format("%Y-%m-%dT%H:%M:%S%.9fZ").to_string(),
            t.format("%H:%M:%S%.9f").to_string(),
        ),
        None => (
            "1970-01-01T00:00:00.000000000Z".into(),
            "00:00:00.000000000".into(),
        ),
    }
}

/// This machine's name (Linux `/proc/sys/kernel/hostname`, else `HOSTNAME`), or empty.
pub fn local_hostname() -> String {
    std::fs::read_to_string("/proc/sys/kernel/hostname")
        .ok()
        .or_else(|| std::env::var("HOSTNAME").ok())
        .map(|h| h.trim().to_string())
        .unwrap_or_default()
}
