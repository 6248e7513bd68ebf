//! Falco output strings: `%field`, `%field[arg]` and `%{field}` substituted, `<NA>` for
//! what the event does not have.

/// Fields every engine answers itself, whatever the source.
pub fn is_builtin(name: &str) -> bool {
    matches!(
        name,
        "rule" | "evt.time" | "evt.time.iso8601" | "evt.rawtime" | "evt.source" | "evt.hostname"
    )
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutField {
    pub name: String,
    pub arg: Option<String>,
    /// `name[arg]` as written, the key in `output_fields`.
    pub text: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Piece {
    Lit(String),
    Field(OutField),
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Format {
    pub pieces: Vec<Piece>,
}

fn field_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_' || c == '.'
}

impl Format {
    pub fn parse(s: &str) -> Format {
        let mut pieces = Vec::new();
        let mut lit = String::new();
        let mut rest = s;
        while let Some(i) = rest.find('%') {
            lit.push_str(&rest[..i]);
            let after = &rest[i + 1..];
            let (body, consumed) = if let Some(b) = after.strip_prefix('{') {
                match b.find('}') {
                    Some(end) => (&b[..end], end + 2),
                    None => ("", 0),
                }
            } else {
                let mut end = after.find(|c: char| !field_char(c)).unwrap_or(after.len());
                // A trailing dot ends a sentence, not a field.
                while end > 0 && after[..end].ends_with('.') {
                    end -= 1;
                }
                if after[end..].starts_with('[') {
                    if let Some(close) = after[end..].find(']') {
                        end += close + 1;
                    }
                }
                (&after[..end], end)
            };
            if body.is_empty() || !body.starts_with(|c: char| c.is_ascii_alphabetic()) {
                lit.push('%');
                rest = after;
                continue;
            }
            if !lit.is_empty() {
                pieces.push(Piece::Lit(std::mem::take(&mut lit)));
            }
            let (name, arg) = match body.split_once('[') {
                Some((n, a)) => (n.to_string(), Some(a.trim_end_matches(']').to_string())),
                None => (body.to_string(), None),
            };
            pieces.push(Piece::Field(OutField {
                name,
                arg,
                text: body.to_string(),
            }));
            rest = &after[consumed..];
        }
        lit.push_str(rest);
        if !lit.is_empty() {
            pieces.push(Piece::Lit(lit));
        }
        Format { pieces }
    }

    pub fn fields(&self) -> impl Iterator<Item = &OutField> {
        self.pieces.iter().filter_map(|p| match p {
            Piece::Field(f) => Some(f),
            Piece::Lit(_) => None,
        })
    }
}
