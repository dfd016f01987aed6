//! Technical problems (R-50..R-53): tickets opened from the card, the cabinet or a monitoring
//! system, routed between departments and measured against their SLA; diagnostic scripts
//! walked with the customer; outages found in clusters of faults; technician visits.
//!
//! The rules are `okno_domain::tickets`; this module applies them to stored data, each change
//! in one transaction with its history entry, messages and audit entry.

pub mod departments;
pub mod open;
pub mod outages;
pub mod reads;
pub mod scripts;
pub mod sla;
pub mod visits;
pub mod work;

use chrono::{DateTime, Datelike, NaiveDate, NaiveDateTime, TimeZone, Utc};
use okno_api_types::ErrorCode;
use okno_db::DbConnection;
use okno_db::sequences::take_next;
use okno_db::tickets::{NewTicketEventRow, TicketEventRecord, TicketRecord};
use okno_domain::complaints::Jurisdiction;
use okno_domain::customers::Language;
use okno_domain::tickets::{TicketEventKind, TicketStatus};

use okno_api_types::auth::PrincipalKind;

use crate::auth::Principal;
use crate::config::TicketSettings;
use crate::error::{ApiResult, NotFoundExt};
use crate::notifications::Sender;
use crate::state::AppState;
use crate::time::to_db;

/// What ticket work needs of the server's settings: the outage rule, whose holidays the
/// business calendar keeps, who sends the messages, and the operator's time zone.
#[derive(Debug, Clone)]
pub struct Desk {
    pub settings: TicketSettings,
    pub jurisdiction: Jurisdiction,
    pub sender: Sender,
    pub time_zone: chrono_tz::Tz,
}

impl Desk {
    pub fn of(state: &AppState) -> Self {
        Self {
            settings: state.settings.tickets.clone(),
            jurisdiction: state.settings.complaints.profile.jurisdiction,
            sender: state.sender(),
            time_zone: state.settings.notifications.time_zone,
        }
    }

    /// `at` on the operator's wall clock, where opening hours hold.
    pub fn local(&self, at: DateTime<Utc>) -> NaiveDateTime {
        at.with_timezone(&self.time_zone).naive_local()
    }

    /// A wall-clock moment back in UTC (the earlier one when the clocks go back).
    pub fn utc(&self, local: NaiveDateTime) -> DateTime<Utc> {
        self.time_zone
            .from_local_datetime(&local)
            .earliest()
            .map_or_else(|| local.and_utc(), |t| t.with_timezone(&Utc))
    }

    pub fn local_day(&self, at: DateTime<Utc>) -> NaiveDate {
        self.local(at).date()
    }

    /// The first moment of local `day`, in UTC.
    pub fn start_of(&self, day: NaiveDate) -> DateTime<Utc> {
        self.utc(day.and_time(chrono::NaiveTime::MIN))
    }
}

/// Who records an entry: a person, the customer in the cabinet, another system, or the
/// system itself.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Actor {
    pub label: String,
    pub user_id: Option<i64>,
    pub customer: bool,
}

impl Actor {
    pub fn of(principal: &Principal) -> Self {
        let recorded = principal.recorded_by();
        Self {
            label: recorded.label,
            user_id: recorded.user_id,
            customer: principal.kind == PrincipalKind::Subscriber,
        }
    }

    pub fn system() -> Self {
        Self {
            label: "system".into(),
            user_id: None,
            customer: false,
        }
    }
}

/// An entry of a ticket's history, in the caller's transaction.
#[derive(Debug, Clone)]
pub struct Entry {
    pub kind: TicketEventKind,
    pub from_status: Option<TicketStatus>,
    pub to_status: Option<TicketStatus>,
    pub department: Option<String>,
    pub assignee_id: Option<i64>,
    pub body: Option<String>,
    pub visible_to_customer: bool,
}

impl Entry {
    pub fn new(kind: TicketEventKind) -> Self {
        Self {
            kind,
            from_status: None,
            to_status: None,
            department: None,
            assignee_id: None,
            body: None,
            visible_to_customer: false,
        }
    }

    pub fn record(
        self,
        conn: &mut DbConnection,
        ticket_id: i64,
        actor: &Actor,
        at: DateTime<Utc>,
    ) -> ApiResult<()> {
        TicketEventRecord::insert(
            conn,
            NewTicketEventRow {
                ticket_id,
                kind: self.kind,
                from_status: self.from_status,
                to_status: self.to_status,
                department: self.department,
                assignee_id: self.assignee_id,
                body: self.body,
                // What the customer does is theirs to see.
                visible_to_customer: self.visible_to_customer || actor.customer,
                by_customer: actor.customer,
                recorded_by: actor.label.clone(),
                user_id: actor.user_id,
                at: to_db(at),
            },
        )?;
        Ok(())
    }
}

pub fn find(conn: &mut DbConnection, id: i64) -> ApiResult<TicketRecord> {
    TicketRecord::find(conn, id).or_not_found(ErrorCode::TicketNotFound, format!("ticket {id}"))
}

/// A ticket of the subscriber's own customer; another's is not found.
pub fn find_own(
    conn: &mut DbConnection,
    principal: &Principal,
    id: i64,
) -> ApiResult<TicketRecord> {
    let customer_id = principal.own_customer_id()?;
    TicketRecord::find_of_customer(conn, customer_id, id)
        .or_not_found(ErrorCode::TicketNotFound, format!("ticket {id}"))
}

/// The next number of a gapless yearly series: `TK/2026/000001`, `AW/2026/000001`.
pub fn next_number(
    conn: &mut DbConnection,
    prefix: &str,
    sequence: &str,
    day: NaiveDate,
) -> ApiResult<String> {
    let year = day.year();
    let number = take_next(conn, &format!("{sequence}:{year}"))?;
    Ok(format!("{prefix}/{year}/{number:06}"))
}

/// A ticket's status in the customer's language, as messages write it.
pub fn status_in(language: Language, status: TicketStatus) -> &'static str {
    use TicketStatus as S;
    match (language, status) {
        (Language::En, S::New) => "received",
        (Language::En, S::InProgress) => "in progress",
        (Language::En, S::WaitingForCustomer) => "waiting for your answer",
        (Language::En, S::WaitingForVisit) => "waiting for the technician's visit",
        (Language::En, S::Resolved) => "resolved",
        (Language::En, S::Closed) => "closed",
        (Language::En, S::Reopened) => "reopened",
        (Language::Pl, S::New) => "przyjęte",
        (Language::Pl, S::InProgress) => "w realizacji",
        (Language::Pl, S::WaitingForCustomer) => "czeka na Państwa odpowiedź",
        (Language::Pl, S::WaitingForVisit) => "czeka na wizytę technika",
        (Language::Pl, S::Resolved) => "rozwiązane",
        (Language::Pl, S::Closed) => "zamknięte",
        (Language::Pl, S::Reopened) => "wznowione",
        (Language::Ru, S::New) => "принята",
        (Language::Ru, S::InProgress) => "в работе",
        (Language::Ru, S::WaitingForCustomer) => "ждёт вашего ответа",
        (Language::Ru, S::WaitingForVisit) => "ждёт визита техника",
        (Language::Ru, S::Resolved) => "решена",
        (Language::Ru, S::Closed) => "закрыта",
        (Language::Ru, S::Reopened) => "открыта снова",
    }
}
