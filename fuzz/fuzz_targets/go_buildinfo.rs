//! Executables: Go build info (`.go.buildinfo`, or the magic anywhere) and
//! cargo-auditable `.dep-v0` sections.
#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| palisade_fuzz::detect("usr/local/bin/app", data));
