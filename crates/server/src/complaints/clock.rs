//! The clock: a complaint not answered by its decide-by day is deemed accepted
//! in full by the system itself, dated the day after; a time-barred one is answered as such.
//! Each complaint is decided in one transaction with its compensation, answer and messages,
//! so a server that dies halfway leaves nothing half done, and the conditional write of the
//! decision lets only one of several servers decide it. A server down for days decides on
//! restart all that fell due, each dated when it fell due.

use chrono::{DateTime, Utc};
use okno_api_types::ErrorCode;
use okno_db::complaints::{ComplaintEventRecord, ComplaintRecord, DecisionRow};
use okno_db::{DbConnection, write_transaction};
use okno_domain::complaints::{ComplaintOutcome, ComplaintStatus, deemed_accepted_on};

use super::{Desk, Event, SYSTEM, event};
use crate::error::{ApiError, ApiResult};

/// What one run of the clock did.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct ClockReport {
    pub deemed_accepted: usize,
    pub time_barred: usize,
    /// Complaints the clock could not decide, with the reason; tried again at the next run.
    pub failed: Vec<String>,
}

/// Decides every complaint past its decide-by day as of `now`.
pub fn decide_overdue(
    conn: &mut DbConnection,
    desk: &Desk,
    now: DateTime<Utc>,
) -> ApiResult<ClockReport> {
    let today = desk.local_day(now);
    let mut report = ClockReport::default();
    for id in ComplaintRecord::past_their_deadline(conn, today)? {
        match write_transaction(conn, |conn| deem(conn, desk, id, now)) {
            Ok(Some(ComplaintOutcome::TimeBarred)) => report.time_barred += 1,
            Ok(Some(_)) => report.deemed_accepted += 1,
            Ok(None) => {}
            Err(ApiError::Conflict(ErrorCode::ComplaintAlreadyDecided, ..)) => {}
            Err(error) => {
                tracing::warn!(complaint = id, %error, "the complaint clock could not decide a complaint");
                note_failure(conn, id, &error.to_string(), now)?;
                report.failed.push(format!("complaint {id}: {error}"));
            }
        }
    }
    Ok(report)
}

/// Decides one complaint as the law does when no one answered it, in the caller's
/// transaction; `None` when it was decided meanwhile.
fn deem(
    conn: &mut DbConnection,
    desk: &Desk,
    id: i64,
    now: DateTime<Utc>,
) -> ApiResult<Option<ComplaintOutcome>> {
    let complaint = super::find(conn, id)?;
    if complaint.status == ComplaintStatus::Decided {
        return Ok(None);
    }
    let (outcome, granted) = if complaint.time_barred {
        (ComplaintOutcome::TimeBarred, 0)
    } else {
        (
            ComplaintOutcome::DeemedAccepted,
            complaint.amount_claimed_minor.unwrap_or(0),
        )
    };
    let decision = DecisionRow {
        outcome,
        granted_minor: granted,
        reasoning: String::new(),
        decided_at: desk.start_of(deemed_accepted_on(complaint.decide_by)),
        decided_by: SYSTEM.to_owned(),
        approved_by: None,
    };
    super::decide::finalize(conn, desk, &complaint, decision, now)?;
    Ok(Some(outcome))
}

/// A failure on the complaint's timeline, once per reason in a row.
fn note_failure(
    conn: &mut DbConnection,
    id: i64,
    reason: &str,
    now: DateTime<Utc>,
) -> ApiResult<()> {
    let events = ComplaintEventRecord::of_complaint(conn, id)?;
    let repeated = events
        .last()
        .is_some_and(|e| e.kind == event::CLOCK_FAILED && e.note.as_deref() == Some(reason));
    if !repeated {
        write_transaction(conn, |conn| {
            Event {
                note: Some(reason.to_owned()),
                ..Event::new(event::CLOCK_FAILED, SYSTEM)
            }
            .record(conn, id, now)
        })?;
    }
    Ok(())
}
