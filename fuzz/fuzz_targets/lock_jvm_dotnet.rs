//! `gradle.lockfile`, `pom.xml`, NuGet `packages.lock.json` and `*.deps.json`.
#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    if let Some((path, content)) = palisade_fuzz::select(
        data,
        &[
            "app/gradle.lockfile",
            "app/pom.xml",
            "app/packages.lock.json",
            "app/App.deps.json",
        ],
    ) {
        palisade_fuzz::detect(path, content);
    }
});
