//! The syntax-tree post-pass over typify's output.
//!
//! typify's defaults fight lossless round trips and it has no hook for credkit's keywords, so
//! every generated module goes through these rewrites, once, for every schema:
//!
//! * an optional array or map is `Option<Vec<T>>` / `Option<BTreeMap<K, V>>` instead of a
//!   defaulted collection skipped when empty: an explicit `[]` or `{}` survives, and
//!   absence stays absence;
//! * a field whose schema allows `null` is `Option<Option<T>>` (absent / `null` / value);
//! * `number` is `serde_json::Number` instead of `f64`, so `58` is written back as `58`;
//! * text in a struct field is `credkit_runtime::Text` instead of `String`: the same wire form,
//!   with short values (most of a report's) stored inline instead of one heap allocation each;
//! * `x-credkit-aliases` become `#[serde(alias = "…")]`;
//! * an optional scalar or text (`Option<Scalar>`, `Option<Text>`) is read by the runtime's
//!   `serde_helpers::optional_scalar` / `optional_text`: one `deserialize_any` for `null` and
//!   value alike, instead of `deserialize_option` and then the value's own request;
//! * typify's per-module `ConversionError` becomes the runtime's shared one;
//! * doc comments are one `///` line each, with a leading space.

use syn::punctuated::Punctuated;
use syn::visit_mut::{self, VisitMut};
use syn::{parse_quote, Attribute, Expr, Field, Lit, Meta, Token, Type};

use std::collections::BTreeMap;

use crate::bundle::{Bundle, FieldInfo};
use crate::names::RustNames;
use crate::CodegenError;

/// Applies every rewrite to a generated module.
///
/// `names` maps the bundle's definitions to typify's Rust types; a field the bundle has
/// information for (an alias, nullability) that is not found in typify's output is an error,
/// never silently dropped.
pub fn apply(file: &mut syn::File, bundle: &Bundle, names: &RustNames) -> Result<(), CodegenError> {
    share_conversion_error(file);
    let mut pending: BTreeMap<String, BTreeMap<String, FieldInfo>> = BTreeMap::new();
    for (definition, fields) in &bundle.types {
        let rust = names
            .type_name(definition)
            .ok_or_else(|| CodegenError::Generate {
                model: definition.clone(),
                message: "typify generated no type for this definition".into(),
            })?;
        pending.insert(rust.to_owned(), fields.clone());
    }
    mask_personal_data(file, &pending)?;
    let mut pass = PostPass {
        pending,
        current_struct: None,
        error: None,
    };
    pass.visit_file_mut(file);
    if let Some(error) = pass.error {
        return Err(error);
    }
    if let Some((rust, fields)) = pass.pending.iter().find(|(_, f)| !f.is_empty()) {
        let wire: Vec<&str> = fields.keys().map(String::as_str).collect();
        return Err(CodegenError::Generate {
            model: rust.clone(),
            message: format!("no generated field for the wire names {wire:?}"),
        });
    }
    Ok(())
}

macro_rules! split_docs_in {
    ($($method:ident => $ty:ty, $walk:path;)*) => {
        $(
            fn $method(&mut self, node: &mut $ty) {
                split_doc_attrs(&mut node.attrs);
                $walk(self, node);
            }
        )*
    };
}

struct PostPass {
    /// Per Rust struct, the fields still to rewrite, by wire name.
    pending: BTreeMap<String, BTreeMap<String, FieldInfo>>,
    current_struct: Option<String>,
    error: Option<CodegenError>,
}

impl VisitMut for PostPass {
    split_docs_in! {
        visit_item_enum_mut => syn::ItemEnum, visit_mut::visit_item_enum_mut;
        visit_item_mod_mut => syn::ItemMod, visit_mut::visit_item_mod_mut;
        visit_item_impl_mut => syn::ItemImpl, visit_mut::visit_item_impl_mut;
        visit_item_fn_mut => syn::ItemFn, visit_mut::visit_item_fn_mut;
        visit_item_type_mut => syn::ItemType, visit_mut::visit_item_type_mut;
        visit_item_const_mut => syn::ItemConst, visit_mut::visit_item_const_mut;
        visit_impl_item_fn_mut => syn::ImplItemFn, visit_mut::visit_impl_item_fn_mut;
        visit_impl_item_const_mut => syn::ImplItemConst, visit_mut::visit_impl_item_const_mut;
    }

    fn visit_item_struct_mut(&mut self, item: &mut syn::ItemStruct) {
        split_doc_attrs(&mut item.attrs);
        self.current_struct = Some(item.ident.to_string());
        visit_mut::visit_item_struct_mut(self, item);
        self.current_struct = None;
    }

    fn visit_field_mut(&mut self, field: &mut Field) {
        split_doc_attrs(&mut field.attrs);
        if let (Some(struct_name), Some(_)) = (&self.current_struct, &field.ident) {
            let info = self
                .pending
                .get_mut(struct_name)
                .and_then(|fields| fields.remove(&wire_name(field)))
                .unwrap_or_default();
            let result = rewrite_field(field, &info).and_then(|()| {
                if info.php_empty {
                    wrap_php_empty(field)
                } else {
                    Ok(())
                }
            });
            if let Err(message) = result {
                self.error.get_or_insert(CodegenError::Generate {
                    model: struct_name.clone(),
                    message,
                });
            }
            InlineText.visit_type_mut(&mut field.ty);
        }
        visit_mut::visit_field_mut(self, field);
    }

    fn visit_variant_mut(&mut self, variant: &mut syn::Variant) {
        // typify leaves the variants of an untagged union (`anyOf`) undocumented.
        if !variant.attrs.iter().any(|attr| attr.path().is_ident("doc")) {
            let doc = format!(" The `{}` shape of this value.", variant.ident);
            variant.attrs.insert(0, parse_quote!(#[doc = #doc]));
        }
        split_doc_attrs(&mut variant.attrs);
        visit_mut::visit_variant_mut(self, variant);
    }

    fn visit_type_mut(&mut self, ty: &mut Type) {
        if let Type::Path(path) = ty {
            if path.qself.is_none() && path.path.is_ident("f64") {
                *ty = parse_quote!(::serde_json::Number);
                return;
            }
        }
        visit_mut::visit_type_mut(self, ty);
    }
}

/// Replaces `String` with `credkit_runtime::Text` throughout a field's type (inside `Option`,
/// `Vec`, tuples and maps, keys included).
struct InlineText;

impl VisitMut for InlineText {
    fn visit_type_mut(&mut self, ty: &mut Type) {
        if is_string(ty) {
            *ty = parse_quote!(::credkit_runtime::Text);
            return;
        }
        visit_mut::visit_type_mut(self, ty);
    }
}

/// The segments of a plain type path joined by `::`, without a leading `::`
/// (`::std::string::String` → `std::string::String`); `None` for any other type.
fn path_text(ty: &Type) -> Option<String> {
    let Type::Path(path) = ty else {
        return None;
    };
    if path.qself.is_some() {
        return None;
    }
    let names: Vec<String> = path
        .path
        .segments
        .iter()
        .map(|segment| segment.ident.to_string())
        .collect();
    Some(names.join("::"))
}

/// Whether `ty` is `String` (as typify writes it, or bare).
fn is_string(ty: &Type) -> bool {
    matches!(
        path_text(ty).as_deref(),
        Some("std::string::String" | "String")
    )
}

/// A struct with fields that carry personal data (`x-credkit-pii`) gets a hand-made `Debug`
/// instead of the derived one: those fields print masked through
/// `credkit_runtime::pii::Redacted` (`张*`, `138****0000`), the others as usual.
///
/// `fields` is the bundle's side table by Rust struct name (see [`apply`]).
fn mask_personal_data(
    file: &mut syn::File,
    fields: &BTreeMap<String, BTreeMap<String, FieldInfo>>,
) -> Result<(), CodegenError> {
    use heck::ToPascalCase;
    let mut classes: BTreeMap<String, BTreeMap<String, String>> = fields
        .iter()
        .map(|(rust, fields)| {
            let pii: BTreeMap<String, String> = fields
                .iter()
                .filter_map(|(wire, info)| Some((wire.clone(), info.pii.clone()?)))
                .collect();
            (rust.clone(), pii)
        })
        .filter(|(_, pii)| !pii.is_empty())
        .collect();
    let mut impls = Vec::new();
    for item in &mut file.items {
        let syn::Item::Struct(item) = item else {
            continue;
        };
        let Some(pii) = classes.remove(&item.ident.to_string()) else {
            continue;
        };
        let syn::Fields::Named(fields) = &item.fields else {
            continue;
        };
        let ident = &item.ident;
        let name = ident.to_string();
        let entries = fields.named.iter().filter_map(|field| {
            let member = field.ident.as_ref()?;
            let label = member.to_string();
            Some(match pii.get(&wire_name(field)) {
                Some(class) => {
                    let class = quote::format_ident!("{}", class.to_pascal_case());
                    quote::quote! {
                        .field(#label, &::credkit_runtime::pii::Redacted::new(::credkit_runtime::pii::PiiClass::#class, &self.#member))
                    }
                }
                None => quote::quote!(.field(#label, &self.#member)),
            })
        });
        impls.push(parse_quote! {
            impl ::std::fmt::Debug for #ident {
                fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                    f.debug_struct(#name) #(#entries)* .finish()
                }
            }
        });
        for attr in &mut item.attrs {
            if !attr.path().is_ident("derive") {
                continue;
            }
            if let Ok(paths) =
                attr.parse_args_with(Punctuated::<syn::Path, Token![,]>::parse_terminated)
            {
                let kept = paths.into_iter().filter(|p| !p.is_ident("Debug"));
                *attr = parse_quote!(#[derive(#(#kept),*)]);
            }
        }
    }
    if let Some((rust, _)) = classes.into_iter().next() {
        return Err(CodegenError::Generate {
            model: rust,
            message: "personal-data fields declared, but typify generated no such struct".into(),
        });
    }
    file.items.extend(impls.into_iter().map(syn::Item::Impl));
    Ok(())
}

/// typify writes its own `ConversionError` into every module; all modules share the
/// runtime's instead, so that one error type serves every generated conversion.
fn share_conversion_error(file: &mut syn::File) {
    for item in &mut file.items {
        if let syn::Item::Mod(module) = item {
            if module.ident == "error" {
                *item = parse_quote! {
                    /// Error types.
                    pub mod error {
                        pub use ::credkit_runtime::ConversionError;
                    }
                };
            }
        }
    }
}

/// Splits every multi-line `#[doc]` into one attribute per line, each line starting with a
/// space, so that prettyplease prints `/// line` comments (not `/** */` blocks, not `///line`).
fn split_doc_attrs(attrs: &mut Vec<Attribute>) {
    let mut out = Vec::with_capacity(attrs.len());
    for attr in attrs.drain(..) {
        match doc_text_of(&attr) {
            Some(text) => {
                for line in text.split('\n') {
                    let line = line.trim_end();
                    let line = if line.is_empty() || line.starts_with(' ') {
                        line.to_owned()
                    } else {
                        format!(" {line}")
                    };
                    out.push(parse_quote!(#[doc = #line]));
                }
            }
            None => out.push(attr),
        }
    }
    *attrs = out;
}

fn doc_text_of(attr: &Attribute) -> Option<String> {
    match &attr.meta {
        Meta::NameValue(name_value) if name_value.path.is_ident("doc") => match &name_value.value {
            Expr::Lit(syn::ExprLit {
                lit: Lit::Str(text),
                ..
            }) => Some(text.value()),
            _ => None,
        },
        _ => None,
    }
}

fn serde_items(field: &Field) -> Option<(usize, Punctuated<Meta, Token![,]>)> {
    field.attrs.iter().enumerate().find_map(|(index, attr)| {
        if !attr.path().is_ident("serde") {
            return None;
        }
        attr.parse_args_with(Punctuated::<Meta, Token![,]>::parse_terminated)
            .ok()
            .map(|items| (index, items))
    })
}

fn string_value(meta: &Meta) -> Option<String> {
    match meta {
        Meta::NameValue(nv) => match &nv.value {
            Expr::Lit(syn::ExprLit {
                lit: Lit::Str(text),
                ..
            }) => Some(text.value()),
            _ => None,
        },
        _ => None,
    }
}

/// The key a field has on the wire: its `rename`, or its identifier.
pub(crate) fn wire_name(field: &Field) -> String {
    serde_items(field)
        .and_then(|(_, items)| {
            items
                .iter()
                .find(|meta| meta.path().is_ident("rename"))
                .and_then(string_value)
        })
        .unwrap_or_else(|| {
            field
                .ident
                .as_ref()
                .map(|ident| ident.to_string().trim_start_matches("r#").to_owned())
                .unwrap_or_default()
        })
}

/// Wraps the value type of a field (inside its `Option`s) in `credkit_runtime::PhpEmpty`, in the
/// field's type and in its `schemars(with = …)` type.
fn wrap_php_empty(field: &mut Field) -> Result<(), String> {
    fn wrap(ty: &mut Type) {
        if let Some((name, args)) = generic_head(ty) {
            if name == "Option" {
                if let Some(mut inner) = args.into_iter().next() {
                    wrap(&mut inner);
                    *ty = parse_quote!(::std::option::Option<#inner>);
                    return;
                }
            }
        }
        let inner = ty.clone();
        *ty = parse_quote!(::credkit_runtime::PhpEmpty<#inner>);
    }
    wrap(&mut field.ty);
    for attr in &mut field.attrs {
        if !attr.path().is_ident("schemars") {
            continue;
        }
        let Ok(Meta::NameValue(with)) = attr.parse_args::<Meta>() else {
            continue;
        };
        let Some(text) = string_value(&Meta::NameValue(with.clone())) else {
            continue;
        };
        let mut ty: Type =
            syn::parse_str(&text).map_err(|e| format!("schemars type `{text}`: {e}"))?;
        wrap(&mut ty);
        let text = quote::quote!(#ty).to_string();
        *attr = parse_quote!(#[schemars(with = #text)]);
    }
    Ok(())
}

/// The last path segment's name and its first generic argument, for `::a::b::Name<T, …>`.
fn generic_head(ty: &Type) -> Option<(String, Vec<Type>)> {
    let Type::Path(path) = ty else { return None };
    let last = path.path.segments.last()?;
    let args = match &last.arguments {
        syn::PathArguments::AngleBracketed(args) => args
            .args
            .iter()
            .filter_map(|arg| match arg {
                syn::GenericArgument::Type(ty) => Some(ty.clone()),
                _ => None,
            })
            .collect(),
        _ => Vec::new(),
    };
    Some((last.ident.to_string(), args))
}

/// The runtime's `deserialize_with` reader for an optional field whose value type is `ty`
/// (`credkit_runtime::Scalar`, or `String`, which becomes `credkit_runtime::Text`), if any.
fn optional_reader(ty: &Type) -> Option<&'static str> {
    if is_string(ty) {
        return Some("::credkit_runtime::serde_helpers::optional_text");
    }
    (path_text(ty).as_deref() == Some("credkit_runtime::Scalar"))
        .then_some("::credkit_runtime::serde_helpers::optional_scalar")
}

fn rewrite_field(field: &mut Field, info: &FieldInfo) -> Result<(), String> {
    let Some((attr_index, mut items)) = serde_items(field) else {
        // A required field without serde attributes: nothing typify defaulted, no alias.
        if info.aliases.is_empty() {
            return Ok(());
        }
        let aliases = &info.aliases;
        field
            .attrs
            .push(parse_quote!(#[serde(#(alias = #aliases),*)]));
        return Ok(());
    };
    let skip_if = items
        .iter()
        .find(|meta| meta.path().is_ident("skip_serializing_if"))
        .and_then(string_value);
    let head = generic_head(&field.ty);
    let mut schemars_with: Option<Type> = None;

    match (&head, skip_if.as_deref()) {
        // Optional collection: typify defaults it and skips it when empty.
        (Some((name, _)), Some(skip))
            if (name == "Vec" || name == "BTreeMap") && skip.ends_with("is_empty") =>
        {
            let inner = field.ty.clone();
            items = items
                .into_iter()
                .filter(|meta| {
                    !meta.path().is_ident("default") && !meta.path().is_ident("skip_serializing_if")
                })
                .collect();
            if info.nullable {
                field.ty = parse_quote!(::std::option::Option<::std::option::Option<#inner>>);
                items.push(parse_quote!(default));
                items.push(parse_quote!(
                    with = "::credkit_runtime::serde_helpers::double_option"
                ));
                schemars_with = Some(parse_quote!(::std::option::Option<#inner>));
            } else {
                field.ty = parse_quote!(::std::option::Option<#inner>);
            }
            items.push(parse_quote!(
                skip_serializing_if = "::std::option::Option::is_none"
            ));
        }
        // Optional value that may be `null`: keep absent and `null` apart.
        (Some((name, args)), Some(skip))
            if name == "Option" && skip.ends_with("Option::is_none") && info.nullable =>
        {
            let inner = args
                .first()
                .cloned()
                .ok_or("an Option without a type argument")?;
            field.ty = parse_quote!(::std::option::Option<::std::option::Option<#inner>>);
            items = items
                .into_iter()
                .filter(|meta| !meta.path().is_ident("default"))
                .collect();
            items.push(parse_quote!(default));
            items.push(parse_quote!(
                with = "::credkit_runtime::serde_helpers::double_option"
            ));
            schemars_with = Some(parse_quote!(::std::option::Option<#inner>));
        }
        // Optional scalar or text: read with one `deserialize_any` (`null` → `None`) instead of
        // serde's `deserialize_option` and then the value's own request; hundreds per report.
        // (`default` lets serde's derived `visit_seq` take a short array as the struct; the
        // runtime's parser refuses an array where a struct is asked for.)
        (Some((name, args)), Some(skip))
            if name == "Option" && skip.ends_with("Option::is_none") && !info.php_empty =>
        {
            if let Some(reader) = args.first().and_then(optional_reader) {
                if !items.iter().any(|meta| meta.path().is_ident("default")) {
                    items.push(parse_quote!(default));
                }
                items.push(parse_quote!(deserialize_with = #reader));
            }
        }
        _ => {}
    }
    for alias in &info.aliases {
        items.push(parse_quote!(alias = #alias));
    }
    field.attrs[attr_index] = parse_quote!(#[serde(#items)]);
    if let Some(with) = schemars_with {
        let with = quote::quote!(#with).to_string();
        field.attrs.push(parse_quote!(#[schemars(with = #with)]));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_and_spaces_doc_lines() {
        let mut attrs: Vec<Attribute> = vec![
            parse_quote!(#[doc = "a\n\nb\n c"]),
            parse_quote!(#[serde(default)]),
        ];
        split_doc_attrs(&mut attrs);
        let docs: Vec<Option<String>> = attrs.iter().map(doc_text_of).collect();
        assert_eq!(
            docs,
            vec![
                Some(" a".into()),
                Some("".into()),
                Some(" b".into()),
                Some(" c".into()),
                None
            ]
        );
    }
}
