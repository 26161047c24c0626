//! Paths and operations → [`crate::ir::Operation`], and security schemes.

use super::schema::schema_ref;
use super::{Lowerer, NameCtx, Role};
use crate::diagnostics::Pointer;
use crate::ir::{
    Body, Operation, Param, ParamLocation, PathSegment, Response, ResponseBody, SecurityKind, SecurityScheme, Status,
    TypeRef,
};
use crate::naming;
use indexmap::IndexMap;
use openapiv3::{
    APIKeyLocation, MediaType, Parameter, ParameterSchemaOrContent, ReferenceOr, RequestBody, Response as OaResponse,
    StatusCode,
};
use std::collections::BTreeSet;

const METHODS: [&str; 8] = ["get", "put", "post", "delete", "options", "head", "patch", "trace"];

/// Names a request builder uses for its own methods and for the locals of
/// `send`; a parameter of such a name gets another.
const BUILDER_METHODS: [&str; 9] =
    ["send", "client", "body", "into_future", "base_url", "url", "request", "query", "raw"];

impl<'a> Lowerer<'a> {
    pub(super) fn lower_security_schemes(&mut self) -> Vec<SecurityScheme> {
        let Some(components) = &self.loaded.doc.components else {
            return Vec::new();
        };
        let mut keys: Vec<&String> = components.security_schemes.keys().collect();
        keys.sort();
        let mut scope = naming::Scope::with_reserved([
            "base_url",
            "http_client",
            "timeout",
            "connect_timeout",
            "user_agent",
            "build",
        ]);
        let mut out = Vec::new();
        for key in keys {
            let at = Pointer::root().join("components").join("securitySchemes").join(key);
            let ReferenceOr::Item(scheme) = &components.security_schemes[key.as_str()] else {
                self.diags.error(&at, "a `$ref` security scheme is not supported; define it inline");
                continue;
            };
            use openapiv3::SecurityScheme as S;
            let (kind, doc) = match scheme {
                S::APIKey { location, name, description, .. } => (
                    match location {
                        APIKeyLocation::Header => SecurityKind::ApiKeyHeader(name.clone()),
                        APIKeyLocation::Query => SecurityKind::ApiKeyQuery(name.clone()),
                        APIKeyLocation::Cookie => SecurityKind::ApiKeyCookie(name.clone()),
                    },
                    description.clone(),
                ),
                S::HTTP { scheme, description, .. } if scheme.eq_ignore_ascii_case("bearer") => {
                    (SecurityKind::Bearer, description.clone())
                }
                S::HTTP { scheme, description, .. } if scheme.eq_ignore_ascii_case("basic") => {
                    (SecurityKind::Basic, description.clone())
                }
                S::HTTP { scheme, .. } => {
                    self.diags.error(
                        &at.join("scheme"),
                        format!("HTTP authentication scheme `{scheme}` is not supported (bearer and basic are)"),
                    );
                    continue;
                }
                // The client cannot run an OAuth flow; it sends the access
                // token the caller obtained as a bearer token.
                S::OAuth2 { description, .. } | S::OpenIDConnect { description, .. } => {
                    (SecurityKind::Bearer, description.clone())
                }
            };
            out.push(SecurityScheme {
                wire_name: key.clone(),
                rust_name: scope.claim(&naming::snake_name(key, "auth"), "_"),
                kind,
                doc,
            });
        }
        out
    }

    pub(super) fn lower_operations(&mut self, schemes: &[SecurityScheme]) -> Vec<Operation> {
        let doc = &self.loaded.doc;
        let mut paths: Vec<(&String, &ReferenceOr<openapiv3::PathItem>)> = doc.paths.paths.iter().collect();
        paths.sort_by(|a, b| a.0.cmp(b.0));
        let mut scope = naming::Scope::with_reserved(["new", "builder", "base_url", "http_client"]);
        let mut operations = Vec::new();
        for (path, item) in paths {
            let path_at = Pointer::root().join("paths").join(path);
            let ReferenceOr::Item(item) = item else {
                self.diags.error(&path_at, "a `$ref` path item is not supported; define the path inline");
                continue;
            };
            for (method, op) in METHODS.iter().zip(path_ops(item)) {
                let Some(op) = op else { continue };
                let at = path_at.join(method);
                let wanted = match &op.operation_id {
                    Some(id) => naming::snake_name(id, "op"),
                    None => derived_name(method, path),
                };
                let rust_name = scope.claim(&wanted, "_");
                if let Some(operation) =
                    self.lower_operation(rust_name, method, path, &item.parameters, op, schemes, &at)
                {
                    operations.push(operation);
                }
            }
        }
        operations.sort_by(|a, b| a.rust_name.cmp(&b.rust_name));
        operations
    }

    #[allow(clippy::too_many_arguments)]
    fn lower_operation(
        &mut self,
        rust_name: String,
        method: &str,
        path: &str,
        path_params: &'a [ReferenceOr<Parameter>],
        op: &'a openapiv3::Operation,
        schemes: &[SecurityScheme],
        at: &Pointer,
    ) -> Option<Operation> {
        let type_prefix = naming::type_name(&rust_name);
        let mut failed = false;

        // Path-level parameters apply unless the operation redefines them.
        let mut declared: IndexMap<(String, &'static str), (&'a Parameter, Pointer)> = IndexMap::new();
        let path_at = Pointer::root().join("paths").join(path).join("parameters");
        let op_at = at.join("parameters");
        let sources = path_params
            .iter()
            .enumerate()
            .map(|(i, p)| (p, path_at.join(i)))
            .chain(op.parameters.iter().enumerate().map(|(i, p)| (p, op_at.join(i))));
        for (param, param_at) in sources {
            let Some((param, param_at)) = self.resolve_parameter(param, &param_at) else {
                failed = true;
                continue;
            };
            let loc = match param {
                Parameter::Path { .. } => "path",
                Parameter::Query { .. } => "query",
                Parameter::Header { .. } => "header",
                Parameter::Cookie { .. } => "cookie",
            };
            // OpenAPI 3.0: header parameters named Accept, Content-Type or
            // Authorization "SHALL be ignored"; the client sets those itself.
            let name = &param.parameter_data_ref().name;
            if loc == "header"
                && ["accept", "content-type", "authorization"].contains(&name.to_ascii_lowercase().as_str())
            {
                continue;
            }
            declared.insert((param.parameter_data_ref().name.clone(), loc), (param, param_at));
        }
        let mut scope = naming::Scope::with_reserved(BUILDER_METHODS);
        let mut params = Vec::new();
        // Path parameters (positional arguments) claim names first, then
        // query, then header ones: sorted, so key order never matters.
        let rank = |loc: &str| ["path", "query", "header", "cookie"].iter().position(|l| *l == loc).unwrap_or(4);
        declared.sort_by(|(a_name, a_loc), _, (b_name, b_loc), _| (rank(a_loc), a_name).cmp(&(rank(b_loc), b_name)));
        for ((name, loc), (param, param_at)) in declared {
            let location = match loc {
                "path" => ParamLocation::Path,
                "query" => ParamLocation::Query,
                "header" => ParamLocation::Header,
                _ => {
                    self.diags.error(&param_at, format!("cookie parameter `{name}` is not supported"));
                    failed = true;
                    continue;
                }
            };
            let data = param.parameter_data_ref();
            let schema = match &data.format {
                ParameterSchemaOrContent::Schema(schema) => Some(schema_ref(schema)),
                ParameterSchemaOrContent::Content(content) => {
                    content.values().next().and_then(|m| m.schema.as_ref()).map(schema_ref)
                }
            };
            let typed = match schema {
                Some(schema) => self.type_of(schema, &NameCtx::new(&type_prefix, &name), &param_at.join("schema")),
                None => Some(super::schema::Typed { ty: TypeRef::String, nullable: false }),
            };
            let Some(typed) = typed else {
                failed = true;
                continue;
            };
            params.push(Param {
                rust_name: scope.claim(&naming::snake_name(&name, "param"), "_"),
                wire_name: name,
                location,
                ty: typed.ty,
                required: data.required || location == ParamLocation::Path,
                doc: data.description.clone(),
            });
        }
        params.sort_by(|a, b| (a.location, &a.wire_name).cmp(&(b.location, &b.wire_name)));

        let path_segments = parse_path(path);
        let in_template: BTreeSet<&str> = path_segments
            .iter()
            .filter_map(|s| match s {
                PathSegment::Param(p) => Some(p.as_str()),
                PathSegment::Literal(_) => None,
            })
            .collect();
        for name in &in_template {
            if !params.iter().any(|p| p.location == ParamLocation::Path && p.wire_name == *name) {
                self.diags.error(
                    &at.join("parameters"),
                    format!("the path has `{{{name}}}`, but no path parameter `{name}` is declared"),
                );
                failed = true;
            }
        }
        for p in params.iter().filter(|p| p.location == ParamLocation::Path) {
            if !in_template.contains(p.wire_name.as_str()) {
                self.diags.error(
                    &at.join("parameters"),
                    format!("path parameter `{}` does not appear in the path `{path}`", p.wire_name),
                );
                failed = true;
            }
        }

        let body = match &op.request_body {
            None => None,
            Some(body) => {
                let body_at = at.join("requestBody");
                let lowered = self.lower_body(body, &type_prefix, &body_at);
                failed |= lowered.is_none();
                lowered
            }
        };

        let mut responses = Vec::new();
        let success_count = op.responses.responses.keys().filter(|s| status_of(s).is_success()).count();
        let entries = op
            .responses
            .responses
            .iter()
            .map(|(s, r)| (status_of(s), r))
            .chain(op.responses.default.iter().map(|r| (Status::Default, r)));
        for (status, response) in entries {
            let response_at = at.join("responses").join(status_key(status));
            let leaf = match status {
                s if s.is_success() && success_count == 1 => "Response".to_string(),
                s if s.is_success() => format!("Response{}", status_key(s)),
                _ => status_variant(status),
            };
            let role = if status.is_success() { Role::Success } else { Role::Error };
            match self.lower_response(response, &NameCtx::new(&type_prefix, &leaf).with_role(role), &response_at) {
                Some((description, body)) => {
                    responses.push(Response { status, variant: status_variant(status), description, body })
                }
                None => failed = true,
            }
        }
        responses.sort_by_key(|r| r.status);

        let requirements = op.security.as_ref().or(self.loaded.doc.security.as_ref());
        let mut security = Vec::new();
        for (i, requirement) in requirements.into_iter().flatten().enumerate() {
            for scheme_name in requirement.keys() {
                match schemes.iter().find(|s| &s.wire_name == scheme_name) {
                    Some(s) if !security.contains(&s.rust_name) => security.push(s.rust_name.clone()),
                    Some(_) => {}
                    None => {
                        self.diags.error(
                            &at.join("security").join(i),
                            format!("security scheme `{scheme_name}` is not defined in `components.securitySchemes`"),
                        );
                        failed = true;
                    }
                }
            }
        }
        security.sort();

        (!failed).then(|| Operation {
            rust_name,
            type_prefix,
            method: method.to_ascii_uppercase(),
            path: path.to_string(),
            path_segments,
            summary: op.summary.clone(),
            description: op.description.clone(),
            deprecated: op.deprecated,
            params,
            body,
            responses,
            security,
            origin: at.to_string(),
        })
    }

    fn resolve_parameter(
        &mut self,
        param: &'a ReferenceOr<Parameter>,
        at: &Pointer,
    ) -> Option<(&'a Parameter, Pointer)> {
        self.resolve(param, at, "parameters", "a parameter", |c| &c.parameters)
    }

    /// The item a `$ref` to `#/components/<section>/<name>` names (one level:
    /// a reference to a reference is refused), with the pointer to it.
    fn resolve<T>(
        &mut self,
        item: &'a ReferenceOr<T>,
        at: &Pointer,
        section: &str,
        what: &str,
        entries: impl Fn(&'a openapiv3::Components) -> &'a IndexMap<String, ReferenceOr<T>>,
    ) -> Option<(&'a T, Pointer)> {
        let reference = match item {
            ReferenceOr::Item(item) => return Some((item, at.clone())),
            ReferenceOr::Reference { reference } => reference,
        };
        let prefix = format!("#/components/{section}/");
        let key = reference.strip_prefix(prefix.as_str());
        let doc: &'a openapiv3::OpenAPI = &self.loaded.doc;
        match key.and_then(|k| doc.components.as_ref().and_then(|c| entries(c).get(k)).map(|found| (k, found))) {
            Some((k, ReferenceOr::Item(found))) => {
                Some((found, Pointer::root().join("components").join(section).join(k)))
            }
            _ => {
                self.diags
                    .error(at, format!("`$ref: {reference}` does not point to {what} in `#/components/{section}`"));
                None
            }
        }
    }

    fn lower_body(&mut self, body: &'a ReferenceOr<RequestBody>, prefix: &str, at: &Pointer) -> Option<Body> {
        let (body, at) = self.resolve(body, at, "requestBodies", "a request body", |c| &c.request_bodies)?;
        let Some((media_type, media)) = pick_json(&body.content) else {
            let types: Vec<&str> = body.content.keys().map(String::as_str).collect();
            self.diags.error(
                &at.join("content"),
                format!("unsupported request media type(s) {types:?}; only JSON request bodies are supported"),
            );
            return None;
        };
        let media_at = at.join("content").join(media_type);
        let ty = match &media.schema {
            Some(schema) => {
                self.type_of(schema_ref(schema), &NameCtx::new(prefix, "Body"), &media_at.join("schema"))?.ty
            }
            None => TypeRef::Json,
        };
        Some(Body { ty, required: body.required, media_type: media_type.to_string(), doc: body.description.clone() })
    }

    fn lower_response(
        &mut self,
        response: &'a ReferenceOr<OaResponse>,
        ctx: &NameCtx,
        at: &Pointer,
    ) -> Option<(String, ResponseBody)> {
        let (response, at) = self.resolve(response, at, "responses", "a response", |c| &c.responses)?;
        let body = if response.content.is_empty() {
            ResponseBody::Empty
        } else if let Some((media_type, media)) = pick_json(&response.content) {
            let media_at = at.join("content").join(media_type);
            match &media.schema {
                Some(schema) => ResponseBody::Json(self.type_of(schema_ref(schema), ctx, &media_at.join("schema"))?.ty),
                None => ResponseBody::Json(TypeRef::Json),
            }
        } else if response.content.keys().any(|k| k.starts_with("text/")) {
            ResponseBody::Text
        } else {
            ResponseBody::Bytes
        };
        Some((response.description.clone(), body))
    }
}

fn path_ops(item: &openapiv3::PathItem) -> [Option<&openapiv3::Operation>; 8] {
    [
        item.get.as_ref(),
        item.put.as_ref(),
        item.post.as_ref(),
        item.delete.as_ref(),
        item.options.as_ref(),
        item.head.as_ref(),
        item.patch.as_ref(),
        item.trace.as_ref(),
    ]
}

/// `application/json`, else any `…+json` or `…/json` type, picked by name
/// so the choice does not depend on key order.
fn pick_json(content: &IndexMap<String, MediaType>) -> Option<(&str, &MediaType)> {
    if let Some((k, m)) = content.get_key_value("application/json") {
        return Some((k, m));
    }
    let mut json: Vec<(&String, &MediaType)> = content
        .iter()
        .filter(|(k, _)| {
            let essence = k.split(';').next().unwrap_or(k).trim();
            essence.ends_with("/json") || essence.ends_with("+json")
        })
        .collect();
    json.sort_by(|a, b| a.0.cmp(b.0));
    json.first().map(|(k, m)| (k.as_str(), *m))
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

fn parse_path(path: &str) -> Vec<PathSegment> {
    let mut segments = Vec::new();
    let mut rest = path;
    while let Some(open) = rest.find('{') {
        let Some(close) = rest[open..].find('}') else {
            break;
        };
        if open > 0 {
            segments.push(PathSegment::Literal(rest[..open].to_string()));
        }
        segments.push(PathSegment::Param(rest[open + 1..open + close].to_string()));
        rest = &rest[open + close + 1..];
    }
    if !rest.is_empty() {
        segments.push(PathSegment::Literal(rest.to_string()));
    }
    segments
}

fn status_of(code: &StatusCode) -> Status {
    match code {
        StatusCode::Code(c) => Status::Code(*c),
        StatusCode::Range(r) => Status::Range(*r),
    }
}

fn status_key(status: Status) -> String {
    match status {
        Status::Code(c) => c.to_string(),
        Status::Range(r) => format!("{r}XX"),
        Status::Default => "default".into(),
    }
}

/// The variant name of a response in the operation's error enum.
fn status_variant(status: Status) -> String {
    let known = match status {
        Status::Code(code) => match code {
            200 => "Ok",
            201 => "Created",
            202 => "Accepted",
            204 => "NoContent",
            400 => "BadRequest",
            401 => "Unauthorized",
            402 => "PaymentRequired",
            403 => "Forbidden",
            404 => "NotFound",
            405 => "MethodNotAllowed",
            406 => "NotAcceptable",
            408 => "RequestTimeout",
            409 => "Conflict",
            410 => "Gone",
            412 => "PreconditionFailed",
            413 => "PayloadTooLarge",
            415 => "UnsupportedMediaType",
            422 => "UnprocessableEntity",
            429 => "TooManyRequests",
            500 => "InternalServerError",
            501 => "NotImplemented",
            502 => "BadGateway",
            503 => "ServiceUnavailable",
            504 => "GatewayTimeout",
            _ => "",
        },
        Status::Range(_) | Status::Default => "",
    };
    match (known, status) {
        ("", Status::Code(code)) => format!("Status{code}"),
        ("", Status::Range(r)) => format!("Status{r}xx"),
        ("", Status::Default) => "Default".to_string(),
        (name, _) => name.to_string(),
    }
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
                PathSegment::Literal("/a/".into()),
                PathSegment::Param("id".into()),
                PathSegment::Literal("/b".into()),
                PathSegment::Param("x".into()),
            ]
        );
    }

    #[test]
    fn status_variants() {
        assert_eq!(status_variant(Status::Code(404)), "NotFound");
        assert_eq!(status_variant(Status::Code(418)), "Status418");
        assert_eq!(status_variant(Status::Range(5)), "Status5xx");
        assert_eq!(status_variant(Status::Default), "Default");
    }
}
