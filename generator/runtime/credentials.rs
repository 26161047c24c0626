//! Credentials and their redaction: `Secret`, the credentials a client
//! holds and how each is attached, and scrubbing them from what servers send.

#[cfg(not(omit = "credential_token"))]
use super::TokenSource;
use std::fmt;

/// A credential. `Debug` and `Display` print a redaction, so a key never
/// ends up in a log line, an error message or a panic.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    /// Wraps a credential.
    pub fn new(value: impl Into<String>) -> Self {
        Self(value.into())
    }

    /// The credential itself, for sending it.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(\"<redacted>\")")
    }
}

impl fmt::Display for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<redacted>")
    }
}

impl From<String> for Secret {
    fn from(value: String) -> Self {
        Self(value)
    }
}

impl From<&str> for Secret {
    fn from(value: &str) -> Self {
        Self(value.to_string())
    }
}

/// What replaces a credential in text.
const REDACTED: &str = "<redacted>";

/// Shorter values are not searched for in server text (they would match
/// ordinary words); they are still never printed by the client itself.
const MIN_REDACTED_LEN: usize = 4;

/// Whether a header carries a credential, by its name: the standard ones
/// (`Authorization`, `Cookie`…) and any whose name says key, token,
/// secret, password, session or signature.
pub(crate) fn is_credential_header(name: &str) -> bool {
    let name = name.to_ascii_lowercase();
    const MARKS: [&str; 12] = [
        "auth",
        "token",
        "secret",
        "password",
        "passwd",
        "cookie",
        "session",
        "signature",
        "credential",
        "api-key",
        "apikey",
        "api_key",
    ];
    MARKS.iter().any(|mark| name.contains(mark)) || name.ends_with("-key") || name.ends_with("_key")
}

/// The credential values a client (or one request) holds: scrubbed from
/// every error body, header and URL before anyone can see them.
#[derive(Clone, Default)]
pub(crate) struct Redactor {
    values: Vec<String>,
}

impl Redactor {
    /// Adds a value, and the forms a server may echo it in: JSON-escaped,
    /// percent-encoded (upper- and lower-case hex, `+` for spaces) and
    /// base64 (standard and URL-safe, with and without padding).
    pub(crate) fn add(&mut self, value: &str) {
        if value.len() < MIN_REDACTED_LEN {
            return;
        }
        let escaped = serde_json::to_string(value).unwrap_or_default();
        let escaped = escaped.trim_matches('"').to_string();
        let percent = percent_encode(value);
        let lower_hex = lower_percent_hex(&percent);
        let form_encoded = percent.replace("%20", "+");
        let standard = base64(value.as_bytes());
        let url_safe = standard.replace('+', "-").replace('/', "_");
        let forms = [
            value.to_string(),
            escaped,
            percent,
            lower_hex,
            form_encoded,
            standard.trim_end_matches('=').to_string(),
            url_safe.trim_end_matches('=').to_string(),
            standard,
            url_safe,
        ];
        for form in forms {
            if !self.values.contains(&form) {
                self.values.push(form);
            }
        }
        // Longest first, so a value that contains another is replaced whole.
        self.values.sort_by_key(|v| std::cmp::Reverse(v.len()));
    }

    #[cfg(not(omit = "operations"))]
    fn is_empty(&self) -> bool {
        self.values.is_empty()
    }

    #[cfg(not(omit = "operations"))]
    /// `text` with every credential replaced.
    pub(crate) fn text(&self, text: &str) -> String {
        let mut out = text.to_string();
        for value in &self.values {
            if out.contains(value.as_str()) {
                out = out.replace(value.as_str(), REDACTED);
            }
        }
        out
    }

    #[cfg(not(omit = "operations"))]
    /// An error body with every credential scrubbed. A JSON body is
    /// scrubbed as decoded (every key and string), then written again, so
    /// a credential the server spelled with JSON escapes (`\u0063…`) is
    /// caught too, and what decodes from it (the typed error body, the
    /// server's message) never holds one; any other body is scrubbed as
    /// bytes.
    pub(crate) fn error_body(&self, body: bytes::Bytes) -> bytes::Bytes {
        if self.is_empty() {
            return body;
        }
        match serde_json::from_slice::<serde_json::Value>(&body) {
            Ok(mut value) => {
                if !self.json(&mut value) {
                    return body;
                }
                serde_json::to_vec(&value).map_or_else(|_| self.bytes(body), bytes::Bytes::from)
            }
            Err(_) => self.bytes(body),
        }
    }

    #[cfg(not(omit = "operations"))]
    /// Scrubs every key and string of `value`; whether anything changed.
    fn json(&self, value: &mut serde_json::Value) -> bool {
        match value {
            serde_json::Value::String(text) => {
                let redacted = self.text(text);
                let changed = redacted != *text;
                *text = redacted;
                changed
            }
            serde_json::Value::Array(items) => items.iter_mut().fold(false, |changed, item| self.json(item) | changed),
            serde_json::Value::Object(map) => {
                let mut changed = false;
                let entries = std::mem::take(map);
                for (key, mut item) in entries {
                    changed |= self.json(&mut item);
                    let redacted = self.text(&key);
                    changed |= redacted != key;
                    map.insert(redacted, item);
                }
                changed
            }
            _ => false,
        }
    }

    #[cfg(not(omit = "operations"))]
    pub(crate) fn bytes(&self, body: bytes::Bytes) -> bytes::Bytes {
        let mut body = body;
        for value in &self.values {
            if let Some(replaced) = replace_bytes(&body, value.as_bytes(), REDACTED.as_bytes()) {
                body = replaced.into();
            }
        }
        body
    }

    #[cfg(not(omit = "operations"))]
    pub(crate) fn headers(&self, headers: &mut reqwest::header::HeaderMap) {
        if self.is_empty() {
            return;
        }
        for value in headers.values_mut() {
            let text = String::from_utf8_lossy(value.as_bytes()).into_owned();
            let redacted = self.text(&text);
            if redacted != text {
                let mut replacement = reqwest::header::HeaderValue::from_static(REDACTED);
                replacement.set_sensitive(true);
                *value = replacement;
            }
        }
    }

    #[cfg(not(omit = "operations"))]
    pub(crate) fn error(&self, mut err: reqwest::Error) -> reqwest::Error {
        if let Some(url) = err.url_mut() {
            let text = url.as_str().to_string();
            let redacted = self.text(&text);
            if redacted != text {
                match reqwest::Url::parse(&redacted) {
                    Ok(parsed) => *url = parsed,
                    Err(_) => url.set_query(None),
                }
            }
        }
        err
    }
}

impl fmt::Debug for Redactor {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Redactor({} values)", self.values.len())
    }
}

/// A percent-encoded text with lower-case hex digits (`%2f`).
fn lower_percent_hex(encoded: &str) -> String {
    let mut out = String::with_capacity(encoded.len());
    let mut hex_left = 0;
    for ch in encoded.chars() {
        if ch == '%' {
            hex_left = 2;
            out.push(ch);
        } else if hex_left > 0 {
            hex_left -= 1;
            out.push(ch.to_ascii_lowercase());
        } else {
            out.push(ch);
        }
    }
    out
}

pub(crate) fn percent_encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for byte in text.bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => out.push(byte as char),
            _ => out.push_str(&format!("%{byte:02X}")),
        }
    }
    out
}

#[cfg(not(omit = "operations"))]
/// `haystack` with every `needle` replaced, or `None` when there is none.
fn replace_bytes(haystack: &[u8], needle: &[u8], with: &[u8]) -> Option<Vec<u8>> {
    if needle.is_empty() || haystack.len() < needle.len() {
        return None;
    }
    let mut out = Vec::new();
    let mut start = 0;
    let mut i = 0;
    while i + needle.len() <= haystack.len() {
        if &haystack[i..i + needle.len()] == needle {
            out.extend_from_slice(&haystack[start..i]);
            out.extend_from_slice(with);
            i += needle.len();
            start = i;
        } else {
            i += 1;
        }
    }
    if start == 0 {
        return None;
    }
    out.extend_from_slice(&haystack[start..]);
    Some(out)
}

/// Headers given as text (default and per-request), whose `Debug` hides
/// the values of credential headers.
#[derive(Clone, Default)]
pub(crate) struct HeaderList(pub(crate) Vec<(String, String)>);

impl fmt::Debug for HeaderList {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let shown = self.0.iter().map(|(name, value)| {
            let value = if is_credential_header(name) { REDACTED } else { value.as_str() };
            (name, value)
        });
        f.debug_map().entries(shown).finish()
    }
}

/// A header name and value, checked; credential values are marked
/// sensitive (so `Debug` of a request hides them) and added to `redactor`.
pub(crate) fn parse_header(
    name: &str,
    value: &str,
    redactor: &mut Redactor,
) -> Result<(reqwest::header::HeaderName, reqwest::header::HeaderValue), String> {
    let header = reqwest::header::HeaderName::from_bytes(name.as_bytes())
        .map_err(|_| format!("`{name}` is not a valid header name"))?;
    let mut parsed = reqwest::header::HeaderValue::from_str(value)
        .map_err(|_| format!("the value of header `{name}` has a character a header cannot carry"))?;
    if is_credential_header(name) {
        parsed.set_sensitive(true);
        redactor.add(value);
        // `Bearer <token>`, `Token <token>`: the credential alone too.
        if let Some((_, credential)) = value.trim().rsplit_once(' ') {
            redactor.add(credential);
        }
    }
    Ok((header, parsed))
}

/// A security scheme's credential, as the client sends it.
#[derive(Clone)]
pub(crate) enum Credential {
    #[cfg(not(omit = "credential_header"))]
    /// An API key in a header (its name).
    Header(String, Secret),
    #[cfg(not(omit = "credential_query"))]
    /// An API key in the query string.
    Query(String, Secret),
    #[cfg(not(omit = "credential_cookie"))]
    /// An API key in a cookie.
    Cookie(String, Secret),
    #[cfg(not(omit = "credential_bearer"))]
    /// `Authorization: Bearer …`.
    Bearer(Secret),
    #[cfg(not(omit = "credential_basic"))]
    /// `Authorization: Basic …`: a user name and a password, both secret
    /// (some APIs take their key as the user name, with no password).
    Basic(Secret, Secret),
    #[cfg(not(omit = "credential_token"))]
    /// `Authorization: Bearer …` with a token the source gives for each
    /// call (the call asks for it before sending).
    Token(std::sync::Arc<dyn TokenSource>),
}

#[cfg(not(omit = "credentials"))]
impl fmt::Debug for Credential {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            #[cfg(not(omit = "credential_header"))]
            Credential::Header(ref name, _) => write!(f, "Header({name}: <redacted>)"),
            #[cfg(not(omit = "credential_query"))]
            Credential::Query(ref name, _) => write!(f, "Query({name}=<redacted>)"),
            #[cfg(not(omit = "credential_cookie"))]
            Credential::Cookie(ref name, _) => write!(f, "Cookie({name}=<redacted>)"),
            #[cfg(not(omit = "credential_bearer"))]
            Credential::Bearer(_) => f.write_str("Bearer(<redacted>)"),
            #[cfg(not(omit = "credential_basic"))]
            Credential::Basic(..) => f.write_str("Basic(<redacted>:<redacted>)"),
            #[cfg(not(omit = "credential_token"))]
            Credential::Token(_) => f.write_str("Token(<from its source>)"),
        }
    }
}

/// A client without security schemes has no credentials.
#[cfg(omit = "credentials")]
impl fmt::Debug for Credential {
    fn fmt(&self, _: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {}
    }
}

#[cfg(not(omit = "credentials"))]
impl Credential {
    /// The secrets it holds, known before any call (not a token source's):
    /// every part the scheme sends, a basic user name included.
    pub(crate) fn secrets(&self) -> Vec<&Secret> {
        match self {
            #[cfg(not(omit = "credential_header"))]
            Credential::Header(_, s) => vec![s],
            #[cfg(not(omit = "credential_query"))]
            Credential::Query(_, s) => vec![s],
            #[cfg(not(omit = "credential_cookie"))]
            Credential::Cookie(_, s) => vec![s],
            #[cfg(not(omit = "credential_bearer"))]
            Credential::Bearer(s) => vec![s],
            #[cfg(not(omit = "credential_basic"))]
            Credential::Basic(user, password) => vec![user, password],
            #[cfg(not(omit = "credential_token"))]
            Credential::Token(_) => Vec::new(),
        }
    }

    /// Whether the credential can be sent: applied to a request that goes
    /// nowhere.
    pub(crate) fn check(&self) -> Result<(), String> {
        let url = reqwest::Url::parse("http://localhost/").map_err(|err| err.to_string())?;
        self.apply(&mut reqwest::Request::new(reqwest::Method::GET, url))
    }

    #[cfg(not(omit = "credential_basic"))]
    /// The form the credential takes on the wire when it is not the secret
    /// itself (basic authentication's base64 of `user:password`).
    pub(crate) fn encoded(&self) -> Option<String> {
        match self {
            #[cfg(not(omit = "credential_basic"))]
            Credential::Basic(user, secret) => {
                Some(base64(format!("{}:{}", user.expose(), secret.expose()).as_bytes()))
            }
            #[cfg(any(not(omit = "credential_header"), not(omit = "credential_query"), not(omit = "credential_cookie"), not(omit = "credential_bearer"), not(omit = "credential_token")))]
            _ => None,
        }
    }

    /// Adds the credential to a request being built.
    pub(crate) fn apply(&self, request: &mut reqwest::Request) -> Result<(), String> {
        #[cfg(any(not(omit = "credential_header"), not(omit = "credential_bearer"), not(omit = "credential_basic")))]
        let sensitive = |text: &str| {
            let mut value = reqwest::header::HeaderValue::from_str(text)
                .map_err(|_| "a credential has a character a header cannot carry".to_string())?;
            value.set_sensitive(true);
            Ok::<_, String>(value)
        };
        match self {
            #[cfg(not(omit = "credential_header"))]
            Credential::Header(name, secret) => {
                let name = reqwest::header::HeaderName::from_bytes(name.as_bytes())
                    .map_err(|_| format!("`{name}` is not a valid header name"))?;
                request.headers_mut().insert(name, sensitive(secret.expose())?);
            }
            #[cfg(not(omit = "credential_cookie"))]
            Credential::Cookie(name, secret) => {
                let headers = request.headers_mut();
                append_cookie(headers, &format!("{name}={}", secret.expose()))?;
                if let Some(cookie) = headers.get_mut(reqwest::header::COOKIE) {
                    cookie.set_sensitive(true);
                }
            }
            #[cfg(not(omit = "credential_bearer"))]
            Credential::Bearer(secret) => {
                let value = sensitive(&format!("Bearer {}", secret.expose()))?;
                request.headers_mut().insert(reqwest::header::AUTHORIZATION, value);
            }
            #[cfg(not(omit = "credential_basic"))]
            Credential::Basic(user, secret) => {
                let encoded = base64(format!("{}:{}", user.expose(), secret.expose()).as_bytes());
                request.headers_mut().insert(reqwest::header::AUTHORIZATION, sensitive(&format!("Basic {encoded}"))?);
            }
            #[cfg(not(omit = "credential_query"))]
            Credential::Query(name, secret) => {
                request.url_mut().query_pairs_mut().append_pair(name, secret.expose());
            }
            // Replaced by the token it gave before the request is built.
            #[cfg(not(omit = "credential_token"))]
            Credential::Token(_) => {}
        }
        Ok(())
    }
}

#[cfg(not(omit = "operations"))]
/// Adds `text` to the request's one `Cookie` header (a client sends one).
pub(crate) fn append_cookie(headers: &mut reqwest::header::HeaderMap, text: &str) -> Result<(), String> {
    let joined = match headers.get(reqwest::header::COOKIE).and_then(|v| v.to_str().ok()) {
        Some(existing) => format!("{existing}; {text}"),
        None => text.to_string(),
    };
    let value = reqwest::header::HeaderValue::from_str(&joined)
        .map_err(|_| "a cookie has a character a header cannot carry".to_string())?;
    headers.insert(reqwest::header::COOKIE, value);
    Ok(())
}

/// Standard base64 with padding (RFC 4648), for basic authentication.
pub(crate) fn base64(input: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(input.len().div_ceil(3) * 4);
    for chunk in input.chunks(3) {
        let b = [chunk[0], chunk.get(1).copied().unwrap_or(0), chunk.get(2).copied().unwrap_or(0)];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(ALPHABET[(n >> (18 - 6 * i) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}
