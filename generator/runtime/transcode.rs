//! A value of any self-describing serde format written out as JSON text,
//! for `Deserialize` to decode with the crate's own JSON decoders. From
//! `serde_json` the text is the value's own, exactly (asked for as serde_json
//! asks for a `RawValue`), so a member the type passes over is checked no
//! more than serde's derive checks it; from other formats, members stay in
//! order and a repeated key stays repeated, so a type refuses it as it does
//! in a JSON body.
#![cfg(not(omit = "json_deserialize"))]

use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use std::fmt;

/// The key serde_json's `arbitrary_precision` feature wraps a number in,
/// when it hands the number to a visitor as a one-member map.
const ARBITRARY_PRECISION: &str = "$serde_json::private::Number";

/// The name serde_json's `raw_value` feature answers with a value's text
/// (as a one-member map); other formats see a newtype and pass the value.
const RAW_VALUE: &str = "$serde_json::private::RawValue";

/// The JSON text of the value `deserializer` holds.
pub(crate) fn json_text<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Vec<u8>, D::Error> {
    let mut out = Vec::new();
    deserializer.deserialize_newtype_struct(RAW_VALUE, Writer(&mut out))?;
    Ok(out)
}

/// Writes the value it visits to its buffer, as JSON.
struct Writer<'o>(&'o mut Vec<u8>);

impl Writer<'_> {
    fn string(&mut self, text: &str) {
        // Writing a `str` into a `Vec` cannot fail.
        let _ = serde_json::to_writer(&mut *self.0, text);
    }

    fn display(&mut self, value: impl fmt::Display) {
        self.0.extend_from_slice(value.to_string().as_bytes());
    }
}

impl<'de> DeserializeSeed<'de> for Writer<'_> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Writer<'_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any value")
    }

    fn visit_bool<E: de::Error>(mut self, value: bool) -> Result<(), E> {
        self.display(value);
        Ok(())
    }

    fn visit_i64<E: de::Error>(mut self, value: i64) -> Result<(), E> {
        self.display(value);
        Ok(())
    }

    fn visit_u64<E: de::Error>(mut self, value: u64) -> Result<(), E> {
        self.display(value);
        Ok(())
    }

    fn visit_i128<E: de::Error>(mut self, value: i128) -> Result<(), E> {
        self.display(value);
        Ok(())
    }

    fn visit_u128<E: de::Error>(mut self, value: u128) -> Result<(), E> {
        self.display(value);
        Ok(())
    }

    fn visit_f64<E: de::Error>(self, value: f64) -> Result<(), E> {
        // NaN and the infinities have no JSON form: null, as
        // `serde_json::Value` reads them.
        let _ = serde_json::to_writer(&mut *self.0, &value);
        Ok(())
    }

    fn visit_str<E: de::Error>(mut self, value: &str) -> Result<(), E> {
        self.string(value);
        Ok(())
    }

    fn visit_bytes<E: de::Error>(self, value: &[u8]) -> Result<(), E> {
        let _ = serde_json::to_writer(&mut *self.0, value);
        Ok(())
    }

    fn visit_unit<E: de::Error>(self) -> Result<(), E> {
        self.0.extend_from_slice(b"null");
        Ok(())
    }

    fn visit_none<E: de::Error>(self) -> Result<(), E> {
        self.visit_unit()
    }

    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        self.deserialize(deserializer)
    }

    fn visit_newtype_struct<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        self.deserialize(deserializer)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        self.0.push(b'[');
        let mut first = true;
        loop {
            let at = self.0.len();
            if !first {
                self.0.push(b',');
            }
            if seq.next_element_seed(Writer(&mut *self.0))?.is_none() {
                self.0.truncate(at);
                break;
            }
            first = false;
        }
        self.0.push(b']');
        Ok(())
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let start = self.0.len();
        self.0.push(b'{');
        let mut first = true;
        while let Some(key) = map.next_key::<Key>()? {
            if first && (key.0 == ARBITRARY_PRECISION || key.0 == RAW_VALUE) {
                // A number serde_json kept as its text, or a value's text.
                self.0.truncate(start);
                let text: std::borrow::Cow<'de, str> = map.next_value::<Text<'de>>()?.0;
                self.0.extend_from_slice(text.as_bytes());
                return Ok(());
            }
            if !first {
                self.0.push(b',');
            }
            first = false;
            Writer(&mut *self.0).string(&key.0);
            self.0.push(b':');
            map.next_value_seed(Writer(&mut *self.0))?;
        }
        self.0.push(b'}');
        Ok(())
    }
}

/// A map's key as JSON's text: a string, or a number or boolean a format
/// such as YAML allows as a key, in its written form.
struct Key(String);

impl<'de> de::Deserialize<'de> for Key {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(KeyVisitor)
    }
}

struct KeyVisitor;

impl Visitor<'_> for KeyVisitor {
    type Value = Key;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a map key")
    }

    fn visit_str<E: de::Error>(self, value: &str) -> Result<Key, E> {
        Ok(Key(value.to_string()))
    }

    fn visit_string<E: de::Error>(self, value: String) -> Result<Key, E> {
        Ok(Key(value))
    }

    fn visit_bool<E: de::Error>(self, value: bool) -> Result<Key, E> {
        Ok(Key(value.to_string()))
    }

    fn visit_i64<E: de::Error>(self, value: i64) -> Result<Key, E> {
        Ok(Key(value.to_string()))
    }

    fn visit_u64<E: de::Error>(self, value: u64) -> Result<Key, E> {
        Ok(Key(value.to_string()))
    }

    fn visit_f64<E: de::Error>(self, value: f64) -> Result<Key, E> {
        Ok(Key(value.to_string()))
    }
}

/// A string, borrowed where the format allows.
struct Text<'de>(std::borrow::Cow<'de, str>);

impl<'de> de::Deserialize<'de> for Text<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_str(TextVisitor)
    }
}

struct TextVisitor;

impl<'de> Visitor<'de> for TextVisitor {
    type Value = Text<'de>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a string")
    }

    fn visit_borrowed_str<E: de::Error>(self, value: &'de str) -> Result<Text<'de>, E> {
        Ok(Text(std::borrow::Cow::Borrowed(value)))
    }

    fn visit_str<E: de::Error>(self, value: &str) -> Result<Text<'de>, E> {
        Ok(Text(std::borrow::Cow::Owned(value.to_string())))
    }

    fn visit_string<E: de::Error>(self, value: String) -> Result<Text<'de>, E> {
        Ok(Text(std::borrow::Cow::Owned(value)))
    }
}
