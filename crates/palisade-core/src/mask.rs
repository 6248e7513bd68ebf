/// Masks a secret for any output: keeps at most four leading characters (fewer for short
/// values) and replaces the rest, so the raw value never reaches a report or a log.
pub fn mask_secret(secret: &str) -> String {
    let n = secret.chars().count();
    let keep = match n {
        0..=7 => 0,
        8..=15 => 2,
        _ => 4,
    };
    let prefix: String = secret.chars().take(keep).collect();
    format!("{prefix}{}", "*".repeat((n - keep).clamp(4, 16)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn masks_keep_only_a_short_prefix() {
        let m = mask_secret("AKIAQYLPMN5HHHFPZAM2");
        assert_eq!(m, "AKIA****************");
        assert!(!m.contains("QYLP"));
        assert_eq!(mask_secret("abc"), "****");
        assert_eq!(mask_secret("abcdefghij"), "ab********");
    }
}
