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
pub mod store;

use crate::fields::{
    BoundField, EventSource, Extracted, FieldArg, FieldCatalog, FieldDef, FieldType, Value,
};
use serde_json::{Map, Value as J};
use std::borrow::Cow;
use std::sync::{Arc, OnceLock};
pub use store::{FieldStore, Key};

pub const SOURCE: &str = "syscall";

/// The two stores are private: a reader of one alone misses the other's fields (an alert
/// action once looked for `proc.pid` in the event's own fields and never found it).
#[derive(Debug, Clone)]
pub struct SyscallEvent {
    fields: FieldStore,
    /// Fields shared by many events (a live sensor's per-process fields), read after
    /// `fields`; building them once per process instead of once per event is what keeps a
    /// sensor's event loop fast.
    shared: Option<Arc<FieldStore>>,
    pub time_ns: i64,
}

impl SyscallEvent {
    pub fn new(fields: FieldStore, shared: Option<Arc<FieldStore>>, time_ns: i64) -> Self {
        SyscallEvent {
            fields,
            shared,
            time_ns,
        }
    }

    pub fn get(&self, k: &str) -> Option<&J> {
        self.get_key(&Key::parse(k))
    }

    pub fn get_key(&self, k: &Key) -> Option<&J> {
        self.fields
            .get_key(k)
            .or_else(|| self.shared.as_ref().and_then(|s| s.get_key(k)))
    }

    fn get_id(&self, id: u16) -> Option<&J> {
        self.fields
            .get_id(id)
            .or_else(|| self.shared.as_ref().and_then(|s| s.get_id(id)))
    }

    fn get_arg(&self, id: u16, arg: &str) -> Option<&J> {
        self.fields
            .get_arg(id, arg)
            .or_else(|| self.shared.as_ref().and_then(|s| s.get_arg(id, arg)))
    }

    /// Every field in one map (`fields` win), as a recording stores the event.
    pub fn merged(&self) -> Map<String, J> {
        let mut m = self.shared.as_ref().map(|s| s.to_map()).unwrap_or_default();
        m.extend(self.fields.to_map());
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
            fields: FieldStore::from_map(fields),
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

/// Table indexes the extraction needs, found once.
struct Ids {
    /// Each ancestor field with the process's own field (its index 0).
    ancestor: Vec<(u16, u16)>,
    pname: Option<u16>,
    aname: Option<u16>,
    rawtime: Option<u16>,
    evt_type: Option<u16>,
}

fn ids() -> &'static Ids {
    static IDS: OnceLock<Ids> = OnceLock::new();
    IDS.get_or_init(|| Ids {
        ancestor: ANCESTOR
            .iter()
            .filter_map(|(a, own)| Some((store::field_id(a)?, store::field_id(own)?)))
            .collect(),
        pname: store::field_id("proc.pname"),
        aname: store::field_id("proc.aname"),
        rawtime: store::field_id("evt.rawtime"),
        evt_type: store::field_id("evt.type"),
    })
}

/// The table index of a bound field; a field bound elsewhere is found by name.
fn id_of(f: &BoundField) -> Option<u16> {
    match fields::table().get(usize::from(f.id)) {
        // The same static string when bound here: no need to compare the bytes.
        Some(d) if std::ptr::eq(d.name, f.name) || d.name == f.name => Some(f.id),
        _ => store::field_id(f.name),
    }
}

impl EventSource for Syscall {
    type Event = SyscallEvent;

    fn extract<'e>(&self, f: &BoundField, ev: &'e SyscallEvent) -> Extracted<'e> {
        let ids = ids();
        let Some(id) = id_of(f) else {
            return extracted(ev.get(f.name), f.ty);
        };
        if let Some((_, own)) = ids.ancestor.iter().find(|(a, _)| *a == id) {
            return match f.arg {
                FieldArg::Index(0) => extracted(ev.get_id(*own), f.ty),
                FieldArg::Index(n) => extracted(ev.get_id(id).and_then(|a| a.get(n - 1)), f.ty),
                _ => extracted(ev.get_id(id), f.ty),
            };
        }
        match &f.arg {
            FieldArg::Key(k) => extracted(ev.get_arg(id, k), f.ty),
            _ if Some(id) == ids.pname => extracted(
                ev.get_id(id)
                    .or_else(|| ids.aname.and_then(|a| ev.get_id(a)).and_then(|a| a.get(0))),
                f.ty,
            ),
            _ if Some(id) == ids.rawtime => Extracted::One(Value::Int(ev.time_ns)),
            _ => extracted(ev.get_id(id), f.ty),
        }
    }

    fn index_key<'e>(&self, ev: &'e SyscallEvent) -> Option<Cow<'e, str>> {
        ids()
            .evt_type
            .and_then(|id| ev.get_id(id))
            .and_then(J::as_str)
            .map(Cow::Borrowed)
    }

    fn time_ns(&self, ev: &SyscallEvent) -> i64 {
        ev.time_ns
    }
}
