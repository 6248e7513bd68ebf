//! The syscall event source, as recorded in Palisade's own JSON-lines format: one flat JSON
//! object per event whose keys are Falco field names, so a recorder (the eBPF sensor of
//! issue 20, or a test) writes exactly what rules read:
//!
//! ```json
//! {"evt.type":"execve","evt.rawtime":1700000000000000000,"proc.name":"bash",
//!  "proc.aname":["sshd","systemd"],"proc.cmdline":"bash -i","user.name":"root",
//!  "container.id":"abc123","evt.arg.flags":"O_RDONLY","fd.sip":"10.0.0.5"}
//! ```
//!
//! Ancestor fields (`proc.aname`, `proc.aexe`, `proc.aexepath`, `proc.acmdline`,
//! `proc.apid`) hold the ancestors, parent first; index 0 is the process itself, as in
//! Falco. Arguments are keys of their own: `evt.arg.flags`, `proc.env[HOME]`.

pub mod fields;

use crate::fields::{
    BoundField, EventSource, Extracted, FieldArg, FieldCatalog, FieldDef, FieldType, Value,
};
use serde_json::{Map, Value as J};
use std::borrow::Cow;
use std::sync::Arc;

pub const SOURCE: &str = "syscall";

#[derive(Debug, Clone)]
pub struct SyscallEvent {
    pub fields: Map<String, J>,
    /// Fields shared by many events (a live sensor's per-process fields), read after
    /// `fields`; building them once per process instead of once per event is what keeps a
    /// sensor's event loop fast.
    pub shared: Option<Arc<Map<String, J>>>,
    pub time_ns: i64,
}

impl SyscallEvent {
    pub fn get(&self, k: &str) -> Option<&J> {
        self.fields
            .get(k)
            .or_else(|| self.shared.as_ref().and_then(|s| s.get(k)))
    }

    /// Every field in one map (`fields` win), as a recording stores the event.
    pub fn merged(&self) -> Map<String, J> {
        let mut m = self.shared.as_deref().cloned().unwrap_or_default();
        m.extend(self.fields.iter().map(|(k, v)| (k.clone(), v.clone())));
        m
    }

    pub fn from_value(v: J) -> Option<SyscallEvent> {
        let J::Object(fields) = v else { return None };
        let time_ns = match fields.get("evt.rawtime") {
            Some(J::Number(n)) => n.as_i64().unwrap_or(0),
            _ => fields
                .get("evt.time")
                .and_then(J::as_str)
                .and_then(|t| chrono::DateTime::parse_from_rfc3339(t).ok())
                .and_then(|t| t.timestamp_nanos_opt())
                .unwrap_or(0),
        };
        Some(SyscallEvent {
            fields,
            shared: None,
            time_ns,
        })
    }
}

/// JSON lines of events; a line that is not an object is an error with its number.
pub fn parse_lines(data: &[u8]) -> Vec<(usize, Result<SyscallEvent, String>)> {
    String::from_utf8_lossy(data)
        .lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
        .map(|(i, l)| {
            let r = serde_json::from_str::<J>(l)
                .map_err(|e| e.to_string())
                .and_then(|v| {
                    SyscallEvent::from_value(v).ok_or_else(|| "not a JSON object".to_string())
                });
            (i + 1, r)
        })
        .collect()
}

#[derive(Debug, Default, Clone, Copy)]
pub struct Syscall;

const ANCESTOR: &[(&str, &str)] = &[
    ("proc.aname", "proc.name"),
    ("proc.aexe", "proc.exe"),
    ("proc.aexepath", "proc.exepath"),
    ("proc.acmdline", "proc.cmdline"),
    ("proc.apid", "proc.pid"),
];

/// The stored field, besides `name` itself, that extracting `name` may read: an ancestor
/// field at index 0 is the process's own field, and `proc.pname` falls back to
/// `proc.aname`. A producer that fills only the fields rules read must fill this one too.
pub fn also_reads(name: &str) -> Option<&'static str> {
    if name == "proc.pname" {
        return Some("proc.aname");
    }
    ANCESTOR
        .iter()
        .find(|(a, _)| *a == name)
        .map(|(_, own)| *own)
}

impl FieldCatalog for Syscall {
    fn source(&self) -> &'static str {
        SOURCE
    }

    fn fields(&self) -> &[FieldDef] {
        fields::table()
    }

    fn field(&self, name: &str) -> Option<(u16, &FieldDef)> {
        let name = if name.starts_with("evt.arg.") {
            "evt.arg"
        } else if name.starts_with("evt.rawarg.") {
            "evt.rawarg"
        } else {
            name
        };
        self.fields()
            .iter()
            .enumerate()
            .find(|(_, f)| f.name == name)
            .and_then(|(i, f)| u16::try_from(i).ok().map(|i| (i, f)))
    }

    fn index_field(&self) -> Option<&'static str> {
        Some("evt.type")
    }

    fn bind(&self, name: &str, arg: Option<&str>, text: &str) -> Result<BoundField, String> {
        for p in ["evt.arg.", "evt.rawarg."] {
            if let Some(k) = name.strip_prefix(p) {
                let mut b =
                    crate::fields::default_bind(self, p.trim_end_matches('.'), Some(k), text)?;
                b.arg = FieldArg::Key(k.to_string());
                return Ok(b);
            }
        }
        crate::fields::default_bind(self, name, arg, text)
    }
}

fn value<'e>(v: &'e J, ty: FieldType) -> Option<Value<'e>> {
    Some(match (v, ty) {
        (J::Null, _) => return None,
        (J::Bool(b), _) => Value::Bool(*b),
        (J::Number(n), FieldType::Int | FieldType::Bool) => {
            Value::Int(n.as_i64().unwrap_or(n.as_f64().unwrap_or(0.0) as i64))
        }
        (J::String(s), FieldType::Int) => s
            .parse()
            .map(Value::Int)
            .unwrap_or(Value::Str(Cow::Borrowed(s))),
        (J::String(s), FieldType::Bool) => match s.as_str() {
            "true" => Value::Bool(true),
            "false" => Value::Bool(false),
            _ => Value::Str(Cow::Borrowed(s)),
        },
        (J::String(s), _) => Value::Str(Cow::Borrowed(s)),
        (other, _) => Value::Str(Cow::Owned(other.to_string())),
    })
}

fn extracted<'e>(v: Option<&'e J>, ty: FieldType) -> Extracted<'e> {
    match v {
        Some(J::Array(items)) => {
            Extracted::from_vec(items.iter().filter_map(|i| value(i, ty)).collect())
        }
        Some(v) => value(v, ty).map_or(Extracted::Missing, Extracted::One),
        None => Extracted::Missing,
    }
}

impl EventSource for Syscall {
    type Event = SyscallEvent;

    fn extract<'e>(&self, f: &BoundField, ev: &'e SyscallEvent) -> Extracted<'e> {
        if let Some((_, own)) = ANCESTOR.iter().find(|(a, _)| *a == f.name) {
            return match f.arg {
                FieldArg::Index(0) => extracted(ev.get(own), f.ty),
                FieldArg::Index(n) => extracted(ev.get(f.name).and_then(|a| a.get(n - 1)), f.ty),
                _ => extracted(ev.get(f.name), f.ty),
            };
        }
        match (&f.arg, f.name) {
            (FieldArg::Key(k), "evt.arg" | "evt.rawarg") => extracted(
                ev.get(&format!("{}.{k}", f.name))
                    .or_else(|| ev.get(&format!("{}[{k}]", f.name))),
                f.ty,
            ),
            (FieldArg::Key(k), _) => extracted(ev.get(&format!("{}[{k}]", f.name)), f.ty),
            (_, "proc.pname") => extracted(
                ev.get("proc.pname")
                    .or_else(|| ev.get("proc.aname").and_then(|a| a.get(0))),
                f.ty,
            ),
            (_, "evt.rawtime") => Extracted::One(Value::Int(ev.time_ns)),
            _ => extracted(ev.get(f.name), f.ty),
        }
    }

    fn index_key<'e>(&self, ev: &'e SyscallEvent) -> Option<Cow<'e, str>> {
        ev.get("evt.type").and_then(J::as_str).map(Cow::Borrowed)
    }

    fn time_ns(&self, ev: &SyscallEvent) -> i64 {
        ev.time_ns
    }
}
