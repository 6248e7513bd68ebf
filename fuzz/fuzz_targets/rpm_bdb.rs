//! A Berkeley DB rpm `Packages` file (hash pages, overflow chains, header blobs).
#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| palisade_fuzz::detect("var/lib/rpm/Packages", data));
