//! The last step before a report leaves the engine: every string that came from the target
//! (image config, build history, rule evidence and messages, warnings) is shown with the
//! values a secret rule recognises masked. Secret findings mask their own evidence; this
//! covers the text other analyzers quote.

use palisade_core::{LayerRef, TargetReport};
use palisade_secrets::Scanner;
use serde_json::Value;
use std::sync::OnceLock;

/// The default rules, built once per process, for scans that did not build a secret scanner.
pub(crate) fn default_scanner() -> Option<&'static Scanner> {
    static DEFAULT: OnceLock<Option<Scanner>> = OnceLock::new();
    DEFAULT
        .get_or_init(|| Scanner::new(Default::default()).ok())
        .as_ref()
}

fn text(s: &Scanner, t: &mut String) {
    if let Some(masked) = s.redact(t) {
        *t = masked;
    }
}

fn opt(s: &Scanner, t: &mut Option<String>) {
    if let Some(t) = t {
        text(s, t);
    }
}

fn json(s: &Scanner, v: &mut Value) {
    match v {
        Value::String(t) => text(s, t),
        Value::Array(items) => items.iter_mut().for_each(|i| json(s, i)),
        Value::Object(map) => map.values_mut().for_each(|i| json(s, i)),
        _ => {}
    }
}

fn layer(s: &Scanner, l: &mut Option<LayerRef>) {
    if let Some(l) = l {
        opt(s, &mut l.created_by);
    }
}

pub(crate) fn report(s: &Scanner, tr: &mut TargetReport) {
    if let Some(img) = &mut tr.image {
        json(s, &mut img.config);
        for l in &mut img.layers {
            opt(s, &mut l.created_by);
        }
    }
    for p in &mut tr.packages {
        layer(s, &mut p.layer);
        for l in &mut p.other_locations {
            layer(s, &mut l.layer);
        }
    }
    for f in &mut tr.findings {
        // Titles are user text too: a Rego policy may build one from the input.
        text(s, &mut f.title);
        text(s, &mut f.message);
        opt(s, &mut f.evidence);
        layer(s, &mut f.location.layer);
        for l in &mut f.other_locations {
            layer(s, &mut l.layer);
        }
        f.extra.values_mut().for_each(|v| json(s, v));
    }
    for e in &mut tr.errors {
        text(s, &mut e.message);
    }
}
