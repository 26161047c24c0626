//! Schemas → types. `type_of` answers "what Rust type does this position
//! have", allocating inline types as it goes; `def_of` builds the body of a
//! struct, enum or union (`allOf` merging is in `compose`).

use super::compose::Merged;
use super::inline_names::Naming;
use super::member_names::member_label;
use super::shape_key::ShapeKey;
use super::view::{admits_only_null, inline_property, SchemaRef, SchemaType, Substance, View};
use super::{Lowerer, NameCtx};
use crate::diagnostics::{Pointer, Reported};
use crate::ir::{
    EnumVariant, FloatWidth, Format, IntWidth, StringEnum, TypeId, TypeKind, TypeRef, Union, UnionVariant,
};
use crate::naming;
use openapiv3::{AdditionalProperties, ReferenceOr, Schema};
use serde_json::Value;
use std::collections::BTreeSet;

/// What a component schema the generator cannot represent becomes.
const ANY_JSON: &str = "represented as any JSON value (`serde_json::Value`)";

/// The type of one schema position, and whether it admits `null`.
pub(super) struct Typed {
    pub ty: TypeRef,
    pub nullable: bool,
}

impl Typed {
    /// The type of a list item or map value: `Option<T>` when it admits
    /// null (a JSON value already does).
    fn into_item(self) -> TypeRef {
        match self.ty {
            TypeRef::Json => TypeRef::Json,
            ty if self.nullable => TypeRef::Nullable(Box::new(ty)),
            ty => ty,
        }
    }
}

/// What `simple_type` found.
enum Simple {
    /// A type that needs no definition of its own (scalar, list, map…).
    Type(TypeRef),
    /// A struct, enum or union: `def_of` builds it.
    NeedsDefinition,
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
            let mark = self.diags.mark();
            let lowered = match &components.schemas[key.as_str()] {
                ReferenceOr::Reference { reference } => self
                    .resolve_schema_ref(reference, &at)
                    .map(|(target, _)| (TypeKind::Alias(TypeRef::Named(target)), None)),
                ReferenceOr::Item(schema) => self.def_of(schema, &NameCtx::new("", &name), &at),
            };
            match lowered {
                Ok((kind, doc)) => {
                    self.types[id.0].kind = kind;
                    self.types[id.0].doc = doc;
                }
                // A schema the generator cannot represent costs only itself:
                // it stays any JSON value, which every value fits.
                Err(_) => {
                    self.diags.downgrade_since(mark);
                    self.diags.warning(&at, ANY_JSON);
                }
            }
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
                while let TypeRef::List(inner) | TypeRef::Map(inner) | TypeRef::Nullable(inner) = ty {
                    ty = inner;
                }
                let TypeRef::Named(next) = ty else { break };
                if *next == id {
                    let p = Pointer::root().join("components").join("schemas").join(&key);
                    self.diags.warning(&p, format!("this schema refers to itself only through `$ref`, arrays or maps, so it has no finite Rust type; {ANY_JSON}"));
                    self.types[id.0].kind = TypeKind::Alias(TypeRef::Json);
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
    pub(super) fn type_of(&mut self, schema: SchemaRef<'a>, ctx: &NameCtx, at: &Pointer) -> Result<Typed, Reported> {
        match schema {
            SchemaRef::Ref(reference) => {
                let (id, _) = self.resolve_schema_ref(reference, at)?;
                // OpenAPI 3.0 ignores `$ref` siblings, but `nullable: true`
                // next to a `$ref` is common and clearly meant. A component
                // that admits null makes every reference to it nullable.
                let nullable = self.nullable_components.contains(&id)
                    || self.raw_at(at).and_then(|v| v.get("nullable")).and_then(Value::as_bool).unwrap_or(false);
                Ok(Typed { ty: TypeRef::Named(id), nullable })
            }
            SchemaRef::Item(schema) => {
                let view = View::of(schema);
                let nullable = view.admits_null();
                // `allOf` that merges into one member (`[$ref, {description}]`)
                // is that member's type; objects to merge make a struct below.
                if !view.all_of.is_empty() && view.properties.is_empty() && view.additional.is_none() {
                    if let Some(typed) = self.all_of_type(&view, ctx, at)? {
                        return Ok(Typed { ty: typed.ty, nullable: nullable || typed.nullable });
                    }
                }
                if let Simple::Type(ty) = self.simple_type(&view, ctx, at)? {
                    return Ok(Typed { ty, nullable });
                }
                let (kind, doc) = self.def_of(schema, ctx, at)?;
                let ty = match kind {
                    TypeKind::Alias(ty) => ty,
                    kind => TypeRef::Named(self.inline_shape(kind, doc, ctx, at)),
                };
                Ok(Typed { ty, nullable })
            }
        }
    }

    /// Shares one type among identical inline types: enums with the same
    /// values in the same order; structs or unions with the same fields
    /// (wire names, types, presence, constraints) or variants, docs aside.
    /// Members are lowered first, so nested shared types already have one id
    /// and compare equal.
    pub(super) fn inline_shape(&mut self, kind: TypeKind, doc: Option<String>, ctx: &NameCtx, at: &Pointer) -> TypeId {
        let key = ShapeKey::of(&kind);
        let candidate = ctx.candidate(at);
        if let Some(id) = self.inline_shapes.get(&key).copied() {
            if let Naming::Inline(candidates) = &mut self.naming[id.0] {
                candidates.push(candidate);
            }
            // A shared type keeps only a description every place gives.
            if self.types[id.0].doc != doc {
                self.types[id.0].doc = None;
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
    fn simple_type(&mut self, view: &View<'a>, ctx: &NameCtx, at: &Pointer) -> Result<Simple, Reported> {
        if view.has_not || !view.all_of.is_empty() || !view.properties.is_empty() {
            return Ok(Simple::NeedsDefinition);
        }
        let composite = !view.one_of.is_empty() || !view.any_of.is_empty();
        if is_string_enum(view) {
            return Ok(Simple::NeedsDefinition);
        }
        // An enum without `type` whose values are not strings is the type
        // its values share (its values are listed in the docs).
        if view.typ.is_none() && !view.enum_values.is_empty() && !composite {
            let values = view.enum_values.iter().filter(|v| !v.is_null());
            let ty = if values.clone().next().is_none() {
                TypeRef::Json
            } else if values.clone().all(Value::is_i64) {
                TypeRef::Integer(IntWidth::I64)
            } else if values.clone().all(Value::is_u64) {
                TypeRef::Integer(IntWidth::U64)
            } else if values.clone().all(Value::is_number) {
                TypeRef::Number(FloatWidth::F64)
            } else if values.clone().all(Value::is_boolean) {
                TypeRef::Boolean
            } else {
                TypeRef::Json
            };
            return Ok(Simple::Type(ty));
        }
        // `type` beside `oneOf`/`anyOf`: JSON Schema applies both, so the
        // value must satisfy `type` as well. For a scalar `type` that
        // narrows the union to that scalar (Statsig's `page`/`limit`:
        // `type: integer` with `oneOf: [string, number]` is an integer).
        let scalar = match view.typ {
            Some(SchemaType::String) if view.constraints.format.as_deref() == Some("binary") => Some(TypeRef::Binary),
            // Swagger 2.0's file type, left in documents converted from it.
            Some(SchemaType::File) => {
                self.diags.warning(&at.join("type"), "`type: file` is Swagger 2.0's; it is read as binary content");
                Some(TypeRef::Binary)
            }
            Some(SchemaType::String) => {
                Some(Format::of(view.constraints.format.as_deref()).map_or(TypeRef::String, TypeRef::Formatted))
            }
            Some(SchemaType::Integer) => Some(TypeRef::Integer(IntWidth::of_format(view.format.as_deref()))),
            Some(SchemaType::Number) => Some(TypeRef::Number(match view.format.as_deref() {
                Some("float") => FloatWidth::F32,
                _ => FloatWidth::F64,
            })),
            Some(SchemaType::Boolean) => Some(TypeRef::Boolean),
            _ => None,
        };
        if let Some(scalar) = scalar {
            return Ok(Simple::Type(scalar));
        }
        if composite {
            return Ok(Simple::NeedsDefinition);
        }
        let list = |lowerer: &mut Self, items: SchemaRef<'a>| {
            let typed = lowerer.type_of(items, &ctx.items(), &at.join("items"))?;
            Ok(Simple::Type(TypeRef::List(Box::new(lowerer.item_of(items, typed)))))
        };
        match view.typ {
            Some(SchemaType::Array) => match view.items {
                Some(items) => list(self, items),
                None => Ok(Simple::Type(TypeRef::List(Box::new(TypeRef::Json)))),
            },
            Some(SchemaType::Object) | None => match (view.additional, view.items) {
                (Some(additional), _) => self
                    .additional_type(additional, ctx, &at.join("additionalProperties"))
                    .map(|ty| Simple::Type(TypeRef::Map(Box::new(ty)))),
                (None, _) if view.typ == Some(SchemaType::Object) => Ok(Simple::Type(TypeRef::JsonObject)),
                (None, Some(items)) => list(self, items),
                (None, None) => Ok(Simple::Type(TypeRef::Json)),
            },
            Some(other) => Err(self.diags.error(
                &at.join("type"),
                format!(
                    "unsupported `type: {}`; OpenAPI 3.0 allows string, number, integer, boolean, array and object",
                    other.name()
                ),
            )),
        }
    }

    /// A list item's or map value's type: as [`Typed::into_item`], and a
    /// reference to a schema that says nothing but `nullable` (any JSON
    /// value, which holds null already) is not wrapped either, as the
    /// same schema inline is not.
    fn item_of(&self, schema: SchemaRef<'a>, typed: Typed) -> TypeRef {
        let any_value = matches!(schema, SchemaRef::Ref(_)) && self.substance(schema, 0) == Substance::Nothing;
        if any_value {
            typed.ty
        } else {
            typed.into_item()
        }
    }

    pub(super) fn additional_type(
        &mut self,
        additional: &'a AdditionalProperties,
        ctx: &NameCtx,
        at: &Pointer,
    ) -> Result<TypeRef, Reported> {
        match additional {
            AdditionalProperties::Any(_) => Ok(TypeRef::Json),
            AdditionalProperties::Schema(schema) => {
                let value_ctx = NameCtx::new(&ctx.parent, &format!("{}Value", ctx.leaf));
                let value = schema.as_ref().into();
                let typed = self.type_of(value, &value_ctx, at)?;
                Ok(self.item_of(value, typed))
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
    ) -> Result<(TypeKind, Option<String>), Reported> {
        let view = View::of(schema);
        let doc = view.description.or(view.title).map(str::to_string);
        if view.has_not {
            return Err(self.diags.error(&at.join("not"), "`not` schemas are not supported"));
        }
        if !view.all_of.is_empty() {
            if let Some(union) = self.distributed_all_of(&view, ctx, at) {
                return union.map(|kind| (kind, doc));
            }
            if view.properties.is_empty() && view.additional.is_none() {
                if let Some(typed) = self.all_of_type(&view, ctx, at)? {
                    return Ok((TypeKind::Alias(typed.ty), doc));
                }
            }
            let mut merged = Merged::default();
            let mut seen = BTreeSet::new();
            for (i, member) in view.all_of.iter().enumerate() {
                self.merge_member(*member, &at.join("allOf").join(i), &mut merged, &mut seen)?;
            }
            merged.add_own(&view, at);
            // A merge that reaches, through a property, a component it is
            // merging already would copy itself in for ever.
            if let Some(again) = seen.iter().find(|key| self.merging.contains(key)) {
                return Err(self.diags.error(
                    &at.join("allOf"),
                    format!("`allOf` merges `{again}` into a type that `{again}` itself holds, which never ends; make the recursive part a component of its own"),
                ));
            }
            let depth = self.merging.len();
            self.merging.extend(seen);
            let built = self.build_struct(merged, ctx);
            self.merging.truncate(depth);
            return Ok((TypeKind::Struct(built?), doc));
        }
        if !view.properties.is_empty() {
            let mut merged = Merged::default();
            merged.add_own(&view, at);
            return Ok((TypeKind::Struct(self.build_struct(merged, ctx)?), doc));
        }
        if is_string_enum(&view) {
            return Ok((TypeKind::Enum(self.string_enum(&view, at)), doc));
        }
        // With `not`, `allOf`, properties and string enums handled above, a
        // schema `simple_type` cannot express is a `oneOf`/`anyOf` union.
        match self.simple_type(&view, ctx, at)? {
            Simple::Type(ty) => Ok((TypeKind::Alias(ty), doc)),
            Simple::NeedsDefinition => {
                let (members, keyword) =
                    if view.one_of.is_empty() { (&view.any_of, "anyOf") } else { (&view.one_of, "oneOf") };
                self.union(&view, members, keyword, ctx, at).map(|kind| (kind, doc))
            }
        }
    }

    /// A string enum; values of other types (in a `type: string` enum)
    /// are read as their text, with a warning.
    fn string_enum(&mut self, view: &View<'a>, at: &Pointer) -> StringEnum {
        let mut scope = naming::Scope::new();
        let mut variants = Vec::new();
        let mut seen = BTreeSet::new();
        for (i, value) in view.enum_values.iter().enumerate() {
            let wire = match value {
                Value::String(wire) => wire.clone(),
                // `null` in the list only says the value may be null.
                Value::Null => continue,
                other => {
                    self.diags.warning(
                        &at.join("enum").join(i),
                        format!("enum value {other} is not a string, but the schema is a string enum; it is read as \"{other}\""),
                    );
                    other.to_string()
                }
            };
            if seen.insert(wire.clone()) {
                let rust_name = scope.claim(&naming::variant_name(&wire), "");
                variants.push(EnumVariant { rust_name, wire });
            }
        }
        let catch_all = ["Unknown", "UnknownValue", "Other"]
            .into_iter()
            .find(|n| !scope.is_taken(n))
            .map_or_else(|| scope.claim("Unknown", ""), str::to_string);
        StringEnum { variants, catch_all }
    }

    fn union(
        &mut self,
        view: &View<'a>,
        members: &[SchemaRef<'a>],
        keyword: &str,
        ctx: &NameCtx,
        at: &Pointer,
    ) -> Result<TypeKind, Reported> {
        let own_ctx = NameCtx::new(&ctx.parent, &ctx.leaf);
        let mut variants = Vec::new();
        let mut failed = None;
        for (i, member) in members.iter().enumerate().filter(|(_, member)| !admits_only_null(**member)) {
            let member_at = at.join(keyword).join(i);
            let label = member_label(*member, members, i, &own_ctx.full());
            let typed = match self.type_of(*member, &own_ctx.child(&label), &member_at) {
                Ok(typed) => typed,
                Err(reported) => {
                    failed = Some(reported);
                    continue;
                }
            };
            let mut tags = Vec::new();
            if let (Some(discriminator), SchemaRef::Ref(reference)) = (view.discriminator, member) {
                for (value, target) in &discriminator.mapping {
                    if target == reference || format!("#/components/schemas/{target}") == *reference {
                        tags.push(value.clone());
                    }
                }
                if tags.is_empty() {
                    // Without a mapping, the tag is the schema's name, and
                    // the values the schema fixes its tag property to: what
                    // a server can send (OpenAI's `type: response.audio.delta`
                    // in `ResponseAudioDeltaEvent`).
                    // The name comes first: it names the variant.
                    tags.push(reference.rsplit('/').next().unwrap_or(reference).to_string());
                    tags.extend(self.fixed_values(reference, &discriminator.property_name));
                }
            }
            variants.push(UnionVariant { rust_name: String::new(), ty: typed.ty, tags, boxed: false, from: false });
        }
        if let Some(reported) = failed {
            return Err(reported);
        }
        let inline_member = members.iter().any(|m| matches!(m, SchemaRef::Item(_)));
        if let (Some(_), true) = (view.discriminator, inline_member) {
            // The tag's values name component schemas; inline members have
            // none, so the union is told apart by shape instead.
            self.diags.warning(
                &at.join("discriminator"),
                "a `discriminator` needs every member to be a `$ref` to a component schema; the members are told apart by their shape instead",
            );
            for v in &mut variants {
                v.tags.clear();
            }
        }
        if let Some(d) = view.discriminator.filter(|_| !inline_member) {
            // A value two members fix tells neither apart.
            let mut count = std::collections::BTreeMap::<String, usize>::new();
            for tag in variants.iter().flat_map(|v| &v.tags) {
                *count.entry(tag.clone()).or_default() += 1;
            }
            for v in &mut variants {
                let mut position = 0;
                v.tags.retain(|t| {
                    position += 1;
                    position == 1 || count[t] == 1
                });
            }
            variants.sort_by(|a, b| a.tags.cmp(&b.tags));
            return Ok(TypeKind::Union(Union {
                variants,
                discriminator: Some(d.property_name.clone()),
                unknown: None,
                variants_hold_tag: false,
            }));
        }
        let mut unique = Vec::new();
        for v in variants {
            if !unique.iter().any(|u: &UnionVariant| u.ty == v.ty) {
                unique.push(v);
            }
        }
        match unique.len() {
            0 => return Ok(TypeKind::Alias(TypeRef::Json)),
            1 => return Ok(TypeKind::Alias(unique.remove(0).ty)),
            _ => {}
        }
        // Untagged: serde tries variants in order, so the narrower ones go
        // first (an integer before a number, a struct with more required
        // fields before one with fewer, any JSON value last).
        unique.sort_by_key(|v| self.specificity(&v.ty, 0));
        Ok(TypeKind::Union(Union { variants: unique, discriminator: None, unknown: None, variants_hold_tag: false }))
    }

    /// The string values the component schema `reference` fixes its
    /// property `name` to (an inline `enum`, or a 3.1 `const`, on it or on
    /// one of its `allOf` members), or none.
    fn fixed_values(&self, reference: &str, name: &str) -> Vec<String> {
        let Some(schema) = self.component_schema(reference) else { return Vec::new() };
        let view = View::of(schema);
        let own = |view: &View<'_>| -> Option<Vec<String>> {
            let values = inline_property(view, name)?
                .enum_values
                .iter()
                .map(|v| v.as_str().map(str::to_string))
                .collect::<Option<Vec<_>>>()?;
            (!values.is_empty()).then_some(values)
        };
        own(&view)
            .or_else(|| {
                view.all_of.iter().find_map(|member| match member {
                    SchemaRef::Item(schema) => own(&View::of(schema)),
                    SchemaRef::Ref(reference) => own(&View::of(self.component_schema(reference)?)),
                })
            })
            .unwrap_or_default()
    }

    /// The component schema a `#/components/schemas/…` reference names,
    /// when it is a schema rather than another reference.
    pub(super) fn component_schema(&self, reference: &str) -> Option<&'a Schema> {
        let key = reference.strip_prefix("#/components/schemas/")?;
        match self.loaded.doc.components.as_ref()?.schemas.get(key)? {
            ReferenceOr::Item(schema) => Some(schema),
            ReferenceOr::Reference { .. } => None,
        }
    }

    /// `depth` bounds alias chains, which may still be cyclic here (cycles
    /// are reported after all components are lowered).
    pub(super) fn specificity(&self, ty: &TypeRef, depth: usize) -> (u8, std::cmp::Reverse<usize>) {
        let rank = |r: u8| (r, std::cmp::Reverse(0));
        match ty {
            TypeRef::Named(id) => match &self.types[id.0].kind {
                // The constructor takes exactly the required fields.
                TypeKind::Struct(s) => (0, std::cmp::Reverse(s.constructor.len())),
                TypeKind::Enum(_) => rank(5),
                TypeKind::Union(_) => rank(7),
                TypeKind::Alias(inner) if depth < 32 => self.specificity(inner, depth + 1),
                TypeKind::Alias(_) => rank(9),
            },
            TypeRef::List(_) => rank(1),
            TypeRef::Integer(_) => rank(2),
            TypeRef::Number(_) => rank(3),
            TypeRef::Boolean => rank(4),
            // A string of a format is a string that fits it.
            TypeRef::Formatted(_) => rank(5),
            TypeRef::String => rank(6),
            TypeRef::Binary => rank(6),
            TypeRef::Map(_) | TypeRef::JsonObject => rank(8),
            TypeRef::Json => rank(9),
            TypeRef::Nullable(inner) => self.specificity(inner, depth),
        }
    }
}

/// An enum of strings: `type: string`, or no type and only string values.
fn is_string_enum(view: &View<'_>) -> bool {
    !view.enum_values.is_empty()
        && match view.typ {
            Some(SchemaType::String) => true,
            None => {
                view.enum_values.iter().all(|v| v.is_string() || v.is_null())
                    && view.enum_values.iter().any(Value::is_string)
            }
            Some(_) => false,
        }
}

/// A parameter's or body's schema position.
pub(super) fn schema_ref(r: &ReferenceOr<Schema>) -> SchemaRef<'_> {
    r.into()
}
