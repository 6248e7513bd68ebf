//! Secret-scanner configuration: a gitleaks TOML (first byte 0), its allowlists only (1),
//! a baseline (2), or palisade.yaml with a `secrets:` section (3); the result compiled into
//! a scanner and run over a small text.
#![no_main]
use palisade_secrets::{ReferencedTexts, Scanner, SecretConfig, SecretsSection};

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let Some((first, rest)) = data.split_first() else {
        return;
    };
    let text = String::from_utf8_lossy(rest);
    let mut config = SecretConfig::default();
    let ok = match first % 4 {
        0 => config.merge_gitleaks_toml(&text).is_ok(),
        1 => config.merge_gitleaks_allowlists(&text).is_ok(),
        2 => config.load_baseline(&text).is_ok(),
        _ => match SecretsSection::from_palisade_yaml(&text) {
            Ok(section) => match section.resolve(ReferencedTexts::default()) {
                Ok(c) => {
                    config = c;
                    true
                }
                Err(_) => false,
            },
            Err(_) => false,
        },
    };
    if ok {
        if let Ok(scanner) = Scanner::new(config) {
            let _ = scanner.scan(
                "app/.env",
                b"AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE\npassword = hunter2hunter2\n",
            );
        }
    }
});
