//! What an operation sends and receives: its request body and its
//! responses, each with a media kind and a type.

use super::inline_names::Role;
use super::schema::schema_ref;
use super::{Lowerer, NameCtx};
use crate::diagnostics::{Pointer, Reported};
use crate::ir::{
    Body, BodyContent, EventStream, Framing, MediaKind, Response, ResponseBody, Status, Style, TypeKind, TypeRef,
};
use indexmap::IndexMap;
use openapiv3::{MediaType, QueryStyle, ReferenceOr, RequestBody, Response as OaResponse, StatusCode};

impl<'a> Lowerer<'a> {
    /// The request body: one content per media kind the operation offers
    /// (the first of each kind by name, `application/json` first), JSON
    /// first, then form, multipart, text and binary.
    pub(super) fn lower_body(
        &mut self,
        body: &'a ReferenceOr<RequestBody>,
        prefix: &str,
        at: &Pointer,
    ) -> Result<Body, Reported> {
        let (body, at) = self.resolve(body, at, "requestBodies", "a request body", |c| &c.request_bodies)?;
        let mut offered: Vec<(&'a String, &'a MediaType)> = body.content.iter().collect();
        offered.sort_by_key(|(name, _)| (MediaKind::of(name), name.as_str() != "application/json", name.as_str()));
        offered.dedup_by_key(|(name, _)| MediaKind::of(name));
        let mut contents = Vec::new();
        for (media_type, media) in offered {
            let media_at = at.join("content").join(media_type);
            let kind = MediaKind::of(media_type);
            let ty = match (kind, &media.schema) {
                (MediaKind::Text, _) => TypeRef::String,
                (MediaKind::Binary, _) => TypeRef::Binary,
                (_, Some(schema)) => {
                    self.type_of(schema_ref(schema), &NameCtx::new(prefix, "Body"), &media_at.join("schema"))?.ty
                }
                (_, None) => TypeRef::Json,
            };
            // Form fields and parts are an object's properties.
            if matches!(kind, MediaKind::Form | MediaKind::Multipart) && !self.is_object_like(&ty) {
                self.diags.warning(
                    &media_at.join("schema"),
                    format!("a `{media_type}` body must be an object (its properties are the fields); this media type is left out"),
                );
                continue;
            }
            let (encoding, form_styles) = match kind {
                MediaKind::Form => (Vec::new(), self.form_styles(media, &media_at)),
                _ => {
                    let mut encoding: Vec<(String, String)> = media
                        .encoding
                        .iter()
                        .filter_map(|(property, e)| e.content_type.clone().map(|ct| (property.clone(), ct)))
                        .collect();
                    encoding.sort();
                    (encoding, Vec::new())
                }
            };
            contents.push(BodyContent { media_type: media_type.clone(), kind, ty, encoding, form_styles });
        }
        if contents.is_empty() {
            return Err(self
                .diags
                .error(&at.join("content"), "the request body offers no media type the client can send"));
        }
        Ok(Body {
            required: body.required,
            doc: body.description.clone(),
            contents,
            choice: None,
            repr: Default::default(),
        })
    }

    /// The styles a form body's `encoding` gives its properties. What the
    /// client cannot honour is said, with its pointer; the property is
    /// then sent the default way.
    fn form_styles(&mut self, media: &MediaType, at: &Pointer) -> Vec<(String, Style)> {
        let mut styles = Vec::new();
        for (property, encoding) in &media.encoding {
            let encoding_at = at.join("encoding").join(property);
            // openapiv3 reads a missing `explode` as false; `form` explodes
            // unless it says otherwise.
            let explode = self.raw_at(&encoding_at.join("explode")).and_then(serde_json::Value::as_bool);
            let style = match (&encoding.style, encoding.content_type.as_deref()) {
                (Some(QueryStyle::DeepObject), _) => Some(Style::DeepObject),
                (Some(QueryStyle::Form), _) if explode == Some(false) => Some(Style::FormCompact),
                (Some(QueryStyle::Form), _) => Some(Style::Form),
                (Some(QueryStyle::SpaceDelimited), _) => Some(Style::SpaceDelimited),
                (Some(QueryStyle::PipeDelimited), _) => Some(Style::PipeDelimited),
                (None, Some(content_type)) if MediaKind::of(content_type) == MediaKind::Json => Some(Style::Json),
                (None, Some(content_type)) => {
                    self.diags.warning(
                        &encoding_at.join("contentType"),
                        format!("a form field in `{content_type}` is not supported; `{property}` is sent as text (scalars) or JSON (objects)"),
                    );
                    None
                }
                (None, None) => None,
            };
            if encoding.allow_reserved {
                self.diags.warning(
                    &encoding_at.join("allowReserved"),
                    format!("`allowReserved` is not honoured: reserved characters in `{property}` are percent-encoded"),
                );
            }
            if let Some(style) = style {
                styles.push((property.clone(), style));
            }
        }
        styles.sort_by(|a, b| a.0.cmp(&b.0));
        styles
    }

    /// A struct, a map or a JSON object (or any JSON value).
    fn is_object_like(&self, ty: &TypeRef) -> bool {
        match ty {
            TypeRef::Map(_) | TypeRef::JsonObject | TypeRef::Json => true,
            TypeRef::Named(id) => match &self.types[id.0].kind {
                TypeKind::Struct(_) => true,
                TypeKind::Alias(inner) => matches!(inner, TypeRef::Map(_) | TypeRef::JsonObject | TypeRef::Json),
                TypeKind::Enum(_) | TypeKind::Union(_) => false,
            },
            _ => false,
        }
    }

    /// Every documented response, ordered by status.
    pub(super) fn lower_responses(
        &mut self,
        op: &'a openapiv3::Operation,
        type_prefix: &str,
        at: &Pointer,
    ) -> Result<Vec<Response>, Reported> {
        let mut responses = Vec::new();
        let mut failed = None;
        let success_count = op.responses.responses.keys().filter(|s| status_of(s).is_success()).count();
        let entries = op
            .responses
            .responses
            .iter()
            .map(|(s, r)| (status_of(s), r))
            .chain(op.responses.default.iter().map(|r| (Status::Default, r)));
        for (status, response) in entries {
            let response_at = at.join("responses").join(status.key());
            let leaf = match status {
                s if s.is_success() && success_count == 1 => "Response".to_string(),
                s if s.is_success() => format!("Response{}", s.key()),
                _ => status_variant(status),
            };
            let role = if status.is_success() { Role::Success } else { Role::Error };
            match self.lower_response(response, &NameCtx::new(type_prefix, &leaf).with_role(role), &response_at) {
                Ok(Lowered { description, body, headers, media_types, stream }) => responses.push(Response {
                    status,
                    variant: status_variant(status),
                    description,
                    body,
                    headers,
                    media_types,
                    stream,
                }),
                Err(reported) => failed = Some(reported),
            }
        }
        responses.sort_by_key(|r| r.status);
        failed.map_or(Ok(responses), Err)
    }

    fn lower_response(
        &mut self,
        response: &'a ReferenceOr<OaResponse>,
        ctx: &NameCtx,
        at: &Pointer,
    ) -> Result<Lowered, Reported> {
        let (response, at) = self.resolve(response, at, "responses", "a response", |c| &c.responses)?;
        let stream = self.lower_stream(&response.content, ctx, &at)?;
        let body = if response.content.is_empty() {
            ResponseBody::Empty
        } else if let Some((media_type, media)) = pick_json(&response.content) {
            let media_at = at.join("content").join(media_type);
            match &media.schema {
                Some(schema) => ResponseBody::Json(self.type_of(schema_ref(schema), ctx, &media_at.join("schema"))?.ty),
                None => ResponseBody::Json(TypeRef::Json),
            }
        } else if response.content.keys().any(|k| MediaKind::of(k) == MediaKind::Text) {
            ResponseBody::Text
        } else {
            ResponseBody::Bytes
        };
        let mut headers: Vec<String> = response.headers.keys().map(|name| name.to_ascii_lowercase()).collect();
        headers.sort();
        headers.dedup();
        let read_as = |media_type: &str| match &body {
            ResponseBody::Json(_) => MediaKind::of(media_type) == MediaKind::Json,
            ResponseBody::Text => MediaKind::of(media_type) == MediaKind::Text,
            ResponseBody::Bytes => true,
            ResponseBody::Empty => false,
        };
        let media_types = response.content.keys().filter(|k| read_as(k)).cloned().collect();
        Ok(Lowered { description: response.description.clone(), body, headers, media_types, stream })
    }

    /// The first streamed media type a response offers (server-sent events
    /// before JSON Lines), with the type of its items.
    fn lower_stream(
        &mut self,
        content: &'a IndexMap<String, MediaType>,
        ctx: &NameCtx,
        at: &Pointer,
    ) -> Result<Option<EventStream>, Reported> {
        let mut streamed: Vec<(Framing, &'a String, &'a MediaType)> =
            content.iter().filter_map(|(name, media)| Framing::of(name).map(|f| (f, name, media))).collect();
        streamed.sort_by_key(|(framing, name, _)| (*framing != Framing::ServerSent, name.as_str()));
        let Some((framing, media_type, media)) = streamed.first().copied() else { return Ok(None) };
        let media_at = at.join("content").join(media_type);
        let item = match &media.schema {
            Some(schema) => {
                let ty = self.type_of(schema_ref(schema), &ctx.child("Event"), &media_at.join("schema"))?.ty;
                // A string schema describes the raw text of each event.
                if ty == TypeRef::String || ty == TypeRef::Binary {
                    TypeRef::String
                } else {
                    ty
                }
            }
            None => TypeRef::String,
        };
        Ok(Some(EventStream { media_type: media_type.clone(), framing, item }))
    }
}

/// A response as lowered.
struct Lowered {
    description: String,
    body: ResponseBody,
    headers: Vec<String>,
    media_types: Vec<String>,
    stream: Option<EventStream>,
}

/// `application/json`, else any `…+json` or `…/json` type, picked by name
/// so the choice does not depend on key order.
fn pick_json(content: &IndexMap<String, MediaType>) -> Option<(&str, &MediaType)> {
    if let Some((k, m)) = content.get_key_value("application/json") {
        return Some((k, m));
    }
    let mut json: Vec<(&String, &MediaType)> =
        content.iter().filter(|(k, _)| MediaKind::of(k) == MediaKind::Json).collect();
    json.sort_by(|a, b| a.0.cmp(b.0));
    json.first().map(|(k, m)| (k.as_str(), *m))
}

fn status_of(code: &StatusCode) -> Status {
    match code {
        StatusCode::Code(c) => Status::Code(*c),
        StatusCode::Range(r) => Status::Range(*r),
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
    fn status_variants() {
        assert_eq!(status_variant(Status::Code(404)), "NotFound");
        assert_eq!(status_variant(Status::Code(418)), "Status418");
        assert_eq!(status_variant(Status::Range(5)), "Status5xx");
        assert_eq!(status_variant(Status::Default), "Default");
    }
}
