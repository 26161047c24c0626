//! YAML text → JSON value, read straight from the parser's events.
//!
//! Going through `serde_yaml::Value` first would refuse the whole document
//! on an integer outside 64 bits (OpenAI's document bounds a seed with
//! `minimum: -9223372036854776000`, which JSON tools write for `i64::MIN`
//! rounded through a double). Here such an integer becomes the nearest
//! double, as a JSON parser reads it. Scalar mapping keys (`200:` for a
//! status code) become strings, since OpenAPI means them as strings; a tag
//! is dropped and its value kept.

use serde::de::{self, Deserializer, MapAccess, SeqAccess, VariantAccess, Visitor};
use serde::Deserialize;
use serde_json::{Map, Number, Value};
use std::fmt;

/// Parses YAML text into JSON, or serde_yaml's error (with its location).
pub fn from_str(text: &str) -> Result<Value, serde_yaml::Error> {
    serde_yaml::from_str::<Json>(text).map(|json| json.0)
}

struct Json(Value);

impl<'de> Deserialize<'de> for Json {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(JsonVisitor).map(Json)
    }
}

fn float<E: de::Error>(f: f64) -> Result<Value, E> {
    Number::from_f64(f)
        .map(Value::Number)
        .ok_or_else(|| E::custom("a number that JSON cannot represent (NaN or infinity)"))
}

struct JsonVisitor;

impl<'de> Visitor<'de> for JsonVisitor {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a YAML value")
    }

    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_none<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        d.deserialize_any(self)
    }
    fn visit_bool<E>(self, b: bool) -> Result<Value, E> {
        Ok(Value::Bool(b))
    }
    fn visit_i64<E>(self, i: i64) -> Result<Value, E> {
        Ok(Value::from(i))
    }
    fn visit_u64<E>(self, u: u64) -> Result<Value, E> {
        Ok(Value::from(u))
    }
    fn visit_i128<E: de::Error>(self, i: i128) -> Result<Value, E> {
        match i64::try_from(i) {
            Ok(i) => Ok(Value::from(i)),
            Err(_) => float(i as f64),
        }
    }
    fn visit_u128<E: de::Error>(self, u: u128) -> Result<Value, E> {
        match u64::try_from(u) {
            Ok(u) => Ok(Value::from(u)),
            Err(_) => float(u as f64),
        }
    }
    fn visit_f64<E: de::Error>(self, f: f64) -> Result<Value, E> {
        float(f)
    }
    fn visit_str<E>(self, s: &str) -> Result<Value, E> {
        Ok(Value::String(s.to_owned()))
    }
    fn visit_string<E>(self, s: String) -> Result<Value, E> {
        Ok(Value::String(s))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut out = Vec::with_capacity(seq.size_hint().unwrap_or(0));
        while let Some(Json(item)) = seq.next_element()? {
            out.push(item);
        }
        Ok(Value::Array(out))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut out = Map::new();
        while let Some(Key(key)) = map.next_key()? {
            let Json(value) = map.next_value()?;
            if out.insert(key.clone(), value).is_some() {
                return Err(de::Error::custom(format_args!("duplicate mapping key `{key}`")));
            }
        }
        Ok(Value::Object(out))
    }
    /// serde_yaml hands a tagged value (`!Tag value`) over as an enum.
    fn visit_enum<A: de::EnumAccess<'de>>(self, data: A) -> Result<Value, A::Error> {
        let (_tag, variant): (de::IgnoredAny, _) = data.variant()?;
        variant.newtype_variant::<Json>().map(|json| json.0)
    }
}

/// A mapping key: a string, or a number or boolean read as its text.
struct Key(String);

impl<'de> Deserialize<'de> for Key {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(KeyVisitor).map(Key)
    }
}

struct KeyVisitor;

impl Visitor<'_> for KeyVisitor {
    type Value = String;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a string, number or boolean mapping key")
    }
    fn visit_str<E>(self, s: &str) -> Result<String, E> {
        Ok(s.to_owned())
    }
    fn visit_string<E>(self, s: String) -> Result<String, E> {
        Ok(s)
    }
    fn visit_bool<E>(self, b: bool) -> Result<String, E> {
        Ok(b.to_string())
    }
    fn visit_i64<E>(self, i: i64) -> Result<String, E> {
        Ok(i.to_string())
    }
    fn visit_u64<E>(self, u: u64) -> Result<String, E> {
        Ok(u.to_string())
    }
    fn visit_i128<E>(self, i: i128) -> Result<String, E> {
        Ok(i.to_string())
    }
    fn visit_u128<E>(self, u: u128) -> Result<String, E> {
        Ok(u.to_string())
    }
    fn visit_f64<E>(self, f: f64) -> Result<String, E> {
        Ok(f.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::from_str;
    use serde_json::json;

    #[test]
    fn integers_beyond_64_bits_become_doubles() {
        let value = from_str("minimum: -9223372036854776000\nmaximum: 18446744073709551616\n").unwrap();
        assert_eq!(value, json!({"minimum": -9.223372036854776e18, "maximum": 1.8446744073709552e19}));
    }

    #[test]
    fn scalar_keys_are_text_and_tags_are_dropped() {
        let value = from_str("200: ok\ntrue: yes\nx: !Custom 3\n").unwrap();
        assert_eq!(value, json!({"200": "ok", "true": "yes", "x": 3}));
    }

    #[test]
    fn refusals_keep_their_location() {
        let err = from_str("a: 1\nb: .nan\n").unwrap_err();
        assert!(err.to_string().contains("NaN"), "{err}");
        assert_eq!(err.location().map(|l| l.line()), Some(2), "{err}");
        let err = from_str("a: 1\na: 2\n").unwrap_err();
        assert!(err.to_string().contains("duplicate"), "{err}");
        assert!(from_str("[1, 2]: x\n").is_err());
    }
}
