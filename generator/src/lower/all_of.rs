//! `allOf` over any schemas. Objects merge into one struct (`compose`);
//! members that only annotate (a description, `nullable`, `readOnly`, a
//! default or example) merge into the one member that has substance,
//! whatever its type, so the common `allOf: [{$ref: Name}, {description}]`
//! is just `Name`; scalar members of one type merge; members that
//! contradict each other (an object and a string) are reported.

use super::schema::Typed;
use super::view::{SchemaRef, SchemaType, View};
use super::{Lowerer, NameCtx};
use crate::diagnostics::{Pointer, Reported};
use crate::ir::TypeRef;
use openapiv3::ReferenceOr;

/// What an `allOf` member contributes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Substance {
    /// Annotations only.
    Nothing,
    /// Properties: merged into a struct.
    Object,
    /// `type: string`, `integer`, `number` or `boolean` (with its
    /// constraints and format).
    Scalar(SchemaType<'static>),
    /// Anything else: a list, an enum, a union, `not`.
    Other,
}

impl Substance {
    fn describe(self) -> &'static str {
        match self {
            Substance::Nothing => "annotations",
            Substance::Object => "an object",
            Substance::Scalar(t) => t.name(),
            Substance::Other => "a list, enum or union",
        }
    }
}

/// Alias chains between components are followed this far (they may be
/// cyclic; cycles are reported elsewhere).
const MAX_REF_DEPTH: usize = 32;

impl<'a> Lowerer<'a> {
    /// What a member contributes, following `$ref`s to component schemas.
    pub(super) fn substance(&self, member: SchemaRef<'a>, depth: usize) -> Substance {
        match member {
            SchemaRef::Ref(reference) => {
                let key = reference.strip_prefix("#/components/schemas/").unwrap_or_default();
                let component = self.loaded.doc.components.as_ref().and_then(|c| c.schemas.get(key));
                match component {
                    Some(ReferenceOr::Item(schema)) if depth < MAX_REF_DEPTH => {
                        self.substance(SchemaRef::Item(schema), depth + 1)
                    }
                    Some(ReferenceOr::Reference { reference }) if depth < MAX_REF_DEPTH => {
                        self.substance(SchemaRef::Ref(reference), depth + 1)
                    }
                    // A dangling reference is reported when it is lowered.
                    _ => Substance::Other,
                }
            }
            SchemaRef::Item(schema) => {
                let view = View::of(schema);
                if !view.properties.is_empty() || view.additional.is_some() || view.typ == Some(SchemaType::Object) {
                    return Substance::Object;
                }
                if !view.all_of.is_empty() {
                    let members: Vec<Substance> = view
                        .all_of
                        .iter()
                        .map(|m| self.substance(*m, depth + 1))
                        .filter(|s| *s != Substance::Nothing)
                        .collect();
                    return match members.as_slice() {
                        [] => Substance::Nothing,
                        [one] => *one,
                        many if many.iter().all(|s| *s == Substance::Object) => Substance::Object,
                        _ => Substance::Other,
                    };
                }
                if view.has_not || !view.enum_values.is_empty() || !view.one_of.is_empty() || !view.any_of.is_empty() {
                    return Substance::Other;
                }
                match view.typ {
                    Some(SchemaType::String) => Substance::Scalar(SchemaType::String),
                    Some(SchemaType::Integer) => Substance::Scalar(SchemaType::Integer),
                    Some(SchemaType::Number) => Substance::Scalar(SchemaType::Number),
                    Some(SchemaType::Boolean) => Substance::Scalar(SchemaType::Boolean),
                    None if view.items.is_none() => Substance::Nothing,
                    _ => Substance::Other,
                }
            }
        }
    }

    /// Whether an annotation-only member (or a schema) says `nullable`.
    fn says_nullable(&self, member: SchemaRef<'a>) -> bool {
        matches!(member, SchemaRef::Item(schema) if View::of(schema).nullable)
    }

    /// The type of an `allOf` without properties of its own, unless its
    /// members are objects to merge into a struct (`Ok(None)`).
    pub(super) fn all_of_type(
        &mut self,
        view: &View<'a>,
        ctx: &NameCtx,
        at: &Pointer,
    ) -> Result<Option<Typed>, Reported> {
        let members: Vec<(usize, SchemaRef<'a>, Substance)> =
            view.all_of.iter().enumerate().map(|(i, m)| (i, *m, self.substance(*m, 0))).collect();
        let annotated_null = members.iter().any(|(_, m, s)| *s == Substance::Nothing && self.says_nullable(*m));
        let substantive: Vec<&(usize, SchemaRef<'a>, Substance)> =
            members.iter().filter(|(_, _, s)| *s != Substance::Nothing).collect();
        let nullable = view.nullable || annotated_null;
        let first = match substantive.as_slice() {
            [] => return Ok(Some(Typed { ty: TypeRef::Json, nullable })),
            [one] => *one,
            many if many.iter().all(|(_, _, s)| *s == Substance::Object) => return Ok(None),
            [first, rest @ ..] if matches!(first.2, Substance::Scalar(_)) && rest.iter().all(|m| m.2 == first.2) => {
                *first
            }
            many => {
                let kinds: Vec<&str> = many.iter().map(|(_, _, s)| s.describe()).collect();
                return Err(self.diags.error(
                    &at.join("allOf"),
                    format!(
                        "the members of this `allOf` contradict each other ({}); no value can be all of them",
                        kinds.join(", ")
                    ),
                ));
            }
        };
        let (index, member, _) = *first;
        let inner = self.type_of(member, ctx, &at.join("allOf").join(index))?;
        Ok(Some(Typed { ty: inner.ty, nullable: nullable || inner.nullable }))
    }
}
