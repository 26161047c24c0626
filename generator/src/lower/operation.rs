//! Paths → [`crate::ir::Operation`]s: one per method of each path item.
//! Parameters are lowered in `parameters`, bodies and responses in `media`.

use super::extensions::{envelope_hint, idempotency_key_hint, idempotent_hint, pagination_hint};
use super::Lowerer;
use crate::diagnostics::{Pointer, Reported};
use crate::ir::{Method, Operation, Param, ParamId, ParamLocation, PathSegment, SchemeId, SecurityScheme};
use crate::{naming, scopes};
use openapiv3::ReferenceOr;

impl<'a> Lowerer<'a> {
    /// Every operation that lowers, and the pointers of those left out: an
    /// operation that uses something unsupported costs only itself (its
    /// problems become warnings).
    pub(super) fn lower_operations(&mut self, schemes: &[SecurityScheme]) -> (Vec<Operation>, Vec<String>) {
        let doc = &self.loaded.doc;
        let mut paths: Vec<(&String, &ReferenceOr<openapiv3::PathItem>)> = doc.paths.paths.iter().collect();
        paths.sort_by(|a, b| a.0.cmp(b.0));
        // Each operation is a method of `Client`.
        let mut scope = naming::Scope::with_reserved(scopes::client_method_names());
        let mut operations = Vec::new();
        let mut skipped = Vec::new();
        for (path, item) in paths {
            let path_at = Pointer::root().join("paths").join(path);
            let ReferenceOr::Item(item) = item else {
                self.diags.warning(&path_at, "a `$ref` path item that could not be resolved; the path is left out");
                continue;
            };
            for method in Method::ALL {
                let op = match method {
                    Method::Query => self.loaded.query_operations.get(path.as_str()),
                    _ => path_operation(item, method),
                };
                let Some(op) = op else { continue };
                let at = path_at.join(method.key());
                let wanted = match &op.operation_id {
                    Some(id) => naming::snake_name(id, "op"),
                    None => derived_name(method.key(), path),
                };
                let rust_name = scope.claim(&wanted, "_");
                let place = Place { method, path, path_parameters: &item.parameters, at };
                let mark = self.diags.mark();
                match self.lower_operation(rust_name, &place, op, schemes) {
                    Ok(operation) => operations.push(operation),
                    Err(_) => {
                        self.diags.downgrade_since(mark);
                        self.diags.warning(
                            &place.at,
                            format!(
                                "`{} {path}` is left out of the client: it uses what the generator cannot represent (the warnings at this operation say what)",
                                method.as_str()
                            ),
                        );
                        skipped.push(place.at.to_string());
                    }
                }
            }
        }
        operations.sort_by(|a, b| a.rust_name.cmp(&b.rust_name));
        (operations, skipped)
    }

    /// One operation; `Err` when a part of it could not be lowered.
    fn lower_operation(
        &mut self,
        rust_name: String,
        place: &Place<'a, '_>,
        op: &'a openapiv3::Operation,
        schemes: &[SecurityScheme],
    ) -> Result<Operation, Reported> {
        let type_prefix = naming::type_name(&rust_name);
        let at = &place.at;
        // Every part is lowered (and its problems reported) before giving up.
        let template = parse_path(place.path);
        let idempotency_key = idempotency_key_hint(&op.extensions, &self.loaded.doc.extensions, at, self.diags);
        let key_header = idempotency_key.as_ref().ok().and_then(Option::as_deref);
        let params = self.lower_parameters(place, op, &type_prefix, &template, key_header);
        let body = match &op.request_body {
            None => Ok(None),
            Some(body) => self.lower_body(body, &type_prefix, &at.join("requestBody")).map(Some),
        };
        let responses = self.lower_responses(op, &type_prefix, at);
        let security = self.lower_requirements(op, schemes, at);
        let pagination_hint = pagination_hint(&op.extensions, at, self.diags);
        let idempotent_hint = idempotent_hint(&op.extensions, at, self.diags);
        let envelope_hint = envelope_hint(&op.extensions, &self.loaded.doc.extensions, at, self.diags);
        let params = params?;
        let path_segments = link_path(&template, &params);
        Ok(Operation {
            rust_name,
            type_prefix,
            method: place.method,
            path: place.path.to_string(),
            path_segments,
            summary: op.summary.clone(),
            description: op.description.clone(),
            deprecated: op.deprecated,
            params,
            body: body?,
            responses: responses?,
            security: security?,
            origin: at.to_string(),
            operation_id: op.operation_id.clone(),
            tags: op.tags.clone(),
            pagination_hint: pagination_hint?,
            idempotent_hint: idempotent_hint?,
            envelope_hint: envelope_hint?,
            idempotency_key_hint: idempotency_key?,
            idempotency_key: None,
            idempotent: false,
            names: Default::default(),
            success: Default::default(),
            pagination: None,
            accept: Default::default(),
            streams: false,
            events: None,
            default_success: false,
            features: Vec::new(),
        })
    }

    /// The operation's security requirements (or the document's when it
    /// has none of its own), each an alternative of schemes by their index
    /// in `schemes` (the API's, in their final order).
    fn lower_requirements(
        &mut self,
        op: &openapiv3::Operation,
        schemes: &[SecurityScheme],
        at: &Pointer,
    ) -> Result<Vec<Vec<SchemeId>>, Reported> {
        let requirements = op.security.as_ref().or(self.loaded.doc.security.as_ref());
        let mut alternatives = Vec::new();
        'requirements: for (i, requirement) in requirements.into_iter().flatten().enumerate() {
            let mut together = Vec::new();
            for scheme_name in requirement.keys() {
                match schemes.iter().position(|s| &s.wire_name == scheme_name).map(SchemeId) {
                    Some(id) if !together.contains(&id) => together.push(id),
                    Some(_) => {}
                    // The client cannot send a credential it knows nothing of.
                    None => {
                        self.diags.warning(
                            &at.join("security").join(i),
                            format!("security scheme `{scheme_name}` is not defined (or not supported) in `components.securitySchemes`; this requirement is left out"),
                        );
                        continue 'requirements;
                    }
                }
            }
            together.sort();
            if !alternatives.contains(&together) {
                alternatives.push(together);
            }
        }
        Ok(alternatives)
    }
}

/// Where an operation sits in the document.
pub(super) struct Place<'a, 'p> {
    pub(super) method: Method,
    pub(super) path: &'p str,
    /// The path item's parameters, which apply unless the operation
    /// redefines them.
    pub(super) path_parameters: &'a [ReferenceOr<openapiv3::Parameter>],
    pub(super) at: Pointer,
}

fn path_operation(item: &openapiv3::PathItem, method: Method) -> Option<&openapiv3::Operation> {
    match method {
        Method::Get => item.get.as_ref(),
        Method::Put => item.put.as_ref(),
        Method::Post => item.post.as_ref(),
        Method::Delete => item.delete.as_ref(),
        Method::Options => item.options.as_ref(),
        Method::Head => item.head.as_ref(),
        Method::Patch => item.patch.as_ref(),
        Method::Trace => item.trace.as_ref(),
        // Not a field of openapiv3's path item: loading keeps it aside.
        Method::Query => None,
    }
}

/// A method name for an operation without `operationId`: the method, then
/// the path's words, with `{id}` read as `by_id`.
fn derived_name(method: &str, path: &str) -> String {
    let mut words = vec![method.to_string()];
    for segment in path.split('/').filter(|s| !s.is_empty()) {
        match segment.strip_prefix('{').and_then(|s| s.strip_suffix('}')) {
            Some(param) => words.push(format!("by_{param}")),
            None => words.push(segment.to_string()),
        }
    }
    naming::snake_name(&words.join("_"), "op")
}

/// A piece of a path template, before its parameters are lowered.
#[derive(Debug, PartialEq, Eq)]
pub(super) enum TemplatePart {
    Literal(String),
    /// `{name}`.
    Param(String),
}

fn parse_path(path: &str) -> Vec<TemplatePart> {
    let mut segments = Vec::new();
    let mut rest = path;
    while let Some(open) = rest.find('{') {
        let Some(close) = rest[open..].find('}') else {
            break;
        };
        if open > 0 {
            segments.push(TemplatePart::Literal(rest[..open].to_string()));
        }
        segments.push(TemplatePart::Param(rest[open + 1..open + close].to_string()));
        rest = &rest[open + close + 1..];
    }
    if !rest.is_empty() {
        segments.push(TemplatePart::Literal(rest.to_string()));
    }
    segments
}

/// The template with each `{name}` linked to its path parameter. Lowering
/// the parameters gave every name one (declared, or a string), so every
/// link is found.
fn link_path(template: &[TemplatePart], params: &[Param]) -> Vec<PathSegment> {
    template
        .iter()
        .map(|part| match part {
            TemplatePart::Literal(text) => PathSegment::Literal(text.clone()),
            TemplatePart::Param(name) => {
                let index = params
                    .iter()
                    .position(|p| p.location == ParamLocation::Path && p.wire_name == *name)
                    .unwrap_or_else(|| panic!("the path parameter `{name}` was not lowered"));
                PathSegment::Param(ParamId(index))
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn derived_names() {
        assert_eq!(derived_name("get", "/console/v1/autotunes"), "get_console_v1_autotunes");
        assert_eq!(
            derived_name("put", "/console/v1/autotunes/{id}/make_decision"),
            "put_console_v1_autotunes_by_id_make_decision"
        );
        assert_eq!(derived_name("get", "/"), "get");
    }

    #[test]
    fn paths_split_into_segments() {
        assert_eq!(
            parse_path("/a/{id}/b{x}"),
            vec![
                TemplatePart::Literal("/a/".into()),
                TemplatePart::Param("id".into()),
                TemplatePart::Literal("/b".into()),
                TemplatePart::Param("x".into()),
            ]
        );
    }
}
