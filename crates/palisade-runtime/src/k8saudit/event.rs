//! Kubernetes audit events (`audit.k8s.io/v1` and `v1beta1`): one `Event`, an `EventList`,
//! or a JSON array of either, as the API server's log and webhook backends write them.

use serde_json::Value;

/// One audit event, parsed once; fields read from it without copying.
#[derive(Debug, Clone)]
pub struct AuditEvent {
    pub json: Value,
    /// `stageTimestamp`, nanoseconds since the epoch: Falco's event time for this source.
    pub time_ns: i64,
}

/// Why a document yielded no event. Callers warn and go on: one bad line must not stop a
/// replay or a webhook batch.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EventError {
    #[error("not JSON: {0}")]
    Json(String),
    #[error("data not recognized as a k8s audit event (kind is not Event or EventList)")]
    NotAudit,
    #[error("audit event without a readable stageTimestamp")]
    NoTimestamp,
    #[error("event larger than {limit} bytes")]
    TooLarge { limit: usize },
}

/// Largest single event accepted, as the plugin's default `maxEventSize`.
pub const MAX_EVENT_SIZE: usize = 256 * 1024 * 1024;

impl AuditEvent {
    pub fn from_value(json: Value) -> Result<AuditEvent, EventError> {
        let ts = json
            .get("stageTimestamp")
            .and_then(Value::as_str)
            .ok_or(EventError::NoTimestamp)?;
        let time_ns = chrono::DateTime::parse_from_rfc3339(ts)
            .ok()
            .and_then(|t| t.timestamp_nanos_opt())
            .ok_or(EventError::NoTimestamp)?;
        Ok(AuditEvent { json, time_ns })
    }
}

/// Every event in one JSON document. Items of an `EventList` that are not events come back
/// as errors beside the good ones.
pub fn parse_document(doc: Value) -> Vec<Result<AuditEvent, EventError>> {
    match doc {
        Value::Array(items) => items.into_iter().flat_map(parse_document).collect(),
        Value::Object(mut m) => match m.get("kind").and_then(Value::as_str) {
            Some("EventList") => match m.remove("items") {
                Some(Value::Array(items)) => {
                    items.into_iter().map(AuditEvent::from_value).collect()
                }
                _ => vec![Err(EventError::NotAudit)],
            },
            Some("Event") => vec![AuditEvent::from_value(Value::Object(m))],
            _ => vec![Err(EventError::NotAudit)],
        },
        _ => vec![Err(EventError::NotAudit)],
    }
}

/// Parses bytes holding one document or JSON lines (a log file). Line numbers (1-based) go
/// with each error.
pub fn parse_bytes(data: &[u8]) -> Vec<(usize, Result<AuditEvent, EventError>)> {
    let text = String::from_utf8_lossy(data);
    let trimmed = text.trim_start();
    // A whole-document parse first: an EventList or an array spans many lines.
    if trimmed.starts_with('[') || !text.trim_end().contains('\n') {
        return match serde_json::from_str::<Value>(&text) {
            Ok(v) => parse_document(v).into_iter().map(|r| (1, r)).collect(),
            Err(e) => vec![(1, Err(EventError::Json(e.to_string())))],
        };
    }
    if let Ok(v) = serde_json::from_str::<Value>(&text) {
        return parse_document(v).into_iter().map(|r| (1, r)).collect();
    }
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        match serde_json::from_str::<Value>(line) {
            Ok(v) => out.extend(parse_document(v).into_iter().map(|r| (i + 1, r))),
            Err(e) => out.push((i + 1, Err(EventError::Json(e.to_string())))),
        }
    }
    out
}
