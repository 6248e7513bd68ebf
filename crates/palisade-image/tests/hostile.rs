//! Crafted images that try to hurt the host or the scanner. Each must give a clear error
//! naming the file, or a bounded and correct result — and never touch the host filesystem.

mod common;

use common::{layout, Compression, Layer, TarBuilder};
use palisade_image::{ImageError, ImageInput, Limits, NodeKind, ReadOptions};
use std::io::Write;

fn read(dir: &std::path::Path, limits: Limits) -> Result<palisade_image::LayeredFs, ImageError> {
    let img = ImageInput::parse(&format!("{}:test", dir.display()))?.open(None)?;
    let keep = |_: &str, _: u64| true;
    img.read_filesystem(&ReadOptions {
        keep: &keep,
        limits,
        ..ReadOptions::default()
    })
}

#[test]
fn dot_dot_and_absolute_paths_stay_inside() {
    let tmp = tempfile::tempdir().unwrap();
    let tar = TarBuilder::new()
        .file("../../../../tmp/palisade-hostile-dotdot", b"x")
        .file("/etc/absolute", b"abs")
        .file("ok/../fine", b"fine")
        .finish();
    let (dir, _) = layout(tmp.path(), &[Layer::new(tar, Compression::Gzip)]);
    let fs = read(&dir, Limits::default()).unwrap();
    assert!(fs.lstat("tmp/palisade-hostile-dotdot").is_none());
    assert_eq!(fs.read("etc/absolute"), Some(&b"abs"[..]));
    assert_eq!(fs.read("fine"), Some(&b"fine"[..]));
    assert!(fs
        .warnings
        .iter()
        .any(|w| w.message.contains("escapes the image root")));
    assert!(!std::path::Path::new("/tmp/palisade-hostile-dotdot").exists());
}

#[test]
fn symlinks_out_of_the_root_resolve_inside_it() {
    let tmp = tempfile::tempdir().unwrap();
    let escape = tmp.path().join("outside");
    std::fs::create_dir_all(&escape).unwrap();
    std::fs::write(escape.join("secret"), b"host file").unwrap();
    let l1 = TarBuilder::new()
        .file("usr/lib/os-release", b"ID=imageos\n")
        .symlink("etc/os-release", "../../../../../../usr/lib/os-release")
        .symlink("etc/abs", &format!("{}/secret", escape.display()))
        .symlink("escape", &escape.display().to_string())
        .finish();
    // A later layer writes through the symlink: must land in the virtual tree only.
    let l2 = TarBuilder::new().file("escape/pwned", b"owned").finish();
    let (dir, _) = layout(
        tmp.path(),
        &[
            Layer::new(l1, Compression::Gzip),
            Layer::new(l2, Compression::None),
        ],
    );
    let fs = read(&dir, Limits::default()).unwrap();
    assert_eq!(fs.read("etc/os-release"), Some(&b"ID=imageos\n"[..]));
    assert_eq!(
        fs.read("etc/abs"),
        None,
        "absolute target must resolve inside the image"
    );
    assert!(!escape.join("pwned").exists());
    assert_eq!(std::fs::read(escape.join("secret")).unwrap(), b"host file");
}

#[test]
fn hardlinks_outside_are_ignored_and_inside_share_content() {
    let tmp = tempfile::tempdir().unwrap();
    let tar = TarBuilder::new()
        .file("etc/real", b"content")
        .hardlink("etc/link", "etc/real")
        .hardlink("etc/evil", "../../../etc/passwd")
        .finish();
    let (dir, _) = layout(tmp.path(), &[Layer::new(tar, Compression::Gzip)]);
    let fs = read(&dir, Limits::default()).unwrap();
    assert_eq!(fs.read("etc/link"), Some(&b"content"[..]));
    assert!(fs.lstat("etc/evil").is_none());
    assert!(fs
        .warnings
        .iter()
        .any(|w| w.message.contains("outside the image root")));
}

#[test]
fn symlink_loops_terminate() {
    let tmp = tempfile::tempdir().unwrap();
    let tar = TarBuilder::new()
        .symlink("a", "b")
        .symlink("b", "a")
        .symlink("self", "self/x")
        .finish();
    let (dir, _) = layout(tmp.path(), &[Layer::new(tar, Compression::None)]);
    let fs = read(&dir, Limits::default()).unwrap();
    assert!(fs.read("a").is_none());
    assert!(fs.resolve("self/x/y").is_none());
}

#[test]
fn device_nodes_are_recorded_not_created() {
    let tmp = tempfile::tempdir().unwrap();
    let tar = TarBuilder::new().char_device("dev/evil-null").finish();
    let (dir, _) = layout(tmp.path(), &[Layer::new(tar, Compression::Gzip)]);
    let fs = read(&dir, Limits::default()).unwrap();
    let node = fs.lstat("dev/evil-null").unwrap();
    assert_eq!(node.kind, NodeKind::CharDevice);
    assert!(node.content.is_none());
}

/// 1 GiB of zeros in one file, gzip-compressed to about 1 MiB (over 1000:1).
fn gzip_bomb() -> (Vec<u8>, String) {
    use sha2::Digest as _;
    let header = {
        let mut h = tar::Header::new_ustar();
        h.set_path("bomb").unwrap();
        h.set_size(1 << 30);
        h.set_mode(0o644);
        h.set_cksum();
        h
    };
    let mut diff = sha2::Sha256::new();
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    let zeros = vec![0u8; 1 << 20];
    diff.update(header.as_bytes());
    enc.write_all(header.as_bytes()).unwrap();
    for _ in 0..1024 {
        diff.update(&zeros);
        enc.write_all(&zeros).unwrap();
    }
    diff.update([0u8; 1024]);
    enc.write_all(&[0u8; 1024]).unwrap();
    let blob = enc.finish().unwrap();
    (blob, format!("sha256:{}", hex::encode(diff.finalize())))
}

#[test]
fn gzip_bomb_is_stopped_with_a_clear_error() {
    let tmp = tempfile::tempdir().unwrap();
    let (blob, diff_id) = gzip_bomb();
    assert!(
        (1u64 << 30) / blob.len() as u64 >= 1000,
        "bomb ratio {}",
        (1u64 << 30) / blob.len() as u64
    );
    let layer = Layer {
        tar: Vec::new(),
        compression: Compression::Gzip,
        blob: Some((blob, diff_id)),
    };
    let (dir, digests) = layout(tmp.path(), &[layer]);
    let limits = Limits {
        max_layer_bytes: 256 << 20,
        ..Limits::default()
    };
    let err = read(&dir, limits).unwrap_err();
    let msg = err.to_string();
    assert!(matches!(err, ImageError::LimitExceeded { .. }), "{msg}");
    assert!(
        msg.contains(digests[0].trim_start_matches("sha256:")),
        "names the blob: {msg}"
    );
}

#[test]
fn zstd_bomb_trips_the_ratio_limit() {
    let tmp = tempfile::tempdir().unwrap();
    let tar = TarBuilder::new()
        .file("zeros", &vec![0u8; 300 << 20])
        .finish();
    let (dir, _) = layout(tmp.path(), &[Layer::new(tar, Compression::Zstd)]);
    let err = read(&dir, Limits::default()).unwrap_err().to_string();
    assert!(err.contains("decompression ratio"), "{err}");
}

#[test]
fn truncated_blob_is_an_error_naming_the_layer() {
    let tmp = tempfile::tempdir().unwrap();
    let tar = TarBuilder::new()
        .file("a", &[7u8; 100_000])
        .file("b", b"bbb")
        .finish();
    let (dir, digests) = layout(tmp.path(), &[Layer::new(tar, Compression::Gzip)]);
    let p = common::blob_path(&dir, &digests[0]);
    let data = std::fs::read(&p).unwrap();
    std::fs::write(&p, &data[..data.len() / 2]).unwrap();
    let err = read(&dir, Limits::default()).unwrap_err().to_string();
    assert!(
        err.contains(digests[0].trim_start_matches("sha256:")),
        "{err}"
    );
    assert!(
        err.contains("truncated") || err.contains("digest mismatch") || err.contains("corrupt"),
        "{err}"
    );
}

#[test]
fn digest_mismatch_is_detected() {
    let tmp = tempfile::tempdir().unwrap();
    let tar = TarBuilder::new()
        .file("etc/passwd", b"root:x:0:0::/root:/bin/sh\n")
        .finish();
    let (dir, digests) = layout(tmp.path(), &[Layer::new(tar, Compression::None)]);
    let p = common::blob_path(&dir, &digests[0]);
    let mut data = std::fs::read(&p).unwrap();
    data[600] ^= 0x20; // flip a byte of the file content: still a valid tar
    std::fs::write(&p, &data).unwrap();
    let err = read(&dir, Limits::default()).unwrap_err();
    assert!(matches!(err, ImageError::DigestMismatch { .. }), "{err}");
}

#[test]
fn malformed_manifest_is_reported() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("bad");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("oci-layout"), r#"{"imageLayoutVersion":"1.0.0"}"#).unwrap();
    let d = common::write_blob(&dir, b"{not json");
    let index = serde_json::json!({"schemaVersion": 2, "manifests": [{"mediaType": "application/vnd.oci.image.manifest.v1+json", "digest": d, "size": 9}]});
    std::fs::write(dir.join("index.json"), index.to_string()).unwrap();
    let err = ImageInput::parse(dir.to_str().unwrap())
        .unwrap()
        .open(None)
        .err()
        .unwrap()
        .to_string();
    assert!(
        err.contains(d.trim_start_matches("sha256:")) && err.contains("invalid JSON"),
        "{err}"
    );

    // A digest that tries to climb out of the layout.
    let index = serde_json::json!({"schemaVersion": 2, "manifests": [{"digest": "sha256:../../../../etc/passwd", "size": 1}]});
    std::fs::write(dir.join("index.json"), index.to_string()).unwrap();
    let err = ImageInput::parse(dir.to_str().unwrap())
        .unwrap()
        .open(None)
        .err()
        .unwrap()
        .to_string();
    assert!(err.contains("lowercase hex"), "{err}");
}

#[test]
fn whiteouts_hide_files_but_keep_them_reachable() {
    let tmp = tempfile::tempdir().unwrap();
    let l0 = TarBuilder::new()
        .file("root/.aws/credentials", b"key")
        .file("opt/secrets/a.env", b"A")
        .file("opt/secrets/b.env", b"B")
        .file("keep/x", b"x")
        .finish();
    let l1 = TarBuilder::new()
        .file("root/.aws/.wh.credentials", b"")
        .file("opt/.wh.secrets", b"")
        .file("keep/.wh..wh..opq", b"")
        .file("keep/y", b"y")
        .finish();
    let (dir, _) = layout(
        tmp.path(),
        &[
            Layer::new(l0, Compression::Gzip),
            Layer::new(l1, Compression::Zstd),
        ],
    );
    let fs = read(&dir, Limits::default()).unwrap();
    assert!(fs.lstat("root/.aws/credentials").is_none());
    assert!(fs.lstat("opt/secrets/a.env").is_none());
    assert!(fs.lstat("keep/x").is_none());
    assert_eq!(fs.read("keep/y"), Some(&b"y"[..]));
    assert_eq!(
        fs.fate("root/.aws/credentials", 0),
        Some(palisade_image::Removal::Deleted { by_layer: 1 })
    );
    assert_eq!(fs.removed().len(), 4);
    assert_eq!(fs.layers()[1].created_by.as_deref(), Some("layer 1"));
}
