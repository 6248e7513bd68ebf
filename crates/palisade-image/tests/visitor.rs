//! A visitor that turns files down after their head is not shown them, in directory trees and
//! image layers alike; files the caller keeps are read whole whatever the visitor says.

mod common;

use common::{layout, Compression, Layer, TarBuilder};
use palisade_image::{
    DirOptions, FileVisit, FileVisitor, ImageInput, LayeredFs, ReadOptions, HEAD_LEN,
};
use std::collections::BTreeMap;
use std::sync::Mutex;

/// Wants every file by path; turns down content starting with `BIN`, as a text scanner does
/// with binary files.
#[derive(Default)]
struct Recorder {
    heads: Mutex<BTreeMap<String, usize>>,
    visits: Mutex<BTreeMap<String, usize>>,
}

impl FileVisitor for Recorder {
    fn wants(&self, _path: &str, _size: u64) -> bool {
        true
    }
    fn wants_content(&self, path: &str, _size: u64, head: &[u8]) -> bool {
        self.heads.lock().unwrap().insert(path.into(), head.len());
        !head.starts_with(b"BIN")
    }
    fn visit(&self, file: &FileVisit<'_>) {
        let mut v = self.visits.lock().unwrap();
        v.insert(file.path.into(), file.content.len());
    }
}

fn big_text() -> Vec<u8> {
    b"text ".repeat(HEAD_LEN) // five times the head
}

fn big_binary() -> Vec<u8> {
    let mut b = b"BIN".to_vec();
    b.resize(3 * HEAD_LEN, 0);
    b
}

fn check(fs: &LayeredFs, rec: &Recorder) {
    let heads = rec.heads.lock().unwrap();
    let visits = rec.visits.lock().unwrap();
    // Text: head shown, then visited whole.
    assert_eq!(heads.get("text.txt"), Some(&HEAD_LEN));
    assert_eq!(visits.get("text.txt"), Some(&big_text().len()));
    // A short file's head is all of it.
    assert_eq!(heads.get("small.txt"), Some(&5));
    assert_eq!(visits.get("small.txt"), Some(&5));
    // Binary: turned down after its head, never visited.
    assert_eq!(heads.get("bin/tool"), Some(&HEAD_LEN));
    assert!(!visits.contains_key("bin/tool"));
    // Kept by the caller: read whole and visited without asking about the head.
    assert!(!heads.contains_key("kept/blob"));
    assert_eq!(visits.get("kept/blob"), Some(&big_binary().len()));
    assert_eq!(
        fs.read("kept/blob").map(<[u8]>::len),
        Some(big_binary().len())
    );
    assert!(fs.read("bin/tool").is_none());
}

fn write_tree(root: &std::path::Path) {
    std::fs::create_dir_all(root.join("bin")).unwrap();
    std::fs::create_dir_all(root.join("kept")).unwrap();
    std::fs::write(root.join("text.txt"), big_text()).unwrap();
    std::fs::write(root.join("small.txt"), b"hello").unwrap();
    std::fs::write(root.join("bin/tool"), big_binary()).unwrap();
    std::fs::write(root.join("kept/blob"), big_binary()).unwrap();
}

#[test]
fn directory_trees_skip_what_the_visitor_turns_down() {
    let tmp = tempfile::tempdir().unwrap();
    write_tree(tmp.path());
    let rec = Recorder::default();
    let keep = |p: &str, _: u64| p.starts_with("kept/");
    let opts = ReadOptions {
        keep: &keep,
        visitor: Some(&rec),
        ..ReadOptions::default()
    };
    let fs = palisade_image::read_dir_tree(tmp.path(), &DirOptions::default(), &opts).unwrap();
    check(&fs, &rec);
}

#[test]
fn walking_first_and_reading_later_gives_the_same_tree() {
    let tmp = tempfile::tempdir().unwrap();
    write_tree(tmp.path());
    let keep = |p: &str, _: u64| p.starts_with("kept/");
    let tree = palisade_image::walk_dir_tree(tmp.path(), &DirOptions::default()).unwrap();
    let rec = Recorder::default();
    let opts = ReadOptions {
        keep: &keep,
        visitor: Some(&rec),
        ..ReadOptions::default()
    };
    let fs = tree.read(&opts).unwrap();
    check(&fs, &rec);
    assert!(fs.lstat("bin").is_some());
}

#[test]
fn image_layers_skip_what_the_visitor_turns_down() {
    let tmp = tempfile::tempdir().unwrap();
    let tar = TarBuilder::new()
        .file("text.txt", &big_text())
        .file("small.txt", b"hello")
        .file("bin/tool", &big_binary())
        .file("kept/blob", &big_binary())
        .file("after.txt", b"still read")
        .finish();
    let (dir, _) = layout(tmp.path(), &[Layer::new(tar, Compression::Gzip)]);
    let img = ImageInput::parse(&format!("{}:test", dir.display()))
        .unwrap()
        .open(None)
        .unwrap();
    let rec = Recorder::default();
    let keep = |p: &str, _: u64| p.starts_with("kept/");
    let fs = img
        .read_filesystem(&ReadOptions {
            keep: &keep,
            visitor: Some(&rec),
            ..ReadOptions::default()
        })
        .unwrap();
    check(&fs, &rec);
    // The unread rest of a turned-down entry is skipped, not taken for the next entry.
    assert_eq!(rec.visits.lock().unwrap().get("after.txt"), Some(&10));
}
