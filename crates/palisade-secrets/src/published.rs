//! Credentials their owners publish on purpose: Google API keys in Firebase's own open-source
//! SDK test fixtures and sample configs, and the OAuth client secrets and API keys that
//! command-line tools (the Google Cloud SDK) embed for every user, and the example OAuth tokens
//! of RFC 5849, RFC 6749 and requests-oauthlib's documentation that OAuth libraries quote in
//! their docstrings. Anyone can read them, so reporting one (typically from a vendored SDK, an
//! installed CLI or Python's OAuth stack) is noise. The lists are data generated from those
//! sources by `scripts/published-example-keys.sh`, `scripts/published-cli-secrets.sh` and
//! `scripts/published-doc-examples.sh`, not written by hand.

use once_cell::sync::Lazy;
use std::collections::HashSet;

const LISTS: [&str; 3] = [
    include_str!("../data/published-example-keys.tsv"),
    include_str!("../data/published-cli-secrets.tsv"),
    include_str!("../data/published-doc-examples.tsv"),
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
        // Every line of every list is `value<TAB>source`, and values are token-shaped.
        for list in super::LISTS {
            for l in list.lines().filter(|l| !l.starts_with('#')) {
                let (value, source) = l.split_once('\t').expect("value<TAB>source");
                assert!(!source.is_empty(), "{l}");
                assert!(
                    value.len() >= 10
                        && value
                            .bytes()
                            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'),
                    "{l}"
                );
            }
        }
    }
}
