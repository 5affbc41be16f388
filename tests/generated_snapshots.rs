//! Snapshots of the generated code of every schema, so that a pull request shows how a schema
//! change changes the Rust API. The generated crates themselves are compiled as workspace
//! members, and `cargo xtask gen --check` proves the committed code equals this output.

use credkit_codegen::{model_gen, SchemaSet};
use credkit_tests::workspace_root;

fn schema_set() -> SchemaSet {
    SchemaSet::load(&workspace_root().join("schemas")).expect("schemas load")
}

#[test]
fn generated_code_of_every_schema() {
    let set = schema_set();
    let mut count = 0;
    for file in set
        .files()
        .filter(|f| f.kind != credkit_codegen::schema_set::FileKind::Shared)
    {
        let source = model_gen::generate_source(&set, file).expect("generates");
        let name = file.id.replace('/', "__");
        insta::with_settings!({ prepend_module_to_snapshot => false, description => format!("schemas/{}", file.rel_path) }, {
            insta::assert_snapshot!(name, source);
        });
        count += 1;
    }
    assert!(count > 0);
}

#[test]
fn generated_code_of_every_endpoint_description() {
    let set = schema_set();
    let endpoints = credkit_codegen::client_gen::load_endpoints(&workspace_root().join("schemas"))
        .expect("endpoints load");
    assert!(!endpoints.is_empty());
    let files = credkit_codegen::client_gen::generate_clients(&set, &endpoints).expect("generates");
    for file in files.iter().filter(|f| !f.path.ends_with("mod.rs")) {
        let name = format!(
            "client__{}",
            file.path
                .to_string_lossy()
                .replace("crates/", "")
                .replace("/src/generated/", "__")
                .replace(".rs", "")
        );
        insta::with_settings!({ prepend_module_to_snapshot => false }, {
            insta::assert_snapshot!(name, &file.contents);
        });
    }
}

#[test]
fn reference_page_of_every_model() {
    let files =
        credkit_codegen::reference_docs::generate_reference(&schema_set()).expect("generates");
    for file in &files {
        let name = format!(
            "reference__{}",
            file.path
                .to_string_lossy()
                .replace("docs/reference/", "")
                .replace('/', "__")
                .replace(".md", "")
        );
        insta::with_settings!({ prepend_module_to_snapshot => false }, {
            insta::assert_snapshot!(name, &file.contents);
        });
    }
    // Every model has a page, and the index links it.
    let index = files
        .iter()
        .find(|f| f.path.ends_with("README.md"))
        .expect("index");
    for model in schema_set().models() {
        assert!(
            files
                .iter()
                .any(|f| f.path.ends_with(format!("{}.md", model.id))),
            "{}",
            model.id
        );
        assert!(index
            .contents
            .contains(&format!("[`{}`]({}.md)", model.id, model.id)));
    }
}

#[test]
fn generation_is_deterministic() {
    let first = credkit_codegen::generate_workspace(&workspace_root()).expect("generates");
    let second = credkit_codegen::generate_workspace(&workspace_root()).expect("generates");
    assert_eq!(first, second);
}
