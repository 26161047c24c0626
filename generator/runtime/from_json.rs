//! Decoding the crate's types from JSON text: each type reads its value
//! in one non-generic function ([`FromJson::from_json`]) from one
//! concrete [`Reader`] of the bytes, in one pass.
//!
//! serde's derived `Deserialize` compiles a decoder per type *and* per
//! input it is used with (a body, an event, a union's buffered value),
//! and that code was half of a large client's build. This way each type
//! costs one small function, whatever it is decoded from, and a value at
//! fault is named by its exact path. What it accepts is what the derive
//! accepts (a differential test holds the two together), except that an
//! object is never read from an array of its fields in order.
#![cfg(not(omit = "json"))]

use super::decode::{join_path, path_key, PathStep};
use super::json_reader::{Number, Reader};
use serde_json::{Map, Value};
use std::borrow::Cow;
use std::collections::BTreeMap;
use std::fmt;

/// JSON that did not decode into the type asked for: why, and where (the
/// path of the value at fault).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JsonError(
    // Boxed: every decoder returns `Result<_, JsonError>`, and a small
    // error keeps the values passed back on success small.
    Box<Failure>,
);

#[derive(Debug, Clone, PartialEq, Eq)]
struct Failure {
    /// The path's segments, innermost first (each level adds its own as
    /// the error passes out through it).
    path: Vec<Segment>,
    reason: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Segment {
    /// Shortened as a path shows it.
    Key(String),
    Index(usize),
}

impl JsonError {
    pub(crate) fn new(reason: impl Into<String>) -> Self {
        Self(Box::new(Failure { path: Vec::new(), reason: reason.into() }))
    }

    /// serde_json's error for one value it decoded, without its position
    /// in that value's text (the path says where it is).
    pub(crate) fn from_serde(err: &serde_json::Error) -> Self {
        let text = err.to_string();
        let reason = match text.rfind(" at line ") {
            Some(at) if err.line() > 0 => &text[..at],
            _ => &text,
        };
        Self::new(reason)
    }

    /// The same error, one level out: within the member `key`.
    pub(crate) fn at_key(mut self, key: &str) -> Self {
        self.0.path.push(Segment::Key(path_key(key)));
        self
    }

    /// The same error, one level out: within item `index`.
    pub(crate) fn at_index(mut self, index: usize) -> Self {
        self.0.path.push(Segment::Index(index));
        self
    }

    /// The path of the value at fault (`data.items[2].name`; `.` for the
    /// whole value).
    pub fn path(&self) -> String {
        join_path(self.0.path.iter().rev().map(|segment| match segment {
            Segment::Key(key) => PathStep::Key(key),
            Segment::Index(index) => PathStep::Index(*index),
        }))
    }

    /// Why it did not decode, in serde's words.
    pub fn reason(&self) -> &str {
        &self.0.reason
    }

    #[cfg(not(omit = "json_untagged"))]
    /// No variant of a union fits: `what` (the union, or its unknown tag)
    /// and why each variant tried refused the value, with the path within
    /// it, so the field at fault is named.
    pub(crate) fn no_variant(what: &str, tried: &[(&str, JsonError)]) -> Self {
        let reasons: Vec<String> = tried.iter().map(|(variant, err)| format!("`{variant}`: {err}")).collect();
        Self::new(format!("{what} ({})", reasons.join("; ")))
    }
}

impl std::error::Error for JsonError {}

impl fmt::Display for JsonError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.0.path.is_empty() {
            f.write_str(&self.0.reason)
        } else {
            write!(f, "{} at `{}`", self.0.reason, self.path())
        }
    }
}

/// A type decoded from the JSON value a [`Reader`] is at: every type of
/// the crate, and lists, maps and options of them. (Public only to be
/// named in [`from_json_slice`]'s bound: it cannot be implemented outside.)
pub trait FromJson: Sized {
    fn from_json(reader: &mut Reader<'_>) -> Result<Self, JsonError>;

    /// What an object member that is not there decodes as: an error, but
    /// `None` for an `Option` (as serde's derive does) and `Absent` for a
    /// `Nullable`.
    fn missing(name: &str) -> Result<Self, JsonError> {
        Err(JsonError::new(format!("missing field `{name}`")))
    }
}

/// Decodes a value of one of this crate's types (or a list, map or option
/// of them) from JSON text as the client decodes a response body: in one
/// pass, strings borrowed where they can be, an error naming the path of
/// the value at fault. For stored responses, webhook payloads, fixtures.
/// `serde_json::from_slice` gives the same values, through `Deserialize`,
/// with one more pass over the text.
pub fn from_json_slice<T: FromJson>(text: &[u8]) -> Result<T, JsonError> {
    Reader::read_all(text)
}

#[cfg(not(omit = "json_deserialize"))]
/// `impl Deserialize` for a type that has [`FromJson`]: the value, from any
/// self-describing format, is written out as JSON text, then decoded.
/// Expanded in `types.rs`, whose `super` is the crate's root.
macro_rules! deserialize_from_json {
    ($ty:ident) => {
        impl<'de> serde::Deserialize<'de> for $ty {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                super::runtime::via_json(deserializer)
            }
        }
    };
}
#[cfg(not(omit = "json_deserialize"))]
pub(crate) use deserialize_from_json;

#[cfg(not(omit = "json_deserialize"))]
/// Decodes a `T` from any self-describing serde format, through its JSON
/// text (which keeps repeated keys, so they are refused as in JSON).
pub(crate) fn via_json<'de, D: serde::Deserializer<'de>, T: FromJson>(deserializer: D) -> Result<T, D::Error> {
    let text = super::transcode::json_text(deserializer)?;
    Reader::read_all(&text).map_err(serde::de::Error::custom)
}

#[cfg(not(omit = "json_structs"))]
/// Where a struct's field goes while its object is read: an `Option` of
/// the field's type, filled once. (One method for both uses: each field
/// type costs one function.)
pub(crate) trait Slot {
    /// With a reader, decodes the member `name` (the reader is at its
    /// value) into the slot; a second member of that name is an error, as
    /// with serde's derive. Without, the object has ended: an empty slot
    /// gets what a missing member is (`None` for an `Option`), or the error.
    fn fill(&mut self, reader: Option<&mut Reader<'_>>, name: &str) -> Result<(), JsonError>;
}

#[cfg(not(omit = "json_structs"))]
impl<T: FromJson> Slot for Option<T> {
    fn fill(&mut self, reader: Option<&mut Reader<'_>>, name: &str) -> Result<(), JsonError> {
        match reader {
            Some(_) if self.is_some() => Err(JsonError::new(format!("duplicate field `{name}`"))),
            Some(reader) => {
                *self = Some(T::from_json(reader).map_err(|err| err.at_key(name))?);
                Ok(())
            }
            None if self.is_some() => Ok(()),
            None => {
                *self = Some(T::missing(name)?);
                Ok(())
            }
        }
    }
}

/// Where the members a struct does not name go: its additional
/// properties.
pub(crate) trait Rest {
    /// Keeps the member `key` (the reader is at its value); a repeated one
    /// keeps its last value, as a map does.
    fn keep(&mut self, reader: &mut Reader<'_>, key: Cow<'_, str>) -> Result<(), JsonError>;
}

impl<T: FromJson> Rest for BTreeMap<String, T> {
    fn keep(&mut self, reader: &mut Reader<'_>, key: Cow<'_, str>) -> Result<(), JsonError> {
        let value = T::from_json(reader).map_err(|err| err.at_key(&key))?;
        self.insert(key.into_owned(), value);
        Ok(())
    }
}

#[cfg(not(omit = "json_structs"))]
/// Reads the object at the reader into a struct's slots: `slot_of` finds
/// a member's slot by its key (a `match` the struct writes: a jump on the
/// key's length, then its bytes), `names` are the wire names by slot; a
/// member no field names goes to `rest`, or is passed over; then every
/// slot is full, or this is the error of the first field missing. One
/// function for every struct: each costs its lookup, not a loop of its own.
pub(crate) fn read_object(
    reader: &mut Reader<'_>,
    expected: &str,
    names: &[&str],
    slot_of: fn(&str) -> Option<usize>,
    slots: &mut [&mut dyn Slot],
    mut rest: Option<&mut dyn Rest>,
) -> Result<(), JsonError> {
    let mut object = reader.object(expected)?;
    while let Some(key) = object.next_key(reader)? {
        match slot_of(&key) {
            Some(slot) => slots[slot].fill(Some(&mut *reader), names[slot])?,
            None => match rest.as_deref_mut() {
                Some(rest) => rest.keep(reader, key)?,
                None => reader.skip().map_err(|err| err.at_key(&key))?,
            },
        }
    }
    for (slot, name) in slots.iter_mut().zip(names) {
        slot.fill(None, name)?;
    }
    Ok(())
}

#[cfg(not(omit = "json_structs"))]
/// The error for a slot [`read_object`] left empty, which it never does.
pub(crate) fn unfilled(expected: &str) -> JsonError {
    JsonError::new(format!("a field of {expected} was not filled (a bug of the generator)"))
}

#[cfg(not(omit = "json_enums"))]
/// A string enum's text, borrowed where the body allows (a known value
/// then costs no allocation).
pub(crate) fn enum_text<'a>(reader: &mut Reader<'a>) -> Result<Cow<'a, str>, JsonError> {
    reader.string("a string")
}

#[cfg(not(omit = "json_tagged"))]
/// The tag of the tagged union at the reader, read ahead (the reader stays
/// at the union's object): a missing tag is an error, as with serde's
/// internally tagged enums. `variants_hold_tag`: each variant's decoder
/// refuses a second tag, so reading ahead stops at the first.
pub(crate) fn union_tag<'a>(
    reader: &mut Reader<'a>,
    property: &str,
    expected: &str,
    variants_hold_tag: bool,
) -> Result<Cow<'a, str>, JsonError> {
    reader
        .tag(property, expected, variants_hold_tag)?
        .ok_or_else(|| JsonError::new(format!("missing field `{property}`")))
}

#[cfg(not(omit = "json_tagged"))]
/// A tagged union's value whose tag the document does not list. No
/// variant's decoder refuses a second tag here, so when [`union_tag`]
/// stopped at the first (`variants_hold_tag`), the rest of the object is
/// read for another; else it was read whole already.
pub(crate) fn unknown_variant(
    reader: &mut Reader<'_>,
    property: &str,
    tag: Cow<'_, str>,
    variants_hold_tag: bool,
) -> Result<super::UnknownVariant, JsonError> {
    if variants_hold_tag {
        reader.tag(property, "an object", false)?;
    }
    let value = Value::from_json(reader)?;
    Ok(super::UnknownVariant { tag: tag.into_owned(), value })
}

/// Any JSON value, decoded by serde_json itself (so its numbers are as
/// the build's `serde_json` features say).
impl FromJson for Value {
    fn from_json(reader: &mut Reader<'_>) -> Result<Self, JsonError> {
        let text = reader.span()?;
        serde_json::from_slice(text).map_err(|err| JsonError::from_serde(&err))
    }
}

impl FromJson for Map<String, Value> {
    fn from_json(reader: &mut Reader<'_>) -> Result<Self, JsonError> {
        let mark = reader.mark();
        reader.object("a map")?;
        reader.rewind(mark);
        let text = reader.span()?;
        serde_json::from_slice(text).map_err(|err| JsonError::from_serde(&err))
    }
}

impl FromJson for String {
    fn from_json(reader: &mut Reader<'_>) -> Result<Self, JsonError> {
        reader.string("a string").map(Cow::into_owned)
    }
}

#[cfg(any(not(omit = "format_uuid"), not(omit = "format_ip")))]
/// Values of a string `format` with a type of its own: the string, parsed
/// as the type's `FromStr` (and its `Deserialize`) parses it.
macro_rules! formatted {
    ($($ty:ty => $what:literal),*) => {$(
        impl FromJson for $ty {
            fn from_json(reader: &mut Reader<'_>) -> Result<Self, JsonError> {
                let text = reader.string($what)?;
                text.parse().map_err(|err| JsonError::new(format!("expected {}: {err}", $what)))
            }
        }
    )*};
}
#[cfg(not(omit = "format_ip"))]
formatted!(std::net::Ipv4Addr => "an IPv4 address", std::net::Ipv6Addr => "an IPv6 address");
#[cfg(not(omit = "format_uuid"))]
formatted!(uuid::Uuid => "a UUID");

impl FromJson for bool {
    fn from_json(reader: &mut Reader<'_>) -> Result<Self, JsonError> {
        reader.boolean()
    }
}

/// Integers: a number with a fraction or exponent is refused, as serde's
/// derive refuses it (serde_json reads it as floating point), and one
/// outside the type's range is an error naming it.
macro_rules! integers {
    ($($ty:ident),*) => {$(
        impl FromJson for $ty {
            fn from_json(reader: &mut Reader<'_>) -> Result<Self, JsonError> {
                match reader.number_value(stringify!($ty))? {
                    Number::Whole(whole) => $ty::try_from(whole).map_err(|_| {
                        JsonError::new(format!("invalid value: integer `{whole}`, expected {}", stringify!($ty)))
                    }),
                    Number::Other(text) => Err(JsonError::new(format!(
                        "invalid type: floating point `{}`, expected {}",
                        String::from_utf8_lossy(text),
                        stringify!($ty)
                    ))),
                }
            }
        }
    )*};
}

integers!(i8, i16, i32, i64, u8, u16, u32, u64);

/// Floating point: a whole number converts as serde converts it; any other
/// is read by serde_json itself, so the value is the bit-for-bit one the
/// derive gives.
macro_rules! floats {
    ($($ty:ident),*) => {$(
        impl FromJson for $ty {
            fn from_json(reader: &mut Reader<'_>) -> Result<Self, JsonError> {
                match reader.number_value(stringify!($ty))? {
                    Number::Whole(whole) => Ok(whole as $ty),
                    Number::Other(text) => serde_json::from_slice(text).map_err(|err| JsonError::from_serde(&err)),
                }
            }
        }
    )*};
}

floats!(f32, f64);

impl<T: FromJson> FromJson for Vec<T> {
    fn from_json(reader: &mut Reader<'_>) -> Result<Self, JsonError> {
        let mut array = reader.array("a sequence")?;
        let mut items = Vec::new();
        while let Some(index) = array.next_item(reader)? {
            items.push(T::from_json(reader).map_err(|err| err.at_index(index))?);
        }
        Ok(items)
    }
}

impl<T: FromJson> FromJson for BTreeMap<String, T> {
    fn from_json(reader: &mut Reader<'_>) -> Result<Self, JsonError> {
        let mut object = reader.object("a map")?;
        let mut map = BTreeMap::new();
        while let Some(key) = object.next_key(reader)? {
            map.keep(reader, key)?;
        }
        Ok(map)
    }
}

impl<T: FromJson> FromJson for Option<T> {
    fn from_json(reader: &mut Reader<'_>) -> Result<Self, JsonError> {
        if reader.null()? {
            return Ok(None);
        }
        T::from_json(reader).map(Some)
    }

    fn missing(_: &str) -> Result<Self, JsonError> {
        Ok(None)
    }
}

impl<T: FromJson> FromJson for Box<T> {
    fn from_json(reader: &mut Reader<'_>) -> Result<Self, JsonError> {
        T::from_json(reader).map(Box::new)
    }
}

impl<T: FromJson> FromJson for super::Nullable<T> {
    fn from_json(reader: &mut Reader<'_>) -> Result<Self, JsonError> {
        if reader.null()? {
            return Ok(Self::Null);
        }
        T::from_json(reader).map(Self::Value)
    }

    fn missing(_: &str) -> Result<Self, JsonError> {
        Ok(Self::Absent)
    }
}

impl FromJson for super::Binary {
    fn from_json(reader: &mut Reader<'_>) -> Result<Self, JsonError> {
        String::from_json(reader).map(Self::new)
    }
}
