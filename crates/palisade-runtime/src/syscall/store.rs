//! An event's fields kept by their place in the source's field table instead of by name.
//! A live sensor builds one of these per event and the rules read it many times; looking
//! fields up by name in a string-keyed map was most of a sensor's event loop (string
//! comparisons, key allocations), so a bound field finds its value by index here.

use super::fields::table;
use crate::fields::ArgKind;
use rustc_hash::FxHashMap;
use serde_json::{Map, Value as J};
use std::borrow::Cow;
use std::sync::OnceLock;

/// What a stored value is keyed by.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Key {
    /// A field of the table, without argument: `fd.name`, `proc.aname` (all ancestors).
    Field(u16),
    /// A field with a key argument: `evt.arg.flags` (also written `evt.arg[flags]`),
    /// `k8s.pod.label[app]`.
    Arg(u16, Box<str>),
    /// A name the table does not define, kept so a recording replays as written.
    Other(Box<str>),
}

/// The table's index of a field name (without argument).
pub fn field_id(name: &str) -> Option<u16> {
    static IDS: OnceLock<FxHashMap<&'static str, u16>> = OnceLock::new();
    IDS.get_or_init(|| {
        table()
            .iter()
            .enumerate()
            .filter_map(|(i, f)| u16::try_from(i).ok().map(|i| (f.name, i)))
            .collect()
    })
    .get(name)
    .copied()
}

/// `evt.arg` and `evt.rawarg`: their key follows a dot as well as in brackets, and a rule
/// names each argument it reads.
pub fn dotted_arg(id: u16) -> bool {
    // Asked for every argument a sensor event carries: the two indexes, found once.
    static IDS: OnceLock<[Option<u16>; 2]> = OnceLock::new();
    IDS.get_or_init(|| [field_id("evt.arg"), field_id("evt.rawarg")])
        .contains(&Some(id))
}

impl Key {
    pub fn parse(name: &str) -> Key {
        if let Some(id) = field_id(name) {
            return Key::Field(id);
        }
        for base in ["evt.arg.", "evt.rawarg."] {
            if let Some(k) = name.strip_prefix(base) {
                if let Some(id) = field_id(base.trim_end_matches('.')) {
                    return Key::Arg(id, k.into());
                }
            }
        }
        if let Some((base, k)) = name
            .strip_suffix(']')
            .and_then(|n| n.split_once('['))
            .filter(|(_, k)| !k.is_empty())
        {
            if let Some(id) = field_id(base) {
                if matches!(table()[usize::from(id)].arg, ArgKind::Key { .. }) {
                    return Key::Arg(id, k.into());
                }
            }
        }
        Key::Other(name.into())
    }

    /// The name a recording writes.
    pub fn name(&self) -> Cow<'static, str> {
        let base = |id: u16| table().get(usize::from(id)).map_or("?", |f| f.name);
        match self {
            Key::Field(id) => Cow::Borrowed(base(*id)),
            Key::Arg(id, k) if dotted_arg(*id) => Cow::Owned(format!("{}.{k}", base(*id))),
            Key::Arg(id, k) => Cow::Owned(format!("{}[{k}]", base(*id))),
            Key::Other(n) => Cow::Owned(n.to_string()),
        }
    }
}

/// Field values of one event (or of one process, shared by its events).
#[derive(Debug, Clone, Default)]
pub struct FieldStore {
    /// Per table index, 1 + the place of its value in `vals`; 0 when absent. Empty until a
    /// table field is stored.
    pos: Vec<u16>,
    vals: Vec<(Key, J)>,
}

impl FieldStore {
    pub fn new() -> FieldStore {
        FieldStore::default()
    }

    pub fn len(&self) -> usize {
        self.vals.len()
    }

    pub fn is_empty(&self) -> bool {
        self.vals.is_empty()
    }

    /// Stores `v` under `key`, replacing what was there.
    pub fn insert(&mut self, key: Key, v: J) {
        if let Key::Field(id) = key {
            let i = usize::from(id);
            if self.pos.is_empty() {
                self.pos = vec![0; table().len()];
                // A sensor's event carries some 20 fields; growing one by one showed up.
                self.vals.reserve(24);
            }
            if let Some(p) = self.pos.get(i).copied().filter(|p| *p > 0) {
                self.vals[usize::from(p) - 1].1 = v;
                return;
            }
            if let (Some(slot), Ok(p)) = (self.pos.get_mut(i), u16::try_from(self.vals.len() + 1)) {
                *slot = p;
                self.vals.push((key, v));
                return;
            }
            // An index beyond the table or a store of 65,535 values: kept by name.
            let name = key.name().into_owned();
            return self.insert(Key::Other(name.into()), v);
        }
        match self.vals.iter_mut().find(|(k, _)| *k == key) {
            Some(slot) => slot.1 = v,
            None => self.vals.push((key, v)),
        }
    }

    pub fn insert_name(&mut self, name: &str, v: J) {
        self.insert(Key::parse(name), v);
    }

    pub fn get_id(&self, id: u16) -> Option<&J> {
        let p = *self.pos.get(usize::from(id))?;
        (p > 0).then(|| &self.vals[usize::from(p) - 1].1)
    }

    pub fn get_arg(&self, id: u16, arg: &str) -> Option<&J> {
        self.vals.iter().find_map(|(k, v)| match k {
            Key::Arg(i, a) if *i == id && a.as_ref() == arg => Some(v),
            _ => None,
        })
    }

    pub fn get_key(&self, key: &Key) -> Option<&J> {
        match key {
            Key::Field(id) => self.get_id(*id),
            Key::Arg(id, a) => self.get_arg(*id, a),
            Key::Other(n) => self.vals.iter().find_map(|(k, v)| match k {
                Key::Other(o) if o == n => Some(v),
                _ => None,
            }),
        }
    }

    pub fn get(&self, name: &str) -> Option<&J> {
        self.get_key(&Key::parse(name))
    }

    pub fn iter(&self) -> impl Iterator<Item = (&Key, &J)> {
        self.vals.iter().map(|(k, v)| (k, v))
    }

    pub fn to_map(&self) -> Map<String, J> {
        self.vals
            .iter()
            .map(|(k, v)| (k.name().into_owned(), v.clone()))
            .collect()
    }

    pub fn from_map(m: Map<String, J>) -> FieldStore {
        let mut s = FieldStore::new();
        for (k, v) in m {
            s.insert_name(&k, v);
        }
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn names_parse_to_keys_and_back() {
        for (name, back) in [
            ("fd.name", "fd.name"),
            ("evt.arg.flags", "evt.arg.flags"),
            ("evt.arg[flags]", "evt.arg.flags"),
            ("evt.rawarg.res", "evt.rawarg.res"),
            ("k8s.pod.label[app]", "k8s.pod.label[app]"),
            ("proc.aname[2]", "proc.aname[2]"),
            ("no.such.field", "no.such.field"),
        ] {
            assert_eq!(Key::parse(name).name(), back, "{name}");
        }
        assert!(matches!(Key::parse("fd.name"), Key::Field(_)));
        assert!(matches!(Key::parse("k8s.pod.label[app]"), Key::Arg(..)));
        // An index argument is not a key: such a name is kept as written.
        assert!(matches!(Key::parse("proc.aname[2]"), Key::Other(_)));
        assert!(matches!(Key::parse("fd.name[x]"), Key::Other(_)));
        assert_eq!(Key::parse("evt.arg[flags]"), Key::parse("evt.arg.flags"));
    }

    #[test]
    fn stores_replace_and_read_back_by_index_key_and_name() {
        let mut s = FieldStore::new();
        s.insert_name("fd.name", json!("/etc/shadow"));
        s.insert_name("evt.arg.flags", json!("O_RDONLY"));
        s.insert_name("x.y", json!(1));
        s.insert_name("fd.name", json!("/etc/passwd"));
        s.insert_name("evt.arg[flags]", json!("O_RDWR"));
        assert_eq!(s.len(), 3);
        let id = field_id("fd.name").expect("in the table");
        assert_eq!(s.get_id(id), Some(&json!("/etc/passwd")));
        let arg = field_id("evt.arg").expect("in the table");
        assert_eq!(s.get_arg(arg, "flags"), Some(&json!("O_RDWR")));
        assert_eq!(s.get("x.y"), Some(&json!(1)));
        assert_eq!(s.get("fd.directory"), None);
        assert_eq!(s.get_id(u16::MAX), None);
        let m = s.to_map();
        assert_eq!(m.len(), 3);
        assert_eq!(m["evt.arg.flags"], json!("O_RDWR"));
        let again = FieldStore::from_map(m.clone());
        assert_eq!(again.to_map(), m);
    }
}
