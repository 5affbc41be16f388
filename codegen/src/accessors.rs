//! Typed accessors beside the raw fields: for every property that declares an
//! `x-credkit-format`, and for every drift-tolerant property documented as an integer, number
//! or boolean, a method `<field>_value()` that reads the raw value (kept as received for the
//! lossless round trip) as the declared or documented type. A value that does not fit is an
//! error value naming the field — never a panic, never a silent zero.

use std::collections::BTreeSet;

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use crate::bundle::Bundle;
use crate::names::RustNames;
use crate::CodegenError;

/// The runtime reader and value type of a format.
fn format_reader(format: &str) -> Option<(&'static str, &'static str)> {
    Some(match format {
        "amount" => ("amount", "Amount"),
        "count" => ("count", "Count"),
        "percent" => ("percent", "Percent"),
        "date" => ("date", "Date"),
        "datetime" => ("datetime", "DateTime"),
        "month-status" => ("month_status", "MonthStatus"),
        "month-status-24" => ("month_status_24", "MonthStatus24"),
        _ => return None,
    })
}

/// The `impl` blocks with the accessors of every struct of a bundle.
pub fn generate(bundle: &Bundle, names: &RustNames) -> Result<TokenStream, CodegenError> {
    let mut out = TokenStream::new();
    for (definition, fields) in &bundle.types {
        let Some(rust) = names.type_name(definition) else {
            continue;
        };
        let taken: BTreeSet<String> = fields
            .keys()
            .filter_map(|wire| names.field_name(rust, wire).map(str::to_owned))
            .collect();
        let mut methods = Vec::new();
        for (wire, info) in fields {
            let Some(field) = names.field_name(rust, wire) else {
                continue;
            };
            let member = format_ident!("{}", field);
            let base = field.trim_end_matches('_');
            let mut accessor = format!("{base}_value");
            if taken.contains(&accessor) {
                accessor = format!("{base}_typed");
            }
            let accessor = format_ident!("{}", accessor);
            let method = if let Some(format) = info.format.as_deref() {
                let (reader, value) =
                    format_reader(format).ok_or_else(|| CodegenError::Generate {
                        model: rust.to_owned(),
                        message: format!("`{wire}`: unknown format `{format}`"),
                    })?;
                let reader = format_ident!("{}", reader);
                let value = format_ident!("{}", value);
                let doc = format!(
                    " `{wire}` read as `{format}` (`x-credkit-format`): `Ok(None)` when absent or a placeholder such as `--`; an error naming the field, the format and the text when it does not fit."
                );
                quote! {
                    #[doc = #doc]
                    pub fn #accessor(&self) -> ::std::result::Result<::std::option::Option<::credkit_runtime::format::#value>, ::credkit_runtime::format::FormatError> {
                        ::credkit_runtime::format::field::#reader(#wire, &self.#member)
                    }
                }
            } else if let Some(documented @ ("integer" | "number" | "boolean")) =
                info.drift.as_deref()
            {
                let (reader, value) = match documented {
                    "integer" => (quote!(integer), quote!(i64)),
                    "number" => (quote!(number), quote!(::serde_json::Number)),
                    _ => (quote!(boolean), quote!(bool)),
                };
                let doc = format!(
                    " `{wire}` read as the documented {documented}: the raw value is kept as received (the vendor may send another scalar kind); an error naming the field when it cannot be read."
                );
                quote! {
                    #[doc = #doc]
                    pub fn #accessor(&self) -> ::std::result::Result<::std::option::Option<#value>, ::credkit_runtime::ScalarError> {
                        ::credkit_runtime::drift::#reader(#wire, &self.#member)
                    }
                }
            } else {
                continue;
            };
            methods.push(method);
        }
        if methods.is_empty() {
            continue;
        }
        let ident = format_ident!("{}", rust);
        out.extend(quote! {
            impl #ident {
                #(#methods)*
            }
        });
    }
    Ok(out)
}
