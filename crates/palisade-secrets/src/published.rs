//! Credentials their owners publish on purpose: Google API keys in Firebase's own open-source
//! SDK test fixtures and sample configs, and the OAuth client secrets and API keys that
//! command-line tools (the Google Cloud SDK) embed for every user. Anyone can read them, so
//! reporting one (typically from a vendored SDK or an installed CLI) is noise. The lists are
//! data generated from those sources by `scripts/published-example-keys.sh` and
//! `scripts/published-cli-secrets.sh`, not written by hand.

use once_cell::sync::Lazy;
use std::collections::HashSet;

const LISTS: [&str; 2] = [
    include_str!("../data/published-example-keys.tsv"),
    include_str!("../data/published-cli-secrets.tsv"),
];

static PUBLISHED: Lazy<HashSet<&'static [u8]>> = Lazy::new(|| {
    LISTS
        .iter()
        .flat_map(|list| list.lines())
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
    fn lists_load_and_match_exact_values_only() {
        let first = super::PUBLISHED
            .iter()
            .next()
            .copied()
            .expect("list is not empty");
        assert!(super::is_published(first));
        let mut changed = first.to_vec();
        changed[10] ^= 1;
        assert!(!super::is_published(&changed));
        // Every line of both files is `value<TAB>source`, and values are token-shaped.
        for list in super::LISTS {
            for l in list.lines().filter(|l| !l.starts_with('#')) {
                let (value, source) = l.split_once('\t').expect("value<TAB>source");
                assert!(!source.is_empty(), "{l}");
                assert!(
                    value.len() >= 20
                        && value
                            .bytes()
                            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'),
                    "{l}"
                );
            }
        }
    }
}
