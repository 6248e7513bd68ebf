//! Unpacked root filesystems and source trees, read into the same [`LayeredFs`] as images
//! (one pseudo-layer) so every analyzer sees one model. Symlinks are recorded, never
//! followed on the host: resolution happens inside the virtual tree, confined to its root.

use crate::error::{ImageError, Result};
use crate::keep::keep_by_path;
use crate::layer::{LayerData, LayerEntry, NodeKind};
use crate::vfs::LayeredFs;
use crate::{FileVisit, ReadOptions};
use globset::{Glob, GlobSet, GlobSetBuilder};
use palisade_core::{LayerRef, ScanError};
use rayon::prelude::*;
use std::io::Read;
use std::os::unix::fs::{FileTypeExt, PermissionsExt};
use std::path::Path;
use std::sync::Arc;

#[derive(Debug, Clone, Default)]
pub struct DirOptions {
    /// Globs (relative to the root) of directories not to descend into.
    pub skip_dirs: Vec<String>,
    /// Globs of files to ignore.
    pub skip_files: Vec<String>,
}

fn globset(what: &str, patterns: &[String]) -> Result<GlobSet> {
    let mut b = GlobSetBuilder::new();
    for p in patterns {
        // `/build` names the root's own `build`; `build` any directory called so.
        let anchored = p.starts_with('/');
        let p = p.trim_start_matches("./").trim_start_matches('/');
        let mut forms = vec![p.to_string()];
        if !anchored {
            forms.push(format!("**/{p}"));
        }
        for pat in forms {
            b.add(
                Glob::new(&pat)
                    .map_err(|e| ImageError::malformed(format!("{what} {p:?}"), e.to_string()))?,
            );
        }
    }
    b.build()
        .map_err(|e| ImageError::malformed(what, e.to_string()))
}

/// Compiled [`DirOptions`]: which directories and files a walk leaves out.
#[derive(Debug, Clone)]
pub struct Skipper {
    dirs: GlobSet,
    files: GlobSet,
}

impl Skipper {
    pub fn new(opts: &DirOptions) -> Result<Skipper> {
        Ok(Skipper {
            dirs: globset("--skip-dirs", &opts.skip_dirs)?,
            files: globset("--skip-files", &opts.skip_files)?,
        })
    }

    /// `rel` is a directory path relative to the root, `/`-separated.
    pub fn skips_dir(&self, rel: &str) -> bool {
        self.dirs.is_match(rel)
    }

    pub fn skips_file(&self, rel: &str) -> bool {
        self.files.is_match(rel)
    }

    /// Whether a file path is left out, by its own name or any directory above it.
    pub fn skips_path(&self, rel: &str) -> bool {
        if self.skips_file(rel) {
            return true;
        }
        let mut end = 0;
        while let Some(i) = rel[end..].find('/') {
            end += i;
            if self.skips_dir(&rel[..end]) {
                return true;
            }
            end += 1;
        }
        false
    }
}

/// Walks `root` and reads what `opts` asks for into a one-layer [`LayeredFs`].
pub fn read_dir_tree(
    root: &Path,
    dir_opts: &DirOptions,
    opts: &ReadOptions<'_>,
) -> Result<LayeredFs> {
    walk_dir_tree(root, dir_opts)?.read(opts)
}

/// A walked directory tree: every entry with its metadata, no file content yet. Walking
/// needs no analyzer, so a caller can walk while it builds them (compiling the secret rules
/// takes as long as walking a root filesystem) and read once they are ready.
#[derive(Debug)]
pub struct DirTree {
    data: LayerData,
    /// (entry index, host path) of every regular file.
    files: Vec<(usize, std::path::PathBuf)>,
    root: std::path::PathBuf,
}

/// Walks `root` without following links, leaving out what `dir_opts` skips.
pub fn walk_dir_tree(root: &Path, dir_opts: &DirOptions) -> Result<DirTree> {
    let meta =
        std::fs::metadata(root).map_err(|e| ImageError::io(root.display().to_string(), e))?;
    if !meta.is_dir() {
        return Err(ImageError::malformed(
            root.display().to_string(),
            "not a directory",
        ));
    }
    let skipper = Skipper::new(dir_opts)?;
    let mut data = LayerData::default();
    let mut files: Vec<(usize, std::path::PathBuf)> = Vec::new();
    let walker = walkdir::WalkDir::new(root)
        .follow_links(false)
        .min_depth(1)
        .into_iter()
        .filter_entry(|e| {
            let rel = e.path().strip_prefix(root).unwrap_or(e.path());
            !(e.file_type().is_dir() && skipper.dirs.is_match(rel))
        });
    for entry in walker {
        let entry = match entry {
            Ok(e) => e,
            Err(e) => {
                let at = e
                    .path()
                    .map(|p| p.display().to_string())
                    .unwrap_or_default();
                data.warnings.push(ScanError::io(at, e.to_string()));
                continue;
            }
        };
        let Some(rel) = entry
            .path()
            .strip_prefix(root)
            .ok()
            .and_then(|r| crate::path::normalize(r.as_os_str().as_encoded_bytes()))
        else {
            continue;
        };
        let ft = entry.file_type();
        let md = match entry.metadata() {
            Ok(m) => m,
            Err(e) => {
                data.warnings.push(ScanError::io(
                    entry.path().display().to_string(),
                    e.to_string(),
                ));
                continue;
            }
        };
        let kind = if ft.is_dir() {
            NodeKind::Dir
        } else if ft.is_symlink() {
            NodeKind::Symlink
        } else if ft.is_file() {
            NodeKind::File
        } else if ft.is_char_device() {
            NodeKind::CharDevice
        } else if ft.is_block_device() {
            NodeKind::BlockDevice
        } else {
            NodeKind::Fifo
        };
        if kind == NodeKind::File && skipper.skips_file(&rel) {
            continue;
        }
        let link = if kind == NodeKind::Symlink {
            std::fs::read_link(entry.path())
                .ok()
                .map(|t| t.to_string_lossy().into_owned())
        } else {
            None
        };
        if kind == NodeKind::File {
            files.push((data.entries.len(), entry.path().to_path_buf()));
        }
        data.entries.push(LayerEntry {
            path: rel,
            kind,
            mode: md.permissions().mode(),
            size: md.len(),
            link,
            content: None,
        });
    }
    Ok(DirTree {
        data,
        files,
        root: root.to_path_buf(),
    })
}

impl DirTree {
    /// Reads, in parallel, the files `opts.keep` or its visitor want, and builds the
    /// one-layer filesystem.
    pub fn read(self, opts: &ReadOptions<'_>) -> Result<LayeredFs> {
        let DirTree {
            mut data,
            files,
            root,
        } = self;
        let layer = LayerRef::default();
        // Reading is the slow part on cold caches; do it in parallel once the tree is known.
        // Each predicate is asked once per file, on the worker that reads it.
        type Loaded = (usize, Option<Arc<[u8]>>, Vec<ScanError>);
        let own_budget = crate::KeptBudget::new(opts.limits.max_kept_total);
        let budget = opts.kept_budget.unwrap_or(&own_budget);
        let loaded: Vec<Loaded> = files
            .par_iter()
            .filter_map(|(i, p)| {
                let e = &data.entries[*i];
                let mut warnings = Vec::new();
                let keep = keep_by_path(opts, &e.path, e.size, None, &mut warnings);
                // A file that grew since the walk is read up to the larger of the two sizes.
                let max = opts.limits.max_kept_file.max(e.size);
                let read = read_limited(p, max, e.size, keep, opts, budget, &e.path, &mut warnings);
                let content = match read {
                    Ok(Some(file)) => {
                        if let Some(v) = opts.visitor.filter(|_| file.visit) {
                            v.visit(&FileVisit {
                                layer: &layer,
                                path: &e.path,
                                mode: e.mode,
                                content: &file.content,
                            });
                        }
                        file.keep.then(|| Arc::from(file.content))
                    }
                    Ok(None) => None,
                    Err(err) => {
                        warnings.push(err);
                        None
                    }
                };
                (content.is_some() || !warnings.is_empty()).then_some((*i, content, warnings))
            })
            .collect();
        for (i, content, mut warnings) in loaded {
            data.entries[i].content = content;
            data.warnings.append(&mut warnings);
        }
        let mut fs = LayeredFs::new(Vec::new());
        fs.warnings.append(&mut data.warnings);
        fs.apply(0, data);
        read_link_targets(&mut fs, opts, &root, budget);
        Ok(fs)
    }
}

/// Reads the targets of wanted paths that are symlinks inside the tree (see
/// [`crate::links`]), judged by the link's path.
fn read_link_targets(
    fs: &mut LayeredFs,
    opts: &ReadOptions<'_>,
    root: &Path,
    budget: &crate::KeptBudget,
) {
    let needs: Vec<crate::links::LinkNeed> = crate::links::link_needs(fs, opts)
        .into_values()
        .flatten()
        .filter(|n| n.keep)
        .collect();
    // The target's bytes are offered to the visitor under the target's own name already.
    let no_visitor = ReadOptions {
        keep: opts.keep,
        visitor: None,
        limits: opts.limits.clone(),
        progress: None,
        keep_rules: opts.keep_rules,
        kept_budget: None,
    };
    for need in needs {
        // The target was resolved inside the tree, every symlink on the way followed there.
        let path = root.join(&need.target);
        let mut warnings = Vec::new();
        if !keep_by_path(&no_visitor, &need.path, need.size, None, &mut warnings) {
            fs.warnings.append(&mut warnings);
            continue;
        }
        let max = opts.limits.max_kept_file.max(need.size);
        let read = read_limited(
            &path,
            max,
            need.size,
            true,
            &no_visitor,
            budget,
            &need.path,
            &mut warnings,
        );
        fs.warnings.append(&mut warnings);
        match read {
            Ok(Some(file)) if file.keep => {
                fs.fill_link(&need.path, 0, &need.target, Arc::from(file.content))
            }
            Ok(_) => {}
            Err(e) => fs.warnings.push(e),
        }
    }
}

/// Reads at most `max` bytes of the file at `path` (`rel` inside the tree) for the caller
/// (`keep`) and the visitor (see [`crate::keep::read_wanted`]); `None` when neither wants it.
#[allow(clippy::too_many_arguments)]
fn read_limited(
    path: &Path,
    max: u64,
    size: u64,
    keep: bool,
    opts: &ReadOptions<'_>,
    budget: &crate::KeptBudget,
    rel: &str,
    warnings: &mut Vec<ScanError>,
) -> std::result::Result<Option<crate::keep::ReadFile>, ScanError> {
    if !keep && !opts.visitor.is_some_and(|v| v.wants(rel, size)) {
        return Ok(None);
    }
    let name = path.display().to_string();
    // O_NOFOLLOW semantics: the walker saw a regular file; a swap for a symlink between the
    // walk and this open must not lead outside the tree.
    use std::os::unix::fs::OpenOptionsExt;
    let file = std::fs::OpenOptions::new()
        .read(true)
        .custom_flags(libc_o_nofollow())
        .open(path)
        .map_err(|e| ScanError::io(&name, e.to_string()))?;
    crate::keep::read_wanted(
        file.take(max),
        rel,
        size,
        keep,
        opts,
        Some(budget),
        None,
        warnings,
    )
    .map_err(|e| ScanError::io(&name, e.to_string()))
}

/// `O_NOFOLLOW` on Linux (all architectures Palisade builds for use this value except a few
/// exotic ones); hard-coded to avoid a libc dependency for one constant.
const fn libc_o_nofollow() -> i32 {
    #[cfg(any(target_arch = "aarch64", target_arch = "arm"))]
    {
        0o100000
    }
    #[cfg(not(any(target_arch = "aarch64", target_arch = "arm")))]
    {
        0o400000
    }
}
