//! Every field name of the vendor documents — as listed by the committed inventory
//! `docs/vendor-doc-fields.json` (`cargo xtask coverage --refresh` rewrites it from the
//! documents) — is declared by a schema, or justified in `docs/vendor-quirks.md` (section
//! "Names in the documents that no schema declares"). Needs nothing outside the repository.

use std::path::Path;

use credkit_codegen::coverage::{undeclared_names, DocumentField, Inventory, INVENTORY_PATH};
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

fn schemas() -> SchemaSet {
    SchemaSet::load(&workspace_root().join("schemas")).expect("schemas load")
}

fn committed_inventory() -> Inventory {
    Inventory::load(&workspace_root().join(INVENTORY_PATH)).expect("the inventory parses")
}

/// The inventory's names that no schema declares and the justification section does not
/// name, one `document:line: "name"` per entry.
fn unexplained(set: &SchemaSet, inventory: &Inventory, justified: &[String]) -> Vec<String> {
    undeclared_names(set, inventory)
        .expect("schemas walk")
        .iter()
        .filter(|u| !justified.contains(&u.name))
        .map(|u| format!("{}:{}: {:?}", u.document, u.line, u.name))
        .collect()
}

#[test]
fn every_document_field_is_declared_or_justified() {
    let set = schemas();
    let inventory = committed_inventory();
    let justified = justified_names();
    let unexplained = unexplained(&set, &inventory, &justified);
    assert!(
        unexplained.is_empty(),
        "names no schema declares and docs/vendor-quirks.md does not justify:\n{}",
        unexplained.join("\n")
    );
    // A justification for a name that is declared after all is stale.
    let undeclared = undeclared_names(&set, &inventory).expect("schemas walk");
    let stale: Vec<&String> = justified
        .iter()
        .filter(|name| !undeclared.iter().any(|u| &u.name == *name))
        .collect();
    assert!(
        stale.is_empty(),
        "justified in docs/vendor-quirks.md but declared or absent: {stale:?}"
    );
}

#[test]
fn the_inventory_is_in_canonical_form() {
    let path = workspace_root().join(INVENTORY_PATH);
    let text = std::fs::read_to_string(&path).expect("the inventory is committed");
    let inventory = Inventory::from_json(&text, Path::new(INVENTORY_PATH)).expect("parses");
    assert!(
        !inventory.fields().is_empty(),
        "{INVENTORY_PATH} lists no field"
    );
    assert!(
        inventory.to_json() == text,
        "{INVENTORY_PATH} is not in canonical order and format (sorted by document and name, \
         one entry per line, no duplicates); rewrite it with `cargo xtask coverage --refresh`"
    );
}

#[test]
fn a_name_no_schema_declares_is_reported() {
    let set = schemas();
    let mut fields = committed_inventory().fields().to_vec();
    fields.push(DocumentField {
        document: "999_test.txt".to_owned(),
        name: "credkitNeverDeclared".to_owned(),
        line: 7,
    });
    let unexplained = unexplained(&set, &Inventory::new(fields), &justified_names());
    assert_eq!(
        unexplained,
        vec![r#"999_test.txt:7: "credkitNeverDeclared""#.to_owned()]
    );
}
