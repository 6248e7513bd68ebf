//! Reads rules files in order into one set of lists, macros and rules, applying Falco's
//! `append: true`, `override:` and redefinition rules (a later file wins).

use super::diag::{Diagnostic, Level};
use super::model::{ExceptionDef, ListDef, MacroDef, OneOrMany, Pos, RuleDef};
use super::priority::Priority;
use super::yaml::{self, scalar, Item};
use serde_yaml::{Mapping, Value};

/// The engine version Palisade implements (Falco's numbering; `required_engine_version`
/// above it is an error).
pub const ENGINE_VERSION: (u64, u64, u64) = (0, 57, 0);

/// Plugins whose fields Palisade provides itself, with the version it matches.
pub const PROVIDED_PLUGINS: &[(&str, &str)] = &[
    ("k8saudit", "0.18.0"),
    ("k8saudit-aks", "0.6.0"),
    ("k8saudit-eks", "0.12.0"),
    ("k8saudit-gke", "0.9.0"),
    ("k8saudit-ovh", "0.6.0"),
    ("json", "0.7.0"),
    // container.* fields are part of Palisade's syscall event.
    ("container", "0.4.0"),
];

#[derive(Debug, Default)]
pub struct Loader {
    pub lists: Vec<ListDef>,
    pub macros: Vec<MacroDef>,
    pub rules: Vec<RuleDef>,
    pub diagnostics: Vec<Diagnostic>,
    /// Plugins named by `required_plugin_versions` that Palisade does not provide.
    pub missing_plugins: Vec<String>,
}

const RULE_APPEND_KEYS: &[&str] = &["condition", "output", "desc", "tags", "exceptions"];
const RULE_REPLACE_KEYS: &[&str] = &[
    "condition",
    "output",
    "desc",
    "tags",
    "exceptions",
    "priority",
    "enabled",
    "warn_evttypes",
    "skip-if-unknown-filter",
];

struct Ctx<'a> {
    file: &'a str,
    text: &'a str,
    item: &'a Item,
}

impl Ctx<'_> {
    fn pos(&self) -> Pos {
        Pos {
            file: self.file.to_string(),
            line: self.item.line,
            condition_line: yaml::key_line(self.text, self.item, "condition")
                .unwrap_or(self.item.line),
        }
    }
}

fn get<'a>(m: &'a Mapping, k: &str) -> Option<&'a Value> {
    m.get(Value::String(k.to_string()))
}

fn get_str(m: &Mapping, k: &str) -> Option<String> {
    get(m, k).and_then(scalar)
}

fn get_bool(m: &Mapping, k: &str) -> Option<bool> {
    get(m, k).and_then(Value::as_bool)
}

fn strings(v: &Value) -> Option<Vec<String>> {
    match v {
        Value::Sequence(s) => s.iter().map(scalar).collect(),
        Value::Null => Some(Vec::new()),
        _ => None,
    }
}

fn one_or_many(v: &Value) -> Option<OneOrMany> {
    match v {
        Value::Sequence(_) => strings(v).map(OneOrMany::Many),
        other => scalar(other).map(OneOrMany::One),
    }
}

fn parse_version(v: &Value) -> Option<(u64, u64, u64)> {
    if let Some(n) = v.as_u64() {
        return Some((0, n, 0));
    }
    let s = scalar(v)?;
    let mut parts = s.trim().split('.').map(|p| p.parse::<u64>().ok());
    Some((
        parts.next()??,
        parts.next().flatten().unwrap_or(0),
        parts.next().flatten().unwrap_or(0),
    ))
}

impl Loader {
    pub fn new() -> Self {
        Self::default()
    }

    fn diag(
        &mut self,
        level: Level,
        code: &'static str,
        cx: &Ctx<'_>,
        item: Option<String>,
        msg: impl Into<String>,
    ) {
        self.diagnostics.push(Diagnostic {
            level,
            code,
            file: cx.file.to_string(),
            line: cx.item.line,
            column: if cx.item.line > 0 { 1 } else { 0 },
            item,
            message: msg.into(),
        });
    }

    /// Loads one file's content. Errors become diagnostics; loading goes on with the next
    /// item as far as Falco would.
    pub fn load(&mut self, file: &str, text: &str) {
        let items = match yaml::items(text) {
            Ok(i) => i,
            Err((line, column, message)) => {
                self.diagnostics.push(Diagnostic {
                    level: Level::Error,
                    code: "LOAD_ERR_YAML_PARSE",
                    file: file.to_string(),
                    line,
                    column,
                    item: None,
                    message,
                });
                return;
            }
        };
        for item in &items {
            let cx = Ctx { file, text, item };
            let Value::Mapping(m) = &item.value else {
                self.diag(
                    Level::Error,
                    "LOAD_ERR_YAML_VALIDATE",
                    &cx,
                    None,
                    "Unexpected element type. Each element should be a yaml associative array.",
                );
                continue;
            };
            if get(m, "rule").is_some() {
                self.rule(&cx, m);
            } else if get(m, "macro").is_some() {
                self.macro_item(&cx, m);
            } else if get(m, "list").is_some() {
                self.list(&cx, m);
            } else if let Some(v) = get(m, "required_engine_version") {
                match parse_version(v) {
                    Some(req) if req > ENGINE_VERSION => self.diag(
                        Level::Error,
                        "LOAD_ERR_VALIDATE",
                        &cx,
                        None,
                        format!(
                            "Rules require engine version {}.{}.{} but engine version is {}.{}.{}",
                            req.0,
                            req.1,
                            req.2,
                            ENGINE_VERSION.0,
                            ENGINE_VERSION.1,
                            ENGINE_VERSION.2
                        ),
                    ),
                    Some(_) => {}
                    None => self.diag(
                        Level::Error,
                        "LOAD_ERR_YAML_VALIDATE",
                        &cx,
                        None,
                        "Can't decode required_engine_version",
                    ),
                }
            } else if let Some(v) = get(m, "required_plugin_versions") {
                self.plugins(&cx, v);
            } else {
                let keys: Vec<String> = m.keys().filter_map(scalar).collect();
                self.diag(
                    Level::Warning,
                    "LOAD_UNKNOWN_ITEM",
                    &cx,
                    None,
                    format!("Unknown top level item {}", keys.join(", ")),
                );
            }
        }
    }

    fn plugins(&mut self, cx: &Ctx<'_>, v: &Value) {
        let Value::Sequence(reqs) = v else {
            self.diag(
                Level::Error,
                "LOAD_ERR_YAML_VALIDATE",
                cx,
                None,
                "required_plugin_versions must be a list",
            );
            return;
        };
        for r in reqs {
            let Value::Mapping(m) = r else { continue };
            let Some(name) = get_str(m, "name") else {
                self.diag(
                    Level::Error,
                    "LOAD_ERR_YAML_VALIDATE",
                    cx,
                    None,
                    "required_plugin_versions entry without a name",
                );
                continue;
            };
            let mut names = vec![name.clone()];
            if let Some(Value::Sequence(alts)) = get(m, "alternatives") {
                names.extend(
                    alts.iter()
                        .filter_map(|a| a.as_mapping().and_then(|a| get_str(a, "name"))),
                );
            }
            let provided = names
                .iter()
                .any(|n| PROVIDED_PLUGINS.iter().any(|(p, _)| p == n));
            if !provided && !self.missing_plugins.contains(&name) {
                self.missing_plugins.push(name.clone());
                self.diag(
                    Level::Warning,
                    "LOAD_PLUGIN_NOT_PROVIDED",
                    cx,
                    None,
                    format!("plugin '{name}' is not provided by Palisade; rules using its fields load but are not evaluated"),
                );
            }
        }
    }

    fn list(&mut self, cx: &Ctx<'_>, m: &Mapping) {
        let Some(name) = get_str(m, "list") else {
            self.diag(
                Level::Error,
                "LOAD_ERR_YAML_VALIDATE",
                cx,
                None,
                "list name is not a string",
            );
            return;
        };
        let label = Some(format!("list '{name}'"));
        let Some(items) = get(m, "items").and_then(strings) else {
            self.diag(
                Level::Error,
                "LOAD_ERR_YAML_VALIDATE",
                cx,
                label,
                "Item has no mapping for key 'items' (or it is not a list of strings)",
            );
            return;
        };
        let mode = match self.mode(cx, m, label.clone(), &["items"], &["items"]) {
            Some(m) => m,
            None => return,
        };
        let existing = self.lists.iter_mut().find(|l| l.name == name);
        match (existing, mode.get("items").copied()) {
            (Some(l), Some(Mode::Append)) => l.items.extend(items),
            (None, Some(Mode::Append)) => self.diag(
                Level::Error,
                "LOAD_ERR_VALIDATE",
                cx,
                label,
                "List has 'append' key but no list by that name already exists",
            ),
            (Some(l), _) => {
                l.items = items;
                l.pos = cx.pos();
            }
            (None, Some(Mode::Replace)) => self.diag(
                Level::Error,
                "LOAD_ERR_VALIDATE",
                cx,
                label,
                "An override was specified but no list by that name already exists",
            ),
            (None, None) => self.lists.push(ListDef {
                name,
                items,
                pos: cx.pos(),
            }),
        }
    }

    fn macro_item(&mut self, cx: &Ctx<'_>, m: &Mapping) {
        let Some(name) = get_str(m, "macro") else {
            self.diag(
                Level::Error,
                "LOAD_ERR_YAML_VALIDATE",
                cx,
                None,
                "macro name is not a string",
            );
            return;
        };
        let label = Some(format!("macro '{name}'"));
        let Some(cond) = get_str(m, "condition") else {
            self.diag(
                Level::Error,
                "LOAD_ERR_YAML_VALIDATE",
                cx,
                label,
                "Item has no mapping for key 'condition'",
            );
            return;
        };
        let Some(mode) = self.mode(cx, m, label.clone(), &["condition"], &["condition"]) else {
            return;
        };
        let existing = self.macros.iter_mut().find(|x| x.name == name);
        match (existing, mode.get("condition").copied()) {
            (Some(x), Some(Mode::Append)) => x.condition = format!("{} {}", x.condition, cond),
            (None, Some(Mode::Append)) => self.diag(
                Level::Error,
                "LOAD_ERR_VALIDATE",
                cx,
                label,
                "Macro has 'append' key but no macro by that name already exists",
            ),
            (Some(x), _) => {
                x.condition = cond;
                x.pos = cx.pos();
            }
            (None, Some(Mode::Replace)) => self.diag(
                Level::Error,
                "LOAD_ERR_VALIDATE",
                cx,
                label,
                "An override was specified but no macro by that name already exists",
            ),
            (None, None) => self.macros.push(MacroDef {
                name,
                condition: cond,
                pos: cx.pos(),
            }),
        }
    }

    /// Per-key merge modes from `append: true` or `override:`; `None` after an error.
    fn mode(
        &mut self,
        cx: &Ctx<'_>,
        m: &Mapping,
        label: Option<String>,
        append_keys: &[&str],
        replace_keys: &[&str],
    ) -> Option<Modes> {
        let append = get_bool(m, "append").unwrap_or(false);
        let ov = get(m, "override");
        if append && ov.is_some() {
            self.diag(
                Level::Error,
                "LOAD_ERR_YAML_VALIDATE",
                cx,
                label,
                "Keys 'override' and 'append: true' cannot be used together.",
            );
            return None;
        }
        let mut modes = Modes::default();
        if append {
            for k in append_keys {
                if get(m, k).is_some() {
                    modes.0.push(((*k).to_string(), Mode::Append));
                }
            }
            return Some(modes);
        }
        let Some(ov) = ov else {
            return Some(modes);
        };
        let Value::Mapping(ov) = ov else {
            self.diag(
                Level::Error,
                "LOAD_ERR_YAML_VALIDATE",
                cx,
                label,
                "'override' must be a mapping of key: append|replace",
            );
            return None;
        };
        for (k, v) in ov {
            let (Some(k), Some(v)) = (scalar(k), scalar(v)) else {
                continue;
            };
            let mode = match v.as_str() {
                "append" if append_keys.contains(&k.as_str()) => Mode::Append,
                "replace" if replace_keys.contains(&k.as_str()) => Mode::Replace,
                _ => {
                    self.diag(
                        Level::Error,
                        "LOAD_ERR_YAML_VALIDATE",
                        cx,
                        label,
                        format!("Key '{k}' cannot be overridden with '{v}'"),
                    );
                    return None;
                }
            };
            if get(m, &k).is_none() {
                self.diag(
                    Level::Error,
                    "LOAD_ERR_YAML_VALIDATE",
                    cx,
                    label,
                    format!("An override is defined for '{k}' but the key is missing"),
                );
                return None;
            }
            modes.0.push((k, mode));
        }
        Some(modes)
    }

    fn rule(&mut self, cx: &Ctx<'_>, m: &Mapping) {
        let Some(name) = get_str(m, "rule") else {
            self.diag(
                Level::Error,
                "LOAD_ERR_YAML_VALIDATE",
                cx,
                None,
                "rule name is not a string",
            );
            return;
        };
        let label = Some(format!("rule '{name}'"));
        let Some(mode) = self.mode(cx, m, label.clone(), RULE_APPEND_KEYS, RULE_REPLACE_KEYS)
        else {
            return;
        };
        let exceptions = match get(m, "exceptions").map(parse_exceptions) {
            Some(Err(e)) => {
                self.diag(Level::Error, "LOAD_ERR_YAML_VALIDATE", cx, label, e);
                return;
            }
            Some(Ok(x)) => Some(x),
            None => None,
        };
        let priority = match get_str(m, "priority") {
            Some(p) => match Priority::parse(&p) {
                Some(p) => Some(p),
                None => {
                    self.diag(
                        Level::Error,
                        "LOAD_ERR_YAML_VALIDATE",
                        cx,
                        label,
                        format!("Invalid priority '{p}'"),
                    );
                    return;
                }
            },
            None => None,
        };
        let tags = get(m, "tags").and_then(strings);
        let idx = self.rules.iter().position(|r| r.name == name);
        let is_merge = !mode.0.is_empty()
            || get_bool(m, "append").unwrap_or(false)
            || get(m, "override").is_some();
        if is_merge {
            let Some(i) = idx else {
                self.diag(
                    Level::Error,
                    "LOAD_ERR_VALIDATE",
                    cx,
                    label,
                    "Rule has 'append' key or an override but no rule by that name already exists",
                );
                return;
            };
            let r = &mut self.rules[i];
            for (k, md) in &mode.0 {
                match (k.as_str(), md) {
                    ("condition", Mode::Append) => {
                        r.condition =
                            format!("{} {}", r.condition, get_str(m, k).unwrap_or_default())
                    }
                    ("output", Mode::Append) => {
                        r.output = format!("{} {}", r.output, get_str(m, k).unwrap_or_default())
                    }
                    ("desc", Mode::Append) => {
                        r.desc = format!("{} {}", r.desc, get_str(m, k).unwrap_or_default())
                    }
                    ("tags", Mode::Append) => r.tags.extend(tags.clone().unwrap_or_default()),
                    ("exceptions", Mode::Append) => {
                        merge_exceptions(&mut r.exceptions, exceptions.clone().unwrap_or_default())
                    }
                    ("condition", _) => r.condition = get_str(m, k).unwrap_or_default(),
                    ("output", _) => r.output = get_str(m, k).unwrap_or_default(),
                    ("desc", _) => r.desc = get_str(m, k).unwrap_or_default(),
                    ("tags", _) => r.tags = tags.clone().unwrap_or_default(),
                    ("exceptions", _) => r.exceptions = exceptions.clone().unwrap_or_default(),
                    ("priority", _) => r.priority = priority.unwrap_or(r.priority),
                    ("enabled", _) => r.enabled = get_bool(m, k).unwrap_or(r.enabled),
                    ("warn_evttypes", _) => {
                        r.warn_evttypes = get_bool(m, k).unwrap_or(r.warn_evttypes)
                    }
                    ("skip-if-unknown-filter", _) => {
                        r.skip_if_unknown_filter = get_bool(m, k).unwrap_or(false)
                    }
                    _ => {}
                }
            }
            if mode.0.iter().any(|(k, _)| k == "condition") {
                r.pos.condition_line = cx.pos().condition_line;
            }
            return;
        }
        // `- rule: X` with `enabled:` only switches an existing rule on or off.
        if get(m, "condition").is_none() {
            if let (Some(i), Some(en)) = (idx, get_bool(m, "enabled")) {
                self.rules[i].enabled = en;
                return;
            }
        }
        let mut missing = Vec::new();
        for k in ["condition", "output", "desc", "priority"] {
            if get(m, k).is_none() {
                missing.push(k);
            }
        }
        if !missing.is_empty() {
            self.diag(
                Level::Error,
                "LOAD_ERR_YAML_VALIDATE",
                cx,
                label,
                format!("Item has no mapping for key '{}'", missing.join("', '")),
            );
            return;
        }
        let def = RuleDef {
            name: name.clone(),
            desc: get_str(m, "desc").unwrap_or_default(),
            condition: get_str(m, "condition").unwrap_or_default(),
            output: get_str(m, "output").unwrap_or_default(),
            priority: priority.unwrap_or(super::priority::Priority::Debug),
            source: get_str(m, "source").unwrap_or_else(|| "syscall".to_string()),
            tags: tags.unwrap_or_default(),
            enabled: get_bool(m, "enabled").unwrap_or(true),
            exceptions: exceptions.unwrap_or_default(),
            warn_evttypes: get_bool(m, "warn_evttypes").unwrap_or(true),
            skip_if_unknown_filter: get_bool(m, "skip-if-unknown-filter").unwrap_or(false),
            pos: cx.pos(),
        };
        match idx {
            Some(i) => self.rules[i] = def,
            None => self.rules.push(def),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    Append,
    Replace,
}

#[derive(Debug, Default)]
struct Modes(Vec<(String, Mode)>);

impl Modes {
    fn get(&self, k: &str) -> Option<&Mode> {
        self.0.iter().find(|(x, _)| x == k).map(|(_, m)| m)
    }
}

fn parse_exceptions(v: &Value) -> Result<Vec<ExceptionDef>, String> {
    let Value::Sequence(items) = v else {
        return Err("'exceptions' must be a list".into());
    };
    items
        .iter()
        .map(|e| {
            let Value::Mapping(m) = e else {
                return Err("each exception must be a mapping".to_string());
            };
            let name = get_str(m, "name").ok_or("exception without a 'name'")?;
            let values = match get(m, "values") {
                Some(Value::Sequence(v)) => v.clone(),
                Some(Value::Null) | None => Vec::new(),
                Some(_) => return Err(format!("exception '{name}': 'values' must be a list")),
            };
            Ok(ExceptionDef {
                fields: get(m, "fields").and_then(one_or_many),
                comps: get(m, "comps").and_then(one_or_many),
                name,
                values,
            })
        })
        .collect()
}

/// Appending exceptions adds values to same-named ones and keeps new ones.
fn merge_exceptions(into: &mut Vec<ExceptionDef>, new: Vec<ExceptionDef>) {
    for e in new {
        match into.iter_mut().find(|x| x.name == e.name) {
            Some(x) => x.values.extend(e.values),
            None => into.push(e),
        }
    }
}
