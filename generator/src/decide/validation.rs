//! What is checked before a request is sent: the one constraint plan
//! ([`plan`]) for fields and parameters, and which types get a
//! `validate()` that the client calls.

use crate::ir::{Api, Check, Constraints, TypeKind, TypeRef};

/// The checks a value of type `ty` gets from its constraints. Only what a
/// value of that type can break is checked (a `minLength` on a number
/// checks nothing); `format` and `default` are documentation. Every
/// floating-point value is checked: NaN and infinity have no JSON form.
pub(super) fn plan(ty: &TypeRef, c: &Constraints) -> Vec<Check> {
    let mut checks = Vec::new();
    let ranged = c.minimum.is_some() || c.maximum.is_some() || c.multiple_of.is_some();
    match ty {
        TypeRef::Number(_) | TypeRef::Integer(_) if ranged || matches!(ty, TypeRef::Number(_)) => {
            checks.push(Check::Number {
                minimum: c.minimum.map(|v| (v, c.exclusive_minimum)),
                maximum: c.maximum.map(|v| (v, c.exclusive_maximum)),
                step: c.multiple_of,
            })
        }
        TypeRef::String if c.min_length.is_some() || c.max_length.is_some() => {
            checks.push(Check::Length { min: c.min_length, max: c.max_length })
        }
        TypeRef::List(_) if c.min_items.is_some() || c.max_items.is_some() => {
            checks.push(Check::Items { min: c.min_items, max: c.max_items })
        }
        _ => {}
    }
    if matches!(ty, TypeRef::List(item) if matches!(**item, TypeRef::Number(_))) {
        checks.push(Check::FiniteItems);
    }
    checks
}

/// Structs that requests carry and that check something, on a field or in
/// a nested struct (directly or in a list).
pub(super) fn mark_validating(api: &mut Api) {
    let mut validating: Vec<bool> = api
        .types
        .iter()
        .map(|t| match &t.kind {
            TypeKind::Struct(s) if t.in_requests => s.fields.iter().any(|f| !f.repr.checks.is_empty()),
            _ => false,
        })
        .collect();
    loop {
        let mut changed = false;
        for (i, t) in api.types.iter().enumerate() {
            let TypeKind::Struct(s) = &t.kind else { continue };
            if validating[i] || !t.in_requests {
                continue;
            }
            if s.fields.iter().any(|f| nested_named(&f.ty).is_some_and(|n| validating[n])) {
                validating[i] = true;
                changed = true;
            }
        }
        if !changed {
            break;
        }
    }
    for (def, validates) in api.types.iter_mut().zip(validating) {
        def.validates = validates;
    }
}

/// The named type a field's value is, or holds in a list.
pub(crate) fn nested_named(ty: &TypeRef) -> Option<usize> {
    match ty {
        TypeRef::Named(id) => Some(id.0),
        TypeRef::List(inner) => match inner.as_ref() {
            TypeRef::Named(id) => Some(id.0),
            _ => None,
        },
        _ => None,
    }
}
