//! Python: poetry, uv, pdm and Pipfile lockfiles, requirements files, installed metadata.
#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    if let Some((path, content)) = palisade_fuzz::select(
        data,
        &[
            "app/poetry.lock",
            "app/uv.lock",
            "app/pdm.lock",
            "app/Pipfile.lock",
            "app/requirements.txt",
            "sp/x-1.0.dist-info/METADATA",
            "sp/x-1.0.egg-info/PKG-INFO",
        ],
    ) {
        palisade_fuzz::detect(path, content);
    }
});
