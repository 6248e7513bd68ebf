//! The in-kernel path filter for opens: the loaded rules' conditions reduced (by
//! `palisade_runtime`'s path analysis) to prefixes, whole paths, suffixes and substrings, in
//! the shapes the kernel program tests (`bpf/events.h`). An open whose path passes none of
//! them cannot match any rule and never leaves the kernel; every open the program cannot
//! judge (a relative path, one with `//` or `/.`, a long one) is sent as before.

use palisade_runtime::filter::paths::{PathNeed, PathTest};
use palisade_runtime::{Engine, Syscall};
use serde::Serialize;

/// Limits shared with `bpf/events.h`.
pub const PREFIX_MAX: usize = 64;
pub const PATTERN_MAX: usize = 32;
/// Substrings are compared as one masked little-endian word.
pub const CONTAINS_MAX: usize = 8;
pub const MAX_SUFFIXES: usize = 16;
pub const MAX_CONTAINS: usize = 8;
pub const MAX_PREFIXES: usize = 1024;
pub const SCAN_LIMIT: usize = 256;
/// Bits of the suffix-tail bitmap, and how many distinct first words of the prefixes the
/// program compares before its trie lookup.
pub const SUFFIX_BITS: usize = 4096;
pub const PREFIX_WORDS_MAX: usize = 32;

/// The bit of the suffix bitmap that four path bytes (little-endian) select; the kernel
/// program computes the same.
pub fn tail_bit(tail: u32) -> usize {
    (tail.wrapping_mul(0x9E37_79B1) >> 20) as usize
}

/// The event types the kernel program treats as opens.
pub const OPEN_TYPES: [&str; 4] = ["open", "openat", "openat2", "creat"];

/// What the kernel keeps of each test. Long tests are cut to the kernel's sizes in the
/// direction that keeps them true for every path they held for.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct PathFilter {
    /// Prefixes; a whole path is its bytes and the NUL.
    pub prefixes: Vec<Vec<u8>>,
    pub suffixes: Vec<Vec<u8>>,
    pub contains: Vec<Vec<u8>>,
}

/// A substring (at most [`CONTAINS_MAX`] bytes) as the kernel compares it: the word eight
/// path bytes are loaded as, and the mask of the bytes that count.
pub fn contains_word(s: &[u8]) -> (u64, u64) {
    let mut word = [0u8; 8];
    let mut mask = [0u8; 8];
    for (i, b) in s.iter().take(CONTAINS_MAX).enumerate() {
        word[i] = *b;
        mask[i] = 0xff;
    }
    (u64::from_le_bytes(word), u64::from_le_bytes(mask))
}

impl PathFilter {
    /// The filter for the rules of `engine`, or `None` when some rule that sees opens may
    /// match a path the kernel cannot bound (or the tests exceed the kernel's tables).
    pub fn of(engine: &Engine<Syscall>) -> Option<PathFilter> {
        PathFilter::from_need(&engine.path_need(&OPEN_TYPES))
    }

    pub fn from_need(need: &PathNeed) -> Option<PathFilter> {
        let PathNeed::Some(atoms) = need else {
            return None;
        };
        let mut f = PathFilter::default();
        for a in atoms {
            let t = a.text.as_bytes();
            match a.test {
                PathTest::Exact => {
                    let mut whole = t.to_vec();
                    whole.push(0);
                    whole.truncate(PREFIX_MAX);
                    f.prefixes.push(whole);
                }
                PathTest::Prefix => f.prefixes.push(t[..t.len().min(PREFIX_MAX)].to_vec()),
                PathTest::Suffix => f
                    .suffixes
                    .push(t[t.len().saturating_sub(PATTERN_MAX)..].to_vec()),
                PathTest::Contains => f.contains.push(t[..t.len().min(CONTAINS_MAX)].to_vec()),
            }
        }
        for v in [&mut f.prefixes, &mut f.suffixes, &mut f.contains] {
            v.sort();
            v.dedup();
        }
        // A test every absolute path passes makes the filter pointless.
        let everything = |v: &[Vec<u8>]| v.iter().any(|p| p.is_empty() || p == b"/");
        if everything(&f.prefixes) || everything(&f.suffixes) || everything(&f.contains) {
            return None;
        }
        if f.prefixes.len() > MAX_PREFIXES
            || f.suffixes.len() > MAX_SUFFIXES
            || f.contains.len() > MAX_CONTAINS
        {
            return None;
        }
        Some(f)
    }

    /// The bitmap of the last four bytes of every suffix of four bytes or more: a path whose
    /// last four select a clear bit ends with none of them. It replaced a hash-map lookup,
    /// which with its hashing cost an open about as much as the rest of the suffix test.
    pub fn suffix_bitmap(&self) -> [u64; SUFFIX_BITS / 64] {
        let mut bits = [0u64; SUFFIX_BITS / 64];
        for s in &self.suffixes {
            if let Some(tail) = s.get(s.len().saturating_sub(4)..).filter(|t| t.len() == 4) {
                let b = tail_bit(u32::from_le_bytes([tail[0], tail[1], tail[2], tail[3]]));
                bits[b / 64] |= 1 << (b % 64);
            }
        }
        bits
    }

    /// The distinct first eight bytes of the prefixes (little-endian words), when every
    /// prefix has eight bytes and there are at most [`PREFIX_WORDS_MAX`] of them: then a
    /// path (with its NUL) whose first eight bytes are none of these passes no prefix, and
    /// the program skips its trie lookup. `None`: every path is looked up.
    pub fn prefix_words(&self) -> Option<Vec<u64>> {
        let mut words = Vec::new();
        for p in &self.prefixes {
            let first: [u8; 8] = p.get(..8)?.try_into().ok()?;
            words.push(u64::from_le_bytes(first));
        }
        words.sort_unstable();
        words.dedup();
        (words.len() <= PREFIX_WORDS_MAX).then_some(words)
    }

    /// The kernel program's decision for a path as the process passed it: `true` sends the
    /// open. Kept beside the C so tests can state what the program must do.
    pub fn sends(&self, raw: &str) -> bool {
        let p = raw.as_bytes();
        if p.is_empty() || p.len() + 1 > SCAN_LIMIT || p[0] != b'/' {
            return true;
        }
        if p.windows(2).any(|w| w == b"//" || w == b"/.") {
            return true;
        }
        let mut with_nul = p.to_vec();
        with_nul.push(0);
        let key = &with_nul[..with_nul.len().min(PREFIX_MAX)];
        self.prefixes.iter().any(|x| key.starts_with(x))
            || self.suffixes.iter().any(|x| p.ends_with(x))
            || self
                .contains
                .iter()
                .any(|x| p.windows(x.len()).any(|w| w == x.as_slice()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use palisade_runtime::{load_strs, FieldCatalog, K8sAudit};

    /// The five open rules of Falco's default `falco_rules.yaml` (5.x), conditions as
    /// published with their macros and lists.
    const RULES: &str = r#"
- list: sensitive_file_names
  items: [/etc/shadow, /etc/sudoers, /etc/pam.conf, /etc/security/pwquality.conf]
- list: log_directories
  items: [/var/log, /dev/log]
- list: log_files
  items: [syslog, auth.log, secure, kern.log, cron, user.log, dpkg.log, last.log, yum.log, access_log, mysql.log, mysqld.log]
- macro: open_write
  condition: (evt.type in (open,openat,openat2) and evt.is_open_write=true and fd.typechar='f' and fd.num>=0)
- macro: open_read
  condition: (evt.type in (open,openat,openat2) and evt.is_open_read=true and fd.typechar='f' and fd.num>=0)
- macro: open_file_failed
  condition: (evt.type in (open,openat,openat2) and fd.typechar='f' and fd.num=-1 and evt.res startswith E)
- macro: sensitive_files
  condition: (fd.name in (sensitive_file_names) or fd.directory in (/etc/sudoers.d, /etc/pam.d))
- macro: access_log_files
  condition: (fd.directory in (log_directories) or fd.filename in (log_files))
- macro: directory_traversal
  condition: (fd.nameraw contains '../' and fd.nameraw glob '*../*../*')
- rule: Directory traversal monitored file read
  desc: d
  condition: (open_read or open_file_failed) and (fd.name startswith /etc/ or fd.name contains "id_rsa") and directory_traversal and not proc.pname in (sh, bash)
  output: o
  priority: WARNING
- rule: Read sensitive file untrusted
  desc: d
  condition: open_read and sensitive_files and proc.name != "" and not proc.name in (sudo, passwd)
  output: o
  priority: WARNING
- rule: Clear Log Activities
  desc: d
  condition: open_write and access_log_files and evt.arg.flags contains "O_TRUNC"
  output: o
  priority: WARNING
- rule: Detect release_agent File Container Escapes
  desc: d
  condition: open_write and container.id != host and fd.name endswith release_agent and thread.cap_effective contains CAP_SYS_ADMIN
  output: o
  priority: CRITICAL
- rule: Netcat Remote Code Execution in Container
  desc: d
  condition: evt.type = execve and proc.name = nc
  output: o
  priority: WARNING
"#;

    fn filter(rules: &str) -> Option<PathFilter> {
        let cats: [&dyn FieldCatalog; 2] = [&K8sAudit, &Syscall];
        let set = load_strs(&[("r.yaml", rules)], &cats);
        let engine = Engine::new(Syscall, &set);
        assert!(engine.skipped.is_empty(), "{:?}", engine.skipped);
        PathFilter::of(&engine)
    }

    #[test]
    fn the_default_open_rules_reduce_to_few_tests() {
        let f = filter(RULES).expect("a filter");
        assert!(f.prefixes.contains(&b"/etc/shadow\0".to_vec()));
        assert!(f.prefixes.contains(&b"/etc/pam.d/".to_vec()));
        assert!(f.prefixes.contains(&b"/var/log/".to_vec()));
        assert!(f.suffixes.contains(&b"/auth.log".to_vec()));
        assert!(f.suffixes.contains(&b"release_agent".to_vec()));
        assert_eq!(f.contains, [b"../".to_vec()]);
        // What the rules can match is sent …
        for p in [
            "/etc/shadow",
            "/etc/pam.d/common-auth",
            "/var/log/syslog",
            "/srv/app/auth.log",
            "/sys/fs/cgroup/x/release_agent",
            "/tmp/a../b",
            // … and what the kernel cannot judge.
            "/etc//shadow",
            "/etc/./shadow",
            "/tmp/../etc/shadow",
            "etc/shadow",
            "",
        ] {
            assert!(f.sends(p), "{p} must be sent");
        }
        for p in [
            "/etc/hostname",
            "/etc/shadow-",
            "/usr/lib/libc.so.6",
            "/etc/pam.conf.d",
        ] {
            assert!(!f.sends(p), "{p} can match no rule");
        }
        let long = format!("/{}", "a".repeat(SCAN_LIMIT));
        assert!(f.sends(&long), "paths longer than the scan are sent");
    }

    #[test]
    fn the_prefilters_never_rule_out_a_path_the_filter_sends() {
        let f = filter(RULES).expect("a filter");
        let bits = f.suffix_bitmap();
        let words = f
            .prefix_words()
            .expect("the default prefixes all have eight bytes");
        // /etc/pam.conf and /etc/pam.d/ share theirs, as do /etc/sudoers and its directory.
        assert_eq!(words.len(), 6);
        let bit_set = |tail: &[u8]| {
            let b = tail_bit(u32::from_le_bytes(tail.try_into().expect("4 bytes")));
            bits[b / 64] & (1 << (b % 64)) != 0
        };
        for s in &f.suffixes {
            assert!(bit_set(&s[s.len() - 4..]), "{s:?}");
        }
        for p in [
            "/etc/shadow",
            "/etc/pam.d/x",
            "/var/log/a",
            "/dev/log/b",
            "/etc/sudoers",
        ] {
            let mut b = p.as_bytes().to_vec();
            b.push(0);
            let w = u64::from_le_bytes(b[..8].try_into().expect("8 bytes"));
            assert!(words.contains(&w), "{p}");
        }
        let hostname = u64::from_le_bytes(*b"/etc/hos");
        assert!(!words.contains(&hostname));
        // Few suffix bits are set, so most paths skip the suffix comparisons.
        let set: u32 = bits.iter().map(|w| w.count_ones()).sum();
        assert!(set <= 13, "{set} bits");
        assert!(!bit_set(b"name"), "/etc/hostname's tail");
    }

    #[test]
    fn short_or_many_prefixes_keep_the_trie_for_every_path() {
        let short = PathNeed::Some(vec![atom(PathTest::Prefix, "/tmp/")]);
        let f = PathFilter::from_need(&short).expect("a filter");
        assert_eq!(f.prefix_words(), None);
        let many = PathNeed::Some(
            (0..40)
                .map(|i| atom(PathTest::Prefix, &format!("/{i:07}/")))
                .collect(),
        );
        let f = PathFilter::from_need(&many).expect("a filter");
        assert_eq!(f.prefix_words(), None);
        let few = PathNeed::Some(vec![atom(PathTest::Exact, "/etc/ab")]);
        let f = PathFilter::from_need(&few).expect("a filter");
        assert_eq!(
            f.prefix_words(),
            Some(vec![u64::from_le_bytes(*b"/etc/ab\0")])
        );
    }

    #[test]
    fn a_rule_on_any_open_turns_the_filter_off() {
        let any = format!(
            "{RULES}\n- rule: every open\n  desc: d\n  condition: evt.type = openat and proc.name = cat\n  output: o\n  priority: INFO\n"
        );
        assert_eq!(filter(&any), None);
        let unkeyed = format!(
            "{RULES}\n- rule: no type\n  desc: d\n  condition: proc.name = cat\n  output: o\n  priority: INFO\n"
        );
        assert_eq!(filter(&unkeyed), None);
        let root = format!(
            "{RULES}\n- rule: root dir\n  desc: d\n  condition: open_read and fd.directory = /\n  output: o\n  priority: INFO\n"
        );
        assert_eq!(filter(&root), None, "a prefix of / passes every path");
    }

    #[test]
    fn long_tests_are_cut_to_stay_true() {
        let long = format!("/{}", "d".repeat(100));
        let need = PathNeed::Some(vec![
            atom(PathTest::Exact, &long),
            atom(PathTest::Suffix, &long),
            atom(PathTest::Contains, &long),
        ]);
        let f = PathFilter::from_need(&need).expect("a filter");
        assert_eq!(f.prefixes[0].len(), PREFIX_MAX);
        assert!(long.as_bytes().starts_with(&f.prefixes[0]));
        assert!(long.as_bytes().ends_with(&f.suffixes[0]));
        assert!(long.as_bytes().starts_with(&f.contains[0]));
        assert_eq!(f.contains[0].len(), CONTAINS_MAX);
    }

    #[test]
    fn substrings_become_masked_words() {
        assert_eq!(contains_word(b"../"), (0x002f_2e2e, 0x00ff_ffff));
        let path = b"/tmp/a../b\0\0\0\0\0\0\0";
        let (word, mask) = contains_word(b"../");
        let at = |i: usize| u64::from_le_bytes(path[i..i + 8].try_into().expect("8 bytes"));
        assert_eq!(at(6) & mask, word);
        assert_ne!(at(5) & mask, word);
    }

    fn atom(test: PathTest, text: &str) -> palisade_runtime::filter::paths::PathAtom {
        palisade_runtime::filter::paths::PathAtom {
            field: palisade_runtime::filter::paths::PathField::Name,
            test,
            text: text.into(),
        }
    }
}
