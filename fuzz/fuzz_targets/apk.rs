//! Alpine `lib/apk/db/installed`.
#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| palisade_fuzz::detect("lib/apk/db/installed", data));
