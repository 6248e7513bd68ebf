//! Git history: every commit's added lines, diffed against its first parent.

use crate::error::RepoError;
use crate::scanner::{Ctx, Scanner};
use gix::diff::blob::{Algorithm, Diff, InternedInput};
use gix::object::tree::diff::ChangeDetached;
use palisade_core::{CommitRef, Finding, ScanError};
use rayon::prelude::*;
use std::collections::HashMap;
use std::path::Path;

/// Result of a history scan.
#[derive(Debug, Default)]
pub struct RepoScan {
    /// One finding per secret and path: the commit that introduced it.
    pub findings: Vec<Finding>,
    /// Objects that could not be read; the rest of the history is still scanned.
    pub errors: Vec<ScanError>,
    pub commits_scanned: usize,
}

struct CommitFindings {
    /// Commit time in seconds, for picking the introducing commit.
    time: i64,
    findings: Vec<Finding>,
    errors: Vec<ScanError>,
}

/// Scans the added lines of every commit reachable from any reference (and HEAD).
pub fn scan_repo(scanner: &Scanner, repo: &Path) -> Result<RepoScan, RepoError> {
    let shown = repo.display().to_string();
    let open_err = |e: &dyn std::fmt::Display| RepoError::Open {
        path: shown.clone(),
        message: e.to_string(),
    };
    let local = gix::open(repo).map_err(|e| open_err(&e))?;
    let mut errors = Vec::new();
    let mut tips = Vec::new();
    if let Ok(id) = local.head_id() {
        tips.push(id.detach());
    }
    match local.references() {
        Ok(platform) => match platform.all() {
            Ok(refs) => {
                for r in refs {
                    match r {
                        Ok(mut r) => match r.peel_to_id() {
                            Ok(id) => {
                                let id = id.detach();
                                let is_commit = local
                                    .find_header(id)
                                    .map(|h| h.kind() == gix::object::Kind::Commit)
                                    .unwrap_or(false);
                                if is_commit {
                                    tips.push(id);
                                }
                            }
                            Err(e) => errors.push(ScanError::new(
                                r.name().as_bstr().to_string(),
                                e.to_string(),
                            )),
                        },
                        Err(e) => errors
                            .push(ScanError::new(shown.clone(), format!("bad reference: {e}"))),
                    }
                }
            }
            Err(e) => errors.push(ScanError::new(
                shown.clone(),
                format!("cannot list references: {e}"),
            )),
        },
        Err(e) => errors.push(ScanError::new(
            shown.clone(),
            format!("cannot list references: {e}"),
        )),
    }
    tips.sort();
    tips.dedup();
    if tips.is_empty() {
        return Ok(RepoScan {
            findings: Vec::new(),
            errors,
            commits_scanned: 0,
        });
    }
    let walk = local.rev_walk(tips).all().map_err(|e| RepoError::Walk {
        path: shown.clone(),
        message: e.to_string(),
    })?;
    let mut ids = Vec::new();
    for info in walk {
        match info {
            Ok(info) => ids.push(info.id),
            Err(e) => errors.push(ScanError::new(
                shown.clone(),
                format!("history walk stopped early: {e}"),
            )),
        }
    }
    let sync = local.into_sync();
    let per_commit: Vec<CommitFindings> = ids
        .par_iter()
        .map_init(
            || sync.to_thread_local(),
            |repo, id| scan_commit(scanner, repo, *id),
        )
        .collect();
    let commits_scanned = per_commit.len();
    // Keep, per fingerprint (rule, path, secret), the finding from the oldest commit.
    let mut best: HashMap<String, (i64, Finding)> = HashMap::new();
    for c in per_commit {
        errors.extend(c.errors);
        for f in c.findings {
            let key = f
                .extra
                .get("fingerprint")
                .and_then(|v| v.as_str())
                .unwrap_or_default()
                .to_string();
            match best.get(&key) {
                Some((t, _)) if *t <= c.time => {}
                _ => {
                    best.insert(key, (c.time, f));
                }
            }
        }
    }
    let mut findings: Vec<Finding> = best.into_values().map(|(_, f)| f).collect();
    findings.sort_by(|a, b| {
        (
            a.location.path.as_deref(),
            a.location.span.map(|s| s.start_line),
            &a.rule_id,
        )
            .cmp(&(
                b.location.path.as_deref(),
                b.location.span.map(|s| s.start_line),
                &b.rule_id,
            ))
    });
    Ok(RepoScan {
        findings,
        errors,
        commits_scanned,
    })
}

fn scan_commit(scanner: &Scanner, repo: &gix::Repository, id: gix::ObjectId) -> CommitFindings {
    let hex = id.to_string();
    let mut out = CommitFindings {
        time: 0,
        findings: Vec::new(),
        errors: Vec::new(),
    };
    let err = |m: String| ScanError::new(format!("commit {hex}"), m);
    let commit = match repo.find_commit(id) {
        Ok(c) => c,
        Err(e) => {
            out.errors.push(err(e.to_string()));
            return out;
        }
    };
    let mut cref = CommitRef {
        id: hex.clone(),
        ..Default::default()
    };
    if let Ok(author) = commit.author() {
        cref.author = Some(author.name.to_string());
        cref.email = Some(author.email.to_string());
        if let Ok(t) = author.time() {
            cref.date = t.format(gix::date::time::format::ISO8601_STRICT).ok();
        }
    }
    out.time = commit.time().map(|t| t.seconds).unwrap_or(0);
    let tree = match commit.tree() {
        Ok(t) => t,
        Err(e) => {
            out.errors.push(err(format!("cannot read tree: {e}")));
            return out;
        }
    };
    let parent_tree = match commit.parent_ids().next() {
        Some(pid) => match repo.find_commit(pid).and_then(|p| p.tree()) {
            Ok(t) => Some(t),
            // Diffing against nothing scans every line of this commit: a damaged or
            // shallow parent must not hide what the commit itself contains.
            Err(e) => {
                out.errors.push(err(format!(
                    "cannot read parent {pid} ({e}); scanned the whole tree of this commit"
                )));
                None
            }
        },
        None => None,
    };
    let changes = match repo.diff_tree_to_tree(
        parent_tree.as_ref(),
        Some(&tree),
        gix::diff::Options::default(),
    ) {
        Ok(c) => c,
        Err(e) => {
            out.errors
                .push(err(format!("cannot diff against parent: {e}")));
            return out;
        }
    };
    for change in changes {
        let (path, old, new, mode) = match change {
            ChangeDetached::Addition {
                location,
                id,
                entry_mode,
                ..
            } => (location, None, id, entry_mode),
            ChangeDetached::Modification {
                location,
                previous_id,
                id,
                entry_mode,
                ..
            } => (location, Some(previous_id), id, entry_mode),
            ChangeDetached::Rewrite {
                location,
                source_id,
                id,
                entry_mode,
                ..
            } => (location, Some(source_id), id, entry_mode),
            ChangeDetached::Deletion { .. } => continue,
        };
        if !mode.is_blob() {
            continue;
        }
        let path = path.to_string();
        let size = repo.find_header(new).map(|h| h.size()).unwrap_or(0);
        if !scanner.wants(&path, size) {
            continue;
        }
        let new_data = match repo.find_object(new) {
            Ok(o) => o.detach().data,
            Err(e) => {
                out.errors.push(ScanError::new(
                    format!("{path} @ {hex}"),
                    format!("cannot read blob: {e}"),
                ));
                continue;
            }
        };
        let old_data = old
            .and_then(|o| repo.find_object(o).ok())
            .map(|o| o.detach().data);
        let mut found = match old_data {
            None => scanner.scan_with(
                &path,
                &new_data,
                Ctx {
                    commit: Some(&hex),
                    line_map: None,
                },
            ),
            Some(old_data) => {
                let (text, map) = added_lines(&old_data, &new_data);
                if text.is_empty() {
                    continue;
                }
                scanner.scan_with(
                    &path,
                    &text,
                    Ctx {
                        commit: Some(&hex),
                        line_map: Some(&map),
                    },
                )
            }
        };
        for f in &mut found {
            f.location.commit = Some(cref.clone());
        }
        out.findings.extend(found);
    }
    out
}

/// The lines `new` adds relative to `old`, concatenated, and for each of them its
/// 1-based line number in `new`.
pub(crate) fn added_lines(old: &[u8], new: &[u8]) -> (Vec<u8>, Vec<u32>) {
    let input = InternedInput::new(old, new);
    let diff = Diff::compute(Algorithm::Histogram, &input);
    let lines: Vec<&[u8]> = new.split_inclusive(|&b| b == b'\n').collect();
    let mut text = Vec::new();
    let mut map = Vec::new();
    for hunk in diff.hunks() {
        for idx in hunk.after.clone() {
            if let Some(line) = lines.get(idx as usize) {
                text.extend_from_slice(line);
                if !line.ends_with(b"\n") {
                    text.push(b'\n');
                }
                map.push(idx + 1);
            }
        }
    }
    (text, map)
}

#[cfg(test)]
mod tests {
    use super::added_lines;

    #[test]
    fn only_added_lines_with_their_numbers() {
        let (text, map) = added_lines(b"a\nb\nc\n", b"a\nx\nb\nc\ny");
        assert_eq!(text, b"x\ny\n");
        assert_eq!(map, vec![2, 5]);
        let (text, map) = added_lines(b"same\n", b"same\n");
        assert!(text.is_empty() && map.is_empty());
    }
}
