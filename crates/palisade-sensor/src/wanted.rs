//! The fields the loaded rules read (conditions, outputs, appended output): the sensor fills
//! only those, because building unread fields was most of the event loop's time.

use palisade_runtime::filter::fields_of;
use palisade_runtime::output::Format;
use palisade_runtime::rules::RuleSet;
use palisade_runtime::syscall::also_reads;
use rustc_hash::FxHashSet as HashSet;

/// `None` keeps every field (for recordings, which must replay under any rules).
#[derive(Debug, Clone, Default)]
pub struct Wanted(Option<HashSet<String>>);

impl Wanted {
    pub const fn all() -> Wanted {
        Wanted(None)
    }

    pub fn of(set: &RuleSet, source: &str, extra_output: &str) -> Wanted {
        let mut w = HashSet::default();
        let mut add = |name: &str, arg: Option<&str>| {
            if let ("evt.arg" | "evt.rawarg", Some(a)) = (name, arg) {
                w.insert(format!("evt.arg.{a}"));
            }
            w.insert(name.to_string());
            if let Some(other) = also_reads(name) {
                w.insert(other.to_string());
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
            w.insert(k.to_string());
        }
        Wanted(Some(w))
    }

    pub fn has(&self, field: &str) -> bool {
        match &self.0 {
            None => true,
            Some(w) => {
                w.contains(field)
                    || field
                        .split_once('[')
                        .is_some_and(|(base, _)| w.contains(base))
            }
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
        assert!(Wanted::all().has("fd.sip"));
    }
}
