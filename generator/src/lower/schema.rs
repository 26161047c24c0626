//! Schemas → types. `type_of` answers "what Rust type does this position
//! have", allocating inline types as it goes; `def_of` builds the body of a
//! struct, enum or union.

use super::view::{SchemaRef, View};
use super::{Lowerer, NameCtx, Naming};
use crate::diagnostics::Pointer;
use crate::ir::{
    Constraints, EnumVariant, Field, FloatWidth, IntWidth, Presence, StringEnum, Struct, TypeId, TypeKind, TypeRef,
    Union, UnionVariant,
};
use crate::naming;
use openapiv3::{AdditionalProperties, ReferenceOr, Schema};
use serde_json::Value;
use std::collections::BTreeSet;

/// The type of one schema position, and whether it admits `null`.
pub(super) struct Typed {
    pub ty: TypeRef,
    pub nullable: bool,
}

/// A property gathered for a struct, possibly from several `allOf` members.
struct PropSource<'a> {
    wire: &'a str,
    schema: SchemaRef<'a>,
    at: Pointer,
}

#[derive(Default)]
struct Merged<'a> {
    props: Vec<PropSource<'a>>,
    /// In the order the `required` lists give them, without repeats.
    required: Vec<&'a str>,
    additional: Option<(&'a AdditionalProperties, Pointer)>,
}

impl<'a> Lowerer<'a> {
    pub(super) fn lower_components(&mut self) {
        let Some(components) = &self.loaded.doc.components else {
            return;
        };
        let mut keys: Vec<&String> = components.schemas.keys().collect();
        keys.sort();
        for key in keys {
            let id = self.components[key.as_str()];
            let at = Pointer::root().join("components").join("schemas").join(key);
            let name = self.types[id.0].name.clone();
            self.in_progress.insert(key.clone());
            match &components.schemas[key.as_str()] {
                ReferenceOr::Reference { reference } => {
                    if let Some((target, _)) = self.resolve_schema_ref(reference, &at) {
                        self.types[id.0].kind = TypeKind::Alias(TypeRef::Named(target));
                    }
                }
                ReferenceOr::Item(schema) => {
                    let ctx = NameCtx::new("", &name);
                    if let Some((kind, doc)) = self.def_of(schema, &ctx, &at) {
                        self.types[id.0].kind = kind;
                        self.types[id.0].doc = doc;
                    }
                }
            }
            self.in_progress.remove(key.as_str());
        }
        self.check_alias_cycles();
    }

    /// A component that is an alias of itself (directly or through lists
    /// and other aliases) has no Rust representation.
    fn check_alias_cycles(&mut self) {
        for (key, id) in self.components.clone() {
            let mut seen = BTreeSet::new();
            let mut at = id;
            while let TypeKind::Alias(ty) = &self.types[at.0].kind {
                let mut ty = ty;
                while let TypeRef::List(inner) | TypeRef::Map(inner) = ty {
                    ty = inner;
                }
                let TypeRef::Named(next) = ty else { break };
                if *next == id {
                    let p = Pointer::root().join("components").join("schemas").join(&key);
                    self.diags.error(&p, "this schema refers to itself only through `$ref`, arrays or maps, so it has no finite Rust type; give the cycle an object in between");
                    break;
                }
                if !seen.insert(*next) {
                    break;
                }
                at = *next;
            }
        }
    }

    /// The type at a schema position (a property, an item, a parameter, a
    /// body…), allocating an inline type when the schema needs one.
    pub(super) fn type_of(&mut self, schema: SchemaRef<'a>, ctx: &NameCtx, at: &Pointer) -> Option<Typed> {
        match schema {
            SchemaRef::Ref(reference) => {
                let (id, _) = self.resolve_schema_ref(reference, at)?;
                // OpenAPI 3.0 ignores `$ref` siblings, but `nullable: true`
                // next to a `$ref` is common and clearly meant.
                let nullable =
                    self.raw_at(at).and_then(|v| v.get("nullable")).and_then(Value::as_bool).unwrap_or(false);
                Some(Typed { ty: TypeRef::Named(id), nullable })
            }
            SchemaRef::Item(schema) => {
                let view = View::of(schema);
                let nullable = view.nullable;
                // `allOf: [$ref]` only wraps a reference to add a description
                // or `nullable`; it is that reference.
                if view.all_of.len() == 1 && view.properties.is_empty() && view.additional.is_none() {
                    let inner = self.type_of(view.all_of[0], ctx, &at.join("allOf").join(0))?;
                    return Some(Typed { ty: inner.ty, nullable: nullable || inner.nullable });
                }
                if let Some(ty) = self.simple_type(&view, ctx, at) {
                    return Some(Typed { ty: ty?, nullable });
                }
                let (kind, doc) = self.def_of(schema, ctx, at)?;
                let ty = match kind {
                    TypeKind::Alias(ty) => ty,
                    kind => TypeRef::Named(self.inline_shape(kind, doc, ctx, at)),
                };
                Some(Typed { ty, nullable })
            }
        }
    }

    /// Shares one type among identical inline types: enums with the same
    /// values in the same order; structs or unions with the same fields
    /// (wire names, types, presence, constraints) or variants, docs aside.
    /// Members are lowered first, so nested shared types already have one id
    /// and compare equal.
    fn inline_shape(&mut self, kind: TypeKind, doc: Option<String>, ctx: &NameCtx, at: &Pointer) -> TypeId {
        let mut shape = kind.clone();
        if let TypeKind::Struct(s) = &mut shape {
            for field in &mut s.fields {
                field.doc = None;
            }
        }
        let key = format!("{shape:?}");
        let candidate = ctx.candidate(at);
        if let Some(id) = self.inline_shapes.get(&key).copied() {
            if let Naming::Inline(candidates) = &mut self.naming[id.0] {
                candidates.push(candidate);
            }
            return id;
        }
        let id = self.alloc(Naming::Inline(vec![candidate]), at.clone());
        self.types[id.0].kind = kind;
        self.types[id.0].doc = doc;
        self.inline_shapes.insert(key, id);
        id
    }

    /// Scalars, arrays and maps: types that need no definition of their own.
    /// `None` means "needs a definition"; `Some(None)` means an error was reported.
    fn simple_type(&mut self, view: &View<'a>, ctx: &NameCtx, at: &Pointer) -> Option<Option<TypeRef>> {
        if view.has_not || !view.all_of.is_empty() || !view.properties.is_empty() {
            return None;
        }
        let composite = !view.one_of.is_empty() || !view.any_of.is_empty();
        let string_enum = !view.enum_values.is_empty() && matches!(view.typ, None | Some("string"));
        if string_enum {
            return None;
        }
        // `type` beside `oneOf`/`anyOf`: JSON Schema applies both, so the
        // value must satisfy `type` as well. For a scalar `type` that
        // narrows the union to that scalar (Statsig's `page`/`limit`:
        // `type: integer` with `oneOf: [string, number]` is an integer).
        let scalar = match view.typ {
            Some("string") => Some(TypeRef::String),
            Some("integer") => Some(TypeRef::Integer(match view.format.as_deref() {
                Some("int32") => IntWidth::I32,
                _ => IntWidth::I64,
            })),
            Some("number") => Some(TypeRef::Number(match view.format.as_deref() {
                Some("float") => FloatWidth::F32,
                _ => FloatWidth::F64,
            })),
            Some("boolean") => Some(TypeRef::Boolean),
            _ => None,
        };
        if let Some(scalar) = scalar {
            return Some(Some(scalar));
        }
        if composite {
            return None;
        }
        match view.typ {
            Some("array") => Some(match view.items {
                Some(items) => {
                    self.type_of(items, &ctx.items(), &at.join("items")).map(|t| TypeRef::List(Box::new(t.ty)))
                }
                None => Some(TypeRef::List(Box::new(TypeRef::Json))),
            }),
            Some("object") | None => match view.additional {
                Some(additional) => Some(
                    self.additional_type(additional, ctx, &at.join("additionalProperties"))
                        .map(Box::new)
                        .map(TypeRef::Map),
                ),
                None if view.typ == Some("object") => Some(Some(TypeRef::JsonObject)),
                None if view.items.is_some() => {
                    let items = view.items?;
                    Some(self.type_of(items, &ctx.items(), &at.join("items")).map(|t| TypeRef::List(Box::new(t.ty))))
                }
                None => Some(Some(TypeRef::Json)),
            },
            Some(other) => {
                self.diags.error(&at.join("type"), format!("unsupported `type: {other}`; OpenAPI 3.0 allows string, number, integer, boolean, array and object"));
                Some(None)
            }
        }
    }

    fn additional_type(
        &mut self,
        additional: &'a AdditionalProperties,
        ctx: &NameCtx,
        at: &Pointer,
    ) -> Option<TypeRef> {
        match additional {
            AdditionalProperties::Any(_) => Some(TypeRef::Json),
            AdditionalProperties::Schema(schema) => {
                let value_ctx = NameCtx::new(&ctx.parent, &format!("{}Value", ctx.leaf));
                self.type_of(schema.as_ref().into(), &value_ctx, at).map(|t| t.ty)
            }
        }
    }

    /// The definition for a schema that needs one: struct, enum or union.
    /// Returns `TypeKind::Alias` for schemas that turn out to be simple.
    pub(super) fn def_of(
        &mut self,
        schema: &'a Schema,
        ctx: &NameCtx,
        at: &Pointer,
    ) -> Option<(TypeKind, Option<String>)> {
        let view = View::of(schema);
        let doc = view.description.or(view.title).map(str::to_string);
        if view.has_not {
            self.diags.error(&at.join("not"), "`not` schemas are not supported");
            return None;
        }
        if !view.all_of.is_empty() {
            let mut merged = Merged::default();
            let mut seen = BTreeSet::new();
            for (i, member) in view.all_of.iter().enumerate() {
                self.merge_member(*member, &at.join("allOf").join(i), &mut merged, &mut seen)?;
            }
            self.merge_own(&view, at, &mut merged);
            return Some((TypeKind::Struct(self.build_struct(merged, ctx)?), doc));
        }
        if !view.properties.is_empty() {
            let mut merged = Merged::default();
            self.merge_own(&view, at, &mut merged);
            return Some((TypeKind::Struct(self.build_struct(merged, ctx)?), doc));
        }
        if !view.enum_values.is_empty() && matches!(view.typ, None | Some("string")) {
            return self.string_enum(&view, at).map(|e| (TypeKind::Enum(e), doc));
        }
        // With `not`, `allOf`, properties and string enums handled above, a
        // schema `simple_type` cannot express is a `oneOf`/`anyOf` union.
        match self.simple_type(&view, ctx, at) {
            Some(ty) => Some((TypeKind::Alias(ty?), doc)),
            None => {
                let (members, keyword) =
                    if view.one_of.is_empty() { (&view.any_of, "anyOf") } else { (&view.one_of, "oneOf") };
                self.union(&view, members, keyword, ctx, at).map(|kind| (kind, doc))
            }
        }
    }

    fn string_enum(&mut self, view: &View<'a>, at: &Pointer) -> Option<StringEnum> {
        let mut scope = naming::Scope::new();
        let mut variants = Vec::new();
        let mut seen = BTreeSet::new();
        for (i, value) in view.enum_values.iter().enumerate() {
            match value {
                Value::String(wire) => {
                    if seen.insert(wire.clone()) {
                        let rust_name = scope.claim(&naming::variant_name(wire), "");
                        variants.push(EnumVariant { rust_name, wire: wire.clone() });
                    }
                }
                // `null` in the list only says the value may be null.
                Value::Null => {}
                other => {
                    self.diags.error(
                        &at.join("enum").join(i),
                        format!("enum value {other} is not a string, but the schema is a string enum"),
                    );
                    return None;
                }
            }
        }
        let catch_all = ["Unknown", "UnknownValue", "Other"]
            .into_iter()
            .find(|n| !scope.is_taken(n))
            .map_or_else(|| scope.claim("Unknown", ""), str::to_string);
        Some(StringEnum { variants, catch_all })
    }

    fn union(
        &mut self,
        view: &View<'a>,
        members: &[SchemaRef<'a>],
        keyword: &str,
        ctx: &NameCtx,
        at: &Pointer,
    ) -> Option<TypeKind> {
        let own_ctx = NameCtx::new(&ctx.parent, &ctx.leaf);
        let mut variants = Vec::new();
        let mut failed = false;
        for (i, member) in members.iter().enumerate() {
            let member_at = at.join(keyword).join(i);
            let Some(typed) = self.type_of(*member, &own_ctx.child(&format!("Variant{}", i + 1)), &member_at) else {
                failed = true;
                continue;
            };
            let mut tags = Vec::new();
            if let (Some(discriminator), SchemaRef::Ref(reference)) = (view.discriminator, member) {
                for (value, target) in &discriminator.mapping {
                    if target == reference || format!("#/components/schemas/{target}") == *reference {
                        tags.push(value.clone());
                    }
                }
                if tags.is_empty() {
                    // Without a mapping, the tag is the schema's name.
                    tags.push(reference.rsplit('/').next().unwrap_or(reference).to_string());
                }
            }
            variants.push(UnionVariant { rust_name: String::new(), ty: typed.ty, tags, boxed: false });
        }
        if failed {
            return None;
        }
        if let Some(d) = view.discriminator {
            if members.iter().any(|m| matches!(m, SchemaRef::Item(_))) {
                self.diags.error(
                    &at.join("discriminator"),
                    "a `discriminator` needs every member to be a `$ref` to a component schema",
                );
                return None;
            }
            variants.sort_by(|a, b| a.tags.cmp(&b.tags));
            return Some(TypeKind::Union(Union { variants, discriminator: Some(d.property_name.clone()) }));
        }
        let mut unique = Vec::new();
        for v in variants {
            if !unique.iter().any(|u: &UnionVariant| u.ty == v.ty) {
                unique.push(v);
            }
        }
        if unique.len() == 1 {
            return Some(TypeKind::Alias(unique.remove(0).ty));
        }
        // Untagged: serde tries variants in order, so the narrower ones go
        // first (an integer before a number, a struct with more required
        // fields before one with fewer, any JSON value last).
        unique.sort_by_key(|v| self.specificity(&v.ty, 0));
        Some(TypeKind::Union(Union { variants: unique, discriminator: None }))
    }

    /// `depth` bounds alias chains, which may still be cyclic here (cycles
    /// are reported after all components are lowered).
    fn specificity(&self, ty: &TypeRef, depth: usize) -> (u8, std::cmp::Reverse<usize>) {
        let rank = |r: u8| (r, std::cmp::Reverse(0));
        match ty {
            TypeRef::Named(id) => match &self.types[id.0].kind {
                TypeKind::Struct(s) => {
                    let required = s
                        .fields
                        .iter()
                        .filter(|f| matches!(f.presence, Presence::Required | Presence::RequiredNullable))
                        .count();
                    (0, std::cmp::Reverse(required))
                }
                TypeKind::Enum(_) => rank(5),
                TypeKind::Union(_) => rank(7),
                TypeKind::Alias(inner) if depth < 32 => self.specificity(inner, depth + 1),
                TypeKind::Alias(_) => rank(9),
            },
            TypeRef::List(_) => rank(1),
            TypeRef::Integer(_) => rank(2),
            TypeRef::Number(_) => rank(3),
            TypeRef::Boolean => rank(4),
            TypeRef::String => rank(6),
            TypeRef::Map(_) | TypeRef::JsonObject => rank(8),
            TypeRef::Json => rank(9),
        }
    }

    /// Adds one `allOf` member's properties. Later members override earlier
    /// ones, except that a free-form schema (`{type: object}`) never
    /// replaces a real one: Statsig's envelopes declare `data: object` in
    /// the base and the real type in the member that overrides it.
    fn merge_member(
        &mut self,
        member: SchemaRef<'a>,
        at: &Pointer,
        merged: &mut Merged<'a>,
        seen: &mut BTreeSet<String>,
    ) -> Option<()> {
        let (schema, schema_at) = match member {
            SchemaRef::Item(schema) => (schema, at.clone()),
            SchemaRef::Ref(reference) => {
                let (_, key) = self.resolve_schema_ref(reference, at)?;
                if !seen.insert(key.clone()) {
                    self.diags.error(at, format!("`allOf` includes `{reference}` twice or in a cycle"));
                    return None;
                }
                let components = self.loaded.doc.components.as_ref()?;
                let schema_at = Pointer::root().join("components").join("schemas").join(&key);
                match &components.schemas[key.as_str()] {
                    ReferenceOr::Item(schema) => (schema, schema_at),
                    ReferenceOr::Reference { reference } => {
                        return self.merge_member(SchemaRef::Ref(reference), &schema_at, merged, seen)
                    }
                }
            }
        };
        let view = View::of(schema);
        if matches!(view.typ, Some(t) if t != "object")
            || view.has_not
            || !view.one_of.is_empty()
            || !view.any_of.is_empty()
            || !view.enum_values.is_empty()
        {
            self.diags.error(at, "only object schemas can be merged by `allOf`; this member is not an object");
            return None;
        }
        for (i, nested) in view.all_of.iter().enumerate() {
            self.merge_member(*nested, &schema_at.join("allOf").join(i), merged, seen)?;
        }
        self.merge_own(&view, &schema_at, merged);
        Some(())
    }

    fn merge_own(&mut self, view: &View<'a>, at: &Pointer, merged: &mut Merged<'a>) {
        for (wire, schema) in &view.properties {
            let source = PropSource { wire, schema: *schema, at: at.join("properties").join(wire) };
            match merged.props.iter_mut().find(|p| p.wire == *wire) {
                Some(existing) => {
                    let new_is_free = matches!(source.schema, SchemaRef::Item(s) if View::of(s).is_free_form());
                    if !new_is_free {
                        *existing = source;
                    }
                }
                None => merged.props.push(source),
            }
        }
        for name in &view.required {
            if !merged.required.contains(name) {
                merged.required.push(name);
            }
        }
        if let Some(additional) = view.additional {
            merged.additional = Some((additional, at.join("additionalProperties")));
        }
    }

    fn build_struct(&mut self, merged: Merged<'a>, ctx: &NameCtx) -> Option<Struct> {
        let struct_ctx = NameCtx::new("", &ctx.full());
        let mut props = merged.props;
        props.sort_by(|a, b| a.wire.cmp(b.wire));
        let mut scope = naming::Scope::new();
        let mut fields = Vec::new();
        let mut failed = false;
        for prop in props {
            let Some(typed) = self.type_of(prop.schema, &NameCtx::new(&struct_ctx.leaf, prop.wire), &prop.at) else {
                failed = true;
                continue;
            };
            let required = merged.required.contains(&prop.wire);
            let presence = match (required, typed.nullable) {
                (true, false) => Presence::Required,
                (false, false) => Presence::Optional,
                (true, true) => Presence::RequiredNullable,
                (false, true) => Presence::OptionalNullable,
            };
            let (doc, read_only, constraints) = match prop.schema {
                SchemaRef::Item(schema) => {
                    let view = View::of(schema);
                    (view.description.map(str::to_string), view.read_only, view.constraints)
                }
                SchemaRef::Ref(_) => {
                    let doc = self
                        .raw_at(&prop.at)
                        .and_then(|v| v.get("description"))
                        .and_then(Value::as_str)
                        .map(str::to_string);
                    (doc, false, Constraints::default())
                }
            };
            fields.push(Field {
                rust_name: scope.claim(&naming::snake_name(prop.wire, "field"), "_"),
                wire_name: prop.wire.to_string(),
                doc,
                ty: typed.ty,
                presence,
                boxed: false,
                read_only,
                skip_serializing: false,
                constraints,
            });
        }
        let additional = match merged.additional {
            Some((AdditionalProperties::Any(false), _)) | None => None,
            Some((additional, at)) => {
                let ty = self.additional_type(additional, &struct_ctx, &at);
                failed |= ty.is_none();
                ty.map(|ty| (scope.claim("additional_properties", "_"), ty))
            }
        };
        let constructor = merged
            .required
            .iter()
            .filter_map(|wire| fields.iter().find(|f| f.wire_name == *wire))
            .map(|f| f.rust_name.clone())
            .collect();
        (!failed).then_some(Struct { fields, constructor, additional })
    }
}

/// Used by operation lowering for parameter schemas given inline.
pub(super) fn schema_ref(r: &ReferenceOr<Schema>) -> SchemaRef<'_> {
    r.into()
}
