//! Access tokens fetched when they are needed: the [`TokenSource`] trait
//! for any source (a secret store, a device flow…), and
//! [`ClientCredentials`], OAuth 2.0's client-credentials grant (RFC 6749
//! §4.4), which caches its token and fetches a new one shortly before the
//! old one expires (on Tokio's clock).
#![cfg(not(omit = "credential_token"))]

use super::{one_line, Secret};
#[cfg(not(omit = "operations"))]
use super::{Core, Credential, Failure, Operation, Redactor};
#[cfg(not(omit = "operations"))]
use std::sync::Arc;
use std::future::Future;
use std::pin::Pin;
use std::time::Duration;

/// What a token source gives: an access token, or why not.
pub type TokenFuture<'a> =
    Pin<Box<dyn Future<Output = Result<Secret, Box<dyn std::error::Error + Send + Sync>>> + Send + 'a>>;

/// A source of bearer tokens, asked before each call that uses its
/// security scheme; it caches as it sees fit.
pub trait TokenSource: Send + Sync {
    /// A token that is valid now.
    fn token(&self) -> TokenFuture<'_>;
}

/// OAuth 2.0 client credentials: the client's id and secret exchanged at
/// the token endpoint for an access token (sent with HTTP basic
/// authentication, as RFC 6749 recommends), cached until shortly before it
/// expires.
pub struct ClientCredentials {
    token_url: String,
    client_id: String,
    client_secret: Secret,
    scopes: Vec<String>,
    refresh_before: Duration,
    http: reqwest::Client,
    cached: tokio::sync::Mutex<Option<Cached>>,
}

struct Cached {
    token: Secret,
    /// `None`: the server gave no lifetime.
    expires: Option<tokio::time::Instant>,
}

impl std::fmt::Debug for ClientCredentials {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ClientCredentials")
            .field("token_url", &self.token_url)
            .field("client_id", &self.client_id)
            .field("scopes", &self.scopes)
            .finish_non_exhaustive()
    }
}

impl ClientCredentials {
    /// The grant at `token_url` for this client; no scopes asked for, and a
    /// token refreshed 60 s before it expires.
    pub fn new(token_url: impl Into<String>, client_id: impl Into<String>, client_secret: impl Into<Secret>) -> Self {
        let http = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .timeout(Duration::from_secs(30))
            .build()
            .unwrap_or_default();
        Self {
            token_url: token_url.into(),
            client_id: client_id.into(),
            client_secret: client_secret.into(),
            scopes: Vec::new(),
            refresh_before: Duration::from_secs(60),
            http,
            cached: tokio::sync::Mutex::new(None),
        }
    }

    /// The scopes to ask for.
    pub fn scopes(mut self, scopes: impl IntoIterator<Item = impl Into<String>>) -> Self {
        self.scopes = scopes.into_iter().map(Into::into).collect();
        self
    }

    /// How long before its expiry a token is replaced.
    pub fn refresh_before(mut self, margin: Duration) -> Self {
        self.refresh_before = margin;
        self
    }

    async fn current(&self) -> Result<Secret, Box<dyn std::error::Error + Send + Sync>> {
        // One fetch at a time: calls that wait meanwhile get its token.
        let mut cached = self.cached.lock().await;
        let now = tokio::time::Instant::now();
        if let Some(c) = cached.as_ref() {
            if c.expires.is_none_or(|expires| now + self.refresh_before < expires) {
                return Ok(c.token.clone());
            }
        }
        let fresh = self.fetch().await?;
        let token = fresh.token.clone();
        *cached = Some(fresh);
        Ok(token)
    }

    async fn fetch(&self) -> Result<Cached, Box<dyn std::error::Error + Send + Sync>> {
        let mut form = vec![("grant_type", "client_credentials".to_string())];
        if !self.scopes.is_empty() {
            form.push(("scope", self.scopes.join(" ")));
        }
        let body: String =
            form.iter().map(|(k, v)| format!("{k}={}", super::percent_encode(v))).collect::<Vec<_>>().join("&");
        // RFC 6749 §2.3.1: id and secret form-encoded, then basic auth.
        let user = super::percent_encode(&self.client_id);
        let password = super::percent_encode(self.client_secret.expose());
        let basic = super::base64(format!("{user}:{password}").as_bytes());
        let mut authorization = reqwest::header::HeaderValue::from_str(&format!("Basic {basic}"))
            .map_err(|_| "the client id or secret has a character a header cannot carry")?;
        authorization.set_sensitive(true);
        let started = tokio::time::Instant::now();
        let response = self
            .http
            .post(&self.token_url)
            .header(reqwest::header::AUTHORIZATION, authorization)
            .header(reqwest::header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header(reqwest::header::ACCEPT, "application/json")
            .body(body)
            .send()
            .await
            .map_err(|err| format!("the token endpoint could not be reached: {}", err.without_url()))?;
        let status = response.status();
        let text = response.text().await.unwrap_or_default();
        let json: serde_json::Value = serde_json::from_str(&text).unwrap_or(serde_json::Value::Null);
        if !status.is_success() {
            // The server's own words, without anything secret it echoed.
            let said = [json.get("error"), json.get("error_description")]
                .into_iter()
                .flatten()
                .filter_map(serde_json::Value::as_str)
                .collect::<Vec<_>>()
                .join(": ")
                .replace(self.client_secret.expose(), "<redacted>");
            return Err(format!("the token endpoint answered {status}: {}", one_line(&said, 300)).into());
        }
        let token = json
            .get("access_token")
            .and_then(serde_json::Value::as_str)
            .ok_or("the token endpoint's answer has no `access_token`")?;
        let expires = json
            .get("expires_in")
            .and_then(|v| v.as_u64().or_else(|| v.as_str().and_then(|s| s.parse().ok())))
            .map(|seconds| started + Duration::from_secs(seconds));
        Ok(Cached { token: Secret::from(token.to_string()), expires })
    }
}

impl TokenSource for ClientCredentials {
    fn token(&self) -> TokenFuture<'_> {
        Box::pin(self.current())
    }
}

#[cfg(not(omit = "operations"))]
/// The request with the tokens its security alternative
/// ([`Operation::credentials_to_send`]) needs from token sources, each as a
/// bearer credential that error texts are scrubbed of.
pub(crate) async fn add_tokens(
    core: &Core,
    operation: &Operation,
    mut request: reqwest::Request,
    redactor: &mut Arc<Redactor>,
) -> Result<reqwest::Request, Failure> {
    for index in operation.credentials_to_send(core) {
        if let Some(Some(Credential::Token(source))) = core.credentials.get(*index) {
            let token = source
                .token()
                .await
                .map_err(|err| Failure::InvalidRequest(core.redactor.text(&format!("no access token: {err}"))))?;
            Arc::make_mut(redactor).add(token.expose());
            Credential::Bearer(token).apply(&mut request).map_err(Failure::InvalidRequest)?;
        }
    }
    Ok(request)
}
