//! What [`crate::VulnDb::match_packages`] returns: the findings, and every package it could
//! not look up, grouped by why, so that no distribution goes unmatched without a word.

use palisade_core::{Ecosystem, Finding, ProblemKind, ScanError, Unmatchable};
use std::fmt;

/// The result of matching one target's packages.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct MatchOutcome {
    pub findings: Vec<Finding>,
    /// Packages that were not matched, one group per (package format, reason); empty when
    /// every package was looked up.
    pub unmatched: Vec<UnmatchedGroup>,
}

/// `count` packages of one format that no advisory source could be asked about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnmatchedGroup {
    pub ecosystem: Ecosystem,
    pub reason: Unmatchable,
    pub count: usize,
}

impl UnmatchedGroup {
    /// The group as a report problem (`source` is `vulnerability matching`).
    pub fn to_scan_error(&self) -> ScanError {
        let kind = if self.reason.is_unsupported() {
            ProblemKind::Unsupported
        } else {
            ProblemKind::Other
        };
        ScanError::of_kind(kind, "vulnerability matching", self.to_string())
    }
}

/// `38 rpm packages not matched: OSV publishes no advisories for CentOS 7`.
impl fmt::Display for UnmatchedGroup {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let noun = if self.count == 1 {
            "package"
        } else {
            "packages"
        };
        write!(
            f,
            "{} {} {noun} not matched: {}",
            self.count, self.ecosystem, self.reason
        )
    }
}
