//! Prometheus metrics, text exposition format 0.0.4.
//!
//! Hand-written rather than `prometheus-client`: that crate is not in the workspace yet, the
//! series here are four families with small fixed label sets, and the text format is a few
//! `writeln!`s. Counters sit behind one mutex per family (uncontended at webhook rates:
//! 1,000 req/s is a lock every millisecond); histogram buckets are atomics.

use std::collections::BTreeMap;
use std::fmt::Write;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;
use std::time::Duration;

use crate::tls::CertStore;

/// Which route a request hit (the `endpoint` label).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Endpoint {
    Validate,
    Mutate,
    Healthz,
    Readyz,
    Metrics,
    Other,
}

impl Endpoint {
    pub fn as_str(self) -> &'static str {
        match self {
            Endpoint::Validate => "validate",
            Endpoint::Mutate => "mutate",
            Endpoint::Healthz => "healthz",
            Endpoint::Readyz => "readyz",
            Endpoint::Metrics => "metrics",
            Endpoint::Other => "other",
        }
    }
}

/// Upper bounds of the duration buckets, seconds: 0.5 ms (a fast review) to 10 s (the
/// API server's default webhook timeout).
const BUCKETS: [f64; 14] = [
    0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0,
];

/// Distinct `reason` labels kept; later ones are counted as `other`, so a controller that
/// puts free text in `reason` cannot grow the metrics without bound.
const MAX_REASONS: usize = 64;

#[derive(Debug, Default)]
struct Histogram {
    buckets: [AtomicU64; BUCKETS.len()],
    count: AtomicU64,
    sum_nanos: AtomicU64,
}

/// All counters of one server.
#[derive(Debug, Default)]
pub struct Metrics {
    requests: Mutex<BTreeMap<(Endpoint, u16), u64>>,
    decisions: Mutex<BTreeMap<(Endpoint, bool, String), u64>>,
    validate: Histogram,
    mutate: Histogram,
    policy_errors: AtomicU64,
}

impl Metrics {
    /// Counts one answered request; review endpoints also record how long it took.
    pub fn request(&self, endpoint: Endpoint, code: u16, took: Duration) {
        if let Ok(mut m) = self.requests.lock() {
            *m.entry((endpoint, code)).or_default() += 1;
        }
        let h = match endpoint {
            Endpoint::Validate => &self.validate,
            Endpoint::Mutate => &self.mutate,
            _ => return,
        };
        let secs = took.as_secs_f64();
        if let Some(i) = BUCKETS.iter().position(|&b| secs <= b) {
            h.buckets[i].fetch_add(1, Ordering::Relaxed);
        }
        h.count.fetch_add(1, Ordering::Relaxed);
        let nanos = u64::try_from(took.as_nanos()).unwrap_or(u64::MAX);
        h.sum_nanos.fetch_add(nanos, Ordering::Relaxed);
    }

    /// Counts one decision and the policy evaluation errors behind it.
    pub fn decision(&self, endpoint: Endpoint, allowed: bool, reason: &str, eval_errors: usize) {
        if let Ok(mut m) = self.decisions.lock() {
            let mut key = (endpoint, allowed, reason.to_string());
            if !m.contains_key(&key) && m.len() >= MAX_REASONS {
                key.2 = "other".into();
            }
            *m.entry(key).or_default() += 1;
        }
        self.policy_errors
            .fetch_add(eval_errors as u64, Ordering::Relaxed);
    }

    /// The exposition text for `GET /metrics`.
    pub fn render(&self, certs: &CertStore) -> String {
        let mut out = String::with_capacity(4096);
        let _ = self.write(&mut out, certs);
        out
    }

    fn write(&self, out: &mut String, certs: &CertStore) -> std::fmt::Result {
        writeln!(out, "# HELP palisade_admission_requests_total HTTP requests answered, by endpoint and status code.")?;
        writeln!(out, "# TYPE palisade_admission_requests_total counter")?;
        if let Ok(m) = self.requests.lock() {
            for ((endpoint, code), n) in m.iter() {
                let e = endpoint.as_str();
                writeln!(
                    out,
                    "palisade_admission_requests_total{{endpoint=\"{e}\",code=\"{code}\"}} {n}"
                )?;
            }
        }
        writeln!(out, "# HELP palisade_admission_decisions_total Admission decisions, by endpoint, outcome and reason.")?;
        writeln!(out, "# TYPE palisade_admission_decisions_total counter")?;
        if let Ok(m) = self.decisions.lock() {
            for ((endpoint, allowed, reason), n) in m.iter() {
                let (e, r) = (endpoint.as_str(), escape(reason));
                writeln!(out, "palisade_admission_decisions_total{{endpoint=\"{e}\",allowed=\"{allowed}\",reason=\"{r}\"}} {n}")?;
            }
        }
        writeln!(out, "# HELP palisade_admission_request_duration_seconds Time from request headers to response, review endpoints.")?;
        writeln!(
            out,
            "# TYPE palisade_admission_request_duration_seconds histogram"
        )?;
        for (endpoint, h) in [
            (Endpoint::Validate, &self.validate),
            (Endpoint::Mutate, &self.mutate),
        ] {
            let e = endpoint.as_str();
            let mut cumulative = 0;
            for (bound, n) in BUCKETS.iter().zip(&h.buckets) {
                cumulative += n.load(Ordering::Relaxed);
                writeln!(out, "palisade_admission_request_duration_seconds_bucket{{endpoint=\"{e}\",le=\"{bound}\"}} {cumulative}")?;
            }
            let count = h.count.load(Ordering::Relaxed);
            let sum = h.sum_nanos.load(Ordering::Relaxed) as f64 / 1e9;
            writeln!(out, "palisade_admission_request_duration_seconds_bucket{{endpoint=\"{e}\",le=\"+Inf\"}} {count}")?;
            writeln!(
                out,
                "palisade_admission_request_duration_seconds_sum{{endpoint=\"{e}\"}} {sum}"
            )?;
            writeln!(
                out,
                "palisade_admission_request_duration_seconds_count{{endpoint=\"{e}\"}} {count}"
            )?;
        }
        writeln!(out, "# HELP palisade_admission_policy_errors_total Policy evaluations that failed with an error (not a violation).")?;
        writeln!(out, "# TYPE palisade_admission_policy_errors_total counter")?;
        writeln!(
            out,
            "palisade_admission_policy_errors_total {}",
            self.policy_errors.load(Ordering::Relaxed)
        )?;
        let (ok, failed) = certs.reload_counts();
        writeln!(out, "# HELP palisade_webhook_certificate_reloads_total Certificate reloads from disk, by result.")?;
        writeln!(
            out,
            "# TYPE palisade_webhook_certificate_reloads_total counter"
        )?;
        writeln!(
            out,
            "palisade_webhook_certificate_reloads_total{{result=\"success\"}} {ok}"
        )?;
        writeln!(
            out,
            "palisade_webhook_certificate_reloads_total{{result=\"failure\"}} {failed}"
        )?;
        if let Some(not_after) = certs.not_after() {
            writeln!(out, "# HELP palisade_webhook_certificate_expiry_seconds When the served certificate expires (Unix time).")?;
            writeln!(
                out,
                "# TYPE palisade_webhook_certificate_expiry_seconds gauge"
            )?;
            writeln!(
                out,
                "palisade_webhook_certificate_expiry_seconds {not_after}"
            )?;
        }
        Ok(())
    }
}

/// Label value escaping of the text format: backslash, double quote, newline.
fn escape(s: &str) -> String {
    s.replace('\\', "\\\\")
        .replace('"', "\\\"")
        .replace('\n', "\\n")
}
