//! The Rust names typify gave a bundle's schemas, read back from typify itself.
//!
//! credkit never re-derives typify's naming rules: type names come from the `TypeSpace`
//! (`TypeSpace::iter_types`, `Type::name`) and field names from the syntax tree typify
//! generated, whose `serde(rename)` attributes carry each field's wire name.

use std::collections::BTreeMap;

use typify::TypeSpace;

/// The Rust names of one generated module.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RustNames {
    /// Definition name (or the root's title) → the Rust type (a path for replacements).
    types: BTreeMap<String, String>,
    /// Rust struct name → wire name → Rust field name.
    fields: BTreeMap<String, BTreeMap<String, String>>,
}

impl RustNames {
    /// Reads the names from a type space that was filled by one `add_root_schema` call.
    ///
    /// typify assigns its type ids to a root schema's definitions in their order and then to
    /// the root (when it has a title) before converting anything, and `iter_types` walks the
    /// types in id order; the root's id, returned by `add_root_schema`, checks the alignment.
    pub fn read(
        space: &TypeSpace,
        definitions: &[String],
        root: Option<(&str, &typify::TypeId)>,
        syntax: &syn::File,
    ) -> Result<Self, String> {
        // Names of replacements come back as token text (`crate :: a :: B`): drop the spaces.
        let name_of = |t: typify::Type<'_>| t.name().split_whitespace().collect::<String>();
        let mut names = space.iter_types().map(name_of);
        let mut types = BTreeMap::new();
        for definition in definitions {
            let name = names
                .next()
                .ok_or_else(|| format!("typify has no type for definition `{definition}`"))?;
            types.insert(definition.clone(), name);
        }
        if let Some((title, id)) = root {
            let expected = name_of(space.get_type(id).map_err(|e| format!("root type: {e}"))?);
            let found = names.next();
            if found.as_deref() != Some(expected.as_str()) {
                return Err(format!(
                    "typify's type order changed: expected the root `{expected}` after the definitions, found {found:?}"
                ));
            }
            types.insert(title.to_owned(), expected);
        }
        let mut fields = BTreeMap::new();
        for item in &syntax.items {
            let syn::Item::Struct(item) = item else {
                continue;
            };
            let syn::Fields::Named(named) = &item.fields else {
                continue;
            };
            let by_wire: BTreeMap<String, String> = named
                .named
                .iter()
                .filter_map(|field| {
                    let ident = field.ident.as_ref()?.to_string();
                    Some((crate::postpass::wire_name(field), ident))
                })
                .collect();
            fields.insert(item.ident.to_string(), by_wire);
        }
        Ok(RustNames { types, fields })
    }

    /// The Rust type of a definition (or of the root, by its title).
    pub fn type_name(&self, definition: &str) -> Option<&str> {
        self.types.get(definition).map(String::as_str)
    }

    /// The Rust field of a struct's property, by wire name.
    pub fn field_name(&self, rust_type: &str, wire: &str) -> Option<&str> {
        self.fields.get(rust_type)?.get(wire).map(String::as_str)
    }

    /// The Rust field of a definition's property, by wire name.
    pub fn field_of(&self, definition: &str, wire: &str) -> Option<&str> {
        self.field_name(self.type_name(definition)?, wire)
    }
}
