//! What a Pod Security check reads and what a failed check reports, shaped after the PSA
//! library's `CheckResult` with field errors (Kyverno's fork, `policy.WithFieldErrors()`):
//! Kyverno's exclusions work on those field errors (their path, their "bad values"), so the
//! checks here must produce the same paths and values, not just a verdict.
//!
//! The pod is read straight from JSON: a field of the wrong type counts as unset (the API server
//! would have rejected such a manifest; reading it leniently never panics on hostile input).

use serde_json::Value;

/// `null`, for a pod without `metadata`.
pub(crate) static NULL: Value = Value::Null;

/// The container lists in the order the PSA visitor walks them.
pub(crate) const CONTAINER_LISTS: [&str; 3] =
    ["initContainers", "containers", "ephemeralContainers"];

/// A pod: its metadata (annotations) and its spec.
#[derive(Clone, Copy)]
pub(crate) struct Pod<'a> {
    pub meta: &'a Value,
    pub spec: &'a Value,
}

/// One container with the field path PSA reports for it (`spec.containers[0]`).
pub(crate) struct Container<'a> {
    pub name: &'a str,
    pub node: &'a Value,
    pub path: String,
}

impl<'a> Pod<'a> {
    /// Every container: init containers, then containers, then ephemeral containers.
    pub fn containers(&self) -> Vec<Container<'a>> {
        let mut out = Vec::new();
        for list in CONTAINER_LISTS {
            let Some(items) = self.spec.get(list).and_then(Value::as_array) else {
                continue;
            };
            for (i, node) in items.iter().enumerate() {
                out.push(Container {
                    name: str_at(node, &["name"]),
                    node,
                    path: format!("spec.{list}[{i}]"),
                });
            }
        }
        out
    }

    /// `spec.securityContext.<path>`, unless unset or `null`.
    pub fn psc(&self, path: &[&str]) -> Option<&'a Value> {
        at(self.spec.get("securityContext")?, path)
    }

    /// Windows pods are exempt from some restricted checks from v1.25 on.
    pub fn is_windows(&self) -> bool {
        str_at(self.spec, &["os", "name"]) == "windows"
    }
}

impl<'a> Container<'a> {
    /// `securityContext.<path>` of the container, unless unset or `null`.
    pub fn sc(&self, path: &[&str]) -> Option<&'a Value> {
        at(self.node.get("securityContext")?, path)
    }

    /// `<container path>.<child>`.
    pub fn field(&self, child: &str) -> String {
        format!("{}.{child}", self.path)
    }
}

/// The value at `path` below `v`, treating `null` as absent (Go's nil pointer).
pub(crate) fn at<'a>(v: &'a Value, path: &[&str]) -> Option<&'a Value> {
    let mut cur = v;
    for key in path {
        cur = cur.get(*key)?;
    }
    (!cur.is_null()).then_some(cur)
}

/// The string at `path`, or "" (Go's zero value) when unset or not a string.
pub(crate) fn str_at<'a>(v: &'a Value, path: &[&str]) -> &'a str {
    at(v, path).and_then(Value::as_str).unwrap_or("")
}

/// Whether the value is the boolean `true`.
pub(crate) fn is_true(v: Option<&Value>) -> bool {
    matches!(v, Some(Value::Bool(true)))
}

/// The strings of a string list; other items are skipped.
pub(crate) fn strings(v: Option<&Value>) -> Vec<&str> {
    v.and_then(Value::as_array)
        .map(|a| a.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default()
}

/// The offending value a field error carries (Go's `BadValue`, an `interface{}`).
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Bad {
    /// `""`: PSA's `forbidden(path)` and `required(path)` carry no value.
    Empty,
    Str(String),
    Bool(bool),
    Int(i64),
    List(Vec<String>),
}

impl Bad {
    /// The values an exclusion's `values` are matched against (Kyverno's `extractBadValues`).
    pub fn values(&self) -> Vec<String> {
        match self {
            Bad::Empty => Vec::new(),
            Bad::Str(s) if s.is_empty() => Vec::new(),
            Bad::Str(s) => vec![s.clone()],
            Bad::Bool(b) => vec![b.to_string()],
            Bad::Int(i) => vec![i.to_string()],
            Bad::List(l) => l.clone(),
        }
    }

    /// Go's `%+v` of the value.
    fn display(&self) -> String {
        match self {
            Bad::Empty => String::new(),
            Bad::Str(s) => s.clone(),
            Bad::Bool(b) => b.to_string(),
            Bad::Int(i) => i.to_string(),
            Bad::List(l) => format!("[{}]", l.join(" ")),
        }
    }
}

/// A field error: `field.Forbidden` or `field.Required`.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct FieldErr {
    pub required: bool,
    pub field: String,
    pub bad: Bad,
}

impl FieldErr {
    pub fn forbidden(field: String, bad: Bad) -> FieldErr {
        FieldErr {
            required: false,
            field,
            bad,
        }
    }

    pub fn required(field: String) -> FieldErr {
        FieldErr {
            required: true,
            field,
            bad: Bad::Empty,
        }
    }

    /// As Kyverno's `FormatChecksPrint` prints one error.
    pub fn message(&self) -> String {
        if self.required {
            return format!("{}: Required value", self.field);
        }
        match &self.bad {
            Bad::Empty => format!("{}: Forbidden", self.field),
            Bad::Str(s) if s.is_empty() => format!("{}: Forbidden", self.field),
            bad => format!(
                "{} is forbidden, forbidden values found: {}",
                self.field,
                bad.display()
            ),
        }
    }
}

/// A failed check: PSA's `CheckResult` with `Allowed: false`.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Failure {
    /// PSA check ID (`allowPrivilegeEscalation`).
    pub id: &'static str,
    /// `ForbiddenReason`.
    pub reason: String,
    /// `ForbiddenDetail`.
    pub detail: String,
    pub errs: Vec<FieldErr>,
    /// Names of the offending containers, for the images Kyverno reports.
    pub containers: Vec<String>,
}

/// A failed check from its parts.
pub(crate) fn fail(id: &'static str, reason: &str, detail: String, s: Setters) -> Option<Failure> {
    Some(Failure {
        id,
        reason: reason.to_string(),
        detail,
        errs: s.errs,
        containers: s.containers,
    })
}

/// PSA's `Violations`: what offended (for the detail) and the field errors, in order.
#[derive(Default)]
pub(crate) struct Setters {
    pub data: Vec<String>,
    pub errs: Vec<FieldErr>,
    pub containers: Vec<String>,
}

impl Setters {
    pub fn add(&mut self, data: impl Into<String>, errs: impl IntoIterator<Item = FieldErr>) {
        self.data.push(data.into());
        self.errs.extend(errs);
    }

    /// Adds one offending container.
    pub fn add_container(&mut self, name: &str, errs: impl IntoIterator<Item = FieldErr>) {
        self.containers.push(name.to_string());
        self.add(name, errs);
    }

    pub fn is_empty(&self) -> bool {
        self.data.is_empty()
    }
}

/// `singular` for one, `plural` otherwise.
pub(crate) fn plural<'s>(singular: &'s str, plural: &'s str, n: usize) -> &'s str {
    if n == 1 {
        singular
    } else {
        plural
    }
}

/// PSA's `joinQuote`: `"a", "b"` (no escaping, as PSA does).
pub(crate) fn join_quote<S: AsRef<str>>(items: &[S]) -> String {
    if items.is_empty() {
        return String::new();
    }
    let inner: Vec<&str> = items.iter().map(AsRef::as_ref).collect();
    format!("\"{}\"", inner.join("\", \""))
}

/// `container "a"` / `containers "a", "b"`.
pub(crate) fn containers_phrase<S: AsRef<str>>(names: &[S]) -> String {
    format!(
        "{} {}",
        plural("container", "containers", names.len()),
        join_quote(names)
    )
}

/// Sorted, deduplicated (Go's `sets.NewString(...).List()`).
pub(crate) fn sorted_set<I: IntoIterator<Item = String>>(items: I) -> Vec<String> {
    let set: std::collections::BTreeSet<String> = items.into_iter().collect();
    set.into_iter().collect()
}
