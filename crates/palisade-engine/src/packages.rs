//! Package inventory over a read tree: every detector on every file it wants (in parallel),
//! then dependency linking and de-duplication.

use palisade_core::{Ecosystem, Location, OsInfo, Package, Relationship, ScanError};
use palisade_image::LayeredFs;
use palisade_inventory::{Detector, FileRef};
use rayon::prelude::*;
use std::collections::{HashMap, HashSet};

pub(crate) struct Inventory {
    detectors: Vec<Box<dyn Detector>>,
}

impl Inventory {
    pub fn new() -> Self {
        Inventory {
            detectors: palisade_inventory::all_detectors(),
        }
    }

    /// Detectors that read a kept file once the tree is known.
    fn on_tree(&self) -> impl Iterator<Item = &dyn Detector> {
        self.detectors
            .iter()
            .map(|d| d.as_ref())
            .filter(|d| !d.self_contained())
    }

    /// Detectors that run while a file streams by (see [`crate::early`]).
    fn on_stream(&self) -> impl Iterator<Item = &dyn Detector> {
        self.detectors
            .iter()
            .map(|d| d.as_ref())
            .filter(|d| d.self_contained())
    }

    /// Whether a detector needs this file's content kept until the tree is known.
    pub fn wants(&self, path: &str, size: u64) -> bool {
        self.on_tree().any(|d| d.wants(path, size))
    }

    /// Whether a detector reads this file as it streams by.
    pub fn wants_streamed(&self, path: &str, size: u64) -> bool {
        self.on_stream().any(|d| d.wants(path, size))
    }

    /// Whether a detector reading this file as it streams by still wants it after its head.
    pub fn wants_streamed_head(&self, path: &str, size: u64, head: &[u8]) -> bool {
        self.on_stream()
            .any(|d| d.wants(path, size) && d.wants_head(head))
    }

    /// What the streaming detectors find in one file.
    pub fn detect_streamed(&self, file: &FileRef<'_>) -> Vec<palisade_inventory::Detection> {
        let size = file.content.len() as u64;
        self.on_stream()
            .filter(|d| d.wants(file.path, size) && d.wants_head(file.content))
            .map(|d| d.detect_all(file, None))
            .collect()
    }

    /// The largest content a detector that wants this file keeps, when it has its own.
    pub fn max_size(&self, path: &str, size: u64) -> Option<u64> {
        self.on_tree()
            .filter(|d| d.wants(path, size))
            .filter_map(|d| d.max_size())
            .max()
    }

    /// Whether some detector that wants `path` still wants it after its first bytes.
    pub fn wants_head(&self, path: &str, size: u64, head: &[u8]) -> bool {
        self.on_tree()
            .any(|d| d.wants(path, size) && d.wants_head(head))
    }

    /// Packages of every kept file, linked and de-duplicated, per-file problems, and how many
    /// files a detector read (a lockfile that fails to parse was still found).
    /// `streamed` holds what the streaming detectors found while the tree was read.
    pub fn detect(
        &self,
        fs: &LayeredFs,
        os: Option<&OsInfo>,
        streamed: crate::early::Streamed,
    ) -> (Vec<Package>, Vec<ScanError>, usize) {
        let files: Vec<(&str, &palisade_image::Node, &[u8])> = fs.files_with_content().collect();
        // The good records of a damaged package database are kept next to its warnings.
        let results: Vec<palisade_inventory::Detection> = files
            .par_iter()
            .flat_map_iter(|(path, node, content)| {
                let file = FileRef {
                    path,
                    content,
                    layer: fs.layer(node.layer),
                };
                self.on_tree()
                    .filter(move |d| d.wants(path, node.size))
                    .map(move |d| d.detect_all(&file, os))
            })
            .collect();
        let read = results.len() + streamed.files;
        let mut packages = streamed.packages;
        let mut errors = streamed.errors;
        for r in results {
            packages.extend(r.packages);
            errors.extend(r.problems.into_iter().map(ScanError::from));
        }
        palisade_inventory::link_installed(&mut packages);
        dedup(&mut packages);
        (packages, errors, read)
    }
}

/// One package per identity ([`Package::identity`]: ecosystem, name as the ecosystem compares
/// names, version, architecture). The installed metadata and the lockfile or
/// `requirements.txt` that declares it, or two applications with the same dependency, give
/// one package that lists every file it was found in; counting it twice would report each
/// of its advisories twice. Installed copies sort before declarations and then by path, so
/// the kept record (and the first location every report shows) is the file that ships —
/// with its layer — and the result is stable.
fn dedup(packages: &mut Vec<Package>) {
    packages.sort_by(|a, b| {
        (
            a.ecosystem,
            &a.name,
            &a.version,
            declares(&a.found_in),
            &a.found_in,
        )
            .cmp(&(
                b.ecosystem,
                &b.name,
                &b.version,
                declares(&b.found_in),
                &b.found_in,
            ))
    });
    let mut out: Vec<Package> = Vec::with_capacity(packages.len());
    let mut index: HashMap<Identity, usize> = HashMap::new();
    // Merged records can spell the purl differently (`zope.interface` / `zope-interface`):
    // dependency edges pointing at a dropped spelling must follow the kept one.
    let mut renamed: HashMap<String, String> = HashMap::new();
    // (kept package, path, layer) already listed: a package in thousands of files must not
    // cost a scan of its locations per file.
    let mut seen: HashSet<(usize, Option<String>, Option<usize>)> = HashSet::new();
    let place = |i: usize, l: &Location| (i, l.path.clone(), l.layer.as_ref().map(|x| x.index));
    for p in packages.drain(..) {
        let key = identity(&p);
        match index.get(&key) {
            Some(&i) => {
                if p.purl != out[i].purl {
                    renamed.insert(p.purl.clone(), out[i].purl.clone());
                }
                absorb(&mut out[i], p, &mut |l| seen.insert(place(i, l)));
            }
            None => {
                let i = out.len();
                index.insert(key, i);
                seen.extend(p.locations().map(|l| place(i, &l)));
                out.push(p);
            }
        }
    }
    if !renamed.is_empty() {
        for p in &mut out {
            for d in &mut p.depends_on {
                if let Some(kept) = renamed.get(d) {
                    d.clone_from(kept);
                }
            }
            p.depends_on.sort();
            p.depends_on.dedup();
        }
    }
    *packages = out;
}

/// Whether a file declares what to install (a lockfile, `requirements.txt`, a project
/// manifest) rather than records what is installed.
fn declares(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or(path);
    const DECLARATIONS: [&str; 17] = [
        "package-lock.json",
        "npm-shrinkwrap.json",
        "yarn.lock",
        "pnpm-lock.yaml",
        "Pipfile.lock",
        "poetry.lock",
        "uv.lock",
        "pdm.lock",
        "Gemfile.lock",
        "composer.lock",
        "Cargo.lock",
        "go.mod",
        "go.sum",
        "pom.xml",
        "packages.lock.json",
        "packages.config",
        "conan.lock",
    ];
    DECLARATIONS.contains(&name)
        || (name.starts_with("requirements") && name.ends_with(".txt"))
        || name.ends_with(".csproj")
}

type Identity = (Ecosystem, String, String, Option<String>);

fn identity(p: &Package) -> Identity {
    let (eco, name, version, arch) = p.identity();
    (eco, name, version.to_string(), arch.map(str::to_string))
}

/// How much a relationship says: a package some application declares directly ships,
/// whatever another application thinks of it.
fn weight(r: Relationship) -> u8 {
    match r {
        Relationship::Root => 4,
        Relationship::Direct => 3,
        Relationship::Transitive => 2,
        Relationship::Dev => 1,
        Relationship::Unknown => 0,
    }
}

/// Folds `other` into `kept`: its files become further locations, and what `kept` lacks
/// (licences, source package, maintainer, dependency edges) comes from `other`.
/// `is_new` says whether a location is not yet among `kept`'s.
fn absorb(kept: &mut Package, other: Package, is_new: &mut dyn FnMut(&Location) -> bool) {
    for loc in other.locations() {
        if is_new(&loc) {
            kept.other_locations.push(loc);
        }
    }
    if weight(other.relationship) > weight(kept.relationship) {
        kept.relationship = other.relationship;
    }
    if kept.licenses.is_empty() {
        kept.licenses = other.licenses;
    }
    if kept.source_name.is_none() {
        kept.source_name = other.source_name;
        kept.source_version = other.source_version;
    }
    if kept.maintainer.is_none() {
        kept.maintainer = other.maintainer;
    }
    if !other.depends_on.is_empty() {
        kept.depends_on.extend(other.depends_on);
        kept.depends_on.sort();
        kept.depends_on.dedup();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use palisade_core::LayerRef;

    fn pkg(eco: Ecosystem, name: &str, version: &str, purl: &str, path: &str) -> Package {
        Package {
            ecosystem: eco,
            name: name.into(),
            version: version.into(),
            purl: purl.into(),
            source_name: None,
            source_version: None,
            arch: None,
            licenses: Vec::new(),
            maintainer: None,
            found_in: path.into(),
            layer: None,
            other_locations: Vec::new(),
            relationship: Relationship::Unknown,
            depends_on: Vec::new(),
            declared_deps: Vec::new(),
        }
    }

    #[test]
    fn declared_and_installed_are_one_package_with_both_files() {
        let site = "usr/lib/python3/site-packages";
        let mut installed = pkg(
            Ecosystem::Pypi,
            "flask",
            "0.12.2",
            "pkg:pypi/flask@0.12.2",
            &format!("{site}/Flask-0.12.2.dist-info/METADATA"),
        );
        installed.licenses = vec!["BSD".into()];
        installed.layer = Some(LayerRef {
            index: 2,
            digest: "sha256:b".into(),
            ..Default::default()
        });
        let mut declared = pkg(
            Ecosystem::Pypi,
            "flask",
            "0.12.2",
            "pkg:pypi/flask@0.12.2",
            "opt/app/requirements.txt",
        );
        declared.relationship = Relationship::Direct;
        let mut other_app = declared.clone();
        other_app.found_in = "srv/other/requirements.txt".into();
        let newer = pkg(
            Ecosystem::Pypi,
            "flask",
            "2.3.2",
            "pkg:pypi/flask@2.3.2",
            "srv/new/requirements.txt",
        );
        let mut list = vec![installed, declared, other_app, newer];
        dedup(&mut list);
        assert_eq!(list.len(), 2, "{list:#?}");
        let flask = &list[0];
        assert_eq!(flask.version, "0.12.2");
        assert_eq!(flask.relationship, Relationship::Direct);
        assert_eq!(flask.licenses, ["BSD"]);
        let paths: Vec<String> = flask.locations().filter_map(|l| l.path).collect();
        assert_eq!(
            paths,
            [
                "usr/lib/python3/site-packages/Flask-0.12.2.dist-info/METADATA",
                "opt/app/requirements.txt",
                "srv/other/requirements.txt",
            ]
        );
        // The installed copy leads, with the layer that added it.
        assert_eq!(flask.layer.as_ref().map(|l| l.index), Some(2));
        assert_eq!(list[1].version, "2.3.2");
    }

    #[test]
    fn a_file_named_twice_is_one_location() {
        let one = |path: &str| pkg(Ecosystem::Npm, "ms", "2.1.3", "pkg:npm/ms@2.1.3", path);
        let mut list: Vec<Package> = (0..3_000)
            .map(|i| one(&format!("apps/a{i}/node_modules/ms/package.json")))
            .collect();
        // Two detectors reading one lockfile, and the same file in two layers.
        list.push(one("apps/a0/package-lock.json"));
        list.push(one("apps/a0/package-lock.json"));
        let mut layered = one("apps/a0/package-lock.json");
        layered.layer = Some(LayerRef::default());
        list.push(layered);
        dedup(&mut list);
        assert_eq!(list.len(), 1);
        assert_eq!(list[0].locations().count(), 3_000 + 2);
    }

    #[test]
    fn edges_follow_the_kept_spelling_and_case_sensitive_names_stay_apart() {
        let a = pkg(
            Ecosystem::Pypi,
            "zope-interface",
            "5.0",
            "pkg:pypi/zope-interface@5.0",
            "a/requirements.txt",
        );
        let b = pkg(
            Ecosystem::Pypi,
            "zope-interface",
            "5.0",
            "pkg:pypi/zope.interface@5.0",
            "b/METADATA",
        );
        let mut user = pkg(
            Ecosystem::Pypi,
            "twisted",
            "20",
            "pkg:pypi/twisted@20",
            "b/M",
        );
        user.depends_on = vec!["pkg:pypi/zope-interface@5.0".into()];
        let upper = pkg(
            Ecosystem::Npm,
            "JSONStream",
            "1.0",
            "pkg:npm/JSONStream@1.0",
            "x",
        );
        let lower = pkg(
            Ecosystem::Npm,
            "jsonstream",
            "1.0",
            "pkg:npm/jsonstream@1.0",
            "x",
        );
        let mut list = vec![a, b, user, upper, lower];
        dedup(&mut list);
        assert_eq!(list.len(), 4);
        let twisted = list.iter().find(|p| p.name == "twisted").unwrap();
        // The installed METADATA spelling is kept; the lockfile spelling follows it.
        assert_eq!(twisted.depends_on, ["pkg:pypi/zope.interface@5.0"]);
    }
}
