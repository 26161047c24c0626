//! Which types get a `validate()` that the client calls before sending.

use crate::ir::{Api, TypeKind, TypeRef};

/// Structs that requests carry and that have a checkable constraint (or a
/// floating-point value), on a field or in a nested struct (directly or in
/// a list).
pub(super) fn mark_validating(api: &mut Api) {
    let mut validating: Vec<bool> = api
        .types
        .iter()
        .map(|t| match &t.kind {
            TypeKind::Struct(s) if t.in_requests => s.fields.iter().any(|f| f.constraints.is_checkable(&f.ty)),
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
