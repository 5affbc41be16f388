//! Project automation for credkit.
//!
//! * `cargo xtask gen`: regenerate the model crates from `schemas/`.
//! * `cargo xtask gen --check`: write nothing; fail with a unified diff when the committed
//!   generated code differs from what the schemas produce.
//! * `cargo xtask coverage [--refresh [--docs DIR]]`: the vendor-document field names no schema
//!   declares, from the committed inventory; `--refresh` first rewrites the inventory from the
//!   documents.
//! * `cargo xtask test`: every check CI runs (`gen --check`, rustfmt, clippy, all tests,
//!   rustdoc without warnings).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context;
use clap::{Parser, Subcommand};
use credkit_codegen::client_gen::client_crate_dir;
use credkit_codegen::reference_docs::{reference_dir, GENERATED_MARKDOWN_HEADER};
use credkit_codegen::{layout::model_crate_dir, GeneratedFile, SchemaSet, GENERATED_HEADER};

#[derive(Parser)]
#[command(name = "cargo xtask", about = "credkit project automation")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

/// How `cargo xtask diff` prints.
#[derive(Clone, Copy, clap::ValueEnum)]
enum DiffFormat {
    /// Plain text, one line per change.
    Text,
    /// Markdown tables, for a pull-request comment.
    Markdown,
}

#[derive(Subcommand)]
enum Command {
    /// Generate the model crates from the schemas under `schemas/`.
    Gen {
        /// Write nothing; exit 1 and print a diff if the committed code is stale.
        #[arg(long)]
        check: bool,
        /// The workspace to work on (default: the one this xtask belongs to).
        #[arg(long, hide = true)]
        root: Option<PathBuf>,
    },
    /// List the field names of the committed vendor-document inventory
    /// (docs/vendor-doc-fields.json) that no schema declares.
    Coverage {
        /// First rewrite the inventory from the vendor documents.
        #[arg(long)]
        refresh: bool,
        /// The folder of vendor documents read by --refresh (default: ../shared/vendor-docs).
        #[arg(long, requires = "refresh")]
        docs: Option<PathBuf>,
    },
    /// What changed in schemas/ since BASE, classified as breaking or compatible for the wire
    /// and for the generated Rust API. Exit status 2 when anything is breaking.
    Diff {
        /// A git revision (default: the merge-base with `main`).
        base: Option<String>,
        /// Output format.
        #[arg(long, value_enum, default_value_t = DiffFormat::Text)]
        format: DiffFormat,
        /// The workspace to work on (default: the one this xtask belongs to).
        #[arg(long, hide = true)]
        root: Option<PathBuf>,
    },
    /// Run every check CI runs: `gen --check`, rustfmt, clippy, the whole test suite and rustdoc.
    Test,
}

fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_else(|| PathBuf::from("."))
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Gen { check, root } => gen(&root.unwrap_or_else(workspace_root), check),
        Command::Test => test(&workspace_root()),
        Command::Coverage { refresh, docs } => coverage(&workspace_root(), refresh, docs),
        Command::Diff { base, format, root } => {
            diff(&root.unwrap_or_else(workspace_root), base, format)
        }
    };
    match result {
        Ok(code) => code,
        Err(error) => {
            eprintln!("error: {error:#}");
            ExitCode::FAILURE
        }
    }
}

/// Generated files now on disk: every `.rs` file under a model crate's `src/` whose first line
/// is the generated-code header.
fn existing_generated(root: &Path, set: &SchemaSet) -> anyhow::Result<Vec<PathBuf>> {
    fn walk(root: &Path, dir: &Path, out: &mut Vec<PathBuf>) -> anyhow::Result<()> {
        if !dir.is_dir() {
            return Ok(());
        }
        let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
            .with_context(|| format!("reading {}", dir.display()))?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .collect();
        entries.sort();
        for path in entries {
            if path.is_dir() {
                walk(root, &path, out)?;
            } else if path.extension().is_some_and(|e| e == "rs" || e == "md") {
                let text = std::fs::read_to_string(&path).unwrap_or_default();
                let first = text.lines().next();
                if first == Some(GENERATED_HEADER) || first == Some(GENERATED_MARKDOWN_HEADER) {
                    out.push(path.strip_prefix(root).unwrap_or(&path).to_path_buf());
                }
            }
        }
        Ok(())
    }
    let mut out = Vec::new();
    let crates_dir = root.join("crates");
    let mut crate_dirs: Vec<PathBuf> = set
        .vendors()
        .iter()
        .map(|v| root.join(model_crate_dir(v)))
        .collect();
    // Also look in client crates, and in crates whose vendor no longer has schemas.
    if let Ok(entries) = std::fs::read_dir(&crates_dir) {
        for entry in entries.flatten() {
            let path = entry.path();
            if path
                .file_name()
                .is_some_and(|n| n.to_string_lossy().ends_with("-models"))
                && !crate_dirs.contains(&path)
            {
                crate_dirs.push(path);
            }
        }
    }
    crate_dirs.sort();
    for dir in crate_dirs {
        walk(root, &dir.join("src"), &mut out)?;
    }
    walk(root, &root.join(reference_dir()), &mut out)?;
    Ok(out)
}

fn gen(root: &Path, check: bool) -> anyhow::Result<ExitCode> {
    let set = SchemaSet::load(&root.join("schemas"))?;
    for vendor in set.vendors() {
        let manifest = root.join(model_crate_dir(&vendor)).join("Cargo.toml");
        anyhow::ensure!(
            manifest.is_file(),
            "schemas/{vendor}/ has models but {} does not exist: create the crate (copy crates/deepfinch-models/Cargo.toml) and add it to the workspace",
            manifest.display()
        );
    }
    let endpoints = credkit_codegen::client_gen::load_endpoints(&root.join("schemas"))?;
    for endpoint in &endpoints {
        let manifest = root
            .join(client_crate_dir(&endpoint.vendor))
            .join("Cargo.toml");
        anyhow::ensure!(
            manifest.is_file(),
            "{} describes endpoints but {} does not exist: create the client crate (copy crates/deepfinch-client/Cargo.toml)",
            endpoint.rel_path,
            manifest.display()
        );
    }
    let files = credkit_codegen::generate_workspace(root)?;
    let stale: Vec<PathBuf> = existing_generated(root, &set)?
        .into_iter()
        .filter(|path| !files.iter().any(|f| &f.path == path))
        .collect();

    let mut drift = 0usize;
    for GeneratedFile { path, contents } in &files {
        let full = root.join(path);
        let current = std::fs::read_to_string(&full).ok();
        if current.as_deref() == Some(contents.as_str()) {
            continue;
        }
        drift += 1;
        if check {
            print_diff(path, current.as_deref().unwrap_or(""), contents);
        } else {
            if let Some(parent) = full.parent() {
                std::fs::create_dir_all(parent)
                    .with_context(|| format!("creating {}", parent.display()))?;
            }
            std::fs::write(&full, contents)
                .with_context(|| format!("writing {}", full.display()))?;
            println!("wrote   {}", path.display());
        }
    }
    for path in &stale {
        drift += 1;
        let full = root.join(path);
        if check {
            let current = std::fs::read_to_string(&full).unwrap_or_default();
            print_diff(path, &current, "");
        } else {
            std::fs::remove_file(&full).with_context(|| format!("removing {}", full.display()))?;
            println!("removed {}", path.display());
        }
    }
    if check {
        if drift == 0 {
            println!("generated code is up to date ({} files)", files.len());
            Ok(ExitCode::SUCCESS)
        } else {
            eprintln!(
                "error: {drift} generated file(s) differ from what schemas/ produces; run `cargo xtask gen` and commit the result"
            );
            Ok(ExitCode::FAILURE)
        }
    } else {
        println!("{} files generated, {drift} changed", files.len());
        Ok(ExitCode::SUCCESS)
    }
}

fn git(root: &Path, args: &[&str]) -> anyhow::Result<Vec<u8>> {
    let output = std::process::Command::new("git")
        .arg("-C")
        .arg(root)
        .args(args)
        .output()
        .context("running git")?;
    anyhow::ensure!(
        output.status.success(),
        "git {}: {}",
        args.join(" "),
        String::from_utf8_lossy(&output.stderr).trim()
    );
    Ok(output.stdout)
}

/// Every `*.json` under `schemas/` in the working tree, by path under `schemas/`.
fn schemas_in_tree(root: &Path) -> anyhow::Result<BTreeMap<String, serde_json::Value>> {
    let schemas = root.join("schemas");
    let mut paths = Vec::new();
    credkit_codegen::schema_set::collect_json_files(&schemas, &mut paths)?;
    let mut out = BTreeMap::new();
    for path in paths {
        let rel = path
            .strip_prefix(&schemas)
            .unwrap_or(&path)
            .to_string_lossy()
            .replace('\\', "/");
        let text = std::fs::read_to_string(&path)
            .with_context(|| format!("reading {}", path.display()))?;
        let value = serde_json::from_str(&text)
            .with_context(|| format!("{} is not JSON", path.display()))?;
        out.insert(rel, value);
    }
    Ok(out)
}

/// Every `*.json` under `schemas/` at a git revision.
fn schemas_at(root: &Path, revision: &str) -> anyhow::Result<BTreeMap<String, serde_json::Value>> {
    let listing = git(
        root,
        &["ls-tree", "-r", "--name-only", revision, "--", "schemas"],
    )?;
    let mut out = BTreeMap::new();
    for path in String::from_utf8_lossy(&listing)
        .lines()
        .filter(|p| p.ends_with(".json"))
    {
        let text = git(root, &["show", &format!("{revision}:{path}")])?;
        let value = serde_json::from_slice(&text)
            .with_context(|| format!("{path} at {revision} is not JSON"))?;
        out.insert(path.trim_start_matches("schemas/").to_owned(), value);
    }
    Ok(out)
}

fn diff(root: &Path, base: Option<String>, format: DiffFormat) -> anyhow::Result<ExitCode> {
    let base = match base {
        Some(base) => base,
        None => git(root, &["merge-base", "HEAD", "main"])
            .map(|out| String::from_utf8_lossy(&out).trim().to_owned())
            .unwrap_or_else(|_| "HEAD".to_owned()),
    };
    let old = schemas_at(root, &base)?;
    let new = schemas_in_tree(root)?;
    let mut changes = credkit_codegen::schema_diff::diff(&old, &new)?;
    changes.sort();
    let report = match format {
        DiffFormat::Text => credkit_codegen::schema_diff::render_text(&changes),
        DiffFormat::Markdown => credkit_codegen::schema_diff::render_markdown(&changes),
    };
    print!("{report}");
    Ok(if changes.iter().any(|c| c.is_breaking()) {
        ExitCode::from(2)
    } else {
        ExitCode::SUCCESS
    })
}

/// `cargo xtask coverage [--refresh [--docs DIR]]`.
fn coverage(root: &Path, refresh: bool, docs: Option<PathBuf>) -> anyhow::Result<ExitCode> {
    use credkit_codegen::coverage::{
        extract_inventory, undeclared_names, Inventory, INVENTORY_PATH,
    };
    let inventory_path = root.join(INVENTORY_PATH);
    let inventory = if refresh {
        let docs = docs.unwrap_or_else(|| root.join("../shared/vendor-docs"));
        if !docs.is_dir() {
            eprintln!(
                "error: no vendor documents at {}; pass --docs DIR to refresh from another folder \
                 ({INVENTORY_PATH} is unchanged)",
                docs.display()
            );
            return Ok(ExitCode::FAILURE);
        }
        let inventory = extract_inventory(&docs)?;
        std::fs::write(&inventory_path, inventory.to_json())
            .with_context(|| format!("writing {}", inventory_path.display()))?;
        println!(
            "wrote {INVENTORY_PATH}: {} field name(s) from {}",
            inventory.fields().len(),
            docs.display()
        );
        inventory
    } else {
        Inventory::load(&inventory_path)?
    };
    let set = SchemaSet::load(&root.join("schemas"))?;
    let undeclared = undeclared_names(&set, &inventory)?;
    for field in &undeclared {
        println!("{}:{}: {:?}", field.document, field.line, field.name);
    }
    println!(
        "{} name(s) in the documents that no schema declares",
        undeclared.len()
    );
    Ok(ExitCode::SUCCESS)
}

/// The project's one test command, as README and `.ci/run` give it.
fn test(root: &Path) -> anyhow::Result<ExitCode> {
    println!("== cargo xtask gen --check");
    if gen(root, true)? != ExitCode::SUCCESS {
        return Ok(ExitCode::FAILURE);
    }
    let steps: [(&str, &[&str]); 4] = [
        ("cargo fmt --all --check", &["fmt", "--all", "--check"]),
        (
            "cargo clippy --workspace --all-targets -- -D warnings",
            &[
                "clippy",
                "--workspace",
                "--all-targets",
                "--",
                "-D",
                "warnings",
            ],
        ),
        ("cargo test --workspace", &["test", "--workspace"]),
        (
            "RUSTDOCFLAGS='-D warnings' cargo doc --workspace --no-deps",
            &["doc", "--workspace", "--no-deps"],
        ),
    ];
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    for (label, args) in steps {
        println!("== {label}");
        let status = std::process::Command::new(&cargo)
            .args(args)
            .env("RUSTDOCFLAGS", "-D warnings")
            .current_dir(root)
            .status()
            .with_context(|| format!("running {label}"))?;
        if !status.success() {
            eprintln!("error: `{label}` failed");
            return Ok(ExitCode::FAILURE);
        }
    }
    println!("all checks passed");
    Ok(ExitCode::SUCCESS)
}

fn print_diff(path: &Path, old: &str, new: &str) {
    let name = path.display().to_string();
    let diff = similar::TextDiff::from_lines(old, new);
    print!(
        "{}",
        diff.unified_diff().context_radius(3).header(
            &format!("a/{name} (committed)"),
            &format!("b/{name} (generated)")
        )
    );
}
