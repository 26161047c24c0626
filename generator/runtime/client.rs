//! The client and its settings: `Client`, `ClientBuilder` and what a
//! generated crate's `Spec` tells them.

use super::{parse_header, Credential, HeaderList, RateLimiter, Redactor, RetryPolicy, Secret};
#[cfg(not(omit = "operations"))]
use super::{Call, Operation, RequestOptions};
#[cfg(not(omit = "credential_token"))]
use super::TokenSource;
use std::fmt;
use std::sync::Arc;
use std::time::Duration;

/// What the spec says about the client as a whole; each generated crate
/// has one.
#[derive(Debug)]
pub(crate) struct Spec {
    /// The server the spec names, when it names an absolute URL.
    pub(crate) default_base_url: Option<&'static str>,
    /// Headers the spec asks for on every request (`x-client-default-headers`).
    pub(crate) default_headers: &'static [(&'static str, &'static str)],
    #[cfg(not(omit = "operations"))]
    /// Response headers the spec documents as request ids.
    pub(crate) request_id_headers: &'static [&'static str],
    /// The number of security schemes (credential slots).
    pub(crate) security_schemes: usize,
    #[cfg(not(omit = "operations"))]
    /// The `User-Agent` sent unless another is set.
    pub(crate) user_agent: &'static str,
}

/// A function run on each attempt's request just before it is sent (after
/// credentials and headers are added): to sign it, add a header, log it.
/// An error stops the call with [`Error::InvalidRequest`](super::Error::InvalidRequest).
pub type RequestHook =
    dyn Fn(&mut reqwest::Request, u32) -> Result<(), Box<dyn std::error::Error + Send + Sync>> + Send + Sync;

/// An asynchronous [`RequestHook`]: it takes each attempt's request and
/// gives it back (to fetch a signature or a token first). An error stops
/// the call.
pub type AsyncRequestHook = dyn Fn(
        reqwest::Request,
        u32,
    ) -> std::pin::Pin<
        Box<
            dyn std::future::Future<Output = Result<reqwest::Request, Box<dyn std::error::Error + Send + Sync>>> + Send,
        >,
    > + Send
    + Sync;

/// A client for the API. Cheap to clone: clones share one connection pool,
/// their settings and their rate limiter, and each request builder holds a
/// clone, so requests and page streams can be sent from spawned tasks.
/// Credentials are kept as [`Secret`](super::Secret)s, which `Debug` prints redacted.
#[derive(Clone)]
pub struct Client {
    pub(crate) core: Arc<Core>,
}

/// The default of [`ClientBuilder::max_response_size`].
pub(crate) const DEFAULT_MAX_RESPONSE_SIZE: usize = 32 * 1024 * 1024;

pub(crate) struct Core {
    #[cfg(not(omit = "operations"))]
    pub(crate) http: reqwest::Client,
    pub(crate) base_url: String,
    pub(crate) timeout: Option<Duration>,
    pub(crate) total_timeout: Option<Duration>,
    #[cfg(not(omit = "operations"))]
    pub(crate) max_response_size: usize,
    pub(crate) retry: RetryPolicy,
    pub(crate) rate_limiter: Option<RateLimiter>,
    pub(crate) default_headers: reqwest::header::HeaderMap,
    pub(crate) credentials: Vec<Option<Credential>>,
    #[cfg(not(omit = "operations"))]
    pub(crate) redactor: Arc<Redactor>,
    pub(crate) hook: Option<Arc<RequestHook>>,
    pub(crate) async_hook: Option<Arc<AsyncRequestHook>>,
    #[cfg(not(omit = "operations"))]
    pub(crate) request_id_headers: &'static [&'static str],
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
            .field("on_request_async", &core.async_hook.as_ref().map(|_| "<hook>"))
            .finish_non_exhaustive()
    }
}

impl Client {
    /// The server this client talks to.
    pub fn base_url(&self) -> &str {
        &self.core.base_url
    }

    #[cfg(not(omit = "operations"))]
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
    max_response_size: usize,
    user_agent: Option<String>,
    retry: RetryPolicy,
    rate_limiter: Option<RateLimiter>,
    default_headers: HeaderList,
    credentials: Vec<Option<Credential>>,
    hook: Option<Arc<RequestHook>>,
    async_hook: Option<Arc<AsyncRequestHook>>,
}

impl fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("base_url", &self.base_url)
            .field("timeout", &self.timeout)
            .field("connect_timeout", &self.connect_timeout)
            .field("total_timeout", &self.total_timeout)
            .field("max_response_size", &self.max_response_size)
            .field("user_agent", &self.user_agent)
            .field("retry", &self.retry)
            .field("rate_limiter", &self.rate_limiter)
            .field("default_headers", &self.default_headers)
            .field("credentials", &self.credentials)
            .field("on_request", &self.hook.as_ref().map(|_| "<hook>"))
            .field("on_request_async", &self.async_hook.as_ref().map(|_| "<hook>"))
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
            max_response_size: DEFAULT_MAX_RESPONSE_SIZE,
            user_agent: None,
            retry: RetryPolicy::default(),
            rate_limiter: None,
            default_headers: HeaderList::default(),
            credentials: vec![None; spec.security_schemes],
            hook: None,
            async_hook: None,
        }
    }

    #[cfg(not(omit = "credential_token"))]
    /// A security scheme's bearer tokens from `source`, asked for before
    /// each call that uses the scheme.
    pub(crate) fn token_source(self, index: usize, source: impl TokenSource + 'static) -> Self {
        self.credential(index, Credential::Token(Arc::new(source)))
    }

    #[cfg(not(omit = "credentials"))]
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

    /// The largest response body a call reads, in bytes (32 MiB by
    /// default): a larger one fails the call with
    /// [`Error::ResponseTooLarge`](super::Error::ResponseTooLarge) instead of
    /// filling memory, and is not retried. Error bodies count too; an error
    /// keeps at most 64 KiB of one as text. Streamed downloads
    /// (`send_stream`) have no limit. A request can set its own.
    pub fn max_response_size(mut self, bytes: usize) -> Self {
        self.max_response_size = bytes;
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

    /// Sends `Authorization: Bearer <token>` with every request, whatever
    /// the document declares (an API whose document names no scheme, say);
    /// the token is redacted like the client's own credentials.
    pub fn bearer_token(self, token: impl Into<Secret>) -> Self {
        let token = token.into();
        self.default_header("Authorization", format!("Bearer {}", token.expose()))
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

    /// Like [`on_request`](Self::on_request), asynchronously: `hook` takes
    /// each attempt's request (after `on_request`) and returns it, so it
    /// may await first (a signature from a remote service, a token).
    pub fn on_request_async<F>(mut self, hook: impl Fn(reqwest::Request, u32) -> F + Send + Sync + 'static) -> Self
    where
        F: std::future::Future<Output = Result<reqwest::Request, Box<dyn std::error::Error + Send + Sync>>>
            + Send
            + 'static,
    {
        self.async_hook = Some(Arc::new(move |request, attempt| Box::pin(hook(request, attempt))));
        self
    }

    /// Builds the client.
    pub fn build(self) -> Result<Client, BuildError> {
        #[cfg(not(omit = "operations"))]
        let http = match self.http_client {
            Some(client) => client,
            None => {
                let user_agent = self.user_agent.unwrap_or_else(|| self.spec.user_agent.to_string());
                let mut builder = reqwest::Client::builder().user_agent(user_agent).redirect(same_origin_redirects());
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
        #[cfg(not(omit = "credentials"))]
        for credential in self.credentials.iter().flatten() {
            // Refused now rather than at the first call.
            credential.check().map_err(|reason| BuildError::InvalidCredential(format!("{credential:?}: {reason}")))?;
            for secret in credential.secrets() {
                redactor.add(secret.expose());
            }
            #[cfg(not(omit = "credential_basic"))]
            if let Some(sent) = credential.encoded() {
                redactor.add(&sent);
            }
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
                #[cfg(not(omit = "operations"))]
                http,
                base_url: base_url.trim_end_matches('/').to_string(),
                timeout: self.timeout,
                total_timeout: self.total_timeout,
                #[cfg(not(omit = "operations"))]
                max_response_size: self.max_response_size,
                retry: self.retry,
                rate_limiter: self.rate_limiter,
                default_headers,
                credentials: self.credentials,
                #[cfg(not(omit = "operations"))]
                redactor: Arc::new(redactor),
                hook: self.hook,
                async_hook: self.async_hook,
                #[cfg(not(omit = "operations"))]
                request_id_headers: self.spec.request_id_headers,
            }),
        })
    }
}

#[cfg(not(omit = "operations"))]
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
    /// A credential cannot be sent (a character a header cannot carry, an
    /// invalid header name); which one, redacted, and why.
    InvalidCredential(String),
}

impl fmt::Display for BuildError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            BuildError::MissingBaseUrl => f.write_str("no base URL: call `ClientBuilder::base_url`"),
            BuildError::Http(err) => write!(f, "the HTTP client could not be built: {err}"),
            BuildError::InvalidHeader(name) => write!(f, "default header `{name}` has an invalid name or value"),
            BuildError::InvalidCredential(which) => write!(f, "invalid credential {which}"),
        }
    }
}

impl std::error::Error for BuildError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            BuildError::Http(err) => Some(err),
            BuildError::MissingBaseUrl | BuildError::InvalidHeader(_) | BuildError::InvalidCredential(_) => None,
        }
    }
}
