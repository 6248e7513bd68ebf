//! The image config JSON of a well-formed docker-archive.
#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let layer = palisade_fuzz::small_layer();
    palisade_fuzz::open_image(&palisade_fuzz::docker_archive(None, data, &layer));
});
