//! The key by which identical inline types are shared: everything lowering
//! knows about a type's shape (wire and Rust names, types, presence,
//! constraints, variants), docs and decisions aside. Numbers compare by
//! their bits, so the key is hashable and two keys are equal only when the
//! shapes are.

use crate::ir::{Constraints, Presence, TypeKind, TypeRef};

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(super) enum ShapeKey {
    Struct { fields: Vec<FieldKey>, constructor: Vec<String>, additional: Option<(String, TypeRef)> },
    Enum { variants: Vec<(String, String)>, catch_all: String },
    Union { variants: Vec<(String, TypeRef, Vec<String>)>, discriminator: Option<String> },
    Alias(TypeRef),
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(super) struct FieldKey {
    rust_name: String,
    wire_name: String,
    ty: TypeRef,
    presence: Presence,
    read_only: bool,
    constraints: ConstraintsKey,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
struct ConstraintsKey {
    /// `minimum`, `maximum` and `multipleOf`, as bits.
    numbers: [Option<u64>; 3],
    exclusive: (bool, bool),
    /// `minItems`, `maxItems`, `minLength`, `maxLength`.
    counts: [Option<usize>; 4],
    format: Option<String>,
    default: Option<String>,
}

impl ConstraintsKey {
    fn of(c: &Constraints) -> Self {
        let bits = |v: Option<f64>| v.map(f64::to_bits);
        ConstraintsKey {
            numbers: [bits(c.minimum), bits(c.maximum), bits(c.multiple_of)],
            exclusive: (c.exclusive_minimum, c.exclusive_maximum),
            counts: [c.min_items, c.max_items, c.min_length, c.max_length],
            format: c.format.clone(),
            default: c.default.clone(),
        }
    }
}

impl ShapeKey {
    pub(super) fn of(kind: &TypeKind) -> Self {
        match kind {
            TypeKind::Struct(s) => ShapeKey::Struct {
                fields: s
                    .fields
                    .iter()
                    .map(|f| FieldKey {
                        rust_name: f.rust_name.clone(),
                        wire_name: f.wire_name.clone(),
                        ty: f.ty.clone(),
                        presence: f.presence,
                        read_only: f.read_only,
                        constraints: ConstraintsKey::of(&f.constraints),
                    })
                    .collect(),
                constructor: s.constructor.clone(),
                additional: s.additional.as_ref().map(|a| (a.rust_name.clone(), a.ty.clone())),
            },
            TypeKind::Enum(e) => ShapeKey::Enum {
                variants: e.variants.iter().map(|v| (v.rust_name.clone(), v.wire.clone())).collect(),
                catch_all: e.catch_all.clone(),
            },
            TypeKind::Union(u) => ShapeKey::Union {
                variants: u.variants.iter().map(|v| (v.rust_name.clone(), v.ty.clone(), v.tags.clone())).collect(),
                discriminator: u.discriminator.clone(),
            },
            TypeKind::Alias(ty) => ShapeKey::Alias(ty.clone()),
        }
    }
}
