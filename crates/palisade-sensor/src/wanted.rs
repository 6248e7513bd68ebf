//! The fields the loaded rules read (conditions, outputs, appended output): the sensor fills
//! only those, because building unread fields was most of the event loop's time.

use palisade_runtime::filter::fields_of;
use palisade_runtime::output::Format;
use palisade_runtime::rules::RuleSet;
use palisade_runtime::syscall::store::dotted_arg;
use palisade_runtime::syscall::{also_reads, fields::table, Key};
use rustc_hash::FxHashSet as HashSet;

/// `None` keeps every field (for recordings, which must replay under any rules).
#[derive(Debug, Clone, Default)]
pub struct Wanted(Option<Set>);

/// Read by table index on the hot path: every field an event could carry is asked about.
#[derive(Debug, Clone, Default)]
struct Set {
    /// Per field of the table: wanted with any argument (`k8s.pod.label` gives all labels).
    fields: Vec<bool>,
    /// `evt.arg.flags`: only the arguments a rule names.
    args: HashSet<Key>,
    /// Names outside the table.
    other: HashSet<String>,
}

impl Wanted {
    pub const fn all() -> Wanted {
        Wanted(None)
    }

    pub fn of(set: &RuleSet, source: &str, extra_output: &str) -> Wanted {
        let mut names = HashSet::default();
        let mut add = |name: &str, arg: Option<&str>| {
            if let ("evt.arg" | "evt.rawarg", Some(a)) = (name, arg) {
                names.insert(format!("{name}.{a}"));
            }
            names.insert(name.to_string());
            if let Some(other) = also_reads(name) {
                names.insert(other.to_string());
            }
        };
        for r in set.rules.iter().filter(|r| r.def.source == source) {
            if let Some(e) = &r.expr {
                for (name, arg, _) in fields_of(e) {
                    add(&name, arg.as_deref());
                }
            }
            for f in Format::parse(&r.def.output).fields() {
                add(&f.name, f.arg.as_deref());
            }
        }
        for f in Format::parse(extra_output).fields() {
            add(&f.name, f.arg.as_deref());
        }
        // The index key, and what enforcement reads.
        for k in ["evt.type", "proc.pid"] {
            names.insert(k.to_string());
        }
        let mut w = Set {
            fields: vec![false; table().len()],
            ..Set::default()
        };
        for n in names {
            match Key::parse(&n) {
                Key::Field(id) if dotted_arg(id) => {}
                Key::Field(id) => w.fields[usize::from(id)] = true,
                k @ Key::Arg(..) => {
                    w.args.insert(k);
                }
                Key::Other(_) => {
                    w.other.insert(n);
                }
            }
        }
        Wanted(Some(w))
    }

    pub fn has(&self, field: &str) -> bool {
        self.has_key(&Key::parse(field))
    }

    pub fn has_key(&self, key: &Key) -> bool {
        let Some(w) = &self.0 else { return true };
        let field = |id: u16| w.fields.get(usize::from(id)).copied().unwrap_or(false);
        match key {
            Key::Field(id) => field(*id),
            Key::Arg(id, _) if dotted_arg(*id) => w.args.contains(key),
            Key::Arg(id, _) => field(*id),
            Key::Other(n) => w.other.contains(n.as_ref()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use palisade_runtime::{load_strs, FieldCatalog, K8sAudit, Syscall};

    #[test]
    fn fields_of_conditions_and_outputs() {
        let cats: [&dyn FieldCatalog; 2] = [&K8sAudit, &Syscall];
        let set = load_strs(
            &[(
                "r.yaml",
                "- rule: r\n  desc: d\n  condition: evt.type = openat and proc.aname[2] = sshd and evt.arg.flags contains O_RDWR\n  output: \"%fd.name %k8s.pod.label[app]\"\n  priority: INFO\n",
            )],
            &cats,
        );
        let w = Wanted::of(&set, "syscall", " %container.id");
        for f in [
            "evt.type",
            "proc.aname",
            "proc.name",
            "evt.arg.flags",
            "fd.name",
            "container.id",
            "k8s.pod.label[app]",
        ] {
            assert!(w.has(f), "{f}");
        }
        assert!(!w.has("fd.sip"));
        // `evt.arg` is wanted per argument; a keyed field like a label, whole.
        assert!(w.has("evt.arg[flags]"));
        assert!(!w.has("evt.arg.fd"));
        assert!(w.has("k8s.pod.label[team]"));
        assert!(!w.has("no.such.field"));
        assert!(Wanted::all().has("fd.sip"));
    }
}
