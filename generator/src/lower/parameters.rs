//! An operation's parameters: the path item's and its own, each lowered to
//! a typed [`crate::ir::Param`] with a Rust name unique on its request builder.

use super::operation::Place;
use super::schema::{schema_ref, Typed};
use super::view::{SchemaRef, View};
use super::{Lowerer, NameCtx};
use crate::diagnostics::{Pointer, Reported};
use crate::ir::{Constraints, Param, ParamLocation, ParamRepr, TypeRef};
use crate::{naming, scopes};
use indexmap::IndexMap;
use openapiv3::{Parameter, ParameterSchemaOrContent, ReferenceOr};

/// A parameter's location as the document gives it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
enum Declared {
    At(ParamLocation),
    Cookie,
}

impl<'a> Lowerer<'a> {
    /// The parameters of an operation, sorted by location then wire name.
    pub(super) fn lower_parameters(
        &mut self,
        place: &Place<'a, '_>,
        op: &'a openapiv3::Operation,
        type_prefix: &str,
    ) -> Result<Vec<Param>, Reported> {
        let mut failed = None;
        // Path-level parameters apply unless the operation redefines them.
        let mut declared: IndexMap<(String, Declared), (&'a Parameter, Pointer)> = IndexMap::new();
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
                Parameter::Path { .. } => Declared::At(ParamLocation::Path),
                Parameter::Query { .. } => Declared::At(ParamLocation::Query),
                Parameter::Header { .. } => Declared::At(ParamLocation::Header),
                Parameter::Cookie { .. } => Declared::Cookie,
            };
            // OpenAPI 3.0: header parameters named Accept, Content-Type or
            // Authorization "SHALL be ignored"; the client sets those itself.
            let name = &param.parameter_data_ref().name;
            if location == Declared::At(ParamLocation::Header)
                && ["accept", "content-type", "authorization"].contains(&name.to_ascii_lowercase().as_str())
            {
                continue;
            }
            declared.insert((name.clone(), location), (param, param_at));
        }
        // Each parameter is a field, setter or argument of the request
        // builder. Path parameters (positional arguments) claim names first,
        // then query, then header ones: sorted, so key order never matters.
        let mut scope = naming::Scope::with_reserved(scopes::request_builder_names());
        declared.sort_by(|(a_name, a_loc), _, (b_name, b_loc), _| (a_loc, a_name).cmp(&(b_loc, b_name)));
        let mut params = Vec::new();
        for ((name, location), (param, param_at)) in declared {
            let Declared::At(location) = location else {
                failed = Some(self.diags.error(&param_at, format!("cookie parameter `{name}` is not supported")));
                continue;
            };
            let data = param.parameter_data_ref();
            let schema = match &data.format {
                ParameterSchemaOrContent::Schema(schema) => Some(schema_ref(schema)),
                ParameterSchemaOrContent::Content(content) => {
                    content.values().next().and_then(|m| m.schema.as_ref()).map(schema_ref)
                }
            };
            let constraints = match schema {
                Some(SchemaRef::Item(schema)) => View::of(schema).constraints,
                _ => Constraints::default(),
            };
            let typed = match schema {
                Some(schema) => self.type_of(schema, &NameCtx::new(type_prefix, &name), &param_at.join("schema")),
                None => Ok(Typed { ty: TypeRef::String, nullable: false }),
            };
            let typed = match typed {
                Ok(typed) => typed,
                Err(reported) => {
                    failed = Some(reported);
                    continue;
                }
            };
            params.push(Param {
                rust_name: scope.claim(&naming::snake_name(&name, "param"), "_"),
                wire_name: name,
                location,
                ty: typed.ty,
                required: data.required || location == ParamLocation::Path,
                doc: data.description.clone(),
                constraints,
                repr: ParamRepr::default(),
            });
        }
        params.sort_by(|a, b| (a.location, &a.wire_name).cmp(&(b.location, &b.wire_name)));
        failed.map_or(Ok(params), Err)
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
