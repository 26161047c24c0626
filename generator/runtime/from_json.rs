//! Decoding the crate's types from JSON: a body is parsed once into a
//! [`Json`] tree, then each type takes its value apart in one non-generic
//! function ([`FromJson::from_json`]).
//!
//! serde's derived `Deserialize` compiles a decoder per type *and* per
//! input it is used with (a body, an event, a union's buffered value),
//! and that code was half of a large client's build. This way each type
//! costs one small function, whatever it is decoded from, and a value at
//! fault is named by its exact path.

use super::decode::{join_path, path_key, PathStep};
use super::json_tree::{Json, Members};
use serde_json::{Map, Value};
use std::collections::BTreeMap;
use std::fmt;

/// A value that did not decode: why, and where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct JsonError {
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
        Self { path: Vec::new(), reason: reason.into() }
    }

    /// The value is of the wrong kind (serde's wording).
    pub(crate) fn invalid(value: &Json<'_>, expected: &str) -> Self {
        let found = match value {
            Json::Null => "null".to_string(),
            Json::Bool(b) => format!("boolean `{b}`"),
            Json::Number(n) if n.is_f64() => format!("floating point `{n}`"),
            Json::Number(n) => format!("integer `{n}`"),
            Json::String(s) => format!("string {:?}", super::one_line(s, 64)),
            Json::Array(_) => "sequence".to_string(),
            Json::Object(_) => "map".to_string(),
        };
        Self::new(format!("invalid type: {found}, expected {expected}"))
    }

    /// The same error, one level out: within the member `key`.
    pub(crate) fn at_key(mut self, key: &str) -> Self {
        self.path.push(Segment::Key(path_key(key)));
        self
    }

    /// The same error, one level out: within item `index`.
    pub(crate) fn at_index(mut self, index: usize) -> Self {
        self.path.push(Segment::Index(index));
        self
    }

    /// The path of the value at fault (`data.items[2].name`; `.` for the
    /// whole value).
    pub(crate) fn path(&self) -> String {
        join_path(self.path.iter().rev().map(|segment| match segment {
            Segment::Key(key) => PathStep::Key(key),
            Segment::Index(index) => PathStep::Index(*index),
        }))
    }

    pub(crate) fn reason(&self) -> &str {
        &self.reason
    }

    /// No variant of a union fits: `what` (the union, or its unknown tag)
    /// and why each variant tried refused the value, with the path within
    /// it, so the field at fault is named.
    pub(crate) fn no_variant(what: &str, tried: &[(&str, JsonError)]) -> Self {
        let reasons: Vec<String> = tried.iter().map(|(variant, err)| format!("`{variant}`: {err}")).collect();
        Self::new(format!("{what} ({})", reasons.join("; ")))
    }
}

impl fmt::Display for JsonError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.path.is_empty() {
            f.write_str(&self.reason)
        } else {
            write!(f, "{} at `{}`", self.reason, self.path())
        }
    }
}

/// A type decoded from a JSON value it takes apart.
pub(crate) trait FromJson: Sized {
    fn from_json(value: Json<'_>) -> Result<Self, JsonError>;

    /// What an object member that is not there decodes as: an error, but
    /// `None` for an `Option` (as serde's derive does) and `Absent` for a
    /// `Nullable`.
    fn missing(name: &str) -> Result<Self, JsonError> {
        Err(JsonError::new(format!("missing field `{name}`")))
    }
}

/// `impl Deserialize` for a type that has [`FromJson`]: it reads any
/// self-describing format into a [`Json`] tree, then decodes that.
#[allow(unused_macros)]
macro_rules! deserialize_from_json {
    ($ty:ident) => {
        impl<'de> serde::Deserialize<'de> for $ty {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let value = <super::runtime::Json<'de> as serde::Deserialize>::deserialize(deserializer)?;
                <$ty as super::runtime::FromJson>::from_json(value).map_err(serde::de::Error::custom)
            }
        }
    };
}
#[allow(unused_imports)]
pub(crate) use deserialize_from_json;

/// The members of an object, to take the fields from.
pub(crate) fn members<'a>(value: Json<'a>, expected: &str) -> Result<Members<'a>, JsonError> {
    match value {
        Json::Object(members) => Ok(members),
        other => Err(JsonError::invalid(&other, expected)),
    }
}

/// The member `name`, taken out of the object: what it decodes as, or
/// what a missing one does.
pub(crate) fn field<T: FromJson>(members: &mut Members<'_>, name: &str) -> Result<T, JsonError> {
    match members.take(name) {
        Some(value) => T::from_json(value).map_err(|err| err.at_key(name)),
        None => T::missing(name),
    }
}

/// The member `name`, or the type's default when it is missing.
pub(crate) fn field_or_default<T: FromJson + Default>(members: &mut Members<'_>, name: &str) -> Result<T, JsonError> {
    match members.take(name) {
        Some(value) => T::from_json(value).map_err(|err| err.at_key(name)),
        None => Ok(T::default()),
    }
}

/// The members no field took: the properties the schema does not name.
pub(crate) fn rest<T: FromJson>(members: Members<'_>) -> Result<BTreeMap<String, T>, JsonError> {
    BTreeMap::from_json(Json::Object(members))
}

/// A string's text, borrowed where the body allows (a string enum's known
/// value then costs no allocation).
pub(crate) fn enum_text(value: Json<'_>) -> Result<std::borrow::Cow<'_, str>, JsonError> {
    match value {
        Json::String(text) => Ok(text),
        other => Err(JsonError::invalid(&other, "a string")),
    }
}

/// The value of a union's tag property, if it is a string.
pub(crate) fn union_tag(value: &Json<'_>, property: &str) -> Option<String> {
    match value {
        Json::Object(members) => match members.get(property)? {
            Json::String(tag) => Some(tag.to_string()),
            _ => None,
        },
        _ => None,
    }
}

impl FromJson for Value {
    fn from_json(value: Json<'_>) -> Result<Self, JsonError> {
        Ok(value.into_value())
    }
}

impl FromJson for Map<String, Value> {
    fn from_json(value: Json<'_>) -> Result<Self, JsonError> {
        members(value, "a map").map(Members::into_map)
    }
}

impl FromJson for String {
    fn from_json(value: Json<'_>) -> Result<Self, JsonError> {
        enum_text(value).map(std::borrow::Cow::into_owned)
    }
}

impl FromJson for bool {
    fn from_json(value: Json<'_>) -> Result<Self, JsonError> {
        match value {
            Json::Bool(b) => Ok(b),
            other => Err(JsonError::invalid(&other, "a boolean")),
        }
    }
}

/// An integer that fits `expected` (`i32` or `i64`): floating-point
/// numbers are refused, as serde's derive refuses them.
fn integer(value: &Json<'_>, expected: &str, fits: fn(i64) -> bool) -> Result<i64, JsonError> {
    match value {
        Json::Number(n) if !n.is_f64() => match n.as_i64() {
            Some(wide) if fits(wide) => Ok(wide),
            _ => Err(JsonError::new(format!("invalid value: integer `{n}`, expected {expected}"))),
        },
        _ => Err(JsonError::invalid(value, expected)),
    }
}

impl FromJson for i64 {
    fn from_json(value: Json<'_>) -> Result<Self, JsonError> {
        integer(&value, "i64", |_| true)
    }
}

impl FromJson for i32 {
    fn from_json(value: Json<'_>) -> Result<Self, JsonError> {
        integer(&value, "i32", |wide| i32::try_from(wide).is_ok()).map(|wide| wide as i32)
    }
}

impl FromJson for f64 {
    fn from_json(value: Json<'_>) -> Result<Self, JsonError> {
        match &value {
            Json::Number(n) => n.as_f64().ok_or_else(|| JsonError::invalid(&value, "f64")),
            _ => Err(JsonError::invalid(&value, "f64")),
        }
    }
}

impl FromJson for f32 {
    fn from_json(value: Json<'_>) -> Result<Self, JsonError> {
        match &value {
            Json::Number(n) => n.as_f64().map(|wide| wide as f32).ok_or_else(|| JsonError::invalid(&value, "f32")),
            _ => Err(JsonError::invalid(&value, "f32")),
        }
    }
}

impl<T: FromJson> FromJson for Vec<T> {
    fn from_json(value: Json<'_>) -> Result<Self, JsonError> {
        match value {
            Json::Array(items) => items
                .into_iter()
                .enumerate()
                .map(|(index, item)| T::from_json(item).map_err(|err| err.at_index(index)))
                .collect(),
            other => Err(JsonError::invalid(&other, "a sequence")),
        }
    }
}

impl<T: FromJson> FromJson for BTreeMap<String, T> {
    fn from_json(value: Json<'_>) -> Result<Self, JsonError> {
        members(value, "a map")?
            .into_pairs()
            .map(|(key, item)| match T::from_json(item) {
                Ok(item) => Ok((key.into_owned(), item)),
                Err(err) => Err(err.at_key(&key)),
            })
            .collect()
    }
}

impl<T: FromJson> FromJson for Option<T> {
    fn from_json(value: Json<'_>) -> Result<Self, JsonError> {
        match value {
            Json::Null => Ok(None),
            other => T::from_json(other).map(Some),
        }
    }

    fn missing(_: &str) -> Result<Self, JsonError> {
        Ok(None)
    }
}

impl<T: FromJson> FromJson for Box<T> {
    fn from_json(value: Json<'_>) -> Result<Self, JsonError> {
        T::from_json(value).map(Box::new)
    }
}

impl<T: FromJson> FromJson for super::Nullable<T> {
    fn from_json(value: Json<'_>) -> Result<Self, JsonError> {
        match value {
            Json::Null => Ok(Self::Null),
            other => T::from_json(other).map(Self::Value),
        }
    }

    fn missing(_: &str) -> Result<Self, JsonError> {
        Ok(Self::Absent)
    }
}

impl FromJson for super::Binary {
    fn from_json(value: Json<'_>) -> Result<Self, JsonError> {
        String::from_json(value).map(Self::new)
    }
}
