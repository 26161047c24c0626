//! Which types requests carry: those get `validate()` and setters, and
//! their `readOnly` properties are never sent.

use crate::ir::{Api, TypeId, TypeKind, TypeRef};
use std::collections::BTreeSet;

/// Marks every type a request body or parameter can carry, directly or
/// nested.
pub(super) fn mark_request_types(api: &mut Api) {
    let mut stack: Vec<TypeId> = Vec::new();
    for op in &api.operations {
        for content in op.body.iter().flat_map(|b| &b.contents) {
            push_named(&content.ty, &mut stack);
        }
        for param in &op.params {
            push_named(&param.ty, &mut stack);
        }
    }
    let mut sent = BTreeSet::new();
    while let Some(id) = stack.pop() {
        if !sent.insert(id) {
            continue;
        }
        match &api.types[id.0].kind {
            TypeKind::Struct(s) => {
                for field in &s.fields {
                    push_named(&field.ty, &mut stack);
                }
                if let Some(additional) = &s.additional {
                    push_named(&additional.ty, &mut stack);
                }
            }
            TypeKind::Union(u) => u.variants.iter().for_each(|v| push_named(&v.ty, &mut stack)),
            TypeKind::Alias(ty) => push_named(ty, &mut stack),
            TypeKind::Enum(_) => {}
        }
    }
    for id in sent {
        api.types[id.0].in_requests = true;
    }
}

/// The named type a value holds, through lists and maps.
fn push_named(ty: &TypeRef, stack: &mut Vec<TypeId>) {
    let mut ty = ty;
    while let TypeRef::List(inner) | TypeRef::Map(inner) = ty {
        ty = inner;
    }
    if let TypeRef::Named(id) = ty {
        stack.push(*id);
    }
}
