//! Wanted files reached through a symlink or a hardlink whose target nobody wanted by its
//! own name: their content is read in a second pass (issue 13 #15).

mod common;

use common::{layout, Compression, Layer, TarBuilder};
use palisade_image::{
    read_dir_tree, DirOptions, FileVisit, FileVisitor, ImageInput, LayeredFs, ReadOptions,
};
use std::sync::Mutex;

const STATUS: &[u8] = b"Package: zlib1g\nStatus: install ok installed\nVersion: 1:1.2.13\n\n";

fn wanted(p: &str, _: u64) -> bool {
    p == "var/lib/dpkg/status"
}

fn read_image(tar: Vec<u8>, visitor: Option<&dyn FileVisitor>) -> LayeredFs {
    let tmp = tempfile::tempdir().unwrap();
    let (dir, _) = layout(tmp.path(), &[Layer::new(tar, Compression::Gzip)]);
    let img = ImageInput::parse(&format!("{}:test", dir.display()))
        .unwrap()
        .open(None)
        .unwrap();
    img.read_filesystem(&ReadOptions {
        keep: &wanted,
        visitor,
        ..ReadOptions::default()
    })
    .unwrap()
}

fn by_path(fs: &LayeredFs, path: &str) -> Option<Vec<u8>> {
    fs.files_with_content()
        .find(|(p, _, _)| *p == path)
        .map(|(_, _, c)| c.to_vec())
}

#[test]
fn a_symlinked_package_database_is_read() {
    let tar = TarBuilder::new()
        .file("data/status", STATUS)
        .symlink("var/lib/dpkg/status", "/data/status")
        .finish();
    let fs = read_image(tar, None);
    assert_eq!(by_path(&fs, "var/lib/dpkg/status").as_deref(), Some(STATUS));
    assert_eq!(fs.read("var/lib/dpkg/status"), Some(STATUS));
    assert!(fs.warnings.is_empty(), "{:?}", fs.warnings);
}

#[test]
fn a_hardlinked_package_database_is_read() {
    let tar = TarBuilder::new()
        .file("data/blob", STATUS)
        .hardlink("var/lib/dpkg/status", "data/blob")
        .finish();
    let fs = read_image(tar, None);
    assert_eq!(by_path(&fs, "var/lib/dpkg/status").as_deref(), Some(STATUS));
}

#[derive(Default)]
struct Seen(Mutex<Vec<(String, Vec<u8>)>>);

impl FileVisitor for Seen {
    fn wants(&self, path: &str, _size: u64) -> bool {
        path.ends_with("id_rsa")
    }
    fn visit(&self, file: &FileVisit<'_>) {
        let mut seen = self.0.lock().unwrap();
        seen.push((file.path.to_string(), file.content.to_vec()));
    }
}

#[test]
fn a_file_reached_only_through_a_hardlink_is_visited_under_that_name() {
    let key = b"-----BEGIN OPENSSH PRIVATE KEY-----\n...\n";
    let tar = TarBuilder::new()
        .file("tmp/x.dat", key)
        .hardlink("root/.ssh/id_rsa", "tmp/x.dat")
        .finish();
    let seen = Seen::default();
    read_image(tar, Some(&seen));
    let seen = seen.0.into_inner().unwrap();
    assert_eq!(seen, vec![("root/.ssh/id_rsa".to_string(), key.to_vec())]);
}

#[test]
fn a_symlink_inside_a_root_filesystem_is_read_from_its_target() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path();
    std::fs::create_dir_all(root.join("data")).unwrap();
    std::fs::create_dir_all(root.join("var/lib/dpkg")).unwrap();
    std::fs::write(root.join("data/status"), STATUS).unwrap();
    std::os::unix::fs::symlink("../../../data/status", root.join("var/lib/dpkg/status")).unwrap();
    let fs = read_dir_tree(
        root,
        &DirOptions::default(),
        &ReadOptions {
            keep: &wanted,
            ..ReadOptions::default()
        },
    )
    .unwrap();
    assert_eq!(by_path(&fs, "var/lib/dpkg/status").as_deref(), Some(STATUS));
}

#[test]
fn a_symlink_out_of_the_root_filesystem_reads_nothing_from_the_host() {
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(outside.path().join("status"), STATUS).unwrap();
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path();
    std::fs::create_dir_all(root.join("var/lib/dpkg")).unwrap();
    std::os::unix::fs::symlink(
        outside.path().join("status"),
        root.join("var/lib/dpkg/status"),
    )
    .unwrap();
    let fs = read_dir_tree(
        root,
        &DirOptions::default(),
        &ReadOptions {
            keep: &wanted,
            ..ReadOptions::default()
        },
    )
    .unwrap();
    assert_eq!(by_path(&fs, "var/lib/dpkg/status"), None);
}
