//! One line saying where a finding is, shared by the HTML, JUnit and GitHub formats.

use palisade_core::{Finding, Location};

/// `path:line Kind/ns/name [layer N]`, or the purl when nothing else locates it.
pub(crate) fn location_text(l: &Location) -> String {
    place(l, true)
}

/// [`location_text`] without the layer, for reports that show the layer apart.
pub(crate) fn location_without_layer(l: &Location) -> String {
    place(l, false)
}

fn place(l: &Location, with_layer: bool) -> String {
    let mut s = l.path.clone().unwrap_or_default();
    if let Some(span) = l.span.filter(|s| s.start_line > 0) {
        s.push_str(&format!(":{}", span.start_line));
    }
    if let Some(o) = &l.object {
        if !s.is_empty() {
            s.push(' ');
        }
        match &o.namespace {
            Some(ns) => s.push_str(&format!("{}/{ns}/{}", o.kind, o.name)),
            None => s.push_str(&format!("{}/{}", o.kind, o.name)),
        }
    }
    if let Some(c) = &l.commit {
        s.push_str(&format!(" @{}", c.id.get(..12).unwrap_or(&c.id)));
    }
    if let Some(layer) = l.layer.as_ref().filter(|_| with_layer) {
        s.push_str(&format!(" [layer {}]", layer.index));
    }
    if s.is_empty() {
        s = l.purl.clone().unwrap_or_default();
    }
    s.trim().to_string()
}

/// The finding's message, with the package versions of a vulnerability.
pub(crate) fn detail(f: &Finding) -> String {
    match &f.vulnerability {
        Some(v) if !v.package_name.is_empty() => {
            let fixed = if v.fixed_versions.is_empty() {
                "no fix yet".to_string()
            } else {
                format!("fixed in {}", v.fixed_versions.join(", "))
            };
            format!(
                "{} {} ({fixed}): {}",
                v.package_name, v.installed_version, f.title
            )
        }
        _ => f.message.clone(),
    }
}

/// Severity as a number that sorts (CRITICAL highest).
pub(crate) fn rank(s: palisade_core::Severity) -> u8 {
    s as u8
}
