//! An operation's parameters: the path item's and its own, each lowered to
//! a typed [`crate::ir::Param`] with its serialization style and a Rust
//! name unique on its request builder; and the path template they fill.

use super::operation::{Place, TemplatePart};
use super::schema::{schema_ref, Typed};
use super::view::{SchemaRef, View};
use super::{Lowerer, NameCtx};
use crate::diagnostics::{Pointer, Reported};
use crate::ir::{Constraints, Param, ParamLocation, ParamRepr, Style, TypeRef};
use crate::{naming, scopes};
use indexmap::IndexMap;
use openapiv3::{Parameter, ParameterSchemaOrContent, PathStyle, QueryStyle, ReferenceOr};
use std::collections::BTreeSet;

impl<'a> Lowerer<'a> {
    /// The parameters of an operation, sorted by location then wire name.
    pub(super) fn lower_parameters(
        &mut self,
        place: &Place<'a, '_>,
        op: &'a openapiv3::Operation,
        type_prefix: &str,
        segments: &[TemplatePart],
        idempotency_key: Option<&str>,
    ) -> Result<Vec<Param>, Reported> {
        let mut failed = None;
        // Path-level parameters apply unless the operation redefines them.
        let mut declared: IndexMap<(String, ParamLocation), (&'a Parameter, Pointer)> = IndexMap::new();
        let path_at = Pointer::root().join("paths").join(place.path).join("parameters");
        let op_at = place.at.join("parameters");
        let sources = place
            .path_parameters
            .iter()
            .enumerate()
            .map(|(i, p)| (p, path_at.join(i)))
            .chain(op.parameters.iter().enumerate().map(|(i, p)| (p, op_at.join(i))));
        for (param, param_at) in sources {
            let (param, param_at) = match self.resolve_parameter(param, &param_at) {
                Ok(found) => found,
                Err(reported) => {
                    failed = Some(reported);
                    continue;
                }
            };
            let location = match param {
                Parameter::Path { .. } => ParamLocation::Path,
                Parameter::Query { .. } => ParamLocation::Query,
                Parameter::Header { .. } => ParamLocation::Header,
                Parameter::Cookie { .. } => ParamLocation::Cookie,
            };
            // OpenAPI 3.0: header parameters named Accept, Content-Type or
            // Authorization "SHALL be ignored"; the client sets those itself.
            let name = &param.parameter_data_ref().name;
            if location == ParamLocation::Header
                && ["accept", "content-type", "authorization"].contains(&name.to_ascii_lowercase().as_str())
            {
                continue;
            }
            declared.insert((name.clone(), location), (param, param_at));
        }
        // Each parameter is a field, setter or argument of the request
        // builder. Path parameters (positional arguments) claim names first,
        // then query, header and cookie ones: sorted, so key order never matters.
        let mut scope = naming::Scope::with_reserved(scopes::request_builder_names());
        declared.sort_by(|(a_name, a_loc), _, (b_name, b_loc), _| (a_loc, a_name).cmp(&(b_loc, b_name)));
        let in_template: BTreeSet<&str> = segments
            .iter()
            .filter_map(|s| match s {
                TemplatePart::Param(p) => Some(p.as_str()),
                TemplatePart::Literal(_) => None,
            })
            .collect();
        let mut params = Vec::new();
        for ((name, location), (param, param_at)) in declared {
            // A path parameter outside the template would be silently dropped.
            if location == ParamLocation::Path && !in_template.contains(name.as_str()) {
                self.diags.warning(
                    &param_at,
                    format!("path parameter `{name}` does not appear in the path `{}`; it is left out", place.path),
                );
                continue;
            }
            match self.lower_parameter(name, location, param, &param_at, type_prefix, &mut scope) {
                Ok(lowered) => params.push(lowered),
                Err(reported) => failed = Some(reported),
            }
        }
        // A `{name}` of the template that no parameter declares: a string.
        for name in &in_template {
            if !params.iter().any(|p| p.location == ParamLocation::Path && p.wire_name == *name) {
                self.diags.warning(
                    &place.at.join("parameters"),
                    format!("the path has `{{{name}}}`, but no path parameter `{name}` is declared; it is taken as a string"),
                );
                params.push(Param {
                    rust_name: scope.claim_method(&naming::param_name(name)),
                    wire_name: name.to_string(),
                    location: ParamLocation::Path,
                    ty: TypeRef::String,
                    required: true,
                    doc: None,
                    style: Style::Simple,
                    constraints: Constraints::default(),
                    repr: ParamRepr::default(),
                });
            }
        }
        // The header `x-idempotency-key` names is a parameter the caller may
        // set (the client sends a fresh key when it is not set).
        if let Some(header) = idempotency_key {
            let declared =
                params.iter().any(|p| p.location == ParamLocation::Header && p.wire_name.eq_ignore_ascii_case(header));
            if !declared {
                params.push(Param {
                    rust_name: scope.claim_method(&naming::param_name(header)),
                    wire_name: header.to_string(),
                    location: ParamLocation::Header,
                    ty: TypeRef::String,
                    required: false,
                    doc: Some(
                        "A key that makes retries of this call safe: the server applies a call with the same key once. Without it, the client sends a fresh one for the call (and the same one on each retry).".into(),
                    ),
                    style: Style::Simple,
                    constraints: Constraints::default(),
                    repr: ParamRepr::default(),
                });
            }
        }
        params.sort_by(|a, b| (a.location, &a.wire_name).cmp(&(b.location, &b.wire_name)));
        failed.map_or(Ok(params), Err)
    }

    fn lower_parameter(
        &mut self,
        name: String,
        location: ParamLocation,
        param: &'a Parameter,
        param_at: &Pointer,
        type_prefix: &str,
        scope: &mut naming::Scope,
    ) -> Result<Param, Reported> {
        let data = param.parameter_data_ref();
        let (schema, json) = match &data.format {
            ParameterSchemaOrContent::Schema(schema) => (Some(schema_ref(schema)), false),
            ParameterSchemaOrContent::Content(content) => {
                let json = content.keys().any(|k| k.contains("json"));
                (content.values().next().and_then(|m| m.schema.as_ref()).map(schema_ref), json)
            }
        };
        let mut constraints = match schema {
            Some(SchemaRef::Item(schema)) => View::of(schema).constraints,
            _ => Constraints::default(),
        };
        if let Some(example) = &data.example {
            constraints.example = Some(example.to_string());
        }
        let typed = match schema {
            Some(schema) => self.type_of(schema, &NameCtx::new(type_prefix, &name), &param_at.join("schema"))?,
            None => Typed { ty: TypeRef::String, nullable: false },
        };
        let style = if json { Style::Json } else { style_of(param, data.explode) };
        Ok(Param {
            rust_name: scope.claim_method(&naming::param_name(&name)),
            wire_name: name,
            location,
            ty: without_null_items(typed.ty),
            required: data.required || location == ParamLocation::Path,
            doc: data.description.clone(),
            style,
            constraints,
            repr: ParamRepr::default(),
        })
    }

    fn resolve_parameter(
        &mut self,
        param: &'a ReferenceOr<Parameter>,
        at: &Pointer,
    ) -> Result<(&'a Parameter, Pointer), Reported> {
        self.resolve(param, at, "parameters", "a parameter", |c| &c.parameters)
    }

    /// The item a `$ref` to `#/components/<section>/<name>` names (one level:
    /// a reference to a reference is refused), with the pointer to it.
    pub(super) fn resolve<T>(
        &mut self,
        item: &'a ReferenceOr<T>,
        at: &Pointer,
        section: &str,
        what: &str,
        entries: impl Fn(&'a openapiv3::Components) -> &'a IndexMap<String, ReferenceOr<T>>,
    ) -> Result<(&'a T, Pointer), Reported> {
        let reference = match item {
            ReferenceOr::Item(item) => return Ok((item, at.clone())),
            ReferenceOr::Reference { reference } => reference,
        };
        let prefix = format!("#/components/{section}/");
        let key = reference.strip_prefix(prefix.as_str());
        let doc: &'a openapiv3::OpenAPI = &self.loaded.doc;
        match key.and_then(|k| doc.components.as_ref().and_then(|c| entries(c).get(k)).map(|found| (k, found))) {
            Some((k, ReferenceOr::Item(found))) => {
                Ok((found, Pointer::root().join("components").join(section).join(k)))
            }
            _ => Err(self
                .diags
                .error(at, format!("`$ref: {reference}` does not point to {what} in `#/components/{section}`"))),
        }
    }
}

/// The style a parameter declares, or its location's default (`form`,
/// exploded, for query and cookie; `simple` for path and header).
fn style_of(param: &Parameter, explode: Option<bool>) -> Style {
    // `form` explodes unless told not to; `label` and `matrix` do not
    // unless told to.
    let form = if explode.unwrap_or(true) { Style::Form } else { Style::FormCompact };
    let exploded = explode == Some(true);
    match param {
        Parameter::Query { style, .. } => match style {
            QueryStyle::Form => form,
            QueryStyle::SpaceDelimited => Style::SpaceDelimited,
            QueryStyle::PipeDelimited => Style::PipeDelimited,
            QueryStyle::DeepObject => Style::DeepObject,
        },
        Parameter::Cookie { .. } => form,
        Parameter::Path { style, .. } => match style {
            PathStyle::Simple if explode == Some(true) => Style::SimpleExploded,
            PathStyle::Simple => Style::Simple,
            PathStyle::Label if exploded => Style::LabelExploded,
            PathStyle::Label => Style::Label,
            PathStyle::Matrix if exploded => Style::MatrixExploded,
            PathStyle::Matrix => Style::Matrix,
        },
        Parameter::Header { .. } if explode == Some(true) => Style::SimpleExploded,
        Parameter::Header { .. } => Style::Simple,
    }
}

/// A parameter's type without nullable items: a null has no text form in a
/// path, query, header or cookie, so only values are sent.
fn without_null_items(ty: TypeRef) -> TypeRef {
    match ty {
        TypeRef::Nullable(inner) => without_null_items(*inner),
        TypeRef::List(inner) => TypeRef::List(Box::new(without_null_items(*inner))),
        TypeRef::Map(inner) => TypeRef::Map(Box::new(without_null_items(*inner))),
        other => other,
    }
}
