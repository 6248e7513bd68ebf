//! The Kubernetes audit event source (`source: k8s_audit`).

pub mod event;
pub mod extract;
pub mod fields;

pub use event::{parse_bytes, parse_document, AuditEvent, EventError};

use crate::fields::{BoundField, EventSource, Extracted, FieldCatalog, FieldDef};
use std::borrow::Cow;

/// Falco's source name for audit rules.
pub const SOURCE: &str = "k8s_audit";

#[derive(Debug, Default, Clone, Copy)]
pub struct K8sAudit;

impl FieldCatalog for K8sAudit {
    fn source(&self) -> &'static str {
        SOURCE
    }

    fn fields(&self) -> &[FieldDef] {
        fields::table()
    }

    fn index_field(&self) -> Option<&'static str> {
        Some("ka.verb")
    }

    fn sub_index_field(&self) -> Option<&'static str> {
        Some("ka.target.resource")
    }
}

impl EventSource for K8sAudit {
    type Event = AuditEvent;

    fn extract<'e>(&self, field: &BoundField, event: &'e AuditEvent) -> Extracted<'e> {
        extract::extract(field, event)
    }

    fn index_key<'e>(&self, event: &'e AuditEvent) -> Option<Cow<'e, str>> {
        event
            .json
            .get("verb")
            .and_then(|v| v.as_str())
            .map(Cow::Borrowed)
    }

    fn sub_index_key<'e>(&self, event: &'e AuditEvent) -> Option<Cow<'e, str>> {
        event
            .json
            .get("objectRef")
            .and_then(|o| o.get("resource"))
            .and_then(|v| v.as_str())
            .map(Cow::Borrowed)
    }

    fn time_ns(&self, event: &AuditEvent) -> i64 {
        event.time_ns
    }

    fn object(&self, event: &AuditEvent) -> Option<palisade_core::ObjectRef> {
        let r = event.json.get("objectRef")?;
        let s = |k: &str| r.get(k).and_then(|v| v.as_str()).map(str::to_string);
        Some(palisade_core::ObjectRef {
            api_version: s("apiVersion"),
            kind: s("resource").unwrap_or_default(),
            namespace: s("namespace"),
            name: s("name").unwrap_or_default(),
            field_path: s("subresource"),
        })
    }
}
