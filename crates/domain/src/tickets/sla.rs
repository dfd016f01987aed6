//! SLA clocks: first response, next update and resolution, each a target per priority
//! measured on a business calendar (opening hours per weekday, the days off the complaint
//! clock uses) or around the clock for critical faults. Waiting for the customer pauses them.
//!
//! [`evaluate`] computes every clock from the ticket's history alone, so nothing is stored
//! that could drift: changing the opening hours or loading a holiday recomputes every ticket.

use chrono::{Datelike, Duration, NaiveDate, NaiveDateTime, NaiveTime, Weekday};

use super::TicketStatus;
use crate::complaints::Calendar;

/// From what share of its target on a clock is near a breach, in percent.
pub const NEAR_PERCENT: i64 = 80;

/// Longest span the clocks look across, in days: ten years of history is a data error.
const MAX_DAYS: i64 = 3700;

/// When the office works on one day, local time; `closes` after `opens`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Opening {
    pub opens: NaiveTime,
    pub closes: NaiveTime,
}

/// Opening hours per weekday, Monday first; `None` is closed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OpeningHours {
    days: [Option<Opening>; 7],
}

impl OpeningHours {
    pub fn new(days: [Option<Opening>; 7]) -> Self {
        Self { days }
    }

    /// Monday to Friday, 8:00 to 18:00: what an operator starts with.
    pub fn office() -> Self {
        let day = NaiveTime::from_hms_opt(8, 0, 0)
            .zip(NaiveTime::from_hms_opt(18, 0, 0))
            .map(|(opens, closes)| Opening { opens, closes });
        Self::new([day, day, day, day, day, None, None])
    }

    pub fn on(&self, weekday: Weekday) -> Option<Opening> {
        self.days
            .get(weekday.num_days_from_monday() as usize)
            .copied()
            .flatten()
    }

    /// The hours of the first weekday that has any: a weekend day made working by decree
    /// works like an ordinary one.
    fn usual(&self) -> Option<Opening> {
        self.days.iter().flatten().next().copied()
    }
}

/// The business calendar of the SLA clocks: opening hours and the days off.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BusinessCalendar {
    pub hours: OpeningHours,
    pub days_off: Calendar,
}

impl BusinessCalendar {
    /// When the office works on `day`: closed on a holiday; a weekend day made working by
    /// decree opens like a usual day when the weekday itself has no hours.
    pub fn opening(&self, day: NaiveDate) -> Option<Opening> {
        if self.days_off.is_holiday(day) {
            return None;
        }
        self.hours.on(day.weekday()).or_else(|| {
            self.days_off
                .working_days
                .contains(&day)
                .then(|| self.hours.usual())
                .flatten()
        })
    }
}

/// How a clock counts time: every second, or only the business calendar's open hours.
#[derive(Debug, Clone, Copy)]
pub enum Measure<'a> {
    AroundTheClock,
    Business(&'a BusinessCalendar),
}

impl Measure<'_> {
    /// Counted seconds in `[from, to)`; none when `to` is not after `from`.
    pub fn seconds_between(self, from: NaiveDateTime, to: NaiveDateTime) -> i64 {
        if to <= from {
            return 0;
        }
        match self {
            Measure::AroundTheClock => (to - from).num_seconds(),
            Measure::Business(calendar) => {
                let mut total = 0;
                let mut day = from.date();
                for _ in 0..MAX_DAYS {
                    if day > to.date() {
                        break;
                    }
                    if let Some(opening) = calendar.opening(day) {
                        let start = from.max(day.and_time(opening.opens));
                        let end = to.min(day.and_time(opening.closes));
                        if end > start {
                            total += (end - start).num_seconds();
                        }
                    }
                    day += Duration::days(1);
                }
                total
            }
        }
    }

    /// The moment `seconds` counted seconds after `from`; `None` when the calendar has no
    /// open hours within ten years.
    pub fn add_seconds(self, from: NaiveDateTime, seconds: i64) -> Option<NaiveDateTime> {
        if seconds <= 0 {
            return Some(from);
        }
        match self {
            Measure::AroundTheClock => from.checked_add_signed(Duration::seconds(seconds)),
            Measure::Business(calendar) => {
                let mut remaining = seconds;
                let mut day = from.date();
                for _ in 0..MAX_DAYS {
                    if let Some(opening) = calendar.opening(day) {
                        let start = from.max(day.and_time(opening.opens));
                        let end = day.and_time(opening.closes);
                        if end > start {
                            let open = (end - start).num_seconds();
                            if remaining <= open {
                                return Some(start + Duration::seconds(remaining));
                            }
                            remaining -= open;
                        }
                    }
                    day += Duration::days(1);
                }
                None
            }
        }
    }
}

/// The targets of one priority, in counted minutes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SlaTargets {
    pub first_response_minutes: u32,
    pub next_update_minutes: u32,
    pub resolution_minutes: u32,
    /// Counted around the clock rather than on business hours.
    pub around_the_clock: bool,
}

/// What on a ticket's history moves the clocks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SlaMark {
    Opened,
    Status(TicketStatus),
    /// Staff wrote to the customer (a comment the customer sees).
    StaffReply,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SlaEvent {
    /// Local wall-clock time, where the opening hours hold.
    pub at: NaiveDateTime,
    pub mark: SlaMark,
}

wire_enum! {
    /// Where one SLA clock stands.
    pub enum SlaClockState {
        /// Counting, within its target.
        Running,
        /// Stopped for now: the ticket waits for the customer.
        Paused,
        /// Stopped within its target.
        Met,
        /// Past its target, counting or stopped.
        Breached,
    }
}

wire_enum! {
    /// A ticket's SLA at a glance, as the queues colour it: the worst of its clocks.
    pub enum SlaFlag {
        /// Every running clock is within its target.
        Ok,
        /// A running clock used 80 % of its target.
        Near,
        Breached,
        /// Waiting for the customer.
        Paused,
        /// Resolved within every target.
        Met,
    }
}

/// One clock: its target, what it used, and for a running one when it is due.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SlaClock {
    pub target_minutes: u32,
    /// Counted minutes used, whole minutes.
    pub used_minutes: i64,
    /// Counted minutes left; negative when breached.
    pub left_minutes: i64,
    pub state: SlaClockState,
    /// Used at least [`NEAR_PERCENT`] of its target and not yet breached.
    pub near: bool,
    /// When a running clock reaches its target (local time).
    pub due_at: Option<NaiveDateTime>,
    /// Still counting now (breached or not).
    pub counting: bool,
    /// Stopped only while the ticket waits for the customer.
    pub waiting: bool,
}

/// The three clocks of a ticket.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SlaReport {
    pub first_response: SlaClock,
    /// Measured from the latest reply while the ticket is open; `None` before the first
    /// response and once resolved.
    pub next_update: Option<SlaClock>,
    pub resolution: SlaClock,
    /// How many times an update came later than its target (for the reports).
    pub late_updates: u32,
}

impl SlaReport {
    fn clocks(&self) -> impl Iterator<Item = &SlaClock> {
        [
            Some(&self.first_response),
            self.next_update.as_ref(),
            Some(&self.resolution),
        ]
        .into_iter()
        .flatten()
    }

    /// The ticket's flag: breached if any clock is, then near, then running, paused, met.
    pub fn flag(&self) -> SlaFlag {
        let clocks: Vec<&SlaClock> = self.clocks().collect();
        if clocks.iter().any(|c| c.state == SlaClockState::Breached) {
            SlaFlag::Breached
        } else if clocks
            .iter()
            .any(|c| c.near && c.state == SlaClockState::Running)
        {
            SlaFlag::Near
        } else if clocks.iter().any(|c| c.state == SlaClockState::Running) {
            SlaFlag::Ok
        } else if clocks.iter().any(|c| c.state == SlaClockState::Paused) {
            SlaFlag::Paused
        } else {
            SlaFlag::Met
        }
    }

    /// The order of a queue ("SLA order"): counting tickets first, the least time left
    /// (most overdue) first; then paused ones by time left; then those with no clock running.
    pub fn queue_key(&self) -> (u8, i64) {
        let least_left = |pick: fn(&SlaClock) -> bool| {
            self.clocks()
                .filter(|c| pick(c))
                .map(|c| c.left_minutes)
                .min()
        };
        if let Some(left) = least_left(|c| c.counting) {
            (0, left)
        } else if let Some(left) = least_left(|c| c.waiting) {
            (1, left)
        } else {
            (2, 0)
        }
    }
}

/// Whether the clocks count while the ticket is in `status`.
fn counts(status: TicketStatus) -> bool {
    status.is_open() && status != TicketStatus::WaitingForCustomer
}

/// A clock from the seconds it used and whether it still runs.
fn clock(
    measure: Measure<'_>,
    target_minutes: u32,
    used_seconds: i64,
    running: Option<bool>,
    now: NaiveDateTime,
) -> SlaClock {
    let target_seconds = i64::from(target_minutes) * 60;
    let breached = used_seconds > target_seconds;
    let state = match running {
        _ if breached => SlaClockState::Breached,
        Some(true) => SlaClockState::Running,
        Some(false) => SlaClockState::Paused,
        None => SlaClockState::Met,
    };
    let near =
        !breached && running.is_some() && used_seconds * 100 >= target_seconds * NEAR_PERCENT;
    let due_at = (running == Some(true) && !breached)
        .then(|| measure.add_seconds(now, target_seconds - used_seconds))
        .flatten();
    SlaClock {
        target_minutes,
        used_minutes: used_seconds / 60,
        left_minutes: (target_seconds - used_seconds).div_euclid(60),
        state,
        near,
        due_at,
        counting: running == Some(true),
        waiting: running == Some(false),
    }
}

/// The clocks of a ticket with `history` (in any order; `Opened` first in time) at `now`.
/// A breached clock that still counts keeps `left_minutes` falling below zero.
pub fn evaluate(
    history: &[SlaEvent],
    targets: &SlaTargets,
    calendar: &BusinessCalendar,
    now: NaiveDateTime,
) -> SlaReport {
    let measure = if targets.around_the_clock {
        Measure::AroundTheClock
    } else {
        Measure::Business(calendar)
    };
    let mut events = history.to_vec();
    events.sort_by_key(|e| e.at);

    let mut status = TicketStatus::New;
    let mut last: Option<NaiveDateTime> = None;
    let mut first_used = 0;
    let mut responded = false;
    let mut since_update: Option<i64> = None;
    let mut resolution_used = 0;
    let mut late_updates = 0;
    let update_target = i64::from(targets.next_update_minutes) * 60;

    let count = |from: NaiveDateTime,
                 to: NaiveDateTime,
                 status: TicketStatus,
                 responded: bool,
                 since_update: &mut Option<i64>| {
        if !counts(status) {
            return (0, 0);
        }
        let seconds = measure.seconds_between(from, to);
        if let Some(used) = since_update.as_mut() {
            *used += seconds;
        }
        (if responded { 0 } else { seconds }, seconds)
    };

    for event in events.iter().filter(|e| e.at <= now) {
        if let Some(from) = last {
            let (first, resolution) = count(from, event.at, status, responded, &mut since_update);
            first_used += first;
            resolution_used += resolution;
        }
        match event.mark {
            SlaMark::Opened => {}
            SlaMark::StaffReply => {
                responded = true;
                if since_update.is_some_and(|used| used > update_target) {
                    late_updates += 1;
                }
                since_update = Some(0);
            }
            SlaMark::Status(next) => {
                status = next;
                if !next.is_open() {
                    // Resolving answers the customer: it is a response, and no update is due.
                    responded = true;
                    if since_update.is_some_and(|used| used > update_target) {
                        late_updates += 1;
                    }
                    since_update = None;
                } else if since_update.is_none() && responded {
                    // Reopened after a response: updates are due again from now.
                    since_update = Some(0);
                }
            }
        }
        last = Some(event.at);
    }
    if let Some(from) = last {
        let (first, resolution) = count(from, now, status, responded, &mut since_update);
        first_used += first;
        resolution_used += resolution;
    }

    let running = if status.is_open() {
        Some(counts(status))
    } else {
        None
    };
    SlaReport {
        first_response: clock(
            measure,
            targets.first_response_minutes,
            first_used,
            if responded { None } else { running },
            now,
        ),
        next_update: since_update
            .filter(|_| status.is_open())
            .map(|used| clock(measure, targets.next_update_minutes, used, running, now)),
        resolution: clock(
            measure,
            targets.resolution_minutes,
            resolution_used,
            running,
            now,
        ),
        late_updates,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::complaints::{CalendarDayKind, Jurisdiction};
    use proptest::prelude::*;

    fn at(y: i32, m: u32, d: u32, h: u32, min: u32) -> NaiveDateTime {
        NaiveDate::from_ymd_opt(y, m, d)
            .and_then(|day| day.and_hms_opt(h, min, 0))
            .unwrap_or_default()
    }

    fn polish_office() -> BusinessCalendar {
        BusinessCalendar {
            hours: OpeningHours::office(),
            days_off: Calendar::new(Jurisdiction::Pl, []),
        }
    }

    fn targets(first: u32, update: u32, resolution: u32) -> SlaTargets {
        SlaTargets {
            first_response_minutes: first,
            next_update_minutes: update,
            resolution_minutes: resolution,
            around_the_clock: false,
        }
    }

    fn opened(at: NaiveDateTime) -> SlaEvent {
        SlaEvent {
            at,
            mark: SlaMark::Opened,
        }
    }

    fn status(at: NaiveDateTime, to: TicketStatus) -> SlaEvent {
        SlaEvent {
            at,
            mark: SlaMark::Status(to),
        }
    }

    #[test]
    fn a_weekend_does_not_count() {
        let calendar = polish_office();
        // Friday 4 December 2026, 17:00: one office hour left that week.
        let history = [opened(at(2026, 12, 4, 17, 0))];
        let report = evaluate(
            &history,
            &targets(120, 240, 240),
            &calendar,
            at(2026, 12, 7, 9, 0),
        );
        // Friday 17–18 and Monday 8–9.
        assert_eq!(report.resolution.used_minutes, 120);
        assert_eq!(report.resolution.due_at, Some(at(2026, 12, 7, 11, 0)));
        assert!(!report.resolution.near);
        // The first response is due this very minute: near, not yet breached.
        assert_eq!(report.first_response.state, SlaClockState::Running);
        assert_eq!(report.first_response.left_minutes, 0);
        assert_eq!(report.flag(), SlaFlag::Near);
        let later = evaluate(
            &history,
            &targets(120, 240, 240),
            &calendar,
            at(2026, 12, 7, 9, 1),
        );
        assert_eq!(later.first_response.state, SlaClockState::Breached);
        assert_eq!(later.flag(), SlaFlag::Breached);
    }

    #[test]
    fn a_holiday_does_not_count_and_a_loaded_one_neither() {
        // Tuesday 10 November 2026, 17:00; the 11th is Independence Day.
        let calendar = polish_office();
        let history = [opened(at(2026, 11, 10, 17, 0))];
        let report = evaluate(
            &history,
            &targets(90, 60, 180),
            &calendar,
            at(2026, 11, 10, 17, 30),
        );
        assert_eq!(report.resolution.due_at, Some(at(2026, 11, 12, 10, 0)));
        assert_eq!(report.first_response.due_at, Some(at(2026, 11, 12, 8, 30)));
        // A day the admin loads as a holiday moves it again: the clocks are recomputed.
        let mut loaded = calendar.clone();
        loaded.days_off = Calendar::new(
            Jurisdiction::Pl,
            [(
                NaiveDate::from_ymd_opt(2026, 11, 12).unwrap_or_default(),
                CalendarDayKind::Holiday,
            )],
        );
        let report = evaluate(
            &history,
            &targets(90, 60, 180),
            &loaded,
            at(2026, 11, 10, 17, 30),
        );
        assert_eq!(report.resolution.due_at, Some(at(2026, 11, 13, 10, 0)));
    }

    #[test]
    fn waiting_for_the_customer_pauses_every_clock() {
        let calendar = polish_office();
        let history = [
            opened(at(2026, 12, 1, 9, 0)),
            SlaEvent {
                at: at(2026, 12, 1, 9, 30),
                mark: SlaMark::StaffReply,
            },
            status(at(2026, 12, 1, 10, 0), TicketStatus::WaitingForCustomer),
            status(at(2026, 12, 3, 10, 0), TicketStatus::InProgress),
        ];
        let t = targets(60, 110, 480);
        let paused = evaluate(&history[..3], &t, &calendar, at(2026, 12, 2, 17, 0));
        assert_eq!(paused.resolution.used_minutes, 60);
        assert_eq!(paused.resolution.state, SlaClockState::Paused);
        assert_eq!(paused.flag(), SlaFlag::Paused);
        assert_eq!(paused.first_response.state, SlaClockState::Met);
        assert_eq!(paused.first_response.used_minutes, 30);
        let report = evaluate(&history, &t, &calendar, at(2026, 12, 3, 11, 0));
        assert_eq!(report.resolution.used_minutes, 120);
        // The update clock counted 9:30–10:00 and 10:00–11:00 on the 3rd.
        assert_eq!(report.next_update.map(|c| c.used_minutes), Some(90));
        assert_eq!(report.flag(), SlaFlag::Near);
        assert_eq!(report.resolution.due_at, Some(at(2026, 12, 3, 17, 0)));
    }

    #[test]
    fn resolving_stops_the_clocks_and_reopening_resumes_them() {
        let calendar = polish_office();
        let t = targets(60, 120, 240);
        let mut history = vec![
            opened(at(2026, 12, 1, 9, 0)),
            status(at(2026, 12, 1, 11, 0), TicketStatus::Resolved),
        ];
        let resolved = evaluate(&history, &t, &calendar, at(2026, 12, 8, 9, 0));
        assert_eq!(resolved.resolution.state, SlaClockState::Met);
        assert_eq!(resolved.resolution.used_minutes, 120);
        // Resolving is the first answer, but a late one.
        assert_eq!(resolved.first_response.state, SlaClockState::Breached);
        assert_eq!(resolved.next_update, None);
        assert_eq!(resolved.queue_key().0, 2);
        history.push(status(at(2026, 12, 2, 9, 0), TicketStatus::Reopened));
        let reopened = evaluate(&history, &t, &calendar, at(2026, 12, 2, 11, 30));
        assert_eq!(reopened.resolution.used_minutes, 270);
        assert_eq!(reopened.resolution.state, SlaClockState::Breached);
        assert_eq!(reopened.resolution.left_minutes, -30);
        assert_eq!(reopened.queue_key(), (0, -30));
    }

    #[test]
    fn critical_faults_count_around_the_clock() {
        let calendar = polish_office();
        let t = SlaTargets {
            around_the_clock: true,
            ..targets(15, 60, 240)
        };
        let history = [opened(at(2026, 12, 5, 23, 0))];
        let report = evaluate(&history, &t, &calendar, at(2026, 12, 6, 1, 0));
        assert_eq!(report.resolution.used_minutes, 120);
        assert_eq!(report.resolution.due_at, Some(at(2026, 12, 6, 3, 0)));
    }

    #[test]
    fn late_updates_are_counted() {
        let calendar = polish_office();
        let reply = |h| SlaEvent {
            at: at(2026, 12, 1, h, 0),
            mark: SlaMark::StaffReply,
        };
        let history = [
            opened(at(2026, 12, 1, 8, 0)),
            reply(9),
            reply(10),
            reply(13),
        ];
        let report = evaluate(
            &history,
            &targets(60, 120, 600),
            &calendar,
            at(2026, 12, 1, 14, 0),
        );
        assert_eq!(report.late_updates, 1);
        assert_eq!(report.next_update.map(|c| c.used_minutes), Some(60));
    }

    fn any_moment() -> impl Strategy<Value = NaiveDateTime> {
        (0i64..(400 * 24 * 60))
            .prop_map(|minutes| at(2026, 1, 1, 0, 0) + Duration::minutes(minutes))
    }

    proptest! {
        /// Adding counted time and measuring it back give the same time, and the parts of a
        /// span add up to the whole.
        #[test]
        fn counted_time_adds_up(from in any_moment(), minutes in 0i64..20_000, split in 0i64..20_000) {
            let calendar = polish_office();
            let measure = Measure::Business(&calendar);
            let due = measure.add_seconds(from, minutes * 60).unwrap_or(from);
            prop_assert_eq!(measure.seconds_between(from, due), minutes * 60);
            let middle = from + Duration::minutes(split);
            let end = from + Duration::minutes(20_000);
            prop_assert_eq!(
                measure.seconds_between(from, middle) + measure.seconds_between(middle, end),
                measure.seconds_between(from, end)
            );
            // A due moment is inside open hours unless nothing was to be counted.
            if minutes > 0 {
                let opening = calendar.opening(due.date());
                prop_assert!(opening.is_some_and(|o| o.opens < due.time() && due.time() <= o.closes));
            }
        }
    }
}
