//! An SQLite rpmdb (`rpmdb.sqlite`).
#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| palisade_fuzz::detect("var/lib/rpm/rpmdb.sqlite", data));
