//! Dockerfiles: parser and every rule.
#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let _ = palisade_dockerfile::scan_dockerfile("Dockerfile", &text);
});
