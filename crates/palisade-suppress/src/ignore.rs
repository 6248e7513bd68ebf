//! `.palisadeignore`: one entry per line,
//!
//! ```text
//! # comment
//! CVE-2023-1234                                    # a bare ID; the comment is the reason
//! CVE-2023-1234 exp:2026-01-01                     # Trivy's expiry form
//! GHSA-xxxx-yyyy purl=pkg:npm/lodash path=app/* expires=2026-06-30 reason="not reachable"
//! pkg:npm/lodash@4.17.4                            # a purl alone: every finding on it
//! path=vendor/                                     # a path alone: every finding below it
//! ```
//!
//! or the same as YAML: `ignore: [{id, purls, paths, expires, reason}]`.

use crate::matching::{id_matches, path_matches, purl_matches};
use crate::SuppressError;
use palisade_core::Finding;
use serde::Deserialize;
use std::path::Path;

#[derive(Debug, Clone, Default, PartialEq)]
pub struct IgnoreRule {
    pub id: Option<String>,
    pub purls: Vec<String>,
    pub paths: Vec<String>,
    pub expires: Option<time::Date>,
    pub reason: Option<String>,
    /// `file:line` (or `file#ignore[3]` for YAML).
    pub origin: String,
}

impl IgnoreRule {
    /// Every condition the entry states must hold.
    pub fn matches(&self, f: &Finding) -> bool {
        self.id.as_deref().is_none_or(|id| id_matches(f, id))
            && (self.purls.is_empty() || self.purls.iter().any(|p| purl_matches(f, p)))
            && (self.paths.is_empty() || self.paths.iter().any(|p| path_matches(f, p)))
    }

    pub fn describe(&self) -> String {
        let mut parts = Vec::new();
        if let Some(id) = &self.id {
            parts.push(id.clone());
        }
        parts.extend(self.purls.iter().map(|p| format!("purl={p}")));
        parts.extend(self.paths.iter().map(|p| format!("path={p}")));
        if let Some(e) = self.expires {
            parts.push(format!("expires={e}"));
        }
        parts.join(" ")
    }
}

#[derive(Debug, Clone, Default)]
pub struct IgnoreFile {
    pub rules: Vec<IgnoreRule>,
}

/// What is wrong with one ignore entry.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EntryError {
    #[error("invalid date {0:?} (expected YYYY-MM-DD)")]
    InvalidDate(String),
    #[error("expires must be a date, got {0}")]
    ExpiresNotDate(String),
    #[error("unterminated quote")]
    UnterminatedQuote,
    #[error("unknown key {0:?} (expected id, purl, path, expires, reason)")]
    UnknownKey(String),
    #[error("unexpected {0:?} after the ID")]
    Unexpected(String),
    /// Neither an ID, a purl nor a path: the entry would suppress everything.
    #[error("an entry needs an ID, a purl or a path")]
    Unscoped,
}

fn parse_date(s: &str) -> Result<time::Date, EntryError> {
    let fmt = time::macros::format_description!("[year]-[month]-[day]");
    let s = s.trim().trim_matches('"');
    // Accept a full RFC 3339 timestamp too, keeping its date.
    let day = s.get(..10).unwrap_or(s);
    time::Date::parse(day, &fmt).map_err(|_| EntryError::InvalidDate(s.to_string()))
}

/// Split on whitespace, keeping `"quoted text"` together.
fn tokens(line: &str) -> Result<Vec<String>, EntryError> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut quoted = false;
    let mut any = false;
    for c in line.chars() {
        match c {
            '"' => {
                quoted = !quoted;
                any = true;
            }
            c if c.is_whitespace() && !quoted => {
                if any {
                    out.push(std::mem::take(&mut cur));
                    any = false;
                }
            }
            c => {
                cur.push(c);
                any = true;
            }
        }
    }
    if quoted {
        return Err(EntryError::UnterminatedQuote);
    }
    if any {
        out.push(cur);
    }
    Ok(out)
}

/// Strip a `#` comment that is not inside quotes; returns (content, comment).
fn split_comment(line: &str) -> (&str, Option<&str>) {
    let mut quoted = false;
    for (i, c) in line.char_indices() {
        match c {
            '"' => quoted = !quoted,
            // `#` starts a comment at the line start or after whitespace (purls may hold `#`).
            '#' if !quoted && (i == 0 || line[..i].ends_with(char::is_whitespace)) => {
                return (&line[..i], Some(line[i + 1..].trim()));
            }
            _ => {}
        }
    }
    (line, None)
}

fn parse_line(line: &str, origin: String) -> Result<Option<IgnoreRule>, EntryError> {
    let (content, comment) = split_comment(line);
    let toks = tokens(content)?;
    if toks.is_empty() {
        return Ok(None);
    }
    let mut rule = IgnoreRule {
        origin,
        reason: comment.filter(|c| !c.is_empty()).map(str::to_string),
        ..Default::default()
    };
    for tok in toks {
        if let Some(date) = tok.strip_prefix("exp:") {
            rule.expires = Some(parse_date(date)?);
            continue;
        }
        match tok.split_once('=') {
            Some((key, value)) => match key {
                "id" => rule.id = Some(value.to_string()),
                "purl" => rule.purls.push(value.to_string()),
                "path" => rule.paths.push(value.to_string()),
                "expires" | "exp" | "expired_at" => rule.expires = Some(parse_date(value)?),
                "reason" | "statement" => rule.reason = Some(value.to_string()),
                other => return Err(EntryError::UnknownKey(other.to_string())),
            },
            None if tok.starts_with("pkg:") => rule.purls.push(tok),
            None if rule.id.is_none() => rule.id = Some(tok),
            None => return Err(EntryError::Unexpected(tok)),
        }
    }
    if rule.id.is_none() && rule.purls.is_empty() && rule.paths.is_empty() {
        return Err(EntryError::Unscoped);
    }
    Ok(Some(rule))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct YamlDoc {
    #[serde(alias = "vulnerabilities", alias = "rules", default)]
    ignore: Vec<YamlEntry>,
}

#[derive(Deserialize)]
#[serde(untagged)]
enum YamlEntry {
    Line(String),
    Rule(YamlRule),
}

#[derive(Deserialize)]
#[serde(untagged)]
enum OneOrMany {
    One(String),
    Many(Vec<String>),
}

impl OneOrMany {
    fn into_vec(self) -> Vec<String> {
        match self {
            OneOrMany::One(s) => vec![s],
            OneOrMany::Many(v) => v,
        }
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct YamlRule {
    id: Option<String>,
    #[serde(alias = "purl")]
    purls: Option<OneOrMany>,
    #[serde(alias = "path")]
    paths: Option<OneOrMany>,
    #[serde(alias = "expired_at", alias = "exp")]
    expires: Option<serde_yaml::Value>,
    #[serde(alias = "statement")]
    reason: Option<String>,
}

impl IgnoreFile {
    pub fn empty() -> IgnoreFile {
        IgnoreFile::default()
    }

    /// Read `path`; a missing file is an empty ignore list.
    pub fn load(path: &Path) -> Result<IgnoreFile, SuppressError> {
        let label = path.display().to_string();
        match std::fs::read_to_string(path) {
            Ok(text) => IgnoreFile::parse(&label, &text),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(IgnoreFile::empty()),
            Err(source) => Err(SuppressError::Io {
                file: label,
                source,
            }),
        }
    }

    /// `file` names the source in messages and in each rule's origin.
    pub fn parse(file: &str, text: &str) -> Result<IgnoreFile, SuppressError> {
        let first = text
            .lines()
            .map(str::trim)
            .find(|l| !l.is_empty() && !l.starts_with('#'))
            .unwrap_or("");
        if ["ignore:", "vulnerabilities:", "rules:"]
            .iter()
            .any(|k| first.starts_with(k))
        {
            return parse_yaml(file, text);
        }
        let mut rules = Vec::new();
        for (i, line) in text.lines().enumerate() {
            let origin = format!("{file}:{}", i + 1);
            match parse_line(line, origin.clone()) {
                Ok(Some(rule)) => rules.push(rule),
                Ok(None) => {}
                Err(source) => {
                    return Err(SuppressError::Entry {
                        file: file.to_string(),
                        at: format!("line {}", i + 1),
                        source,
                    })
                }
            }
        }
        Ok(IgnoreFile { rules })
    }
}

fn parse_yaml(file: &str, text: &str) -> Result<IgnoreFile, SuppressError> {
    let doc: YamlDoc = serde_yaml::from_str(text).map_err(|e| SuppressError::Parse {
        file: file.to_string(),
        message: e.to_string(),
    })?;
    rules_from_entries(file, doc.ignore)
}

impl IgnoreFile {
    /// The entries of an `ignore:` list held elsewhere (palisade.yaml): each a bare line in the
    /// `.palisadeignore` form (`CVE-2023-1234 exp:2026-01-01`) or an object.
    pub fn from_yaml_value(
        file: &str,
        value: &serde_yaml::Value,
    ) -> Result<IgnoreFile, SuppressError> {
        let entries: Vec<YamlEntry> =
            serde_yaml::from_value(value.clone()).map_err(|e| SuppressError::Parse {
                file: file.to_string(),
                message: format!("ignore: {e}"),
            })?;
        rules_from_entries(file, entries)
    }
}

fn rules_from_entries(file: &str, entries: Vec<YamlEntry>) -> Result<IgnoreFile, SuppressError> {
    let mut rules = Vec::new();
    for (i, entry) in entries.into_iter().enumerate() {
        let origin = format!("{file}#ignore[{i}]");
        let entry_err = |source: EntryError| SuppressError::Entry {
            file: file.to_string(),
            at: format!("ignore[{i}]"),
            source,
        };
        let r = match entry {
            YamlEntry::Line(line) => {
                match parse_line(&line, origin).map_err(entry_err)? {
                    Some(rule) => rules.push(rule),
                    None => return Err(entry_err(EntryError::Unscoped)),
                }
                continue;
            }
            YamlEntry::Rule(r) => r,
        };
        let expires = match r.expires {
            None | Some(serde_yaml::Value::Null) => None,
            Some(serde_yaml::Value::String(s)) => Some(parse_date(&s).map_err(entry_err)?),
            Some(other) => return Err(entry_err(EntryError::ExpiresNotDate(format!("{other:?}")))),
        };
        let rule = IgnoreRule {
            id: r.id,
            purls: r.purls.map(OneOrMany::into_vec).unwrap_or_default(),
            paths: r.paths.map(OneOrMany::into_vec).unwrap_or_default(),
            expires,
            reason: r.reason,
            origin,
        };
        if rule.id.is_none() && rule.purls.is_empty() && rule.paths.is_empty() {
            return Err(entry_err(EntryError::Unscoped));
        }
        rules.push(rule);
    }
    Ok(IgnoreFile { rules })
}
