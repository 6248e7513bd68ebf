//! The terminal grid every table section shares: comfy-table laid out to the terminal
//! width, cells escaped, severities coloured only when the caller allows colour.

use crate::text::escape_controls;
use comfy_table::presets::UTF8_FULL;
use comfy_table::{
    Attribute, Cell, Color, ColumnConstraint, ContentArrangement, Row, Table, Width,
};
use palisade_core::Severity;

/// Narrowest layout attempted: below it a table could not hold its borders and headers.
pub const MIN_WIDTH: usize = 40;

/// A table of `header` that wraps its cells to fit `width` columns.
pub fn table(header: &[&str], width: usize, color: bool) -> Table {
    let mut t = Table::new();
    t.load_style(UTF8_FULL.with_rounded_corners())
        .set_content_arrangement(ContentArrangement::Dynamic)
        .set_width(u16::try_from(width.max(MIN_WIDTH)).unwrap_or(u16::MAX));
    if color {
        t.enforce_styling();
    } else {
        t.force_no_tty();
    }
    t.set_header(
        header
            .iter()
            .map(|h| Cell::new(h).add_attribute(Attribute::Bold)),
    );
    t
}

/// A cell of text from the input: control characters are shown, never sent.
pub fn cell(s: &str) -> Cell {
    Cell::new(escape_controls(s))
}

/// A cell of several lines, each from the input and escaped on its own: the line breaks
/// are the report's, never the input's.
pub fn lines_cell(lines: &[String]) -> Cell {
    Cell::new(
        lines
            .iter()
            .map(|l| escape_controls(l).into_owned())
            .collect::<Vec<_>>()
            .join("\n"),
    )
}

pub fn severity_cell(sev: Severity, color: bool) -> Cell {
    let c = Cell::new(sev.as_str());
    if !color {
        return c;
    }
    match sev {
        Severity::Critical => c.fg(Color::Red).add_attribute(Attribute::Bold),
        Severity::High => c.fg(Color::Red),
        Severity::Medium => c.fg(Color::Yellow),
        Severity::Low => c.fg(Color::Cyan),
        Severity::Unknown => c,
    }
}

pub fn row(cells: Vec<Cell>) -> Row {
    Row::from(cells)
}

/// Keeps column `i` at least as wide as its widest cell, so a location shortened to fit is
/// not wrapped again by the layout.
pub fn keep_whole(t: &mut Table, i: usize, cells_width: usize) {
    if let Some(col) = t.column_mut(i) {
        // The constraint counts the cell's padding (one space each side) too.
        let w = u16::try_from(cells_width + 2).unwrap_or(u16::MAX);
        col.set_constraint(ColumnConstraint::LowerBoundary(Width::Fixed(w)));
    }
}

pub fn bold(s: &str, color: bool) -> String {
    if color {
        format!("\x1b[1m{s}\x1b[0m")
    } else {
        s.to_string()
    }
}

/// Display width in terminal columns (one per character: table text is escaped, and the
/// rare wide character costs a column of slack, not a broken border, since comfy-table
/// measures cells itself).
pub fn chars(s: &str) -> usize {
    s.chars().count()
}

/// `s` within `max` characters, the middle replaced by `…`: a path keeps its first
/// directory and, above all, its file name. A file name longer than the room is kept whole
/// (it wraps) rather than losing its end.
pub fn shorten_middle(s: &str, max: usize) -> String {
    let n = chars(s);
    if n <= max {
        return s.to_string();
    }
    let name_start = s.rfind('/').map(|i| i + 1).unwrap_or(0);
    let name = &s[name_start..];
    let name_len = chars(name);
    if name_len + 2 > max {
        return if name_start > 0 {
            format!("…/{name}")
        } else {
            name.to_string()
        };
    }
    // Room left for the head: `max` minus the name, the ellipsis and the slash before the name.
    let head_room = max - name_len - 2;
    let head: String = s[..name_start].chars().take(head_room).collect();
    format!("{head}…/{name}")
}

/// `s` within about `max` characters, cut only between words (never inside one), with `…`
/// when something was left out. Newlines become spaces.
pub fn clip_words(s: &str, max: usize) -> String {
    let s = s.split_whitespace().collect::<Vec<_>>().join(" ");
    if chars(&s) <= max {
        return s;
    }
    let mut out = String::new();
    for word in s.split(' ') {
        if !out.is_empty() && chars(&out) + 1 + chars(word) > max {
            out.push('…');
            return out;
        }
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn middle_shortening_keeps_the_file_name() {
        let p = "deploy/charts/platform/templates/very/deep/nested/dir/deployment.yaml:42";
        let s = shorten_middle(p, 30);
        assert!(chars(&s) <= 30, "{s}");
        assert!(s.ends_with("/deployment.yaml:42"), "{s}");
        assert!(s.starts_with("deploy"), "{s}");
        assert_eq!(shorten_middle("a/b.yaml", 30), "a/b.yaml");
        let long_name = format!("dir/{}.yaml", "x".repeat(40));
        assert!(shorten_middle(&long_name, 20).ends_with(".yaml"));
        assert_eq!(shorten_middle("ü/ÿ/日本語.txt:1", 12), "ü…/日本語.txt:1");
    }

    #[test]
    fn clipping_stops_between_words() {
        let t = "alpha beta gamma delta";
        assert_eq!(clip_words(t, 12), "alpha beta…");
        assert_eq!(clip_words(t, 100), t);
        assert_eq!(
            clip_words("averyveryverylongword tail", 5),
            "averyveryverylongword…"
        );
        assert_eq!(clip_words("line\none", 20), "line one");
    }
}
