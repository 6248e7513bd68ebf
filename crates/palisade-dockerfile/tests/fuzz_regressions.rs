//! Inputs the fuzzer (`fuzz/fuzz_targets/dockerfile.rs`) found crashing, reduced to what
//! triggers them; each must scan without a panic.

#[test]
fn npm_install_of_a_package_starting_with_a_multibyte_character() {
    // Found by fuzzing (docs/fuzzing.md): DF013 sliced the package name at byte 1, inside
    // the U+FFFD that replaced an invalid byte.
    let bytes = b"FROM node:20\nRUN npm install \xe0\xe0fCM app\n";
    let text = String::from_utf8_lossy(bytes);
    let scan = palisade_dockerfile::scan_dockerfile("Dockerfile", &text);
    assert!(scan.findings.iter().any(|f| f.rule_id == "DF013"));
    let scan = palisade_dockerfile::scan_dockerfile(
        "Dockerfile",
        "FROM node:20\nRUN npm install €@1.0 é\n",
    );
    assert!(scan.findings.iter().any(|f| f.rule_id == "DF013"));
}
