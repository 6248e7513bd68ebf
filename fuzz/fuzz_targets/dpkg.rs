//! dpkg `status` and distroless `status.d` files.
#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    if let Some((path, content)) =
        palisade_fuzz::select(data, &["var/lib/dpkg/status", "var/lib/dpkg/status.d/base"])
    {
        palisade_fuzz::detect(path, content);
    }
});
