//! The SLA of tickets: the targets per priority and the business calendar they count
//! on (opening hours, and the days off of the complaint clock's jurisdiction), and each
//! ticket's clocks computed from its history by `okno_domain::tickets::sla::evaluate`.

use std::collections::HashMap;

use chrono::{DateTime, NaiveTime, Utc};
use okno_api_types::tickets::{OpeningDay, SlaClockView, SlaPolicy, SlaSettings, TicketSla};
use okno_db::DbConnection;
use okno_db::tickets::{
    OpeningHoursRecord, SlaPolicyRecord, TicketEventRecord, TicketRecord, replace_sla_settings,
    sla_settings,
};
use okno_domain::tickets::sla::{
    BusinessCalendar, Opening, OpeningHours, SlaClock, SlaEvent, SlaMark, SlaReport, SlaTargets,
    evaluate,
};
use okno_domain::tickets::{TicketEventKind, TicketPriority};
use okno_domain::validation::{FieldErrorCode, Validator};

use super::Desk;
use crate::audit;
use crate::auth::Principal;
use crate::error::{ApiError, ApiResult};
use crate::time::from_db;

/// Targets a priority has when none are stored (never, after the migration's seed).
const FALLBACK: SlaTargets = SlaTargets {
    first_response_minutes: 240,
    next_update_minutes: 600,
    resolution_minutes: 1800,
    around_the_clock: false,
};

/// Everything the clocks of many tickets need, read once.
pub struct Clocks<'a> {
    desk: &'a Desk,
    calendar: BusinessCalendar,
    targets: HashMap<TicketPriority, SlaTargets>,
}

fn time_of(text: Option<&str>) -> Option<NaiveTime> {
    NaiveTime::parse_from_str(text?, "%H:%M").ok()
}

fn opening_of(day: &OpeningHoursRecord) -> Option<Opening> {
    let opens = time_of(day.opens.as_deref())?;
    let closes = time_of(day.closes.as_deref())?;
    (closes > opens).then_some(Opening { opens, closes })
}

impl<'a> Clocks<'a> {
    pub fn load(conn: &mut DbConnection, desk: &'a Desk) -> ApiResult<Self> {
        let (policies, hours) = sla_settings(conn)?;
        let mut days = [None; 7];
        for day in &hours {
            if let Some(slot) = usize::try_from(day.weekday - 1)
                .ok()
                .and_then(|i| days.get_mut(i))
            {
                *slot = opening_of(day);
            }
        }
        let days_off = crate::complaints::calendar::load(conn, desk.jurisdiction)?;
        Ok(Self {
            desk,
            calendar: BusinessCalendar {
                hours: OpeningHours::new(days),
                days_off,
            },
            targets: policies
                .into_iter()
                .map(|p| {
                    let minutes = |m: i32| u32::try_from(m).unwrap_or(1).max(1);
                    (
                        p.priority,
                        SlaTargets {
                            first_response_minutes: minutes(p.first_response_minutes),
                            next_update_minutes: minutes(p.next_update_minutes),
                            resolution_minutes: minutes(p.resolution_minutes),
                            around_the_clock: p.around_the_clock,
                        },
                    )
                })
                .collect(),
        })
    }

    /// The clocks of `ticket` with its history `events` at `now`.
    pub fn report(
        &self,
        ticket: &TicketRecord,
        events: &[TicketEventRecord],
        now: DateTime<Utc>,
    ) -> SlaReport {
        // Staff writing to the customer answers them: a visible comment, or a status change
        // with a note for the customer.
        let history: Vec<SlaEvent> = events
            .iter()
            .flat_map(|e| {
                let wrote = e.visible_to_customer && !e.by_customer && e.body.is_some();
                let marks = match e.kind {
                    TicketEventKind::Opened => vec![SlaMark::Opened],
                    TicketEventKind::StatusChanged => {
                        let mut marks: Vec<SlaMark> =
                            e.to_status.map(SlaMark::Status).into_iter().collect();
                        if wrote {
                            marks.push(SlaMark::StaffReply);
                        }
                        marks
                    }
                    TicketEventKind::Comment if wrote => vec![SlaMark::StaffReply],
                    _ => Vec::new(),
                };
                let at = self.desk.local(from_db(e.at));
                marks.into_iter().map(move |mark| SlaEvent { at, mark })
            })
            .collect();
        let targets = self
            .targets
            .get(&ticket.priority)
            .copied()
            .unwrap_or(FALLBACK);
        evaluate(&history, &targets, &self.calendar, self.desk.local(now))
    }

    fn clock_view(&self, clock: &SlaClock) -> SlaClockView {
        SlaClockView {
            target_minutes: clock.target_minutes,
            used_minutes: clock.used_minutes,
            left_minutes: clock.left_minutes,
            state: clock.state,
            near: clock.near,
            due_at: clock.due_at.map(|local| self.desk.utc(local)),
        }
    }

    pub fn view(&self, report: &SlaReport) -> TicketSla {
        TicketSla {
            flag: report.flag(),
            first_response: self.clock_view(&report.first_response),
            next_update: report.next_update.as_ref().map(|c| self.clock_view(c)),
            resolution: self.clock_view(&report.resolution),
            late_updates: report.late_updates,
        }
    }
}

/// The SLA settings as stored.
pub fn settings(conn: &mut DbConnection) -> ApiResult<SlaSettings> {
    let (policies, hours) = sla_settings(conn)?;
    let mut policies: Vec<SlaPolicy> = policies
        .into_iter()
        .map(|p| SlaPolicy {
            priority: p.priority,
            first_response_minutes: u32::try_from(p.first_response_minutes).unwrap_or(0),
            next_update_minutes: u32::try_from(p.next_update_minutes).unwrap_or(0),
            resolution_minutes: u32::try_from(p.resolution_minutes).unwrap_or(0),
            around_the_clock: p.around_the_clock,
        })
        .collect();
    policies.sort_by_key(|p| p.priority);
    Ok(SlaSettings {
        policies,
        opening_hours: hours
            .into_iter()
            .map(|d| OpeningDay {
                weekday: u8::try_from(d.weekday).unwrap_or(0),
                opens: d.opens,
                closes: d.closes,
            })
            .collect(),
    })
}

/// Largest target: a year of minutes.
const MAX_TARGET_MINUTES: u32 = 525_600;

/// Replaces the targets and opening hours; every ticket's clocks follow at once, as they are
/// computed from the history.
pub fn replace(
    conn: &mut DbConnection,
    principal: &Principal,
    input: &SlaSettings,
    now: DateTime<Utc>,
) -> ApiResult<SlaSettings> {
    let mut v = Validator::new();
    let mut policies = Vec::new();
    for priority in TicketPriority::all() {
        let given: Vec<(usize, &SlaPolicy)> = input
            .policies
            .iter()
            .enumerate()
            .filter(|(_, p)| p.priority == priority)
            .collect();
        match given.as_slice() {
            [] => v.fail(
                "policies",
                FieldErrorCode::Required,
                format!("no targets for {priority}"),
            ),
            [(index, policy)] => {
                for (name, minutes) in [
                    ("first_response_minutes", policy.first_response_minutes),
                    ("next_update_minutes", policy.next_update_minutes),
                    ("resolution_minutes", policy.resolution_minutes),
                ] {
                    if !(1..=MAX_TARGET_MINUTES).contains(&minutes) {
                        v.fail(
                            format!("policies[{index}].{name}"),
                            FieldErrorCode::OutOfRange,
                            "1 minute to a year",
                        );
                    }
                }
                let minutes = |m: u32| i32::try_from(m).unwrap_or(i32::MAX);
                policies.push(SlaPolicyRecord {
                    priority,
                    first_response_minutes: minutes(policy.first_response_minutes),
                    next_update_minutes: minutes(policy.next_update_minutes),
                    resolution_minutes: minutes(policy.resolution_minutes),
                    around_the_clock: policy.around_the_clock,
                });
            }
            [_, (index, _), ..] => v.fail(
                format!("policies[{index}].priority"),
                FieldErrorCode::Duplicate,
                "listed twice",
            ),
        }
    }
    let mut hours = Vec::new();
    for weekday in 1..=7u8 {
        let given: Vec<(usize, &OpeningDay)> = input
            .opening_hours
            .iter()
            .enumerate()
            .filter(|(_, d)| d.weekday == weekday)
            .collect();
        match given.as_slice() {
            [(index, day)] => {
                let field = |name: &str| format!("opening_hours[{index}].{name}");
                let opens = day.opens.as_deref().map(|t| (t, time_of(Some(t))));
                let closes = day.closes.as_deref().map(|t| (t, time_of(Some(t))));
                match (opens, closes) {
                    (None, None) => {}
                    (Some((_, Some(o))), Some((_, Some(c)))) if c > o => {}
                    (Some((_, Some(_))), Some((_, Some(_)))) => v.fail(
                        field("closes"),
                        FieldErrorCode::InvalidValue,
                        "must be after opens",
                    ),
                    (Some((_, None)), _) => {
                        v.fail(field("opens"), FieldErrorCode::InvalidValue, "HH:MM")
                    }
                    (_, Some((_, None))) => {
                        v.fail(field("closes"), FieldErrorCode::InvalidValue, "HH:MM")
                    }
                    (None, Some(_)) => v.fail(
                        field("opens"),
                        FieldErrorCode::Required,
                        "both times or neither",
                    ),
                    (Some(_), None) => v.fail(
                        field("closes"),
                        FieldErrorCode::Required,
                        "both times or neither",
                    ),
                }
                hours.push(OpeningHoursRecord {
                    weekday: i32::from(weekday),
                    opens: day.opens.clone(),
                    closes: day.closes.clone(),
                });
            }
            [] => v.fail(
                "opening_hours",
                FieldErrorCode::Required,
                format!("no hours for weekday {weekday}"),
            ),
            [_, (index, _), ..] => v.fail(
                format!("opening_hours[{index}].weekday"),
                FieldErrorCode::Duplicate,
                "listed twice",
            ),
        }
    }
    for (index, day) in input.opening_hours.iter().enumerate() {
        if !(1..=7).contains(&day.weekday) {
            v.fail(
                format!("opening_hours[{index}].weekday"),
                FieldErrorCode::OutOfRange,
                "1 (Monday) to 7 (Sunday)",
            );
        }
    }
    if input.policies.len() > 4 {
        v.at_most("policies", &input.policies, 4);
    }
    v.finish()?;
    if hours.iter().all(|d| d.opens.is_none()) && policies.iter().any(|p| !p.around_the_clock) {
        return Err(ApiError::field(
            "opening_hours",
            FieldErrorCode::Required,
            "business-hours targets need at least one open day",
        ));
    }
    replace_sla_settings(conn, policies, hours)?;
    audit::record(conn, principal, "tickets.sla", None, None, now)?;
    settings(conn)
}
