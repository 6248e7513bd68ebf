//! Per-rule token buckets, refilled by event time so a replay limits as the live stream
//! would have.

use std::collections::HashMap;

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Limit {
    /// Tokens per second.
    pub rate: f64,
    pub burst: f64,
}

impl Limit {
    /// `RATE` or `RATE:BURST` (burst defaults to the rate, at least 1).
    pub fn parse(s: &str) -> Option<Limit> {
        let (r, b) = match s.split_once(':') {
            Some((r, b)) => (r.parse::<f64>().ok()?, b.parse::<f64>().ok()?),
            None => {
                let r = s.parse::<f64>().ok()?;
                (r, r.max(1.0))
            }
        };
        (r > 0.0 && r.is_finite() && b >= 1.0 && b.is_finite())
            .then_some(Limit { rate: r, burst: b })
    }
}

#[derive(Debug, Default)]
pub struct RateLimiter {
    limit: Option<Limit>,
    buckets: HashMap<String, (f64, i64)>,
    pub dropped: HashMap<String, u64>,
}

impl RateLimiter {
    pub fn new(limit: Option<Limit>) -> Self {
        RateLimiter {
            limit,
            ..Default::default()
        }
    }

    /// Whether an alert of `rule` at time `ns` may go out.
    pub fn allow(&mut self, rule: &str, ns: i64) -> bool {
        let Some(l) = self.limit else {
            return true;
        };
        let b = self
            .buckets
            .entry(rule.to_string())
            .or_insert((l.burst, ns));
        let elapsed = ns.saturating_sub(b.1).max(0) as f64 / 1e9;
        b.0 = (b.0 + elapsed * l.rate).min(l.burst);
        b.1 = b.1.max(ns);
        if b.0 >= 1.0 {
            b.0 -= 1.0;
            true
        } else {
            *self.dropped.entry(rule.to_string()).or_default() += 1;
            false
        }
    }
}
