mod common;

use common::*;

fn fixtures() -> String {
    repo_root()
        .join("crates/palisade-inventory/fixtures/lang")
        .display()
        .to_string()
}

#[test]
fn fs_scan_finds_every_ecosystem_and_honours_skip_dirs() {
    let all = json_of(&["fs", &fixtures(), "-f", "json", "-q", "--scanners", "vuln"]);
    for eco in ["npm", "pypi", "cargo", "gem", "maven", "composer"] {
        assert!(!packages(&all, eco).is_empty(), "no {eco} packages");
    }
    let skipped = json_of(&[
        "fs",
        &fixtures(),
        "-f",
        "json",
        "-q",
        "--scanners",
        "vuln",
        "--skip-dirs",
        "node,python",
    ]);
    assert!(packages(&skipped, "npm").is_empty());
    assert!(packages(&skipped, "pypi").is_empty());
    assert_eq!(packages(&skipped, "cargo"), packages(&all, "cargo"));
    // The SBOM of a source tree validates too.
    let cdx = json_of(&["fs", &fixtures(), "-f", "cyclonedx", "-q"]);
    palisade_testkit::assert_valid(palisade_testkit::Schema::CycloneDx16, &cdx);
    assert!(
        cdx["dependencies"].as_array().unwrap().len() > 1,
        "dependency edges missing"
    );
}
