//! Support code shared by every operation: the client and its settings,
//! credentials, retries, rate limiting and redaction, responses, errors,
//! and the encoding of parameters and bodies. The generator emits this file
//! unchanged into every crate it makes (the crate depends on crates.io
//! only); the operations themselves, in `client.rs`, only describe their
//! request and decode their response.
//!
//! Safe by default on the wire: credentials never appear in `Debug` or
//! `Display` output (nor in text or headers a server echoes back, nor in
//! URLs), redirects to another origin are not followed, nothing a server
//! sends can make the client panic, and a failed request is retried only
//! when the failure shows that sending it again is safe.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

// ---------------------------------------------------------------------------
// Credentials and redaction
// ---------------------------------------------------------------------------

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
        "auth", "token", "secret", "password", "passwd", "cookie", "session", "signature", "credential", "api-key",
        "apikey", "api_key",
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
    /// Adds a value (and its JSON-escaped and percent-encoded forms).
    pub(crate) fn add(&mut self, value: &str) {
        if value.len() < MIN_REDACTED_LEN {
            return;
        }
        let escaped = serde_json::to_string(value).unwrap_or_default();
        let escaped = escaped.trim_matches('"').to_string();
        for form in [value.to_string(), escaped, percent_encode(value)] {
            if !self.values.contains(&form) {
                self.values.push(form);
            }
        }
        // Longest first, so a value that contains another is replaced whole.
        self.values.sort_by_key(|v| std::cmp::Reverse(v.len()));
    }

    fn is_empty(&self) -> bool {
        self.values.is_empty()
    }

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

    fn bytes(&self, body: bytes::Bytes) -> bytes::Bytes {
        let mut body = body;
        for value in &self.values {
            if let Some(replaced) = replace_bytes(&body, value.as_bytes(), REDACTED.as_bytes()) {
                body = replaced.into();
            }
        }
        body
    }

    fn headers(&self, headers: &mut reqwest::header::HeaderMap) {
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

    fn error(&self, mut err: reqwest::Error) -> reqwest::Error {
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

fn percent_encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for byte in text.bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => out.push(byte as char),
            _ => out.push_str(&format!("%{byte:02X}")),
        }
    }
    out
}

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
pub(crate) struct HeaderList(Vec<(String, String)>);

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
fn parse_header(
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
    /// An API key in a header (its name).
    Header(String, Secret),
    /// An API key in the query string.
    Query(String, Secret),
    /// An API key in a cookie.
    Cookie(String, Secret),
    /// `Authorization: Bearer …`.
    Bearer(Secret),
    /// `Authorization: Basic …`.
    Basic(String, Secret),
}

impl fmt::Debug for Credential {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Credential::Header(name, _) => write!(f, "Header({name}: <redacted>)"),
            Credential::Query(name, _) => write!(f, "Query({name}=<redacted>)"),
            Credential::Cookie(name, _) => write!(f, "Cookie({name}=<redacted>)"),
            Credential::Bearer(_) => f.write_str("Bearer(<redacted>)"),
            Credential::Basic(user, _) => write!(f, "Basic({user}:<redacted>)"),
        }
    }
}

impl Credential {
    fn secret(&self) -> &Secret {
        match self {
            Credential::Header(_, s) | Credential::Query(_, s) | Credential::Cookie(_, s) => s,
            Credential::Bearer(s) | Credential::Basic(_, s) => s,
        }
    }

    /// Adds the credential to a request being built.
    fn apply(&self, request: &mut reqwest::Request) -> Result<(), String> {
        let sensitive = |text: &str| {
            let mut value = reqwest::header::HeaderValue::from_str(text)
                .map_err(|_| "a credential has a character a header cannot carry".to_string())?;
            value.set_sensitive(true);
            Ok::<_, String>(value)
        };
        let headers = request.headers_mut();
        match self {
            Credential::Header(name, secret) => {
                let name = reqwest::header::HeaderName::from_bytes(name.as_bytes())
                    .map_err(|_| format!("`{name}` is not a valid header name"))?;
                headers.insert(name, sensitive(secret.expose())?);
            }
            Credential::Cookie(name, secret) => {
                append_cookie(headers, &format!("{name}={}", secret.expose()))?;
                if let Some(cookie) = headers.get_mut(reqwest::header::COOKIE) {
                    cookie.set_sensitive(true);
                }
            }
            Credential::Bearer(secret) => {
                headers.insert(reqwest::header::AUTHORIZATION, sensitive(&format!("Bearer {}", secret.expose()))?);
            }
            Credential::Basic(user, secret) => {
                let encoded = base64(format!("{user}:{}", secret.expose()).as_bytes());
                headers.insert(reqwest::header::AUTHORIZATION, sensitive(&format!("Basic {encoded}"))?);
            }
            Credential::Query(name, secret) => {
                request.url_mut().query_pairs_mut().append_pair(name, secret.expose());
            }
        }
        Ok(())
    }
}

/// Adds `text` to the request's one `Cookie` header (a client sends one).
fn append_cookie(headers: &mut reqwest::header::HeaderMap, text: &str) -> Result<(), String> {
    let joined = match headers.get(reqwest::header::COOKIE).and_then(|v| v.to_str().ok()) {
        Some(existing) => format!("{existing}; {text}"),
        None => text.to_string(),
    };
    let value = reqwest::header::HeaderValue::from_str(&joined).map_err(|_| "a cookie has a character a header cannot carry".to_string())?;
    headers.insert(reqwest::header::COOKIE, value);
    Ok(())
}

/// Standard base64 with padding (RFC 4648), for basic authentication.
fn base64(input: &[u8]) -> String {
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

// ---------------------------------------------------------------------------
// The client
// ---------------------------------------------------------------------------

/// What the spec says about the client as a whole; each generated crate
/// has one.
#[derive(Debug)]
pub(crate) struct Spec {
    /// The server the spec names, when it names an absolute URL.
    pub(crate) default_base_url: Option<&'static str>,
    /// Headers the spec asks for on every request (`x-client-default-headers`).
    pub(crate) default_headers: &'static [(&'static str, &'static str)],
    /// Response headers the spec documents as request ids.
    pub(crate) request_id_headers: &'static [&'static str],
    /// The number of security schemes (credential slots).
    pub(crate) security_schemes: usize,
    /// The `User-Agent` sent unless another is set.
    pub(crate) user_agent: &'static str,
}

/// A function run on each attempt's request just before it is sent (after
/// credentials and headers are added): to sign it, add a header, log it.
/// An error stops the call with [`Error::InvalidRequest`].
pub type RequestHook =
    dyn Fn(&mut reqwest::Request, u32) -> Result<(), Box<dyn std::error::Error + Send + Sync>> + Send + Sync;

/// A client for the API. Cheap to clone: clones share one connection pool,
/// their settings and their rate limiter, and each request builder holds a
/// clone, so requests and page streams can be sent from spawned tasks.
/// Credentials are kept as [`Secret`]s, which `Debug` prints redacted.
#[derive(Clone)]
pub struct Client {
    core: Arc<Core>,
}

struct Core {
    http: reqwest::Client,
    base_url: String,
    timeout: Option<Duration>,
    total_timeout: Option<Duration>,
    retry: RetryPolicy,
    rate_limiter: Option<RateLimiter>,
    default_headers: reqwest::header::HeaderMap,
    credentials: Vec<Option<Credential>>,
    redactor: Arc<Redactor>,
    hook: Option<Arc<RequestHook>>,
    request_id_headers: &'static [&'static str],
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let core = &self.core;
        f.debug_struct("Client")
            .field("base_url", &core.base_url)
            .field("timeout", &core.timeout)
            .field("total_timeout", &core.total_timeout)
            .field("retry", &core.retry)
            .field("rate_limiter", &core.rate_limiter)
            .field("default_headers", &core.default_headers)
            .field("credentials", &core.credentials)
            .field("on_request", &core.hook.as_ref().map(|_| "<hook>"))
            .finish_non_exhaustive()
    }
}

impl Client {
    /// The server this client talks to.
    pub fn base_url(&self) -> &str {
        &self.core.base_url
    }

    /// Starts a call of `operation`.
    pub(crate) fn call(&self, operation: &'static Operation, options: RequestOptions) -> Call {
        Call {
            client: self.clone(),
            operation,
            options,
            path: String::new(),
            query: Vec::new(),
            headers: Vec::new(),
            cookies: Vec::new(),
            body: None,
            failure: None,
        }
    }
}

/// Configures a [`Client`].
///
/// Defaults: the spec's server, a 10 s connect timeout, a 30 s timeout per
/// attempt and 120 s for the whole call (retries and waits included),
/// [`RetryPolicy::default`], no rate limiter, redirects followed only within
/// the same origin (scheme, host and port), and the spec's default headers.
#[must_use]
pub struct ClientBuilder {
    spec: &'static Spec,
    base_url: Option<String>,
    http_client: Option<reqwest::Client>,
    timeout: Option<Duration>,
    connect_timeout: Option<Duration>,
    total_timeout: Option<Duration>,
    user_agent: Option<String>,
    retry: RetryPolicy,
    rate_limiter: Option<RateLimiter>,
    default_headers: HeaderList,
    credentials: Vec<Option<Credential>>,
    hook: Option<Arc<RequestHook>>,
}

impl fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("base_url", &self.base_url)
            .field("timeout", &self.timeout)
            .field("connect_timeout", &self.connect_timeout)
            .field("total_timeout", &self.total_timeout)
            .field("user_agent", &self.user_agent)
            .field("retry", &self.retry)
            .field("rate_limiter", &self.rate_limiter)
            .field("default_headers", &self.default_headers)
            .field("credentials", &self.credentials)
            .field("on_request", &self.hook.as_ref().map(|_| "<hook>"))
            .finish_non_exhaustive()
    }
}

impl ClientBuilder {
    pub(crate) fn new(spec: &'static Spec) -> Self {
        Self {
            spec,
            base_url: None,
            http_client: None,
            timeout: Some(Duration::from_secs(30)),
            connect_timeout: Some(Duration::from_secs(10)),
            total_timeout: Some(Duration::from_secs(120)),
            user_agent: None,
            retry: RetryPolicy::default(),
            rate_limiter: None,
            default_headers: HeaderList::default(),
            credentials: vec![None; spec.security_schemes],
            hook: None,
        }
    }

    /// Sets the credential of the security scheme at `index`.
    pub(crate) fn credential(mut self, index: usize, credential: Credential) -> Self {
        if let Some(slot) = self.credentials.get_mut(index) {
            *slot = Some(credential);
        }
        self
    }

    /// The server to talk to, such as `http://127.0.0.1:8080` in tests.
    pub fn base_url(mut self, base_url: impl Into<String>) -> Self {
        self.base_url = Some(base_url.into());
        self
    }

    /// Uses this `reqwest` client: its own settings apply, so
    /// `connect_timeout`, `user_agent` and the redirect policy are not set
    /// by this builder. Give it the same safety: `reqwest`'s default
    /// redirect policy follows redirects to other hosts, and with them any
    /// credential in a custom header.
    pub fn http_client(mut self, client: reqwest::Client) -> Self {
        self.http_client = Some(client);
        self
    }

    /// The time limit for each attempt, from sending to the end of the body
    /// (default 30 s); `None` for none.
    pub fn timeout(mut self, timeout: impl Into<Option<Duration>>) -> Self {
        self.timeout = timeout.into();
        self
    }

    /// The time limit for opening a connection (default 10 s); `None` for none.
    pub fn connect_timeout(mut self, timeout: impl Into<Option<Duration>>) -> Self {
        self.connect_timeout = timeout.into();
        self
    }

    /// The time limit for a whole call: every attempt, the waits between
    /// them and the rate limiter's (default 120 s); `None` for none.
    pub fn total_timeout(mut self, timeout: impl Into<Option<Duration>>) -> Self {
        self.total_timeout = timeout.into();
        self
    }

    /// The `User-Agent` header; defaults to this crate's name and version.
    pub fn user_agent(mut self, user_agent: impl Into<String>) -> Self {
        self.user_agent = Some(user_agent.into());
        self
    }

    /// When failed requests are sent again; see [`RetryPolicy`] for the
    /// default. `RetryPolicy::disabled()` turns retries off.
    pub fn retry_policy(mut self, policy: RetryPolicy) -> Self {
        self.retry = policy;
        self
    }

    /// Paces requests on the client's side (off by default); see [`RateLimiter`].
    pub fn rate_limiter(mut self, limiter: RateLimiter) -> Self {
        self.rate_limiter = Some(limiter);
        self
    }

    /// A header sent with every request (a request's own value wins; this
    /// replaces a default the spec asks for). A credential header's value
    /// is redacted like the client's own credentials.
    pub fn default_header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.default_headers.0.push((name.into(), value.into()));
        self
    }

    /// Runs `hook` on each attempt's request just before it is sent, with
    /// the attempt's number (1 for the first): to sign the request or add
    /// a header. An error stops the call.
    pub fn on_request(
        mut self,
        hook: impl Fn(&mut reqwest::Request, u32) -> Result<(), Box<dyn std::error::Error + Send + Sync>>
            + Send
            + Sync
            + 'static,
    ) -> Self {
        self.hook = Some(Arc::new(hook));
        self
    }

    /// Builds the client.
    pub fn build(self) -> Result<Client, BuildError> {
        let http = match self.http_client {
            Some(client) => client,
            None => {
                let user_agent = self.user_agent.unwrap_or_else(|| self.spec.user_agent.to_string());
                let mut builder =
                    reqwest::Client::builder().user_agent(user_agent).redirect(same_origin_redirects());
                if let Some(timeout) = self.connect_timeout {
                    builder = builder.connect_timeout(timeout);
                }
                builder.build().map_err(BuildError::Http)?
            }
        };
        let base_url = match (self.base_url, self.spec.default_base_url) {
            (Some(url), _) => url,
            (None, Some(url)) => url.to_string(),
            (None, None) => return Err(BuildError::MissingBaseUrl),
        };
        let mut redactor = Redactor::default();
        for credential in self.credentials.iter().flatten() {
            redactor.add(credential.secret().expose());
        }
        let mut default_headers = reqwest::header::HeaderMap::new();
        let spec_defaults = self.spec.default_headers.iter().map(|(name, value)| (name.to_string(), value.to_string()));
        for (name, value) in spec_defaults.chain(self.default_headers.0) {
            let (name, value) =
                parse_header(&name, &value, &mut redactor).map_err(|_| BuildError::InvalidHeader(name.clone()))?;
            default_headers.insert(name, value);
        }
        Ok(Client {
            core: Arc::new(Core {
                http,
                base_url: base_url.trim_end_matches('/').to_string(),
                timeout: self.timeout,
                total_timeout: self.total_timeout,
                retry: self.retry,
                rate_limiter: self.rate_limiter,
                default_headers,
                credentials: self.credentials,
                redactor: Arc::new(redactor),
                hook: self.hook,
                request_id_headers: self.spec.request_id_headers,
            }),
        })
    }
}

/// Follows up to 10 redirects within the same origin; a redirect to
/// another origin is not followed (it comes back as a response), so no
/// credential or body goes to a host the caller did not choose.
fn same_origin_redirects() -> reqwest::redirect::Policy {
    reqwest::redirect::Policy::custom(|attempt| {
        let same_origin = attempt.previous().last().is_some_and(|previous| {
            let url = attempt.url();
            previous.scheme() == url.scheme()
                && previous.host_str() == url.host_str()
                && previous.port_or_known_default() == url.port_or_known_default()
        });
        if !same_origin {
            attempt.stop()
        } else if attempt.previous().len() > 10 {
            attempt.error("more than 10 redirects")
        } else {
            attempt.follow()
        }
    })
}

/// The client could not be built.
#[derive(Debug)]
#[non_exhaustive]
pub enum BuildError {
    /// The spec names no absolute server URL, and none was given.
    MissingBaseUrl,
    /// The HTTP client could not be set up (for example, no TLS backend).
    Http(reqwest::Error),
    /// A default header has an invalid name or value.
    InvalidHeader(String),
}

impl fmt::Display for BuildError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            BuildError::MissingBaseUrl => f.write_str("no base URL: call `ClientBuilder::base_url`"),
            BuildError::Http(err) => write!(f, "the HTTP client could not be built: {err}"),
            BuildError::InvalidHeader(name) => write!(f, "default header `{name}` has an invalid name or value"),
        }
    }
}

impl std::error::Error for BuildError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            BuildError::Http(err) => Some(err),
            BuildError::MissingBaseUrl | BuildError::InvalidHeader(_) => None,
        }
    }
}

// ---------------------------------------------------------------------------
// One call of an operation
// ---------------------------------------------------------------------------

/// What the runtime needs to know about an operation.
#[derive(Debug)]
pub(crate) struct Operation {
    /// The client method's name.
    pub(crate) name: &'static str,
    pub(crate) method: reqwest::Method,
    /// The path template, for traces.
    pub(crate) path: &'static str,
    /// Sending it twice has the effect of sending it once, so a failure
    /// that may have reached the server can be retried.
    pub(crate) idempotent: bool,
    pub(crate) accept: &'static str,
    /// Its security requirements: alternatives, each the schemes (by
    /// index) whose credentials go together.
    pub(crate) security: &'static [&'static [usize]],
}

/// Per-request settings that every request builder offers.
#[derive(Debug, Default, Clone)]
pub(crate) struct RequestOptions {
    timeout: Option<Duration>,
    total_timeout: Option<Duration>,
    headers: HeaderList,
}

/// `.timeout()`, `.total_timeout()` and `.header()` on a request builder.
#[allow(unused_macros)]
macro_rules! request_options {
    ($request:ident) => {
        impl $request {
            /// A time limit for each attempt of this request, instead of the client's.
            pub fn timeout(mut self, timeout: std::time::Duration) -> Self {
                self.options.set_timeout(timeout);
                self
            }

            /// A time limit for the whole call (attempts and waits), instead of the client's.
            pub fn total_timeout(mut self, timeout: std::time::Duration) -> Self {
                self.options.set_total_timeout(timeout);
                self
            }

            /// An extra header for this request; an invalid name or value fails the
            /// request. A credential header's value is redacted from errors.
            pub fn header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
                self.options.add_header(name.into(), value.into());
                self
            }
        }
    };
}
#[allow(unused_imports)]
pub(crate) use request_options;

impl RequestOptions {
    pub(crate) fn set_timeout(&mut self, timeout: Duration) {
        self.timeout = Some(timeout);
    }

    pub(crate) fn set_total_timeout(&mut self, timeout: Duration) {
        self.total_timeout = Some(timeout);
    }

    pub(crate) fn add_header(&mut self, name: String, value: String) {
        self.headers.0.push((name, value));
    }
}

/// `.await` on a request builder sends it. (A spec without operations
/// does not use it.)
#[allow(unused_macros)]
macro_rules! into_future {
    ($request:ident, $success:ty, $error:ty) => {
        impl std::future::IntoFuture for $request {
            type Output = crate::ApiResult<$success, $error>;
            type IntoFuture = std::pin::Pin<Box<dyn std::future::Future<Output = Self::Output> + Send>>;

            fn into_future(self) -> Self::IntoFuture {
                Box::pin(self.send())
            }
        }
    };
}
#[allow(unused_imports)]
pub(crate) use into_future;

/// A request being described by an operation's `send`: path, query,
/// headers and body. The first problem is kept and ends the call before
/// anything is sent.
pub(crate) struct Call {
    client: Client,
    operation: &'static Operation,
    options: RequestOptions,
    path: String,
    query: Vec<(String, String)>,
    headers: Vec<(&'static str, String)>,
    cookies: Vec<(&'static str, String)>,
    body: Option<Body>,
    failure: Option<Failure>,
}

impl Call {
    fn fail(&mut self, failure: Failure) {
        self.failure.get_or_insert(failure);
    }

    /// A path parameter, percent-encoded as one path segment. A value that
    /// would change what the path means (empty, `.` or `..`) is refused.
    pub(crate) fn path_segment<T: serde::Serialize + ?Sized>(&mut self, name: &str, value: &T) -> String {
        self.path_segment_styled(name, value, Style::Simple)
    }

    /// A path parameter in the given style (`label`, `matrix`, exploded).
    pub(crate) fn path_segment_styled<T: serde::Serialize + ?Sized>(&mut self, name: &str, value: &T, style: Style) -> String {
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

    /// A query parameter in `form` style, exploded (`name=a&name=b` for a
    /// list, a parameter per property for an object; nothing for `None`).
    pub(crate) fn query<T: serde::Serialize + ?Sized>(&mut self, name: &'static str, value: &T) {
        self.query_styled(name, value, Style::Form)
    }

    /// A query parameter in the given style.
    pub(crate) fn query_styled<T: serde::Serialize + ?Sized>(&mut self, name: &'static str, value: &T, style: Style) {
        match value_of(name, value).and_then(|value| query_pairs(name, &value, style)) {
            Ok(pairs) => self.query.extend(pairs),
            Err(message) => self.fail(Failure::InvalidRequest(message)),
        }
    }

    /// A header parameter (`simple` style: lists comma-separated; nothing for `None`).
    pub(crate) fn header<T: serde::Serialize + ?Sized>(&mut self, name: &'static str, value: &T) {
        self.header_styled(name, value, Style::Simple)
    }

    /// A header parameter in the given style.
    pub(crate) fn header_styled<T: serde::Serialize + ?Sized>(&mut self, name: &'static str, value: &T, style: Style) {
        match value_of(name, value).and_then(|value| joined(name, &value, style)) {
            Ok(Some(text)) => self.headers.push((name, text)),
            Ok(None) => {}
            Err(message) => self.fail(Failure::InvalidRequest(message)),
        }
    }

    /// A cookie parameter (`form` style; nothing for `None`).
    pub(crate) fn cookie<T: serde::Serialize + ?Sized>(&mut self, name: &'static str, value: &T) {
        self.cookie_styled(name, value, Style::FormCompact)
    }

    /// A cookie parameter in the given style.
    pub(crate) fn cookie_styled<T: serde::Serialize + ?Sized>(&mut self, name: &'static str, value: &T, style: Style) {
        match value_of(name, value).and_then(|value| joined(name, &value, style)) {
            Ok(Some(text)) => self.cookies.push((name, text)),
            Ok(None) => {}
            Err(message) => self.fail(Failure::InvalidRequest(message)),
        }
    }

    /// A JSON body with its media type.
    pub(crate) fn json_body<T: serde::Serialize + ?Sized>(&mut self, media_type: &'static str, body: &T) {
        match serde_json::to_vec(body) {
            Ok(bytes) => self.body = Some(Body::bytes(media_type, bytes.into())),
            Err(err) => self.fail(Failure::InvalidRequest(format!("the body does not serialize: {err}"))),
        }
    }

    /// An `application/x-www-form-urlencoded` body: the value's properties
    /// as fields (lists repeat the name; objects and lists of objects as
    /// JSON text).
    pub(crate) fn form_body<T: serde::Serialize + ?Sized>(&mut self, media_type: &'static str, body: &T) {
        let encoded = value_of("body", body).and_then(|value| form_pairs(&value)).map(|pairs| {
            let mut serializer = reqwest::Url::parse("x:").expect("a valid URL");
            serializer.query_pairs_mut().extend_pairs(pairs);
            serializer.query().unwrap_or_default().to_string()
        });
        match encoded {
            Ok(text) => self.body = Some(Body::bytes(media_type, text.into())),
            Err(message) => self.fail(Failure::InvalidRequest(message)),
        }
    }

    /// A text body (`text/plain`, `text/csv`…).
    pub(crate) fn text_body(&mut self, media_type: &'static str, body: &str) {
        self.body = Some(Body::bytes(media_type, body.to_string().into()));
    }

    /// A binary body: the bytes or the stream as they are, with its own
    /// content type if it has one, else the operation's.
    pub(crate) fn binary_body(&mut self, media_type: &'static str, body: &Binary) {
        let content_type = body.content_type.clone().unwrap_or_else(|| media_type.to_string());
        self.body = Some(Body { content_type, data: body.data.clone() });
    }

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

    /// The outcome of a check of the spec's constraints on a value.
    pub(crate) fn check(&mut self, outcome: Result<(), ValidationError>) {
        if let Err(err) = outcome {
            self.fail(Failure::Validation(err));
        }
    }

    /// Sends the call (retrying as the policy allows) and reads the response.
    pub(crate) async fn send(self) -> Result<RawResponse, CallFailure> {
        self.send_with(false).await
    }

    /// Like [`Call::send`], but a successful response's body is left unread,
    /// to be streamed ([`RawResponse::stream`]).
    pub(crate) async fn send_streaming(self) -> Result<RawResponse, CallFailure> {
        self.send_with(true).await
    }

    async fn send_with(self, stream_success: bool) -> Result<RawResponse, CallFailure> {
        #[cfg(feature = "tracing")]
        let span = tracing::info_span!(
            "request",
            operation = self.operation.name,
            method = %self.operation.method,
            path = self.operation.path,
            status = tracing::field::Empty,
            attempts = tracing::field::Empty,
        );
        let future = self.send_inner(stream_success);
        #[cfg(feature = "tracing")]
        let future = tracing::Instrument::instrument(future, span);
        future.await
    }

    async fn send_inner(self, stream_success: bool) -> Result<RawResponse, CallFailure> {
        let core = Arc::clone(&self.client.core);
        let operation = self.operation;
        let mut redactor = Arc::clone(&core.redactor);
        let prepared = match self.prepare(&core, &mut redactor) {
            Ok(prepared) => prepared,
            Err(failure) => {
                let failure = failure.redacted(&redactor);
                return Err(CallFailure { failure, context: ErrorContext::new(operation.name) });
            }
        };
        let Prepared { request, timeout, total } = prepared;
        let exchange = Exchange {
            core: &core,
            operation,
            redactor: &redactor,
            timeout,
            total,
            stream_success,
            attempts: Default::default(),
        };
        let Some(total) = total else { return exchange.run(request).await };
        match tokio::time::timeout(total, exchange.run(request)).await {
            Ok(outcome) => outcome,
            Err(_) => {
                let attempts = exchange.attempts.load(std::sync::atomic::Ordering::Relaxed);
                let context = ErrorContext::new(operation.name).with_attempts(attempts);
                Err(CallFailure { failure: Failure::Timeout(total), context })
            }
        }
    }

    /// The request of the first attempt, with its time limits; or the
    /// first problem found while describing it.
    fn prepare(self, core: &Core, redactor: &mut Arc<Redactor>) -> Result<Prepared, Failure> {
        let Call { client: _, operation, options, path, query, headers, cookies, body, failure } = self;
        if let Some(failure) = failure {
            return Err(failure);
        }
        let url = format!("{}{}", core.base_url, path);
        let mut url = reqwest::Url::parse(&url)
            .map_err(|err| Failure::InvalidRequest(format!("`{url}` is not a valid URL: {err}")))?;
        if !query.is_empty() {
            url.query_pairs_mut().extend_pairs(query.iter().map(|(name, value)| (name.as_str(), value.as_str())));
        }
        let mut request = reqwest::Request::new(operation.method.clone(), url);
        let map = request.headers_mut();
        map.insert(reqwest::header::ACCEPT, reqwest::header::HeaderValue::from_static(operation.accept));
        let given = headers.iter().map(|(name, value)| (*name, value.as_str()));
        let extra = options.headers.0.iter().map(|(name, value)| (name.as_str(), value.as_str()));
        for (name, value) in given.chain(extra) {
            let (name, value) = parse_header(name, value, Arc::make_mut(redactor)).map_err(Failure::InvalidRequest)?;
            map.insert(name, value);
        }
        for (name, value) in &core.default_headers {
            if !map.contains_key(name) {
                map.insert(name.clone(), value.clone());
            }
        }
        if !cookies.is_empty() {
            let text: Vec<String> = cookies.iter().map(|(name, value)| format!("{name}={value}")).collect();
            append_cookie(map, &text.join("; ")).map_err(Failure::InvalidRequest)?;
        }
        if let Some(body) = body {
            // A content type the request sets itself (another media type
            // the operation accepts, say) wins.
            if !map.contains_key(reqwest::header::CONTENT_TYPE) {
                let content_type = reqwest::header::HeaderValue::from_str(&body.content_type)
                    .map_err(|_| Failure::InvalidRequest("the body's content type is not a valid header".into()))?;
                map.insert(reqwest::header::CONTENT_TYPE, content_type);
            }
            *request.body_mut() = Some(body.data.into_reqwest().map_err(Failure::InvalidRequest)?);
        }
        // The first alternative whose credentials are all set; an empty
        // one (anonymous access) counts as set.
        let complete = operation
            .security
            .iter()
            .find(|together| together.iter().all(|i| matches!(core.credentials.get(*i), Some(Some(_)))));
        for index in complete.copied().unwrap_or_default() {
            if let Some(Some(credential)) = core.credentials.get(*index) {
                credential.apply(&mut request).map_err(Failure::InvalidRequest)?;
            }
        }
        let timeout = options.timeout.or(core.timeout);
        let total = options.total_timeout.or(core.total_timeout);
        Ok(Prepared { request, timeout, total })
    }
}

/// A described request and its time limits.
struct Prepared {
    request: reqwest::Request,
    /// Per attempt.
    timeout: Option<Duration>,
    /// For the whole call.
    total: Option<Duration>,
}

/// The attempts of one call.
struct Exchange<'a> {
    core: &'a Core,
    operation: &'static Operation,
    redactor: &'a Arc<Redactor>,
    /// Per attempt.
    timeout: Option<Duration>,
    /// For the whole call.
    total: Option<Duration>,
    /// Leave a successful response's body unread.
    stream_success: bool,
    /// Attempts started, read when the call's time limit cuts it short.
    attempts: std::sync::atomic::AtomicU32,
}

impl Exchange<'_> {
    async fn run(&self, request: reqwest::Request) -> Result<RawResponse, CallFailure> {
        let core = self.core;
        let policy = &core.retry;
        let idempotent = self.operation.idempotent || policy.retry_non_idempotent;
        let started = tokio::time::Instant::now();
        let mut context = ErrorContext::new(self.operation.name);
        let mut attempt: u32 = 1;
        // A streamed body cannot be copied: its one attempt is the last.
        let streamed = request.try_clone().is_none();
        let mut original = Some(request);
        loop {
            if let Some(limiter) = &core.rate_limiter {
                let waited = limiter.acquire(&self.operation.method).await;
                #[cfg(feature = "tracing")]
                if !waited.is_zero() {
                    tracing::debug!(waited_ms = waited.as_millis() as u64, "waited for the rate limiter");
                }
                let _ = waited;
            }
            let next = if streamed { original.take() } else { original.as_ref().and_then(reqwest::Request::try_clone) };
            let Some(mut next) = next else {
                let failure = Failure::InvalidRequest("a streamed body can be sent only once".into());
                return Err(CallFailure { failure, context });
            };
            if let Some(timeout) = self.timeout {
                *next.timeout_mut() = Some(timeout);
            }
            context.attempts = attempt;
            self.attempts.store(attempt, std::sync::atomic::Ordering::Relaxed);
            if let Some(hook) = &core.hook {
                if let Err(err) = hook(&mut next, attempt) {
                    let message = self.redactor.text(&format!("the on_request hook refused the request: {err}"));
                    return Err(CallFailure { failure: Failure::InvalidRequest(message), context });
                }
            }
            #[cfg(feature = "tracing")]
            tracing::Span::current().record("attempts", attempt);
            let outcome =
                RawResponse::fetch(&core.http, next, self.redactor, core.request_id_headers, self.stream_success).await;
            if let (Ok(raw), Some(limiter)) = (&outcome, &core.rate_limiter) {
                if raw.status == reqwest::StatusCode::TOO_MANY_REQUESTS {
                    if let Some(wait) = retry_after(&raw.headers, std::time::SystemTime::now()) {
                        limiter.pause_for(wait.min(policy.max_retry_after));
                    }
                }
            }
            let decision = if attempt < policy.max_attempts && !streamed {
                let attempted = match &outcome {
                    Ok(raw) => Attempted::Status(raw.status, &raw.headers),
                    Err(err) => Attempted::Transport(err),
                };
                policy.retry_wait(attempted, idempotent, attempt, std::time::SystemTime::now())
            } else {
                None
            };
            // A wait that would end after the call's time limit is not started.
            let decision = decision
                .filter(|(wait, _)| self.total.is_none_or(|total| started.elapsed().saturating_add(*wait) < total));
            let Some((wait, _reason)) = decision else {
                #[cfg(feature = "tracing")]
                if let Ok(raw) = &outcome {
                    tracing::Span::current().record("status", raw.status.as_u16());
                }
                return match outcome {
                    Ok(mut raw) => {
                        raw.context.operation = self.operation.name;
                        raw.context.attempts = attempt;
                        Ok(raw)
                    }
                    Err(err) => Err(CallFailure { failure: Failure::Transport(self.redactor.error(err)), context }),
                };
            };
            #[cfg(feature = "tracing")]
            tracing::debug!(attempt, wait_ms = wait.as_millis() as u64, reason = _reason, "retrying");
            tokio::time::sleep(wait).await;
            attempt += 1;
        }
    }
}

/// A call that ended before a response could be decoded.
#[derive(Debug)]
pub(crate) struct CallFailure {
    failure: Failure,
    context: ErrorContext,
}

#[derive(Debug)]
enum Failure {
    InvalidRequest(String),
    Validation(ValidationError),
    Transport(reqwest::Error),
    Timeout(Duration),
}

impl Failure {
    fn redacted(self, redactor: &Redactor) -> Self {
        match self {
            Failure::InvalidRequest(message) => Failure::InvalidRequest(redactor.text(&message)),
            Failure::Transport(err) => Failure::Transport(redactor.error(err)),
            other => other,
        }
    }
}

impl<E> From<CallFailure> for Error<E> {
    fn from(f: CallFailure) -> Self {
        let context = Box::new(f.context);
        match f.failure {
            Failure::InvalidRequest(message) => Error::InvalidRequest { message, context },
            Failure::Validation(source) => Error::Validation { source, context },
            Failure::Transport(source) => Error::Transport { source, context },
            Failure::Timeout(limit) => Error::Timeout { limit, context },
        }
    }
}

// ---------------------------------------------------------------------------
// Request bodies
// ---------------------------------------------------------------------------

/// A request body ready to send.
pub(crate) struct Body {
    content_type: String,
    data: BinaryData,
}

impl Body {
    fn bytes(media_type: &str, bytes: bytes::Bytes) -> Self {
        Self { content_type: media_type.to_string(), data: BinaryData::Bytes(bytes) }
    }
}

/// A stream of chunks, boxed.
type ChunkStream = std::pin::Pin<
    Box<dyn futures_core::Stream<Item = Result<bytes::Bytes, Box<dyn std::error::Error + Send + Sync>>> + Send>,
>;

/// Bytes in memory, or a stream that can be sent once (shared by clones,
/// so a cloned request finds it taken).
#[derive(Clone)]
enum BinaryData {
    Bytes(bytes::Bytes),
    Stream(Arc<std::sync::Mutex<Option<ChunkStream>>>),
}

impl BinaryData {
    fn stream(stream: ChunkStream) -> Self {
        BinaryData::Stream(Arc::new(std::sync::Mutex::new(Some(stream))))
    }

    fn take_stream(stream: &std::sync::Mutex<Option<ChunkStream>>) -> Result<ChunkStream, String> {
        stream
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .take()
            .ok_or_else(|| "a streamed body can be sent only once".to_string())
    }

    fn into_reqwest(self) -> Result<reqwest::Body, String> {
        match self {
            BinaryData::Bytes(bytes) => Ok(bytes.into()),
            BinaryData::Stream(stream) => Ok(reqwest::Body::wrap_stream(Self::take_stream(&stream)?)),
        }
    }
}

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
    data: BinaryData,
    file_name: Option<String>,
    content_type: Option<String>,
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

    fn poll_next(mut self: std::pin::Pin<&mut Self>, cx: &mut std::task::Context<'_>) -> std::task::Poll<Option<Self::Item>> {
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

/// The properties of a value as form fields: scalars as text, lists of
/// scalars repeating the name, objects and lists of objects as JSON text.
fn form_pairs(value: &serde_json::Value) -> Result<Vec<(String, String)>, String> {
    let serde_json::Value::Object(object) = value else {
        return Err("a form body must be an object".to_string());
    };
    let mut pairs = Vec::new();
    for (key, v) in object.iter().filter(|(_, v)| !v.is_null()) {
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

/// A type that is the body of a `multipart/form-data` request: it adds a
/// part per property.
pub(crate) trait MultipartFields {
    fn write_parts(&self, form: &mut Multipart);
}

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

impl MultipartFields for serde_json::Map<String, serde_json::Value> {
    fn write_parts(&self, form: &mut Multipart) {
        for (key, value) in self {
            form.value(key, value);
        }
    }
}

impl<T: serde::Serialize> MultipartFields for std::collections::BTreeMap<String, T> {
    fn write_parts(&self, form: &mut Multipart) {
        for (key, value) in self {
            form.value(key, value);
        }
    }
}

/// A `multipart/form-data` body being assembled: text parts (`text/plain`)
/// for scalars, a part per item for lists, JSON parts (`application/json`)
/// for objects, file parts for [`Binary`] values; the spec's `encoding`
/// sets other content types.
pub(crate) struct Multipart {
    parts: Vec<MultipartPart>,
    encoding: &'static [(&'static str, &'static str)],
    failure: Option<String>,
}

struct MultipartPart {
    name: String,
    file_name: Option<String>,
    content_type: String,
    data: BinaryData,
}

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

    /// A value: text for a scalar, a part per item for a list, JSON for an object.
    pub(crate) fn value<T: serde::Serialize + ?Sized>(&mut self, name: &str, value: &T) {
        match serde_json::to_value(value) {
            Ok(serde_json::Value::Null) => {}
            Ok(serde_json::Value::Array(items)) => {
                for item in &items {
                    self.value(name, item);
                }
            }
            Ok(object @ serde_json::Value::Object(_)) => {
                let content_type = self.content_type(name, "application/json");
                self.push(name, content_type, BinaryData::Bytes(object.to_string().into()), None);
            }
            Ok(scalar) => {
                let content_type = self.content_type(name, "text/plain");
                let text = scalar_text(name, &scalar).unwrap_or_default();
                self.push(name, content_type, BinaryData::Bytes(text.into()), None);
            }
            Err(err) => self.fail(&format!("part `{name}` does not serialize: {err}")),
        }
    }

    /// A file part.
    pub(crate) fn file(&mut self, name: &str, file: &Binary) {
        let content_type = file.content_type.clone().unwrap_or_else(|| self.content_type(name, "application/octet-stream"));
        let file_name = Some(file.file_name.clone().unwrap_or_else(|| name.to_string()));
        self.push(name, content_type, file.data.clone(), file_name);
    }

    /// The body: a random boundary, then each part with its headers.
    fn into_body(self, media_type: &str) -> Result<Body, String> {
        if let Some(message) = self.failure {
            return Err(message);
        }
        let boundary = format!("----boundary{:016x}{:016x}", random_u64(), random_u64());
        let quote = |text: &str| text.replace('\\', "\\\\").replace('"', "\\\"").replace(['\r', '\n'], " ");
        let mut chunks: Vec<BinaryData> = Vec::new();
        let mut pending = Vec::new();
        for part in self.parts {
            pending.extend_from_slice(format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{}\"", quote(&part.name)).as_bytes());
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

/// Chunks in memory and streams, one after the other.
struct Concat(std::collections::VecDeque<Source>);

enum Source {
    Bytes(bytes::Bytes),
    Stream(ChunkStream),
}

impl futures_core::Stream for Concat {
    type Item = Result<bytes::Bytes, Box<dyn std::error::Error + Send + Sync>>;

    fn poll_next(self: std::pin::Pin<&mut Self>, cx: &mut std::task::Context<'_>) -> std::task::Poll<Option<Self::Item>> {
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

// ---------------------------------------------------------------------------
// Responses
// ---------------------------------------------------------------------------

/// Request-id headers many servers send, looked at after the ones the spec
/// documents.
const COMMON_REQUEST_ID_HEADERS: [&str; 7] = [
    "x-request-id",
    "request-id",
    "x-amzn-requestid",
    "x-amz-request-id",
    "x-github-request-id",
    "x-correlation-id",
    "x-trace-id",
];

fn find_request_id(headers: &reqwest::header::HeaderMap, documented: &[&str]) -> Option<String> {
    documented
        .iter()
        .chain(COMMON_REQUEST_ID_HEADERS.iter())
        .find_map(|name| headers.get(*name)?.to_str().ok())
        .map(str::to_string)
}

/// A successful response: the decoded body, with the status, the headers,
/// the server's `message` and the raw body.
///
/// Where the spec wraps a result in a `{message, data}` envelope, the body
/// is the `data` and [`message`](Self::message) the envelope's message.
/// Dereferences to the body, so `response.field` reads the body's field.
/// [`ApiResponse::new`] makes one for tests and fakes.
#[derive(Clone)]
pub struct ApiResponse<T> {
    status: reqwest::StatusCode,
    headers: reqwest::header::HeaderMap,
    message: Option<String>,
    request_id: Option<String>,
    raw: bytes::Bytes,
    body: T,
}

impl<T: fmt::Debug> fmt::Debug for ApiResponse<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ApiResponse")
            .field("status", &self.status)
            .field("headers", &self.headers)
            .field("message", &self.message)
            .field("raw_body_len", &self.raw.len())
            .field("body", &self.body)
            .finish()
    }
}

impl<T> ApiResponse<T> {
    /// A response with this status, headers and decoded body (no message,
    /// an empty raw body): for tests and fakes.
    pub fn new(status: reqwest::StatusCode, headers: reqwest::header::HeaderMap, body: T) -> Self {
        let request_id = find_request_id(&headers, &[]);
        Self { status, headers, message: None, request_id, raw: bytes::Bytes::new(), body }
    }

    /// The same response with the server's message set.
    pub fn with_message(mut self, message: impl Into<String>) -> Self {
        self.message = Some(message.into());
        self
    }

    /// The same response with its raw body set.
    pub fn with_raw_body(mut self, raw: impl Into<bytes::Bytes>) -> Self {
        self.raw = raw.into();
        self
    }

    /// The HTTP status of the response.
    pub fn status(&self) -> reqwest::StatusCode {
        self.status
    }

    /// The response headers.
    pub fn headers(&self) -> &reqwest::header::HeaderMap {
        &self.headers
    }

    /// The `message` the server sent beside the result, when the response
    /// body has a string `message` property.
    pub fn message(&self) -> Option<&str> {
        self.message.as_deref()
    }

    /// The request id the server returned (a header the spec documents as
    /// one, or a common one such as `x-request-id`).
    pub fn request_id(&self) -> Option<&str> {
        self.request_id.as_deref()
    }

    /// The body as received, before decoding.
    pub fn raw_body(&self) -> &[u8] {
        &self.raw
    }

    /// The decoded body.
    pub fn body(&self) -> &T {
        &self.body
    }

    /// The decoded body, dropping status and headers.
    pub fn into_body(self) -> T {
        self.body
    }
}

impl<T> std::ops::Deref for ApiResponse<T> {
    type Target = T;

    fn deref(&self) -> &T {
        &self.body
    }
}

/// What every operation returns: the decoded response, or an [`Error`]
/// whose documented bodies are `E`.
pub type ApiResult<T, E> = Result<ApiResponse<T>, Error<E>>;

/// A response read to the end, waiting to be decoded.
pub(crate) struct RawResponse {
    status: reqwest::StatusCode,
    headers: reqwest::header::HeaderMap,
    body: bytes::Bytes,
    context: ErrorContext,
    /// Scrubs the body's text when it ends up in an error.
    redactor: Arc<Redactor>,
    /// A successful response whose body is left to stream.
    unread: Option<reqwest::Response>,
}

impl RawResponse {
    /// Sends one attempt and reads the whole body. An error status's body
    /// and headers are scrubbed of credentials first.
    async fn fetch(
        http: &reqwest::Client,
        request: reqwest::Request,
        redactor: &Arc<Redactor>,
        request_id_headers: &[&str],
        stream_success: bool,
    ) -> Result<Self, reqwest::Error> {
        let response = http.execute(request).await?;
        let status = response.status();
        let mut headers = response.headers().clone();
        if stream_success && status.is_success() {
            let mut context = ErrorContext::new("");
            context.request_id = find_request_id(&headers, request_id_headers);
            let redactor = Arc::clone(redactor);
            return Ok(Self { status, headers, body: bytes::Bytes::new(), context, redactor, unread: Some(response) });
        }
        let mut body = response.bytes().await?;
        let mut context = ErrorContext::new("");
        if !status.is_success() {
            body = redactor.bytes(body);
            redactor.headers(&mut headers);
            context.server_message = server_message(&body);
        }
        context.request_id = find_request_id(&headers, request_id_headers);
        Ok(Self { status, headers, body, context, redactor: Arc::clone(redactor), unread: None })
    }

    pub(crate) fn status(&self) -> u16 {
        self.status.as_u16()
    }

    /// The body as text, credentials scrubbed, for an error.
    fn lossy_text(&self) -> String {
        self.redactor.text(&String::from_utf8_lossy(&self.body))
    }

    fn response<T>(self, message: Option<String>, body: T) -> ApiResponse<T> {
        ApiResponse { status: self.status, headers: self.headers, message, request_id: self.context.request_id, raw: self.body, body }
    }

    fn decode_error<E>(self, failure: DecodeFailure) -> Error<E> {
        let DecodeParts { status, headers, body, path, reason, context } = self.decode_parts(failure);
        Error::Decode { status, headers, body, path, reason, context }
    }

    /// The parts of a decode error; not generic, so compiled once rather
    /// than once per operation.
    fn decode_parts(self, failure: DecodeFailure) -> DecodeParts {
        let body = self.lossy_text();
        // The decoder's message may quote the body.
        let (path, reason) = (self.redactor.text(&failure.path), self.redactor.text(&failure.reason));
        DecodeParts { status: self.status, headers: Box::new(self.headers), body, path, reason, context: Box::new(self.context) }
    }

    /// The parts of an unexpected-status error (see [`Self::decode_parts`]).
    fn unexpected_parts(self) -> (reqwest::StatusCode, Box<reqwest::header::HeaderMap>, String, Box<ErrorContext>) {
        let body = self.lossy_text();
        (self.status, Box::new(self.headers), body, Box::new(self.context))
    }

    /// A documented success whose body is returned as decoded.
    pub(crate) fn ok<T, E>(self, decode: fn(&bytes::Bytes) -> Result<T, DecodeFailure>) -> ApiResult<T, E> {
        self.success(decode, std::convert::identity)
    }

    /// A documented success: the body decoded by `decode`, then `wrap`ped.
    pub(crate) fn success<T, S, E>(self, decode: fn(&bytes::Bytes) -> Result<T, DecodeFailure>, wrap: fn(T) -> S) -> ApiResult<S, E> {
        match decode(&self.body) {
            Ok(body) => Ok(self.response(None, wrap(body))),
            Err(failure) => Err(self.decode_error(failure)),
        }
    }

    /// A documented success whose body carries a `message`: `open` splits
    /// the decoded body into the result and that message (unwrapping a
    /// `{message, data}` envelope, or keeping a body with more fields whole).
    pub(crate) fn ok_with_message<T, D, E>(
        self,
        decode: fn(&bytes::Bytes) -> Result<T, DecodeFailure>,
        open: fn(T) -> (D, Option<String>),
    ) -> ApiResult<D, E> {
        match decode(&self.body) {
            Ok(body) => {
                let (body, message) = open(body);
                Ok(self.response(message, body))
            }
            Err(failure) => Err(self.decode_error(failure)),
        }
    }

    /// A documented error status: the body decoded by `decode`, then
    /// `wrap`ped. A body that does not decode still keeps status and headers.
    pub(crate) fn failure<T, S, E>(self, decode: fn(&bytes::Bytes) -> Result<T, DecodeFailure>, wrap: fn(T) -> E) -> ApiResult<S, E> {
        match decode(&self.body) {
            Ok(body) => Err(Error::Api { status: self.status, headers: Box::new(self.headers), body: wrap(body), context: Box::new(self.context) }),
            Err(failure) => Err(self.decode_error(failure)),
        }
    }

    /// A documented success whose body is streamed as it arrives.
    pub(crate) fn stream<E>(mut self) -> ApiResult<ByteStream, E> {
        let stream = match self.unread.take() {
            Some(response) => ByteStream(Box::pin(response.bytes_stream())),
            // Read already (a body that was not left to stream): one chunk.
            None => {
                let body = std::mem::take(&mut self.body);
                ByteStream(Box::pin(OneChunk(Some(body))))
            }
        };
        Ok(self.response(None, stream))
    }

    /// A status the operation does not document.
    pub(crate) fn unexpected<S, E>(self) -> ApiResult<S, E> {
        let (status, headers, body, context) = self.unexpected_parts();
        Err(Error::UnexpectedStatus { status, headers, body, context })
    }
}

/// The server's own words in an error body: a string `message`, `error`,
/// `error_description`, `detail`, `title` or `msg` at the top level or in
/// an `error` object, shortened to one line of at most 300 characters.
fn server_message(body: &[u8]) -> Option<String> {
    let value: serde_json::Value = serde_json::from_slice(body).ok()?;
    const KEYS: [&str; 6] = ["message", "error_description", "detail", "error", "title", "msg"];
    let pick = |object: &serde_json::Value| KEYS.iter().find_map(|k| object.get(*k)?.as_str().map(str::to_string));
    let text = pick(&value).or_else(|| value.get("error").and_then(pick))?;
    let line: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    let mut short: String = line.chars().take(300).collect();
    if short.len() < line.len() {
        short.push('…');
    }
    (!short.is_empty()).then_some(short)
}

/// A body that did not decode.
#[derive(Debug)]
pub(crate) struct DecodeFailure {
    path: String,
    reason: String,
}

/// What [`Error::Decode`] holds.
struct DecodeParts {
    status: reqwest::StatusCode,
    headers: Box<reqwest::header::HeaderMap>,
    body: String,
    path: String,
    reason: String,
    context: Box<ErrorContext>,
}

/// Decodes a JSON body, naming the path of the value that failed.
///
/// The path is found after the fact from where the decoder stopped, by
/// one non-generic scan of the body: tracking it while decoding would
/// compile every response type's decoder a second time.
pub(crate) fn json<T: serde::de::DeserializeOwned>(body: &bytes::Bytes) -> Result<T, DecodeFailure> {
    let mut deserializer = serde_json::Deserializer::from_slice(body);
    T::deserialize(&mut deserializer).map_err(|err| DecodeFailure::json(body, &err))
}

impl DecodeFailure {
    fn json(body: &[u8], err: &serde_json::Error) -> Self {
        let ended_early = err.classify() == serde_json::error::Category::Eof;
        DecodeFailure { path: json_path_at(body, err.line(), err.column(), ended_early), reason: err.to_string() }
    }
}

/// One open container while scanning a JSON text.
enum Frame {
    /// An object: the key last read, whether its `:` was passed, and
    /// whether its value is complete.
    Object { key: Option<String>, in_value: bool, done: bool },
    /// An array: the element's index, whether it has begun, and whether it
    /// is complete.
    Array { index: usize, begun: bool, done: bool },
}

/// The path (`data.items[2].name`; `.` for the whole body) of the value a
/// JSON decoder was reading when it stopped at `line` and `column` (as
/// serde_json counts them: the bytes read so far on that line). A value
/// just completed is the one at fault (its type was wrong, or it lacked a
/// field), unless the input `ended_early` right after it.
fn json_path_at(text: &[u8], line: usize, column: usize, ended_early: bool) -> String {
    let line_start = match line {
        0 | 1 => 0,
        _ => text.iter().enumerate().filter(|(_, b)| **b == b'\n').nth(line - 2).map_or(text.len(), |(at, _)| at + 1),
    };
    let end = line_start.saturating_add(column).min(text.len());
    let mut stack: Vec<Frame> = Vec::new();
    let mut at = 0;
    while at < end {
        match text[at] {
            b'{' | b'[' => {
                begin_value(&mut stack);
                stack.push(if text[at] == b'{' {
                    Frame::Object { key: None, in_value: false, done: false }
                } else {
                    Frame::Array { index: 0, begun: false, done: false }
                });
                at += 1;
            }
            b'}' | b']' => {
                stack.pop();
                finish_value(&mut stack);
                at += 1;
            }
            b':' => {
                if let Some(Frame::Object { in_value, .. }) = stack.last_mut() {
                    *in_value = true;
                }
                at += 1;
            }
            b',' => {
                match stack.last_mut() {
                    Some(Frame::Object { key, in_value, done }) => (*key, *in_value, *done) = (None, false, false),
                    Some(Frame::Array { index, begun, done }) => (*index, *begun, *done) = (index.saturating_add(1), false, false),
                    None => {}
                }
                at += 1;
            }
            b'"' => {
                let close = string_end(text, at);
                if let Some(Frame::Object { key, in_value: false, .. }) = stack.last_mut() {
                    let quoted = &text[at..close];
                    *key = Some(serde_json::from_slice::<String>(quoted).unwrap_or_else(|_| {
                        String::from_utf8_lossy(quoted).trim_matches('"').to_string()
                    }));
                } else {
                    begin_value(&mut stack);
                    if close <= end {
                        finish_value(&mut stack);
                    }
                }
                at = close;
            }
            b' ' | b'\t' | b'\n' | b'\r' => at += 1,
            _ => {
                // A number, `true`, `false`, `null` (or a stray byte).
                begin_value(&mut stack);
                while at < end && !matches!(text[at], b',' | b'}' | b']' | b':' | b' ' | b'\t' | b'\n' | b'\r') {
                    at += 1;
                }
                if at < end {
                    finish_value(&mut stack);
                }
            }
        }
    }
    if ended_early {
        match stack.last_mut() {
            Some(Frame::Object { key, done: true, .. }) => *key = None,
            Some(Frame::Array { begun, done: true, .. }) => *begun = false,
            _ => {}
        }
    }
    let mut path = String::new();
    for frame in &stack {
        match frame {
            Frame::Object { key: Some(key), in_value: true, .. } => {
                if !path.is_empty() {
                    path.push('.');
                }
                path.push_str(key);
            }
            Frame::Array { index, begun: true, .. } => {
                path.push_str(&format!("[{index}]"));
            }
            _ => {}
        }
    }
    if path.is_empty() {
        path.push('.');
    }
    path
}

/// A value begins in the innermost container.
fn begin_value(stack: &mut [Frame]) {
    if let Some(Frame::Array { begun, done, .. }) = stack.last_mut() {
        (*begun, *done) = (true, false);
    }
}

/// The innermost container's current value is complete.
fn finish_value(stack: &mut [Frame]) {
    if let Some(Frame::Object { done, .. } | Frame::Array { done, .. }) = stack.last_mut() {
        *done = true;
    }
}

/// The index just past the JSON string that opens at `start`.
fn string_end(text: &[u8], start: usize) -> usize {
    let mut at = start + 1;
    while at < text.len() {
        match text[at] {
            b'\\' => at += 2,
            b'"' => return at + 1,
            _ => at += 1,
        }
    }
    text.len()
}

/// A text body.
pub(crate) fn text(body: &bytes::Bytes) -> Result<String, DecodeFailure> {
    String::from_utf8(body.to_vec()).map_err(|err| DecodeFailure { path: String::new(), reason: err.to_string() })
}

/// A binary body.
pub(crate) fn bytes(body: &bytes::Bytes) -> Result<bytes::Bytes, DecodeFailure> {
    Ok(body.clone())
}

/// A response body as it arrives, chunk by chunk: for large downloads.
#[must_use = "a stream does nothing unless polled"]
pub struct ByteStream(std::pin::Pin<Box<dyn futures_core::Stream<Item = Result<bytes::Bytes, reqwest::Error>> + Send>>);

impl fmt::Debug for ByteStream {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("ByteStream")
    }
}

impl futures_core::Stream for ByteStream {
    type Item = Result<bytes::Bytes, reqwest::Error>;

    fn poll_next(mut self: std::pin::Pin<&mut Self>, cx: &mut std::task::Context<'_>) -> std::task::Poll<Option<Self::Item>> {
        self.0.as_mut().poll_next(cx)
    }
}

/// A body read already, as a stream of one chunk.
struct OneChunk(Option<bytes::Bytes>);

impl futures_core::Stream for OneChunk {
    type Item = Result<bytes::Bytes, reqwest::Error>;

    fn poll_next(mut self: std::pin::Pin<&mut Self>, _: &mut std::task::Context<'_>) -> std::task::Poll<Option<Self::Item>> {
        std::task::Poll::Ready(self.0.take().filter(|b| !b.is_empty()).map(Ok))
    }
}

/// A body the operation does not describe; ignored.
pub(crate) fn empty(_: &bytes::Bytes) -> Result<(), DecodeFailure> {
    Ok(())
}

// ---------------------------------------------------------------------------
// Errors
// ---------------------------------------------------------------------------

/// What every error says about the call it ended. [`ErrorContext::new`]
/// makes one for tests and fakes.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct ErrorContext {
    /// The operation: the client method's name.
    pub operation: &'static str,
    /// Attempts made, retries included (0 when nothing was sent).
    pub attempts: u32,
    /// The server's own message from an error body (its `message`,
    /// `error`, `detail`…), when it sent one.
    pub server_message: Option<String>,
    /// The request id the server returned, when it sent one.
    pub request_id: Option<String>,
}

impl ErrorContext {
    /// The context of a call of `operation` that sent nothing.
    pub fn new(operation: &'static str) -> Self {
        Self { operation, attempts: 0, server_message: None, request_id: None }
    }

    /// The same context after `attempts` attempts.
    pub fn with_attempts(mut self, attempts: u32) -> Self {
        self.attempts = attempts;
        self
    }

    /// The same context with the server's message.
    pub fn with_server_message(mut self, message: impl Into<String>) -> Self {
        self.server_message = Some(message.into());
        self
    }
}

/// The error of an operation whose documented error responses are `E`.
///
/// Every variant carries an [`ErrorContext`] (operation, attempts, the
/// server's message and request id). Bodies and headers the server sent
/// have the client's credentials scrubbed out, and `Display` gives one
/// readable line (never a body dump or an HTML page).
#[derive(Debug)]
#[non_exhaustive]
pub enum Error<E> {
    /// The server answered with an error status the operation documents.
    Api {
        /// The HTTP status.
        status: reqwest::StatusCode,
        /// The response headers.
        headers: Box<reqwest::header::HeaderMap>,
        /// The decoded error body.
        body: E,
        context: Box<ErrorContext>,
    },
    /// The server answered with a status the operation does not document.
    UnexpectedStatus {
        /// The HTTP status.
        status: reqwest::StatusCode,
        /// The response headers (a redirect's `Location` among them).
        headers: Box<reqwest::header::HeaderMap>,
        /// The raw body, as text.
        body: String,
        context: Box<ErrorContext>,
    },
    /// The body did not decode into the documented type.
    Decode {
        /// The HTTP status.
        status: reqwest::StatusCode,
        /// The response headers.
        headers: Box<reqwest::header::HeaderMap>,
        /// The raw body, as text.
        body: String,
        /// JSON path of the value that failed (`data.variants[0].name`).
        path: String,
        /// What was wrong with it.
        reason: String,
        context: Box<ErrorContext>,
    },
    /// The request could not be built (a parameter with no textual form, a
    /// path parameter such as `..`, a header value with a line break, a
    /// body that does not serialize); nothing was sent.
    InvalidRequest {
        /// What is wrong.
        message: String,
        context: Box<ErrorContext>,
    },
    /// A value breaks a constraint the spec declares; nothing was sent.
    Validation {
        source: ValidationError,
        context: Box<ErrorContext>,
    },
    /// The request did not complete: connection, TLS or timeout failure.
    Transport {
        source: reqwest::Error,
        context: Box<ErrorContext>,
    },
    /// The call's total time limit passed (attempts, retries and waits).
    Timeout {
        /// The limit.
        limit: Duration,
        context: Box<ErrorContext>,
    },
}

fn retryable_status(status: reqwest::StatusCode) -> bool {
    matches!(status.as_u16(), 408 | 429 | 500 | 502 | 503 | 504)
}

impl<E> Error<E> {
    /// A documented error answer, for tests and fakes.
    pub fn api(context: ErrorContext, status: reqwest::StatusCode, body: E) -> Self {
        Error::Api { status, headers: Box::default(), body, context: Box::new(context) }
    }

    /// An undocumented answer, for tests and fakes.
    pub fn unexpected_status(context: ErrorContext, status: reqwest::StatusCode, body: impl Into<String>) -> Self {
        Error::UnexpectedStatus { status, headers: Box::default(), body: body.into(), context: Box::new(context) }
    }

    /// The same error with its documented body mapped: to handle the errors
    /// of several operations as one type (`err.map_body(|_| ())`, or into an
    /// enum of your own).
    pub fn map_body<F>(self, f: impl FnOnce(E) -> F) -> Error<F> {
        match self {
            Error::Api { status, headers, body, context } => Error::Api { status, headers, body: f(body), context },
            Error::UnexpectedStatus { status, headers, body, context } => Error::UnexpectedStatus { status, headers, body, context },
            Error::Decode { status, headers, body, path, reason, context } => Error::Decode { status, headers, body, path, reason, context },
            Error::InvalidRequest { message, context } => Error::InvalidRequest { message, context },
            Error::Validation { source, context } => Error::Validation { source, context },
            Error::Transport { source, context } => Error::Transport { source, context },
            Error::Timeout { limit, context } => Error::Timeout { limit, context },
        }
    }

    /// The call's context: operation, attempts, server message, request id.
    pub fn context(&self) -> &ErrorContext {
        match self {
            Error::Api { context, .. }
            | Error::UnexpectedStatus { context, .. }
            | Error::Decode { context, .. }
            | Error::InvalidRequest { context, .. }
            | Error::Validation { context, .. }
            | Error::Transport { context, .. }
            | Error::Timeout { context, .. } => context,
        }
    }

    /// The HTTP status, when the server answered.
    pub fn status(&self) -> Option<reqwest::StatusCode> {
        match self {
            Error::Api { status, .. } | Error::UnexpectedStatus { status, .. } | Error::Decode { status, .. } => Some(*status),
            Error::Transport { source, .. } => source.status(),
            Error::InvalidRequest { .. } | Error::Validation { .. } | Error::Timeout { .. } => None,
        }
    }

    /// The response headers, when the server answered.
    pub fn headers(&self) -> Option<&reqwest::header::HeaderMap> {
        match self {
            Error::Api { headers, .. } | Error::UnexpectedStatus { headers, .. } | Error::Decode { headers, .. } => Some(headers),
            _ => None,
        }
    }

    /// The documented error body, when the server sent one.
    pub fn api_body(&self) -> Option<&E> {
        match self {
            Error::Api { body, .. } => Some(body),
            _ => None,
        }
    }

    /// True for a 404 answer.
    pub fn is_not_found(&self) -> bool {
        self.status() == Some(reqwest::StatusCode::NOT_FOUND)
    }

    /// True for a 429 answer.
    pub fn is_rate_limited(&self) -> bool {
        self.status() == Some(reqwest::StatusCode::TOO_MANY_REQUESTS)
    }

    /// How long the server asked to wait before trying again (`Retry-After`).
    pub fn retry_after(&self) -> Option<Duration> {
        retry_after(self.headers()?, std::time::SystemTime::now())
    }

    /// The request id the server returned (a header the spec documents as
    /// one, or a common one such as `x-request-id`).
    pub fn request_id(&self) -> Option<&str> {
        self.context().request_id.as_deref()
    }

    /// The server's own message from the error body, when it sent one.
    pub fn server_message(&self) -> Option<&str> {
        self.context().server_message.as_deref()
    }

    /// True when sending the same request again may succeed: a connection
    /// failure or timeout, or a 408, 429, 500, 502, 503 or 504 answer.
    pub fn is_retryable(&self) -> bool {
        match self {
            Error::Transport { source, .. } => source.is_connect() || source.is_timeout() || connection_closed(source),
            Error::Api { status, .. } | Error::UnexpectedStatus { status, .. } => retryable_status(*status),
            Error::Timeout { .. } => true,
            Error::Decode { .. } | Error::InvalidRequest { .. } | Error::Validation { .. } => false,
        }
    }

    /// True when the call ran out of time (an attempt's or the whole call's limit).
    pub fn is_timeout(&self) -> bool {
        match self {
            Error::Transport { source, .. } => source.is_timeout(),
            Error::Timeout { .. } => true,
            _ => false,
        }
    }
}

impl<E> fmt::Display for Error<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let context = self.context();
        write!(f, "{}: ", context.operation)?;
        match self {
            Error::Api { status, .. } => write!(f, "the server answered {status}")?,
            Error::UnexpectedStatus { status, .. } => write!(f, "the server answered with undocumented status {status}")?,
            Error::Decode { status, path, reason, .. } if path.is_empty() || path == "." => {
                write!(f, "the {status} response did not decode: {reason}")?
            }
            Error::Decode { status, path, reason, .. } => write!(f, "the {status} response did not decode at `{path}`: {reason}")?,
            Error::InvalidRequest { message, .. } => write!(f, "invalid request: {message}")?,
            Error::Validation { source, .. } => write!(f, "invalid request: {source}")?,
            Error::Transport { source, .. } => write!(f, "request failed: {source}")?,
            Error::Timeout { limit, .. } => write!(f, "no answer within the call's time limit of {limit:?}")?,
        }
        if let (Error::Api { .. } | Error::UnexpectedStatus { .. }, Some(message)) = (self, &context.server_message) {
            write!(f, ": {message}")?;
        }
        if context.attempts > 1 {
            write!(f, " (after {} attempts)", context.attempts)?;
        }
        Ok(())
    }
}

impl<E: fmt::Debug> std::error::Error for Error<E> {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Transport { source, .. } => Some(source),
            Error::Validation { source, .. } => Some(source),
            _ => None,
        }
    }
}

/// A value that breaks a constraint of the spec (range, `multipleOf`,
/// number of items, length), found before the request was sent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidationError {
    /// Where the value is, in wire names (`variants`, `rules[2].passPercentage`).
    pub path: String,
    /// What is wrong with it.
    pub message: String,
}

impl ValidationError {
    /// The same error seen from the enclosing value.
    pub(crate) fn within(mut self, prefix: &str) -> Self {
        self.path = if self.path.starts_with('[') { format!("{prefix}{}", self.path) } else { format!("{prefix}.{}", self.path) };
        self
    }
}

impl fmt::Display for ValidationError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "`{}` {}", self.path, self.message)
    }
}

impl std::error::Error for ValidationError {}

fn invalid(path: &str, message: String) -> Result<(), ValidationError> {
    Err(ValidationError { path: path.to_string(), message })
}

/// `minimum`/`maximum` (inclusive unless `exclusive`) and `multipleOf`; a
/// value JSON cannot carry (NaN, infinity) is refused too.
pub(crate) fn check_number(
    path: &str,
    value: f64,
    minimum: Option<(f64, bool)>,
    maximum: Option<(f64, bool)>,
    multiple_of: Option<f64>,
) -> Result<(), ValidationError> {
    if !value.is_finite() {
        return invalid(path, format!("is {value}, which JSON cannot carry"));
    }
    if let Some((min, exclusive)) = minimum {
        if value < min || (exclusive && value == min) {
            return invalid(path, format!("is {value}, below the minimum {min}{}", if exclusive { " (exclusive)" } else { "" }));
        }
    }
    if let Some((max, exclusive)) = maximum {
        if value > max || (exclusive && value == max) {
            return invalid(path, format!("is {value}, above the maximum {max}{}", if exclusive { " (exclusive)" } else { "" }));
        }
    }
    if let Some(step) = multiple_of {
        // Decimal steps such as 0.01 are not exact in binary: compare the
        // quotient with the nearest whole number, with a relative tolerance.
        let quotient = value / step;
        if step > 0.0 && (quotient - quotient.round()).abs() > 1e-9 * quotient.abs().max(1.0) {
            return invalid(path, format!("is {value}, not a multiple of {step}"));
        }
    }
    Ok(())
}

/// `minItems`/`maxItems`, or `minLength`/`maxLength` with `what` = "characters".
pub(crate) fn check_count(path: &str, count: usize, min: Option<usize>, max: Option<usize>, what: &str) -> Result<(), ValidationError> {
    if let Some(min) = min {
        if count < min {
            return invalid(path, format!("has {count} {what}, fewer than the minimum {min}"));
        }
    }
    if let Some(max) = max {
        if count > max {
            return invalid(path, format!("has {count} {what}, more than the maximum {max}"));
        }
    }
    Ok(())
}

/// A string that is not one of an enum's documented values.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseEnumError {
    /// The enum's name.
    pub type_name: &'static str,
    /// The string that did not match.
    pub value: String,
}

impl fmt::Display for ParseEnumError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "`{}` is not a documented {} value", self.value, self.type_name)
    }
}

impl std::error::Error for ParseEnumError {}

// ---------------------------------------------------------------------------
// Retries
// ---------------------------------------------------------------------------

/// When a failed request is sent again, and how long to wait first.
///
/// A request is retried only when the failure shows that sending it again
/// is safe (up to 3 attempts in all by default):
/// - for every operation: a 429 answer, and a connection that could not be
///   established (nothing reached the server);
/// - for idempotent operations only (GET, HEAD, OPTIONS, PUT, DELETE,
///   TRACE, unless the spec marks an operation otherwise): a 408, 500, 502,
///   503 or 504 answer, a timeout, and a connection the server closed.
///
/// The wait honours the server's `Retry-After` (with a little jitter, at
/// most [`max_retry_after`](Self::max_retry_after), 60 s by default; a
/// longer one ends the retries). Without it, a 429 waits at least
/// [`rate_limited_backoff`](Self::rate_limited_backoff) (1 s), doubling;
/// other failures wait a random time up to an exponential cap (from 200 ms,
/// at most 10 s: "full jitter").
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RetryPolicy {
    max_attempts: u32,
    initial_backoff: Duration,
    max_backoff: Duration,
    max_retry_after: Duration,
    rate_limited_backoff: Duration,
    retry_non_idempotent: bool,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self {
            max_attempts: 3,
            initial_backoff: Duration::from_millis(200),
            max_backoff: Duration::from_secs(10),
            max_retry_after: Duration::from_secs(60),
            rate_limited_backoff: Duration::from_secs(1),
            retry_non_idempotent: false,
        }
    }
}

/// What an attempt ended with, as the retry decision sees it.
enum Attempted<'a> {
    Status(reqwest::StatusCode, &'a reqwest::header::HeaderMap),
    Transport(&'a reqwest::Error),
}

impl RetryPolicy {
    /// No retries: every request is sent once.
    pub fn disabled() -> Self {
        Self { max_attempts: 1, ..Self::default() }
    }

    /// Attempts in all, the first included (at least 1).
    pub fn max_attempts(mut self, attempts: u32) -> Self {
        self.max_attempts = attempts.max(1);
        self
    }

    /// The longest wait before the second attempt; it doubles after that.
    pub fn initial_backoff(mut self, wait: Duration) -> Self {
        self.initial_backoff = wait;
        self
    }

    /// The longest computed wait between attempts.
    pub fn max_backoff(mut self, wait: Duration) -> Self {
        self.max_backoff = wait;
        self
    }

    /// The longest wait a `Retry-After` header may ask for; a longer one
    /// ends the retries.
    pub fn max_retry_after(mut self, wait: Duration) -> Self {
        self.max_retry_after = wait;
        self
    }

    /// The least a 429 without `Retry-After` waits before the next attempt.
    pub fn rate_limited_backoff(mut self, wait: Duration) -> Self {
        self.rate_limited_backoff = wait;
        self
    }

    /// Also retry non-idempotent operations after failures that may have
    /// reached the server (5XX, timeouts), which may apply a change twice.
    pub fn retry_non_idempotent(mut self, allow: bool) -> Self {
        self.retry_non_idempotent = allow;
        self
    }

    /// How long to wait before retrying after `attempted` (the `retry`-th
    /// retry comes next), and why; `None` when it must not be retried.
    fn retry_wait(&self, attempted: Attempted<'_>, idempotent: bool, retry: u32, now: std::time::SystemTime) -> Option<(Duration, &'static str)> {
        match attempted {
            Attempted::Status(status, headers) => {
                let code = status.as_u16();
                let may = code == 429 || (idempotent && matches!(code, 408 | 500 | 502 | 503 | 504));
                if !may {
                    return None;
                }
                match retry_after(headers, now) {
                    Some(wait) if wait > self.max_retry_after => None,
                    Some(wait) => Some((wait.saturating_add(jitter(wait / 10).min(Duration::from_secs(1))), "retry-after")),
                    None if code == 429 => Some((self.rate_limited_wait(retry), "rate limited")),
                    None => Some((self.backoff(retry), "server error")),
                }
            }
            Attempted::Transport(err) if err.is_connect() => Some((self.backoff(retry), "connection failed")),
            Attempted::Transport(err) if idempotent && err.is_timeout() => Some((self.backoff(retry), "timeout")),
            Attempted::Transport(err) if idempotent && connection_closed(err) => Some((self.backoff(retry), "connection closed")),
            Attempted::Transport(_) => None,
        }
    }

    /// A random wait up to the exponential cap for the given retry (1 is
    /// the first): "full jitter", so many clients do not retry in step.
    fn backoff(&self, retry: u32) -> Duration {
        let exponent = retry.saturating_sub(1).min(30);
        jitter(self.initial_backoff.saturating_mul(1 << exponent).min(self.max_backoff))
    }

    /// Between the floor and twice it, the floor doubling with each retry
    /// (capped at the larger of `max_backoff` and the floor).
    fn rate_limited_wait(&self, retry: u32) -> Duration {
        let exponent = retry.saturating_sub(1).min(30);
        let floor = self.rate_limited_backoff.saturating_mul(1 << exponent).min(self.max_backoff.max(self.rate_limited_backoff));
        floor.saturating_add(jitter(floor))
    }
}

/// A random duration from zero to `cap`.
fn jitter(cap: Duration) -> Duration {
    let nanos = u64::try_from(cap.as_nanos()).unwrap_or(u64::MAX);
    match nanos.checked_add(1) {
        Some(0) | None => Duration::from_nanos(random_u64()),
        Some(bound) if bound <= 1 => Duration::ZERO,
        Some(bound) => Duration::from_nanos(random_u64() % bound),
    }
}

/// A random number from the standard library's hasher seeds (no extra
/// dependency; jitter needs no cryptographic quality).
fn random_u64() -> u64 {
    use std::hash::{BuildHasher, Hasher};
    let mut hasher = std::collections::hash_map::RandomState::new().build_hasher();
    hasher.write_u128(std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_nanos()));
    hasher.finish()
}

/// A pooled connection the server had closed (reset, or closed before the
/// response was complete): the request may not have been processed.
fn connection_closed(err: &reqwest::Error) -> bool {
    let mut source: Option<&(dyn std::error::Error + 'static)> = std::error::Error::source(err);
    while let Some(current) = source {
        if let Some(hyper) = current.downcast_ref::<hyper::Error>() {
            if hyper.is_incomplete_message() || hyper.is_closed() || hyper.is_canceled() {
                return true;
            }
        }
        if let Some(io) = current.downcast_ref::<std::io::Error>() {
            use std::io::ErrorKind;
            if matches!(io.kind(), ErrorKind::ConnectionReset | ErrorKind::ConnectionAborted | ErrorKind::BrokenPipe | ErrorKind::UnexpectedEof) {
                return true;
            }
        }
        source = current.source();
    }
    false
}

/// The wait a `Retry-After` header asks for: delay-seconds, or an HTTP date
/// in any of the forms RFC 9110 (§5.6.7) requires a recipient to accept.
/// Values that cannot be read, or that no clock can reach, are `None`.
pub(crate) fn retry_after(headers: &reqwest::header::HeaderMap, now: std::time::SystemTime) -> Option<Duration> {
    let value = headers.get(reqwest::header::RETRY_AFTER)?.to_str().ok()?.trim();
    if !value.is_empty() && value.bytes().all(|b| b.is_ascii_digit()) {
        // Delay-seconds; more than u64 can hold is as good as forever.
        return Some(Duration::from_secs(value.parse::<u64>().unwrap_or(u64::MAX)));
    }
    let at = std::time::UNIX_EPOCH.checked_add(Duration::from_secs(parse_http_date(value)?))?;
    Some(at.duration_since(now).unwrap_or_default())
}

/// Seconds since the Unix epoch of an HTTP date: IMF-fixdate
/// (`Sun, 06 Nov 1994 08:49:37 GMT`), RFC 850 (`Sunday, 06-Nov-94
/// 08:49:37 GMT`) or asctime (`Sun Nov  6 08:49:37 1994`).
fn parse_http_date(text: &str) -> Option<u64> {
    const MONTHS: [&str; 12] = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
    let month_of = |name: &str| MONTHS.iter().position(|m| *m == name).map(|i| i as u64 + 1);
    let parts: Vec<&str> = text.split_whitespace().collect();
    let (day, month, year, clock): (u64, u64, u64, &str) = match parts.as_slice() {
        // IMF-fixdate.
        [weekday, day, month, year, clock, "GMT"] if weekday.ends_with(',') => {
            (day.parse().ok()?, month_of(month)?, year.parse::<u64>().ok()?, *clock)
        }
        // RFC 850: two-digit years are read within 50 years of 2000.
        [weekday, date, clock, "GMT"] if weekday.ends_with(',') => {
            let mut fields = date.split('-');
            let (day, month, year) = (fields.next()?, fields.next()?, fields.next()?);
            if fields.next().is_some() {
                return None;
            }
            let year: u64 = year.parse().ok()?;
            let year = match year {
                0..=49 => 2000 + year,
                50..=99 => 1900 + year,
                y => y,
            };
            (day.parse().ok()?, month_of(month)?, year, *clock)
        }
        // asctime.
        [_weekday, month, day, clock, year] => (day.parse().ok()?, month_of(month)?, year.parse::<u64>().ok()?, *clock),
        _ => return None,
    };
    let mut clock = clock.split(':').map(|p| p.parse::<u64>().ok());
    let (hour, minute, second) = (clock.next()??, clock.next()??, clock.next()??);
    if clock.next().is_some() || !(1..=31).contains(&day) || hour > 23 || minute > 59 || second > 60 || !(1970..=9999).contains(&year) {
        return None;
    }
    // Days from the civil date (Howard Hinnant's algorithm).
    let (y, m) = if month <= 2 { (year - 1, month + 9) } else { (year, month - 3) };
    let era = y / 400;
    let year_of_era = y % 400;
    let day_of_year = (153 * m + 2) / 5 + day - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    let days = (era * 146_097 + day_of_era).checked_sub(719_468)?;
    Some(days * 86_400 + hour * 3_600 + minute * 60 + second)
}

// ---------------------------------------------------------------------------
// Rate limiting
// ---------------------------------------------------------------------------

/// Keeps requests under a server's rate limits on the client's side, so a
/// burst waits instead of drawing 429s.
///
/// Each window allows at most `max` requests in any `period` (a sliding
/// window); a request that would exceed one waits until its oldest request
/// ages out, and waiting requests go in the order they came. Every attempt
/// counts, retries included, and a 429 with `Retry-After` pauses the
/// limiter for that long. Clones share their state (windows, counts and
/// settings), so one limiter can pace several clients that share a quota.
/// It runs on Tokio's clock.
#[derive(Clone, Default)]
pub struct RateLimiter {
    shared: Arc<LimiterShared>,
}

#[derive(Default)]
struct LimiterShared {
    /// Waiters take turns in arrival order (Tokio's mutex is fair).
    turn: tokio::sync::Mutex<()>,
    state: std::sync::Mutex<LimiterState>,
}

#[derive(Default)]
struct LimiterState {
    windows: Vec<Window>,
    mutations_only: bool,
    paused_until: Option<tokio::time::Instant>,
}

struct Window {
    max: u32,
    period: Duration,
    sent: std::collections::VecDeque<tokio::time::Instant>,
}

impl fmt::Debug for RateLimiter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let state = self.state();
        let windows: Vec<String> = state.windows.iter().map(|w| format!("{} per {:?} ({} counted)", w.max, w.period, w.sent.len())).collect();
        f.debug_struct("RateLimiter").field("windows", &windows).field("mutations_only", &state.mutations_only).finish()
    }
}

impl RateLimiter {
    /// A limiter without windows: it lets everything through until
    /// [`limit`](Self::limit) adds one.
    pub fn new() -> Self {
        Self::default()
    }

    fn state(&self) -> std::sync::MutexGuard<'_, LimiterState> {
        self.shared.state.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Adds a window: at most `max` requests in any `period`. A `max` of 0
    /// is read as 1. Clones made before share the new window.
    #[must_use]
    pub fn limit(self, max: u32, period: Duration) -> Self {
        self.state().windows.push(Window { max: max.max(1), period, sent: Default::default() });
        self
    }

    /// Counts and paces only requests that change something (methods other
    /// than GET, HEAD and OPTIONS).
    #[must_use]
    pub fn mutations_only(self) -> Self {
        self.state().mutations_only = true;
        self
    }

    /// The windows, as `(max, period)`.
    pub fn windows(&self) -> Vec<(u32, Duration)> {
        self.state().windows.iter().map(|w| (w.max, w.period)).collect()
    }

    /// Holds every request back for `wait` (a server's `Retry-After`).
    pub(crate) fn pause_for(&self, wait: Duration) {
        let until = tokio::time::Instant::now() + wait;
        let mut state = self.state();
        state.paused_until = Some(state.paused_until.map_or(until, |current| current.max(until)));
    }

    /// Waits until a request with `method` fits in every window, then
    /// counts it; the time waited.
    pub(crate) async fn acquire(&self, method: &reqwest::Method) -> Duration {
        use reqwest::Method;
        {
            let state = self.state();
            let read = [Method::GET, Method::HEAD, Method::OPTIONS].contains(method);
            if state.windows.is_empty() && state.paused_until.is_none() || (state.mutations_only && read) {
                return Duration::ZERO;
            }
        }
        let started = tokio::time::Instant::now();
        let _turn = self.shared.turn.lock().await;
        loop {
            let wait = {
                let mut state = self.state();
                let now = tokio::time::Instant::now();
                let mut wait = state.paused_until.map_or(Duration::ZERO, |until| until.saturating_duration_since(now));
                for window in &mut state.windows {
                    while window.sent.front().is_some_and(|&t| now.saturating_duration_since(t) >= window.period) {
                        window.sent.pop_front();
                    }
                    let max = window.max as usize;
                    if window.sent.len() >= max {
                        let oldest = window.sent[window.sent.len() - max];
                        wait = wait.max(window.period.saturating_sub(now.saturating_duration_since(oldest)));
                    }
                }
                if wait.is_zero() {
                    state.paused_until = None;
                    state.windows.iter_mut().for_each(|w| w.sent.push_back(now));
                    return started.elapsed();
                }
                wait
            };
            tokio::time::sleep(wait).await;
        }
    }
}

// ---------------------------------------------------------------------------
// Parameters and values
// ---------------------------------------------------------------------------

/// A field that may be absent, `null`, or a value: the three states an
/// optional, nullable property has on the wire. Absent is skipped when
/// serializing, so a PATCH body can leave a field alone, clear it (`Null`)
/// or set it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub enum Nullable<T> {
    /// Not present on the wire.
    #[default]
    Absent,
    /// Present as `null`.
    Null,
    /// Present with a value.
    Value(T),
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

/// How a parameter's value becomes text: OpenAPI's `style` and `explode`
/// (and `content: application/json`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Style {
    /// `form`, exploded: a list repeats the name, an object's properties
    /// are parameters of their own.
    Form,
    /// `form`, not exploded: comma-separated (`k,v,k,v` for an object).
    FormCompact,
    /// `simple`: comma-separated (`k,v,k,v` for an object).
    Simple,
    /// `simple`, exploded: an object is `k=v,k=v`.
    SimpleExploded,
    /// A list joined with spaces.
    SpaceDelimited,
    /// A list joined with `|`.
    PipeDelimited,
    /// `name[key]=value` for each property (nested: `name[a][b]`).
    DeepObject,
    /// The value as JSON text.
    Json,
    /// Path `label`: `.a,b`.
    Label,
    /// Path `label`, exploded: `.a.b`.
    LabelExploded,
    /// Path `matrix`: `;name=a,b`.
    Matrix,
    /// Path `matrix`, exploded: `;name=a;name=b`.
    MatrixExploded,
}

fn value_of<T: serde::Serialize + ?Sized>(name: &str, value: &T) -> Result<serde_json::Value, String> {
    serde_json::to_value(value).map_err(|err| format!("`{name}`: {err}"))
}

/// The text of a scalar (strings unquoted).
fn scalar_text(name: &str, value: &serde_json::Value) -> Result<String, String> {
    match value {
        serde_json::Value::String(s) => Ok(s.clone()),
        serde_json::Value::Number(n) => Ok(n.to_string()),
        serde_json::Value::Bool(b) => Ok(b.to_string()),
        serde_json::Value::Null => Ok(String::new()),
        other => Err(format!("`{name}` has no textual form in its style: {other}")),
    }
}

/// The texts of a scalar or of a list's items.
fn item_texts(name: &str, value: &serde_json::Value) -> Result<Vec<String>, String> {
    match value {
        serde_json::Value::Array(items) => items.iter().map(|item| scalar_text(name, item)).collect(),
        other => Ok(vec![scalar_text(name, other)?]),
    }
}

/// An object's `(key, text)` pairs, list values joined with commas.
fn property_texts(name: &str, object: &serde_json::Map<String, serde_json::Value>) -> Result<Vec<(String, String)>, String> {
    object
        .iter()
        .filter(|(_, v)| !v.is_null())
        .map(|(key, v)| Ok((key.clone(), item_texts(name, v)?.join(","))))
        .collect()
}

/// A query parameter's `(name, text)` pairs.
fn query_pairs(name: &str, value: &serde_json::Value, style: Style) -> Result<Vec<(String, String)>, String> {
    use serde_json::Value as V;
    Ok(match (value, style) {
        (V::Null, _) => Vec::new(),
        (value, Style::Json) => vec![(name.to_string(), value.to_string())],
        (V::Object(object), Style::Form) => {
            let mut pairs = Vec::new();
            for (key, v) in object.iter().filter(|(_, v)| !v.is_null()) {
                pairs.extend(item_texts(name, v)?.into_iter().map(|text| (key.clone(), text)));
            }
            pairs
        }
        (V::Object(_), Style::DeepObject) => {
            let mut pairs = Vec::new();
            deep_pairs(name, value, &mut pairs)?;
            pairs
        }
        (V::Object(object), style) => {
            let separator = match style {
                Style::SpaceDelimited => " ",
                Style::PipeDelimited => "|",
                _ => ",",
            };
            let flat: Vec<String> = property_texts(name, object)?.into_iter().flat_map(|(k, v)| [k, v]).collect();
            vec![(name.to_string(), flat.join(separator))]
        }
        (V::Array(_), Style::Form | Style::DeepObject) => {
            item_texts(name, value)?.into_iter().map(|text| (name.to_string(), text)).collect()
        }
        (V::Array(_), style) => {
            let separator = match style {
                Style::SpaceDelimited => " ",
                Style::PipeDelimited => "|",
                _ => ",",
            };
            vec![(name.to_string(), item_texts(name, value)?.join(separator))]
        }
        (scalar, _) => vec![(name.to_string(), scalar_text(name, scalar)?)],
    })
}

/// `name[key]=value`, nested objects as `name[a][b]`, lists repeating the key.
fn deep_pairs(prefix: &str, value: &serde_json::Value, pairs: &mut Vec<(String, String)>) -> Result<(), String> {
    match value {
        serde_json::Value::Object(object) => {
            for (key, v) in object {
                deep_pairs(&format!("{prefix}[{key}]"), v, pairs)?;
            }
        }
        serde_json::Value::Null => {}
        other => pairs.extend(item_texts(prefix, other)?.into_iter().map(|text| (prefix.to_string(), text))),
    }
    Ok(())
}

/// A path, header or cookie parameter's one text, or `None` for `None`.
fn joined(name: &str, value: &serde_json::Value, style: Style) -> Result<Option<String>, String> {
    use serde_json::Value as V;
    Ok(Some(match (value, style) {
        (V::Null, _) => return Ok(None),
        (value, Style::Json) => value.to_string(),
        (V::Object(object), Style::SimpleExploded) => {
            property_texts(name, object)?.into_iter().map(|(k, v)| format!("{k}={v}")).collect::<Vec<_>>().join(",")
        }
        (V::Object(object), _) => property_texts(name, object)?.into_iter().flat_map(|(k, v)| [k, v]).collect::<Vec<_>>().join(","),
        (value, _) => item_texts(name, value)?.join(","),
    }))
}

/// A path parameter, percent-encoded. Empty, `.` and `..` are refused:
/// they would change which resource the path names.
fn path_segment<T: serde::Serialize + ?Sized>(name: &str, value: &T, style: Style) -> Result<String, String> {
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
    Ok(match style {
        Style::Label => format!(".{}", encoded.join(",")),
        Style::LabelExploded => format!(".{}", encoded.join(".")),
        Style::Matrix => format!(";{name}={}", encoded.join(",")),
        Style::MatrixExploded => encoded.iter().map(|e| format!(";{name}={e}")).collect(),
        _ => percent_encode(&plain),
    })
}

/// A page number of [`Pages`] as the page parameter's type; a page beyond
/// that type's range fails the request (and so ends the stream).
pub(crate) fn page_number<T: TryFrom<i64>>(operation: &'static str, page: i64) -> Result<T, CallFailure> {
    T::try_from(page).map_err(|_| CallFailure {
        failure: Failure::InvalidRequest(format!("page {page} is beyond the range of the page parameter")),
        context: ErrorContext::new(operation),
    })
}

/// Decodes a string enum from a borrowed string where the format allows,
/// so a known value costs no allocation; `from_wire` maps the text.
pub(crate) fn deserialize_enum<'de, D, T>(deserializer: D, from_wire: fn(&str) -> T) -> Result<T, D::Error>
where
    D: serde::Deserializer<'de>,
{
    struct WireVisitor<T>(fn(&str) -> T);

    impl<T> serde::de::Visitor<'_> for WireVisitor<T> {
        type Value = T;

        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("a string")
        }

        fn visit_str<E: serde::de::Error>(self, value: &str) -> Result<T, E> {
            Ok((self.0)(value))
        }
    }

    deserializer.deserialize_str(WireVisitor(from_wire))
}

// ---------------------------------------------------------------------------
// Pagination
// ---------------------------------------------------------------------------

/// A page of items and whether the server says there is another.
type PageFuture<T, E> = std::pin::Pin<Box<dyn std::future::Future<Output = Result<(Vec<T>, bool), Error<E>>> + Send>>;

/// Every item of a paginated list: pages are fetched one at a time as the
/// stream is polled, until the server says there is no next page; the first
/// error ends the stream after it is yielded. It owns its request, so it
/// can be moved into a spawned task.
#[must_use = "a stream does nothing unless polled"]
pub struct Pages<T, E> {
    fetch: Box<dyn FnMut(i64) -> PageFuture<T, E> + Send>,
    pending: Option<(i64, PageFuture<T, E>)>,
    buffer: std::collections::VecDeque<T>,
    next_page: Option<i64>,
}

impl<T, E> Pages<T, E> {
    pub(crate) fn new(first_page: i64, fetch: impl FnMut(i64) -> PageFuture<T, E> + Send + 'static) -> Self {
        Self { fetch: Box::new(fetch), pending: None, buffer: Default::default(), next_page: Some(first_page) }
    }
}

// Nothing in `Pages` is pinned structurally: the futures are boxed and the
// items only move in and out of the queue.
impl<T, E> Unpin for Pages<T, E> {}

impl<T, E> fmt::Debug for Pages<T, E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Pages").field("buffered", &self.buffer.len()).field("next_page", &self.next_page).finish()
    }
}

impl<T, E> futures_core::Stream for Pages<T, E> {
    type Item = Result<T, Error<E>>;

    fn poll_next(self: std::pin::Pin<&mut Self>, cx: &mut std::task::Context<'_>) -> std::task::Poll<Option<Self::Item>> {
        use std::task::Poll;
        let this = self.get_mut();
        loop {
            if let Some(item) = this.buffer.pop_front() {
                return Poll::Ready(Some(Ok(item)));
            }
            if let Some((page, future)) = &mut this.pending {
                let page = *page;
                let outcome = match future.as_mut().poll(cx) {
                    Poll::Pending => return Poll::Pending,
                    Poll::Ready(outcome) => outcome,
                };
                this.pending = None;
                match outcome {
                    Ok((items, more)) => {
                        this.buffer.extend(items);
                        this.next_page = if more { page.checked_add(1) } else { None };
                    }
                    Err(err) => {
                        this.next_page = None;
                        return Poll::Ready(Some(Err(err)));
                    }
                }
                continue;
            }
            match this.next_page.take() {
                Some(page) => this.pending = Some((page, (this.fetch)(page))),
                None => return Poll::Ready(None),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A small deterministic generator for the property tests.
    struct Lcg(u64);

    impl Lcg {
        fn next(&mut self) -> u64 {
            self.0 = self.0.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
            self.0 >> 11
        }

        fn below(&mut self, n: u64) -> u64 {
            self.next() % n.max(1)
        }
    }

    fn retry_after_of(value: &str) -> Option<Duration> {
        let mut headers = reqwest::header::HeaderMap::new();
        headers.insert(reqwest::header::RETRY_AFTER, reqwest::header::HeaderValue::from_str(value).ok()?);
        retry_after(&headers, std::time::SystemTime::now())
    }

    #[test]
    fn path_segments_are_percent_encoded_and_dot_segments_refused() {
        assert_eq!(path_segment("id", "a b/c?d", Style::Simple).unwrap(), "a%20b%2Fc%3Fd");
        for value in ["", ".", ".."] {
            assert!(path_segment("id", value, Style::Simple).unwrap_err().contains("would change the path"), "{value:?}");
        }
        assert_eq!(path_segment("id", "...", Style::Simple).unwrap(), "...");
        assert_eq!(path_segment("id", &[1, 2], Style::Label).unwrap(), ".1,2");
        assert_eq!(path_segment("id", &[1, 2], Style::MatrixExploded).unwrap(), ";id=1;id=2");
        assert_eq!(path_segment("id", &serde_json::json!({"a": 1, "b": "x y"}), Style::SimpleExploded).unwrap(), "a%3D1%2Cb%3Dx%20y");
    }

    #[test]
    fn query_parameters_follow_their_style() {
        let pairs = |value: serde_json::Value, style| query_pairs("p", &value, style).unwrap();
        let owned = |list: &[(&str, &str)]| list.iter().map(|(a, b)| (a.to_string(), b.to_string())).collect::<Vec<_>>();
        assert_eq!(pairs(serde_json::json!(["a", "b"]), Style::Form), owned(&[("p", "a"), ("p", "b")]));
        assert_eq!(pairs(serde_json::json!(["a", "b"]), Style::FormCompact), owned(&[("p", "a,b")]));
        assert_eq!(pairs(serde_json::json!(["a", "b"]), Style::PipeDelimited), owned(&[("p", "a|b")]));
        assert!(pairs(serde_json::json!(null), Style::Form).is_empty());
        let object = serde_json::json!({"role": "admin", "ids": [1, 2]});
        assert_eq!(pairs(object.clone(), Style::Form), owned(&[("ids", "1"), ("ids", "2"), ("role", "admin")]));
        assert_eq!(pairs(object.clone(), Style::FormCompact), owned(&[("p", "ids,1,2,role,admin")]));
        assert_eq!(
            pairs(serde_json::json!({"a": {"b": 1}, "c": "d"}), Style::DeepObject),
            owned(&[("p[a][b]", "1"), ("p[c]", "d")])
        );
        assert_eq!(pairs(object, Style::Json), owned(&[("p", r#"{"ids":[1,2],"role":"admin"}"#)]));
        assert!(query_pairs("p", &serde_json::json!({"a": {"b": 1}}), Style::Form).is_err());
        assert_eq!(joined("h", &serde_json::json!({"a": 1, "b": 2}), Style::SimpleExploded).unwrap().as_deref(), Some("a=1,b=2"));
    }

    #[test]
    fn retry_after_reads_every_http_date_form() {
        let now = std::time::UNIX_EPOCH + Duration::from_secs(784_111_777 - 10);
        let at = |value: &str| {
            let mut headers = reqwest::header::HeaderMap::new();
            headers.insert(reqwest::header::RETRY_AFTER, value.parse().unwrap());
            retry_after(&headers, now)
        };
        assert_eq!(at("7"), Some(Duration::from_secs(7)));
        // 784111777 is Sun, 06 Nov 1994 08:49:37 GMT (RFC 9110's example).
        assert_eq!(at("Sun, 06 Nov 1994 08:49:37 GMT"), Some(Duration::from_secs(10)));
        assert_eq!(at("Sunday, 06-Nov-94 08:49:37 GMT"), Some(Duration::from_secs(10)));
        assert_eq!(at("Sun Nov  6 08:49:37 1994"), Some(Duration::from_secs(10)));
        assert_eq!(at("Sun, 06 Nov 1994 08:49:17 GMT"), Some(Duration::ZERO));
        assert_eq!(at("soon"), None);
        assert_eq!(at("99999999999999999999999"), Some(Duration::from_secs(u64::MAX)));
        assert_eq!(at("Fri, 31 Dec 9999 23:59:59 GMT").map(|d| d > Duration::from_secs(1 << 37)), Some(true));
        assert_eq!(at("Sat, 01 Jan 99999 00:00:00 GMT"), None);
        assert_eq!(parse_http_date("Thu, 01 Jan 1970 00:00:00 GMT"), Some(0));
        assert_eq!(parse_http_date("Tue, 29 Feb 2028 23:59:59 GMT"), Some(1_835_481_599));
    }

    /// Property: no `Retry-After` value, however absurd, and no policy
    /// setting makes the retry decision panic or wait past its cap.
    #[test]
    fn no_retry_after_value_or_policy_panics() {
        let mut rng = Lcg(7);
        let pieces = ["Sun,", "06", "Nov", "1994", "08:49:37", "GMT", "-", "99999999999999999999", "0", ":", " ", "Feb", "31", "-06-Nov-94", "Sunday,", "1e9", "\t", "99:99:99", "4294967296"];
        let huge = [Duration::ZERO, Duration::from_nanos(1), Duration::from_secs(1), Duration::MAX, Duration::from_secs(u64::MAX / 2)];
        for case in 0..20_000 {
            let value: String = (0..rng.below(7)).map(|_| pieces[rng.below(pieces.len() as u64) as usize]).collect::<Vec<_>>().join(if case % 3 == 0 { " " } else { "" });
            let policy = RetryPolicy::default()
                .initial_backoff(huge[rng.below(5) as usize])
                .max_backoff(huge[rng.below(5) as usize])
                .max_retry_after(huge[rng.below(5) as usize])
                .rate_limited_backoff(huge[rng.below(5) as usize])
                .max_attempts(rng.next() as u32);
            let mut headers = reqwest::header::HeaderMap::new();
            if let Ok(header) = reqwest::header::HeaderValue::from_str(&value) {
                headers.insert(reqwest::header::RETRY_AFTER, header);
            }
            let status = [429u16, 503, 500, 408, 404][rng.below(5) as usize];
            let status = reqwest::StatusCode::from_u16(status).unwrap();
            let retry = rng.next() as u32;
            if let Some((wait, _)) = policy.retry_wait(Attempted::Status(status, &headers), rng.below(2) == 0, retry, std::time::SystemTime::now()) {
                if headers.contains_key(reqwest::header::RETRY_AFTER) && retry_after(&headers, std::time::SystemTime::now()).is_some() {
                    assert!(wait <= policy.max_retry_after.saturating_add(Duration::from_secs(1)), "{value:?}: {wait:?}");
                }
            }
            let _ = retry_after_of(&value);
        }
    }

    #[test]
    fn retries_follow_what_the_failure_proves() {
        let policy = RetryPolicy::default();
        let now = std::time::SystemTime::now();
        let empty = reqwest::header::HeaderMap::new();
        let decide = |code: u16, idempotent: bool| {
            policy.retry_wait(Attempted::Status(reqwest::StatusCode::from_u16(code).unwrap(), &empty), idempotent, 1, now).map(|(_, why)| why)
        };
        assert_eq!(decide(429, false), Some("rate limited"));
        assert_eq!(decide(429, true), Some("rate limited"));
        for code in [408, 500, 502, 503, 504] {
            assert_eq!(decide(code, true), Some("server error"), "{code}");
            assert_eq!(decide(code, false), None, "{code} on a non-idempotent operation");
        }
        for code in [400, 404, 501, 505, 599] {
            assert_eq!(decide(code, true), None, "{code}");
        }
        // A 429 without Retry-After waits at least the floor.
        for retry in 1..6 {
            assert!(policy.rate_limited_wait(retry) >= Duration::from_secs(1));
        }
    }

    #[test]
    fn backoff_is_capped_and_jittered() {
        let policy = RetryPolicy::default().initial_backoff(Duration::from_millis(100)).max_backoff(Duration::from_millis(300));
        for retry in 1..40 {
            assert!(policy.backoff(retry) <= Duration::from_millis(300));
        }
        assert!(policy.backoff(1) <= Duration::from_millis(100));
        assert_eq!(RetryPolicy::disabled().max_attempts, 1);
        assert_eq!(RetryPolicy::default().max_attempts(0).max_attempts, 1);
        let _ = jitter(Duration::MAX);
        assert_eq!(jitter(Duration::ZERO), Duration::ZERO);
    }

    #[test]
    fn number_checks_tolerate_decimal_steps_and_refuse_nan() {
        assert!(check_number("p", 0.07, None, None, Some(0.01)).is_ok());
        assert!(check_number("p", 33.33, Some((0.0, false)), Some((100.0, false)), Some(0.01)).is_ok());
        assert_eq!(check_number("p", 0.075, None, None, Some(0.01)).unwrap_err().message, "is 0.075, not a multiple of 0.01");
        assert!(check_number("r", 0.0005, Some((0.001, false)), None, None).is_err());
        assert!(check_number("r", 1.0, None, Some((1.0, true)), None).is_err());
        assert!(check_number("n", f64::NAN, None, None, None).is_err());
        assert!(check_number("n", f64::INFINITY, None, None, None).is_err());
        assert!(check_count("v", 1, Some(2), None, "items").is_err());
        let nested = ValidationError { path: "passPercentage".into(), message: "m".into() }.within("rules[2]");
        assert_eq!(nested.to_string(), "`rules[2].passPercentage` m");
    }

    #[test]
    fn secrets_are_redacted() {
        let secret = Secret::new("console-abc");
        assert_eq!(format!("{secret:?} {secret}"), "Secret(\"<redacted>\") <redacted>");
        assert_eq!(secret.expose(), "console-abc");
        let mut redactor = Redactor::default();
        redactor.add("console-abc");
        redactor.add("a\"b/c d");
        assert_eq!(redactor.text("Key: console-abc."), "Key: <redacted>.");
        assert_eq!(redactor.text(r#"{"k":"a\"b/c d"}"#), r#"{"k":"<redacted>"}"#);
        assert_eq!(redactor.text("?key=a%22b%2Fc%20d"), "?key=<redacted>");
        let body = redactor.bytes(bytes::Bytes::from_static(b"x console-abc y console-abc"));
        assert_eq!(&body[..], b"x <redacted> y <redacted>");
        redactor.add("ab");
        assert_eq!(redactor.text("ab"), "ab", "values too short to search for are left alone");
        assert_eq!(base64(b"Aladdin:open sesame"), "QWxhZGRpbjpvcGVuIHNlc2FtZQ==");
        assert_eq!(base64(b"a"), "YQ==");
        assert!(is_credential_header("STATSIG-API-KEY") && is_credential_header("Authorization"));
        assert!(!is_credential_header("STATSIG-API-VERSION") && !is_credential_header("Accept"));
    }

    #[test]
    fn server_messages_are_one_short_line() {
        assert_eq!(server_message(br#"{"message":"Not  found\nhere"}"#).as_deref(), Some("Not found here"));
        assert_eq!(server_message(br#"{"error":{"message":"bad"}}"#).as_deref(), Some("bad"));
        assert_eq!(server_message(b"<html><body>Bad gateway</body></html>"), None);
        let long = format!(r#"{{"detail":"{}"}}"#, "x".repeat(400));
        assert_eq!(server_message(long.as_bytes()).map(|m| m.chars().count()), Some(301));
    }

    #[test]
    fn nullable_round_trips_three_states() {
        #[derive(serde::Serialize, serde::Deserialize, PartialEq, Debug)]
        struct Patch {
            #[serde(default, skip_serializing_if = "Nullable::is_absent")]
            team: Nullable<String>,
        }
        for (value, json) in [
            (Nullable::Absent, "{}"),
            (Nullable::Null, r#"{"team":null}"#),
            (Nullable::Value("a".to_string()), r#"{"team":"a"}"#),
        ] {
            let patch = Patch { team: value };
            assert_eq!(serde_json::to_string(&patch).unwrap(), json);
            assert_eq!(serde_json::from_str::<Patch>(json).unwrap(), patch);
        }
    }

    #[test]
    fn a_decode_error_names_the_path_of_the_value_at_fault() {
        #[derive(serde::Deserialize, Debug)]
        #[allow(dead_code)]
        struct Variant {
            name: String,
            weight: Option<u8>,
        }
        #[derive(serde::Deserialize, Debug)]
        #[allow(dead_code)]
        struct Data {
            id: String,
            variants: Vec<Variant>,
            tags: Option<std::collections::BTreeMap<String, Vec<u8>>>,
            pair: Option<(u8, String)>,
            nested: Option<Box<Data>>,
        }
        #[derive(serde::Deserialize, Debug)]
        #[allow(dead_code)]
        struct Envelope {
            message: String,
            data: Data,
        }
        let pretty = "{\n  \"message\": \"ok\",\n  \"data\": {\n    \"id\": \"a\",\n    \"variants\": [\n      {\"weight\": 4}\n    ]\n  }\n}\n";
        // The paths serde_path_to_error gives for the same bodies.
        let cases = [
            (r#"{"message":"ok","data":{"id":"a","variants":[{"name":"x"},{"name":42}]}}"#, "data.variants[1].name"),
            (r#"{"message":"ok","data":{"id":"a","variants":[{"name":"x"},{"weight":1}]}}"#, "data.variants[1]"),
            (r#"{"message":"ok","data":{"id":"a","variants":[{"name":"y","weight":-1}]}}"#, "data.variants[0].weight"),
            (r#"{"message":"ok","data":{"id":"a","variants":{}}}"#, "data.variants"),
            (r#"{"message":"ok","data":{"id":"a","variants":[ {"name": {"x":1}} ]}}"#, "data.variants[0].name"),
            (r#"{"message":"ok","data":{"id":"a","variants":[ [1] ]}}"#, "data.variants[0][0]"),
            (r#"{"message":"ok","data":{"variants":[]}}"#, "data"),
            (r#"{"message":"ok"}"#, "."),
            (r#"{"message":"ok","data":{"id":"a","variants":[],"tags":{"k":[1,2,300]}}}"#, "data.tags.k[2]"),
            (r#"{"message":"ok","data":{"id":"a","variants":[],"tags":{"k.y\"z":[1,"x"]}}}"#, "data.tags.k.y\"z[1]"),
            (r#"{"message":"ok","data":{"id":"a","variants":[],"pair":[1]}}"#, "data.pair"),
            (r#"{"message":"ok","data":{"id":"a","variants":[],"nested":{"id":"b","variants":[{"name":null}]}}}"#, "data.nested.variants[0].name"),
            (r#"{"message":"ok","data":{"id":"a","variants":[],"nested":{"id":"b","variants":[{"name":"n"}"#, "data.nested.variants"),
            (r#"{"message":"ok","data":{"id":"é","variants":[{"name":"x"},{"name":"ü\n", "weight": "7"}]}}"#, "data.variants[1].weight"),
            ("not json", "."),
            ("", "."),
            ("[1]", "[0]"),
            (pretty, "data.variants[0]"),
        ];
        for (body, path) in cases {
            let failure = json::<Envelope>(&bytes::Bytes::from(body)).unwrap_err();
            assert_eq!(failure.path, path, "{body}: {}", failure.reason);
        }
    }

    #[test]
    fn the_path_scan_survives_any_body_and_position() {
        let mut rng = Lcg(7);
        let alphabet = b"{}[]:,\"\\ \nab1-";
        for _ in 0..2_000 {
            let len = (rng.next() % 40) as usize;
            let text: Vec<u8> = (0..len).map(|_| alphabet[(rng.next() % alphabet.len() as u64) as usize]).collect();
            let (line, column) = ((rng.next() % 4) as usize, (rng.next() % 50) as usize);
            assert!(!json_path_at(&text, line, column, rng.next() & 1 == 0).is_empty());
        }
        assert_eq!(json_path_at(b"{}", usize::MAX, usize::MAX, false), ".");
    }
}
