//! Printing helpers every emitter uses: how a type reference is spelled,
//! descriptions as rustdoc, and the checks of the spec's constraints.

pub mod checks;
pub mod docs;
mod pattern;
pub mod samples;

use crate::ir::{Api, Body, FloatWidth, Format, TypeRef};
use proc_macro2::TokenStream;
use quote::{format_ident, quote};

/// Where a named type is referred to from.
#[derive(Debug, Clone, Copy)]
pub(crate) enum TypePath<'a> {
    /// Inside `types.rs`: the bare name.
    Local,
    /// Inside `client.rs`, which imports `crate::types`: `types::Name`.
    Module,
    /// From another crate whose library name is given: `name::types::Name`.
    External(&'a str),
}

/// The Rust type of a type reference, named as seen from `path`.
pub(crate) fn rust_type(api: &Api, ty: &TypeRef, path: TypePath) -> TokenStream {
    // What the crate's root re-exports, as seen from `path`.
    let from_root = |item: TokenStream| match path {
        TypePath::Local | TypePath::Module => {
            let root = root(api);
            quote! { #root::#item }
        }
        TypePath::External(krate) => {
            let krate = format_ident!("{}", krate);
            quote! { #krate::#item }
        }
    };
    match ty {
        TypeRef::Named(id) => {
            let ident = format_ident!("{}", api.ty(*id).name);
            match path {
                TypePath::Local => quote! { #ident },
                TypePath::Module => quote! { types::#ident },
                TypePath::External(krate) => {
                    let krate = format_ident!("{}", krate);
                    quote! { #krate::types::#ident }
                }
            }
        }
        TypeRef::String => quote! { String },
        // The crate's own dependency inside it, its re-export outside.
        TypeRef::Formatted(Format::Uuid) if !matches!(path, TypePath::External(_)) => quote! { uuid::Uuid },
        TypeRef::Formatted(Format::Uuid) => from_root(quote! { uuid::Uuid }),
        TypeRef::Formatted(Format::DateTime) => from_root(quote! { DateTime }),
        TypeRef::Formatted(Format::Date) => from_root(quote! { Date }),
        TypeRef::Formatted(Format::Ipv4) => quote! { std::net::Ipv4Addr },
        TypeRef::Formatted(Format::Ipv6) => quote! { std::net::Ipv6Addr },
        TypeRef::Integer(width) => {
            let name = format_ident!("{}", width.rust_name());
            quote! { #name }
        }
        TypeRef::Number(FloatWidth::F32) => quote! { f32 },
        TypeRef::Number(FloatWidth::F64) => quote! { f64 },
        TypeRef::Boolean => quote! { bool },
        TypeRef::Json => quote! { serde_json::Value },
        TypeRef::JsonObject => quote! { serde_json::Map<String, serde_json::Value> },
        TypeRef::Binary => from_root(quote! { Binary }),
        TypeRef::List(inner) => {
            let inner = rust_type(api, inner, path);
            quote! { Vec<#inner> }
        }
        TypeRef::Map(inner) => {
            let inner = rust_type(api, inner, path);
            quote! { std::collections::BTreeMap<String, #inner> }
        }
        TypeRef::Nullable(inner) => {
            let inner = rust_type(api, inner, path);
            quote! { Option<#inner> }
        }
    }
}

/// The type a request holds its body as (in `client.rs`): the choice enum
/// when the operation accepts several media kinds, else the one content's.
pub(crate) fn body_type(api: &Api, body: &Body) -> TokenStream {
    match &body.choice {
        Some(name) => {
            let ident = format_ident!("{}", name);
            quote! { #ident }
        }
        None => rust_type(api, &body.default_content().ty, TypePath::Module),
    }
}

/// `#[cfg(…)]` for something the cargo features `features` compile (any of
/// them); nothing when it is always compiled.
pub(crate) fn cfg_attr(features: &[String]) -> Option<TokenStream> {
    match features {
        [] => None,
        [one] => Some(quote! { #[cfg(feature = #one)] }),
        many => Some(quote! { #[cfg(any(#(feature = #many),*))] }),
    }
}

/// The `#[cfg(…)]` of code that only a crate using the runtime's `part`
/// has (empty when it always does), `None` when it does not use it.
pub(crate) fn part_cfg(api: &crate::ir::Api, part: crate::ir::RuntimePart) -> Option<TokenStream> {
    let gate = api.crate_shape.runtime_parts.get(&part)?;
    if crate::runtime::always(gate) {
        return Some(TokenStream::new());
    }
    Some(cfg_of(&crate::runtime::predicate(gate)))
}

/// `#[cfg(predicate)]` for a predicate the runtime's gates wrote.
pub(crate) fn cfg_of(predicate: &str) -> TokenStream {
    let predicate: TokenStream = predicate.parse().expect("a cfg predicate parses");
    quote! { #[cfg(#predicate)] }
}

/// `tokens` gated by `features`: an inner `#![cfg(…)]` first, which the
/// renderer puts on every item of the stream (one attribute here instead of
/// one per `impl` in every emitter).
pub(crate) fn gated(features: &[String], tokens: TokenStream) -> TokenStream {
    match features {
        [] => tokens,
        [one] => quote! { #![cfg(feature = #one)] #tokens },
        many => quote! { #![cfg(any(#(feature = #many),*))] #tokens },
    }
}

/// The path of the client's root as its items name it: `crate`, or the
/// module's path (`crate::api`) when another crate includes the client.
pub(crate) fn root(api: &Api) -> TokenStream {
    let segments = api.crate_shape.target.root().split("::").map(|s| format_ident!("{}", s.trim()));
    quote! { #(#segments)::* }
}
