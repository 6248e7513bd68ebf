//! Hostile OCI layouts (issue 13): special files and symlinks among the layout's files,
//! layers listed many times or inflating past what a whole image may, and configs nested
//! deep enough to defeat a JSON parser. Every case is generated at test time.

mod common;

use common::{blob_path, compress, layout, sha, write_blob, Compression, Layer, TarBuilder};
use palisade_image::{ImageError, ImageInput, Limits, ReadOptions};
use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

fn open(dir: &Path) -> Result<palisade_image::ResolvedImage, ImageError> {
    ImageInput::parse(&format!("{}:test", dir.display()))?.open(None)
}

/// Runs `f` on a thread and fails the test if it has not finished in a generous time: the
/// cases below used to block forever.
fn within_30s<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> T {
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let _ = tx.send(f());
    });
    rx.recv_timeout(Duration::from_secs(30))
        .expect("hung: the open blocked instead of refusing a special file")
}

fn mkfifo(path: &Path) {
    let c = std::ffi::CString::new(path.as_os_str().as_encoded_bytes()).unwrap();
    // SAFETY: a valid NUL-terminated path; mkfifo only creates a file.
    let rc = unsafe { libc::mkfifo(c.as_ptr(), 0o644) };
    assert_eq!(rc, 0, "mkfifo {}", path.display());
}

fn one_layer_layout(root: &Path) -> (std::path::PathBuf, Vec<String>) {
    let tar = TarBuilder::new().file("etc/hostname", b"box\n").finish();
    layout(root, &[Layer::new(tar, Compression::Gzip)])
}

#[test]
fn fifo_as_index_json_is_refused_not_waited_on() {
    let tmp = tempfile::tempdir().unwrap();
    let (dir, _) = one_layer_layout(tmp.path());
    std::fs::remove_file(dir.join("index.json")).unwrap();
    mkfifo(&dir.join("index.json"));
    let d = dir.clone();
    let err = within_30s(move || open(&d).err().map(|e| e.to_string())).expect("must fail");
    assert!(err.contains("index.json"), "{err}");
    assert!(err.contains("FIFO"), "{err}");
}

#[test]
fn fifo_as_oci_layout_and_as_layer_blob_are_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let (dir, digests) = one_layer_layout(tmp.path());
    let blob = blob_path(&dir, &digests[0]);
    std::fs::remove_file(&blob).unwrap();
    mkfifo(&blob);
    let d = dir.clone();
    let err = within_30s(move || {
        let img = open(&d).map_err(|e| e.to_string())?;
        img.read_filesystem(&ReadOptions::default())
            .map(|_| ())
            .map_err(|e| e.to_string())
    })
    .expect_err("a FIFO layer must fail");
    assert!(
        err.contains(digests[0].trim_start_matches("sha256:")),
        "{err}"
    );
    assert!(err.contains("not a regular file"), "{err}");

    std::fs::remove_file(dir.join("oci-layout")).unwrap();
    mkfifo(&dir.join("oci-layout"));
    let err = within_30s(move || open(&dir).err().map(|e| e.to_string())).expect("must fail");
    assert!(err.contains("oci-layout"), "{err}");
}

#[test]
fn symlinked_blob_is_not_followed_to_a_host_file() {
    let tmp = tempfile::tempdir().unwrap();
    let (dir, digests) = one_layer_layout(tmp.path());
    // A host file whose bytes are a valid layer: following the link would even pass the
    // digest check, so only refusing the link keeps the host out.
    let host = tmp.path().join("host-file");
    let blob = blob_path(&dir, &digests[0]);
    std::fs::rename(&blob, &host).unwrap();
    std::os::unix::fs::symlink(&host, &blob).unwrap();
    let img = open(&dir).unwrap();
    let err = img
        .read_filesystem(&ReadOptions::default())
        .expect_err("a symlinked blob must be refused")
        .to_string();
    assert!(err.contains("symbolic link"), "{err}");
    assert!(
        err.contains(digests[0].trim_start_matches("sha256:")),
        "{err}"
    );

    // The same through a symlinked directory on the way to the blob.
    std::fs::remove_file(&blob).unwrap();
    std::fs::rename(&host, &blob).unwrap();
    let real = tmp.path().join("real-blobs");
    std::fs::rename(dir.join("blobs"), &real).unwrap();
    std::os::unix::fs::symlink(&real, dir.join("blobs")).unwrap();
    let err = open(&dir).err().expect("must fail").to_string();
    assert!(err.contains("symbolic link"), "{err}");
}

#[test]
fn a_device_as_index_json_is_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let (dir, _) = one_layer_layout(tmp.path());
    std::fs::remove_file(dir.join("index.json")).unwrap();
    std::os::unix::fs::symlink("/dev/zero", dir.join("index.json")).unwrap();
    let err = within_30s(move || open(&dir).err().map(|e| e.to_string())).expect("must fail");
    assert!(err.contains("index.json"), "{err}");
}

/// Rewrites the layout's manifest so that its single layer is listed `times` times.
fn list_layer_times(dir: &Path, times: usize) {
    let index: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.join("index.json")).unwrap()).unwrap();
    let md = index["manifests"][0]["digest"]
        .as_str()
        .unwrap()
        .to_string();
    let mut manifest: serde_json::Value =
        serde_json::from_slice(&std::fs::read(blob_path(dir, &md)).unwrap()).unwrap();
    let cd = manifest["config"]["digest"].as_str().unwrap().to_string();
    let mut config: serde_json::Value =
        serde_json::from_slice(&std::fs::read(blob_path(dir, &cd)).unwrap()).unwrap();
    let layer = manifest["layers"][0].clone();
    manifest["layers"] = serde_json::Value::Array(vec![layer; times]);
    let diff_id = config["rootfs"]["diff_ids"][0].clone();
    config["rootfs"]["diff_ids"] = serde_json::Value::Array(vec![diff_id; times]);
    config["history"] = serde_json::Value::Array(
        (0..times)
            .map(|i| serde_json::json!({"created_by": format!("RUN step {i}")}))
            .collect(),
    );
    let config = config.to_string();
    let cd = write_blob(dir, config.as_bytes());
    manifest["config"]["digest"] = cd.into();
    manifest["config"]["size"] = config.len().into();
    let manifest = manifest.to_string();
    let md = write_blob(dir, manifest.as_bytes());
    let index = serde_json::json!({
        "schemaVersion": 2,
        "manifests": [{
            "mediaType": "application/vnd.oci.image.manifest.v1+json",
            "digest": md, "size": manifest.len(),
            "annotations": {"org.opencontainers.image.ref.name": "test"}
        }]
    });
    std::fs::write(dir.join("index.json"), index.to_string()).unwrap();
}

#[test]
fn a_blob_listed_forty_times_is_read_once() {
    let tmp = tempfile::tempdir().unwrap();
    let big = vec![b'a'; 4 << 20];
    let tar = TarBuilder::new()
        .file("app/data.bin", &big)
        .file("etc/os-release", b"ID=alpine\n")
        .finish();
    let (dir, digests) = layout(tmp.path(), &[Layer::new(tar, Compression::Gzip)]);
    let blob_len = std::fs::metadata(blob_path(&dir, &digests[0]))
        .unwrap()
        .len();
    list_layer_times(&dir, 40);
    let img = open(&dir).unwrap();
    assert_eq!(img.layers.len(), 40);
    let consumed = AtomicU64::new(0);
    let progress = |n: u64| {
        consumed.fetch_add(n, Ordering::Relaxed);
    };
    let keep = |_: &str, _: u64| true;
    let fs = img
        .read_filesystem(&ReadOptions {
            keep: &keep,
            progress: Some(&progress),
            ..ReadOptions::default()
        })
        .unwrap();
    assert_eq!(
        consumed.load(Ordering::Relaxed),
        blob_len,
        "the blob must be read once, not once per listing"
    );
    assert_eq!(fs.read("etc/os-release"), Some(&b"ID=alpine\n"[..]));
    // Every position is still a layer of its own, with its own history line.
    assert_eq!(fs.layers().len(), 40);
    assert_eq!(fs.layers()[39].index, 39);
    assert_eq!(fs.layers()[39].created_by.as_deref(), Some("RUN step 39"));
    assert_eq!(fs.layers()[39].digest, digests[0]);
    assert_eq!(fs.lstat("app/data.bin").map(|n| n.layer), Some(39));
}

#[test]
fn layers_together_past_the_image_budget_say_which_limit() {
    let tmp = tempfile::tempdir().unwrap();
    let layers: Vec<Layer> = (0..6)
        .map(|i| {
            let tar = TarBuilder::new()
                .file(&format!("data/{i}"), &vec![i as u8; 1 << 20])
                .finish();
            Layer::new(tar, Compression::Gzip)
        })
        .collect();
    let (dir, _) = layout(tmp.path(), &layers);
    let img = open(&dir).unwrap();
    // Each layer is well under the per-layer limit; together they are over 3 MiB.
    let err = img
        .read_filesystem_within(&ReadOptions::default(), 3 << 20)
        .expect_err("must stop at the image budget")
        .to_string();
    assert!(err.contains("limit for a whole image"), "{err}");
    assert!(err.contains("layer "), "{err}");
    // The default budget reads them all.
    assert!(img.read_filesystem(&ReadOptions::default()).is_ok());
}

#[test]
fn too_many_layers_are_refused_before_reading() {
    let tmp = tempfile::tempdir().unwrap();
    let (dir, _) = one_layer_layout(tmp.path());
    list_layer_times(&dir, 5000);
    let err = open(&dir).err().expect("must fail").to_string();
    assert!(err.contains("5000 layers"), "{err}");
}

/// A config with a field nested `depth` levels deep beside a planted Env entry.
fn deep_config_layout(root: &Path, depth: usize) -> std::path::PathBuf {
    let tar = TarBuilder::new().file("etc/hostname", b"box\n").finish();
    let (dir, _) = layout(root, &[Layer::new(tar.clone(), Compression::None)]);
    let deep = format!("{}1{}", "[".repeat(depth), "]".repeat(depth));
    let config = format!(
        r#"{{"architecture":"amd64","os":"linux","config":{{"Env":["PATH=/usr/bin","AWS_SECRET=x"],"User":"root","Labels":{{"deep":{deep}}}}},"rootfs":{{"type":"layers","diff_ids":["{}"]}},"history":[{{"created_by":"COPY . /"}}]}}"#,
        sha(&tar)
    );
    let cd = write_blob(&dir, config.as_bytes());
    let blob = compress(&tar, Compression::None);
    let ld = sha(&blob);
    let manifest = serde_json::json!({
        "schemaVersion": 2,
        "config": {"mediaType": "application/vnd.oci.image.config.v1+json", "digest": cd, "size": config.len()},
        "layers": [{"mediaType": "application/vnd.oci.image.layer.v1.tar", "digest": ld, "size": blob.len()}],
    })
    .to_string();
    let md = write_blob(&dir, manifest.as_bytes());
    let index = serde_json::json!({"schemaVersion": 2, "manifests": [{
        "mediaType": "application/vnd.oci.image.manifest.v1+json", "digest": md, "size": manifest.len(),
        "annotations": {"org.opencontainers.image.ref.name": "test"}}]});
    std::fs::write(dir.join("index.json"), index.to_string()).unwrap();
    dir
}

#[test]
fn a_deeply_nested_config_field_keeps_the_rest_and_warns() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = deep_config_layout(tmp.path(), 200);
    let img = open(&dir).unwrap();
    assert!(
        !img.config_json.is_null(),
        "the config must not silently become null"
    );
    assert_eq!(img.config_json["config"]["User"], "root");
    assert_eq!(img.config_json["config"]["Env"][1], "AWS_SECRET=x");
    let fs = img.read_filesystem(&ReadOptions::default()).unwrap();
    let w = fs
        .warnings
        .iter()
        .find(|w| w.message.contains("nested deeper"))
        .expect("a warning about the cut field");
    assert!(w.source.contains("blobs/sha256/"), "{}", w.source);

    // A shallow config reads whole and warns about nothing.
    let tmp = tempfile::tempdir().unwrap();
    let dir = deep_config_layout(tmp.path(), 3);
    let img = open(&dir).unwrap();
    assert_eq!(img.config_json["config"]["Labels"]["deep"][0][0][0], 1);
    let fs = img.read_filesystem(&ReadOptions::default()).unwrap();
    assert!(fs.warnings.is_empty(), "{:?}", fs.warnings);
    let _ = Limits::default();
}
