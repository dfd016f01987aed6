//! Complaints (R-40..R-46): registered from any channel with the deadlines of the law fixed on
//! receipt, confirmed and answered in writing through the outbox, decided by a person (a
//! second one above the four-eyes amount) or deemed accepted by the clock, compensated by
//! correction notes or a credit, and monitored by topic.
//!
//! The rules are `okno_domain::complaints`; this module applies them to stored data, each
//! change in one transaction with its documents, messages and audit entry.

pub mod calendar;
pub mod clock;
pub mod compensation;
pub mod decide;
pub mod monitoring;
mod papers;
pub mod reads;
pub mod register;

use chrono::{DateTime, NaiveDate, NaiveDateTime, TimeZone, Utc};
use okno_api_types::ErrorCode;
use okno_db::DbConnection;
use okno_db::complaints::{ComplaintEventRecord, ComplaintRecord, NewComplaintEventRow};

use crate::config::{BillingSettings, ComplaintSettings, OperatorDetails};
use crate::error::{ApiResult, NotFoundExt};
use crate::notifications::Sender;
use crate::state::AppState;
use crate::time::to_db;

/// What complaint work needs of the server's settings: the clock's profile, how documents
/// are headed and numbered, who sends the messages, and the operator's time zone.
#[derive(Debug, Clone)]
pub struct Desk {
    pub settings: ComplaintSettings,
    pub billing: BillingSettings,
    pub operator: OperatorDetails,
    pub sender: Sender,
    pub time_zone: chrono_tz::Tz,
}

impl Desk {
    pub fn of(state: &AppState) -> Self {
        Self {
            settings: state.settings.complaints.clone(),
            billing: state.settings.billing.clone(),
            operator: state.settings.operator.clone(),
            sender: state.sender(),
            time_zone: state.settings.notifications.time_zone,
        }
    }

    /// The day `at` falls on in the operator's time zone: deadlines count in local days.
    pub fn local_day(&self, at: DateTime<Utc>) -> NaiveDate {
        at.with_timezone(&self.time_zone).date_naive()
    }

    /// `at` as a wall-clock time in the operator's time zone, as printed.
    pub fn local_time(&self, at: NaiveDateTime) -> NaiveDateTime {
        at.and_utc().with_timezone(&self.time_zone).naive_local()
    }

    /// The first moment of local `day`, as stored (UTC).
    pub fn start_of(&self, day: NaiveDate) -> NaiveDateTime {
        let midnight = day.and_time(chrono::NaiveTime::MIN);
        self.time_zone
            .from_local_datetime(&midnight)
            .earliest()
            .map_or(midnight, |local| local.with_timezone(&Utc).naive_utc())
    }
}

/// Who records an event: a person by their name, or the clock.
pub const SYSTEM: &str = "system";

pub fn find(conn: &mut DbConnection, id: i64) -> ApiResult<ComplaintRecord> {
    ComplaintRecord::find(conn, id)
        .or_not_found(ErrorCode::ComplaintNotFound, format!("complaint {id}"))
}

/// Kinds of events on a complaint's timeline.
pub mod event {
    pub const REGISTERED: &str = "registered";
    pub const ACKNOWLEDGED: &str = "acknowledged";
    pub const PROPOSED: &str = "proposed";
    pub const PROPOSAL_RETURNED: &str = "proposal_returned";
    pub const DECIDED: &str = "decided";
    pub const COMPENSATED: &str = "compensated";
    pub const CREDITED: &str = "credited";
    pub const ANSWER_SENT: &str = "answer_sent";
    pub const CLOCK_FAILED: &str = "clock_failed";
}

/// An event on the timeline, in the caller's transaction.
pub struct Event<'a> {
    pub kind: &'static str,
    pub note: Option<String>,
    pub invoice_id: Option<i64>,
    pub document_id: Option<i64>,
    pub by: &'a str,
}

impl<'a> Event<'a> {
    pub fn new(kind: &'static str, by: &'a str) -> Self {
        Self {
            kind,
            note: None,
            invoice_id: None,
            document_id: None,
            by,
        }
    }

    pub fn record(
        self,
        conn: &mut DbConnection,
        complaint_id: i64,
        at: DateTime<Utc>,
    ) -> ApiResult<()> {
        ComplaintEventRecord::insert(
            conn,
            NewComplaintEventRow {
                complaint_id,
                kind: self.kind.to_owned(),
                note: self.note,
                invoice_id: self.invoice_id,
                document_id: self.document_id,
                recorded_by: self.by.to_owned(),
                at: to_db(at),
            },
        )?;
        Ok(())
    }
}
