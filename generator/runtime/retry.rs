//! Retries: the policy, what a failure proves, and `Retry-After`.

use std::time::Duration;

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
    pub(crate) max_attempts: u32,
    initial_backoff: Duration,
    max_backoff: Duration,
    pub(crate) max_retry_after: Duration,
    rate_limited_backoff: Duration,
    pub(crate) retry_non_idempotent: bool,
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

#[cfg(not(omit = "operations"))]
/// What an attempt ended with, as the retry decision sees it.
pub(crate) enum Attempted<'a> {
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

    #[cfg(not(omit = "operations"))]
    /// How long to wait before retrying after `attempted` (the `retry`-th
    /// retry comes next), and why; `None` when it must not be retried.
    pub(crate) fn retry_wait(
        &self,
        attempted: Attempted<'_>,
        idempotent: bool,
        retry: u32,
        now: std::time::SystemTime,
    ) -> Option<(Duration, &'static str)> {
        match attempted {
            Attempted::Status(status, headers) => {
                let code = status.as_u16();
                let may = code == 429 || (idempotent && matches!(code, 408 | 500 | 502 | 503 | 504));
                if !may {
                    return None;
                }
                match retry_after(headers, now) {
                    Some(wait) if wait > self.max_retry_after => None,
                    Some(wait) => {
                        Some((wait.saturating_add(jitter(wait / 10).min(Duration::from_secs(1))), "retry-after"))
                    }
                    None if code == 429 => Some((self.rate_limited_wait(retry), "rate limited")),
                    None => Some((self.backoff(retry), "server error")),
                }
            }
            Attempted::Transport(err) if err.is_connect() => Some((self.backoff(retry), "connection failed")),
            Attempted::Transport(err) if idempotent && err.is_timeout() => Some((self.backoff(retry), "timeout")),
            Attempted::Transport(err) if idempotent && connection_closed(err) => {
                Some((self.backoff(retry), "connection closed"))
            }
            Attempted::Transport(_) => None,
        }
    }

    #[cfg(not(omit = "operations"))]
    /// A random wait up to the exponential cap for the given retry (1 is
    /// the first): "full jitter", so many clients do not retry in step.
    pub(crate) fn backoff(&self, retry: u32) -> Duration {
        let exponent = retry.saturating_sub(1).min(30);
        jitter(self.initial_backoff.saturating_mul(1 << exponent).min(self.max_backoff))
    }

    #[cfg(not(omit = "operations"))]
    /// Between the floor and twice it, the floor doubling with each retry
    /// (capped at the larger of `max_backoff` and the floor).
    pub(crate) fn rate_limited_wait(&self, retry: u32) -> Duration {
        let exponent = retry.saturating_sub(1).min(30);
        let floor = self
            .rate_limited_backoff
            .saturating_mul(1 << exponent)
            .min(self.max_backoff.max(self.rate_limited_backoff));
        floor.saturating_add(jitter(floor))
    }
}

#[cfg(not(omit = "operations"))]
/// A random duration from zero to `cap`.
pub(crate) fn jitter(cap: Duration) -> Duration {
    let nanos = u64::try_from(cap.as_nanos()).unwrap_or(u64::MAX);
    match nanos.checked_add(1) {
        Some(0) | None => Duration::from_nanos(random_u64()),
        Some(bound) if bound <= 1 => Duration::ZERO,
        Some(bound) => Duration::from_nanos(random_u64() % bound),
    }
}

#[cfg(not(omit = "operations"))]
/// A random number from the standard library's hasher seeds (no extra
/// dependency; jitter needs no cryptographic quality).
pub(crate) fn random_u64() -> u64 {
    use std::hash::{BuildHasher, Hasher};
    let mut hasher = std::collections::hash_map::RandomState::new().build_hasher();
    hasher.write_u128(std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_nanos()));
    hasher.finish()
}

/// A pooled connection the server had closed (reset, or closed before the
/// response was complete): the request may not have been processed.
pub(crate) fn connection_closed(err: &reqwest::Error) -> bool {
    let mut source: Option<&(dyn std::error::Error + 'static)> = std::error::Error::source(err);
    while let Some(current) = source {
        if let Some(hyper) = current.downcast_ref::<hyper::Error>() {
            if hyper.is_incomplete_message() || hyper.is_closed() || hyper.is_canceled() {
                return true;
            }
        }
        if let Some(io) = current.downcast_ref::<std::io::Error>() {
            use std::io::ErrorKind;
            if matches!(
                io.kind(),
                ErrorKind::ConnectionReset
                    | ErrorKind::ConnectionAborted
                    | ErrorKind::BrokenPipe
                    | ErrorKind::UnexpectedEof
            ) {
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
pub(crate) fn parse_http_date(text: &str) -> Option<u64> {
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
    if clock.next().is_some()
        || !(1..=31).contains(&day)
        || hour > 23
        || minute > 59
        || second > 60
        || !(1970..=9999).contains(&year)
    {
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

#[cfg(not(omit = "operations"))]
/// A random (version 4) UUID, as text.
pub(crate) fn uuid_v4() -> String {
    let (high, low) = (random_u64(), random_u64());
    let mut bytes = [0u8; 16];
    bytes[..8].copy_from_slice(&high.to_be_bytes());
    bytes[8..].copy_from_slice(&low.to_be_bytes());
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    format!("{}-{}-{}-{}-{}", &hex[..8], &hex[8..12], &hex[12..16], &hex[16..20], &hex[20..])
}
