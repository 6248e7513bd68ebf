//! The engine reads a tree once, streaming: executables and archives are inventoried as they
//! pass and dropped, the rest kept within budgets. This proves that path finds exactly what
//! the simplest possible inventory finds: every file of the tree read whole into memory and
//! offered to every detector.

use palisade_core::{Ecosystem, Package};
use palisade_engine::Scan;
use palisade_inventory::os::detect_os;
use palisade_inventory::{all_detectors, link_installed, FileRef};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../palisade-inventory/fixtures")
}

fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let kind = entry.file_type().unwrap();
        let target = to.join(entry.file_name());
        if kind.is_dir() {
            copy_tree(&entry.path(), &target);
        } else if kind.is_file() {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// Every regular file under `root`, by path relative to it, read whole.
fn read_all(root: &Path, dir: &Path, out: &mut Vec<(String, Vec<u8>)>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let entry = entry.unwrap();
        let kind = entry.file_type().unwrap();
        if kind.is_dir() {
            read_all(root, &entry.path(), out);
        } else if kind.is_file() {
            let rel = entry
                .path()
                .strip_prefix(root)
                .unwrap()
                .to_string_lossy()
                .into_owned();
            out.push((rel, std::fs::read(entry.path()).unwrap()));
        }
    }
}

type Found = BTreeSet<(Ecosystem, String, String, String)>;

/// (ecosystem, name, version, file) for every file each package was found in.
fn found(packages: &[Package]) -> Found {
    packages
        .iter()
        .flat_map(|p| {
            p.locations()
                .filter_map(|l| l.path)
                .map(|path| (p.ecosystem, p.name.clone(), p.version.clone(), path))
        })
        .collect()
}

fn buffered(root: &Path) -> Found {
    let mut files = Vec::new();
    read_all(root, root, &mut files);
    let os = detect_os(&|p: &str| {
        files
            .iter()
            .find(|(path, _)| path == p)
            .map(|(_, c)| c.clone())
    });
    let mut packages = Vec::new();
    for detector in all_detectors() {
        for (path, content) in &files {
            if detector.wants(path, content.len() as u64) && detector.wants_head(content) {
                let file = FileRef {
                    path,
                    content,
                    layer: None,
                };
                packages.extend(detector.detect_all(&file, os.as_ref()).packages);
            }
        }
    }
    link_installed(&mut packages);
    found(&packages)
}

#[test]
fn streaming_finds_what_reading_every_file_whole_finds() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("rootfs");
    // An RPM-based root (its rpmdb.sqlite and os-release at their real paths) carrying every
    // language fixture: lockfiles, installed metadata, Go and cargo-auditable executables,
    // jars and wars.
    copy_tree(&fixtures().join("os/rpm"), &root);
    copy_tree(&fixtures().join("lang"), &root.join("opt/apps"));
    std::fs::create_dir_all(root.join("etc")).unwrap();
    std::fs::write(
        root.join("etc/os-release"),
        "ID=\"rocky\"\nID_LIKE=\"rhel centos fedora\"\nVERSION_ID=\"9.4\"\n",
    )
    .unwrap();

    let report = Scan::rootfs(root.display().to_string())
        .packages(true)
        .run()
        .unwrap();
    let streamed = found(&report.results[0].packages);
    let expected = buffered(&root);

    assert!(
        expected.len() >= 100,
        "the fixture tree is small: {}",
        expected.len()
    );
    let ecosystems: BTreeSet<Ecosystem> = expected.iter().map(|f| f.0).collect();
    assert!(ecosystems.len() >= 8, "{ecosystems:?}");
    // The files the streaming path treats differently are all in the comparison: executables
    // and archives (inventoried while they stream by) and the package database (kept whole).
    for file in [
        "opt/apps/go/bin/usr/local/bin/hello",
        "opt/apps/rust/auditable/usr/local/bin/fixture-app",
        "opt/apps/java/archives/greet-1.0.0-all.jar",
        "var/lib/rpm/rpmdb.sqlite",
    ] {
        assert!(
            expected.iter().any(|f| f.3.starts_with(file)),
            "nothing found in {file}"
        );
    }
    let missing: Vec<_> = expected.difference(&streamed).collect();
    let extra: Vec<_> = streamed.difference(&expected).collect();
    assert!(
        missing.is_empty() && extra.is_empty(),
        "streaming missed {missing:#?}\nand added {extra:#?}"
    );
}
