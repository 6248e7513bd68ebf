//! `Cargo.lock` and `go.mod`.
#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    if let Some((path, content)) = palisade_fuzz::select(data, &["app/Cargo.lock", "app/go.mod"]) {
        palisade_fuzz::detect(path, content);
    }
});
