//! The limits on what is kept for analyzers: a wanted file over its size limit, a spent
//! whole-image budget and a head that rules a file out are each handled, and the first two
//! are warnings naming the file (issue 13 #8, #14).

mod common;

use common::{layout, Compression, Layer, TarBuilder};
use palisade_image::{ImageInput, KeepRules, KeptBudget, Limits, ReadOptions};

struct Rules;

impl KeepRules for Rules {
    fn max_size(&self, path: &str, _size: u64) -> Option<u64> {
        (path == "var/lib/dpkg/status").then_some(64)
    }
    fn wants_head(&self, path: &str, _size: u64, head: &[u8]) -> bool {
        !path.starts_with("usr/bin/") || head.starts_with(b"\x7fELF")
    }
}

fn read(
    dir: &std::path::Path,
    limits: Limits,
    budget: Option<&KeptBudget>,
) -> palisade_image::LayeredFs {
    let img = ImageInput::parse(&format!("{}:test", dir.display()))
        .unwrap()
        .open(None)
        .unwrap();
    let keep = |_: &str, _: u64| true;
    img.read_filesystem(&ReadOptions {
        keep: &keep,
        limits,
        keep_rules: Some(&Rules),
        kept_budget: budget,
        ..ReadOptions::default()
    })
    .unwrap()
}

#[test]
fn a_wanted_file_over_its_limit_is_a_warning_naming_it() {
    let tmp = tempfile::tempdir().unwrap();
    let tar = TarBuilder::new()
        .file("var/lib/dpkg/status", &[b'x'; 100])
        .file("etc/big.conf", &[b'y'; 100])
        .finish();
    let (dir, _) = layout(tmp.path(), &[Layer::new(tar, Compression::Gzip)]);
    let fs = read(&dir, Limits::default(), None);
    assert_eq!(fs.read("var/lib/dpkg/status"), None);
    // The rules give the database its own limit; other files keep the default one.
    assert!(fs.read("etc/big.conf").is_some());
    let w = fs
        .warnings
        .iter()
        .find(|w| w.source == "var/lib/dpkg/status")
        .expect("a warning names the file");
    assert!(
        w.message.contains("over the 64 bytes limit"),
        "{}",
        w.message
    );
    assert!(w.message.contains("layer 0"), "{}", w.message);
}

#[test]
fn files_past_the_kept_budget_are_warnings_and_the_rest_is_kept() {
    let tmp = tempfile::tempdir().unwrap();
    let tar = TarBuilder::new()
        .file("a.conf", &[b'a'; 1000])
        .file("b.conf", &[b'b'; 1000])
        .file("c.conf", &[b'c'; 1000])
        .finish();
    let (dir, _) = layout(tmp.path(), &[Layer::new(tar, Compression::Gzip)]);
    let limits = Limits {
        max_kept_total: 2500,
        ..Limits::default()
    };
    let fs = read(&dir, limits, None);
    let kept = ["a.conf", "b.conf", "c.conf"]
        .iter()
        .filter(|p| fs.read(p).is_some())
        .count();
    assert_eq!(kept, 2);
    let warned: Vec<_> = fs
        .warnings
        .iter()
        .filter(|w| w.message.contains("budget"))
        .collect();
    assert_eq!(warned.len(), 1, "{warned:?}");
    assert!(fs.read(&warned[0].source).is_none());

    // A budget shared by the caller across reads is spent by both.
    let shared = KeptBudget::new(2500);
    let first = read(&dir, Limits::default(), Some(&shared));
    let second = read(&dir, Limits::default(), Some(&shared));
    assert!(first.warnings.iter().any(|w| w.message.contains("budget")));
    assert!(["a.conf", "b.conf", "c.conf"]
        .iter()
        .all(|p| second.read(p).is_none()));
}

#[test]
fn a_guessed_executable_without_an_elf_header_is_not_kept() {
    let tmp = tempfile::tempdir().unwrap();
    let mut elf = b"\x7fELF".to_vec();
    elf.extend_from_slice(&[0; 2000]);
    let tar = TarBuilder::new()
        .file("usr/bin/junk", &[0u8; 50_000])
        .file("usr/bin/real", &elf)
        .finish();
    let (dir, _) = layout(tmp.path(), &[Layer::new(tar, Compression::Gzip)]);
    let fs = read(&dir, Limits::default(), None);
    assert_eq!(fs.read("usr/bin/junk"), None);
    assert_eq!(fs.read("usr/bin/real").map(<[u8]>::len), Some(elf.len()));
    assert!(fs.warnings.is_empty(), "{:?}", fs.warnings);
}
