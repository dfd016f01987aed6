//! Complaints and their legal clock (R-40..R-46): the deadlines of a jurisdiction's law (or an
//! operator's tighter promise), counted on a calendar of days off; who may decide what; the
//! compensation a decision grants; repeat complaints and the topic rating.
//!
//! Every deadline comes from [`Deadlines::of`]; the table of deadlines with their sources is in
//! `docs/rules.md`.

use std::collections::BTreeSet;

use chrono::{Datelike, Duration, NaiveDate, Weekday};

use crate::calendar::is_polish_public_holiday;
use crate::money::{MAX_AMOUNT_MINOR, add, sub, vat};
use crate::validation::{FieldErrorCode, Validator};

wire_enum! {
    /// Whose law the complaint clock follows.
    pub enum Jurisdiction {
        /// Poland: Prawo komunikacji elektronicznej (2024) and the complaint regulation in force
        /// since 14 March 2026.
        Pl,
        /// Russia: the law on communications (art. 55) and the consumer protection law.
        Ru,
    }
}

wire_enum! {
    /// How a complaint reached the operator (R-40: any form is accepted).
    pub enum ComplaintChannel {
        Phone,
        Email,
        Letter,
        Fax,
        InPerson,
        Cabinet,
        Api,
    }
}

wire_enum! {
    /// Where a complaint stands.
    pub enum ComplaintStatus {
        /// Registered; receipt not yet confirmed.
        Registered,
        /// Receipt confirmed to the customer.
        Acknowledged,
        /// A decision above the four-eyes amount waits for a second person's approval.
        AwaitingApproval,
        /// Decided and answered.
        Decided,
    }
}

wire_enum! {
    /// How a complaint was decided.
    pub enum ComplaintOutcome {
        /// The claim is granted in full.
        Accepted,
        /// Part of the claim is granted.
        PartlyAccepted,
        /// The claim is not granted; the answer gives the reasons and the ways to appeal.
        Rejected,
        /// Not decided in time: accepted in full by law, by the system itself.
        DeemedAccepted,
        /// Filed after the claim period: answered, not granted.
        TimeBarred,
    }
}

wire_enum! {
    /// Undecided complaints by how soon they fall due.
    pub enum DueFilter {
        /// Past the decide-by day (the clock decides them at its next run).
        Overdue,
        /// Due today, overdue included.
        Today,
        /// Due by tomorrow, overdue included.
        Tomorrow,
    }
}

wire_enum! {
    /// What kind of day a calendar row makes a date.
    pub enum CalendarDayKind {
        /// A public holiday: no one works.
        Holiday,
        /// A working day on a weekend (a day moved by a decree, as in Russia).
        WorkingDay,
    }
}

impl ComplaintOutcome {
    /// Whether the claim is granted, wholly or in part.
    pub fn grants(self) -> bool {
        matches!(
            self,
            Self::Accepted | Self::PartlyAccepted | Self::DeemedAccepted
        )
    }
}

/// The figures of the clock. Each has the law's value by default ([`Profile::law`]); an
/// operator may tighten them as a service promise.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Profile {
    pub jurisdiction: Jurisdiction,
    /// Days to confirm receipt (PL: 14 calendar days; RU: registered by the next working day,
    /// counted here as 1 day moved past days off).
    pub acknowledge_days: u32,
    /// Days to decide and answer, from the day after receipt.
    pub answer_days: u32,
    /// Days to answer a demand to refund money (RU consumer law art. 22: 10 days).
    pub refund_answer_days: u32,
    /// Months after the event or billing period during which a claim may be made.
    pub claim_months: u32,
    /// Days a customer has to complete a complaint that lacks required elements.
    pub completion_days: u32,
    /// A decision granting more than this (minor units) needs a second person's approval;
    /// `None`: no four-eyes rule.
    pub four_eyes_above_minor: Option<i64>,
}

/// A figure of a profile looser than the law allows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LooserThanLaw {
    pub setting: &'static str,
    pub value: u32,
    pub law: u32,
}

impl Profile {
    /// The law's figures.
    pub fn law(jurisdiction: Jurisdiction) -> Self {
        match jurisdiction {
            Jurisdiction::Pl => Self {
                jurisdiction,
                acknowledge_days: 14,
                answer_days: 30,
                refund_answer_days: 30,
                claim_months: 12,
                completion_days: 7,
                four_eyes_above_minor: None,
            },
            Jurisdiction::Ru => Self {
                jurisdiction,
                acknowledge_days: 1,
                answer_days: 30,
                refund_answer_days: 10,
                claim_months: 6,
                completion_days: 7,
                four_eyes_above_minor: None,
            },
        }
    }

    /// The settings that give the operator more time than the law does (or the customer less).
    pub fn looser_than_law(&self) -> Vec<LooserThanLaw> {
        let law = Self::law(self.jurisdiction);
        let mut looser = Vec::new();
        let mut compare = |setting, value: u32, law: u32, longer_is_looser: bool| {
            if (longer_is_looser && value > law) || (!longer_is_looser && value < law) {
                looser.push(LooserThanLaw {
                    setting,
                    value,
                    law,
                });
            }
        };
        compare(
            "acknowledge_days",
            self.acknowledge_days,
            law.acknowledge_days,
            true,
        );
        compare("answer_days", self.answer_days, law.answer_days, true);
        compare(
            "refund_answer_days",
            self.refund_answer_days,
            law.refund_answer_days,
            true,
        );
        // Fewer months to complain, or fewer days to complete, take the customer's time away.
        compare("claim_months", self.claim_months, law.claim_months, false);
        compare(
            "completion_days",
            self.completion_days,
            law.completion_days,
            false,
        );
        looser
    }
}

/// Which days are days off: weekends, the jurisdiction's public holidays (built in for Poland),
/// and the rows admins load (holidays, and weekend days made working by decree).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Calendar {
    pub holidays: BTreeSet<NaiveDate>,
    pub working_days: BTreeSet<NaiveDate>,
    pub polish_holidays: bool,
}

impl Calendar {
    /// The calendar of `jurisdiction` with the rows loaded for it.
    pub fn new(
        jurisdiction: Jurisdiction,
        rows: impl IntoIterator<Item = (NaiveDate, CalendarDayKind)>,
    ) -> Self {
        let mut calendar = Self {
            polish_holidays: jurisdiction == Jurisdiction::Pl,
            ..Self::default()
        };
        for (day, kind) in rows {
            match kind {
                CalendarDayKind::Holiday => calendar.holidays.insert(day),
                CalendarDayKind::WorkingDay => calendar.working_days.insert(day),
            };
        }
        calendar
    }

    pub fn is_holiday(&self, day: NaiveDate) -> bool {
        self.holidays.contains(&day) || (self.polish_holidays && is_polish_public_holiday(day))
    }

    /// A day offices work: not a holiday, and not a weekend unless made working.
    pub fn is_working_day(&self, day: NaiveDate) -> bool {
        if self.is_holiday(day) {
            return false;
        }
        let weekend = matches!(day.weekday(), Weekday::Sat | Weekday::Sun);
        !weekend || self.working_days.contains(&day)
    }

    /// `day`, or the first working day after it. Both codes agree: PL civil code art. 115 (a
    /// period ending on a statutory day off or a Saturday ends on the next day that is
    /// neither) and RU civil code art. 193 (ending on a non-working day, it ends on the next
    /// working day).
    pub fn roll_forward(&self, day: NaiveDate) -> NaiveDate {
        let mut end = day;
        // A year of days off in a row is a calendar error, not a deadline: stop looking.
        for _ in 0..366 {
            if self.is_working_day(end) {
                return end;
            }
            end += Duration::days(1);
        }
        day
    }

    /// The end of a period of `days` days counted from the day after `start` (PL civil code
    /// art. 111 § 2; RU art. 191), moved past days off.
    pub fn period_end(&self, start: NaiveDate, days: u32) -> NaiveDate {
        self.roll_forward(start + Duration::days(i64::from(days)))
    }

    /// The next working day after `day`.
    pub fn next_working_day(&self, day: NaiveDate) -> NaiveDate {
        self.roll_forward(day + Duration::days(1))
    }
}

/// What decides a complaint's deadlines.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Received {
    /// The day the operator received it (in the operator's time zone).
    pub on: NaiveDate,
    pub channel: ComplaintChannel,
    /// A demand to refund money (RU: 10 days).
    pub refund_demanded: bool,
    /// The last day of the event or billing period complained of, when known.
    pub concerns_until: Option<NaiveDate>,
}

/// A complaint's deadlines.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Deadlines {
    /// Receipt is confirmed by this day.
    pub acknowledge_by: NaiveDate,
    /// The answer is sent by this day; the next day it is deemed accepted.
    pub decide_by: NaiveDate,
    /// The last day the claim could be made, when the event is known.
    pub claim_until: Option<NaiveDate>,
    /// Made after `claim_until`.
    pub time_barred: bool,
}

/// The same day `months` later, or the month's last day where that month is shorter (PL civil
/// code art. 112, RU art. 192 § 3).
pub fn months_after(day: NaiveDate, months: u32) -> Option<NaiveDate> {
    day.checked_add_months(chrono::Months::new(months))
}

impl Deadlines {
    pub fn of(profile: &Profile, calendar: &Calendar, received: Received) -> Self {
        let acknowledge_by = match (profile.jurisdiction, received.channel) {
            // PL: confirmed at once when made in person (the regulation, § 4); online too,
            // since the cabinet confirms on filing.
            (_, ComplaintChannel::InPerson | ComplaintChannel::Cabinet) => received.on,
            (Jurisdiction::Pl, _) => calendar.period_end(received.on, profile.acknowledge_days),
            // RU: registered by the next working day.
            (Jurisdiction::Ru, _) => {
                let mut day = received.on;
                for _ in 0..profile.acknowledge_days {
                    day = calendar.next_working_day(day);
                }
                day
            }
        };
        let answer_days = if received.refund_demanded {
            profile.refund_answer_days.min(profile.answer_days)
        } else {
            profile.answer_days
        };
        let decide_by = calendar.period_end(received.on, answer_days);
        let claim_until = received
            .concerns_until
            .and_then(|until| months_after(until, profile.claim_months))
            .map(|day| calendar.roll_forward(day));
        Self {
            acknowledge_by: acknowledge_by.min(decide_by),
            decide_by,
            claim_until,
            time_barred: claim_until.is_some_and(|last| received.on > last),
        }
    }
}

/// The day a complaint not answered by `decide_by` is deemed accepted: the day after.
pub fn deemed_accepted_on(decide_by: NaiveDate) -> NaiveDate {
    decide_by + Duration::days(1)
}

/// Days left to `deadline` as of `today`: 0 on the last day, negative once overdue.
pub fn days_left(today: NaiveDate, deadline: NaiveDate) -> i64 {
    (deadline - today).num_days()
}

/// A decision as proposed by a person.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Decision {
    pub outcome: ComplaintOutcome,
    /// What is granted, minor units: the claimed amount for an acceptance, a part of it for a
    /// partial one, 0 for a rejection.
    pub granted_minor: i64,
}

/// What a decider may decide of a complaint: a time-barred claim is not granted, a
/// deemed acceptance is the system's alone, and a partial acceptance grants less than was
/// claimed but more than nothing. Returns the amount granted.
pub fn check_decision(
    v: &mut Validator,
    outcome: ComplaintOutcome,
    granted_minor: Option<i64>,
    claimed_minor: Option<i64>,
    time_barred: bool,
) -> i64 {
    let claimed = claimed_minor.unwrap_or(0);
    match outcome {
        ComplaintOutcome::DeemedAccepted => {
            v.fail(
                "outcome",
                FieldErrorCode::NotAllowed,
                "only the clock deems a complaint accepted",
            );
            0
        }
        _ if time_barred && outcome.grants() => {
            v.fail(
                "outcome",
                FieldErrorCode::NotAllowed,
                "the claim is time-barred: it can be answered, not granted (R-44)",
            );
            0
        }
        ComplaintOutcome::TimeBarred if !time_barred => {
            v.fail(
                "outcome",
                FieldErrorCode::NotAllowed,
                "the complaint was made within the claim period",
            );
            0
        }
        ComplaintOutcome::Accepted => {
            if granted_minor.is_some_and(|g| g != claimed) {
                v.fail(
                    "granted_minor",
                    FieldErrorCode::InvalidValue,
                    "an acceptance grants what was claimed; grant less as a partial acceptance",
                );
            }
            claimed
        }
        ComplaintOutcome::PartlyAccepted => match granted_minor {
            None => {
                v.fail(
                    "granted_minor",
                    FieldErrorCode::Required,
                    "a partial acceptance says what it grants",
                );
                0
            }
            Some(granted) if granted <= 0 || granted > MAX_AMOUNT_MINOR => {
                v.fail(
                    "granted_minor",
                    FieldErrorCode::OutOfRange,
                    "a partial acceptance grants more than 0 and at most 100 000 000.00",
                );
                0
            }
            Some(granted) if claimed > 0 && granted >= claimed => {
                v.fail(
                    "granted_minor",
                    FieldErrorCode::OutOfRange,
                    format!("a partial acceptance grants less than the {claimed} claimed"),
                );
                0
            }
            Some(granted) => granted,
        },
        ComplaintOutcome::Rejected | ComplaintOutcome::TimeBarred => {
            if granted_minor.is_some_and(|g| g != 0) {
                v.fail(
                    "granted_minor",
                    FieldErrorCode::InvalidValue,
                    "a rejection grants nothing",
                );
            }
            0
        }
    }
}

/// Whether a decision granting `granted_minor` needs a second person (the four-eyes rule).
pub fn needs_approval(profile: &Profile, granted_minor: i64) -> bool {
    profile
        .four_eyes_above_minor
        .is_some_and(|limit| granted_minor > limit)
}

/// A line of an invoice that compensation may lower.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ChargeLine {
    pub line_id: i64,
    /// Its net amount now (as issued, changed by earlier notes).
    pub net_minor: i64,
    pub vat_rate_bp: i32,
}

impl ChargeLine {
    fn gross(&self) -> Result<i64, crate::money::AmountTooLarge> {
        add(self.net_minor, vat(self.net_minor, self.vat_rate_bp))
    }
}

/// How a granted amount is given back against one invoice: the lines lowered, in
/// order, each to its new net amount, and the gross this takes off.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct CorrectionPlan {
    pub lines: Vec<(i64, i64)>,
    pub gross_minor: i64,
}

/// Lowers the charge lines of an invoice, first to last, until `gross_minor` is given back or
/// the invoice is at zero. A line's VAT is rounded on its own net amount, so a line is lowered
/// by the net amount whose gross change is nearest to, and never more than, what is left.
pub fn correction_plan(
    lines: &[ChargeLine],
    gross_minor: i64,
) -> Result<CorrectionPlan, crate::money::AmountTooLarge> {
    let mut plan = CorrectionPlan::default();
    let mut left = gross_minor.max(0);
    for line in lines {
        if left == 0 {
            break;
        }
        let line_gross = line.gross()?;
        if line.net_minor <= 0 || line_gross <= 0 {
            continue;
        }
        let (net_after, taken) = if left >= line_gross {
            (0, line_gross)
        } else {
            lowered_by_gross(line, left)?
        };
        if taken > 0 {
            plan.lines.push((line.line_id, net_after));
            plan.gross_minor = add(plan.gross_minor, taken)?;
            left = sub(left, taken)?;
        }
    }
    Ok(plan)
}

/// The net amount after lowering `line` by at most `wanted` gross, with the gross taken.
fn lowered_by_gross(
    line: &ChargeLine,
    wanted: i64,
) -> Result<(i64, i64), crate::money::AmountTooLarge> {
    let before = line.gross()?;
    let rate = i128::from(line.vat_rate_bp);
    let estimate = crate::money::to_minor(crate::money::div_round_half_up(
        i128::from(wanted) * crate::money::BASIS_POINTS,
        crate::money::BASIS_POINTS + rate,
    ));
    let mut best = (line.net_minor, 0);
    for net_off in (estimate - 2)..=(estimate + 2) {
        if net_off <= 0 || net_off > line.net_minor {
            continue;
        }
        let after = sub(line.net_minor, net_off)?;
        let taken = sub(before, add(after, vat(after, line.vat_rate_bp))?)?;
        if taken <= wanted && taken > best.1 {
            best = (after, taken);
        }
    }
    Ok(best)
}

/// A complaint made earlier by the same customer, for the repeat rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EarlierComplaint {
    pub topic_id: Option<i64>,
    pub received_on: NaiveDate,
}

/// How far back a complaint on the same topic makes a new one a repeat.
pub const REPEAT_WINDOW_DAYS: i64 = 90;

/// A customer's complaint is a repeat when they complained of the same topic within the 90
/// days before it.
pub fn is_repeat(
    topic_id: Option<i64>,
    received_on: NaiveDate,
    earlier: &[EarlierComplaint],
) -> bool {
    repeated(topic_id, received_on, earlier).is_some()
}

/// The place in `earlier` of the latest complaint that makes this one a repeat, if any.
pub fn repeated(
    topic_id: Option<i64>,
    received_on: NaiveDate,
    earlier: &[EarlierComplaint],
) -> Option<usize> {
    let topic = topic_id?;
    earlier.iter().rposition(|e| {
        e.topic_id == Some(topic)
            && e.received_on <= received_on
            && (received_on - e.received_on).num_days() <= REPEAT_WINDOW_DAYS
    })
}

/// The trend of a topic's count against the period before, in percent; `None` when the
/// topic had no complaints before (a new topic, not a percentage).
pub fn trend_percent(current: u64, previous: u64) -> Option<i64> {
    if previous == 0 {
        return None;
    }
    let change = i128::from(current) - i128::from(previous);
    Some(crate::money::to_minor(crate::money::div_round_half_up(
        change * 100,
        i128::from(previous),
    )))
}

/// The period as long as `from..=to` that ends the day before `from`, for trends.
pub fn previous_period(from: NaiveDate, to: NaiveDate) -> (NaiveDate, NaiveDate) {
    let length = (to - from).num_days().max(0) + 1;
    (from - Duration::days(length), from - Duration::days(1))
}

/// The share decided on time, in percent (rounded half up); `None` when none was decided.
pub fn on_time_percent(on_time: u64, decided: u64) -> Option<i64> {
    if decided == 0 {
        return None;
    }
    Some(crate::money::to_minor(crate::money::div_round_half_up(
        i128::from(on_time) * 100,
        i128::from(decided),
    )))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    fn received(on: NaiveDate) -> Received {
        Received {
            on,
            channel: ComplaintChannel::Phone,
            refund_demanded: false,
            concerns_until: None,
        }
    }

    fn pl() -> (Profile, Calendar) {
        (
            Profile::law(Jurisdiction::Pl),
            Calendar::new(Jurisdiction::Pl, []),
        )
    }

    /// A Russian calendar with the statutory holidays of early 2027 and a moved working day.
    fn ru() -> (Profile, Calendar) {
        let mut rows: Vec<(NaiveDate, CalendarDayKind)> = (1..=8)
            .map(|d| (day(2027, 1, d), CalendarDayKind::Holiday))
            .collect();
        rows.push((day(2027, 2, 23), CalendarDayKind::Holiday));
        rows.push((day(2027, 3, 8), CalendarDayKind::Holiday));
        rows.push((day(2026, 11, 4), CalendarDayKind::Holiday));
        rows.push((day(2026, 12, 31), CalendarDayKind::Holiday));
        rows.push((day(2027, 2, 20), CalendarDayKind::WorkingDay));
        (
            Profile::law(Jurisdiction::Ru),
            Calendar::new(Jurisdiction::Ru, rows),
        )
    }

    #[test]
    fn polish_deadlines_count_calendar_days_from_the_day_after_receipt() {
        let (profile, calendar) = pl();
        // Received Wednesday 2026-12-02: 30 days end Friday 2027-01-01 (New Year's Day), then
        // Saturday and Sunday: Monday 2027-01-04.
        let d = Deadlines::of(&profile, &calendar, received(day(2026, 12, 2)));
        assert_eq!(d.decide_by, day(2027, 1, 4));
        assert_eq!(d.acknowledge_by, day(2026, 12, 16));
        // Across a month end: received 2026-10-05 (Monday): day 30 is Wednesday 2026-11-04.
        let d = Deadlines::of(&profile, &calendar, received(day(2026, 10, 5)));
        assert_eq!(d.decide_by, day(2026, 11, 4));
        // Day 30 on a Sunday: received 2026-10-01, day 30 is Saturday 10-31, Sunday 11-01 is
        // All Saints': Monday 2026-11-02.
        let d = Deadlines::of(&profile, &calendar, received(day(2026, 10, 1)));
        assert_eq!(d.decide_by, day(2026, 11, 2));
        // A 29-day February: received 2028-02-01, day 30 is Thursday 2028-03-02.
        let d = Deadlines::of(&profile, &calendar, received(day(2028, 2, 1)));
        assert_eq!(d.decide_by, day(2028, 3, 2));
        // The same in a 28-day February lands a day later in March: 2027-03-03 (Wednesday).
        let d = Deadlines::of(&profile, &calendar, received(day(2027, 2, 1)));
        assert_eq!(d.decide_by, day(2027, 3, 3));
        // Near the year end: received 2026-11-30, day 30 is Wednesday 12-30.
        let d = Deadlines::of(&profile, &calendar, received(day(2026, 11, 30)));
        assert_eq!(d.decide_by, day(2026, 12, 30));
        // Day 30 a Sunday: received 2027-01-01 (a holiday, still received): 01-31 is a Sunday.
        let d = Deadlines::of(&profile, &calendar, received(day(2027, 1, 1)));
        assert_eq!(d.decide_by, day(2027, 2, 1));
    }

    #[test]
    fn in_person_and_cabinet_complaints_are_acknowledged_at_once() {
        let (profile, calendar) = pl();
        for channel in [ComplaintChannel::InPerson, ComplaintChannel::Cabinet] {
            let d = Deadlines::of(
                &profile,
                &calendar,
                Received {
                    channel,
                    ..received(day(2026, 12, 5))
                },
            );
            assert_eq!(d.acknowledge_by, day(2026, 12, 5));
        }
    }

    #[test]
    fn russian_deadlines_follow_the_loaded_calendar() {
        let (profile, calendar) = ru();
        // Received Wednesday 2026-12-30: registered by the next working day. 12-31 is a
        // holiday in the table, 1-8 January too, 9-10 a weekend: Monday 2027-01-11.
        let d = Deadlines::of(&profile, &calendar, received(day(2026, 12, 30)));
        assert_eq!(d.acknowledge_by, day(2027, 1, 11));
        // 30 days: Friday 2027-01-29.
        assert_eq!(d.decide_by, day(2027, 1, 29));
        // A refund demand: 10 days, Saturday 2027-01-09, then Sunday: Monday 2027-01-11.
        let refund = Deadlines::of(
            &profile,
            &calendar,
            Received {
                refund_demanded: true,
                ..received(day(2026, 12, 30))
            },
        );
        assert_eq!(refund.decide_by, day(2027, 1, 11));
        // A weekend made working: received 2027-01-21, day 30 is Saturday 2027-02-20, which
        // the decree made a working day.
        let d = Deadlines::of(&profile, &calendar, received(day(2027, 1, 21)));
        assert_eq!(d.decide_by, day(2027, 2, 20));
        // Day 30 on 2027-02-23 (Defender's Day): 2027-02-24.
        let d = Deadlines::of(&profile, &calendar, received(day(2027, 1, 24)));
        assert_eq!(d.decide_by, day(2027, 2, 24));
    }

    #[test]
    fn claims_are_time_barred_after_the_claim_period() {
        let (profile, calendar) = pl();
        let about = |until, on| Received {
            concerns_until: Some(until),
            ..received(on)
        };
        // November 2025 billed: the claim may be made until 2026-11-30 (a Monday).
        let d = Deadlines::of(
            &profile,
            &calendar,
            about(day(2025, 11, 30), day(2026, 11, 30)),
        );
        assert_eq!(d.claim_until, Some(day(2026, 11, 30)));
        assert!(!d.time_barred);
        let d = Deadlines::of(
            &profile,
            &calendar,
            about(day(2025, 11, 30), day(2026, 12, 1)),
        );
        assert!(d.time_barred);
        // The last day a Sunday moves to Monday: 2027-02-28 is a Sunday.
        let d = Deadlines::of(
            &profile,
            &calendar,
            about(day(2026, 2, 28), day(2027, 3, 1)),
        );
        assert_eq!(d.claim_until, Some(day(2027, 3, 1)));
        assert!(!d.time_barred);
        // Russia: 6 months; 2026-08-31 + 6 months is 2027-02-28, a Sunday: Monday 03-01.
        let (profile, calendar) = ru();
        let d = Deadlines::of(
            &profile,
            &calendar,
            about(day(2026, 8, 31), day(2027, 3, 2)),
        );
        assert_eq!(d.claim_until, Some(day(2027, 3, 1)));
        assert!(d.time_barred);
    }

    #[test]
    fn a_profile_looser_than_the_law_is_named() {
        let mut profile = Profile::law(Jurisdiction::Pl);
        assert!(profile.looser_than_law().is_empty());
        profile.answer_days = 14;
        assert!(profile.looser_than_law().is_empty(), "tighter is fine");
        profile.answer_days = 45;
        profile.claim_months = 6;
        let looser: Vec<_> = profile
            .looser_than_law()
            .iter()
            .map(|l| l.setting)
            .collect();
        assert_eq!(looser, ["answer_days", "claim_months"]);
    }

    #[test]
    fn what_a_decider_may_decide() {
        let check = |outcome, granted, claimed, barred| {
            let mut v = Validator::new();
            let amount = check_decision(&mut v, outcome, granted, claimed, barred);
            (amount, v.into_errors().len())
        };
        use ComplaintOutcome as O;
        assert_eq!(check(O::Accepted, None, Some(5000), false), (5000, 0));
        assert_eq!(check(O::Accepted, Some(4000), Some(5000), false).1, 1);
        assert_eq!(
            check(O::PartlyAccepted, Some(2000), Some(5000), false),
            (2000, 0)
        );
        assert_eq!(check(O::PartlyAccepted, Some(5000), Some(5000), false).1, 1);
        assert_eq!(check(O::PartlyAccepted, None, Some(5000), false).1, 1);
        assert_eq!(check(O::Rejected, None, Some(5000), false), (0, 0));
        assert_eq!(check(O::Accepted, None, Some(5000), true).1, 1);
        assert_eq!(check(O::TimeBarred, None, Some(5000), true), (0, 0));
        assert_eq!(check(O::TimeBarred, None, Some(5000), false).1, 1);
        assert_eq!(check(O::DeemedAccepted, None, Some(5000), false).1, 1);
    }

    #[test]
    fn four_eyes_above_the_amount() {
        let mut profile = Profile::law(Jurisdiction::Pl);
        assert!(!needs_approval(&profile, 1_000_000));
        profile.four_eyes_above_minor = Some(50_000);
        assert!(!needs_approval(&profile, 50_000));
        assert!(needs_approval(&profile, 50_001));
    }

    #[test]
    fn compensation_lowers_lines_in_order_to_the_grosz() {
        let lines = [
            ChargeLine {
                line_id: 1,
                net_minor: 8130,
                vat_rate_bp: 2300,
            }, // 100.00 gross
            ChargeLine {
                line_id: 2,
                net_minor: 4065,
                vat_rate_bp: 2300,
            }, // 50.00 gross
        ];
        // 120.00: the first line to zero, 20.00 off the second (net 16.26, VAT 3.74).
        let plan = correction_plan(&lines, 12_000).unwrap();
        assert_eq!(plan.lines, vec![(1, 0), (2, 4065 - 1626)]);
        assert_eq!(plan.gross_minor, 12_000);
        // More than the invoice: all of it, and no more.
        let plan = correction_plan(&lines, 99_999).unwrap();
        assert_eq!(plan.lines, vec![(1, 0), (2, 0)]);
        assert_eq!(plan.gross_minor, 15_000);
    }

    #[test]
    fn repeats_and_trends() {
        let earlier = [EarlierComplaint {
            topic_id: Some(3),
            received_on: day(2026, 9, 10),
        }];
        assert!(is_repeat(Some(3), day(2026, 12, 9), &earlier)); // 90 days
        assert!(!is_repeat(Some(3), day(2026, 12, 10), &earlier));
        assert!(!is_repeat(Some(4), day(2026, 10, 1), &earlier));
        assert!(!is_repeat(None, day(2026, 10, 1), &earlier));
        let two = [
            earlier[0],
            EarlierComplaint {
                topic_id: Some(3),
                received_on: day(2026, 11, 1),
            },
        ];
        assert_eq!(
            repeated(Some(3), day(2026, 11, 20), &two),
            Some(1),
            "the latest one"
        );
        assert_eq!(trend_percent(6, 4), Some(50));
        assert_eq!(trend_percent(1, 3), Some(-67));
        assert_eq!(trend_percent(2, 0), None);
        assert_eq!(
            previous_period(day(2026, 11, 1), day(2026, 11, 30)),
            (day(2026, 10, 2), day(2026, 10, 31))
        );
        assert_eq!(on_time_percent(9, 10), Some(90));
        assert_eq!(on_time_percent(0, 0), None);
    }

    proptest! {
        #[test]
        fn a_deadline_is_never_early_and_lands_on_a_working_day(offset in 0i64..3650, ru_profile: bool, refund: bool) {
            let (profile, calendar) = if ru_profile { ru() } else { pl() };
            let on = day(2025, 1, 1) + Duration::days(offset);
            let d = Deadlines::of(&profile, &calendar, Received { refund_demanded: refund, ..received(on) });
            let days = if refund { profile.refund_answer_days } else { profile.answer_days };
            let earliest = on + Duration::days(i64::from(days));
            prop_assert!(d.decide_by >= earliest);
            prop_assert!(calendar.is_working_day(d.decide_by));
            // Every day skipped was a day off.
            let mut skipped = earliest;
            while skipped < d.decide_by {
                prop_assert!(!calendar.is_working_day(skipped));
                skipped += Duration::days(1);
            }
            prop_assert!(d.acknowledge_by >= on && d.acknowledge_by <= d.decide_by);
        }

        #[test]
        fn compensation_never_gives_back_more_than_granted_or_the_line(
            nets in proptest::collection::vec(1i64..1_000_000, 1..5),
            rate in prop::sample::select(vec![0, 500, 800, 2300]),
            granted in 0i64..5_000_000,
        ) {
            let lines: Vec<ChargeLine> = nets.iter().enumerate()
                .map(|(i, net)| ChargeLine { line_id: i as i64 + 1, net_minor: *net, vat_rate_bp: rate })
                .collect();
            let plan = correction_plan(&lines, granted).unwrap();
            prop_assert!(plan.gross_minor <= granted);
            let total: i64 = lines.iter().map(|l| l.gross().unwrap()).sum();
            // Short of the grant only by the rounding of one line, or because the invoice is at zero.
            prop_assert!(plan.gross_minor == total || granted - plan.gross_minor <= 1);
            for (id, after) in &plan.lines {
                let line = lines.iter().find(|l| l.line_id == *id).unwrap();
                prop_assert!(*after >= 0 && *after < line.net_minor);
            }
        }
    }
}
