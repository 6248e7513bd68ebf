//! Checks some rules run after the regex: shapes a regex cannot express cheaply.

use once_cell::sync::Lazy;
use regex::Regex;

use crate::rule::Validator;

/// The checks a rule may name in its `validate:` field. Rules are data, so they refer to
/// code by name; an unknown name is a configuration error, not a silent no-op.
const REGISTRY: [(&str, Validator); 7] = [
    ("not_all_letters_or_digits", not_all_letters_or_digits),
    ("mixed_case", mixed_case),
    ("vault_token", vault_token),
    ("curl_user", curl_user),
    ("url_password", url_password),
    ("curl_header", curl_header),
    ("generic_assignment", generic_assignment),
];

pub(crate) fn by_name(name: &str) -> Option<Validator> {
    REGISTRY.iter().find(|(n, _)| *n == name).map(|(_, v)| *v)
}

/// Every name `validate:` accepts, for error messages.
pub(crate) fn names() -> String {
    REGISTRY.map(|(n, _)| n).join(", ")
}

fn classes(s: &str) -> usize {
    [
        s.bytes().any(|b| b.is_ascii_lowercase()),
        s.bytes().any(|b| b.is_ascii_uppercase()),
        s.bytes().any(|b| b.is_ascii_digit()),
        s.bytes().any(|b| !b.is_ascii_alphanumeric()),
    ]
    .iter()
    .filter(|&&b| b)
    .count()
}

/// Random tokens mix letters and digits; identifiers and numbers do not.
pub fn not_all_letters_or_digits(_key: Option<&str>, s: &str) -> bool {
    s.bytes().any(|b| b.is_ascii_digit()) && s.bytes().any(|b| b.is_ascii_alphabetic())
}

/// Letters-only tokens (Hugging Face) still mix upper and lower case; code identifiers in
/// snake_case do not.
pub fn mixed_case(_key: Option<&str>, s: &str) -> bool {
    let body = s.split_once('_').map_or(s, |(_, b)| b);
    let body = body.strip_prefix("org_").unwrap_or(body);
    body.bytes().any(|b| b.is_ascii_uppercase()) && body.bytes().any(|b| b.is_ascii_lowercase())
}

/// Legacy `s.` Vault tokens are 24 random characters: mixed case and digits, unlike
/// `s.someMethodName`.
pub fn vault_token(_key: Option<&str>, s: &str) -> bool {
    if let Some(rest) = s.strip_prefix("s.") {
        return classes(rest) >= 3;
    }
    true
}

fn strip_quotes(s: &str) -> String {
    s.chars().filter(|&c| c != '"' && c != '\'').collect()
}

/// Shell expansions, template markers and doc placeholders are not credentials.
fn is_placeholder(v: &str) -> bool {
    let lower = v.to_ascii_lowercase();
    v.starts_with('$')
        || v.starts_with('<')
        || v.starts_with('[')
        || v.contains("${")
        || v.contains("$(")
        || v.contains("{{")
        || v.contains('`')
        || matches!(
            lower.as_str(),
            "pass"
                | "password"
                | "passwd"
                | "token"
                | "secret"
                | "test"
                | "user"
                | "username"
                | "admin"
                | "changeme"
                | "yyy"
                | "xxx"
                | "apikey"
                | "api_key"
                | "key"
        )
}

/// `curl -u user:password`: reported when either side is a literal credential.
pub fn curl_user(_key: Option<&str>, cred: &str) -> bool {
    let cred = strip_quotes(cred);
    let Some((user, pass)) = cred.split_once(':') else {
        return false;
    };
    let secret = if pass.is_empty() { user } else { pass };
    if secret.is_empty() || is_placeholder(user) || is_placeholder(pass) || is_placeholder(secret) {
        return false;
    }
    secret.len() >= 6 && (classes(secret) >= 2 || secret.len() >= 12)
}

/// `scheme://user:password@host`: a literal password, not a variable, a documentation
/// placeholder (also when percent-encoded or spelled `p@ssw0rd`), the user name again or a
/// short word.
pub fn url_password(userinfo_host: Option<&str>, pass: &str) -> bool {
    let key = userinfo_host.unwrap_or("");
    let user = key.split(':').next().unwrap_or("");
    let host = key.rsplit('@').next().unwrap_or("").to_ascii_lowercase();
    let host = host.split(':').next().unwrap_or("");
    // RFC 2606 / 6761 names reserved for documentation and tests.
    let reserved = host.split('.').any(|l| l == "example")
        || [".test", ".invalid", ".localhost", ".faketld"]
            .iter()
            .any(|t| host.ends_with(t));
    let decoded = percent_decode(pass);
    if reserved {
        return false;
    }
    if is_placeholder(pass)
        || pass.starts_with('%')
        || pass.starts_with('{')
        || decoded.eq_ignore_ascii_case(&percent_decode(user))
        || decoded.chars().count() < 8
    {
        return false;
    }
    // Fold the usual substitutions so `S3cr3t_P@ss` reads as a word, not a random string.
    let folded: String = decoded
        .chars()
        .filter_map(|c| match c.to_ascii_lowercase() {
            '@' | '4' => Some('a'),
            '3' => Some('e'),
            '0' => Some('o'),
            '1' | '!' => Some('i'),
            '$' | '5' => Some('s'),
            c if c.is_ascii_alphanumeric() => Some(c),
            _ => None,
        })
        .collect();
    const WORDS: [&str; 15] = [
        "foo",
        "pass",
        "sword",
        "pwd",
        "secret",
        "sensitive",
        "example",
        "changeme",
        "dummy",
        "fake",
        "sample",
        "test",
        "hello",
        "xxxx",
        "redacted",
    ];
    if WORDS.iter().any(|w| folded.contains(w)) {
        return false;
    }
    classes(&decoded) >= 2 || decoded.len() >= 16
}

/// `%2F` → `/`; malformed escapes are kept as they are.
fn percent_decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        let hex = |c: u8| (c as char).to_digit(16);
        match (
            b[i],
            b.get(i + 1).copied().and_then(hex),
            b.get(i + 2).copied().and_then(hex),
        ) {
            (b'%', Some(h), Some(l)) => {
                out.push((h * 16 + l) as u8);
                i += 3;
            }
            (c, _, _) => {
                out.push(c);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// `curl -H "Authorization: ..."`: the value must be a literal, not a variable or a
/// description of one.
pub fn curl_header(key: Option<&str>, value: &str) -> bool {
    if is_placeholder(value) || value.contains('(') || value.starts_with('{') || value.len() < 8 {
        return false;
    }
    let scheme_basic = key.is_some_and(|k| k.to_ascii_lowercase().contains("basic"));
    if scheme_basic && value.starts_with("eyJ") {
        return false;
    }
    classes(value) >= 2
}

/// Name parts that say the value is not the secret itself but something about it.
const NOT_SECRET_SUFFIXES: &[&str] = &[
    "id",
    "ids",
    "name",
    "names",
    "url",
    "uri",
    "uris",
    "file",
    "filename",
    "files",
    "path",
    "dir",
    "length",
    "len",
    "size",
    "type",
    "types",
    "version",
    "format",
    "field",
    "fields",
    "header",
    "mode",
    "prefix",
    "suffix",
    "count",
    "source",
    "endpoint",
    "host",
    "algorithm",
    "alg",
    "kind",
    "label",
    "template",
    "class",
    "tag",
    "policy",
    "scope",
    "scopes",
    "expiry",
    "expires",
    "expiration",
    "ttl",
    "timeout",
    "provider",
    "method",
    "store",
    "location",
    "ref",
    "arn",
    "env",
    "hint",
    "enabled",
    "required",
    "regex",
    "pattern",
    "hash",
    "digest",
    "checksum",
    "sha",
    "md5",
    "placeholder",
    "example",
    "description",
    "title",
    "text",
    "message",
    "status",
];

const NOT_SECRET_WORDS: &[&str] = &[
    "author",
    "authors",
    "authority",
    "authenticate",
    "authentication",
    "authenticated",
    "public",
    "pub",
    "csrf",
    "xsrf",
    "nonce",
    "lock",
    "sample",
    "tokenizer",
    "tokenize",
    "tokens_count",
];

static WORD_SPLIT: Lazy<Regex> = Lazy::new(|| {
    Regex::new(r"[A-Z]?[a-z0-9]+|[A-Z]+(?:[^a-zA-Z]|$)|[A-Z]+").expect("static regex")
});
static HOSTLIKE: Lazy<Regex> = Lazy::new(|| {
    Regex::new(r"^(?:[a-z0-9-]+\.)+[a-z]{2,}(?::\d+)?$|@|^(?:\.{0,2}/|[a-z]+://)")
        .expect("static regex")
});
static FILELIKE: Lazy<Regex> = Lazy::new(|| {
    Regex::new(r"(?i)\.(?:pem|p12|pfx|key|crt|cer|jks|keystore|keytab|json|xml|ya?ml|txt|properties|conf|cfg|ini|html?|js|ts|py|rb|go|png|jpg|svg|md|sh|exe|dll|so)$")
        .expect("static regex")
});
static VERSIONLIKE: Lazy<Regex> = Lazy::new(|| {
    Regex::new(r"(?i)snapshot|release|\d+\.\d+\.\d+|^v?\d+(?:\.\d+)+$").expect("static regex")
});
static CONSTANT: Lazy<Regex> = Lazy::new(|| {
    Regex::new(
        r"^[A-Z0-9]+(?:[_.-][A-Z0-9]+)+$|^[a-z]+(?:[_.-][a-z]+)+$|^[A-Za-z][A-Za-z0-9]*(?:_[A-Za-z][A-Za-z0-9]*){2,}$",
    )
    .expect("static regex")
});
static SEQUENCE: Lazy<Regex> = Lazy::new(|| {
    Regex::new(r"(?i)abcdefgh|bcdefghi|0123456789|123456789|qwerty|asdfgh").expect("static regex")
});

/// `name = value` where the name suggests a credential: keeps values that look random and
/// drops names that describe a credential (`token_url`, `secret_length`, `public_key`) and
/// values that are references (hosts, paths, files, versions, constants).
pub fn generic_assignment(key: Option<&str>, value: &str) -> bool {
    let Some(raw_key) = key else { return false };
    // The `key` group runs up to the value: the name, the separator and any opening quote.
    let quoted = raw_key.ends_with(['"', '\'', '`']);
    let key = raw_key
        .split(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '.' || c == '-'))
        .next()
        .unwrap_or_default();
    let words: Vec<String> = key
        .split(['.', '-', '_'])
        .flat_map(|part| {
            WORD_SPLIT
                .find_iter(part)
                .map(|m| {
                    m.as_str()
                        .trim_end_matches(|c: char| !c.is_ascii_alphanumeric())
                        .to_ascii_lowercase()
                })
                .collect::<Vec<_>>()
        })
        .filter(|w| !w.is_empty())
        .collect();
    if let Some(last) = words.last() {
        // `token_sha256`, `password_md5`: a digest of the credential, not the credential.
        let digest = last
            .strip_prefix("sha")
            .is_some_and(|d| d.bytes().all(|b| b.is_ascii_digit()));
        if NOT_SECRET_SUFFIXES.contains(&last.as_str()) || digest {
            return false;
        }
    }
    if words.iter().any(|w| NOT_SECRET_WORDS.contains(&w.as_str())) {
        return false;
    }
    let v = value.trim_end_matches('=');
    // `.+` never occurs in base64, hex or base62 key material: the value is a regular
    // expression (`"pattern":"arn:…:secret:AmazonLookoutMetrics-.+"`).
    if v.contains('=') || v.contains(".+") || is_placeholder(v) {
        return false;
    }
    // Identifiers such as Django migration names (`0002_alter_permission_name_max_length`):
    // several lowercase words joined by underscores are code, not key material.
    let word_parts = v
        .split('_')
        .filter(|w| w.len() >= 3 && w.bytes().all(|b| b.is_ascii_lowercase()))
        .count();
    if word_parts >= 3 {
        return false;
    }
    if HOSTLIKE.is_match(v)
        || FILELIKE.is_match(v)
        || VERSIONLIKE.is_match(v)
        || CONSTANT.is_match(v)
    {
        return false;
    }
    if SEQUENCE.is_match(v) {
        return false;
    }
    // Code, not configuration: `private_key: PrivateKeyBin`, `token = tokenizer.next`.
    let identifier = v
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'.')
        && v.bytes()
            .next()
            .is_some_and(|b| b.is_ascii_alphabetic() || b == b'_');
    if !quoted && identifier && !v.bytes().any(|b| b.is_ascii_digit()) {
        return false;
    }
    let lower = v.to_ascii_lowercase();
    if ["token", "secret", "passw", "auth", "key", "cred", "example"]
        .iter()
        .any(|w| lower.contains(w))
    {
        return false;
    }
    // Names, not key material: `DistributionList.NextMarker`, `serviceAccountName`,
    // `v4-unsigned-body`, `exports2.HEADER_CHARS`. Quoted or not, a value made only of words
    // is an identifier, an enum constant, a list item or a schema key.
    if is_identifier_of_words(v) || is_encoded_text(value) {
        return false;
    }
    // A random secret of this length nearly always has a digit or mixes cases.
    classes(v) >= 2
        && v.bytes()
            .any(|b| b.is_ascii_digit() || b.is_ascii_uppercase())
}

/// Whether a word reads like a word of a natural or programming language: letters with a
/// vowel and no long consonant run (`marker`, `fargate`), an acronym (`TLS`, `HSM`), or a
/// short name with a version or index digit (`v4`, `s3`, `exports2`). Random tokens split into
/// fragments that fail this (`Xk`, `qzT`, `b9f`, `Jq4pX8`).
fn is_word(w: &str) -> bool {
    let trimmed = w.trim_end_matches(|c: char| c.is_ascii_digit());
    let digits = w.len() - trimmed.len();
    if trimmed.is_empty() {
        // A number alone: an index or a year in a dotted name.
        return w.len() <= 4;
    }
    if digits > 2 || !trimmed.bytes().all(|b| b.is_ascii_alphabetic()) {
        return false;
    }
    let upper = trimmed.bytes().all(|b| b.is_ascii_uppercase());
    if upper && ((2..=5).contains(&trimmed.len()) || (digits > 0 && trimmed.len() == 1)) {
        return true;
    }
    if trimmed.len() < 2 {
        return digits > 0;
    }
    let lower = trimmed.to_ascii_lowercase();
    let vowel = |c: u8| matches!(c, b'a' | b'e' | b'i' | b'o' | b'u' | b'y');
    if !lower.bytes().any(vowel) {
        return false;
    }
    let mut run = 0;
    for b in lower.bytes() {
        run = if vowel(b) { 0 } else { run + 1 };
        if run > 4 {
            return false;
        }
    }
    true
}

/// `serviceAccountName`, `DistributionList.NextMarker`, `v4-unsigned-body`,
/// `ALCcontext_struct`: only letters, digits and `._-`, split on separators and case changes
/// into at least two words, each of which reads like a word.
fn is_identifier_of_words(v: &str) -> bool {
    if !v
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-'))
        || !v.bytes().next().is_some_and(|b| b.is_ascii_alphabetic())
    {
        return false;
    }
    let words: Vec<&str> = v.split(['.', '_', '-']).flat_map(camel_words).collect();
    if words.len() < 2 {
        return false;
    }
    if words.iter().all(|w| is_word(w)) {
        return true;
    }
    // Abbreviations without a vowel (`http`, `btn`, `Hsm`, `Pk`) pass only next to long words:
    // at least half the letters belong to words of six letters or more (`Certificate`,
    // `Mechanism`, `Verify`). Random letters rarely form such a run, so this adds about 0.1%
    // to the random tokens taken for identifiers (see `random_tokens_are_rarely_identifiers`).
    if !words.iter().all(|w| is_word(w) || is_abbreviation(w)) {
        return false;
    }
    let letters = |w: &&str| w.bytes().filter(u8::is_ascii_alphabetic).count();
    let total: usize = words.iter().map(letters).sum();
    let in_long_words: usize = words
        .iter()
        .filter(|w| is_word(w) && letters(w) >= 6 && !w.bytes().all(|b| b.is_ascii_uppercase()))
        .map(letters)
        .sum();
    in_long_words * 2 >= total
}

/// Two to four letters, lower-case or capitalised: `http`, `btn`, `sfnt`, `Hsm`, `Pk`.
fn is_abbreviation(w: &str) -> bool {
    let b = w.as_bytes();
    (2..=4).contains(&b.len())
        && b.iter().all(u8::is_ascii_alphabetic)
        && b[1..].iter().all(u8::is_ascii_lowercase)
}

/// Splits `HTTPServerURL2` into `HTTP`, `Server`, `URL2` and `S3Configuration` into `S3`,
/// `Configuration`: a word starts at a lower-to-upper change, after digits, and at the last
/// capital of an upper-case run that a lower-case letter follows.
fn camel_words(s: &str) -> Vec<&str> {
    let b = s.as_bytes();
    let mut out = Vec::new();
    let mut start = 0;
    for i in 1..b.len() {
        let (prev, cur) = (b[i - 1], b[i]);
        let next_lower = b.get(i + 1).is_some_and(|c| c.is_ascii_lowercase());
        if (prev.is_ascii_lowercase() && cur.is_ascii_uppercase())
            || (prev.is_ascii_digit() && cur.is_ascii_alphabetic())
            || (prev.is_ascii_uppercase() && cur.is_ascii_uppercase() && next_lower)
        {
            out.push(&s[start..i]);
            start = i;
        }
    }
    if start < s.len() {
        out.push(&s[start..]);
    }
    out
}

/// Standard base64 with `=` padding; `None` for anything else. Only `is_encoded_text` needs
/// it, on short values, so a small decoder beats a dependency.
fn decode_base64(v: &str) -> Option<Vec<u8>> {
    let body = v.trim_end_matches('=');
    if v.len() - body.len() > 2 {
        return None;
    }
    let mut out = Vec::with_capacity(body.len() * 3 / 4);
    let (mut acc, mut bits) = (0u32, 0u32);
    for b in body.bytes() {
        let d = match b {
            b'A'..=b'Z' => b - b'A',
            b'a'..=b'z' => b - b'a' + 26,
            b'0'..=b'9' => b - b'0' + 52,
            b'+' => 62,
            b'/' => 63,
            _ => return None,
        };
        acc = (acc << 6) | u32::from(d);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
            acc &= (1 << bits) - 1;
        }
    }
    Some(out)
}

/// Base64 of prose or of a placeholder pair (`username:password`, `isaacs:not my real
/// password`): documentation and tests encode such text to show the format.
fn is_encoded_text(v: &str) -> bool {
    if v.len() < 12 || !v.len().is_multiple_of(4) {
        return false;
    }
    let Some(raw) = decode_base64(v) else {
        return false;
    };
    let Ok(text) = std::str::from_utf8(&raw) else {
        return false;
    };
    if !text.bytes().all(|b| (0x20..0x7f).contains(&b)) {
        return false;
    }
    let lower = text.to_ascii_lowercase();
    text.contains(' ')
        || [
            "password", "passwd", "secret", "example", "username", "test", "dummy",
        ]
        .iter()
        .any(|w| lower.contains(w))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Random tokens are rarely taken for identifiers made of words: a few in a thousand
    /// letters-only tokens split into fragments that all read like words. Measured here on
    /// 20,000 tokens of each kind (16 to 40 characters) so that a looser word test shows up.
    #[test]
    fn random_tokens_are_rarely_identifiers() {
        let mut state = 0x2545_f491_4f6c_dd1du64;
        let mut next = move || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        for alphabet in [
            &b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"[..],
            &b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"[..],
        ] {
            let taken = (0..20_000)
                .filter(|n| {
                    let token: String = (0..16 + n % 25)
                        .map(|_| alphabet[(next() % alphabet.len() as u64) as usize] as char)
                        .collect();
                    is_identifier_of_words(&token)
                })
                .count();
            // 103 letters-only and 86 mixed at the time of writing (about 80 of each before
            // abbreviations were accepted next to long words).
            assert!(
                taken <= 130,
                "{taken} of 20000 random tokens taken for identifiers"
            );
        }
    }

    #[test]
    fn identifiers_and_encoded_text_are_not_secrets() {
        for v in [
            "DistributionList.NextMarker",
            "serviceAccountName",
            "v4-unsigned-body",
            "exports2.HEADER_CHARS",
            "ExclusiveStartBackupArn",
            "S3Configuration",
            "ALCcontext_struct",
            "CloudFront-Forwarded-Proto",
            "fargateTaskRetirementWaitPeriod",
            "HsmServerPublicCertificate",
            "matlab.net.http.Disposition",
            "org.opensuse.CupsPkHelper.Mechanism.NotPrivileged",
            "btnSMBVerify",
        ] {
            assert!(is_identifier_of_words(v), "{v}");
            assert!(!generic_assignment(Some("\"output_token\": \""), v), "{v}");
        }
        for v in [
            "Qm7vX2pL9wZr4TnB8cK1",
            "lucWJjEhlxZW01cXI3YmVlcYnpxNGhzk",
            "hKqTzWbRvNcXpLsJdFgM",
            "Zq8r3LmP0xVt7KwNa1b2c3d4",
        ] {
            assert!(!is_identifier_of_words(v), "{v}");
        }
        // Base64 of "username:password" and of a sentence.
        assert!(is_encoded_text("dXNlcm5hbWU6cGFzc3dvcmQ="));
        assert!(is_encoded_text("bm90IG15IHJlYWwgcGFzc3dvcmQ="));
        assert!(!is_encoded_text("q7Rv2Xk9m9LwTz4PqY8sJd3N"));
        // The padding is part of the encoding: `=` is not trimmed before decoding.
        assert!(!generic_assignment(
            Some("password: '"),
            "bm90IG15IHJlYWwgcGFzc3dvcmQ="
        ));
        assert!(!generic_assignment(
            Some("\"pattern\":\"arn:([a-z\\\\d-]+):.*:.*:secret:"),
            "AmazonLookoutMetrics-.+"
        ));
        assert!(!generic_assignment(
            Some("token_sha256\": \""),
            "9f2c4e6a8b0d1f3e5a7c9b2d4f6e8a0c1b3d5f7e9a2c4b6d8f0e1a3c5b7d9f2e"
        ));
        assert!(!generic_assignment(
            Some("db_password = \""),
            "Tr0ub4dorEXAMPLE55pwK"
        ));
    }

    #[test]
    fn generic_assignment_filters() {
        assert!(!generic_assignment(
            Some("Win32_Security_Authorization\", \""),
            "Win32_System_Memory"
        ));
        assert!(!generic_assignment(
            Some("WWW_AUTHENTICATE_VAL = \""),
            "UnsupportedSchemeA"
        ));
        assert!(generic_assignment(
            Some("client_secret"),
            "7e1c0a9d5b3f2e8c4a6d0b9f1e3c5a7d"
        ));
        assert!(!generic_assignment(
            Some("secret_length"),
            "Ed25519.secret_size"
        ));
        assert!(!generic_assignment(
            Some("kms_key_id"),
            "555ea4a3-d53a-4412"
        ));
        assert!(!generic_assignment(
            Some("publicToken"),
            "4Hq8LmZt2RvX9cPwN7bK3sJfD6gYyE1uTaWo5iQn0Vx"
        ));
        assert!(!generic_assignment(
            Some("dev.credentials.url"),
            "lb2.internal.example.net:8443"
        ));
        assert!(!generic_assignment(
            Some("access_token"),
            "abcdefghijklmnop1"
        ));
        assert!(!generic_assignment(None, "x"));
    }

    #[test]
    fn curl_filters() {
        assert!(curl_user(None, "deploy:Tr0ub4dor&3"));
        assert!(curl_user(None, "\":Qm7vX2pL9w!z\""));
        assert!(!curl_user(None, "'test:test'"));
        assert!(!curl_user(None, "\"${_username}:${_password}\""));
        assert!(!curl_user(None, "username:token"));
        assert!(curl_header(
            Some("Authorization: Bearer "),
            "0e9d8c7b6a5f4e3d2c1b0a9f8e7d6c5b"
        ));
        assert!(!curl_header(Some("Authorization: Bearer "), "$API_KEY"));
        assert!(!curl_header(
            Some("Authorization: Basic "),
            "eyJ0eXAiOiJKV1QiLCJhbGciOiJFUzI1NiJ9"
        ));
    }

    #[test]
    fn shape_checks() {
        assert!(vault_token(None, "s.Qw8Er5Ty7Ui9Op1As3Df5Gh"));
        assert!(!vault_token(None, "s.loadUserProfileFromCache"));
        assert!(mixed_case(None, "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"));
        assert!(!mixed_case(None, "hf_loadaccessoryconfigurationforcur"));
        assert!(not_all_letters_or_digits(None, "Zq8r3LmP0xVt7KwNa1b2c3d4"));
        assert!(!not_all_letters_or_digits(None, "listConfluencePagesNow"));
    }
}

#[cfg(test)]
mod url_tests {
    #[test]
    fn url_password_rejects_placeholders() {
        assert!(!super::url_password(
            Some("foo.com:123,foo:bar@bar.com"),
            "123,foo:bar"
        ));
        assert!(super::url_password(
            Some("app:q7Rv2Xk9m9LwTz4@db.internal"),
            "q7Rv2Xk9m9LwTz4"
        ));
    }
}
