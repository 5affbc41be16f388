//! The generator corpus: one small case per keyword and quirk under `tests/corpus/<case>/`
//! (laid out like `schemas/`), every file the generator makes of it pinned by an insta
//! snapshot `corpus__<case>__<path>.snap` in `tests/snapshots/`.
//!
//! The crate `credkit-corpus` (`codegen/corpus-check/`) compiles the same output and tests it.
//! When the generator changes: `INSTA_UPDATE=always cargo test -p credkit-codegen --test corpus`,
//! then read the snapshot diff.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use credkit_codegen::workspace::read_sources;
use credkit_codegen::{generate, GeneratedFile, Workspace};

fn corpus_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus")
}

fn snapshot_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/snapshots")
}

/// Every generated file of a case.
fn generate_case(case: &str) -> Vec<GeneratedFile> {
    let sources = read_sources(&corpus_dir().join(case)).expect("the case reads");
    let workspace = Workspace::from_sources(sources)
        .unwrap_or_else(|e| panic!("corpus case `{case}` does not load: {e}"));
    generate::generate(&workspace)
        .unwrap_or_else(|e| panic!("corpus case `{case}` does not generate: {e}"))
}

/// The snapshot name of a generated file: `<case>__<path with / as __>`.
fn snapshot_name(case: &str, file: &GeneratedFile) -> String {
    let path: Vec<String> = file
        .path
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    format!("{case}__{}", path.join("__"))
}

fn check_case(case: &str) {
    let files = generate_case(case);
    assert!(!files.is_empty(), "corpus case `{case}` generates nothing");
    for file in &files {
        insta::assert_snapshot!(snapshot_name(case, file), file.contents);
    }
}

macro_rules! corpus_cases {
    ($($test:ident => $case:literal,)*) => {
        $(
            #[test]
            fn $test() {
                check_case($case);
            }
        )*

        /// Every case folder, as listed above.
        const CASES: &[&str] = &[$($case),*];
    };
}

corpus_cases! {
    aliases => "aliases",
    open_enum => "open-enum",
    number_or_text => "number-or-text",
    tuple => "tuple",
    nullable => "nullable",
    hoisting => "hoisting",
    cross_file_refs => "cross-file-refs",
    library => "library",
    union_root => "union-root",
    body_json => "body-json",
    body_form => "body-form",
    body_multipart_upload => "body-multipart-upload",
    body_json_base64_upload => "body-json-base64-upload",
    query_model_param => "query-model-param",
    browser_url => "browser-url",
    builder => "builder",
    drift => "drift",
    pii => "pii",
}

#[test]
fn every_case_folder_is_tested() {
    let on_disk: BTreeSet<String> = std::fs::read_dir(corpus_dir())
        .expect("tests/corpus")
        .flatten()
        .filter(|e| e.path().is_dir())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    let listed: BTreeSet<String> = CASES.iter().map(|c| (*c).to_owned()).collect();
    assert_eq!(on_disk, listed, "add the case to `corpus_cases!`");
}

/// A snapshot of a file the generator no longer produces would otherwise linger unnoticed.
#[test]
fn every_snapshot_belongs_to_a_generated_file() {
    let expected: BTreeSet<String> = CASES
        .iter()
        .flat_map(|case| {
            generate_case(case)
                .iter()
                .map(|file| format!("corpus__{}.snap", snapshot_name(case, file)))
                .collect::<Vec<_>>()
        })
        .collect();
    let stale: Vec<String> = std::fs::read_dir(snapshot_dir())
        .expect("tests/snapshots")
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|name| name.starts_with("corpus__") && name.ends_with(".snap"))
        .filter(|name| !expected.contains(name))
        .collect();
    assert!(
        stale.is_empty(),
        "snapshots of no generated file: {stale:?}"
    );
}
