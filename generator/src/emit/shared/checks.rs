//! The spec's constraints on one value, as check expressions over a `value`
//! binding (a reference), each a `Result<(), ValidationError>`: used by
//! `validate()` on structs and by request builders for parameters.

use crate::ir::{Constraints, FloatWidth, IntWidth, TypeRef};
use proc_macro2::{Literal, TokenStream};
use quote::quote;

pub(crate) fn constraint_checks(ty: &TypeRef, c: &Constraints, wire: &str) -> Vec<TokenStream> {
    let float = |v: f64| Literal::f64_unsuffixed(v);
    let bound = |v: Option<f64>, exclusive: bool| {
        v.map_or(quote! { None }, |v| {
            let v = float(v);
            quote! { Some((#v, #exclusive)) }
        })
    };
    let step = c.multiple_of.map_or(quote! { None }, |v| {
        let v = float(v);
        quote! { Some(#v) }
    });
    let count = |v: Option<usize>| {
        v.map_or(quote! { None }, |v| {
            let v = Literal::usize_unsuffixed(v);
            quote! { Some(#v) }
        })
    };
    let ranged = c.minimum.is_some() || c.maximum.is_some() || c.multiple_of.is_some();
    let mut checks = Vec::new();
    match ty {
        TypeRef::Number(_) | TypeRef::Integer(_) if ranged || matches!(ty, TypeRef::Number(_)) => {
            let (min, max) = (bound(c.minimum, c.exclusive_minimum), bound(c.maximum, c.exclusive_maximum));
            let value = as_f64(ty, quote! { *value });
            checks.push(quote! { crate::runtime::check_number(#wire, #value, #min, #max, #step) });
        }
        TypeRef::String if c.min_length.is_some() || c.max_length.is_some() => {
            let (min, max) = (count(c.min_length), count(c.max_length));
            checks.push(quote! { crate::runtime::check_count(#wire, value.chars().count(), #min, #max, "characters") });
        }
        TypeRef::List(_) if c.min_items.is_some() || c.max_items.is_some() => {
            let (min, max) = (count(c.min_items), count(c.max_items));
            checks.push(quote! { crate::runtime::check_count(#wire, value.len(), #min, #max, "items") });
        }
        _ => {}
    }
    // Each floating-point item must have a JSON form.
    if let TypeRef::List(item) = ty {
        if matches!(**item, TypeRef::Number(_)) {
            let value = as_f64(item, quote! { *item });
            checks.push(quote! {
                value.iter().try_for_each(|item| crate::runtime::check_number(#wire, #value, None, None, None))
            });
        }
    }
    checks
}

/// `value` (an expression of a numeric type) as `f64`.
fn as_f64(ty: &TypeRef, value: TokenStream) -> TokenStream {
    match ty {
        TypeRef::Number(FloatWidth::F64) => value,
        TypeRef::Integer(IntWidth::I64) => quote! { #value as f64 },
        _ => quote! { f64::from(#value) },
    }
}
