//! Issue 13 #10 on the real binary, in a test process of its own: the peak RSS of children
//! is per process, and this scan must not count against the other hostile tests' bounds.

mod common;

use common::*;

/// A `List` of many thousand Pods gives hundreds of thousands of hits; the report keeps the
/// first 100,000 in file order and counts the rest, within bounded memory.
#[test]
fn a_list_of_thirty_thousand_pods_is_capped_in_bounded_memory() {
    let tmp = tempfile::tempdir().unwrap();
    let path = tmp.path().join("pods.yaml");
    let mut text = String::from("apiVersion: v1\nkind: List\nitems:\n");
    for i in 0..30_000 {
        text.push_str(&format!(
            "- {{apiVersion: v1, kind: Pod, metadata: {{name: p{i}}}, spec: {{containers: [{{name: c, image: nginx, securityContext: {{privileged: true}}}}]}}}}\n"
        ));
    }
    std::fs::write(&path, text).unwrap();
    let out = palisade()
        .args(["config", path.to_str().unwrap(), "-f", "json", "-q"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let peak_mib = children_max_rss_kib() / 1024;
    assert!(peak_mib < 512, "peak RSS {peak_mib} MiB");
    let r: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let t = &r["results"][0];
    assert_eq!(t["findings"].as_array().map(Vec::len), Some(100_000));
    let errors = report_errors(&r);
    assert!(
        errors
            .iter()
            .any(|e| e.contains("more findings not reported")),
        "{errors:?}"
    );
    // File order: the first Pod's findings are all there.
    assert_eq!(t["findings"][0]["location"]["object"]["name"], "p0");
}
