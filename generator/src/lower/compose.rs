//! Object schemas → structs: properties gathered from a schema and its
//! `allOf` members, then lowered field by field.

use super::view::{SchemaRef, SchemaType, View};
use super::{Lowerer, NameCtx};
use crate::diagnostics::{Pointer, Reported};
use crate::ir::{Additional, Constraints, Field, FieldRepr, Presence, Struct, StructRepr};
use crate::naming;
use openapiv3::{AdditionalProperties, ReferenceOr};
use serde_json::Value;
use std::collections::BTreeSet;

/// A property gathered for a struct, possibly from several `allOf` members.
struct PropSource<'a> {
    wire: &'a str,
    schema: SchemaRef<'a>,
    at: Pointer,
}

/// The properties, `required` list and `additionalProperties` of a struct
/// being assembled.
#[derive(Default)]
pub(super) struct Merged<'a> {
    props: Vec<PropSource<'a>>,
    /// In the order the `required` lists give them, without repeats.
    required: Vec<&'a str>,
    additional: Option<(&'a AdditionalProperties, Pointer)>,
    /// `oneOf`/`anyOf` members that only say which properties are required.
    required_sets: Vec<Vec<&'a str>>,
}

impl<'a> Merged<'a> {
    /// Adds a schema's own properties. A later property of the same name
    /// replaces an earlier one, except that a free-form schema (`{type:
    /// object}`) never replaces a real one: Statsig's envelopes declare
    /// `data: object` in the base and the real type in the member that
    /// overrides it.
    pub(super) fn add_own(&mut self, view: &View<'a>, at: &Pointer) {
        for (wire, schema) in &view.properties {
            let source = PropSource { wire, schema: *schema, at: at.join("properties").join(wire) };
            match self.props.iter_mut().find(|p| p.wire == *wire) {
                Some(existing) => {
                    let new_is_free = matches!(source.schema, SchemaRef::Item(s) if View::of(s).is_free_form());
                    if !new_is_free {
                        *existing = source;
                    }
                }
                None => self.props.push(source),
            }
        }
        for name in &view.required {
            if !self.required.contains(name) {
                self.required.push(name);
            }
        }
        if let Some(additional) = view.additional {
            self.additional = Some((additional, at.join("additionalProperties")));
        }
        for member in view.one_of.iter().chain(&view.any_of) {
            if let SchemaRef::Item(schema) = member {
                let member = View::of(schema);
                if member.properties.is_empty() && !member.required.is_empty() {
                    self.required_sets.push(member.required.clone());
                }
            }
        }
    }
}

impl<'a> Lowerer<'a> {
    /// Adds one `allOf` member (and the members it merges in turn).
    pub(super) fn merge_member(
        &mut self,
        member: SchemaRef<'a>,
        at: &Pointer,
        merged: &mut Merged<'a>,
        seen: &mut BTreeSet<String>,
    ) -> Result<(), Reported> {
        let (schema, schema_at) = match member {
            SchemaRef::Item(schema) => (schema, at.clone()),
            SchemaRef::Ref(reference) => {
                let (_, key) = self.resolve_schema_ref(reference, at)?;
                if !seen.insert(key.clone()) {
                    return Err(self.diags.error(at, format!("`allOf` includes `{reference}` twice or in a cycle")));
                }
                let schema_at = Pointer::root().join("components").join("schemas").join(&key);
                // The reference resolved, so the component exists.
                let loaded = self.loaded;
                let Some(component) = loaded.doc.components.as_ref().and_then(|c| c.schemas.get(&key)) else {
                    return Err(self
                        .diags
                        .error(at, format!("`$ref: {reference}` points to a schema that does not exist")));
                };
                match component {
                    ReferenceOr::Item(schema) => (schema, schema_at),
                    ReferenceOr::Reference { reference } => {
                        return self.merge_member(SchemaRef::Ref(reference), &schema_at, merged, seen)
                    }
                }
            }
        };
        let view = View::of(schema);
        if matches!(view.typ, Some(t) if t != SchemaType::Object)
            || view.has_not
            || !view.one_of.is_empty()
            || !view.any_of.is_empty()
            || !view.enum_values.is_empty()
        {
            return Err(self
                .diags
                .error(at, "only object schemas can be merged by `allOf`; this member is not an object"));
        }
        for (i, nested) in view.all_of.iter().enumerate() {
            self.merge_member(*nested, &schema_at.join("allOf").join(i), merged, seen)?;
        }
        merged.add_own(&view, &schema_at);
        Ok(())
    }

    /// Lowers the gathered properties into a struct, fields sorted by wire name.
    pub(super) fn build_struct(&mut self, merged: Merged<'a>, ctx: &NameCtx) -> Result<Struct, Reported> {
        let struct_ctx = NameCtx::new("", &ctx.full());
        let mut props = merged.props;
        props.sort_by(|a, b| a.wire.cmp(b.wire));
        let mut scope = naming::Scope::new();
        let mut fields = Vec::new();
        let mut failed = None;
        for prop in props {
            let typed = match self.type_of(prop.schema, &NameCtx::new(&struct_ctx.leaf, prop.wire), &prop.at) {
                Ok(typed) => typed,
                Err(reported) => {
                    failed = Some(reported);
                    continue;
                }
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
                    // `allOf: [{$ref}, {description}]` documents the field
                    // in a member.
                    let member_doc = || {
                        view.all_of.iter().find_map(|m| match m {
                            SchemaRef::Item(member) => View::of(member).description,
                            SchemaRef::Ref(_) => None,
                        })
                    };
                    let doc = view.description.or_else(member_doc).map(str::to_string);
                    (doc, view.read_only, view.constraints)
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
                read_only,
                constraints,
                repr: FieldRepr::default(),
            });
        }
        let additional = match merged.additional {
            Some((AdditionalProperties::Any(false), _)) | None => None,
            Some((additional, at)) => match self.additional_type(additional, &struct_ctx, &at) {
                Ok(ty) => Some(Additional { rust_name: scope.claim("additional_properties", "_"), ty }),
                Err(reported) => {
                    failed = Some(reported);
                    None
                }
            },
        };
        if let Some(reported) = failed {
            return Err(reported);
        }
        let constructor = merged
            .required
            .iter()
            .filter_map(|wire| fields.iter().find(|f| f.wire_name == *wire))
            .map(|f| f.rust_name.clone())
            .collect();
        let required_sets = merged
            .required_sets
            .iter()
            .map(|set| {
                set.iter()
                    .filter_map(|wire| fields.iter().find(|f| f.wire_name == *wire))
                    .map(|f| f.rust_name.clone())
                    .collect()
            })
            .collect();
        Ok(Struct { fields, constructor, additional, required_sets, repr: StructRepr::default() })
    }
}
