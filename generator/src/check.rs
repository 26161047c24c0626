//! Rules over the decided IR, each a named function with the reason it
//! exists. Every rule runs on whatever lowering produced, even when
//! lowering reported problems elsewhere, so one run lists all it can.

use crate::diagnostics::{Diagnostics, Pointer};
use crate::ir::{Api, TypeKind, TypeRef};

pub fn check(api: &Api, diags: &mut Diagnostics) {
    parameters_have_a_textual_form(api, diags);
}

/// Path, query and header parameters are sent as text. Scalars, enums and
/// arrays of them have one; objects would need `style: deepObject` or
/// similar, which the client does not implement, so they are refused here
/// rather than failing at run time.
fn parameters_have_a_textual_form(api: &Api, diags: &mut Diagnostics) {
    for op in &api.operations {
        for p in &op.params {
            let element = match &p.ty {
                TypeRef::List(inner) => inner.as_ref(),
                other => other,
            };
            if !is_textual(api, element) {
                let at = Pointer::from_ref(&op.origin).join("parameters");
                diags.error(
                    &at,
                    format!(
                        "{} parameter `{}` is an object; object-valued parameters are not supported",
                        p.location.as_str(),
                        p.wire_name
                    ),
                );
            }
        }
    }
}

fn is_textual(api: &Api, ty: &TypeRef) -> bool {
    match ty {
        TypeRef::String | TypeRef::Integer(_) | TypeRef::Number(_) | TypeRef::Boolean => true,
        // Unknown shape: checked at run time, where a scalar goes through.
        TypeRef::Json => true,
        TypeRef::JsonObject | TypeRef::Map(_) | TypeRef::List(_) => false,
        TypeRef::Named(id) => match &api.ty(*id).kind {
            TypeKind::Enum(_) => true,
            TypeKind::Alias(inner) => is_textual(api, inner),
            TypeKind::Union(u) => u.variants.iter().all(|v| match &v.ty {
                TypeRef::List(inner) => is_textual(api, inner),
                other => is_textual(api, other),
            }),
            TypeKind::Struct(_) => false,
        },
    }
}
