//! When and how long to wait before trying again: exponential backoff with jitter, the
//! vendor's `Retry-After`, all within the operation's total deadline.
//!
//! Which failures may be retried at all is the retry class's business
//! ([`super::error::ClientError::is_retryable`]); this module only decides the wait.

use std::time::{Duration, SystemTime};

/// How often and how far apart failed attempts are retried.
///
/// The defaults (5 attempts, waits of about 0.5, 1, 2 and 4 s — each scaled by a random
/// factor in [0.5, 1] — capped at 8 s) ride out an outage of a few seconds, a gateway
/// restart or a short rate limit: a read answered 503 three times and then 200 succeeds, and
/// the waits add up to 4–8 s, well within the 60 s read deadline
/// ([`super::config::Timeouts::read`]). Jitter keeps clients that failed together from
/// retrying together.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Attempts in all, the first included (1 = no retry).
    pub max_attempts: u32,
    /// Wait before the first retry; doubled for each further one.
    pub initial_backoff: Duration,
    /// Longest wait between two attempts computed by backoff (a longer `Retry-After` is
    /// honoured, within the deadline).
    pub max_backoff: Duration,
    /// Retry paid operations (OCR uploads) on server errors, timeouts and broken connections
    /// too, at the risk of paying twice; off by default (see
    /// [`super::operation::RetryClass::Paid`]).
    pub retry_paid_on_server_errors: bool,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            max_attempts: 5,
            initial_backoff: Duration::from_millis(500),
            max_backoff: Duration::from_secs(8),
            retry_paid_on_server_errors: false,
        }
    }
}

impl RetryPolicy {
    /// One attempt, no retry.
    pub fn none() -> Self {
        RetryPolicy {
            max_attempts: 1,
            ..RetryPolicy::default()
        }
    }

    /// The wait before retry number `retry` (1-based): `initial * 2^(retry-1)`, capped at
    /// `max_backoff`, then scaled by a random factor in [0.5, 1.0].
    pub fn backoff(&self, retry: u32) -> Duration {
        let exponent = retry.saturating_sub(1).min(20);
        let base = self
            .initial_backoff
            .saturating_mul(1u32 << exponent)
            .min(self.max_backoff);
        base.mul_f64(rand::random_range(0.5..=1.0))
    }

    /// The wait before the attempt after `attempt` (1-based), or `None` when there must be
    /// none: attempts are used up, or the next one could not start before `remaining` (the
    /// time left until the deadline) runs out. The wait is the backoff or the vendor's
    /// `retry_after`, whichever is longer; a `Retry-After` beyond the deadline ends the
    /// retries at once rather than waiting in vain.
    pub fn next_wait(
        &self,
        attempt: u32,
        retry_after: Option<Duration>,
        remaining: Duration,
    ) -> Option<Duration> {
        if attempt >= self.max_attempts {
            return None;
        }
        let wait = self
            .backoff(attempt)
            .max(retry_after.unwrap_or(Duration::ZERO));
        (wait < remaining).then_some(wait)
    }
}

/// The longest `Retry-After` read (a day); longer values are taken as this, which no deadline
/// reaches anyway.
const MAX_RETRY_AFTER: Duration = Duration::from_secs(24 * 60 * 60);

/// Reads a `Retry-After` value: delay-seconds (`120`) or an HTTP date
/// (`Wed, 21 Oct 2015 07:28:00 GMT`, relative to `now`; a date in the past means no wait).
/// `None` when it is neither.
pub fn parse_retry_after(value: &str, now: SystemTime) -> Option<Duration> {
    let value = value.trim();
    if !value.is_empty() && value.bytes().all(|b| b.is_ascii_digit()) {
        // Too many digits for u64 still means "a long time".
        let seconds = value.parse::<u64>().unwrap_or(u64::MAX);
        return Some(Duration::from_secs(seconds).min(MAX_RETRY_AFTER));
    }
    let date = httpdate::parse_http_date(value).ok()?;
    Some(
        date.duration_since(now)
            .unwrap_or(Duration::ZERO)
            .min(MAX_RETRY_AFTER),
    )
}

#[cfg(test)]
mod tests {
    use std::time::UNIX_EPOCH;

    use super::*;

    fn policy() -> RetryPolicy {
        RetryPolicy {
            max_attempts: 10,
            initial_backoff: Duration::from_millis(100),
            max_backoff: Duration::from_secs(1),
            retry_paid_on_server_errors: false,
        }
    }

    #[test]
    fn backoff_doubles_with_jitter_and_is_capped() {
        let policy = policy();
        for _ in 0..200 {
            let first = policy.backoff(1);
            assert!(
                first >= Duration::from_millis(50) && first <= Duration::from_millis(100),
                "{first:?}"
            );
            let third = policy.backoff(3);
            assert!(
                third >= Duration::from_millis(200) && third <= Duration::from_millis(400),
                "{third:?}"
            );
            let late = policy.backoff(30);
            assert!(
                late >= Duration::from_millis(500) && late <= Duration::from_secs(1),
                "{late:?}"
            );
        }
    }

    #[test]
    fn defaults_ride_out_three_failures_within_the_read_deadline() {
        let policy = RetryPolicy::default();
        let mut total = Duration::ZERO;
        for attempt in 1..=3 {
            total += policy
                .next_wait(attempt, None, Duration::from_secs(60) - total)
                .expect("retried");
        }
        assert!(total >= Duration::from_millis(1750), "{total:?}");
        assert!(total <= Duration::from_secs(60), "{total:?}");
        assert_eq!(policy.next_wait(5, None, Duration::from_secs(60)), None);
    }

    #[test]
    fn retry_after_is_honoured_within_the_deadline() {
        let policy = policy();
        let long = Duration::from_secs(5);
        assert_eq!(
            policy.next_wait(1, Some(long), Duration::from_secs(60)),
            Some(long)
        );
        assert_eq!(
            policy.next_wait(1, Some(long), Duration::from_secs(4)),
            None
        );
        assert_eq!(policy.next_wait(1, None, Duration::from_millis(10)), None);
    }

    #[test]
    fn retry_after_seconds_and_dates() {
        let now = UNIX_EPOCH + Duration::from_secs(1_445_412_470);
        assert_eq!(parse_retry_after(" 1 ", now), Some(Duration::from_secs(1)));
        assert_eq!(
            parse_retry_after("99999999999999999999999", now),
            Some(MAX_RETRY_AFTER)
        );
        // 2015-10-21T07:28:00Z is 10 s after `now`.
        assert_eq!(
            parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT", now),
            Some(Duration::from_secs(10))
        );
        assert_eq!(
            parse_retry_after("Wed, 21 Oct 2015 07:00:00 GMT", now),
            Some(Duration::ZERO)
        );
        assert_eq!(parse_retry_after("soon", now), None);
        assert_eq!(parse_retry_after("-1", now), None);
        assert_eq!(parse_retry_after("", now), None);
    }
}
