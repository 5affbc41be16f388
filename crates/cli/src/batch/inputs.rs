//! The inputs of a batch: files and directories (their `*.pdf` files), or a file of sids.

use std::collections::HashSet;
use std::ffi::OsString;
use std::io::Read as _;
use std::path::{Path, PathBuf};

use credkit_runtime::bounded::{shorten, MAX_ECHO_BYTES};

use super::{ErrorRecord, Input};

/// The most inputs one batch takes.
pub const MAX_INPUTS: usize = 100_000;
/// The largest sid file read, in bytes.
pub const MAX_SID_FILE_BYTES: u64 = 16 * 1024 * 1024;
/// The longest sid accepted, in bytes.
pub const MAX_SID_BYTES: usize = 128;

/// The files named by `args`: a file as given (whatever its name: the PDF check comes later), a
/// directory's regular `*.pdf` files (any case, not recursive). Sorted, each file once (by its
/// canonical path). An input that does not exist is kept: its check reports it.
///
/// # Errors
///
/// A directory that cannot be read, a path that names no file, or more than [`MAX_INPUTS`].
pub fn collect_files(args: &[PathBuf]) -> Result<Vec<PathBuf>, String> {
    let mut files = Vec::new();
    for arg in args {
        if arg.is_dir() {
            let entries = std::fs::read_dir(arg)
                .map_err(|e| format!("cannot read {}: {e}", arg.display()))?;
            for entry in entries {
                let path = entry
                    .map_err(|e| format!("cannot read {}: {e}", arg.display()))?
                    .path();
                let is_pdf = path
                    .extension()
                    .is_some_and(|e| e.eq_ignore_ascii_case("pdf"));
                if is_pdf && path.is_file() {
                    files.push(path);
                }
                if files.len() > MAX_INPUTS {
                    return Err(format!("more than {MAX_INPUTS} inputs; split the batch"));
                }
            }
        } else if arg.file_stem().is_none() {
            return Err(format!("{} names no file", arg.display()));
        } else {
            files.push(arg.clone());
        }
    }
    if files.len() > MAX_INPUTS {
        return Err(format!("more than {MAX_INPUTS} inputs; split the batch"));
    }
    files.sort();
    let mut seen = HashSet::new();
    files.retain(|path| seen.insert(std::fs::canonicalize(path).unwrap_or_else(|_| path.clone())));
    Ok(files)
}

/// The result name of a file input: its name without the extension.
pub fn file_stem(path: &Path) -> Option<OsString> {
    path.file_stem().map(OsString::from)
}

/// The sids of `path`, one a line; blank lines and lines starting with `#` are skipped, and a
/// repeated sid is taken once. A sid that cannot name a file (see [`usable_sid`]) becomes a
/// failed input.
///
/// # Errors
///
/// The file cannot be read, is larger than [`MAX_SID_FILE_BYTES`], is not UTF-8, or holds more
/// than [`MAX_INPUTS`] sids.
pub fn read_sids(path: &Path) -> Result<Vec<Input<String>>, String> {
    let file =
        std::fs::File::open(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    let mut bytes = Vec::new();
    file.take(MAX_SID_FILE_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    if bytes.len() as u64 > MAX_SID_FILE_BYTES {
        return Err(format!(
            "{} is larger than {MAX_SID_FILE_BYTES} bytes",
            path.display()
        ));
    }
    let text =
        String::from_utf8(bytes).map_err(|_| format!("{} is not UTF-8 text", path.display()))?;
    let mut seen = HashSet::new();
    let mut inputs = Vec::new();
    for line in text.lines() {
        let sid = line.trim();
        if sid.is_empty() || sid.starts_with('#') || !seen.insert(sid) {
            continue;
        }
        if inputs.len() == MAX_INPUTS {
            return Err(format!(
                "{} holds more than {MAX_INPUTS} sids; split it",
                path.display()
            ));
        }
        inputs.push(if usable_sid(sid) {
            Input {
                label: sid.to_owned(),
                stem: Some(OsString::from(sid)),
                work: Ok(sid.to_owned()),
            }
        } else {
            Input {
                label: shorten(sid, MAX_ECHO_BYTES).quoted().to_string(),
                stem: None,
                work: Err(ErrorRecord::local(
                    "invalid_input",
                    format_args!(
                        "not a usable sid: at most {MAX_SID_BYTES} bytes of letters, digits, `-`, `_` and `.`, not starting with `.`"
                    ),
                )),
            }
        });
    }
    Ok(inputs)
}

/// Whether `sid` can be sent and name its result file: 1 to [`MAX_SID_BYTES`] ASCII letters,
/// digits, `-`, `_` or `.`, not starting with `.` (no path separators, no `..`, no hidden file).
pub fn usable_sid(sid: &str) -> bool {
    !sid.is_empty()
        && sid.len() <= MAX_SID_BYTES
        && !sid.starts_with('.')
        && sid
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sids_that_could_escape_the_directory_are_refused() {
        assert!(usable_sid("SID-20240101.a_b"));
        for bad in [
            "",
            "../x",
            "a/b",
            ".hidden",
            "a b",
            "名字",
            &"a".repeat(129),
        ] {
            assert!(!usable_sid(bad), "{bad}");
        }
    }

    #[test]
    fn a_sid_file_skips_blanks_comments_and_repeats() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("sids.txt");
        std::fs::write(&path, "# today\nA1\n\n  B2  \nA1\n../etc\n").expect("write");
        let inputs = read_sids(&path).expect("read");
        let labels: Vec<&str> = inputs.iter().map(|i| i.label.as_str()).collect();
        assert_eq!(labels, ["A1", "B2", "\"../etc\""]);
        assert!(inputs[2].work.is_err() && inputs[2].stem.is_none());
    }

    #[test]
    fn a_directory_gives_its_pdfs_sorted_and_once() {
        let dir = tempfile::tempdir().expect("tempdir");
        for name in ["b.pdf", "a.PDF", "notes.txt"] {
            std::fs::write(dir.path().join(name), b"%PDF-1.4\n").expect("write");
        }
        std::fs::create_dir(dir.path().join("sub.pdf")).expect("dir");
        let files =
            collect_files(&[dir.path().to_owned(), dir.path().join("b.pdf")]).expect("collected");
        let names: Vec<_> = files.iter().filter_map(|f| f.file_name()).collect();
        assert_eq!(names, ["a.PDF", "b.pdf"]);
    }
}
