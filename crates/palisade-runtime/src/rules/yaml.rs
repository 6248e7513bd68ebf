//! Reads a rules file into its top-level items, each with the line it starts on.
//! serde_yaml keeps no positions, so items are matched to the `- ` lines that open them
//! (rules files are block sequences at column 0).

use serde_yaml::Value;

pub struct Item {
    pub value: Value,
    /// 1-based line of the item's `-`; 0 when not found.
    pub line: usize,
    /// Lines of the item's own text, for placing keys inside it.
    pub end_line: usize,
}

/// Parses one rules file. `Err((line, column, message))` on invalid YAML or content.
pub fn items(text: &str) -> Result<Vec<Item>, (usize, usize, String)> {
    let doc: Value = serde_yaml::from_str(text).map_err(|e| {
        let (l, c) = e.location().map_or((0, 0), |l| (l.line(), l.column()));
        (l, c, e.to_string())
    })?;
    let seq = match doc {
        Value::Null => return Ok(Vec::new()),
        Value::Sequence(s) => s,
        _ => return Err((1, 1, "rules content is not yaml array of objects".into())),
    };
    let starts: Vec<usize> = text
        .lines()
        .enumerate()
        .filter(|(_, l)| l.starts_with('-') && !l.starts_with("---"))
        .map(|(i, _)| i + 1)
        .collect();
    let total = text.lines().count();
    let aligned = starts.len() == seq.len();
    Ok(seq
        .into_iter()
        .enumerate()
        .map(|(i, value)| {
            let (line, end_line) = if aligned {
                (starts[i], starts.get(i + 1).map_or(total, |n| n - 1))
            } else {
                (0, 0)
            };
            Item {
                value,
                line,
                end_line,
            }
        })
        .collect())
}

/// The line of `key:` inside an item, for a more precise position.
pub fn key_line(text: &str, item: &Item, key: &str) -> Option<usize> {
    if item.line == 0 {
        return None;
    }
    text.lines()
        .enumerate()
        .skip(item.line - 1)
        .take(item.end_line + 1 - item.line)
        .find(|(_, l)| {
            let t = l.trim_start().trim_start_matches("- ");
            t.starts_with(key) && t[key.len()..].starts_with(':')
        })
        .map(|(i, _)| i + 1)
}

/// A scalar as Falco reads it from YAML: strings as they are, numbers and booleans as text.
pub fn scalar(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}
