//! Input documents named on the command line (`policy eval --input`, `--inventory`): YAML or
//! JSON, from a file or standard input, under the same size cap as policy files.

use crate::bundle::{read_capped, MAX_FILE};
use crate::PolicyError;
use serde_json::Value;
use std::io::Read;
use std::path::Path;

/// Every document of the file (`-`: standard input). A JSON text is one document, even an
/// array; YAML gives one per `---` section, empty ones left out.
pub fn read_documents(path: &Path) -> Result<Vec<Value>, PolicyError> {
    let name = path.display().to_string();
    let text = if name == "-" {
        let mut text = String::new();
        std::io::stdin()
            .take(MAX_FILE + 1)
            .read_to_string(&mut text)
            .map_err(|e| PolicyError::io(path, e))?;
        if text.len() as u64 > MAX_FILE {
            return Err(PolicyError::LimitExceeded {
                path: name,
                message: format!("over the {MAX_FILE} byte limit for an input"),
            });
        }
        text
    } else {
        read_capped(path)?
    };
    if let Ok(v) = serde_json::from_str::<Value>(&text) {
        return Ok(vec![v]);
    }
    Ok(crate::yaml::documents(&name, &text)?
        .into_iter()
        .map(|(_, d)| d)
        .collect())
}

/// The file as one input: its document, or an array of them when YAML holds several (as
/// `conftest --combine` sees them); null when it is empty.
pub fn read_input(path: &Path) -> Result<Value, PolicyError> {
    let mut docs = read_documents(path)?;
    Ok(match docs.len() {
        0 => Value::Null,
        1 => docs.swap_remove(0),
        _ => Value::Array(docs),
    })
}

/// Files under `paths`: a path that is a file is kept when `named` accepts it, files found by
/// walking a directory (links not followed, sorted) when `found` does.
pub(crate) fn files_under<P: AsRef<Path>>(
    paths: &[P],
    named: impl Fn(&Path) -> Result<bool, PolicyError>,
    found: impl Fn(&Path) -> Result<bool, PolicyError>,
) -> Result<Vec<std::path::PathBuf>, PolicyError> {
    let mut out = Vec::new();
    for p in paths {
        let p = p.as_ref();
        if p.is_file() {
            if named(p)? {
                out.push(p.to_path_buf());
            }
            continue;
        }
        for entry in walkdir::WalkDir::new(p)
            .follow_links(false)
            .sort_by_file_name()
        {
            let entry = entry
                .map_err(|e| PolicyError::io(e.path().unwrap_or(p).to_path_buf(), e.into()))?;
            if entry.file_type().is_file() && found(entry.path())? {
                out.push(entry.path().to_path_buf());
            }
        }
    }
    Ok(out)
}
