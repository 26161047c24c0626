//! The rate limiter: sliding windows on tokio's clock, shared by clones.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

/// Keeps requests under a server's rate limits on the client's side, so a
/// burst waits instead of drawing 429s.
///
/// Each window allows at most `max` requests in any `period` (a sliding
/// window); a request that would exceed one waits until its oldest request
/// ages out, and waiting requests go in the order they came. Every attempt
/// counts, retries included, and a 429 with `Retry-After` pauses the
/// requests the limiter paces for that long: every request, or with
/// [`mutations_only`](Self::mutations_only) the mutations only (a 429 on a
/// read then pauses nothing). Clones share their state (windows, counts and
/// settings), so one limiter can pace several clients that share a quota.
/// It runs on Tokio's clock.
#[derive(Clone, Default)]
pub struct RateLimiter {
    shared: Arc<LimiterShared>,
}

#[derive(Default)]
struct LimiterShared {
    #[cfg(not(omit = "operations"))]
    /// Waiters take turns in arrival order (Tokio's mutex is fair).
    turn: tokio::sync::Mutex<()>,
    state: std::sync::Mutex<LimiterState>,
}

#[derive(Default)]
struct LimiterState {
    windows: Vec<Window>,
    mutations_only: bool,
    #[cfg(not(omit = "operations"))]
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
        let windows: Vec<String> =
            state.windows.iter().map(|w| format!("{} per {:?} ({} counted)", w.max, w.period, w.sent.len())).collect();
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

    #[cfg(not(omit = "operations"))]
    /// Holds back the requests it paces for `wait` (a server's
    /// `Retry-After` to a request with `method`). A read under
    /// `mutations_only` is not paced, and its 429 pauses nothing.
    pub(crate) fn pause_for(&self, wait: Duration, method: &reqwest::Method) {
        let mut state = self.state();
        if state.mutations_only && is_read(method) {
            return;
        }
        let now = tokio::time::Instant::now();
        // A wait too long for the clock is as good as forever.
        let until = now.checked_add(wait).unwrap_or_else(|| far_future(now));
        state.paused_until = Some(state.paused_until.map_or(until, |current| current.max(until)));
    }

    #[cfg(not(omit = "operations"))]
    /// Waits until a request with `method` fits in every window, then
    /// counts it; the time waited.
    pub(crate) async fn acquire(&self, method: &reqwest::Method) -> Duration {
        {
            let state = self.state();
            if state.windows.is_empty() && state.paused_until.is_none() || (state.mutations_only && is_read(method)) {
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

#[cfg(not(omit = "operations"))]
/// GET, HEAD and OPTIONS change nothing.
fn is_read(method: &reqwest::Method) -> bool {
    use reqwest::Method;
    // QUERY (OpenAPI 3.2) reads, with a body.
    [Method::GET, Method::HEAD, Method::OPTIONS].contains(method) || method.as_str() == "QUERY"
}

#[cfg(not(omit = "operations"))]
/// About thirty years from `now`, or as far as the clock goes.
fn far_future(now: tokio::time::Instant) -> tokio::time::Instant {
    let mut wait = Duration::from_secs(30 * 365 * 24 * 3600);
    loop {
        if let Some(until) = now.checked_add(wait) {
            return until;
        }
        if wait.is_zero() {
            return now;
        }
        wait /= 2;
    }
}
