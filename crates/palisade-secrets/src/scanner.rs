//! The scanner: keyword prefilter, regex, entropy, allowlists, suppression, masking.

use crate::allowlist::{compile_bytes_regex, compile_regex, Allowlist, Candidate};
use crate::config::SecretConfig;
use crate::entropy::shannon;
use crate::error::ConfigError;
use crate::positions::LineIndex;
use crate::rule::Validator;
use crate::spec::RuleSpec;
use aho_corasick::{AhoCorasick, AhoCorasickKind};
use palisade_core::{mask_secret, Finding, FindingKind, Location, Severity, Span};
use regex::bytes::Regex as BytesRegex;
use regex::Regex;
use sha2::{Digest, Sha256};
use std::collections::{HashMap, HashSet};

/// Comment markers that suppress findings on their line.
const IGNORE_MARKERS: [&[u8]; 2] = [b"palisade:ignore", b"gitleaks:allow"];

/// Extensions of formats that are binary or compressed: regexes find only noise there.
const BINARY_EXTENSIONS: &[&str] = &[
    "7z", "a", "avi", "bin", "bmp", "bz2", "class", "dat", "db", "deb", "dll", "dylib", "eot",
    "exe", "flac", "gif", "gz", "ico", "jar", "jpeg", "jpg", "lz4", "mo", "mov", "mp3", "mp4", "o",
    "ogg", "otf", "pdf", "png", "psd", "pyc", "pyo", "rar", "rpm", "so", "sqlite", "tar", "tgz",
    "tif", "tiff", "ttf", "war", "wasm", "wav", "webm", "webp", "whl", "woff", "woff2", "xz",
    "zip", "zst",
];

/// Files that hold only checksums or generated data (hashes look random to an entropy check).
const DEFAULT_PATH_ALLOWLIST: &str = r"(?x)
    (^|/)(go\.sum|package-lock\.json|npm-shrinkwrap\.json|yarn\.lock|pnpm-lock\.yaml|Cargo\.lock
         |poetry\.lock|Pipfile\.lock|composer\.lock|Gemfile\.lock|gradle\.lockfile|uv\.lock)$
    |(^|/)\.git/(objects|index$)
    |(^|/)var/lib/dpkg/info/[^/]+\.(md5sums|sha256sums)$";

/// Secrets that are obviously placeholders, whatever the rule.
const PLACEHOLDER: &str = r"(?i)x{6,}|\*{4,}|#{4,}|\.\.\.|<[a-z_ -]+>|\$\{|\{\{|\bredacted\b|\b(your|my)[_-]?(api[_-]?|access[_-]?|secret[_-]?|auth[_-]?)?(key|token|secret|password)";

/// AWS's documentation convention for example credentials (`AKIAIOSFODNN7EXAMPLE`,
/// `wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY`), which other providers' docs and READMEs copy:
/// one `EXAMPLE` that ends the value. A real key never spells it there. Only a single trailing
/// occurrence counts: fixtures padded with `EXAMPLEEXAMPLE…` are test data that other tools
/// (gitleaks) expect a scanner to report, so they are left to the rules.
fn is_documentation_example(s: &[u8]) -> bool {
    let body = s.strip_suffix(b"KEY").unwrap_or(s);
    body.ends_with(b"EXAMPLE") && s.windows(7).filter(|w| w == b"EXAMPLE").count() == 1
}

/// A name that ends in a digest word (`token_sha256`, `api_key_md5`, `secret.digest`,
/// `password-checksum`), matched in the text a rule read before the value. Only as a separate
/// word after `_`, `.` or `-`, so `hashicorp`, `shasum_tool` or `digest_auth_token` do not count.
const DIGEST_NAME: &str =
    r#"(?i)[_.-](?:sha(?:1|224|256|384|512)|md5|digest|checksum)["']?\s*(?::{1,3}=|\?=|=>|=|:)"#;

pub(crate) struct Rule {
    pub id: String,
    pub title: String,
    pub severity: Severity,
    pub remediation: Option<String>,
    pub references: Vec<String>,
    pub related: Vec<String>,
    regex: Option<BytesRegex>,
    /// `None`: the first capture group that took part in the match (rules with alternatives).
    secret_group: Option<usize>,
    key_group: Option<usize>,
    entropy: f32,
    path: Option<Regex>,
    allow: Vec<Allowlist>,
    validate: Option<Validator>,
    generic: bool,
}

impl Rule {
    /// Built-in and user rules alike.
    fn compile(c: &RuleSpec) -> Result<Self, ConfigError> {
        let regex = match &c.regex {
            Some(re) if !re.is_empty() => Some(compile_bytes_regex(&c.id, "pattern", re)?),
            _ => None,
        };
        let path = match &c.path {
            Some(p) => Some(compile_regex(&c.id, "path", p)?),
            None => None,
        };
        if regex.is_none() && path.is_none() {
            return Err(ConfigError::Rule {
                rule: c.id.clone(),
                problem: "needs a regex or a path".into(),
            });
        }
        let secret_group = match &regex {
            Some(re) => {
                let g = c.secret_group.unwrap_or(0);
                if g >= re.captures_len() {
                    return Err(ConfigError::Rule {
                        rule: c.id.clone(),
                        problem: format!(
                            "secret_group {g} but the regex has {} groups",
                            re.captures_len() - 1
                        ),
                    });
                }
                pick_group(re, g)
            }
            None => Some(0),
        };
        let validate = match &c.validate {
            Some(name) => Some(crate::validate::by_name(name).ok_or_else(|| {
                ConfigError::UnknownValidator {
                    rule: c.id.clone(),
                    name: name.clone(),
                }
            })?),
            None => None,
        };
        Ok(Rule {
            id: c.id.clone(),
            title: c.title(),
            severity: c.severity(),
            remediation: Some(c.remediation()),
            references: c.references.clone(),
            related: c.related.clone(),
            key_group: regex
                .as_ref()
                .and_then(|re| re.capture_names().position(|n| n == Some("key"))),
            secret_group,
            regex,
            entropy: c.entropy.unwrap_or(0.0),
            path,
            allow: c
                .allowlists
                .iter()
                .map(|a| Allowlist::compile(&c.id, a))
                .collect::<Result<_, _>>()?,
            validate,
            generic: c.generic,
        })
    }
}

/// Group 0 in a rule means "the first group that matched, else the whole match": most
/// patterns wrap the token in context they do not want reported.
fn pick_group(re: &BytesRegex, wanted: usize) -> Option<usize> {
    if wanted == 0 && re.captures_len() > 1 {
        None
    } else {
        Some(wanted)
    }
}

/// Built once, shared by reference across threads.
pub struct Scanner {
    pub(crate) rules: Vec<Rule>,
    prefilter: AhoCorasick,
    /// Prefilter pattern index → rules that need it.
    pattern_rules: Vec<Vec<usize>>,
    /// Rules without keywords: always run.
    always: Vec<usize>,
    global: Vec<Allowlist>,
    default_paths: Regex,
    placeholder: BytesRegex,
    digest_name: BytesRegex,
    max_size: Option<u64>,
    scan_binary: bool,
    skip_ext: HashSet<String>,
    baseline: HashSet<String>,
    report_published: bool,
}

/// A candidate that passed every filter.
#[derive(Debug, Clone)]
pub(crate) struct Hit {
    pub rule: usize,
    pub start: usize,
    pub end: usize,
    pub fingerprint: String,
}

/// Per-call context: which commit is scanned, and how lines of `content` map to lines of
/// the real file (git scans feed only the added lines).
#[derive(Default, Clone, Copy)]
pub(crate) struct Ctx<'a> {
    pub commit: Option<&'a str>,
    pub line_map: Option<&'a [u32]>,
}

impl Scanner {
    pub fn new(config: SecretConfig) -> Result<Scanner, ConfigError> {
        let disabled: Vec<String> = config
            .disabled_rules
            .iter()
            .map(|s| s.to_ascii_lowercase())
            .collect();
        let only: Vec<String> = config
            .only_rules
            .iter()
            .map(|s| s.to_ascii_lowercase())
            .collect();
        let mut rules = Vec::new();
        let mut keywords: Vec<Vec<String>> = Vec::new();
        let custom_ids: HashSet<String> = config
            .custom_rules
            .iter()
            .map(|c| c.id.to_ascii_lowercase())
            .collect();
        for r in crate::builtin::builtin() {
            let off = disabled.iter().any(|d| r.meta.answers_to(d))
                || custom_ids.iter().any(|c| r.meta.answers_to(c))
                || (!only.is_empty() && !only.iter().any(|o| r.meta.answers_to(o)));
            if off {
                continue;
            }
            rules.push(Rule::compile(&r.spec)?);
            keywords.push(
                r.spec
                    .keywords
                    .iter()
                    .map(|k| k.to_ascii_lowercase())
                    .collect(),
            );
        }
        for c in &config.custom_rules {
            if disabled.iter().any(|d| d.eq_ignore_ascii_case(&c.id))
                || (!only.is_empty() && !only.iter().any(|o| o.eq_ignore_ascii_case(&c.id)))
            {
                continue;
            }
            rules.push(Rule::compile(c)?);
            keywords.push(c.keywords.iter().map(|k| k.to_ascii_lowercase()).collect());
        }
        let mut patterns: Vec<String> = Vec::new();
        let mut pattern_rules: Vec<Vec<usize>> = Vec::new();
        let mut always = Vec::new();
        for (i, kws) in keywords.iter().enumerate() {
            if kws.iter().all(|k| k.is_empty()) {
                always.push(i);
                continue;
            }
            for k in kws.iter().filter(|k| !k.is_empty()) {
                match patterns.iter().position(|p| p == k) {
                    Some(pi) => pattern_rules[pi].push(i),
                    None => {
                        patterns.push(k.clone());
                        pattern_rules.push(vec![i]);
                    }
                }
            }
        }
        let prefilter = AhoCorasick::builder()
            .ascii_case_insensitive(true)
            .kind(Some(AhoCorasickKind::DFA))
            .build(&patterns)
            .or_else(|_| {
                AhoCorasick::builder()
                    .ascii_case_insensitive(true)
                    .build(&patterns)
            })
            .map_err(|e| ConfigError::Prefilter(e.to_string()))?;
        let mut global: Vec<Allowlist> = config
            .allowlists
            .iter()
            .map(|a| Allowlist::compile("global allowlist", a))
            .collect::<Result<_, _>>()?;
        // A target may be a gitleaks rule ID; it also targets the built-in rule answering to it.
        for a in &mut global {
            let mut ids = a.target_rules.clone();
            for t in &a.target_rules {
                ids.extend(
                    crate::builtin::builtin()
                        .iter()
                        .filter(|r| r.meta.answers_to(t))
                        .map(|r| r.meta.id.to_string()),
                );
            }
            a.target_rules = ids;
        }
        let mut skip_ext: HashSet<String> =
            BINARY_EXTENSIONS.iter().map(|s| s.to_string()).collect();
        skip_ext.extend(
            config
                .skip_extensions
                .iter()
                .map(|e| e.trim_start_matches('.').to_ascii_lowercase()),
        );
        Ok(Scanner {
            rules,
            prefilter,
            pattern_rules,
            always,
            global,
            default_paths: compile_regex("built-in", "path allowlist", DEFAULT_PATH_ALLOWLIST)?,
            placeholder: compile_bytes_regex("built-in", "placeholder filter", PLACEHOLDER)?,
            digest_name: compile_bytes_regex("built-in", "digest-name filter", DIGEST_NAME)?,
            max_size: config.effective_max_size(),
            scan_binary: config.scan_binary,
            skip_ext,
            baseline: config.baseline,
            report_published: config.report_published_examples,
        })
    }

    /// Whether a file is worth reading: not too large, not a binary format by extension,
    /// not under an allowlisted path.
    pub fn wants(&self, path: &str, size: u64) -> bool {
        if self.max_size.is_some_and(|m| size > m) {
            return false;
        }
        let name = path.rsplit('/').next().unwrap_or(path);
        if let Some((_, ext)) = name.rsplit_once('.') {
            if self.skip_ext.contains(&ext.to_ascii_lowercase()) {
                return false;
            }
        }
        !self.path_allowed(path)
    }

    fn path_allowed(&self, path: &str) -> bool {
        self.default_paths.is_match(path) || self.global.iter().any(|a| a.allows_path(path))
    }

    /// Scans one file's bytes. Findings carry `Location.path` and a line/column span of the
    /// secret; the evidence is the line with every secret on it masked.
    pub fn scan(&self, path: &str, content: &[u8]) -> Vec<Finding> {
        self.scan_with(path, content, Ctx::default())
    }

    pub(crate) fn scan_with(&self, path: &str, content: &[u8], ctx: Ctx<'_>) -> Vec<Finding> {
        if self.max_size.is_some_and(|m| content.len() as u64 > m) || self.path_allowed(path) {
            return Vec::new();
        }
        if !self.scan_binary && memchr::memchr(0, &content[..content.len().min(8192)]).is_some() {
            return Vec::new();
        }
        let hits = self.find(path, content, ctx);
        self.findings(path, content, &hits, ctx)
    }

    fn candidates(&self, content: &[u8]) -> Vec<usize> {
        let mut wanted = vec![false; self.rules.len()];
        for &i in &self.always {
            wanted[i] = true;
        }
        for m in self.prefilter.find_overlapping_iter(content) {
            if let Some(rs) = self.pattern_rules.get(m.pattern().as_usize()) {
                for &r in rs {
                    wanted[r] = true;
                }
            }
        }
        (0..self.rules.len()).filter(|&i| wanted[i]).collect()
    }

    pub(crate) fn find(&self, path: &str, content: &[u8], ctx: Ctx<'_>) -> Vec<Hit> {
        let mut kept = self.find_all(path, content, ctx);
        kept.retain(|h| !self.baseline.contains(&h.fingerprint));
        kept
    }

    /// Every secret, including those a baseline accepted (they are still masked when printed).
    pub(crate) fn find_all(&self, path: &str, content: &[u8], ctx: Ctx<'_>) -> Vec<Hit> {
        let mut hits: Vec<Hit> = Vec::new();
        let mut lines: Option<LineIndex<'_>> = None;
        // Whether a line carries an ignore marker, by line start: one look per line.
        let mut marked: HashMap<usize, bool> = HashMap::new();
        for ri in self.candidates(content) {
            let rule = &self.rules[ri];
            if let Some(p) = &rule.path {
                if !p.is_match(path) {
                    continue;
                }
            }
            let global: Vec<&Allowlist> = self
                .global
                .iter()
                .filter(|a| a.applies_to(&rule.id))
                .collect();
            let Some(re) = &rule.regex else {
                // A path-only rule: the file itself is the secret (keystores, credential files).
                let cand = Candidate {
                    path,
                    secret: b"",
                    matched: b"",
                    line: b"",
                    commit: ctx.commit,
                };
                if !rule
                    .allow
                    .iter()
                    .chain(global.iter().copied())
                    .any(|a| a.allows(&cand))
                {
                    hits.push(Hit {
                        rule: ri,
                        start: 0,
                        end: 0,
                        fingerprint: fingerprint(&rule.id, path, b""),
                    });
                }
                continue;
            };
            for caps in re.captures_iter(content) {
                let secret = match rule.secret_group {
                    Some(g) => caps.get(g),
                    None => (1..caps.len())
                        .filter(|&i| Some(i) != rule.key_group)
                        .find_map(|i| caps.get(i))
                        .or_else(|| caps.get(0)),
                };
                let (Some(whole), Some(secret)) = (caps.get(0), secret) else {
                    continue;
                };
                let s = secret.as_bytes();
                if s.is_empty() || (rule.entropy > 0.0 && shannon(s) < rule.entropy) {
                    continue;
                }
                if self.placeholder.is_match(s)
                    || is_documentation_example(s)
                    || (!self.report_published && crate::published::is_published(s))
                {
                    continue;
                }
                if let Some(v) = rule.validate {
                    let key = rule
                        .key_group
                        .and_then(|g| caps.get(g))
                        .map(|k| String::from_utf8_lossy(k.as_bytes()).into_owned());
                    if !v(key.as_deref(), &String::from_utf8_lossy(s)) {
                        continue;
                    }
                }
                // `sentry_token_sha256: <64 hex>`: the name the rule matched says the value is
                // a digest of the credential, which is what a project should store instead.
                if self
                    .digest_name
                    .is_match(&content[whole.start()..secret.start()])
                {
                    continue;
                }
                let (ls, le) = lines
                    .get_or_insert_with(|| LineIndex::new(content))
                    .bounds(secret.start());
                let line = &content[ls..le];
                if *marked.entry(ls).or_insert_with(|| {
                    IGNORE_MARKERS
                        .iter()
                        .any(|m| memchr::memmem::find(line, m).is_some())
                }) {
                    continue;
                }
                let cand = Candidate {
                    path,
                    secret: s,
                    matched: whole.as_bytes(),
                    line,
                    commit: ctx.commit,
                };
                if rule
                    .allow
                    .iter()
                    .chain(global.iter().copied())
                    .any(|a| a.allows(&cand))
                {
                    continue;
                }
                hits.push(Hit {
                    rule: ri,
                    start: secret.start(),
                    end: secret.end(),
                    fingerprint: fingerprint(&rule.id, path, s),
                });
            }
        }
        // A token a provider rule recognised is not reported again by a generic rule, and
        // one rule reports one span once.
        let mut kept = dedup_overlaps(hits, |r| self.rules[r].generic);
        kept.sort_by_key(|h| (h.start, h.rule));
        kept
    }

    pub(crate) fn findings(
        &self,
        path: &str,
        content: &[u8],
        hits: &[Hit],
        ctx: Ctx<'_>,
    ) -> Vec<Finding> {
        let lines = LineIndex::new(content);
        let last_byte = |h: &Hit| h.end.saturating_sub(1).max(h.start);
        let pos = lines.positions(hits.iter().flat_map(|h| [h.start, last_byte(h)]));
        // Hits sorted by start, with the furthest end reached so far: the hits around one
        // secret are found by bisection instead of a pass over all of them.
        let mut by_start: Vec<(usize, usize)> = hits
            .iter()
            .filter(|h| h.end > h.start)
            .map(|h| (h.start, h.end))
            .collect();
        by_start.sort_unstable();
        let reach: Vec<usize> = by_start
            .iter()
            .scan(0, |m, &(_, e)| {
                *m = (*m).max(e);
                Some(*m)
            })
            .collect();
        hits.iter()
            .map(|h| {
                let rule = &self.rules[h.rule];
                let (sl, sc) = pos.get(h.start);
                let (el, ec) = pos.get(last_byte(h));
                let map = |l: u32| match ctx.line_map {
                    Some(m) => m.get(l as usize - 1).copied().unwrap_or(l),
                    None => l,
                };
                let span = Span {
                    start_line: map(sl),
                    start_column: sc,
                    end_line: map(el),
                    end_column: ec,
                };
                let mut f = Finding::new(
                    rule.id.clone(),
                    FindingKind::Secret,
                    rule.severity,
                    rule.title.clone(),
                    format!("{} in {path} at line {}", rule.title, span.start_line),
                    Location::file(path).with_span(span),
                );
                if h.end > h.start {
                    f.evidence = Some(evidence(content, &lines, h, &by_start, &reach));
                }
                f.remediation = rule.remediation.clone();
                f.references = rule.references.clone();
                f.related = rule.related.clone();
                f.extra
                    .insert("fingerprint".into(), h.fingerprint.clone().into());
                f
            })
            .collect()
    }
}

/// Stable across line moves and commits: rule, path and a hash of the secret (never the secret).
pub(crate) fn fingerprint(rule: &str, path: &str, secret: &[u8]) -> String {
    let mut h = Sha256::new();
    h.update(rule.as_bytes());
    h.update([0]);
    h.update(path.as_bytes());
    h.update([0]);
    h.update(secret);
    let digest = hex::encode(h.finalize());
    format!("{rule}:{path}:{}", &digest[..24])
}

/// The secret's line (a window of it for long lines) with every reported secret masked.
/// `by_start` holds the non-empty hits as (start, end) sorted by start, `reach[i]` the largest
/// end among the first `i + 1` of them.
fn evidence(
    content: &[u8],
    lines: &LineIndex<'_>,
    hit: &Hit,
    by_start: &[(usize, usize)],
    reach: &[usize],
) -> String {
    const CONTEXT: usize = 40;
    let (ls, le) = lines.bounds(hit.start);
    let ws = ls.max(hit.start.saturating_sub(CONTEXT));
    let we = le.min(hit.end.min(le) + CONTEXT).max(ws);
    // Hits starting before the window's end; walking back stops once no earlier hit can
    // still reach into the window.
    let upto = by_start.partition_point(|&(s, _)| s < we);
    let mut ranges: Vec<(usize, usize)> = Vec::new();
    for i in (0..upto).rev() {
        if reach[i] <= ws {
            break;
        }
        if by_start[i].1 > ws {
            ranges.push(by_start[i]);
        }
    }
    ranges.sort_unstable();
    let mut out = String::new();
    if ws > ls {
        out.push('…');
    }
    let mut pos = ws;
    for (s, e) in ranges {
        if s > pos {
            out.push_str(&String::from_utf8_lossy(&content[pos..s.min(we)]));
        }
        if e > pos {
            if s >= ws {
                out.push_str(&mask_secret(&String::from_utf8_lossy(&content[s..e])));
            } else {
                out.push_str("****");
            }
            pos = e;
        }
    }
    if pos < we {
        out.push_str(&String::from_utf8_lossy(&content[pos..we]));
    }
    if we < le {
        out.push('…');
    }
    out.trim().to_string()
}

/// One rule reports one span once, and a token a provider rule recognised is not reported
/// again by a generic rule. Linear after sorting: same-rule overlaps are tracked by the
/// furthest end per rule, overlaps with kept provider hits by a prefix maximum of ends.
fn dedup_overlaps(mut hits: Vec<Hit>, generic: impl Fn(usize) -> bool) -> Vec<Hit> {
    // An empty span (a path-only rule) still occupies its position.
    let end_of = |h: &Hit| h.end.max(h.start + 1);
    hits.sort_by_key(|h| (generic(h.rule), h.start, h.rule));
    let mut kept: Vec<Hit> = Vec::with_capacity(hits.len());
    let mut rule_reach: HashMap<usize, usize> = HashMap::new();
    // Kept provider hits in start order, with the furthest end so far.
    let mut provider: Vec<(usize, usize)> = Vec::new();
    let mut generic_reach = 0usize;
    for h in hits {
        let blocked = if !generic(h.rule) {
            rule_reach.get(&h.rule).is_some_and(|&e| e > h.start)
        } else {
            let before = provider.partition_point(|&(s, _)| s < end_of(&h));
            (before > 0 && provider[before - 1].1 > h.start) || generic_reach > h.start
        };
        if blocked {
            continue;
        }
        let e = end_of(&h);
        let r = rule_reach.entry(h.rule).or_insert(0);
        *r = (*r).max(e);
        if generic(h.rule) {
            generic_reach = generic_reach.max(e);
        } else {
            let m = provider.last().map_or(e, |&(_, m)| m.max(e));
            provider.push((h.start, m));
        }
        kept.push(h);
    }
    kept
}

#[cfg(test)]
mod tests {
    use super::is_documentation_example;

    #[test]
    fn documentation_examples_end_in_one_example() {
        assert!(is_documentation_example(b"AKIAIOSFODNN7EXAMPLE"));
        assert!(is_documentation_example(
            b"wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
        ));
        assert!(is_documentation_example(
            b"ghp_4kT9zQ2mWx7LpR3vN8bY1cJ6EXAMPLE"
        ));
        // EXAMPLE elsewhere, repeated, or in lower case: left to the rules.
        assert!(!is_documentation_example(
            b"ghp_EXAMPLE9ATPtdbmF4RPAfqoQB7xoFcSvTAxR"
        ));
        assert!(!is_documentation_example(
            b"ABSKQmVkcm9jEXAMPLEEXAMPLEEXAMPLE"
        ));
        assert!(!is_documentation_example(b"sk_live_4kT9zQ2mWx7Lpexample"));
    }
}
