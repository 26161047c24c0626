//! Request encoding: parameters by their style, and bodies as JSON, form,
//! multipart, text or bytes.

#[cfg(not(omit = "multipart_file"))]
use super::Binary;
#[cfg(not(omit = "param_path_styled"))]
use super::percent_encode;
#[cfg(not(omit = "body_multipart"))]
use super::random_u64;
#[cfg(not(omit = "style"))]
use super::Style;
use std::sync::Arc;

#[cfg(not(omit = "operations"))]
/// A request body ready to send.
pub(crate) struct Body {
    pub(crate) content_type: String,
    pub(crate) data: BinaryData,
}

#[cfg(not(omit = "operations"))]
impl Body {
    #[cfg(any(not(omit = "body_json"), not(omit = "body_form"), not(omit = "body_text")))]
    pub(crate) fn bytes(media_type: &str, bytes: bytes::Bytes) -> Self {
        Self { content_type: media_type.to_string(), data: BinaryData::Bytes(bytes) }
    }
}

/// A stream of chunks, boxed.
pub(crate) type ChunkStream = std::pin::Pin<
    Box<dyn futures_core::Stream<Item = Result<bytes::Bytes, Box<dyn std::error::Error + Send + Sync>>> + Send>,
>;

/// Bytes in memory, or a stream that can be sent once (shared by clones,
/// so a cloned request finds it taken).
#[derive(Clone)]
pub(crate) enum BinaryData {
    Bytes(bytes::Bytes),
    Stream(Arc<std::sync::Mutex<Option<ChunkStream>>>),
}

impl BinaryData {
    pub(crate) fn stream(stream: ChunkStream) -> Self {
        BinaryData::Stream(Arc::new(std::sync::Mutex::new(Some(stream))))
    }

    #[cfg(not(omit = "operations"))]
    fn take_stream(stream: &std::sync::Mutex<Option<ChunkStream>>) -> Result<ChunkStream, String> {
        stream
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .take()
            .ok_or_else(|| "a streamed body can be sent only once".to_string())
    }

    #[cfg(not(omit = "operations"))]
    pub(crate) fn into_reqwest(self) -> Result<reqwest::Body, String> {
        match self {
            BinaryData::Bytes(bytes) => Ok(bytes.into()),
            BinaryData::Stream(stream) => Ok(reqwest::Body::wrap_stream(Self::take_stream(&stream)?)),
        }
    }
}

#[cfg(not(omit = "body_form"))]
/// The properties of a value as form fields: a property with a style (from
/// the document's `encoding`) as a query parameter of that style would be
/// (`deepObject`: `metadata[order_id]=1`, `tags[0]=a`); others as scalars,
/// lists of scalars repeating the name, objects and lists of objects as
/// JSON text.
pub(crate) fn form_pairs(value: &serde_json::Value, styles: &[(&str, Style)]) -> Result<Vec<(String, String)>, String> {
    let serde_json::Value::Object(object) = value else {
        return Err("a form body must be an object".to_string());
    };
    let mut pairs = Vec::new();
    for (key, v) in object.iter().filter(|(_, v)| !v.is_null()) {
        if let Some((_, style)) = styles.iter().find(|(name, _)| name == key) {
            pairs.extend(query_pairs(key, v, *style)?);
            continue;
        }
        match v {
            serde_json::Value::Array(items) if items.iter().all(|i| !i.is_object() && !i.is_array()) => {
                pairs.extend(items.iter().map(|i| (key.clone(), scalar_text(key, i).unwrap_or_default())));
            }
            serde_json::Value::Object(_) | serde_json::Value::Array(_) => pairs.push((key.clone(), v.to_string())),
            scalar => pairs.push((key.clone(), scalar_text(key, scalar)?)),
        }
    }
    Ok(pairs)
}

#[cfg(not(omit = "body_multipart"))]
/// A type that is the body of a `multipart/form-data` request: it adds a
/// part per property.
pub(crate) trait MultipartFields {
    fn write_parts(&self, form: &mut Multipart);
}

#[cfg(not(omit = "body_multipart"))]
/// A free-form body (a map or any JSON object): a part per property.
impl MultipartFields for serde_json::Value {
    fn write_parts(&self, form: &mut Multipart) {
        match self {
            serde_json::Value::Object(object) => {
                for (key, value) in object {
                    form.value(key, value);
                }
            }
            _ => form.fail("a multipart body must be an object"),
        }
    }
}

#[cfg(not(omit = "body_multipart"))]
impl MultipartFields for serde_json::Map<String, serde_json::Value> {
    fn write_parts(&self, form: &mut Multipart) {
        for (key, value) in self {
            form.value(key, value);
        }
    }
}

#[cfg(not(omit = "body_multipart"))]
impl<T: serde::Serialize> MultipartFields for std::collections::BTreeMap<String, T> {
    fn write_parts(&self, form: &mut Multipart) {
        for (key, value) in self {
            form.value(key, value);
        }
    }
}

#[cfg(not(omit = "body_multipart"))]
/// A `multipart/form-data` body being assembled: text parts (`text/plain`)
/// for scalars, a part per item for lists, JSON parts (`application/json`)
/// for objects, file parts for [`Binary`] values; the spec's `encoding`
/// sets other content types.
pub(crate) struct Multipart {
    pub(crate) parts: Vec<MultipartPart>,
    pub(crate) encoding: &'static [(&'static str, &'static str)],
    pub(crate) failure: Option<String>,
}

#[cfg(not(omit = "body_multipart"))]
pub(crate) struct MultipartPart {
    name: String,
    file_name: Option<String>,
    content_type: String,
    data: BinaryData,
}

#[cfg(not(omit = "body_multipart"))]
impl Multipart {
    fn fail(&mut self, message: &str) {
        self.failure.get_or_insert_with(|| message.to_string());
    }

    fn content_type(&self, name: &str, default: &str) -> String {
        self.encoding.iter().find(|(part, _)| *part == name).map_or(default, |(_, ct)| ct).to_string()
    }

    fn push(&mut self, name: &str, content_type: String, data: BinaryData, file_name: Option<String>) {
        self.parts.push(MultipartPart { name: name.to_string(), file_name, content_type, data });
    }

    /// A value: text for a scalar, a part per item for a list, JSON for an
    /// object (OpenAPI's defaults: a list's parts are typed by its items).
    pub(crate) fn value<T: serde::Serialize + ?Sized>(&mut self, name: &str, value: &T) {
        match serde_json::to_value(value) {
            Ok(serde_json::Value::Array(items)) => {
                for item in &items {
                    self.one(name, item);
                }
            }
            Ok(value) => self.one(name, &value),
            Err(err) => self.fail(&format!("part `{name}` does not serialize: {err}")),
        }
    }

    /// One part: JSON for an object or a list (a list within a list keeps
    /// its shape), text for a scalar; a null has no part.
    fn one(&mut self, name: &str, value: &serde_json::Value) {
        match value {
            serde_json::Value::Null => {}
            serde_json::Value::Object(_) | serde_json::Value::Array(_) => {
                let content_type = self.content_type(name, "application/json");
                self.push(name, content_type, BinaryData::Bytes(value.to_string().into()), None);
            }
            scalar => {
                let content_type = self.content_type(name, "text/plain");
                let text = scalar_text(name, scalar).unwrap_or_default();
                self.push(name, content_type, BinaryData::Bytes(text.into()), None);
            }
        }
    }

    #[cfg(not(omit = "multipart_file"))]
    /// A file part.
    pub(crate) fn file(&mut self, name: &str, file: &Binary) {
        let content_type =
            file.content_type.clone().unwrap_or_else(|| self.content_type(name, "application/octet-stream"));
        let file_name = Some(file.file_name.clone().unwrap_or_else(|| name.to_string()));
        self.push(name, content_type, file.data.clone(), file_name);
    }

    /// The body: a random boundary, then each part with its headers.
    pub(crate) fn into_body(self, media_type: &str) -> Result<Body, String> {
        if let Some(message) = self.failure {
            return Err(message);
        }
        let boundary = format!("----boundary{:016x}{:016x}", random_u64(), random_u64());
        let quote = |text: &str| text.replace('\\', "\\\\").replace('"', "\\\"").replace(['\r', '\n'], " ");
        let mut chunks: Vec<BinaryData> = Vec::new();
        let mut pending = Vec::new();
        for part in self.parts {
            pending.extend_from_slice(
                format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{}\"", quote(&part.name)).as_bytes(),
            );
            if let Some(file_name) = &part.file_name {
                pending.extend_from_slice(format!("; filename=\"{}\"", quote(file_name)).as_bytes());
            }
            pending.extend_from_slice(format!("\r\nContent-Type: {}\r\n\r\n", part.content_type).as_bytes());
            match part.data {
                BinaryData::Bytes(bytes) => pending.extend_from_slice(&bytes),
                stream @ BinaryData::Stream(_) => {
                    chunks.push(BinaryData::Bytes(std::mem::take(&mut pending).into()));
                    chunks.push(stream);
                }
            }
            pending.extend_from_slice(b"\r\n");
        }
        pending.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
        chunks.push(BinaryData::Bytes(pending.into()));
        let content_type = format!("{media_type}; boundary={boundary}");
        let data = match chunks.as_slice() {
            [BinaryData::Bytes(bytes)] => BinaryData::Bytes(bytes.clone()),
            _ => {
                let mut sources = std::collections::VecDeque::new();
                for chunk in chunks {
                    sources.push_back(match chunk {
                        BinaryData::Bytes(bytes) => Source::Bytes(bytes),
                        BinaryData::Stream(stream) => Source::Stream(BinaryData::take_stream(&stream)?),
                    });
                }
                BinaryData::stream(Box::pin(Concat(sources)))
            }
        };
        Ok(Body { content_type, data })
    }
}

#[cfg(not(omit = "body_multipart"))]
/// Chunks in memory and streams, one after the other.
struct Concat(std::collections::VecDeque<Source>);

#[cfg(not(omit = "body_multipart"))]
enum Source {
    Bytes(bytes::Bytes),
    Stream(ChunkStream),
}

#[cfg(not(omit = "body_multipart"))]
impl futures_core::Stream for Concat {
    type Item = Result<bytes::Bytes, Box<dyn std::error::Error + Send + Sync>>;

    fn poll_next(
        self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Option<Self::Item>> {
        use std::task::Poll;
        let this = self.get_mut();
        loop {
            match this.0.front_mut() {
                None => return Poll::Ready(None),
                Some(Source::Bytes(_)) => {
                    let Some(Source::Bytes(bytes)) = this.0.pop_front() else { continue };
                    return Poll::Ready(Some(Ok(bytes)));
                }
                Some(Source::Stream(stream)) => match stream.as_mut().poll_next(cx) {
                    Poll::Ready(None) => {
                        this.0.pop_front();
                    }
                    other => return other,
                },
            }
        }
    }
}

#[cfg(any(not(omit = "param_path_styled"), not(omit = "param_query_styled"), not(omit = "param_header_styled"), not(omit = "param_cookie_styled"), not(omit = "body_form")))]
pub(crate) fn value_of<T: serde::Serialize + ?Sized>(name: &str, value: &T) -> Result<serde_json::Value, String> {
    serde_json::to_value(value).map_err(|err| format!("`{name}`: {err}"))
}

#[cfg(any(any(not(omit = "body_form"), not(omit = "body_multipart")), any(all(not(omit = "query_pairs"), any(not(omit = "style_form"), not(omit = "style_form_compact"), not(omit = "style_simple"), not(omit = "style_simple_exploded"), not(omit = "style_space_delimited"), not(omit = "style_pipe_delimited"), not(omit = "style_label"), not(omit = "style_label_exploded"), not(omit = "style_matrix"), not(omit = "style_matrix_exploded"))), all(not(omit = "joined"), any(not(omit = "style_form"), not(omit = "style_form_compact"), not(omit = "style_simple"), not(omit = "style_simple_exploded"), not(omit = "style_space_delimited"), not(omit = "style_pipe_delimited"), not(omit = "style_deep_object"), not(omit = "style_label"), not(omit = "style_label_exploded"), not(omit = "style_matrix"), not(omit = "style_matrix_exploded"))), not(omit = "param_path_styled")), all(not(omit = "query_pairs"), any(not(omit = "style_form"), not(omit = "style_form_compact"), not(omit = "style_simple"), not(omit = "style_simple_exploded"), not(omit = "style_space_delimited"), not(omit = "style_pipe_delimited"), not(omit = "style_deep_object"), not(omit = "style_label"), not(omit = "style_label_exploded"), not(omit = "style_matrix"), not(omit = "style_matrix_exploded")))))]
/// The text of a scalar (strings unquoted).
fn scalar_text(name: &str, value: &serde_json::Value) -> Result<String, String> {
    match value {
        serde_json::Value::String(s) => Ok(s.clone()),
        serde_json::Value::Number(n) => Ok(number_text(n)),
        serde_json::Value::Bool(b) => Ok(b.to_string()),
        serde_json::Value::Null => Ok(String::new()),
        other => Err(format!("`{name}` has no textual form in its style: {other}")),
    }
}

#[cfg(any(any(not(omit = "body_form"), not(omit = "body_multipart")), any(all(not(omit = "query_pairs"), any(not(omit = "style_form"), not(omit = "style_form_compact"), not(omit = "style_simple"), not(omit = "style_simple_exploded"), not(omit = "style_space_delimited"), not(omit = "style_pipe_delimited"), not(omit = "style_label"), not(omit = "style_label_exploded"), not(omit = "style_matrix"), not(omit = "style_matrix_exploded"))), all(not(omit = "joined"), any(not(omit = "style_form"), not(omit = "style_form_compact"), not(omit = "style_simple"), not(omit = "style_simple_exploded"), not(omit = "style_space_delimited"), not(omit = "style_pipe_delimited"), not(omit = "style_deep_object"), not(omit = "style_label"), not(omit = "style_label_exploded"), not(omit = "style_matrix"), not(omit = "style_matrix_exploded"))), not(omit = "param_path_styled")), all(not(omit = "query_pairs"), any(not(omit = "style_form"), not(omit = "style_form_compact"), not(omit = "style_simple"), not(omit = "style_simple_exploded"), not(omit = "style_space_delimited"), not(omit = "style_pipe_delimited"), not(omit = "style_deep_object"), not(omit = "style_label"), not(omit = "style_label_exploded"), not(omit = "style_matrix"), not(omit = "style_matrix_exploded")))))]
/// A number as text: a whole one without a fraction (`2`, not `2.0`), as
/// a server that reads an integer (a page or offset declared `type:
/// number`) accepts it, and as JSON Schema counts it an integer too.
fn number_text(n: &serde_json::Number) -> String {
    match n.as_f64() {
        Some(x) if n.is_f64() && x.fract() == 0.0 && x.abs() < 9.0e15 => format!("{}", x as i64),
        _ => n.to_string(),
    }
}

#[cfg(any(all(not(omit = "query_pairs"), any(not(omit = "style_form"), not(omit = "style_form_compact"), not(omit = "style_simple"), not(omit = "style_simple_exploded"), not(omit = "style_space_delimited"), not(omit = "style_pipe_delimited"), not(omit = "style_label"), not(omit = "style_label_exploded"), not(omit = "style_matrix"), not(omit = "style_matrix_exploded"))), all(not(omit = "joined"), any(not(omit = "style_form"), not(omit = "style_form_compact"), not(omit = "style_simple"), not(omit = "style_simple_exploded"), not(omit = "style_space_delimited"), not(omit = "style_pipe_delimited"), not(omit = "style_deep_object"), not(omit = "style_label"), not(omit = "style_label_exploded"), not(omit = "style_matrix"), not(omit = "style_matrix_exploded"))), not(omit = "param_path_styled")))]
/// The texts of a scalar or of a list's items.
fn item_texts(name: &str, value: &serde_json::Value) -> Result<Vec<String>, String> {
    match value {
        serde_json::Value::Array(items) => items.iter().map(|item| scalar_text(name, item)).collect(),
        other => Ok(vec![scalar_text(name, other)?]),
    }
}

#[cfg(any(all(not(omit = "query_pairs"), any(not(omit = "style_form_compact"), not(omit = "style_simple"), not(omit = "style_simple_exploded"), not(omit = "style_space_delimited"), not(omit = "style_pipe_delimited"), not(omit = "style_label"), not(omit = "style_label_exploded"), not(omit = "style_matrix"), not(omit = "style_matrix_exploded"))), all(not(omit = "joined"), any(not(omit = "style_form"), not(omit = "style_form_compact"), not(omit = "style_simple"), not(omit = "style_simple_exploded"), not(omit = "style_space_delimited"), not(omit = "style_pipe_delimited"), not(omit = "style_deep_object"), not(omit = "style_label"), not(omit = "style_label_exploded"), not(omit = "style_matrix"), not(omit = "style_matrix_exploded"))), all(not(omit = "param_path_styled"), any(not(omit = "style_simple"), not(omit = "style_simple_exploded")))))]
/// An object's `(key, text)` pairs, list values joined with commas.
fn property_texts(
    name: &str,
    object: &serde_json::Map<String, serde_json::Value>,
) -> Result<Vec<(String, String)>, String> {
    object
        .iter()
        .filter(|(_, v)| !v.is_null())
        .map(|(key, v)| Ok((key.clone(), item_texts(name, v)?.join(","))))
        .collect()
}

#[cfg(not(omit = "query_pairs"))]
/// A query parameter's `(name, text)` pairs.
pub(crate) fn query_pairs(
    name: &str,
    value: &serde_json::Value,
    style: Style,
) -> Result<Vec<(String, String)>, String> {
    use serde_json::Value as V;
    Ok(match (value, style) {
        (V::Null, _) => Vec::new(),
        #[cfg(not(omit = "style_json"))]
        (value, Style::Json) => vec![(name.to_string(), value.to_string())],
        #[cfg(not(omit = "style_form"))]
        (V::Object(object), Style::Form) => {
            let mut pairs = Vec::new();
            for (key, v) in object.iter().filter(|(_, v)| !v.is_null()) {
                pairs.extend(item_texts(name, v)?.into_iter().map(|text| (key.clone(), text)));
            }
            pairs
        }
        #[cfg(not(omit = "style_deep_object"))]
        (V::Object(_), Style::DeepObject) => {
            let mut pairs = Vec::new();
            deep_pairs(name, value, &mut pairs)?;
            pairs
        }
        #[cfg(not(omit = "style_space_delimited"))]
        (V::Object(object), Style::SpaceDelimited) => flat_pairs(name, object, " ")?,
        #[cfg(not(omit = "style_pipe_delimited"))]
        (V::Object(object), Style::PipeDelimited) => flat_pairs(name, object, "|")?,
        #[cfg(any(not(omit = "style_form_compact"), not(omit = "style_simple"), not(omit = "style_simple_exploded"), not(omit = "style_label"), not(omit = "style_label_exploded"), not(omit = "style_matrix"), not(omit = "style_matrix_exploded")))]
        (V::Object(object), _) => flat_pairs(name, object, ",")?,
        #[cfg(not(omit = "style_form"))]
        (V::Array(_), Style::Form) => {
            item_texts(name, value)?.into_iter().map(|text| (name.to_string(), text)).collect()
        }
        #[cfg(not(omit = "style_deep_object"))]
        (V::Array(_), Style::DeepObject) => {
            let mut pairs = Vec::new();
            deep_pairs(name, value, &mut pairs)?;
            pairs
        }
        #[cfg(not(omit = "style_space_delimited"))]
        (V::Array(_), Style::SpaceDelimited) => vec![(name.to_string(), item_texts(name, value)?.join(" "))],
        #[cfg(not(omit = "style_pipe_delimited"))]
        (V::Array(_), Style::PipeDelimited) => vec![(name.to_string(), item_texts(name, value)?.join("|"))],
        #[cfg(any(not(omit = "style_form_compact"), not(omit = "style_simple"), not(omit = "style_simple_exploded"), not(omit = "style_label"), not(omit = "style_label_exploded"), not(omit = "style_matrix"), not(omit = "style_matrix_exploded")))]
        (V::Array(_), _) => vec![(name.to_string(), item_texts(name, value)?.join(","))],
        #[cfg(any(not(omit = "style_form"), not(omit = "style_form_compact"), not(omit = "style_simple"), not(omit = "style_simple_exploded"), not(omit = "style_space_delimited"), not(omit = "style_pipe_delimited"), not(omit = "style_deep_object"), not(omit = "style_label"), not(omit = "style_label_exploded"), not(omit = "style_matrix"), not(omit = "style_matrix_exploded")))]
        (scalar, _) => vec![(name.to_string(), scalar_text(name, scalar)?)],
    })
}

/// An object's properties and values as one query value, joined by
/// `separator`.
#[cfg(all(not(omit = "query_pairs"), any(not(omit = "style_form_compact"), not(omit = "style_simple"), not(omit = "style_simple_exploded"), not(omit = "style_space_delimited"), not(omit = "style_pipe_delimited"), not(omit = "style_label"), not(omit = "style_label_exploded"), not(omit = "style_matrix"), not(omit = "style_matrix_exploded"))))]
fn flat_pairs(
    name: &str,
    object: &serde_json::Map<String, serde_json::Value>,
    separator: &str,
) -> Result<Vec<(String, String)>, String> {
    let flat: Vec<String> = property_texts(name, object)?.into_iter().flat_map(|(k, v)| [k, v]).collect();
    Ok(vec![(name.to_string(), flat.join(separator))])
}

#[cfg(all(not(omit = "query_pairs"), not(omit = "style_deep_object")))]
/// `name[key]=value`, nested objects as `name[a][b]`, lists by index
/// (`name[0]=a`, `name[1][key]=b`): the bracket convention Rails, PHP and
/// payment APIs read.
fn deep_pairs(prefix: &str, value: &serde_json::Value, pairs: &mut Vec<(String, String)>) -> Result<(), String> {
    match value {
        serde_json::Value::Object(object) => {
            for (key, v) in object {
                deep_pairs(&format!("{prefix}[{key}]"), v, pairs)?;
            }
        }
        serde_json::Value::Array(items) => {
            for (index, item) in items.iter().enumerate() {
                deep_pairs(&format!("{prefix}[{index}]"), item, pairs)?;
            }
        }
        serde_json::Value::Null => {}
        scalar => pairs.push((prefix.to_string(), scalar_text(prefix, scalar)?)),
    }
    Ok(())
}

#[cfg(not(omit = "joined"))]
/// A path, header or cookie parameter's one text, or `None` for `None`.
pub(crate) fn joined(name: &str, value: &serde_json::Value, style: Style) -> Result<Option<String>, String> {
    use serde_json::Value as V;
    Ok(Some(match (value, style) {
        (V::Null, _) => return Ok(None),
        #[cfg(not(omit = "style_json"))]
        (value, Style::Json) => value.to_string(),
        #[cfg(not(omit = "style_simple_exploded"))]
        (V::Object(object), Style::SimpleExploded) => {
            property_texts(name, object)?.into_iter().map(|(k, v)| format!("{k}={v}")).collect::<Vec<_>>().join(",")
        }
        #[cfg(any(not(omit = "style_form"), not(omit = "style_form_compact"), not(omit = "style_simple"), not(omit = "style_space_delimited"), not(omit = "style_pipe_delimited"), not(omit = "style_deep_object"), not(omit = "style_label"), not(omit = "style_label_exploded"), not(omit = "style_matrix"), not(omit = "style_matrix_exploded")))]
        (V::Object(object), _) => {
            property_texts(name, object)?.into_iter().flat_map(|(k, v)| [k, v]).collect::<Vec<_>>().join(",")
        }
        #[cfg(any(not(omit = "style_form"), not(omit = "style_form_compact"), not(omit = "style_simple"), not(omit = "style_simple_exploded"), not(omit = "style_space_delimited"), not(omit = "style_pipe_delimited"), not(omit = "style_deep_object"), not(omit = "style_label"), not(omit = "style_label_exploded"), not(omit = "style_matrix"), not(omit = "style_matrix_exploded")))]
        (value, _) => item_texts(name, value)?.join(","),
    }))
}

#[cfg(not(omit = "param_path_styled"))]
/// A path parameter, percent-encoded. Empty, `.` and `..` are refused:
/// they would change which resource the path names.
pub(crate) fn path_segment<T: serde::Serialize + ?Sized>(
    name: &str,
    value: &T,
    style: Style,
) -> Result<String, String> {
    let value = value_of(name, value)?;
    let texts = match &value {
        serde_json::Value::Object(_) => vec![joined(name, &value, style)?.unwrap_or_default()],
        other => item_texts(name, other)?,
    };
    let plain = texts.join(",");
    if matches!(plain.as_str(), "" | "." | "..") {
        return Err(format!("path parameter `{name}` is `{plain}`, which would change the path's meaning"));
    }
    let encoded: Vec<String> = texts.iter().map(|t| percent_encode(t)).collect();
    Ok(match (style, &value) {
        // The separators stay literal; the values are encoded.
        #[cfg(not(omit = "style_simple"))]
        (Style::Simple, serde_json::Value::Object(object)) => object_segment(name, object, false)?,
        #[cfg(not(omit = "style_simple_exploded"))]
        (Style::SimpleExploded, serde_json::Value::Object(object)) => object_segment(name, object, true)?,
        #[cfg(not(omit = "style_label"))]
        (Style::Label, _) => format!(".{}", encoded.join(",")),
        #[cfg(not(omit = "style_label_exploded"))]
        (Style::LabelExploded, _) => format!(".{}", encoded.join(".")),
        #[cfg(not(omit = "style_matrix"))]
        (Style::Matrix, _) => format!(";{name}={}", encoded.join(",")),
        #[cfg(not(omit = "style_matrix_exploded"))]
        (Style::MatrixExploded, _) => encoded.iter().map(|e| format!(";{name}={e}")).collect(),
        #[cfg(any(not(omit = "style_form"), not(omit = "style_form_compact"), not(omit = "style_simple"), not(omit = "style_simple_exploded"), not(omit = "style_space_delimited"), not(omit = "style_pipe_delimited"), not(omit = "style_deep_object"), not(omit = "style_json")))]
        _ => encoded.join(","),
    })
}

/// An object as a path segment in `simple` style: `k,v,k,v`, or
/// `k=v,k=v` exploded; the separators stay literal, the texts are encoded.
#[cfg(all(not(omit = "param_path_styled"), any(not(omit = "style_simple"), not(omit = "style_simple_exploded"))))]
fn object_segment(
    name: &str,
    object: &serde_json::Map<String, serde_json::Value>,
    exploded: bool,
) -> Result<String, String> {
    let pairs = property_texts(name, object)?;
    let pairs = pairs.iter().map(|(key, text)| (percent_encode(key), percent_encode(text)));
    Ok(if exploded {
        pairs.map(|(key, text)| format!("{key}={text}")).collect::<Vec<_>>().join(",")
    } else {
        pairs.flat_map(|(key, text)| [key, text]).collect::<Vec<_>>().join(",")
    })
}
