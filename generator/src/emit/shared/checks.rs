//! The decided checks of one value ([`Check`]), as expressions over a
//! `value` binding (a reference), each a `Result<(), ValidationError>`:
//! used by `validate()` on structs and by request builders for parameters.

use crate::ir::{Check, FloatWidth, IntWidth, TypeRef};
use proc_macro2::{Literal, TokenStream};
use quote::quote;

pub(crate) fn constraint_checks(root: &TokenStream, ty: &TypeRef, checks: &[Check], wire: &str) -> Vec<TokenStream> {
    let float = |v: f64| Literal::f64_unsuffixed(v);
    let bound = |v: Option<(f64, bool)>| {
        v.map_or(quote! { None }, |(v, exclusive)| {
            let v = float(v);
            quote! { Some((#v, #exclusive)) }
        })
    };
    let count = |v: Option<usize>| {
        v.map_or(quote! { None }, |v| {
            let v = Literal::usize_unsuffixed(v);
            quote! { Some(#v) }
        })
    };
    checks
        .iter()
        .map(|check| match check {
            Check::Number { minimum, maximum, step } => {
                let (min, max) = (bound(*minimum), bound(*maximum));
                let step = step.map_or(quote! { None }, |v| {
                    let v = float(v);
                    quote! { Some(#v) }
                });
                let value = as_f64(ty, quote! { *value });
                quote! { #root::runtime::check_number(#wire, #value, #min, #max, #step) }
            }
            Check::Length { min, max } => {
                let (min, max) = (count(*min), count(*max));
                quote! { #root::runtime::check_count(#wire, value.chars().count(), #min, #max, "characters") }
            }
            Check::Items { min, max } => {
                let (min, max) = (count(*min), count(*max));
                quote! { #root::runtime::check_count(#wire, value.len(), #min, #max, "items") }
            }
            Check::FiniteItems => {
                let item = match ty {
                    TypeRef::List(item) => item.as_ref(),
                    other => other,
                };
                let value = as_f64(item, quote! { *item });
                quote! {
                    value.iter().try_for_each(|item| #root::runtime::check_number(#wire, #value, None, None, None))
                }
            }
        })
        .collect()
}

/// `value` (an expression of a numeric type) as `f64`.
fn as_f64(ty: &TypeRef, value: TokenStream) -> TokenStream {
    match ty {
        TypeRef::Number(FloatWidth::F64) => value,
        TypeRef::Integer(IntWidth::I64 | IntWidth::U64) => quote! { #value as f64 },
        _ => quote! { f64::from(#value) },
    }
}
