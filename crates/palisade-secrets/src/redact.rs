//! Masking for everything Palisade prints that it did not write itself: image configs, build
//! history, rule evidence, messages. A value any secret rule recognises is shown masked, so a
//! report never carries a credential, whichever scanner put the text there.

use crate::scanner::{Ctx, Scanner};
use palisade_core::mask_secret;

impl Scanner {
    /// `text` with every secret a rule finds in it masked, or `None` when it holds none.
    /// Secrets a baseline accepted are masked too: accepting a finding does not make the
    /// value fit to print.
    pub fn redact(&self, text: &str) -> Option<String> {
        let bytes = text.as_bytes();
        let mut hits = self.find_all("", bytes, Ctx::default());
        hits.retain(|h| h.end > h.start);
        if hits.is_empty() {
            return None;
        }
        hits.sort_by_key(|h| (h.start, std::cmp::Reverse(h.end)));
        let mut out = String::with_capacity(text.len());
        let mut pos = 0;
        for h in hits {
            if h.end <= pos {
                continue;
            }
            let start = h.start.max(pos);
            out.push_str(&String::from_utf8_lossy(&bytes[pos..start]));
            out.push_str(&mask_secret(&String::from_utf8_lossy(&bytes[start..h.end])));
            pos = h.end;
        }
        out.push_str(&String::from_utf8_lossy(&bytes[pos..]));
        Some(out)
    }
}

#[cfg(test)]
mod tests {
    use crate::{Scanner, SecretConfig};

    #[test]
    fn secrets_in_free_text_are_masked_and_the_rest_kept() {
        let s = Scanner::new(SecretConfig::default()).unwrap();
        let key = concat!("sk_live_", "4eC39HqLyjWDarjtT1zdp7dc");
        let url = concat!(
            "https://deploy:",
            "Zx9#kPq2Lm7vRt4W",
            "@git.corp.internal/app.git"
        );
        let text = format!("RUN |1 STRIPE_KEY={key} /bin/sh -c curl {url}");
        let red = s.redact(&text).expect("secrets found");
        assert!(!red.contains(&key[8..]), "{red}");
        assert!(!red.contains("Zx9#kPq2Lm7vRt4W"), "{red}");
        assert!(red.starts_with("RUN |1 STRIPE_KEY=") && red.contains("git.corp.internal"));
        assert_eq!(s.redact("RUN apt-get install -y curl"), None);
    }
}
