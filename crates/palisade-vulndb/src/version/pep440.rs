//! PEP 440 ordering through `pep440_rs` (the parser uv uses).

use pep440_rs::Version;
use std::cmp::Ordering;
use std::str::FromStr;

pub fn compare(a: &str, b: &str) -> Ordering {
    match (Version::from_str(a.trim()), Version::from_str(b.trim())) {
        (Ok(x), Ok(y)) => x.cmp(&y),
        _ => super::fallback(a, b),
    }
}

#[cfg(test)]
mod tests {
    use super::compare;
    use std::cmp::Ordering::*;

    // The ordering example of PEP 440 ("Summary of permitted suffixes and relative ordering").
    #[test]
    fn pep440_vectors() {
        let chain = [
            "1.dev0",
            "1.0.dev456",
            "1.0a1",
            "1.0a2.dev456",
            "1.0a12.dev456",
            "1.0a12",
            "1.0b1.dev456",
            "1.0b2",
            "1.0b2.post345.dev456",
            "1.0b2.post345",
            "1.0rc1.dev456",
            "1.0rc1",
            "1.0",
            "1.0+abc.5",
            "1.0+abc.7",
            "1.0+5",
            "1.0.post456.dev34",
            "1.0.post456",
            "1.0.15",
            "1.1.dev1",
        ];
        for w in chain.windows(2) {
            assert_eq!(compare(w[0], w[1]), Less, "{} < {}", w[0], w[1]);
        }
        assert_eq!(compare("3.2", "3.2.0"), Equal);
        assert_eq!(compare("1!1.0", "2.0"), Greater);
        assert_eq!(compare("2.19.1", "2.20"), Less);
    }
}
