//! `manifest.json` of a docker-archive (first byte even) or `index.json` of an OCI archive
//! (odd), around a valid config and layer.
#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let Some((first, rest)) = data.split_first() else {
        return;
    };
    let layer = palisade_fuzz::small_layer();
    let archive = if first % 2 == 0 {
        let config = palisade_fuzz::config_for(&layer);
        palisade_fuzz::docker_archive(Some(rest), &config, &layer)
    } else {
        palisade_fuzz::oci_archive(rest, &layer)
    };
    palisade_fuzz::open_image(&archive);
});
