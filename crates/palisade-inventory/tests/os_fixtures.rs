//! OS package databases written by the package managers themselves
//! (scripts/make-rpm-fixture.sh), compared with what those package managers report.

use palisade_core::OsInfo;
use palisade_inventory::os::Rpm;
use palisade_inventory::{Detector, FileRef};
use std::path::Path;

#[test]
fn rpm_sqlite_db_matches_rpm_qa() {
    check_rpmdb("rpm", "var/lib/rpm/rpmdb.sqlite");
}

/// The same headers in a Berkeley DB hash `Packages` written by db_load (overflow pages
/// included), as CentOS 7 / Amazon Linux 2 images carry.
#[test]
fn rpm_berkeley_db_matches_rpm_qa() {
    check_rpmdb("rpm-bdb", "var/lib/rpm/Packages");
}

#[test]
fn damaged_berkeley_db_is_an_error_naming_the_file() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/os/rpm-bdb");
    let mut db = std::fs::read(dir.join("var/lib/rpm/Packages")).unwrap();
    // Cut the file inside its overflow pages.
    db.truncate(db.len() - 4096);
    let file = FileRef {
        path: "var/lib/rpm/Packages",
        content: &db,
        layer: None,
    };
    let err = Rpm.detect(&file, None).unwrap_err();
    assert!(
        err.to_string().starts_with("var/lib/rpm/Packages: "),
        "{err}"
    );
    assert!(err.message.contains("could not be read"), "{err}");
}

/// Issue 13 #20: the records that are still readable are kept next to the warning.
#[test]
fn damaged_berkeley_db_keeps_the_readable_records() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/os/rpm-bdb");
    let whole = std::fs::read(dir.join("var/lib/rpm/Packages")).unwrap();
    let file = |content| FileRef {
        path: "var/lib/rpm/Packages",
        content,
        layer: None,
    };
    let all = Rpm.detect(&file(&whole), None).unwrap().len();
    let mut db = whole.clone();
    db.truncate(db.len() - 4096);
    let d = Rpm.detect_all(&file(&db), None);
    assert!(
        !d.packages.is_empty() && d.packages.len() < all,
        "{} of {all}",
        d.packages.len()
    );
    assert_eq!(d.problems.len(), 1, "{:?}", d.problems);
    assert!(d.problems[0].message.contains("could not be read"));
}

fn check_rpmdb(fixture: &str, db_path: &str) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/os");
    let db = std::fs::read(root.join(fixture).join(db_path)).unwrap();
    let expected = std::fs::read_to_string(root.join("rpm/expected-rpm-qa.txt")).unwrap();
    let os = OsInfo::new(palisade_core::OsFamily::Rhel, "9.4");
    let file = FileRef {
        path: db_path,
        content: &db,
        layer: None,
    };
    let pkgs = Rpm.detect(&file, Some(&os)).unwrap();
    let mut listed = 0;
    for line in expected.lines() {
        let f: Vec<&str> = line.split(' ').collect();
        if f[0] == "requires" {
            let p = pkgs.iter().find(|p| p.name == f[1]).unwrap();
            let dep = pkgs.iter().find(|p| p.name == f[2]).unwrap();
            assert!(p.depends_on.contains(&dep.purl), "{} -> {}", f[1], f[2]);
            continue;
        }
        listed += 1;
        let (name, epoch, version, arch, licence, srpm) = (f[0], f[1], f[2], f[3], f[4], f[5]);
        let p = pkgs.iter().find(|p| p.name == name).unwrap();
        let want = if epoch == "0" {
            version.to_string()
        } else {
            format!("{epoch}:{version}")
        };
        assert_eq!(p.version, want);
        assert_eq!(p.arch.as_deref(), Some(arch));
        assert_eq!(p.licenses, vec![licence.to_string()]);
        assert_eq!(
            format!(
                "{}-{}.src.rpm",
                p.source_name.as_deref().unwrap(),
                p.source_version.as_deref().unwrap()
            ),
            srpm
        );
        assert!(
            p.purl.starts_with(&format!("pkg:rpm/rhel/{name}@")),
            "{}",
            p.purl
        );
    }
    assert_eq!(pkgs.len(), listed);
    let greet = pkgs.iter().find(|p| p.name == "greet").unwrap();
    assert_eq!(
        greet.purl,
        "pkg:rpm/rhel/greet@2.0.1-1?arch=x86_64&distro=rhel-9.4&epoch=2"
    );
}

/// Mutated copies of the real Berkeley DB file (flipped bytes, page-type and offset fields
/// overwritten, truncations): every one gives packages or an error, never a panic.
#[test]
fn mutated_berkeley_db_never_panics() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/os/rpm-bdb");
    let orig = std::fs::read(dir.join("var/lib/rpm/Packages")).unwrap();
    let mut seed: u64 = 0x2545_f491_4f6c_dd1d;
    let mut next = move || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    for round in 0..3000 {
        let mut db = orig.clone();
        for _ in 0..(1 + next() % 8) {
            // Half the time aim at page headers and item offsets, where the structure lives.
            let at = if next() % 2 == 0 {
                ((next() as usize) % (db.len() / 4096)) * 4096 + (next() as usize) % 48
            } else {
                (next() as usize) % db.len()
            };
            db[at] = next() as u8;
        }
        if round % 10 == 0 {
            let keep = (next() as usize) % db.len();
            db.truncate(keep);
        }
        let file = FileRef {
            path: "var/lib/rpm/Packages",
            content: &db,
            layer: None,
        };
        let _ = Rpm.detect(&file, None);
    }
}
