//! npm, yarn and pnpm lockfiles and installed `package.json`.
#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    if let Some((path, content)) = palisade_fuzz::select(
        data,
        &[
            "app/package-lock.json",
            "app/npm-shrinkwrap.json",
            "app/yarn.lock",
            "app/pnpm-lock.yaml",
            "app/node_modules/a/node_modules/b/package.json",
        ],
    ) {
        palisade_fuzz::detect(path, content);
    }
});
