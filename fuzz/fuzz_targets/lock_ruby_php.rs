//! `Gemfile.lock`, installed gemspecs, `composer.lock` and Composer's `installed.json`.
#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    if let Some((path, content)) = palisade_fuzz::select(
        data,
        &[
            "app/Gemfile.lock",
            "gems/specifications/x-1.0.gemspec",
            "app/composer.lock",
            "app/vendor/composer/installed.json",
        ],
    ) {
        palisade_fuzz::detect(path, content);
    }
});
