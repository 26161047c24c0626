//! Values the generated types hold: `Binary` content, `Nullable` fields,
//! and a tagged union's `UnknownVariant`.

use super::{BinaryData, ChunkStream};
use std::fmt;
use std::sync::Arc;

/// Binary content to send: a whole binary request body
/// (`application/octet-stream`, an image, CBOR…) or a file part of a
/// multipart body. From bytes in memory, or from a stream (sent once, so a
/// request with a streamed body is never retried), with an optional file
/// name and content type.
///
/// In JSON (where a schema says `format: binary`), it is the string its
/// bytes spell in UTF-8.
#[derive(Clone)]
pub struct Binary {
    pub(crate) data: BinaryData,
    pub(crate) file_name: Option<String>,
    pub(crate) content_type: Option<String>,
}

impl Binary {
    /// Bytes in memory.
    pub fn new(bytes: impl Into<bytes::Bytes>) -> Self {
        Self { data: BinaryData::Bytes(bytes.into()), file_name: None, content_type: None }
    }

    /// A stream of chunks, read while the request is sent (a file, say).
    pub fn stream<S, B, E>(stream: S) -> Self
    where
        S: futures_core::Stream<Item = Result<B, E>> + Send + 'static,
        B: Into<bytes::Bytes> + 'static,
        E: Into<Box<dyn std::error::Error + Send + Sync>> + 'static,
    {
        let chunks: ChunkStream = Box::pin(Chunks(Box::pin(stream)));
        Self { data: BinaryData::stream(chunks), file_name: None, content_type: None }
    }

    /// The file name a multipart part gives.
    pub fn file_name(mut self, name: impl Into<String>) -> Self {
        self.file_name = Some(name.into());
        self
    }

    /// The content type to send it as, instead of the spec's.
    pub fn content_type(mut self, content_type: impl Into<String>) -> Self {
        self.content_type = Some(content_type.into());
        self
    }

    /// The bytes, unless it is a stream.
    pub fn as_bytes(&self) -> Option<&[u8]> {
        match &self.data {
            BinaryData::Bytes(bytes) => Some(bytes),
            BinaryData::Stream(_) => None,
        }
    }
}

/// A stream of chunks of any byte type, as `reqwest` takes it.
struct Chunks<S>(std::pin::Pin<Box<S>>);

impl<S, B, E> futures_core::Stream for Chunks<S>
where
    S: futures_core::Stream<Item = Result<B, E>>,
    B: Into<bytes::Bytes>,
    E: Into<Box<dyn std::error::Error + Send + Sync>>,
{
    type Item = Result<bytes::Bytes, Box<dyn std::error::Error + Send + Sync>>;

    fn poll_next(
        mut self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Option<Self::Item>> {
        self.0.as_mut().poll_next(cx).map(|item| item.map(|chunk| chunk.map(Into::into).map_err(Into::into)))
    }
}

impl fmt::Debug for Binary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut d = f.debug_struct("Binary");
        match &self.data {
            BinaryData::Bytes(bytes) => d.field("len", &bytes.len()),
            BinaryData::Stream(_) => d.field("stream", &true),
        };
        d.field("file_name", &self.file_name).field("content_type", &self.content_type).finish()
    }
}

impl PartialEq for Binary {
    fn eq(&self, other: &Self) -> bool {
        let same_data = match (&self.data, &other.data) {
            (BinaryData::Bytes(a), BinaryData::Bytes(b)) => a == b,
            (BinaryData::Stream(a), BinaryData::Stream(b)) => Arc::ptr_eq(a, b),
            _ => false,
        };
        same_data && self.file_name == other.file_name && self.content_type == other.content_type
    }
}

impl From<Vec<u8>> for Binary {
    fn from(bytes: Vec<u8>) -> Self {
        Self::new(bytes)
    }
}

impl From<bytes::Bytes> for Binary {
    fn from(bytes: bytes::Bytes) -> Self {
        Self::new(bytes)
    }
}

impl From<&'static [u8]> for Binary {
    fn from(bytes: &'static [u8]) -> Self {
        Self::new(bytes)
    }
}

impl From<String> for Binary {
    fn from(text: String) -> Self {
        Self::new(text)
    }
}

impl From<&'static str> for Binary {
    fn from(text: &'static str) -> Self {
        Self::new(text)
    }
}

impl serde::Serialize for Binary {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::Error;
        match &self.data {
            BinaryData::Bytes(bytes) => match std::str::from_utf8(bytes) {
                Ok(text) => serializer.serialize_str(text),
                Err(_) => Err(S::Error::custom("binary content that is not UTF-8 has no JSON form")),
            },
            BinaryData::Stream(_) => Err(S::Error::custom("a stream has no JSON form")),
        }
    }
}

impl<'de> serde::Deserialize<'de> for Binary {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Ok(Self::new(String::deserialize(deserializer)?))
    }
}

/// A field that may be absent, `null`, or a value: the three states an
/// optional, nullable property has on the wire. Absent is skipped when
/// serializing, so a PATCH body can leave a field alone, clear it (`Null`)
/// or set it.
#[derive(Clone, Default, PartialEq, Eq, Hash)]
pub enum Nullable<T> {
    /// Not present on the wire.
    #[default]
    Absent,
    /// Present as `null`.
    Null,
    /// Present with a value.
    Value(T),
}

/// Reads like an `Option`'s: `Some("x")`, or `Null` / `Absent`.
impl<T: fmt::Debug> fmt::Debug for Nullable<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Nullable::Absent => f.write_str("Absent"),
            Nullable::Null => f.write_str("Null"),
            Nullable::Value(value) => f.debug_tuple("Some").field(value).finish(),
        }
    }
}

impl<T> Nullable<T> {
    /// True when the field is not present.
    pub fn is_absent(&self) -> bool {
        matches!(self, Nullable::Absent)
    }

    /// True when the field is present as `null`.
    pub fn is_null(&self) -> bool {
        matches!(self, Nullable::Null)
    }

    /// The value, if there is one.
    pub fn as_option(&self) -> Option<&T> {
        match self {
            Nullable::Value(value) => Some(value),
            Nullable::Absent | Nullable::Null => None,
        }
    }

    /// The value, if there is one.
    pub fn into_option(self) -> Option<T> {
        match self {
            Nullable::Value(value) => Some(value),
            Nullable::Absent | Nullable::Null => None,
        }
    }
}

impl<T> From<T> for Nullable<T> {
    fn from(value: T) -> Self {
        Nullable::Value(value)
    }
}

impl<T: serde::Serialize> serde::Serialize for Nullable<T> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Nullable::Value(value) => serializer.serialize_some(value),
            Nullable::Absent | Nullable::Null => serializer.serialize_none(),
        }
    }
}

impl<'de, T: serde::Deserialize<'de>> serde::Deserialize<'de> for Nullable<T> {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Ok(match Option::<T>::deserialize(deserializer)? {
            Some(value) => Nullable::Value(value),
            None => Nullable::Null,
        })
    }
}

/// A tagged union's value whose tag the document does not list (a variant
/// a newer server sends): its tag and the whole value, as received. It is
/// sent back as it came.
#[derive(Debug, Clone, PartialEq)]
pub struct UnknownVariant {
    /// The tag's value.
    pub tag: String,
    /// The whole value, tag included.
    pub value: serde_json::Value,
}

impl serde::Serialize for UnknownVariant {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.value.serialize(serializer)
    }
}
