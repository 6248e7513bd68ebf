//! VEX documents: OpenVEX (`statements[]` with `vulnerability`, `products`, `status`) and
//! CycloneDX VEX (`vulnerabilities[]` with `analysis.state` and `affects[].ref`, refs resolved
//! through `components[].bom-ref`). Only "this does not affect us" statements suppress.

use crate::matching::{id_matches, purl_matches};
use crate::SuppressError;
use palisade_core::Finding;
use serde_json::Value;
use std::collections::HashMap;
use std::path::Path;

#[derive(Debug, Clone, PartialEq)]
pub struct VexStatement {
    pub vulnerability: String,
    pub aliases: Vec<String>,
    /// purls; empty means every product.
    pub products: Vec<String>,
    /// As the document states it: `not_affected`, `fixed`, `false_positive`, `affected`, ...
    pub status: String,
    pub justification: Option<String>,
    pub impact: Option<String>,
    /// `file#statements[2]` or `file#vulnerabilities[0]`.
    pub origin: String,
}

impl VexStatement {
    pub fn suppresses(&self) -> bool {
        matches!(
            self.status.as_str(),
            "not_affected" | "false_positive" | "fixed"
        )
    }

    pub fn matches(&self, f: &Finding) -> bool {
        let id_hit = std::iter::once(&self.vulnerability)
            .chain(self.aliases.iter())
            .any(|id| id_matches(f, id));
        id_hit && (self.products.is_empty() || self.products.iter().any(|p| purl_matches(f, p)))
    }

    pub fn reason(&self) -> Option<String> {
        match (&self.justification, &self.impact) {
            (Some(j), Some(i)) => Some(format!("{j}: {i}")),
            (Some(x), None) | (None, Some(x)) => Some(x.clone()),
            (None, None) => None,
        }
    }
}

#[derive(Debug, Clone, Default)]
pub struct VexDoc {
    pub statements: Vec<VexStatement>,
}

fn s(v: Option<&Value>) -> Option<String> {
    v.and_then(Value::as_str)
        .map(str::trim)
        .filter(|x| !x.is_empty())
        .map(str::to_string)
}

fn openvex_product(p: &Value, out: &mut Vec<String>) {
    match p {
        Value::String(x) => out.push(x.clone()),
        Value::Object(_) => {
            if let Some(x) = s(p.get("@id")).filter(|x| x.starts_with("pkg:")) {
                out.push(x);
            }
            if let Some(x) = s(p.pointer("/identifiers/purl")) {
                out.push(x);
            }
            // A subcomponent names the vulnerable package inside the product.
            for sub in p
                .get("subcomponents")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
            {
                openvex_product(sub, out);
            }
        }
        _ => {}
    }
}

/// What is wrong with a VEX document.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum VexError {
    #[error("invalid JSON: {0}")]
    Json(String),
    #[error("neither an OpenVEX document (@context openvex, statements) nor CycloneDX VEX (bomFormat CycloneDX, vulnerabilities)")]
    UnknownFormat,
    #[error("OpenVEX document without a statements list")]
    NoStatements,
    #[error("statements[{0}]: vulnerability without a name")]
    UnnamedVulnerability(usize),
    #[error("statements[{0}]: no vulnerability")]
    NoVulnerability(usize),
    #[error("statements[{0}]: no status")]
    NoStatus(usize),
    #[error("CycloneDX document without a vulnerabilities list")]
    NoVulnerabilities,
    #[error("vulnerabilities[{0}]: no id")]
    NoId(usize),
}

fn parse_openvex(file: &str, doc: &Value) -> Result<VexDoc, VexError> {
    let stmts = doc
        .get("statements")
        .and_then(Value::as_array)
        .ok_or(VexError::NoStatements)?;
    let mut out = Vec::new();
    for (i, st) in stmts.iter().enumerate() {
        let origin = format!("{file}#statements[{i}]");
        let vuln = st.get("vulnerability");
        let (name, aliases) = match vuln {
            Some(Value::String(x)) => (x.clone(), Vec::new()),
            Some(v @ Value::Object(_)) => (
                s(v.get("name"))
                    .or_else(|| s(v.get("@id")))
                    .ok_or(VexError::UnnamedVulnerability(i))?,
                v.get("aliases")
                    .and_then(Value::as_array)
                    .into_iter()
                    .flatten()
                    .filter_map(|a| a.as_str().map(str::to_string))
                    .collect(),
            ),
            _ => return Err(VexError::NoVulnerability(i)),
        };
        let status = s(st.get("status")).ok_or(VexError::NoStatus(i))?;
        let mut products = Vec::new();
        for p in st
            .get("products")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            openvex_product(p, &mut products);
        }
        out.push(VexStatement {
            vulnerability: name,
            aliases,
            products,
            status,
            justification: s(st.get("justification")),
            impact: s(st.get("impact_statement")).or_else(|| s(st.get("status_notes"))),
            origin,
        });
    }
    Ok(VexDoc { statements: out })
}

fn collect_refs(components: Option<&Value>, map: &mut HashMap<String, String>) {
    for c in components.and_then(Value::as_array).into_iter().flatten() {
        if let (Some(r), Some(p)) = (s(c.get("bom-ref")), s(c.get("purl"))) {
            map.insert(r, p);
        }
        collect_refs(c.get("components"), map);
    }
}

fn parse_cyclonedx(file: &str, doc: &Value) -> Result<VexDoc, VexError> {
    let mut refs = HashMap::new();
    collect_refs(doc.get("components"), &mut refs);
    if let Some(meta) = doc.pointer("/metadata/component") {
        collect_refs(Some(&Value::Array(vec![meta.clone()])), &mut refs);
    }
    let vulns = doc
        .get("vulnerabilities")
        .and_then(Value::as_array)
        .ok_or(VexError::NoVulnerabilities)?;
    let mut out = Vec::new();
    for (i, v) in vulns.iter().enumerate() {
        let id = s(v.get("id")).ok_or(VexError::NoId(i))?;
        let Some(state) = s(v.pointer("/analysis/state")) else {
            continue;
        };
        let aliases = v
            .get("references")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(|r| s(r.get("id")))
            .collect();
        let products = v
            .get("affects")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(|a| s(a.get("ref")))
            .map(|r| refs.get(&r).cloned().unwrap_or(r))
            .collect();
        out.push(VexStatement {
            vulnerability: id,
            aliases,
            products,
            status: state,
            justification: s(v.pointer("/analysis/justification")),
            impact: s(v.pointer("/analysis/detail")),
            origin: format!("{file}#vulnerabilities[{i}]"),
        });
    }
    Ok(VexDoc { statements: out })
}

impl VexDoc {
    pub fn load(path: &Path) -> Result<VexDoc, SuppressError> {
        let label = path.display().to_string();
        let text = std::fs::read_to_string(path).map_err(|source| SuppressError::Io {
            file: label.clone(),
            source,
        })?;
        VexDoc::parse(&label, &text)
    }

    /// `file` names the document in errors and statement origins.
    pub fn parse(file: &str, text: &str) -> Result<VexDoc, SuppressError> {
        let err = |source: VexError| SuppressError::Vex {
            file: file.to_string(),
            source,
        };
        let doc: Value =
            serde_json::from_str(text).map_err(|e| err(VexError::Json(e.to_string())))?;
        let is_openvex = doc
            .get("@context")
            .and_then(Value::as_str)
            .is_some_and(|c| c.contains("openvex"))
            || doc.get("statements").is_some();
        let is_cdx = doc.get("bomFormat").and_then(Value::as_str) == Some("CycloneDX")
            || doc.get("vulnerabilities").is_some();
        if is_openvex {
            parse_openvex(file, &doc).map_err(err)
        } else if is_cdx {
            parse_cyclonedx(file, &doc).map_err(err)
        } else {
            Err(err(VexError::UnknownFormat))
        }
    }
}
