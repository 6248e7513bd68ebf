//! Java archives (zip, nested jars) and zipped Python eggs.
#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    if let Some((path, content)) =
        palisade_fuzz::select(data, &["app/app.war", "app/lib/x.jar", "sp/x-1.0-py3.egg"])
    {
        palisade_fuzz::detect(path, content);
    }
});
