//! Project automation for credkit.
//!
//! * `cargo xtask gen`: regenerate the model crates from `schemas/`.
//! * `cargo xtask gen --check`: write nothing; fail with a unified diff when the committed
//!   generated code differs from what the schemas produce.
//! * `cargo xtask coverage [--refresh [--docs DIR]]`: the vendor-document field names no schema
//!   declares, from the committed inventory; `--refresh` first rewrites the inventory from the
//!   documents.
//! * `cargo xtask fuzz [--iterations N] [--seed S]`: mutate every fixture against every model
//!   (the `credkit-fuzz` crate, built in release mode); fail on any panic, hang or unbounded
//!   output.
//! * `cargo xtask bench [--quick]`: the benchmark tables (`crates/bench`), in release; `--quick`
//!   runs them briefly in debug, to check that they run (the figures then mean nothing).
//! * `cargo xtask test`: every check CI runs (`gen --check`, rustfmt, clippy, all tests,
//!   rustdoc without warnings).

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context;
use clap::{Parser, Subcommand};
use credkit_codegen::{generate, schema_diff, sources, GeneratedFile, Workspace};

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
    /// Print the benchmark tables (parse, client, `gen` time, memory) of `crates/bench`.
    Bench {
        /// Small inputs, few repetitions, debug build: checks that the benches run.
        #[arg(long)]
        quick: bool,
    },
    /// Run every check CI runs: `gen --check`, rustfmt, clippy, the whole test suite and rustdoc.
    Test,
    /// Mutate every fixture against every model (crates/fuzz, built in release mode) and fail
    /// on any panic, hang or unbounded output; prints the figures of the run.
    Fuzz {
        /// How many inputs.
        #[arg(long, default_value_t = 100_000)]
        iterations: u64,
        /// The seed (default: from the clock, printed).
        #[arg(long)]
        seed: Option<u64>,
        /// The first input's index (to reproduce one input: `--start INDEX --iterations 1`).
        #[arg(long)]
        start: Option<u64>,
        /// Worker threads.
        #[arg(long)]
        threads: Option<usize>,
        /// Also write input `--start` to this file.
        #[arg(long)]
        dump: Option<PathBuf>,
    },
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
        Command::Bench { quick } => bench(&workspace_root(), quick),
        Command::Coverage { refresh, docs } => coverage(&workspace_root(), refresh, docs),
        Command::Diff { base, format, root } => {
            diff(&root.unwrap_or_else(workspace_root), base, format)
        }
        Command::Fuzz {
            iterations,
            seed,
            start,
            threads,
            dump,
        } => {
            let mut args = vec!["--iterations".to_owned(), iterations.to_string()];
            let options = [
                ("--seed", seed.map(|s| s.to_string())),
                ("--start", start.map(|s| s.to_string())),
                ("--threads", threads.map(|t| t.to_string())),
                ("--dump", dump.map(|d| d.display().to_string())),
            ];
            for (flag, value) in options {
                if let Some(value) = value {
                    args.extend([flag.to_owned(), value]);
                }
            }
            fuzz(&workspace_root(), &args)
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

fn gen(root: &Path, check: bool) -> anyhow::Result<ExitCode> {
    let workspace = Workspace::load(root)?;
    let files = generate::generate(&workspace)?;
    let missing = generate::missing_crates(root, &files);
    anyhow::ensure!(
        missing.is_empty(),
        "the schemas need crates that do not exist: {}; create each (copy the Cargo.toml of the crate of the same kind, crates/deepfinch-models or crates/deepfinch-client) and add it to the workspace",
        missing
            .iter()
            .map(|p| p.display().to_string())
            .collect::<Vec<_>>()
            .join(", ")
    );
    let stale = generate::stale_files(root, &files)?;

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
            eprintln!(
                "stale: {} is generated but no schema produces it any more",
                path.display()
            );
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

fn diff(root: &Path, base: Option<String>, format: DiffFormat) -> anyhow::Result<ExitCode> {
    let base = base.unwrap_or_else(|| sources::default_base(root));
    let old = Workspace::from_sources(sources::at_revision(root, &base)?)
        .with_context(|| format!("the schemas at {base}"))?;
    let new = Workspace::load(root).context("the schemas in the working tree")?;
    let changes = schema_diff::diff(&old, &new);
    let report = match format {
        DiffFormat::Text => schema_diff::render_text(&changes),
        DiffFormat::Markdown => schema_diff::render_markdown(&changes),
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
    let workspace = Workspace::load(root)?;
    let undeclared = undeclared_names(workspace.schemas(), &inventory)?;
    for field in &undeclared {
        println!("{}:{}: {:?}", field.document, field.line, field.name);
    }
    println!(
        "{} name(s) in the documents that no schema declares",
        undeclared.len()
    );
    Ok(ExitCode::SUCCESS)
}

/// `cargo xtask fuzz …`: runs the `credkit-fuzz` binary built in release mode (a debug build is
/// about six times slower: a million inputs would take hours, not minutes), passing `args` on.
fn fuzz(root: &Path, args: &[String]) -> anyhow::Result<ExitCode> {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let status = std::process::Command::new(&cargo)
        .args(["run", "--quiet", "--release", "-p", "credkit-fuzz", "--"])
        .args(args)
        .current_dir(root)
        .status()
        .context("running cargo run -p credkit-fuzz")?;
    Ok(if status.success() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
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

fn bench(root: &Path, quick: bool) -> anyhow::Result<ExitCode> {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let mut command = std::process::Command::new(cargo);
    command.args(["run", "-q", "-p", "credkit-bench"]);
    if quick {
        command.args(["--", "--quick"]);
    } else {
        command.arg("--release");
    }
    let status = command
        .current_dir(root)
        .status()
        .context("running credkit-bench")?;
    Ok(if status.success() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
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
