//! Time as a dependency: every deadline, lockout and billing rule takes its "now" from a
//! [`Clock`], so tests run on a fixed date instead of today's.

use std::sync::Mutex;

use chrono::{DateTime, Duration, NaiveDate, Utc};

/// A source of the current time.
pub trait Clock: Send + Sync + std::fmt::Debug {
    fn now(&self) -> DateTime<Utc>;

    fn today(&self) -> NaiveDate {
        self.now().date_naive()
    }
}

/// The real clock.
#[derive(Debug, Default, Clone, Copy)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> DateTime<Utc> {
        Utc::now()
    }
}

/// A clock that stands still until it is moved; for tests and for replaying scenarios.
#[derive(Debug)]
pub struct ManualClock {
    now: Mutex<DateTime<Utc>>,
}

impl ManualClock {
    pub fn new(now: DateTime<Utc>) -> Self {
        Self {
            now: Mutex::new(now),
        }
    }

    pub fn set(&self, now: DateTime<Utc>) {
        *self
            .now
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner) = now;
    }

    pub fn advance(&self, by: Duration) {
        let mut now = self
            .now
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        *now += by;
    }
}

impl Clock for ManualClock {
    fn now(&self) -> DateTime<Utc> {
        *self
            .now
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

/// The real clock moved by an adjustable offset: time flows as usual, and a test can jump
/// ahead ("fifteen minutes later") without waiting. A test that asserts to the second stops it
/// at a moment (`stop_at`); moving it on then moves the stopped moment.
#[derive(Debug, Default)]
pub struct OffsetClock {
    offset: Mutex<Duration>,
    stopped: Mutex<Option<DateTime<Utc>>>,
}

impl OffsetClock {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn advance(&self, by: Duration) {
        let mut stopped = self
            .stopped
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if let Some(at) = stopped.as_mut() {
            *at += by;
            return;
        }
        let mut offset = self
            .offset
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        *offset += by;
    }

    /// Stops the clock at `at`: it reads `at` until moved on.
    pub fn stop_at(&self, at: DateTime<Utc>) {
        *self
            .stopped
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner) = Some(at);
    }
}

impl Clock for OffsetClock {
    fn now(&self) -> DateTime<Utc> {
        let stopped = *self
            .stopped
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        stopped.unwrap_or_else(|| {
            Utc::now()
                + *self
                    .offset
                    .lock()
                    .unwrap_or_else(std::sync::PoisonError::into_inner)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn manual_clock_moves_only_when_told() {
        let start = Utc.with_ymd_and_hms(2026, 11, 30, 23, 0, 0).unwrap();
        let clock = ManualClock::new(start);
        assert_eq!(clock.now(), start);
        clock.advance(Duration::hours(2));
        assert_eq!(clock.today(), NaiveDate::from_ymd_opt(2026, 12, 1).unwrap());
    }

    #[test]
    fn offset_clock_runs_ahead_of_the_real_one() {
        let clock = OffsetClock::new();
        clock.advance(Duration::days(3));
        let ahead = clock.now() - Utc::now();
        assert!(ahead > Duration::days(3) - Duration::seconds(5) && ahead <= Duration::days(3));
    }
}
