use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// What a scan looks for. Which scanners run is the caller's choice alone: output formats
/// never switch one on or off.
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
    schemars::JsonSchema,
)]
#[serde(rename_all = "lowercase")]
pub enum Scanner {
    /// Known vulnerabilities of the packages found.
    Vuln,
    /// Credentials in files, image configs and history.
    Secret,
    /// Dockerfiles, Kubernetes manifests and image configs against the built-in rules.
    Misconfig,
}

impl Scanner {
    pub const ALL: [Scanner; 3] = [Scanner::Vuln, Scanner::Secret, Scanner::Misconfig];

    pub fn as_str(self) -> &'static str {
        match self {
            Scanner::Vuln => "vuln",
            Scanner::Secret => "secret",
            Scanner::Misconfig => "misconfig",
        }
    }
}

impl fmt::Display for Scanner {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Debug, thiserror::Error)]
#[error("unknown scanner {0:?} (expected vuln, secret or misconfig)")]
pub struct ParseScannerError(pub String);

impl FromStr for Scanner {
    type Err = ParseScannerError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        // Trivy's names are accepted too: `vulnerability`, `config`.
        match s.trim().to_ascii_lowercase().as_str() {
            "vuln" | "vulnerability" | "vulnerabilities" => Ok(Scanner::Vuln),
            "secret" | "secrets" => Ok(Scanner::Secret),
            "misconfig" | "config" | "misconfiguration" => Ok(Scanner::Misconfig),
            _ => Err(ParseScannerError(s.to_string())),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip_and_trivy_aliases() {
        for s in Scanner::ALL {
            assert_eq!(s.as_str().parse::<Scanner>().unwrap(), s);
        }
        assert_eq!("config".parse::<Scanner>().unwrap(), Scanner::Misconfig);
        assert!("license".parse::<Scanner>().is_err());
    }
}
