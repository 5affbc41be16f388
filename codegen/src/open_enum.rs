//! Code tables (`x-credkit-open-enum`): an enum with one variant per documented code, the
//! HTTP status and description the document pairs with it, and an `Other` case that keeps any
//! code no document lists, so a new vendor code never breaks parsing.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use crate::bundle::{pascal, Code, OpenEnum};

fn variant_name(code: &Code, index: usize, integer: bool) -> String {
    if let Some(explicit) = &code.variant {
        return explicit.clone();
    }
    match code.value.as_str() {
        Some(text)
            if !integer && text.is_ascii() && text.chars().any(|c| c.is_ascii_alphabetic()) =>
        {
            pascal(text)
        }
        _ => match code.value.as_i64() {
            Some(number) if number >= 0 => format!("Code{number}"),
            Some(number) => format!("CodeMinus{}", number.unsigned_abs()),
            None => format!("Code{index}"),
        },
    }
}

fn variant_doc(code: &Code) -> String {
    let mut parts = vec![format!("`{}`: {}", code.value, code.description)];
    if let Some(gloss) = &code.gloss {
        parts.push(gloss.clone());
    }
    if let Some(status) = code.http_status {
        parts.push(format!("HTTP status {status}."));
    }
    parts
        .join("\n\n")
        .split('\n')
        .map(|line| {
            if line.is_empty() {
                String::new()
            } else {
                format!(" {line}")
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// The Rust variant name of each code, in order: `x-credkit-variant`, else the text code in
/// PascalCase, else `Code<n>`; a clash with `Other` or an earlier name gets a `_` suffix.
pub fn variant_names(table: &OpenEnum) -> Vec<String> {
    let mut names: Vec<String> = Vec::new();
    for (index, code) in table.codes.iter().enumerate() {
        let mut candidate = variant_name(code, index, table.integer);
        while candidate == "Other" || names.contains(&candidate) {
            candidate.push('_');
        }
        names.push(candidate);
    }
    names
}

/// The Rust code of one code table.
pub fn generate(table: &OpenEnum) -> TokenStream {
    let name = format_ident!("{}", table.name);
    let names = variant_names(table);
    let variants: Vec<_> = names.iter().map(|n| format_ident!("{}", n)).collect();
    let docs: Vec<String> = table.codes.iter().map(variant_doc).collect();
    let descriptions: Vec<&str> = table.codes.iter().map(|c| c.description.as_str()).collect();
    let statuses: Vec<TokenStream> = table
        .codes
        .iter()
        .map(|c| match c.http_status {
            Some(status) => quote!(::std::option::Option::Some(#status)),
            None => quote!(::std::option::Option::None),
        })
        .collect();
    let type_doc = table
        .doc
        .split('\n')
        .map(|line| {
            if line.is_empty() {
                String::new()
            } else {
                format!(" {line}")
            }
        })
        .collect::<Vec<_>>()
        .join("\n");
    let type_doc_note = " A code table: documented codes are variants; a code no document lists is kept in\n `Other` exactly as received.";

    let (other_ty, wire_methods, conversions, serde_impls, schema_type) = if table.integer {
        let values: Vec<i64> = table
            .codes
            .iter()
            .filter_map(|c| c.value.as_i64())
            .collect();
        (
            quote!(i64),
            quote! {
                /// The code as the vendor sends it.
                pub fn code(&self) -> i64 {
                    match self {
                        #(Self::#variants => #values,)*
                        Self::Other(code) => *code,
                    }
                }
            },
            quote! {
                impl ::std::convert::From<i64> for #name {
                    fn from(code: i64) -> Self {
                        match code {
                            #(#values => Self::#variants,)*
                            other => Self::Other(other),
                        }
                    }
                }
                impl ::std::fmt::Display for #name {
                    fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                        ::std::fmt::Display::fmt(&self.code(), f)
                    }
                }
            },
            quote! {
                impl ::serde::Serialize for #name {
                    fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> ::std::result::Result<S::Ok, S::Error> {
                        serializer.serialize_i64(self.code())
                    }
                }
                impl<'de> ::serde::Deserialize<'de> for #name {
                    fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> ::std::result::Result<Self, D::Error> {
                        <i64 as ::serde::Deserialize>::deserialize(deserializer).map(Self::from)
                    }
                }
            },
            quote!(::schemars::schema::InstanceType::Integer),
        )
    } else {
        let values: Vec<&str> = table
            .codes
            .iter()
            .filter_map(|c| c.value.as_str())
            .collect();
        (
            quote!(::std::string::String),
            quote! {
                /// The code as the vendor sends it.
                pub fn as_str(&self) -> &str {
                    match self {
                        #(Self::#variants => #values,)*
                        Self::Other(code) => code.as_str(),
                    }
                }
            },
            quote! {
                impl ::std::convert::From<&str> for #name {
                    fn from(code: &str) -> Self {
                        match code {
                            #(#values => Self::#variants,)*
                            other => Self::Other(other.to_owned()),
                        }
                    }
                }
                impl ::std::convert::From<::std::string::String> for #name {
                    fn from(code: ::std::string::String) -> Self {
                        match Self::from(code.as_str()) {
                            Self::Other(_) => Self::Other(code),
                            documented => documented,
                        }
                    }
                }
                impl ::std::fmt::Display for #name {
                    fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                        f.write_str(self.as_str())
                    }
                }
            },
            quote! {
                impl ::serde::Serialize for #name {
                    fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> ::std::result::Result<S::Ok, S::Error> {
                        serializer.serialize_str(self.as_str())
                    }
                }
                impl<'de> ::serde::Deserialize<'de> for #name {
                    fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> ::std::result::Result<Self, D::Error> {
                        <::std::string::String as ::serde::Deserialize>::deserialize(deserializer).map(Self::from)
                    }
                }
            },
            quote!(::schemars::schema::InstanceType::String),
        )
    };
    let schema_description = table.doc.clone();
    let schema_name = table.name.clone();

    quote! {
        #[doc = #type_doc]
        #[doc = ""]
        #[doc = #type_doc_note]
        #[derive(Debug, Clone, PartialEq, Eq, Hash)]
        pub enum #name {
            #(
                #[doc = #docs]
                #variants,
            )*
            /// A code that no document lists, exactly as received.
            Other(#other_ty),
        }

        impl #name {
            /// Every documented code, in document order.
            pub const DOCUMENTED: &'static [Self] = &[#(Self::#variants),*];

            #wire_methods

            /// The HTTP status the vendor's document pairs with this code, if it gives one.
            pub fn http_status(&self) -> ::std::option::Option<u16> {
                match self {
                    #(Self::#variants => #statuses,)*
                    Self::Other(_) => ::std::option::Option::None,
                }
            }

            /// The vendor's description of this code; `None` for undocumented codes.
            pub fn description(&self) -> ::std::option::Option<&'static str> {
                match self {
                    #(Self::#variants => ::std::option::Option::Some(#descriptions),)*
                    Self::Other(_) => ::std::option::Option::None,
                }
            }

            /// Whether a document lists this code.
            pub fn is_documented(&self) -> bool {
                !matches!(self, Self::Other(_))
            }
        }

        #conversions
        #serde_impls

        impl ::schemars::JsonSchema for #name {
            fn schema_name() -> ::std::string::String {
                #schema_name.to_owned()
            }
            fn json_schema(_: &mut ::schemars::gen::SchemaGenerator) -> ::schemars::schema::Schema {
                ::schemars::schema::Schema::Object(::schemars::schema::SchemaObject {
                    instance_type: ::std::option::Option::Some(#schema_type.into()),
                    metadata: ::std::option::Option::Some(::std::boxed::Box::new(::schemars::schema::Metadata {
                        description: ::std::option::Option::Some(#schema_description.to_owned()),
                        ..::std::default::Default::default()
                    })),
                    ..::std::default::Default::default()
                })
            }
        }
    }
}
