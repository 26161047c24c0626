//! What the generated code says of a call before it is sent: its path,
//! parameters (each in its style) and body (in its media type), and the
//! checks of the document's constraints. A problem found here fails the
//! call before anything is sent.
#![cfg(not(omit = "operations"))]

use super::Call;
#[cfg(any(not(omit = "param_path_styled"), not(omit = "param_query_styled"), not(omit = "param_header_styled"), not(omit = "param_cookie_styled"), not(omit = "body_json"), not(omit = "body_form"), not(omit = "body_multipart"), not(omit = "validate_call")))]
use super::Failure;
#[cfg(any(not(omit = "body_json"), not(omit = "body_form"), not(omit = "body_text"), not(omit = "body_binary")))]
use super::Body;
#[cfg(not(omit = "body_form"))]
use super::form_pairs;
#[cfg(any(not(omit = "param_header_styled"), not(omit = "param_cookie_styled")))]
use super::joined;
#[cfg(not(omit = "param_path_styled"))]
use super::path_segment;
#[cfg(not(omit = "param_query_styled"))]
use super::query_pairs;
#[cfg(any(not(omit = "param_query_styled"), not(omit = "param_header_styled"), not(omit = "param_cookie_styled"), not(omit = "body_form")))]
use super::value_of;
#[cfg(not(omit = "body_binary"))]
use super::Binary;
#[cfg(not(omit = "body_multipart"))]
use super::{Multipart, MultipartFields};
#[cfg(not(omit = "style"))]
use super::Style;
#[cfg(not(omit = "validate_call"))]
use super::ValidationError;

impl Call {
    #[cfg(any(not(omit = "param_path_styled"), not(omit = "param_query_styled"), not(omit = "param_header_styled"), not(omit = "param_cookie_styled"), not(omit = "body_json"), not(omit = "body_form"), not(omit = "body_multipart"), not(omit = "validate_call")))]
    fn fail(&mut self, failure: Failure) {
        self.failure.get_or_insert(failure);
    }

    #[cfg(not(omit = "param_path"))]
    /// A path parameter, percent-encoded as one path segment. A value that
    /// would change what the path means (empty, `.` or `..`) is refused.
    pub(crate) fn path_segment<T: serde::Serialize + ?Sized>(&mut self, name: &str, value: &T) -> String {
        self.path_segment_styled(name, value, Style::Simple)
    }

    #[cfg(not(omit = "param_path_styled"))]
    /// A path parameter in the given style (`label`, `matrix`, exploded).
    pub(crate) fn path_segment_styled<T: serde::Serialize + ?Sized>(
        &mut self,
        name: &str,
        value: &T,
        style: Style,
    ) -> String {
        match path_segment(name, value, style) {
            Ok(segment) => segment,
            Err(message) => {
                self.fail(Failure::InvalidRequest(message));
                String::new()
            }
        }
    }

    /// The path below the base URL, its parameters already encoded.
    pub(crate) fn set_path(&mut self, path: String) {
        self.path = path;
    }

    #[cfg(not(omit = "param_query"))]
    /// A query parameter in `form` style, exploded (`name=a&name=b` for a
    /// list, a parameter per property for an object; nothing for `None`).
    pub(crate) fn query<T: serde::Serialize + ?Sized>(&mut self, name: &'static str, value: &T) {
        self.query_styled(name, value, Style::Form)
    }

    #[cfg(not(omit = "param_query_styled"))]
    /// A query parameter in the given style.
    pub(crate) fn query_styled<T: serde::Serialize + ?Sized>(&mut self, name: &'static str, value: &T, style: Style) {
        match value_of(name, value).and_then(|value| query_pairs(name, &value, style)) {
            Ok(pairs) => self.query.extend(pairs),
            Err(message) => self.fail(Failure::InvalidRequest(message)),
        }
    }

    #[cfg(not(omit = "param_header"))]
    /// A header parameter (`simple` style: lists comma-separated; nothing for `None`).
    pub(crate) fn header<T: serde::Serialize + ?Sized>(&mut self, name: &'static str, value: &T) {
        self.header_styled(name, value, Style::Simple)
    }

    #[cfg(not(omit = "param_header_styled"))]
    /// A header parameter in the given style.
    pub(crate) fn header_styled<T: serde::Serialize + ?Sized>(&mut self, name: &'static str, value: &T, style: Style) {
        match value_of(name, value).and_then(|value| joined(name, &value, style)) {
            Ok(Some(text)) => self.headers.push((name, text)),
            Ok(None) => {}
            Err(message) => self.fail(Failure::InvalidRequest(message)),
        }
    }

    #[cfg(not(omit = "param_cookie"))]
    /// A cookie parameter (`form` style; nothing for `None`).
    pub(crate) fn cookie<T: serde::Serialize + ?Sized>(&mut self, name: &'static str, value: &T) {
        self.cookie_styled(name, value, Style::FormCompact)
    }

    #[cfg(not(omit = "param_cookie_styled"))]
    /// A cookie parameter in the given style.
    pub(crate) fn cookie_styled<T: serde::Serialize + ?Sized>(&mut self, name: &'static str, value: &T, style: Style) {
        match value_of(name, value).and_then(|value| joined(name, &value, style)) {
            Ok(Some(text)) => self.cookies.push((name, text)),
            Ok(None) => {}
            Err(message) => self.fail(Failure::InvalidRequest(message)),
        }
    }

    #[cfg(not(omit = "body_json"))]
    /// A JSON body with its media type.
    pub(crate) fn json_body<T: serde::Serialize + ?Sized>(&mut self, media_type: &'static str, body: &T) {
        match serde_json::to_vec(body) {
            Ok(bytes) => self.body = Some(Body::bytes(media_type, bytes.into())),
            Err(err) => self.fail(Failure::InvalidRequest(format!("the body does not serialize: {err}"))),
        }
    }

    #[cfg(not(omit = "body_form"))]
    /// An `application/x-www-form-urlencoded` body: the value's properties
    /// as fields (lists repeat the name; objects and lists of objects as
    /// JSON text).
    /// A form body; `styles` are the styles the document's `encoding` gives
    /// some of its properties.
    pub(crate) fn form_body<T: serde::Serialize + ?Sized>(
        &mut self,
        media_type: &'static str,
        body: &T,
        styles: &[(&str, Style)],
    ) {
        let encoded = value_of("body", body).and_then(|value| form_pairs(&value, styles)).map(|pairs| {
            let mut serializer = reqwest::Url::parse("x:").expect("a valid URL");
            serializer.query_pairs_mut().extend_pairs(pairs);
            serializer.query().unwrap_or_default().to_string()
        });
        match encoded {
            Ok(text) => self.body = Some(Body::bytes(media_type, text.into())),
            Err(message) => self.fail(Failure::InvalidRequest(message)),
        }
    }

    #[cfg(not(omit = "body_text"))]
    /// A text body (`text/plain`, `text/csv`…).
    pub(crate) fn text_body(&mut self, media_type: &'static str, body: &str) {
        self.body = Some(Body::bytes(media_type, body.to_string().into()));
    }

    #[cfg(not(omit = "body_binary"))]
    /// A binary body: the bytes or the stream as they are, with its own
    /// content type if it has one, else the operation's.
    pub(crate) fn binary_body(&mut self, media_type: &'static str, body: &Binary) {
        let content_type = body.content_type.clone().unwrap_or_else(|| media_type.to_string());
        self.body = Some(Body { content_type, data: body.data.clone() });
    }

    #[cfg(not(omit = "body_multipart"))]
    /// A `multipart/form-data` body: a part per property (see [`Multipart`]),
    /// with part content types from the spec's `encoding`.
    pub(crate) fn multipart_body<T: MultipartFields + ?Sized>(
        &mut self,
        media_type: &'static str,
        body: &T,
        encoding: &'static [(&'static str, &'static str)],
    ) {
        let mut form = Multipart { parts: Vec::new(), encoding, failure: None };
        body.write_parts(&mut form);
        match form.into_body(media_type) {
            Ok(body) => self.body = Some(body),
            Err(message) => self.fail(Failure::InvalidRequest(message)),
        }
    }

    #[cfg(not(omit = "validate_call"))]
    /// The outcome of a check of the spec's constraints on a value.
    pub(crate) fn check(&mut self, outcome: Result<(), ValidationError>) {
        if let Err(err) = outcome {
            self.fail(Failure::Validation(err));
        }
    }
}
