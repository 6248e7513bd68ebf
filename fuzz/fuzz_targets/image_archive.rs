//! A whole image archive (docker-archive or OCI archive tarball): tar index, manifest,
//! index and config JSON, layers.
#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| palisade_fuzz::open_image(data));
