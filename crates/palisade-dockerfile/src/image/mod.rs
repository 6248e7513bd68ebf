//! Checks of a built image's OCI config (family `image-config`): the same intent as the
//! Dockerfile rules, for images whose Dockerfile is not at hand.

use palisade_core::{Finding, Location, ObjectRef, RuleMeta};
use serde_json::Value;

mod ic001_root_user;
mod ic002_ssh_port;
mod ic003_no_healthcheck;
mod ic004_secret_env;
mod ic005_tls_disabled_env;
mod ic006_history_pipe_to_shell;
mod ic007_history_insecure;
mod ic008_history_secret_arg;
mod ic009_oci_labels;

/// An image-config rule: metadata, check and fixtures (config JSON).
pub struct ImageRule {
    pub meta: RuleMeta,
    pub check: fn(&Config) -> Vec<ImageHit>,
    pub fires: &'static [&'static str],
    pub passes: &'static [&'static str],
}

pub struct ImageHit {
    /// JSON path inside the config blob (`config.User`, `history[3].created_by`).
    pub field: String,
    pub message: String,
    pub evidence: Option<String>,
}

/// The parts of the config blob rules read.
pub struct Config<'a> {
    pub raw: &'a Value,
    pub inner: &'a Value,
}

impl<'a> Config<'a> {
    pub fn new(raw: &'a Value) -> Config<'a> {
        // Accept both the whole blob and the inner `config` object.
        let inner = raw.get("config").filter(|c| c.is_object()).unwrap_or(raw);
        Config { raw, inner }
    }

    pub fn user(&self) -> Option<&'a str> {
        self.inner.get("User").and_then(Value::as_str)
    }

    /// `KEY=value` entries of `config.Env`.
    pub fn env(&self) -> Vec<(usize, &'a str, &'a str)> {
        self.inner
            .get("Env")
            .and_then(Value::as_array)
            .map(|a| {
                a.iter()
                    .enumerate()
                    .filter_map(|(i, v)| v.as_str().map(|s| (i, s)))
                    .map(|(i, s)| match s.split_once('=') {
                        Some((k, v)) => (i, k, v),
                        None => (i, s, ""),
                    })
                    .collect()
            })
            .unwrap_or_default()
    }

    /// `(index, created_by)` of each history entry.
    pub fn history(&self) -> Vec<(usize, &'a str)> {
        self.raw
            .get("history")
            .and_then(Value::as_array)
            .map(|a| {
                a.iter()
                    .enumerate()
                    .filter_map(|(i, h)| {
                        h.get("created_by").and_then(Value::as_str).map(|c| (i, c))
                    })
                    .collect()
            })
            .unwrap_or_default()
    }
}

static ALL: [&ImageRule; 9] = [
    &ic001_root_user::RULE,
    &ic002_ssh_port::RULE,
    &ic003_no_healthcheck::RULE,
    &ic004_secret_env::RULE,
    &ic005_tls_disabled_env::RULE,
    &ic006_history_pipe_to_shell::RULE,
    &ic007_history_insecure::RULE,
    &ic008_history_secret_arg::RULE,
    &ic009_oci_labels::RULE,
];

pub fn all() -> &'static [&'static ImageRule] {
    &ALL
}

/// The shell script of a history entry (`/bin/sh -c #(nop) ...`, `RUN /bin/sh -c ...`).
pub fn history_script(created_by: &str) -> Option<&str> {
    let s = created_by.trim();
    if s.contains("#(nop)") {
        return None;
    }
    let s = s.strip_prefix("RUN ").unwrap_or(s);
    let s = s
        .strip_prefix("|")
        .map(|r| {
            r.trim_start_matches(|c: char| c.is_ascii_digit())
                .trim_start()
        })
        .unwrap_or(s);
    // `|2 A=1 B=2 /bin/sh -c ...`: build args precede the shell.
    let s = match s.find("/bin/sh -c ") {
        Some(i) => &s[i + "/bin/sh -c ".len()..],
        None => s,
    };
    Some(s)
}

pub fn scan(config: &Value) -> Vec<Finding> {
    let cfg = Config::new(config);
    let mut out = Vec::new();
    for rule in all() {
        for hit in (rule.check)(&cfg) {
            let loc = Location {
                object: Some(ObjectRef {
                    kind: "ImageConfig".into(),
                    name: "config".into(),
                    field_path: Some(hit.field),
                    ..Default::default()
                }),
                ..Default::default()
            };
            out.push(crate::finding(&rule.meta, loc, hit.message, hit.evidence));
        }
    }
    out
}
