//! Credentials their owners publish on purpose: Google API keys in Firebase's own open-source
//! SDK test fixtures and sample configs. Anyone can read them, so reporting one (typically from
//! a vendored SDK) is noise. The list is data generated from those repositories by
//! `scripts/published-example-keys.sh`, not written by hand.

use once_cell::sync::Lazy;
use std::collections::HashSet;

static PUBLISHED: Lazy<HashSet<&'static [u8]>> = Lazy::new(|| {
    include_str!("../data/published-example-keys.tsv")
        .lines()
        .filter(|l| !l.starts_with('#'))
        .filter_map(|l| l.split('\t').next())
        .filter(|v| !v.is_empty())
        .map(str::as_bytes)
        .collect()
});

pub(crate) fn is_published(secret: &[u8]) -> bool {
    PUBLISHED.contains(secret)
}

#[cfg(test)]
mod tests {
    #[test]
    fn list_loads_and_matches_exact_values_only() {
        let first = super::PUBLISHED
            .iter()
            .next()
            .copied()
            .expect("list is not empty");
        assert!(super::is_published(first));
        let mut changed = first.to_vec();
        changed[10] ^= 1;
        assert!(!super::is_published(&changed));
        assert!(super::PUBLISHED
            .iter()
            .all(|k| k.starts_with(b"AIza") && k.len() == 39));
    }
}
