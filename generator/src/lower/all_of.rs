//! `allOf` over any schemas. Objects merge into one struct (`compose`);
//! members that only annotate (a description, `nullable`, `readOnly`, a
//! default or example) merge into the one member that has substance,
//! whatever its type, so the common `allOf: [{$ref: Name}, {description}]`
//! is just `Name`; scalar members of one type merge; members that
//! contradict each other (an object and a string) are reported. Objects
//! beside one `oneOf`/`anyOf` of objects (a base and its variants)
//! distribute: a union whose every variant is the base merged with one
//! variant.

use super::compose::Merged;
use super::schema::Typed;
use super::view::{admits_only_null, SchemaRef, SchemaType, Substance, View};
use super::{Lowerer, NameCtx};
use crate::diagnostics::{Pointer, Reported};
use crate::ir::{TypeKind, TypeRef, Union, UnionVariant};
use openapiv3::{ReferenceOr, Schema};
use std::collections::BTreeSet;

/// The one `allOf` member that is a union of objects, to distribute, and
/// the object members beside it (through components that are themselves
/// such an `allOf`).
struct UnionMember<'a> {
    members: Vec<SchemaRef<'a>>,
    keyword: &'static str,
    /// Where the union's schema is (its members are under `keyword`).
    at: Pointer,
    /// Everything merged into each variant: members, and schemas whose own
    /// properties count (a component that is an `allOf` with properties).
    base: Vec<BasePart<'a>>,
}

enum BasePart<'a> {
    Member(SchemaRef<'a>, Pointer),
    Own(&'a Schema, Pointer),
}

/// Components that are a base and a union are followed this deep when
/// distributing (each level is walked twice, so this stays small).
const MAX_UNION_DEPTH: usize = 8;

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
    pub(super) fn says_nullable(&self, member: SchemaRef<'a>) -> bool {
        match member {
            SchemaRef::Item(schema) => View::of(schema).nullable,
            // An annotation written once and referred to elsewhere.
            SchemaRef::Ref(reference) => self.component_schema(reference).is_some_and(|s| View::of(s).nullable),
        }
    }

    /// The type of an `allOf` without properties of its own, unless its
    /// members are objects to merge into a struct (`Ok(None)`).
    pub(super) fn all_of_type(
        &mut self,
        view: &View<'a>,
        ctx: &NameCtx,
        at: &Pointer,
    ) -> Result<Option<Typed>, Reported> {
        // A base and a union of variants: `def_of` distributes it.
        if self.union_member(view, at).is_some() {
            return Ok(None);
        }
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

    /// The `allOf` member that is a `oneOf`/`anyOf` (inline or a component)
    /// when every other member is an object or an annotation: the shape
    /// `allOf: [Base, {oneOf: [A, B]}]`, also when the union sits in a
    /// component that is itself such an `allOf`.
    fn union_member(&self, view: &View<'a>, at: &Pointer) -> Option<UnionMember<'a>> {
        let mut found = None;
        let mut base = Vec::new();
        self.find_union(view, at, &mut found, &mut base, 0)?;
        let (members, keyword, union_at) = found?;
        // Nothing to merge into the variants (`allOf: [$ref Union]`, often
        // with `nullable`): the `allOf` is the union itself, lowered as a
        // reference to it, so a union whose variants refer to it this way
        // is not distributed into itself for ever.
        // (A member that only annotates, `{nullable: true}`, merges nothing.)
        let annotations_only = base.iter().all(
            |part| matches!(part, BasePart::Member(member, _) if self.substance(*member, 0) == Substance::Nothing),
        );
        if annotations_only && view.properties.is_empty() && view.additional.is_none() {
            return None;
        }
        Some(UnionMember { members, keyword, at: union_at, base })
    }

    /// Walks an `allOf`'s members: `None` when it has no distributable
    /// shape (two unions, or a member that is neither object nor union).
    #[allow(clippy::type_complexity)]
    fn find_union(
        &self,
        view: &View<'a>,
        at: &Pointer,
        found: &mut Option<(Vec<SchemaRef<'a>>, &'static str, Pointer)>,
        base: &mut Vec<BasePart<'a>>,
        depth: usize,
    ) -> Option<()> {
        if depth > MAX_UNION_DEPTH {
            return None;
        }
        for (index, member) in view.all_of.iter().enumerate() {
            let member_at = at.join("allOf").join(index);
            let (schema, schema_at) = match member {
                SchemaRef::Item(schema) => (*schema, member_at.clone()),
                SchemaRef::Ref(reference) => {
                    let key = reference.strip_prefix("#/components/schemas/")?;
                    (self.component_schema(reference)?, Pointer::root().join("components").join("schemas").join(key))
                }
            };
            let member_view = View::of(schema);
            let union = !member_view.one_of.is_empty() || !member_view.any_of.is_empty();
            if union && member_view.properties.is_empty() && member_view.all_of.is_empty() {
                if found.is_some() {
                    return None;
                }
                let (members, keyword) = if member_view.one_of.is_empty() {
                    (member_view.any_of, "anyOf")
                } else {
                    (member_view.one_of, "oneOf")
                };
                *found = Some((members, keyword, schema_at));
            } else if !member_view.all_of.is_empty() && self.union_inside(&member_view, depth + 1) {
                // A component that is a base and a union itself: its parts
                // join this `allOf`'s.
                self.find_union(&member_view, &schema_at, found, base, depth + 1)?;
                base.push(BasePart::Own(schema, schema_at));
            } else if matches!(self.substance(*member, 0), Substance::Object | Substance::Nothing) {
                base.push(BasePart::Member(*member, member_at));
            } else {
                return None;
            }
        }
        Some(())
    }

    /// Whether an `allOf` holds a union member, directly or through
    /// components.
    fn union_inside(&self, view: &View<'a>, depth: usize) -> bool {
        let mut found = None;
        let mut base = Vec::new();
        self.find_union(view, &Pointer::root(), &mut found, &mut base, depth).is_some() && found.is_some()
    }

    /// `allOf: [Base, {oneOf: [A, B]}]` as the union of `Base + A` and
    /// `Base + B`, or `None` when the `allOf` has no such shape.
    pub(super) fn distributed_all_of(
        &mut self,
        view: &View<'a>,
        ctx: &NameCtx,
        at: &Pointer,
    ) -> Option<Result<TypeKind, Reported>> {
        let union = self.union_member(view, at)?;
        Some(self.distribute(view, &union, ctx, at))
    }

    fn distribute(
        &mut self,
        view: &View<'a>,
        union: &UnionMember<'a>,
        ctx: &NameCtx,
        at: &Pointer,
    ) -> Result<TypeKind, Reported> {
        // A variant that holds (through a property) the same base-and-union
        // `allOf` would distribute it again inside itself, without end.
        let union_key = union.at.to_string();
        if self.distributing.contains(&union_key) {
            return Err(self.diags.error(
                &at.join("allOf"),
                format!("this `allOf` distributes the union at `{union_key}` into one of that union's own variants, which never ends; make the merged variant a component of its own"),
            ));
        }
        self.distributing.push(union_key);
        let built = self.distribute_variants(view, union, ctx, at);
        self.distributing.pop();
        built
    }

    fn distribute_variants(
        &mut self,
        view: &View<'a>,
        union: &UnionMember<'a>,
        ctx: &NameCtx,
        at: &Pointer,
    ) -> Result<TypeKind, Reported> {
        let mut variants = Vec::new();
        for (i, variant) in union.members.iter().enumerate().filter(|(_, m)| !admits_only_null(**m)) {
            let variant_at = union.at.join(union.keyword).join(i);
            let mut merged = Merged::default();
            let mut seen = BTreeSet::new();
            for part in &union.base {
                match part {
                    BasePart::Member(member, member_at) => {
                        self.merge_member(*member, member_at, &mut merged, &mut seen)?
                    }
                    BasePart::Own(schema, schema_at) => merged.add_own(&View::of(schema), schema_at),
                }
            }
            merged.add_own(view, at);
            self.merge_member(*variant, &variant_at, &mut merged, &mut seen)?;
            if let Some(again) = seen.iter().find(|key| self.merging.contains(key)) {
                return Err(self.diags.error(
                    &at.join("allOf"),
                    format!("`allOf` merges `{again}` into a type that `{again}` itself holds, which never ends; make the recursive part a component of its own"),
                ));
            }
            let variant_ctx = ctx.child(&variant_label(*variant, &union.members, i, &ctx.full()));
            let depth = self.merging.len();
            self.merging.extend(seen);
            let built = self.build_struct(merged, &variant_ctx);
            self.merging.truncate(depth);
            let id = self.inline_shape(TypeKind::Struct(built?), None, &variant_ctx, &variant_at);
            variants.push(UnionVariant {
                rust_name: String::new(),
                ty: TypeRef::Named(id),
                tags: Vec::new(),
                boxed: false,
                from: false,
            });
        }
        // Untagged: the variant with more required fields is tried first.
        variants.sort_by_key(|v| self.specificity(&v.ty, 0));
        Ok(TypeKind::Union(Union { variants, discriminator: None, unknown: None, variants_hold_tag: false }))
    }
}

/// A variant's name: the component it refers to, else what tells an inline
/// member apart (`member_label`: its `title`, a property it fixes to its
/// own value…), else its position.
fn variant_label(variant: SchemaRef<'_>, members: &[SchemaRef<'_>], index: usize, parent: &str) -> String {
    match variant {
        SchemaRef::Ref(reference) => reference.rsplit('/').next().unwrap_or_default().to_string(),
        SchemaRef::Item(_) => super::member_names::member_label(variant, members, index, parent),
    }
}
