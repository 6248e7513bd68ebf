//! `.palisadeignore` files (text or YAML; first byte even) and VEX documents (odd).
#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let Some((first, rest)) = data.split_first() else {
        return;
    };
    let text = String::from_utf8_lossy(rest);
    if first % 2 == 0 {
        let _ = palisade_suppress::IgnoreFile::parse(".palisadeignore", &text);
    } else {
        let _ = palisade_suppress::VexDoc::parse("vex.json", &text);
    }
});
