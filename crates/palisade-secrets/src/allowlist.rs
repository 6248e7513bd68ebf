//! Compiled allowlists: global ones and each rule's (built-in or user, same shape).

use crate::config::{AllowlistConfig, RegexTarget};
use crate::error::ConfigError;
use regex::bytes::Regex as BytesRegex;
use regex::Regex;

pub(crate) struct Allowlist {
    paths: Vec<Regex>,
    regexes: Vec<BytesRegex>,
    target: RegexTarget,
    /// Lower-case.
    stopwords: Vec<String>,
    commits: Vec<String>,
    and: bool,
    /// Empty means every rule.
    pub(crate) target_rules: Vec<String>,
}

/// What a candidate looks like to the allowlists.
pub(crate) struct Candidate<'a> {
    pub path: &'a str,
    pub secret: &'a [u8],
    pub matched: &'a [u8],
    pub line: &'a [u8],
    pub commit: Option<&'a str>,
}

pub(crate) fn compile_regex(rule: &str, what: &str, re: &str) -> Result<Regex, ConfigError> {
    regex::RegexBuilder::new(&crate::re2::from_go(re))
        .size_limit(64 << 20)
        .build()
        .map_err(|e| ConfigError::Regex {
            rule: rule.to_string(),
            what: what.to_string(),
            message: e.to_string(),
        })
}

pub(crate) fn compile_bytes_regex(
    rule: &str,
    what: &str,
    re: &str,
) -> Result<BytesRegex, ConfigError> {
    // Tokens are ASCII, and gitleaks (Go RE2) classes such as `\w` are ASCII-only: ASCII
    // mode matches their semantics and compiles an order of magnitude smaller automata.
    regex::bytes::RegexBuilder::new(&crate::re2::from_go(re))
        .unicode(false)
        .size_limit(64 << 20)
        .dfa_size_limit(16 << 20)
        .build()
        .map_err(|e| ConfigError::Regex {
            rule: rule.to_string(),
            what: what.to_string(),
            message: e.to_string(),
        })
}

impl Allowlist {
    pub(crate) fn compile(owner: &str, cfg: &AllowlistConfig) -> Result<Self, ConfigError> {
        let and = match cfg
            .condition
            .as_deref()
            .map(str::to_ascii_lowercase)
            .as_deref()
        {
            None | Some("") | Some("or") => false,
            Some("and") => true,
            Some(other) => {
                return Err(ConfigError::Rule {
                    rule: owner.to_string(),
                    problem: format!("allowlist condition must be `and` or `or`, not {other:?}"),
                })
            }
        };
        let a = Allowlist {
            paths: cfg
                .paths
                .iter()
                .map(|p| compile_regex(owner, "in allowlist paths", p))
                .collect::<Result<_, _>>()?,
            regexes: cfg
                .regexes
                .iter()
                .map(|r| compile_bytes_regex(owner, "in allowlist regexes", r))
                .collect::<Result<_, _>>()?,
            target: cfg.regex_target,
            stopwords: cfg
                .stopwords
                .iter()
                .map(|s| s.to_ascii_lowercase())
                .collect(),
            commits: cfg.commits.clone(),
            and,
            target_rules: cfg.target_rules.clone(),
        };
        if a.paths.is_empty()
            && a.regexes.is_empty()
            && a.stopwords.is_empty()
            && a.commits.is_empty()
        {
            return Err(ConfigError::Rule {
                rule: owner.to_string(),
                problem: "an allowlist needs at least one of paths, regexes, stopwords or commits"
                    .into(),
            });
        }
        Ok(a)
    }

    pub(crate) fn applies_to(&self, rule_id: &str) -> bool {
        self.target_rules.is_empty() || self.target_rules.iter().any(|r| r == rule_id)
    }

    /// True when the whole file is allowed whatever it contains.
    pub(crate) fn allows_path(&self, path: &str) -> bool {
        if self.paths.is_empty() || !self.target_rules.is_empty() {
            return false;
        }
        let only_paths =
            self.regexes.is_empty() && self.stopwords.is_empty() && self.commits.is_empty();
        (only_paths || !self.and) && self.paths.iter().any(|p| p.is_match(path))
    }

    pub(crate) fn allows(&self, c: &Candidate<'_>) -> bool {
        let mut checks: Vec<bool> = Vec::with_capacity(4);
        if !self.commits.is_empty() {
            checks.push(c.commit.is_some_and(|id| {
                self.commits
                    .iter()
                    .any(|k| !k.is_empty() && id.starts_with(k.as_str()))
            }));
        }
        if !self.paths.is_empty() {
            checks.push(self.paths.iter().any(|p| p.is_match(c.path)));
        }
        if !self.regexes.is_empty() {
            let hay = match self.target {
                RegexTarget::Secret => c.secret,
                RegexTarget::Match => c.matched,
                RegexTarget::Line => c.line,
            };
            checks.push(self.regexes.iter().any(|r| r.is_match(hay)));
        }
        if !self.stopwords.is_empty() {
            let lower = c.secret.to_ascii_lowercase();
            checks.push(
                self.stopwords
                    .iter()
                    .any(|w| memchr::memmem::find(&lower, w.as_bytes()).is_some()),
            );
        }
        if self.and {
            !checks.is_empty() && checks.iter().all(|&b| b)
        } else {
            checks.iter().any(|&b| b)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cand<'a>(path: &'a str, secret: &'a [u8], line: &'a [u8]) -> Candidate<'a> {
        Candidate {
            path,
            secret,
            matched: secret,
            line,
            commit: Some("abc123"),
        }
    }

    #[test]
    fn or_and_conditions() {
        let cfg = AllowlistConfig {
            paths: vec!["^test/".into()],
            stopwords: vec!["DUMMY".into()],
            ..Default::default()
        };
        let a = Allowlist::compile("r", &cfg).unwrap();
        assert!(a.allows(&cand("test/x", b"abc", b"")));
        assert!(a.allows(&cand("src/x", b"xxdummyxx", b"")));
        assert!(!a.allows(&cand("src/x", b"abc", b"")));
        let and = Allowlist::compile(
            "r",
            &AllowlistConfig {
                condition: Some("AND".into()),
                ..cfg
            },
        )
        .unwrap();
        assert!(!and.allows(&cand("test/x", b"abc", b"")));
        assert!(and.allows(&cand("test/x", b"dummy", b"")));
        assert!(!and.allows_path("test/x"));
    }

    #[test]
    fn line_target_commits_and_empty_lists() {
        let cfg = AllowlistConfig {
            regexes: vec!["fixture".into()],
            regex_target: RegexTarget::Line,
            commits: vec!["abc".into()],
            ..Default::default()
        };
        let a = Allowlist::compile("r", &cfg).unwrap();
        assert!(a.allows(&cand("p", b"s", b"a fixture line")));
        assert!(
            a.allows(&cand("p", b"s", b"other")),
            "commit prefix abc matches abc123"
        );
        assert!(Allowlist::compile("r", &AllowlistConfig::default()).is_err());
        let bad = AllowlistConfig {
            regexes: vec!["(".into()],
            ..Default::default()
        };
        assert!(Allowlist::compile("r", &bad).is_err());
    }
}
