//! Rules over the lowered IR that leave out what cannot be generated, each
//! a named function with the reason it exists. They run before `decide`,
//! so every decision sees only what remains. Every rule runs on whatever lowering produced, even when
//! lowering reported problems elsewhere, so one run lists all it can. An
//! operation a rule rejects is left out with a warning, as lowering leaves
//! out what it cannot represent; the rest of the crate is generated.

use crate::diagnostics::{Diagnostics, Pointer};
use crate::ir::{Api, Style, TypeDef, TypeKind, TypeRef};
use std::collections::BTreeSet;

pub fn check(api: &mut Api, diags: &mut Diagnostics) {
    let mut rejected = BTreeSet::new();
    parameters_have_a_textual_form(api, diags, &mut rejected);
    if rejected.is_empty() {
        return;
    }
    for op in api.operations.iter().filter(|op| rejected.contains(&op.origin)) {
        diags.warning(
            &Pointer::from_ref(&op.origin),
            format!(
                "`{} {}` is left out of the client: it uses what the generator cannot represent (the warnings at this operation say what)",
                op.method.as_str(),
                op.path
            ),
        );
    }
    api.skipped_operations.extend(rejected.iter().cloned());
    api.skipped_operations.sort();
    api.operations.retain(|op| !rejected.contains(&op.origin));
}

/// Parameters are sent as text. Scalars, enums and lists of them have a
/// text form in every style; an object (of such values) has one in the
/// `form`, `simple` and `deepObject` styles; anything deeper only as JSON
/// text (`content: application/json`). A parameter without one cannot be
/// sent: an optional one is left out of its request builder, and an
/// operation that requires one is left out, rather than failing at run
/// time.
fn parameters_have_a_textual_form(api: &mut Api, diags: &mut Diagnostics, rejected: &mut BTreeSet<String>) {
    let types = &api.types;
    for op in &mut api.operations {
        let at = Pointer::from_ref(&op.origin).join("parameters");
        let origin = op.origin.clone();
        op.retain_params(|p| {
            let sendable = match p.style {
                Style::Json | Style::DeepObject => true,
                _ => is_textual(types, &p.ty, 0) || is_flat_object(types, &p.ty, 0),
            };
            if sendable {
                return true;
            }
            let what = format!(
                "{} parameter `{}` has no text form in its style (an object within an object, say; only `style: deepObject` or `content: application/json` could send it)",
                p.location.as_str(),
                p.wire_name
            );
            if p.required {
                diags.warning(&at, what);
                rejected.insert(origin.clone());
            } else {
                diags.warning(&at, format!("{what}; it is left out of the request"));
            }
            false
        });
    }
}

/// Alias chains are followed this far (cycles were broken when lowering).
const MAX_ALIAS_DEPTH: usize = 32;

/// A scalar, an enum, or a list of them.
fn is_textual(types: &[TypeDef], ty: &TypeRef, depth: usize) -> bool {
    match ty {
        TypeRef::String | TypeRef::Formatted(_) | TypeRef::Integer(_) | TypeRef::Number(_) | TypeRef::Boolean => true,
        // Unknown shape: checked at run time, where a scalar goes through.
        TypeRef::Json => true,
        TypeRef::List(inner) => is_scalar(types, inner, depth),
        // A null has no text form.
        TypeRef::JsonObject | TypeRef::Map(_) | TypeRef::Binary | TypeRef::Nullable(_) => false,
        TypeRef::Named(id) if depth < MAX_ALIAS_DEPTH => match &types[id.0].kind {
            TypeKind::Enum(_) => true,
            TypeKind::Alias(inner) => is_textual(types, inner, depth + 1),
            TypeKind::Union(u) => u.variants.iter().all(|v| is_textual(types, &v.ty, depth + 1)),
            TypeKind::Struct(_) => false,
        },
        TypeRef::Named(_) => false,
    }
}

fn is_scalar(types: &[TypeDef], ty: &TypeRef, depth: usize) -> bool {
    !matches!(ty, TypeRef::List(_)) && is_textual(types, ty, depth)
}

/// An object whose properties are textual: a struct, a map of such values,
/// or a JSON object (checked at run time).
fn is_flat_object(types: &[TypeDef], ty: &TypeRef, depth: usize) -> bool {
    match ty {
        TypeRef::JsonObject => true,
        TypeRef::Map(value) => is_textual(types, value, 0),
        TypeRef::Named(id) if depth < MAX_ALIAS_DEPTH => match &types[id.0].kind {
            TypeKind::Struct(s) => {
                s.fields.iter().all(|f| is_textual(types, &f.ty, 0))
                    && s.additional.as_ref().is_none_or(|a| is_textual(types, &a.ty, 0))
            }
            TypeKind::Alias(inner) => is_flat_object(types, inner, depth + 1),
            TypeKind::Enum(_) | TypeKind::Union(_) => false,
        },
        _ => false,
    }
}
