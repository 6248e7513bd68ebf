//! Text that reaches a terminal: names and messages come from files an attacker may have
//! written (tar headers, paths, YAML), so control characters are shown escaped, never sent.

use palisade_core::RuleMeta;
use std::borrow::Cow;

/// `s` with every control character (ESC, CR, BEL, …) written as a Rust escape (`\u{1b}`).
pub fn escape_controls(s: &str) -> Cow<'_, str> {
    if !s.chars().any(char::is_control) {
        return Cow::Borrowed(s);
    }
    Cow::Owned(
        s.chars()
            .map(|c| {
                if c.is_control() {
                    c.escape_default().to_string()
                } else {
                    c.to_string()
                }
            })
            .collect(),
    )
}

/// `palisade rules`: one line per rule with its family, severity, title and related IDs
/// (equivalent checks, then the partially related ones marked `~`).
pub fn rules_table(rules: &[&RuleMeta]) -> String {
    let row = |id: &str, fam: &str, sev: &str, title: &str, rel: &str| {
        format!("{id:<28} {fam:<16} {sev:<9} {title:<40} {rel}\n")
    };
    let mut out = row("ID", "FAMILY", "SEVERITY", "TITLE", "RELATED");
    for r in rules {
        out.push_str(&row(
            r.id,
            r.family.as_str(),
            r.severity.as_str(),
            r.title,
            &related_cell(r),
        ));
    }
    out.push_str(&format!("\n{} rules\n", rules.len()));
    out
}

/// `DL3002,DS-0002,~KSV-0104`: a `~` marks a check that is about the same concern but not
/// the same check (`palisade rules ID` prints the difference).
fn related_cell(r: &RuleMeta) -> String {
    let partial = r.partial.iter().map(|p| format!("~{}", p.id));
    r.related
        .iter()
        .map(|s| s.to_string())
        .chain(partial)
        .collect::<Vec<_>>()
        .join(",")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn controls_are_shown_not_sent() {
        assert_eq!(escape_controls("app/Dockerfile"), "app/Dockerfile");
        let hostile = "x\u{1b}]0;pwned\u{7}\u{1b}[2J\rname";
        let shown = escape_controls(hostile);
        assert!(!shown.chars().any(char::is_control), "{shown}");
        assert!(shown.contains("pwned") && shown.contains("name"));
    }
}
