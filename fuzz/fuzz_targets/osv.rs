//! OSV records (JSON, first byte even; YAML, odd), validated, and their ranges evaluated
//! for a few versions under every version scheme.
#![no_main]
use palisade_core::VersionScheme;

const SCHEMES: [VersionScheme; 10] = [
    VersionScheme::Dpkg,
    VersionScheme::Apk,
    VersionScheme::Rpm,
    VersionScheme::SemVer,
    VersionScheme::Go,
    VersionScheme::Pep440,
    VersionScheme::Maven,
    VersionScheme::RubyGems,
    VersionScheme::NuGet,
    VersionScheme::Composer,
];

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let Some((first, rest)) = data.split_first() else {
        return;
    };
    let docs = if first % 2 == 0 {
        palisade_vulndb::osv::parse_json(rest)
    } else {
        palisade_vulndb::osv::parse_yaml(rest)
    };
    let Ok(docs) = docs else { return };
    for doc in docs.into_iter().take(16) {
        let Ok(rec) = palisade_vulndb::osv::validate(doc) else {
            continue;
        };
        for affected in rec.affected.iter().take(8) {
            let mut versions: Vec<String> = affected.versions.iter().take(4).cloned().collect();
            versions.extend(["1.0.0".to_string(), "0".to_string(), String::new()]);
            for scheme in SCHEMES {
                for v in &versions {
                    let _ = palisade_vulndb::evaluate(affected, Some(scheme), v);
                }
            }
        }
    }
});
