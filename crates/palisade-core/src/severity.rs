use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// Ordered so that `Severity::High > Severity::Medium` holds.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Serialize,
    Deserialize,
    Default,
    schemars::JsonSchema,
)]
#[serde(rename_all = "UPPERCASE")]
pub enum Severity {
    #[default]
    Unknown,
    Low,
    Medium,
    High,
    Critical,
}

impl Severity {
    pub const ALL: [Severity; 5] = [
        Severity::Unknown,
        Severity::Low,
        Severity::Medium,
        Severity::High,
        Severity::Critical,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Unknown => "UNKNOWN",
            Severity::Low => "LOW",
            Severity::Medium => "MEDIUM",
            Severity::High => "HIGH",
            Severity::Critical => "CRITICAL",
        }
    }

    /// CVSS v3/v4 qualitative rating of a base score.
    pub fn from_cvss_score(score: f64) -> Severity {
        match score {
            s if s >= 9.0 => Severity::Critical,
            s if s >= 7.0 => Severity::High,
            s if s >= 4.0 => Severity::Medium,
            s if s > 0.0 => Severity::Low,
            _ => Severity::Unknown,
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Debug, thiserror::Error)]
#[error("unknown severity {0:?} (expected UNKNOWN, LOW, MEDIUM, HIGH or CRITICAL)")]
pub struct ParseSeverityError(pub String);

impl FromStr for Severity {
    type Err = ParseSeverityError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_uppercase().as_str() {
            "UNKNOWN" | "NONE" => Ok(Severity::Unknown),
            "LOW" => Ok(Severity::Low),
            "MEDIUM" | "MODERATE" => Ok(Severity::Medium),
            "HIGH" | "IMPORTANT" => Ok(Severity::High),
            "CRITICAL" => Ok(Severity::Critical),
            _ => Err(ParseSeverityError(s.to_string())),
        }
    }
}

/// Keeps the `max` most severe items, the earlier first among equals, in their order, and
/// returns how many were dropped. The one policy for every findings cap (per target, per
/// Dockerfile): applied repeatedly it keeps the same set as once at the end.
pub fn keep_most_severe<T>(
    items: &mut Vec<T>,
    max: usize,
    severity: impl Fn(&T) -> Severity,
) -> usize {
    let n = items.len();
    if n <= max {
        return 0;
    }
    let mut order: Vec<usize> = (0..n).collect();
    order.sort_by_key(|&i| std::cmp::Reverse(severity(&items[i])));
    let mut keep = vec![false; n];
    for &i in &order[..max] {
        keep[i] = true;
    }
    let mut i = 0;
    items.retain(|_| {
        i += 1;
        keep[i - 1]
    });
    n - max
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ordering_and_parsing() {
        assert!(Severity::Critical > Severity::High);
        assert!(Severity::Low > Severity::Unknown);
        assert_eq!("moderate".parse::<Severity>().unwrap(), Severity::Medium);
        assert!("urgent".parse::<Severity>().is_err());
        assert_eq!(Severity::from_cvss_score(9.8), Severity::Critical);
        assert_eq!(Severity::from_cvss_score(6.9), Severity::Medium);
        assert_eq!(Severity::from_cvss_score(0.0), Severity::Unknown);
    }

    #[test]
    fn keeps_the_most_severe_in_order() {
        use Severity::*;
        let mut v = vec![(Low, 0), (High, 1), (Medium, 2), (High, 3), (Critical, 4)];
        assert_eq!(super::keep_most_severe(&mut v, 3, |x| x.0), 2);
        assert_eq!(v, vec![(High, 1), (High, 3), (Critical, 4)]);
        assert_eq!(super::keep_most_severe(&mut v, 3, |x| x.0), 0);
    }
}
