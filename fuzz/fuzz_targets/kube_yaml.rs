//! Kubernetes manifests: the YAML reader and every rule.
#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data).into_owned();
    let files = vec![("deploy/app.yaml".to_string(), text)];
    let _ = palisade_kube::scan_manifests(&files, &palisade_kube::KubeOptions::default());
});
