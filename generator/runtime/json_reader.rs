//! JSON text read in one pass, as the crate's types decode it: no tree in
//! between, strings borrowed from the body where they have no escapes,
//! members the type does not name passed over without allocating.
//!
//! It accepts and refuses exactly the text `serde_json` does (the same
//! grammar, the same nesting limit for the values a type decodes, none for
//! values it passes over), and where a value's meaning has subtleties of
//! its own (a fraction, an exponent, an escape) it hands that one value to
//! `serde_json`, so every number and string decodes to what serde's derive
//! gives, whatever features of `serde_json` the build turns on.
#![cfg(not(omit = "json"))]

use super::from_json::JsonError;
use std::borrow::Cow;

/// How deep the containers of a decoded value may nest (serde_json's limit).
const DEPTH: u16 = 128;

/// A position in the text to come back to: a union that tries its
/// variants in turn rereads only its own value.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Mark {
    at: usize,
    depth_left: u16,
}

/// The JSON text being decoded, and where the next value starts.
pub struct Reader<'a> {
    bytes: &'a [u8],
    at: usize,
    /// Containers that may still open while decoding.
    depth_left: u16,
}

/// An object being read, member by member.
pub(crate) struct Object {
    first: bool,
}

/// An array being read, item by item.
pub(crate) struct Array {
    next: usize,
}

impl<'a> Reader<'a> {
    pub(crate) fn new(bytes: &'a [u8]) -> Self {
        Self { bytes, at: 0, depth_left: DEPTH }
    }

    /// Decodes the whole text as one `T`: nothing but whitespace may follow.
    pub(crate) fn read_all<T: super::FromJson>(bytes: &'a [u8]) -> Result<T, JsonError> {
        let mut reader = Reader::new(bytes);
        let value = T::from_json(&mut reader)?;
        reader.skip_whitespace();
        if reader.at < reader.bytes.len() {
            return Err(JsonError::new("trailing characters"));
        }
        Ok(value)
    }

    pub(crate) fn mark(&self) -> Mark {
        Mark { at: self.at, depth_left: self.depth_left }
    }

    pub(crate) fn rewind(&mut self, mark: Mark) {
        (self.at, self.depth_left) = (mark.at, mark.depth_left);
    }

    fn skip_whitespace(&mut self) {
        while let Some(b' ' | b'\n' | b'\t' | b'\r') = self.bytes.get(self.at) {
            self.at += 1;
        }
    }

    /// The first byte of the next token, after whitespace.
    fn peek(&mut self) -> Option<u8> {
        self.skip_whitespace();
        self.bytes.get(self.at).copied()
    }

    /// The first byte of the next value; the text may not end before it.
    fn peek_value(&mut self) -> Result<u8, JsonError> {
        self.peek().ok_or_else(|| JsonError::new("EOF while parsing a value"))
    }

    /// Reads `null` if it comes next.
    pub(crate) fn null(&mut self) -> Result<bool, JsonError> {
        if self.peek() == Some(b'n') {
            self.literal(b"null")?;
            return Ok(true);
        }
        Ok(false)
    }

    fn literal(&mut self, word: &[u8]) -> Result<(), JsonError> {
        let end = self.at + word.len();
        if self.bytes.get(self.at..end) == Some(word) {
            self.at = end;
            Ok(())
        } else if self.bytes.len() < end && word.starts_with(&self.bytes[self.at..]) {
            Err(JsonError::new("EOF while parsing a value"))
        } else {
            Err(JsonError::new("expected ident"))
        }
    }

    pub(crate) fn boolean(&mut self) -> Result<bool, JsonError> {
        match self.peek_value()? {
            b't' => self.literal(b"true").map(|()| true),
            b'f' => self.literal(b"false").map(|()| false),
            _ => Err(self.unexpected("a boolean")),
        }
    }

    /// Opens an object.
    pub(crate) fn object(&mut self, expected: &str) -> Result<Object, JsonError> {
        if self.peek_value()? != b'{' {
            return Err(self.unexpected(expected));
        }
        self.enter()?;
        Ok(Object { first: true })
    }

    /// Opens an array.
    pub(crate) fn array(&mut self, expected: &str) -> Result<Array, JsonError> {
        if self.peek_value()? != b'[' {
            return Err(self.unexpected(expected));
        }
        self.enter()?;
        Ok(Array { next: 0 })
    }

    fn enter(&mut self) -> Result<(), JsonError> {
        self.depth_left = self.depth_left.saturating_sub(1);
        if self.depth_left == 0 {
            return Err(JsonError::new("recursion limit exceeded"));
        }
        self.at += 1;
        Ok(())
    }

    /// A string's text: borrowed when it has no escapes.
    pub(crate) fn string(&mut self, expected: &str) -> Result<Cow<'a, str>, JsonError> {
        if self.peek_value()? != b'"' {
            return Err(self.unexpected(expected));
        }
        self.quoted()
    }

    /// The string that starts at the current byte (a `"`).
    fn quoted(&mut self) -> Result<Cow<'a, str>, JsonError> {
        let start = self.at;
        let bytes: &'a [u8] = self.bytes;
        let rest = &bytes[start + 1..];
        let Some(len) = special_byte(rest) else {
            return Err(JsonError::new("EOF while parsing a string"));
        };
        match rest[len] {
            b'"' => {
                let text =
                    std::str::from_utf8(&rest[..len]).map_err(|_| JsonError::new("invalid unicode code point"))?;
                self.at = start + len + 2;
                Ok(Cow::Borrowed(text))
            }
            b'\\' => {
                // Escapes (surrogate pairs, invalid ones) are decoded by
                // serde_json itself.
                let end = self.string_end(start)?;
                self.at = end;
                serde_json::from_slice::<String>(&bytes[start..end])
                    .map(Cow::Owned)
                    .map_err(|err| JsonError::from_serde(&err))
            }
            _ => Err(JsonError::new("control character (\\u0000-\\u001F) found while parsing a string")),
        }
    }

    /// Passes over the string that starts at `start`, checking its escapes
    /// as serde_json does for a string it ignores; the index just past it.
    fn string_end(&self, start: usize) -> Result<usize, JsonError> {
        let mut at = start + 1;
        loop {
            at += special_byte(&self.bytes[at.min(self.bytes.len())..]).unwrap_or(self.bytes.len());
            match self.bytes.get(at) {
                None => return Err(JsonError::new("EOF while parsing a string")),
                Some(b'"') => return Ok(at + 1),
                Some(b'\\') => match self.bytes.get(at + 1) {
                    Some(b'"' | b'\\' | b'/' | b'b' | b'f' | b'n' | b'r' | b't') => at += 2,
                    Some(b'u') => {
                        let hex = self.bytes.get(at + 2..at + 6);
                        match hex {
                            Some(digits) if digits.iter().all(u8::is_ascii_hexdigit) => at += 6,
                            None => return Err(JsonError::new("EOF while parsing a string")),
                            Some(_) => return Err(JsonError::new("invalid escape")),
                        }
                    }
                    None => return Err(JsonError::new("EOF while parsing a string")),
                    Some(_) => return Err(JsonError::new("invalid escape")),
                },
                Some(0..=0x1f) => {
                    return Err(JsonError::new("control character (\\u0000-\\u001F) found while parsing a string"))
                }
                Some(_) => at += 1,
            }
        }
    }

    /// A number: its value when it is whole and fits 64 bits as serde_json
    /// reads it, else its text (grammar checked). One pass for the first.
    pub(crate) fn number_value(&mut self, expected: &str) -> Result<Number<'a>, JsonError> {
        let start = match self.peek_value()? {
            b'-' | b'0'..=b'9' => self.at,
            _ => return Err(self.unexpected(expected)),
        };
        let bytes = self.bytes;
        let negative = bytes[start] == b'-';
        let mut at = start + usize::from(negative);
        let first = at;
        let mut magnitude: u64 = 0;
        let mut fits = true;
        while let Some(&digit) = bytes.get(at).filter(|b| b.is_ascii_digit()) {
            match magnitude.checked_mul(10).and_then(|m| m.checked_add(u64::from(digit - b'0'))) {
                Some(next) => magnitude = next,
                None => fits = false,
            }
            at += 1;
        }
        let plain = at > first
            && (bytes[first] != b'0' || at == first + 1)
            && !matches!(bytes.get(at), Some(b'.' | b'e' | b'E'));
        if plain && fits {
            let whole = match negative {
                false => Some(i128::from(magnitude)),
                true if magnitude == 0 || magnitude > 1 << 63 => None,
                true => Some(-i128::from(magnitude)),
            };
            if let Some(whole) = whole {
                self.at = at;
                return Ok(Number::Whole(whole));
            }
        }
        self.at = self.number_end(start)?;
        Ok(Number::Other(&bytes[start..self.at]))
    }

    /// The index just past the number that starts at `start`.
    fn number_end(&self, start: usize) -> Result<usize, JsonError> {
        let bytes = self.bytes;
        let digits = |mut at: usize| {
            while bytes.get(at).is_some_and(u8::is_ascii_digit) {
                at += 1;
            }
            at
        };
        let invalid = || JsonError::new("invalid number");
        let mut at = start + usize::from(bytes[start] == b'-');
        match bytes.get(at) {
            Some(b'0') => {
                at += 1;
                if bytes.get(at).is_some_and(u8::is_ascii_digit) {
                    return Err(invalid());
                }
            }
            Some(b'1'..=b'9') => at = digits(at + 1),
            _ => return Err(invalid()),
        }
        if bytes.get(at) == Some(&b'.') {
            let after = digits(at + 1);
            if after == at + 1 {
                return Err(invalid());
            }
            at = after;
        }
        if let Some(b'e' | b'E') = bytes.get(at) {
            at += 1;
            if let Some(b'+' | b'-') = bytes.get(at) {
                at += 1;
            }
            let after = digits(at);
            if after == at {
                return Err(invalid());
            }
            at = after;
        }
        Ok(at)
    }

    #[cfg(any(not(omit = "json_structs"), not(omit = "json_tagged")))]
    /// Passes over one value of any kind, checking its syntax as serde_json
    /// does for a value it ignores (with no limit to its nesting).
    pub(crate) fn skip(&mut self) -> Result<(), JsonError> {
        self.pass_over(usize::MAX)
    }

    /// The text of the next value, checked; its containers may nest only as
    /// deep as the decoding of a value here may go.
    pub(crate) fn span(&mut self) -> Result<&'a [u8], JsonError> {
        self.peek_value()?;
        let start = self.at;
        self.pass_over(usize::from(self.depth_left))?;
        Ok(&self.bytes[start..self.at])
    }

    /// Passes over one value whose containers nest fewer than `limit` deep.
    /// Iterative: no input can exhaust the stack.
    fn pass_over(&mut self, limit: usize) -> Result<(), JsonError> {
        // The closing bytes of the containers open, innermost last.
        let mut open: Vec<u8> = Vec::new();
        loop {
            match self.peek_value()? {
                opener @ (b'{' | b'[') => {
                    if open.len() + 1 >= limit {
                        return Err(JsonError::new("recursion limit exceeded"));
                    }
                    self.at += 1;
                    let closer = if opener == b'{' { b'}' } else { b']' };
                    if self.peek() == Some(closer) {
                        self.at += 1;
                    } else {
                        open.push(closer);
                        if closer == b'}' {
                            self.member_key()?;
                        }
                        continue;
                    }
                }
                b'"' => self.at = self.string_end(self.at)?,
                b'-' | b'0'..=b'9' => self.at = self.number_end(self.at)?,
                b't' => self.literal(b"true")?,
                b'f' => self.literal(b"false")?,
                b'n' => self.literal(b"null")?,
                _ => return Err(JsonError::new("expected value")),
            }
            // A value ended: close what it ends, or go on to the next one.
            loop {
                let Some(&closer) = open.last() else { return Ok(()) };
                match self.peek() {
                    Some(b',') => {
                        self.at += 1;
                        if closer == b'}' {
                            self.member_key()?;
                        } else if self.peek() == Some(b']') {
                            return Err(JsonError::new("trailing comma"));
                        }
                        break;
                    }
                    Some(byte) if byte == closer => {
                        self.at += 1;
                        open.pop();
                    }
                    Some(_) if closer == b'}' => return Err(JsonError::new("expected `,` or `}`")),
                    Some(_) => return Err(JsonError::new("expected `,` or `]`")),
                    None if closer == b'}' => return Err(JsonError::new("EOF while parsing an object")),
                    None => return Err(JsonError::new("EOF while parsing a list")),
                }
            }
        }
    }

    /// Passes over a member's key and its `:`.
    fn member_key(&mut self) -> Result<(), JsonError> {
        match self.peek() {
            Some(b'"') => self.at = self.string_end(self.at)?,
            Some(b'}') => return Err(JsonError::new("trailing comma")),
            Some(_) => return Err(JsonError::new("key must be a string")),
            None => return Err(JsonError::new("EOF while parsing an object")),
        }
        self.colon()
    }

    fn colon(&mut self) -> Result<(), JsonError> {
        match self.peek() {
            Some(b':') => {
                self.at += 1;
                Ok(())
            }
            Some(_) => Err(JsonError::new("expected `:`")),
            None => Err(JsonError::new("EOF while parsing an object")),
        }
    }

    #[cfg(not(omit = "json_tagged"))]
    /// The value of the string member `property` of the object that comes
    /// next (a union's tag), read ahead: the reader stays where it was.
    /// With `first_only`, reading stops at the tag (the variant refuses a
    /// second one); else the whole object is read, and a second tag refused.
    pub(crate) fn tag(
        &mut self,
        property: &str,
        expected: &str,
        first_only: bool,
    ) -> Result<Option<Cow<'a, str>>, JsonError> {
        let mark = self.mark();
        let mut object = self.object(expected)?;
        let mut tag = None;
        while let Some(key) = object.next_key(self)? {
            if key != property {
                self.skip()?;
            } else if tag.is_some() {
                return Err(JsonError::new(format!("duplicate field `{property}`")));
            } else {
                tag = Some(self.string("a string").map_err(|err| err.at_key(property))?);
                if first_only {
                    break;
                }
            }
        }
        self.rewind(mark);
        Ok(tag)
    }

    /// What the next value is, for an error that says it is not `expected`
    /// (serde's wording).
    pub(crate) fn unexpected(&mut self, expected: &str) -> JsonError {
        let found = match self.peek() {
            None => return JsonError::new("EOF while parsing a value"),
            Some(b'n') => "null".to_string(),
            Some(b't') => "boolean `true`".to_string(),
            Some(b'f') => "boolean `false`".to_string(),
            Some(b'[') => "sequence".to_string(),
            Some(b'{') => "map".to_string(),
            Some(b'"') => match self.quoted() {
                Ok(text) => format!("string {:?}", super::one_line(&text, 64)),
                Err(err) => return err,
            },
            Some(b'-' | b'0'..=b'9') => {
                let start = self.at;
                match self.number_end(start) {
                    Ok(end) => {
                        let text = String::from_utf8_lossy(&self.bytes[start..end]);
                        if text.contains(['.', 'e', 'E']) {
                            format!("floating point `{text}`")
                        } else {
                            format!("integer `{text}`")
                        }
                    }
                    Err(err) => return err,
                }
            }
            Some(_) => return JsonError::new("expected value"),
        };
        JsonError::new(format!("invalid type: {found}, expected {expected}"))
    }
}

impl Reader<'_> {
    /// Between a container's elements: `true` when another element comes
    /// (after its `,`, unless it is the `first`), `false` once `closer`
    /// closes the container.
    fn next_element(&mut self, first: bool, closer: u8) -> Result<bool, JsonError> {
        let object = closer == b'}';
        match self.peek() {
            Some(byte) if byte == closer => {
                self.at += 1;
                self.depth_left += 1;
                Ok(false)
            }
            Some(b',') if !first => {
                self.at += 1;
                match self.peek() {
                    Some(byte) if byte == closer => Err(JsonError::new("trailing comma")),
                    _ => Ok(true),
                }
            }
            Some(_) if !first && object => Err(JsonError::new("expected `,` or `}`")),
            Some(_) if !first => Err(JsonError::new("expected `,` or `]`")),
            Some(_) => Ok(true),
            None if object => Err(JsonError::new("EOF while parsing an object")),
            None => Err(JsonError::new("EOF while parsing a list")),
        }
    }
}

impl Object {
    /// The next member's key (its value comes next), or `None` once the
    /// object closes.
    pub(crate) fn next_key<'a>(&mut self, reader: &mut Reader<'a>) -> Result<Option<Cow<'a, str>>, JsonError> {
        if !reader.next_element(self.first, b'}')? {
            return Ok(None);
        }
        self.first = false;
        let key = match reader.peek() {
            Some(b'"') => reader.quoted()?,
            Some(_) => return Err(JsonError::new("key must be a string")),
            None => return Err(JsonError::new("EOF while parsing an object")),
        };
        reader.colon()?;
        Ok(Some(key))
    }
}

impl Array {
    /// The next item's index (the item comes next), or `None` once the
    /// array closes.
    pub(crate) fn next_item(&mut self, reader: &mut Reader<'_>) -> Result<Option<usize>, JsonError> {
        if !reader.next_element(self.next == 0, b']')? {
            return Ok(None);
        }
        self.next += 1;
        Ok(Some(self.next - 1))
    }
}

/// Where the first byte a string cannot hold as it is comes in `text`: a
/// `"`, a `\\` or a control character. Eight bytes at a time (each test
/// below finds the lowest matching byte exactly; higher ones may be
/// marked falsely, and are not looked at).
fn special_byte(text: &[u8]) -> Option<usize> {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let zero_byte = |v: u64| v.wrapping_sub(ONES) & !v & HIGH;
    let mut chunks = text.chunks_exact(8);
    let mut at = 0;
    for chunk in &mut chunks {
        let word = u64::from_le_bytes(chunk.try_into().expect("eight bytes"));
        let found = zero_byte(word ^ (ONES * u64::from(b'"')))
            | zero_byte(word ^ (ONES * u64::from(b'\\')))
            | (word.wrapping_sub(ONES * 0x20) & !word & HIGH);
        if found != 0 {
            return Some(at + (found.trailing_zeros() / 8) as usize);
        }
        at += 8;
    }
    chunks.remainder().iter().position(|&b| b == b'"' || b == b'\\' || b < 0x20).map(|p| at + p)
}

/// A number as [`Reader::number_value`] reads it.
pub(crate) enum Number<'a> {
    /// Whole, and within 64 bits (serde_json's `u64` or `i64`).
    Whole(i128),
    /// Anything else serde_json reads as floating point: its text.
    Other(&'a [u8]),
}
