//! The whole generation: every file the workspace model produces, and the generated files on
//! disk that it no longer produces.

use std::path::{Path, PathBuf};

use crate::output::GeneratedFile;
use crate::workspace::Workspace;
use crate::{client_gen, layout, reference_docs, CodegenError};

/// Every generated file of the workspace, ordered by path.
pub fn generate(ws: &Workspace) -> Result<Vec<GeneratedFile>, CodegenError> {
    let mut files = layout::model_files(ws)?;
    files.extend(client_gen::client_files(ws)?);
    files.extend(reference_docs::generate_reference(ws)?);
    files.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(files)
}

/// The crate manifests the generated files need (`crates/<vendor>-models`,
/// `crates/<vendor>-client`) that do not exist under `root`: a new vendor needs its crates
/// created by hand (copy an existing `Cargo.toml`) and added to the workspace.
pub fn missing_crates(root: &Path, files: &[GeneratedFile]) -> Vec<PathBuf> {
    let mut missing: Vec<PathBuf> = files
        .iter()
        .filter_map(|f| {
            let mut parts = f.path.components();
            let first = parts.next()?.as_os_str();
            let name = parts.next()?.as_os_str();
            (first == "crates").then(|| PathBuf::from("crates").join(name).join("Cargo.toml"))
        })
        .filter(|manifest| !root.join(manifest).is_file())
        .collect();
    missing.sort();
    missing.dedup();
    missing
}

/// The folders generated files live in, relative to the workspace root: `src/` of every
/// `-models` and `-client` crate found under `crates/` (including crates whose schemas are
/// gone) and `docs/reference`.
fn generated_dirs(root: &Path) -> Vec<PathBuf> {
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(root.join("crates"))
        .into_iter()
        .flatten()
        .flatten()
        .map(|entry| entry.file_name().to_string_lossy().into_owned())
        .filter(|name| name.ends_with("-models") || name.ends_with("-client"))
        .map(|name| PathBuf::from("crates").join(name).join("src"))
        .collect();
    dirs.push(reference_docs::reference_dir());
    dirs.sort();
    dirs
}

/// Files under the generated folders that start with the generated-file header but are not
/// among `files`: left over from a schema or endpoint description that was removed.
pub fn stale_files(root: &Path, files: &[GeneratedFile]) -> Result<Vec<PathBuf>, CodegenError> {
    fn walk(root: &Path, dir: &Path, out: &mut Vec<PathBuf>) -> Result<(), CodegenError> {
        let Ok(entries) = std::fs::read_dir(dir) else {
            return Ok(());
        };
        let mut paths: Vec<PathBuf> = entries.flatten().map(|e| e.path()).collect();
        paths.sort();
        for path in paths {
            if path.is_dir() {
                walk(root, &path, out)?;
            } else if path
                .extension()
                .is_some_and(|e| e == "rs" || e == "md" || e == "json")
            {
                let text = std::fs::read_to_string(&path).map_err(|source| CodegenError::Io {
                    path: path.clone(),
                    source,
                })?;
                if GeneratedFile::is_generated(&path, &text) {
                    out.push(path.strip_prefix(root).unwrap_or(&path).to_path_buf());
                }
            }
        }
        Ok(())
    }
    let mut on_disk = Vec::new();
    for dir in generated_dirs(root) {
        walk(root, &root.join(dir), &mut on_disk)?;
    }
    on_disk.retain(|path| !files.iter().any(|f| &f.path == path));
    Ok(on_disk)
}
