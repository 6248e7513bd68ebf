//! The rules engine for one event source: the source's rules compiled, filed by index key,
//! and run on events in load order.

use crate::fields::{BoundField, EventSource};
use crate::filter::paths::{path_need, PathNeed};
use crate::filter::{compile, index::pinned, Expr, Node};
use crate::output::alert::{times, Alert};
use crate::output::format::{is_builtin, Piece};
use crate::output::Format;
use crate::rules::{Priority, RuleSet};
// FxHash: looked up once or twice per event by its type; keys come from the rules.
use rustc_hash::FxHashMap as HashMap;

/// Falco's `rule_matching`: `first` (the default) alerts for the first matching rule only.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Matching {
    #[default]
    First,
    All,
}

pub struct CompiledRule {
    pub name: String,
    pub priority: Priority,
    pub tags: Vec<String>,
    pub source: String,
    node: Node,
    /// The expanded condition, kept for analyses such as [`Engine::path_need`].
    cond: Expr,
    output: Vec<OutPiece>,
}

enum OutPiece {
    Lit(String),
    Field(String, Option<BoundField>),
}

pub struct Engine<S: EventSource> {
    pub source: S,
    pub rules: Vec<CompiledRule>,
    by_key: HashMap<String, Bucket>,
    unkeyed: Bucket,
    pub matching: Matching,
    /// Rules of this source left out, with the reason (disabled, missing fields, errors).
    pub skipped: Vec<(String, String)>,
    /// Put in every alert and in `%evt.hostname` (empty: left out).
    pub hostname: String,
    /// Falco's `append_output`: pieces added to every rule's output.
    extra: Vec<OutPiece>,
}

impl<S: EventSource> Engine<S> {
    pub fn new(source: S, set: &RuleSet) -> Self {
        let mut e = Engine {
            source,
            rules: Vec::new(),
            by_key: HashMap::default(),
            unkeyed: Bucket::default(),
            matching: Matching::First,
            skipped: Vec::new(),
            hostname: String::new(),
            extra: Vec::new(),
        };
        let src_name = e.source.source();
        for r in set.rules.iter().filter(|r| r.def.source == src_name) {
            if !r.def.enabled {
                e.skipped.push((r.def.name.clone(), "disabled".into()));
                continue;
            }
            let Some(expr) = r.expr.as_ref().filter(|_| r.evaluable()) else {
                let why = if r.missing_fields.is_empty() {
                    "condition does not compile".to_string()
                } else {
                    format!("fields not provided: {}", r.missing_fields.join(", "))
                };
                e.skipped.push((r.def.name.clone(), why));
                continue;
            };
            let node = match compile(expr, &e.source) {
                Ok(n) => n,
                Err(err) => {
                    e.skipped.push((r.def.name.clone(), err.to_string()));
                    continue;
                }
            };
            let output = e.pieces(&r.def.output);
            let idx = e.rules.len() as u32;
            let subs = e.source.sub_index_field().and_then(|f| pinned(expr, f));
            match e.source.index_field().and_then(|f| pinned(expr, f)) {
                Some(keys) => keys
                    .into_iter()
                    .for_each(|k| e.by_key.entry(k).or_default().file(idx, subs.as_ref())),
                None => e.unkeyed.file(idx, subs.as_ref()),
            }
            e.rules.push(CompiledRule {
                name: r.def.name.clone(),
                priority: r.def.priority,
                tags: r.def.tags.clone(),
                source: r.def.source.clone(),
                node,
                cond: expr.clone(),
                output,
            });
        }
        e
    }

    /// Indexes of the rules whose condition holds, without building alerts. Candidates are
    /// the rules filed under the event's key (and sub-key) merged with those that pin
    /// nothing, in load order.
    pub fn matches(&self, ev: &S::Event) -> Vec<usize> {
        let sub = self.source.sub_index_key(ev);
        let sub = sub.as_deref();
        let keyed = self
            .source
            .index_key(ev)
            .and_then(|k| self.by_key.get(k.as_ref()));
        let empty = Bucket::default();
        let keyed = keyed.unwrap_or(&empty);
        let mut lists = [
            keyed.any.as_slice(),
            keyed.sub(sub),
            self.unkeyed.any.as_slice(),
            self.unkeyed.sub(sub),
        ];
        let mut hits = Vec::new();
        // A four-way merge of short sorted lists, without allocating.
        loop {
            let mut best: Option<(usize, u32)> = None;
            for (i, l) in lists.iter().enumerate() {
                if let Some(&v) = l.first() {
                    if best.is_none_or(|(_, b)| v < b) {
                        best = Some((i, v));
                    }
                }
            }
            let Some((i, next)) = best else { break };
            lists[i] = &lists[i][1..];
            if self.rules[next as usize].node.eval(&self.source, ev) {
                hits.push(next as usize);
                if self.matching == Matching::First {
                    break;
                }
            }
        }
        hits
    }

    /// How many rules are filed under index keys, and how many are tested on every event
    /// (of any key and sub-key).
    pub fn index_stats(&self) -> (usize, usize) {
        let n = self.rules.len();
        (n - self.unkeyed.any.len(), self.unkeyed.any.len())
    }

    fn pieces(&self, format: &str) -> Vec<OutPiece> {
        Format::parse(format)
            .pieces
            .into_iter()
            .map(|p| match p {
                Piece::Lit(s) => OutPiece::Lit(s),
                Piece::Field(f) => {
                    let bound = if is_builtin(&f.name) {
                        None
                    } else {
                        self.source.bind(&f.name, f.arg.as_deref(), &f.text).ok()
                    };
                    OutPiece::Field(f.text, bound)
                }
            })
            .collect()
    }

    /// Falco's `append_output`: `format` (literal text and `%fields`) is added to the output
    /// of every alert, and its fields to `output_fields`.
    pub fn append_output(&mut self, format: &str) {
        let mut p = self.pieces(format);
        self.extra.append(&mut p);
    }

    /// The index keys (event types, for syscalls) the rules are filed under, or `None` when
    /// some rule is tested on every event: what a sensor must deliver, and nothing more.
    pub fn index_keys(&self) -> Option<Vec<&str>> {
        if !self.unkeyed.any.is_empty() || !self.unkeyed.by_sub.is_empty() {
            return None;
        }
        let mut keys: Vec<&str> = self.by_key.keys().map(String::as_str).collect();
        keys.sort_unstable();
        Some(keys)
    }

    /// What the rules that can see an event of one of `types` (`open`, `openat`…) need of its
    /// path: a sensor may drop the events whose path passes none of the tests.
    pub fn path_need(&self, types: &[&str]) -> PathNeed {
        let unkeyed = self
            .unkeyed
            .any
            .iter()
            .chain(self.unkeyed.by_sub.values().flatten());
        let mut need = PathNeed::Some(Vec::new());
        for t in types {
            let keyed = self
                .by_key
                .get(*t)
                .into_iter()
                .flat_map(|b| b.any.iter().chain(b.by_sub.values().flatten()));
            for &i in keyed.chain(unkeyed.clone()) {
                need = need.or(path_need(&self.rules[i as usize].cond, t));
                if need == PathNeed::Any {
                    return need;
                }
            }
        }
        need
    }

    pub fn process(&self, ev: &S::Event) -> Vec<Alert> {
        self.matches(ev)
            .into_iter()
            .map(|i| self.alert(&self.rules[i], ev))
            .collect()
    }

    fn alert(&self, r: &CompiledRule, ev: &S::Event) -> Alert {
        let ns = self.source.time_ns(ev);
        let (iso, clock) = times(ns);
        let mut text = String::new();
        let mut fields = serde_json::Map::new();
        for p in r.output.iter().chain(&self.extra) {
            match p {
                OutPiece::Lit(s) => text.push_str(s),
                OutPiece::Field(name, bound) => {
                    // List fields print as `(a,b)` and are JSON arrays in output_fields.
                    let (v, json) = match (name.as_str(), bound) {
                        ("rule", _) => (Some(r.name.clone()), None),
                        ("evt.time" | "evt.time.iso8601", _) => (Some(iso.clone()), None),
                        ("evt.rawtime", _) => (Some(ns.to_string()), None),
                        ("evt.source", _) => (Some(r.source.clone()), None),
                        ("evt.hostname", _) => (
                            (!self.hostname.is_empty()).then(|| self.hostname.clone()),
                            None,
                        ),
                        (_, Some(b)) if b.is_list => {
                            let x = self.source.extract(b, ev);
                            let arr: Vec<serde_json::Value> = x
                                .values()
                                .iter()
                                .map(|v| serde_json::Value::String(v.render().into_owned()))
                                .collect();
                            let present = !x.is_missing();
                            (
                                present.then(|| x.render_list()),
                                present.then_some(serde_json::Value::Array(arr)),
                            )
                        }
                        (_, Some(b)) => {
                            let x = self.source.extract(b, ev);
                            ((!x.is_missing()).then(|| x.render()), None)
                        }
                        _ => (None, None),
                    };
                    text.push_str(v.as_deref().unwrap_or("<NA>"));
                    let j = json.unwrap_or_else(|| {
                        v.map_or(serde_json::Value::Null, serde_json::Value::String)
                    });
                    fields.insert(name.clone(), j);
                }
            }
        }
        Alert {
            rule: r.name.clone(),
            priority: r.priority.as_str().to_string(),
            time: iso,
            output: format!("{clock}: {} {}", r.priority.as_str(), text.trim_end()),
            output_fields: fields,
            source: r.source.clone(),
            tags: r.tags.clone(),
            hostname: self.hostname.clone(),
            object: self.source.object(ev),
            priority_level: r.priority,
        }
    }
}

/// Rules filed under one index key: those that also pin the sub-index field (Kubernetes
/// resource), and those that do not.
#[derive(Debug, Default)]
struct Bucket {
    any: Vec<u32>,
    by_sub: HashMap<String, Vec<u32>>,
}

impl Bucket {
    fn file(&mut self, idx: u32, subs: Option<&std::collections::BTreeSet<String>>) {
        match subs {
            Some(subs) => subs
                .iter()
                .for_each(|s| self.by_sub.entry(s.clone()).or_default().push(idx)),
            None => self.any.push(idx),
        }
    }

    fn sub(&self, key: Option<&str>) -> &[u32] {
        key.and_then(|k| self.by_sub.get(k))
            .map_or(&[], Vec::as_slice)
    }
}
