//! Turning one credkit schema (JSON Schema 2020-12 with credkit keywords) into the draft-07
//! form typify reads, plus the side table of what typify cannot express.

use std::collections::BTreeMap;

use serde_json::{json, Map, Value};

use crate::schema_set::{escape_pointer, FileKind, SchemaFile, SchemaSet};
use crate::CodegenError;

/// What the post-pass needs to know about one field of a generated struct.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FieldInfo {
    /// Extra wire names accepted when reading (`x-credkit-aliases`).
    pub aliases: Vec<String>,
    /// The schema allows `null`, so an explicit `null` must survive a round trip.
    pub nullable: bool,
    /// The personal-data class (`x-credkit-pii`): `Debug` masks the field.
    pub pii: Option<String>,
    /// The declared format (`x-credkit-format`).
    pub format: Option<String>,
    /// The documented scalar kind (`string`, `integer`, `number`, `boolean`) of a field that
    /// tolerates scalar drift: generated as `credkit_runtime::Scalar`.
    pub drift: Option<String>,
    /// An object or map the vendor may send as `[]` when empty: wrapped in
    /// `credkit_runtime::PhpEmpty`.
    pub php_empty: bool,
}

/// The fields of one generated struct that need the post-pass, by wire name.
pub type TypeInfo = BTreeMap<String, FieldInfo>;

/// One code of an `x-credkit-open-enum` table.
#[derive(Debug, Clone, PartialEq)]
pub struct Code {
    /// The value on the wire: a string or an integer.
    pub value: Value,
    /// The vendor's (Chinese) description.
    pub description: String,
    /// The English gloss.
    pub gloss: Option<String>,
    /// The HTTP status the document pairs with the code.
    pub http_status: Option<u16>,
    /// An explicit Rust variant name (`x-credkit-variant`).
    pub variant: Option<String>,
}

/// A code table: generated as an enum with one variant per code and an `Other` case.
#[derive(Debug, Clone, PartialEq)]
pub struct OpenEnum {
    /// The Rust type name.
    pub name: String,
    /// Doc text of the type.
    pub doc: String,
    /// Whether the codes are integers (otherwise strings).
    pub integer: bool,
    /// The documented codes, in document order.
    pub codes: Vec<Code>,
}

/// The result of bundling one schema file.
#[derive(Debug, Clone)]
pub struct Bundle {
    /// A draft-07 root schema (`definitions`, tuple `items`) ready for typify.
    pub root: Value,
    /// The Rust name of the root type (models only).
    pub root_type: Option<String>,
    /// Definitions that typify must not generate but refer to by this Rust path.
    pub replacements: BTreeMap<String, String>,
    /// Per definition (or the root, by its title), the fields that need the post-pass.
    pub types: BTreeMap<String, TypeInfo>,
    /// Code tables to generate next to typify's output.
    pub open_enums: Vec<OpenEnum>,
}

impl Bundle {
    /// Every named schema of the bundle: the root type (models) first, then the definitions
    /// in name order.
    pub fn named_schemas(&self) -> Vec<(String, &Value)> {
        let mut out: Vec<(String, &Value)> = Vec::new();
        if let Some(root_type) = &self.root_type {
            out.push((root_type.clone(), &self.root));
        }
        for (name, schema) in self
            .root
            .get("definitions")
            .and_then(Value::as_object)
            .into_iter()
            .flatten()
        {
            out.push((name.clone(), schema));
        }
        out
    }
}

/// Bundles `file`, resolving references into the other files of `set`.
pub fn bundle(set: &SchemaSet, file: &SchemaFile) -> Result<Bundle, CodegenError> {
    let mut bundler = Bundler {
        set,
        file,
        definitions: BTreeMap::new(),
        replacements: BTreeMap::new(),
        types: BTreeMap::new(),
        open_enums: Vec::new(),
        settings: set.vendor_settings(&file.vendor),
    };
    let local_defs = file
        .value
        .get("$defs")
        .and_then(Value::as_object)
        .cloned()
        .unwrap_or_default();
    for (name, def) in &local_defs {
        let pointer = format!("/$defs/{}", escape_pointer(name));
        bundler.define(name, def, &pointer)?;
    }
    let (mut root, root_type) = match file.kind {
        FileKind::Model => {
            let title = file.title().unwrap_or_default().to_owned();
            if bundler.definitions.contains_key(&title) {
                return Err(bundler.error(
                    "/title",
                    format!("the title `{title}` is also a `$defs` name"),
                ));
            }
            let converted = bundler.convert(&file.value, &title, "", true)?;
            (converted, Some(title))
        }
        FileKind::Library | FileKind::Shared => (json!({}), None),
    };
    let definitions: Map<String, Value> = bundler.definitions.into_iter().collect();
    if let Some(object) = root.as_object_mut() {
        object.insert("definitions".into(), Value::Object(definitions));
    }
    Ok(Bundle {
        root,
        root_type,
        replacements: bundler.replacements,
        types: bundler.types,
        open_enums: bundler.open_enums,
    })
}

struct Bundler<'a> {
    set: &'a SchemaSet,
    file: &'a SchemaFile,
    definitions: BTreeMap<String, Value>,
    replacements: BTreeMap<String, String>,
    types: BTreeMap<String, TypeInfo>,
    open_enums: Vec<OpenEnum>,
    settings: crate::schema_set::VendorSettings,
}

/// The one scalar kind a property documents (`string`, `integer`, `number`, `boolean`; `null`
/// aside), when it is a plain scalar: no reference, enumeration or constant.
fn documented_scalar(schema: &Value) -> Option<&str> {
    let object = schema.as_object()?;
    if [
        "$ref",
        "enum",
        "const",
        "x-credkit-open-enum",
        "anyOf",
        "oneOf",
    ]
    .iter()
    .any(|k| object.contains_key(*k))
    {
        return None;
    }
    let kinds: Vec<&str> = match object.get("type")? {
        Value::String(kind) => vec![kind.as_str()],
        Value::Array(kinds) => kinds
            .iter()
            .filter_map(Value::as_str)
            .filter(|k| *k != "null")
            .collect(),
        _ => return None,
    };
    match kinds.as_slice() {
        [kind @ ("string" | "integer" | "number" | "boolean")] => Some(kind),
        _ => None,
    }
}

/// The doc text typify attaches to a type or field: the vendor's description, the English
/// gloss and the source, as separate paragraphs.
pub fn doc_text(schema: &Value) -> Option<String> {
    let text = |key: &str| schema.get(key).and_then(Value::as_str).map(str::trim);
    let mut parts: Vec<String> = Vec::new();
    if let Some(description) = text("description") {
        parts.push(description.to_owned());
    }
    if let Some(gloss) = text("x-credkit-gloss") {
        parts.push(gloss.to_owned());
    }
    if let Some(source) = text("x-credkit-source") {
        parts.push(format!("Source: {source}"));
    }
    (!parts.is_empty()).then(|| rustdoc_safe(&parts.join("\n\n")))
}

/// Vendor text made safe for rustdoc and Markdown: `[x]` is not a link, and a bare URL is
/// an autolink (`<https://…>`).
pub fn rustdoc_safe(text: &str) -> String {
    let escaped = text.replace('[', "\\[").replace(']', "\\]");
    let mut out = String::with_capacity(escaped.len());
    let mut rest = escaped.as_str();
    while let Some(start) = rest
        .find("http://")
        .into_iter()
        .chain(rest.find("https://"))
        .min()
    {
        let (before, from_url) = rest.split_at(start);
        out.push_str(before);
        let end = from_url
            .find(|c: char| {
                c.is_whitespace()
                    || matches!(
                        c,
                        ')' | '(' | ',' | ';' | '<' | '>' | '"' | '\'' | '`' | '，' | '）' | '。'
                    )
            })
            .unwrap_or(from_url.len());
        let (url, after) = from_url.split_at(end);
        let already_marked = before.ends_with('<') || before.ends_with('`');
        if already_marked {
            out.push_str(url);
        } else {
            out.push('<');
            out.push_str(url);
            out.push('>');
        }
        rest = after;
    }
    out.push_str(rest);
    out
}

/// credkit's name for a definition hoisted out of a property: the PascalCase of the wire
/// name (`overdueRecordSummary` → `OverdueRecordSummary`, `records ` → `Records`), with an `X`
/// in front when it would not start with a letter (`7day_times` → `X7dayTimes`). The result
/// is a definition name; the Rust name is typify's, read back by [`crate::names`].
pub fn pascal(name: &str) -> String {
    use heck::ToPascalCase;
    let words: String = name
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || c == '_' {
                c
            } else {
                '-'
            }
        })
        .collect();
    let out = words.to_pascal_case();
    match out.chars().next() {
        Some(c) if c.is_alphabetic() => out,
        _ => format!("X{out}"),
    }
}

fn is_nullable(schema: &Value) -> bool {
    let type_has_null = match schema.get("type") {
        Some(Value::String(t)) => t == "null",
        Some(Value::Array(types)) => types.iter().any(|t| t == "null"),
        _ => false,
    };
    let variant_is_null = ["anyOf", "oneOf"].iter().any(|keyword| {
        schema
            .get(*keyword)
            .and_then(Value::as_array)
            .is_some_and(|variants| {
                variants
                    .iter()
                    .any(|v| v.get("type") == Some(&json!("null")))
            })
    });
    type_has_null || variant_is_null
}

/// The JSON types a `type` keyword lists, without `null`.
fn non_null_types(schema: &Value) -> Vec<&str> {
    match schema.get("type") {
        Some(Value::Array(types)) => types
            .iter()
            .filter_map(Value::as_str)
            .filter(|t| *t != "null")
            .collect(),
        _ => Vec::new(),
    }
}

impl Bundler<'_> {
    fn error(&self, pointer: &str, message: String) -> CodegenError {
        CodegenError::schema(&self.file.rel_path, pointer, message)
    }

    /// Adds a named definition, converting it.
    fn define(&mut self, name: &str, schema: &Value, pointer: &str) -> Result<(), CodegenError> {
        if self.definitions.contains_key(name) {
            return Err(self.error(pointer, format!("two types are named `{name}`; rename one")));
        }
        // Reserve the name first so that recursive references see it.
        self.definitions.insert(name.to_owned(), json!({}));
        let converted = if let Some(rust) = schema.get("x-credkit-rust").and_then(Value::as_str) {
            self.replacements.insert(name.to_owned(), rust.to_owned());
            json!({})
        } else if let Some(codes) = schema.get("x-credkit-open-enum") {
            let open_enum = self.open_enum(name, schema, codes, pointer)?;
            self.open_enums.push(open_enum);
            self.replacements.insert(name.to_owned(), name.to_owned());
            json!({})
        } else {
            self.convert(schema, name, pointer, true)?
        };
        self.definitions.insert(name.to_owned(), converted);
        Ok(())
    }

    fn open_enum(
        &self,
        name: &str,
        schema: &Value,
        codes: &Value,
        pointer: &str,
    ) -> Result<OpenEnum, CodegenError> {
        let integer = match schema.get("type").and_then(Value::as_str) {
            Some("integer") => true,
            Some("string") => false,
            _ => {
                return Err(self.error(
                    pointer,
                    "an `x-credkit-open-enum` needs `\"type\": \"string\"` or `\"integer\"`".into(),
                ))
            }
        };
        let entries = codes.as_array().ok_or_else(|| {
            self.error(
                pointer,
                "`x-credkit-open-enum` must be a list of codes".into(),
            )
        })?;
        let mut parsed = Vec::new();
        for (index, entry) in entries.iter().enumerate() {
            let entry_pointer = format!("{pointer}/x-credkit-open-enum/{index}");
            let value = entry.get("const").cloned().unwrap_or(Value::Null);
            let well_typed = if integer {
                value.is_i64()
            } else {
                value.is_string()
            };
            if !well_typed {
                return Err(self.error(
                    &entry_pointer,
                    "each code needs a `const` of the table's type".into(),
                ));
            }
            if parsed.iter().any(|code: &Code| code.value == value) {
                return Err(self.error(&entry_pointer, format!("the code {value} is listed twice")));
            }
            let text = |key: &str| entry.get(key).and_then(Value::as_str).map(str::to_owned);
            let http_status = match entry.get("x-credkit-http-status") {
                None => None,
                Some(status) => Some(
                    status
                        .as_u64()
                        .and_then(|s| u16::try_from(s).ok())
                        .filter(|s| (100..600).contains(s))
                        .ok_or_else(|| {
                            self.error(
                                &entry_pointer,
                                "`x-credkit-http-status` must be an HTTP status".into(),
                            )
                        })?,
                ),
            };
            parsed.push(Code {
                value,
                description: text("description").ok_or_else(|| {
                    self.error(
                        &entry_pointer,
                        "each code needs the document's `description`".into(),
                    )
                })?,
                gloss: text("x-credkit-gloss"),
                http_status,
                variant: text("x-credkit-variant"),
            });
        }
        Ok(OpenEnum {
            name: name.to_owned(),
            doc: doc_text(schema).unwrap_or_default(),
            integer,
            codes: parsed,
        })
    }

    /// A reference to a shape of `schemas/common.json` (a runtime type), with `doc`.
    fn shared(
        &mut self,
        shared: &str,
        doc: Option<String>,
        pointer: &str,
    ) -> Result<Value, CodegenError> {
        let target = self.resolve_ref(
            &format!("{}common.json#/$defs/{shared}", self.path_to_schemas_root()),
            pointer,
        )?;
        let mut out = Map::new();
        out.insert(
            "$ref".into(),
            Value::String(format!("#/definitions/{target}")),
        );
        if let Some(doc) = doc {
            out.insert("description".into(), Value::String(doc));
        }
        Ok(Value::Object(out))
    }

    /// Whether a property is an object or map that can be empty: a map, or an object (inline
    /// or a local `$defs` entry) without required properties.
    fn can_be_empty_container(&self, schema: &Value) -> bool {
        let target = match schema.get("$ref").and_then(Value::as_str) {
            Some(reference) => match reference.strip_prefix("#/$defs/") {
                Some(name) => match self.file.value.get("$defs").and_then(|d| d.get(name)) {
                    Some(def) => def,
                    None => return false,
                },
                None => return false,
            },
            None => schema,
        };
        let is_map = target
            .get("additionalProperties")
            .is_some_and(Value::is_object);
        let is_object = target.get("properties").is_some_and(Value::is_object)
            && target.get("x-credkit-open-enum").is_none()
            && crate::schema_set::strings(target.get("required")).is_empty();
        is_map || is_object
    }

    /// Converts one schema node. `name` is the type name the node gets when it is (or must
    /// be hoisted to) a named type; `named` says whether the node already is one.
    fn convert(
        &mut self,
        schema: &Value,
        name: &str,
        pointer: &str,
        named: bool,
    ) -> Result<Value, CodegenError> {
        let Some(object) = schema.as_object() else {
            return Ok(schema.clone());
        };
        let doc = doc_text(schema);
        if let Some(reference) = object.get("$ref").and_then(Value::as_str) {
            let target = self.resolve_ref(reference, pointer)?;
            let mut out = Map::new();
            out.insert(
                "$ref".into(),
                Value::String(format!("#/definitions/{target}")),
            );
            if let Some(doc) = doc {
                out.insert("description".into(), Value::String(doc));
            }
            return Ok(Value::Object(out));
        }
        let hoist = object.contains_key("properties") || object.contains_key("x-credkit-open-enum");
        if hoist && !named {
            self.define(name, schema, pointer)?;
            let mut out = Map::new();
            out.insert(
                "$ref".into(),
                Value::String(format!("#/definitions/{name}")),
            );
            if let Some(doc) = doc {
                out.insert("description".into(), Value::String(doc));
            }
            return Ok(Value::Object(out));
        }
        // `["number", "string"]` and `["object", "string"]` are the shared lenient types,
        // however a schema spells them.
        let mut lenient_types = non_null_types(schema);
        lenient_types.sort_unstable();
        let lenient = match lenient_types.as_slice() {
            ["number", "string"] | ["integer", "string"] => Some("NumberOrText"),
            ["object", "string"] => Some("ObjectOrText"),
            _ => None,
        };
        if let Some(shared) = lenient {
            return self.shared(shared, doc, pointer);
        }

        let mut out = Map::new();
        for (keyword, value) in object {
            let child_pointer = format!("{pointer}/{}", escape_pointer(keyword));
            match keyword.as_str() {
                "$schema" | "$id" | "$defs" | "$comment" | "examples" => {}
                k if k.starts_with("x-credkit-") => {}
                "description" => {
                    if let Some(doc) = &doc {
                        out.insert("description".into(), Value::String(doc.clone()));
                    }
                }
                "title" => {
                    // typify names a type by its title; credkit names types by `$defs` keys,
                    // so titles below the root would only confuse it.
                    if pointer.is_empty() {
                        out.insert(keyword.clone(), value.clone());
                    }
                }
                "properties" => {
                    let mut properties = Map::new();
                    let mut info = TypeInfo::new();
                    for (property, property_schema) in value.as_object().into_iter().flatten() {
                        let property_pointer =
                            format!("{child_pointer}/{}", escape_pointer(property));
                        let child_name = format!("{name}{}", pascal(property));
                        // Scalar drift: a format-declared scalar anywhere, every scalar of a
                        // vendor that declares it.
                        let drift = documented_scalar(property_schema)
                            .filter(|_| {
                                self.settings.scalar_drift
                                    || property_schema.get("x-credkit-format").is_some()
                            })
                            .map(str::to_owned);
                        let php_empty = self.settings.php_empty_containers
                            && self.can_be_empty_container(property_schema);
                        let converted = if drift.is_some() {
                            self.shared("Scalar", doc_text(property_schema), &property_pointer)?
                        } else {
                            self.convert(property_schema, &child_name, &property_pointer, false)?
                        };
                        properties.insert(property.clone(), converted);
                        let aliases: Vec<String> = property_schema
                            .get("x-credkit-aliases")
                            .and_then(Value::as_array)
                            .into_iter()
                            .flatten()
                            .filter_map(Value::as_str)
                            .map(str::to_owned)
                            .collect();
                        for alias in &aliases {
                            if value.get(alias).is_some() || alias == property {
                                return Err(self.error(
                                    &property_pointer,
                                    format!("the alias `{alias}` is also a property name"),
                                ));
                            }
                        }
                        let field = FieldInfo {
                            aliases,
                            nullable: is_nullable(property_schema),
                            pii: property_schema
                                .get("x-credkit-pii")
                                .and_then(Value::as_str)
                                .map(str::to_owned),
                            format: property_schema
                                .get("x-credkit-format")
                                .and_then(Value::as_str)
                                .map(str::to_owned),
                            drift,
                            php_empty,
                        };
                        if field != FieldInfo::default() {
                            info.insert(property.clone(), field);
                        }
                    }
                    out.insert(keyword.clone(), Value::Object(properties));
                    if !info.is_empty() {
                        self.types.insert(name.to_owned(), info);
                    }
                }
                "items" => {
                    let converted = match value {
                        Value::Array(items) => Value::Array(
                            items
                                .iter()
                                .enumerate()
                                .map(|(i, item)| {
                                    self.convert(
                                        item,
                                        &format!("{name}Item{i}"),
                                        &format!("{child_pointer}/{i}"),
                                        false,
                                    )
                                })
                                .collect::<Result<_, _>>()?,
                        ),
                        Value::Bool(false) if object.contains_key("prefixItems") => continue,
                        _ => self.convert(value, &format!("{name}Item"), &child_pointer, false)?,
                    };
                    out.insert(keyword.clone(), converted);
                }
                "prefixItems" => {
                    let items = value.as_array().cloned().unwrap_or_default();
                    let converted: Vec<Value> = items
                        .iter()
                        .enumerate()
                        .map(|(i, item)| {
                            self.convert(
                                item,
                                &format!("{name}Item{i}"),
                                &format!("{child_pointer}/{i}"),
                                false,
                            )
                        })
                        .collect::<Result<_, _>>()?;
                    let closed = object.get("items") == Some(&Value::Bool(false));
                    out.insert("minItems".into(), json!(converted.len()));
                    if closed {
                        out.insert("maxItems".into(), json!(converted.len()));
                        out.insert("additionalItems".into(), Value::Bool(false));
                    }
                    out.insert("items".into(), Value::Array(converted));
                }
                "anyOf" | "oneOf" | "allOf" => {
                    let variants = value.as_array().cloned().unwrap_or_default();
                    let converted: Vec<Value> = variants
                        .iter()
                        .enumerate()
                        .map(|(i, variant)| {
                            self.convert(
                                variant,
                                &format!("{name}Variant{i}"),
                                &format!("{child_pointer}/{i}"),
                                false,
                            )
                        })
                        .collect::<Result<_, _>>()?;
                    out.insert(keyword.clone(), Value::Array(converted));
                }
                "additionalProperties" | "not" => {
                    let converted =
                        self.convert(value, &format!("{name}Value"), &child_pointer, false)?;
                    out.insert(keyword.clone(), converted);
                }
                "patternProperties"
                | "contains"
                | "if"
                | "then"
                | "else"
                | "dependentSchemas"
                | "unevaluatedProperties"
                | "unevaluatedItems"
                | "$dynamicRef"
                | "$anchor" => {
                    return Err(self.error(
                        &child_pointer,
                        format!("`{keyword}` is not supported by the generator"),
                    ));
                }
                _ => {
                    out.insert(keyword.clone(), value.clone());
                }
            }
        }
        Ok(Value::Object(out))
    }

    /// `../` repeated to reach `schemas/` from this file's folder.
    fn path_to_schemas_root(&self) -> String {
        "../".repeat(self.file.rel_path.matches('/').count())
    }

    /// Resolves a `$ref` and returns the definition name it now points to.
    fn resolve_ref(&mut self, reference: &str, pointer: &str) -> Result<String, CodegenError> {
        let (path, fragment) = match reference.split_once('#') {
            Some((path, fragment)) => (path, fragment),
            None => (reference, ""),
        };
        let def_name = match fragment {
            "" => None,
            f => Some(
                f.strip_prefix("/$defs/")
                    .filter(|name| !name.contains('/'))
                    .ok_or_else(|| {
                        self.error(
                            pointer,
                            format!("`{reference}`: only `#/$defs/<Name>` fragments are supported"),
                        )
                    })?,
            ),
        };
        if path.is_empty() {
            let name = def_name.ok_or_else(|| {
                self.error(
                    pointer,
                    "a reference to the whole file is not supported".into(),
                )
            })?;
            let exists = self
                .file
                .value
                .get("$defs")
                .and_then(|defs| defs.get(name))
                .is_some();
            if !exists {
                return Err(self.error(
                    pointer,
                    format!("`{reference}`: no `$defs` entry `{name}` in this file"),
                ));
            }
            return Ok(name.to_owned());
        }
        let target_path = join_relative(&self.file.rel_path, path).ok_or_else(|| {
            self.error(pointer, format!("`{reference}` leaves the schemas folder"))
        })?;
        let target = self.set.get(&target_path).ok_or_else(|| {
            self.error(
                pointer,
                format!("`{reference}`: no schema file {target_path}"),
            )
        })?;
        let (name, target_schema) = match def_name {
            None => {
                if target.kind != FileKind::Model {
                    return Err(self.error(
                        pointer,
                        format!("`{reference}` names a file without a root type"),
                    ));
                }
                (target.title().unwrap_or_default().to_owned(), &target.value)
            }
            Some(name) => {
                let schema = target
                    .value
                    .get("$defs")
                    .and_then(|defs| defs.get(name))
                    .ok_or_else(|| {
                        self.error(
                            pointer,
                            format!("`{reference}`: no `$defs` entry `{name}` in {target_path}"),
                        )
                    })?;
                (name.to_owned(), schema)
            }
        };
        let rust_path = match target_schema.get("x-credkit-rust").and_then(Value::as_str) {
            Some(rust) => rust.to_owned(),
            None if target.kind == FileKind::Shared => {
                return Err(self.error(
                    pointer,
                    format!("`{reference}`: shapes in schemas/common.json must name their Rust type with `x-credkit-rust`"),
                ))
            }
            None if target.vendor != self.file.vendor => {
                return Err(self.error(pointer, format!("`{reference}` refers to another vendor's crate")))
            }
            None => target.rust_path(&name),
        };
        match self.replacements.get(&name) {
            Some(existing) if *existing == rust_path => {}
            Some(_) => {
                return Err(self.error(pointer, format!("two referenced types are named `{name}`")));
            }
            None => {
                if self.definitions.contains_key(&name) {
                    return Err(self.error(
                        pointer,
                        format!(
                            "`{reference}` is named `{name}`, like a type of this file; rename one"
                        ),
                    ));
                }
                self.definitions.insert(name.clone(), json!({}));
                self.replacements.insert(name.clone(), rust_path);
            }
        }
        Ok(name)
    }
}

/// Joins a relative reference to the folder of `from` (both relative to `schemas/`); `None`
/// when it leaves the folder.
pub fn join_relative(from: &str, reference: &str) -> Option<String> {
    let mut parts: Vec<&str> = from.split('/').collect();
    parts.pop();
    for segment in reference.split('/') {
        match segment {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            other => parts.push(other),
        }
    }
    Some(parts.join("/"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn joins_relative_paths() {
        assert_eq!(
            join_relative(
                "deepfinch/cloud/task-result.json",
                "../credit-report-v1.json"
            )
            .as_deref(),
            Some("deepfinch/credit-report-v1.json")
        );
        assert_eq!(
            join_relative("deepfinch/x.json", "../common.json").as_deref(),
            Some("common.json")
        );
        assert_eq!(join_relative("x.json", "../../y.json"), None);
    }

    #[test]
    fn vendor_text_is_made_safe_for_rustdoc() {
        assert_eq!(rustdoc_safe("[cuishou] 说明"), "\\[cuishou\\] 说明");
        assert_eq!(
            rustdoc_safe("POST https://cloudapi.deepfinch.com/ocr (cloud); see `http://ip:port`"),
            "POST <https://cloudapi.deepfinch.com/ocr> (cloud); see `http://ip:port`"
        );
    }

    #[test]
    fn pascal_names() {
        assert_eq!(pascal("overdueRecordSummary"), "OverdueRecordSummary");
        assert_eq!(pascal("records "), "Records");
        assert_eq!(
            pascal(" call_log_missing_month_list "),
            "CallLogMissingMonthList"
        );
        assert_eq!(pascal("7day_times"), "X7dayTimes");
    }
}
