//! After every file is read: lists resolved, macros parsed, each rule's condition parsed,
//! its exceptions added, macros and lists expanded, and the result checked against the
//! fields of its source.

use super::diag::{Diagnostic, Level};
use super::exceptions::with_exceptions;
use super::loader::Loader;
use super::model::{Pos, RuleDef};
use crate::fields::{ArgKind, FieldCatalog, FieldDef, FieldType};
use crate::filter::{compile, fields_of, parse, Definitions, Expr, Used};
use crate::output::format::Format;
use std::collections::{BTreeSet, HashMap, HashSet};

/// A rule ready for an engine.
#[derive(Debug, Clone)]
pub struct LoadedRule {
    pub def: RuleDef,
    /// The expanded condition; `None` when it did not compile.
    pub expr: Option<Expr>,
    /// Fields the rule uses that Palisade does not provide for its source.
    pub missing_fields: Vec<String>,
}

impl LoadedRule {
    /// Whether an engine for the rule's source can evaluate it.
    pub fn evaluable(&self) -> bool {
        self.expr.is_some() && self.missing_fields.is_empty()
    }
}

#[derive(Debug, Default)]
pub struct RuleSet {
    pub rules: Vec<LoadedRule>,
    pub diagnostics: Vec<Diagnostic>,
    pub lists: usize,
    pub macros: usize,
}

impl RuleSet {
    pub fn errors(&self) -> usize {
        self.diagnostics
            .iter()
            .filter(|d| d.level == Level::Error)
            .count()
    }
}

/// A catalog for sources Palisade cannot read yet: every field is accepted as a string so
/// conditions are still parsed, expanded and checked for structure.
struct OpenCatalog(&'static str);

impl FieldCatalog for OpenCatalog {
    fn source(&self) -> &'static str {
        self.0
    }
    fn fields(&self) -> &[FieldDef] {
        &[]
    }
    fn field(&self, _name: &str) -> Option<(u16, &FieldDef)> {
        const ANY: FieldDef = FieldDef {
            name: "",
            ty: FieldType::String,
            is_list: false,
            arg: ArgKind::Key { required: false },
            desc: "",
        };
        Some((0, &ANY))
    }
}

fn diag(
    level: Level,
    code: &'static str,
    pos: &Pos,
    line: usize,
    item: String,
    msg: String,
) -> Diagnostic {
    Diagnostic {
        level,
        code,
        file: pos.file.clone(),
        line,
        column: usize::from(line > 0),
        item: Some(item),
        message: msg,
    }
}

/// Falco pastes list items into conditions as text, so an item written with quotes
/// (`'"10.0.0.0/8"'`) is the quoted string's content.
fn unquote(s: &str) -> String {
    for q in ['"', '\''] {
        if s.len() >= 2 && s.starts_with(q) && s.ends_with(q) {
            return s[1..s.len() - 1].to_string();
        }
    }
    s.to_string()
}

/// Lists naming lists are flattened (bounded: a cycle stops expanding).
fn resolve_lists(loader: &Loader) -> HashMap<String, Vec<String>> {
    let raw: HashMap<&str, &Vec<String>> = loader
        .lists
        .iter()
        .map(|l| (l.name.as_str(), &l.items))
        .collect();
    fn go(
        items: &[String],
        raw: &HashMap<&str, &Vec<String>>,
        depth: usize,
        out: &mut Vec<String>,
    ) {
        for it in items {
            match raw.get(it.as_str()) {
                Some(sub) if depth < 16 => go(sub, raw, depth + 1, out),
                _ => out.push(unquote(it)),
            }
        }
    }
    loader
        .lists
        .iter()
        .map(|l| {
            let mut out = Vec::new();
            go(&l.items, &raw, 0, &mut out);
            (l.name.clone(), out)
        })
        .collect()
}

pub fn build(loader: Loader, catalogs: &[&dyn FieldCatalog]) -> RuleSet {
    let mut diags = loader.diagnostics.clone();
    let mut defs = Definitions {
        lists: resolve_lists(&loader),
        macros: HashMap::new(),
    };
    let mut used = Used::default();
    // Lists used inside other lists count as used.
    for l in &loader.lists {
        for it in &l.items {
            if defs.lists.contains_key(it) {
                used.lists.insert(it.clone());
            }
        }
    }
    for m in &loader.macros {
        match parse(&m.condition) {
            Ok(e) => {
                defs.macros.insert(m.name.clone(), e);
            }
            Err(e) => diags.push(diag(
                Level::Error,
                "LOAD_ERR_COMPILE_CONDITION",
                &m.pos,
                m.pos.condition_line,
                format!("macro '{}'", m.name),
                e.to_string(),
            )),
        }
    }
    let mut warned_sources = HashSet::new();
    let mut rules = Vec::new();
    for r in &loader.rules {
        let item = format!("rule '{}'", r.name);
        let line = r.pos.condition_line;
        let err = |code: &'static str, msg: String| {
            diag(Level::Error, code, &r.pos, line, item.clone(), msg)
        };
        let parsed = parse(&r.condition)
            .map_err(|e| err("LOAD_ERR_COMPILE_CONDITION", e.to_string()))
            .and_then(|e| {
                with_exceptions(e, &r.exceptions).map_err(|m| err("LOAD_ERR_VALIDATE", m))
            })
            .and_then(|e| {
                defs.expand(&e, &mut used)
                    .map_err(|x| err("LOAD_ERR_COMPILE_CONDITION", x.to_string()))
            });
        let expr = match parsed {
            Ok(e) => e,
            Err(d) => {
                diags.push(d);
                rules.push(LoadedRule {
                    def: r.clone(),
                    expr: None,
                    missing_fields: Vec::new(),
                });
                continue;
            }
        };
        let cat = catalogs.iter().find(|c| c.source() == r.source).copied();
        let Some(cat) = cat else {
            // Conditions of sources Palisade cannot read are still checked for structure.
            let open = OpenCatalog("unknown");
            if let Err(e) = compile(&expr, &open) {
                diags.push(err("LOAD_ERR_COMPILE_CONDITION", e.to_string()));
            }
            if warned_sources.insert(r.source.clone()) {
                diags.push(diag(
                    Level::Warning,
                    "LOAD_UNKNOWN_SOURCE",
                    &r.pos,
                    r.pos.line,
                    item.clone(),
                    format!("Unknown source {}, skipping (rules of this source load but are not evaluated)", r.source),
                ));
            }
            let missing: BTreeSet<String> =
                fields_of(&expr).into_iter().map(|(n, _, _)| n).collect();
            rules.push(LoadedRule {
                def: r.clone(),
                expr: Some(expr),
                missing_fields: missing.into_iter().collect(),
            });
            continue;
        };
        let mut unknown: BTreeSet<String> = fields_of(&expr)
            .into_iter()
            .filter(|(n, _, _)| cat.field(n).is_none())
            .map(|(n, _, _)| n)
            .collect();
        let out_fmt = Format::parse(&r.output);
        for f in out_fmt.fields() {
            if cat.field(&f.name).is_none() && !crate::output::format::is_builtin(&f.name) {
                unknown.insert(f.name.clone());
            }
        }
        // Fields of a class the source does not have at all (`krsi.*`) come from a plugin
        // Palisade does not provide: listed as missing, not an error in the rule.
        let class = |f: &str| f.split('.').next().unwrap_or(f).to_string();
        let known_class = |f: &str| cat.fields().iter().any(|d| class(d.name) == class(f));
        if !unknown.is_empty()
            && unknown.iter().all(|f| !known_class(f))
            && !r.skip_if_unknown_filter
        {
            let list = unknown.iter().cloned().collect::<Vec<_>>().join(", ");
            diags.push(diag(
                Level::Warning,
                "LOAD_UNSUPPORTED_FIELD",
                &r.pos,
                line,
                item.clone(),
                format!("fields not provided by Palisade (plugin not loaded): {list}; rule loaded but not evaluated"),
            ));
            rules.push(LoadedRule {
                def: r.clone(),
                expr: Some(expr),
                missing_fields: unknown.into_iter().collect(),
            });
            continue;
        }
        if !unknown.is_empty() {
            let list = unknown.iter().cloned().collect::<Vec<_>>().join(", ");
            if r.skip_if_unknown_filter {
                diags.push(diag(
                    Level::Warning,
                    "LOAD_UNKNOWN_FILTER",
                    &r.pos,
                    line,
                    item.clone(),
                    format!("Rule skipped: unknown fields {list}"),
                ));
            } else {
                diags.push(err(
                    "LOAD_ERR_COMPILE_CONDITION",
                    format!("unknown fields for source {}: {list}", r.source),
                ));
            }
            rules.push(LoadedRule {
                def: r.clone(),
                expr: None,
                missing_fields: unknown.into_iter().collect(),
            });
            continue;
        }
        // Falco loads these but throws when it evaluates them: the check never holds.
        let mut list_ops = BTreeSet::new();
        expr.walk(&mut |n| {
            if let Expr::Cmp {
                lhs: crate::filter::FieldExpr::Field { name, .. },
                op,
                ..
            } = n
            {
                if !crate::filter::compile::list_op_ok(*op)
                    && cat.field(name).is_some_and(|(_, d)| d.is_list)
                {
                    list_ops.insert(format!("{name} {}", op.as_str()));
                }
            }
        });
        if !list_ops.is_empty() {
            let list = list_ops.into_iter().collect::<Vec<_>>().join(", ");
            diags.push(diag(
                Level::Warning,
                "LOAD_COMPILE_CONDITION",
                &r.pos,
                line,
                item.clone(),
                format!("list fields support only 'exists', 'in' and 'intersects'; these checks never match: {list}"),
            ));
        }
        // Falco warns when a syscall rule would be tested on every event.
        if r.warn_evttypes
            && cat.index_field() == Some("evt.type")
            && crate::filter::index::pinned(&expr, "evt.type").is_none()
        {
            diags.push(diag(
                Level::Warning,
                "LOAD_NO_EVTTYPE",
                &r.pos,
                line,
                item.clone(),
                "Rule matches too many evt.type values. This has a significant performance penalty.".into(),
            ));
        }
        match compile(&expr, cat) {
            Ok(_) => rules.push(LoadedRule {
                def: r.clone(),
                expr: Some(expr),
                missing_fields: Vec::new(),
            }),
            Err(e) => {
                diags.push(err("LOAD_ERR_COMPILE_CONDITION", e.to_string()));
                rules.push(LoadedRule {
                    def: r.clone(),
                    expr: None,
                    missing_fields: Vec::new(),
                });
            }
        }
    }
    for m in &loader.macros {
        if !used.macros.contains(&m.name) {
            diags.push(diag(
                Level::Warning,
                "LOAD_UNUSED_MACRO",
                &m.pos,
                m.pos.line,
                format!("macro '{}'", m.name),
                "Macro not referred to by any other rule/macro".into(),
            ));
        }
    }
    for l in &loader.lists {
        if !used.lists.contains(&l.name) {
            diags.push(diag(
                Level::Warning,
                "LOAD_UNUSED_LIST",
                &l.pos,
                l.pos.line,
                format!("list '{}'", l.name),
                "List not referred to by any other rule/macro".into(),
            ));
        }
    }
    RuleSet {
        rules,
        diagnostics: diags,
        lists: loader.lists.len(),
        macros: loader.macros.len(),
    }
}
