//! Every field name in the vendor documents' tables and examples is declared by a schema, or
//! justified in `docs/vendor-quirks.md` (section "Names in the documents that no schema
//! declares").

use credkit_codegen::coverage::undeclared_names;
use credkit_codegen::SchemaSet;
use credkit_tests::workspace_root;

/// The backticked names at the start of the bullets of the justification section.
fn justified_names() -> Vec<String> {
    let quirks = std::fs::read_to_string(workspace_root().join("docs/vendor-quirks.md"))
        .expect("vendor-quirks.md");
    let section = quirks
        .split("## Names in the documents that no schema declares")
        .nth(1)
        .expect("vendor-quirks.md has the justification section");
    let section = section.split("\n## ").next().unwrap_or_default();
    section
        .lines()
        .filter_map(|line| line.strip_prefix("- `"))
        .filter_map(|rest| rest.split('`').next())
        .map(str::to_owned)
        .collect()
}

#[test]
fn every_document_field_is_declared_or_justified() {
    let docs = workspace_root().join("../shared/vendor-docs");
    assert!(
        docs.is_dir(),
        "the vendor documents are expected at {}",
        docs.display()
    );
    let set = SchemaSet::load(&workspace_root().join("schemas")).expect("schemas load");
    let undeclared = undeclared_names(&set, &docs).expect("documents read");
    let justified = justified_names();
    let unexplained: Vec<String> = undeclared
        .iter()
        .filter(|u| !justified.contains(&u.name))
        .map(|u| format!("{}:{}: {:?}", u.document, u.line, u.name))
        .collect();
    assert!(
        unexplained.is_empty(),
        "names no schema declares and docs/vendor-quirks.md does not justify:\n{}",
        unexplained.join("\n")
    );
    // A justification for a name that is declared after all is stale.
    let stale: Vec<&String> = justified
        .iter()
        .filter(|name| !undeclared.iter().any(|u| &u.name == *name))
        .collect();
    assert!(
        stale.is_empty(),
        "justified in docs/vendor-quirks.md but declared or absent: {stale:?}"
    );
}
