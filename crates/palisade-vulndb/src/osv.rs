//! The OSV record model (<https://ossf.github.io/osv-schema/>), lenient where real feeds are:
//! `null` for lists, numbers where strings belong (YAML `1.10`), unknown fields ignored.

use serde::{Deserialize, Deserializer, Serialize};
use serde_json::Value;

fn nullable<'de, D, T>(d: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: Default + Deserialize<'de>,
{
    Ok(Option::<T>::deserialize(d)?.unwrap_or_default())
}

/// A version string that YAML may have turned into a number.
fn version_str<'de, D>(d: D) -> Result<Option<String>, D::Error>
where
    D: Deserializer<'de>,
{
    Ok(match Option::<Value>::deserialize(d)? {
        Some(Value::String(s)) => Some(s),
        Some(Value::Number(n)) => Some(n.to_string()),
        Some(Value::Null) | None => None,
        Some(other) => {
            return Err(serde::de::Error::custom(format!(
                "version must be a string, got {other}"
            )))
        }
    })
}

fn version_list<'de, D>(d: D) -> Result<Vec<String>, D::Error>
where
    D: Deserializer<'de>,
{
    // Straight into strings: lists run to many thousands of entries, and a `Value` per
    // entry first would double the memory a large record takes.
    let raw: Vec<VersionItem> = nullable(d)?;
    Ok(raw.into_iter().filter_map(|v| v.0).collect())
}

/// One entry of a `versions` list: a string, or a number YAML made of one; anything else
/// is skipped.
struct VersionItem(Option<String>);

impl<'de> Deserialize<'de> for VersionItem {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Item;
        impl<'de> serde::de::Visitor<'de> for Item {
            type Value = VersionItem;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a version")
            }
            fn visit_str<E>(self, v: &str) -> Result<VersionItem, E> {
                Ok(VersionItem(Some(v.to_string())))
            }
            fn visit_string<E>(self, v: String) -> Result<VersionItem, E> {
                Ok(VersionItem(Some(v)))
            }
            fn visit_u64<E>(self, v: u64) -> Result<VersionItem, E> {
                Ok(VersionItem(Some(v.to_string())))
            }
            fn visit_i64<E>(self, v: i64) -> Result<VersionItem, E> {
                Ok(VersionItem(Some(v.to_string())))
            }
            fn visit_f64<E>(self, v: f64) -> Result<VersionItem, E> {
                // As `Value` prints the number, so YAML's `1.10` reads as before.
                Ok(VersionItem(Some(
                    serde_json::Number::from_f64(v)
                        .map_or_else(|| v.to_string(), |n| n.to_string()),
                )))
            }
            fn visit_bool<E>(self, _: bool) -> Result<VersionItem, E> {
                Ok(VersionItem(None))
            }
            fn visit_unit<E>(self) -> Result<VersionItem, E> {
                Ok(VersionItem(None))
            }
            fn visit_none<E>(self) -> Result<VersionItem, E> {
                Ok(VersionItem(None))
            }
            fn visit_seq<A: serde::de::SeqAccess<'de>>(
                self,
                mut s: A,
            ) -> Result<VersionItem, A::Error> {
                while s.next_element::<serde::de::IgnoredAny>()?.is_some() {}
                Ok(VersionItem(None))
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                mut m: A,
            ) -> Result<VersionItem, A::Error> {
                while m
                    .next_entry::<serde::de::IgnoredAny, serde::de::IgnoredAny>()?
                    .is_some()
                {}
                Ok(VersionItem(None))
            }
        }
        d.deserialize_any(Item)
    }
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct OsvRecord {
    pub id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub modified: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub published: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub withdrawn: Option<String>,
    #[serde(
        default,
        deserialize_with = "nullable",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub aliases: Vec<String>,
    #[serde(
        default,
        deserialize_with = "nullable",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub upstream: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub summary: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub details: Option<String>,
    #[serde(
        default,
        deserialize_with = "nullable",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub severity: Vec<OsvSeverity>,
    #[serde(
        default,
        deserialize_with = "nullable",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub affected: Vec<Affected>,
    #[serde(
        default,
        deserialize_with = "nullable",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub references: Vec<Reference>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub database_specific: Option<Value>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct OsvSeverity {
    #[serde(rename = "type", default)]
    pub kind: String,
    #[serde(default)]
    pub score: String,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Reference {
    #[serde(rename = "type", default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    #[serde(default)]
    pub url: String,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct OsvPackage {
    #[serde(default)]
    pub ecosystem: String,
    #[serde(default)]
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub purl: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Affected {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub package: Option<OsvPackage>,
    #[serde(
        default,
        deserialize_with = "nullable",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub severity: Vec<OsvSeverity>,
    #[serde(
        default,
        deserialize_with = "nullable",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub ranges: Vec<Range>,
    #[serde(
        default,
        deserialize_with = "version_list",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub versions: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ecosystem_specific: Option<Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub database_specific: Option<Value>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Range {
    #[serde(rename = "type", default)]
    pub kind: String,
    #[serde(
        default,
        deserialize_with = "nullable",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub events: Vec<Event>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Event {
    #[serde(
        default,
        deserialize_with = "version_str",
        skip_serializing_if = "Option::is_none"
    )]
    pub introduced: Option<String>,
    #[serde(
        default,
        deserialize_with = "version_str",
        skip_serializing_if = "Option::is_none"
    )]
    pub fixed: Option<String>,
    #[serde(
        default,
        deserialize_with = "version_str",
        skip_serializing_if = "Option::is_none"
    )]
    pub last_affected: Option<String>,
    #[serde(
        default,
        deserialize_with = "version_str",
        skip_serializing_if = "Option::is_none"
    )]
    pub limit: Option<String>,
}

/// Why a document is not a usable OSV record. Every variant means "skip this document".
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RecordError {
    #[error("invalid JSON: {0}")]
    Json(String),
    #[error("invalid YAML: {0}")]
    Yaml(String),
    #[error("not a JSON/YAML object")]
    NotAnObject,
    #[error("not an OSV record: {0}")]
    NotOsv(String),
    #[error("OSV record without an id")]
    NoId,
    #[error("OSV id longer than 256 characters")]
    IdTooLong,
}

/// The record a document holds, or why it is not a usable OSV record.
pub fn validate(value: Value) -> Result<OsvRecord, RecordError> {
    if !value.is_object() {
        return Err(RecordError::NotAnObject);
    }
    let rec: OsvRecord =
        serde_json::from_value(value).map_err(|e| RecordError::NotOsv(e.to_string()))?;
    check(rec)
}

fn check(rec: OsvRecord) -> Result<OsvRecord, RecordError> {
    if rec.id.trim().is_empty() {
        return Err(RecordError::NoId);
    }
    if rec.id.len() > 256 {
        return Err(RecordError::IdTooLong);
    }
    Ok(rec)
}

/// The records of one JSON document. A document holding one record (nearly all of them)
/// is read straight into it, without a `Value` tree that would take several times the
/// document's size; arrays and failures take the `Value` route for per-record results
/// and precise errors.
pub fn parse_json_records(bytes: &[u8]) -> Vec<Result<OsvRecord, RecordError>> {
    let first = bytes.iter().find(|b| !b.is_ascii_whitespace());
    if first == Some(&b'{') {
        if let Ok(rec) = serde_json::from_slice::<OsvRecord>(bytes) {
            return vec![check(rec)];
        }
    }
    match parse_json(bytes) {
        Err(e) => vec![Err(e)],
        Ok(values) => values.into_iter().map(validate).collect(),
    }
}

/// Parse one OSV document. JSON files may also hold an array of records.
pub fn parse_json(bytes: &[u8]) -> Result<Vec<Value>, RecordError> {
    let value: Value =
        serde_json::from_slice(bytes).map_err(|e| RecordError::Json(e.to_string()))?;
    Ok(match value {
        Value::Array(items) => items,
        other => vec![other],
    })
}

pub fn parse_yaml(bytes: &[u8]) -> Result<Vec<Value>, RecordError> {
    let value: Value =
        serde_yaml::from_slice(bytes).map_err(|e| RecordError::Yaml(e.to_string()))?;
    Ok(match value {
        Value::Array(items) => items,
        other => vec![other],
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn yaml_numbers_become_version_strings_and_nulls_are_empty() {
        let docs = parse_yaml(
            b"id: PYSEC-0000-1\naliases: null\naffected:\n- package: {name: demo, ecosystem: PyPI}\n  ranges:\n  - type: ECOSYSTEM\n    events:\n    - introduced: 0\n    - fixed: 1.10\n  versions: [1.0, '1.5']\n",
        )
        .unwrap();
        let rec = validate(docs.into_iter().next().unwrap()).unwrap();
        assert!(rec.aliases.is_empty());
        let ev = &rec.affected[0].ranges[0].events;
        assert_eq!(ev[0].introduced.as_deref(), Some("0"));
        // YAML already read 1.10 as the float 1.1; we keep what the number says.
        assert_eq!(ev[1].fixed.as_deref(), Some("1.1"));
        assert_eq!(rec.affected[0].versions, vec!["1.0", "1.5"]);
    }

    #[test]
    fn rejects_records_without_id() {
        assert!(validate(serde_json::json!({"summary": "x"})).is_err());
        assert_eq!(
            validate(serde_json::json!([1, 2])).unwrap_err(),
            RecordError::NotAnObject
        );
        assert_eq!(
            validate(serde_json::json!({"id": " "})).unwrap_err(),
            RecordError::NoId
        );
        assert!(validate(serde_json::json!({"id": "X-1", "affected": "nope"})).is_err());
    }
}
