//! One layer (tar, gzip or zstd) inside a well-formed docker-archive whose config carries
//! the layer's real diff ID, so the whole layer reader runs on the input.
#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let config = palisade_fuzz::config_for(data);
    palisade_fuzz::open_image(&palisade_fuzz::docker_archive(None, &config, data));
});
