//! Complaints (R-40..R-46): the register, the invoices each is about, its timeline, the
//! preventive measures per topic, and the calendar of days off that deadlines count on.

use chrono::NaiveDate;
use diesel::prelude::*;
use okno_domain::complaints::{
    CalendarDayKind, ComplaintChannel, ComplaintOutcome, ComplaintStatus, Jurisdiction,
};
use okno_domain::customers::Language;

use crate::schema::{
    calendar_days, complaint_events, complaint_invoices, complaint_proposals, complaints,
    preventive_measures,
};
use crate::{DbConnection, DbResult, Stored, StoredOpt, Timestamp};

#[derive(Debug, Clone, PartialEq, Eq, Queryable)]
pub struct ComplaintRecord {
    pub id: i64,
    pub number: String,
    pub customer_id: i64,
    #[diesel(deserialize_as = Stored<ComplaintChannel>)]
    pub channel: ComplaintChannel,
    pub received_at: Timestamp,
    pub received_on: NaiveDate,
    pub subject: String,
    pub claim: String,
    pub concerns_from: Option<NaiveDate>,
    pub concerns_until: Option<NaiveDate>,
    pub amount_claimed_minor: Option<i64>,
    pub currency: String,
    pub refund_demanded: bool,
    pub topic_id: Option<i64>,
    #[diesel(deserialize_as = Stored<Language>)]
    pub language: Language,
    #[diesel(deserialize_as = Stored<Jurisdiction>)]
    pub jurisdiction: Jurisdiction,
    pub acknowledge_by: NaiveDate,
    pub decide_by: NaiveDate,
    pub claim_until: Option<NaiveDate>,
    pub time_barred: bool,
    pub repeat_of: Option<i64>,
    #[diesel(deserialize_as = Stored<ComplaintStatus>)]
    pub status: ComplaintStatus,
    pub acknowledged_at: Option<Timestamp>,
    #[diesel(deserialize_as = StoredOpt<ComplaintOutcome>)]
    pub outcome: Option<ComplaintOutcome>,
    pub granted_minor: Option<i64>,
    pub reasoning: Option<String>,
    pub decided_at: Option<Timestamp>,
    pub decided_by: Option<String>,
    pub approved_by: Option<String>,
    pub credited_minor: Option<i64>,
    pub registered_by: String,
    pub created_at: Timestamp,
}

#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = complaints)]
pub struct NewComplaintRow {
    pub number: String,
    pub customer_id: i64,
    #[diesel(serialize_as = Stored<ComplaintChannel>)]
    pub channel: ComplaintChannel,
    pub received_at: Timestamp,
    pub received_on: NaiveDate,
    pub subject: String,
    pub claim: String,
    pub concerns_from: Option<NaiveDate>,
    pub concerns_until: Option<NaiveDate>,
    pub amount_claimed_minor: Option<i64>,
    pub currency: String,
    pub refund_demanded: bool,
    pub topic_id: Option<i64>,
    #[diesel(serialize_as = Stored<Language>)]
    pub language: Language,
    #[diesel(serialize_as = Stored<Jurisdiction>)]
    pub jurisdiction: Jurisdiction,
    pub acknowledge_by: NaiveDate,
    pub decide_by: NaiveDate,
    pub claim_until: Option<NaiveDate>,
    pub time_barred: bool,
    pub repeat_of: Option<i64>,
    #[diesel(serialize_as = Stored<ComplaintStatus>)]
    pub status: ComplaintStatus,
    pub registered_by: String,
    pub created_at: Timestamp,
}

/// A decision as it is written: by a person, approved by a second one, or by the clock.
#[derive(Debug, Clone)]
pub struct DecisionRow {
    pub outcome: ComplaintOutcome,
    pub granted_minor: i64,
    pub reasoning: String,
    pub decided_at: Timestamp,
    pub decided_by: String,
    pub approved_by: Option<String>,
}

/// A decision proposed for a second person's approval.
#[derive(Debug, Clone, Queryable, Insertable)]
#[diesel(table_name = complaint_proposals)]
pub struct ProposalRow {
    pub complaint_id: i64,
    #[diesel(deserialize_as = Stored<ComplaintOutcome>, serialize_as = Stored<ComplaintOutcome>)]
    pub outcome: ComplaintOutcome,
    pub granted_minor: i64,
    pub reasoning: String,
    pub proposed_by: String,
    pub proposed_by_user_id: Option<i64>,
    pub proposed_at: Timestamp,
}

/// Which complaints a list shows.
#[derive(Debug, Clone, Default)]
pub struct ComplaintFilter {
    pub customer_id: Option<i64>,
    pub statuses: Vec<ComplaintStatus>,
    pub topic_id: Option<i64>,
    /// Undecided and due to be decided by this day at the latest (overdue included).
    pub decide_by_until: Option<NaiveDate>,
    pub received_from: Option<NaiveDate>,
    pub received_to: Option<NaiveDate>,
    pub number: Option<String>,
}

const UNDECIDED: [&str; 3] = ["registered", "acknowledged", "awaiting_approval"];

impl ComplaintRecord {
    pub fn insert(conn: &mut DbConnection, row: NewComplaintRow) -> DbResult<Self> {
        let id: i64 = diesel::insert_into(complaints::table)
            .values(row)
            .returning(complaints::id)
            .get_result(conn)?;
        Self::find(conn, id)
    }

    pub fn find(conn: &mut DbConnection, id: i64) -> DbResult<Self> {
        Ok(complaints::table.find(id).first(conn)?)
    }

    /// A customer's complaint, or not found: a subscriber never learns of another's.
    pub fn find_of_customer(conn: &mut DbConnection, customer_id: i64, id: i64) -> DbResult<Self> {
        Ok(complaints::table
            .find(id)
            .filter(complaints::customer_id.eq(customer_id))
            .first(conn)?)
    }

    fn filtered(
        filter: &ComplaintFilter,
    ) -> complaints::BoxedQuery<'static, crate::connection::MultiBackend> {
        let mut query = complaints::table.into_boxed();
        if let Some(customer) = filter.customer_id {
            query = query.filter(complaints::customer_id.eq(customer));
        }
        if !filter.statuses.is_empty() {
            let statuses: Vec<String> = filter
                .statuses
                .iter()
                .map(|s| s.as_str().to_owned())
                .collect();
            query = query.filter(complaints::status.eq_any(statuses));
        }
        if let Some(topic) = filter.topic_id {
            query = query.filter(complaints::topic_id.eq(topic));
        }
        if let Some(until) = filter.decide_by_until {
            query = query
                .filter(complaints::status.eq_any(UNDECIDED))
                .filter(complaints::decide_by.le(until));
        }
        if let Some(from) = filter.received_from {
            query = query.filter(complaints::received_on.ge(from));
        }
        if let Some(to) = filter.received_to {
            query = query.filter(complaints::received_on.le(to));
        }
        if let Some(number) = &filter.number {
            query = query.filter(complaints::number.eq(number.clone()));
        }
        query
    }

    /// The register: undecided first by their deadline, then the decided, newest first.
    pub fn list(
        conn: &mut DbConnection,
        filter: &ComplaintFilter,
        offset: i64,
        limit: i64,
    ) -> DbResult<Vec<Self>> {
        Ok(Self::filtered(filter)
            .order((
                complaints::decided_at.is_not_null(),
                complaints::decide_by,
                complaints::id.desc(),
            ))
            .offset(offset)
            .limit(limit)
            .load(conn)?)
    }

    pub fn count(conn: &mut DbConnection, filter: &ComplaintFilter) -> DbResult<i64> {
        Ok(Self::filtered(filter).count().get_result(conn)?)
    }

    /// Undecided complaints whose decide-by day was before `today`: due to the clock.
    pub fn past_their_deadline(conn: &mut DbConnection, today: NaiveDate) -> DbResult<Vec<i64>> {
        Ok(complaints::table
            .filter(complaints::status.eq_any(UNDECIDED))
            .filter(complaints::decide_by.lt(today))
            .order(complaints::decide_by)
            .select(complaints::id)
            .load(conn)?)
    }

    /// A customer's earlier complaints, for the repeat rule.
    pub fn of_customer(conn: &mut DbConnection, customer_id: i64) -> DbResult<Vec<Self>> {
        Ok(complaints::table
            .filter(complaints::customer_id.eq(customer_id))
            .order(complaints::id)
            .load(conn)?)
    }

    /// Complaints received in a period, for the monitoring.
    pub fn received_between(
        conn: &mut DbConnection,
        from: NaiveDate,
        to: NaiveDate,
    ) -> DbResult<Vec<Self>> {
        Ok(complaints::table
            .filter(complaints::received_on.ge(from))
            .filter(complaints::received_on.le(to))
            .order(complaints::id)
            .load(conn)?)
    }

    /// Every undecided complaint, for the deadline board.
    pub fn undecided(conn: &mut DbConnection) -> DbResult<Vec<Self>> {
        Ok(complaints::table
            .filter(complaints::status.eq_any(UNDECIDED))
            .order((complaints::decide_by, complaints::id))
            .load(conn)?)
    }

    /// Marks receipt confirmed, once: false when it already was (or it was decided).
    pub fn mark_acknowledged(conn: &mut DbConnection, id: i64, at: Timestamp) -> DbResult<bool> {
        let changed = diesel::update(
            complaints::table
                .find(id)
                .filter(complaints::acknowledged_at.is_null()),
        )
        .set(complaints::acknowledged_at.eq(Some(at)))
        .execute(conn)?;
        diesel::update(
            complaints::table
                .find(id)
                .filter(complaints::status.eq(ComplaintStatus::Registered.as_str())),
        )
        .set(complaints::status.eq(ComplaintStatus::Acknowledged.as_str()))
        .execute(conn)?;
        Ok(changed == 1)
    }

    /// Writes a decision, once: false when the complaint was decided already (another server's
    /// clock, another person). The first statement of a decision's transaction, so that the
    /// row is held until it ends: a second decider waits, then finds it decided.
    pub fn decide(conn: &mut DbConnection, id: i64, decision: &DecisionRow) -> DbResult<bool> {
        let changed = diesel::update(
            complaints::table
                .find(id)
                .filter(complaints::status.eq_any(UNDECIDED)),
        )
        .set((
            complaints::status.eq(ComplaintStatus::Decided.as_str()),
            complaints::outcome.eq(Some(decision.outcome.as_str())),
            complaints::granted_minor.eq(Some(decision.granted_minor)),
            complaints::reasoning.eq(Some(decision.reasoning.clone())),
            complaints::decided_at.eq(Some(decision.decided_at)),
            complaints::decided_by.eq(Some(decision.decided_by.clone())),
            complaints::approved_by.eq(decision.approved_by.clone()),
        ))
        .execute(conn)?;
        Ok(changed == 1)
    }

    /// Puts a decision up for approval: false unless the complaint is undecided and has no
    /// proposal waiting.
    pub fn propose(conn: &mut DbConnection, proposal: ProposalRow) -> DbResult<bool> {
        let changed = diesel::update(
            complaints::table
                .find(proposal.complaint_id)
                .filter(complaints::status.eq_any(["registered", "acknowledged"])),
        )
        .set(complaints::status.eq(ComplaintStatus::AwaitingApproval.as_str()))
        .execute(conn)?;
        if changed == 1 {
            diesel::insert_into(complaint_proposals::table)
                .values(proposal)
                .execute(conn)?;
        }
        Ok(changed == 1)
    }

    /// The decision waiting for approval, if any.
    pub fn proposal(conn: &mut DbConnection, id: i64) -> DbResult<Option<ProposalRow>> {
        Ok(complaint_proposals::table.find(id).first(conn).optional()?)
    }

    /// Ends a proposal (approved, sent back, or overtaken by the clock). When `reopen`, the
    /// complaint is undecided again, as acknowledged or registered.
    pub fn drop_proposal(conn: &mut DbConnection, id: i64, reopen: bool) -> DbResult<bool> {
        let removed = diesel::delete(complaint_proposals::table.find(id)).execute(conn)?;
        if reopen {
            let record = Self::find(conn, id)?;
            let back = if record.acknowledged_at.is_some() {
                ComplaintStatus::Acknowledged
            } else {
                ComplaintStatus::Registered
            };
            diesel::update(
                complaints::table
                    .find(id)
                    .filter(complaints::status.eq(ComplaintStatus::AwaitingApproval.as_str())),
            )
            .set(complaints::status.eq(back.as_str()))
            .execute(conn)?;
        }
        Ok(removed == 1)
    }

    pub fn set_credited(conn: &mut DbConnection, id: i64, credited_minor: i64) -> DbResult<()> {
        diesel::update(complaints::table.find(id))
            .set(complaints::credited_minor.eq(Some(credited_minor)))
            .execute(conn)?;
        Ok(())
    }
}

/// The invoices a complaint is about, in order.
pub fn invoices_of(conn: &mut DbConnection, complaint_id: i64) -> DbResult<Vec<i64>> {
    Ok(complaint_invoices::table
        .filter(complaint_invoices::complaint_id.eq(complaint_id))
        .order(complaint_invoices::position)
        .select(complaint_invoices::invoice_id)
        .load(conn)?)
}

pub fn link_invoices(
    conn: &mut DbConnection,
    complaint_id: i64,
    invoice_ids: &[i64],
) -> DbResult<()> {
    for (position, invoice_id) in (1_i32..).zip(invoice_ids) {
        diesel::insert_into(complaint_invoices::table)
            .values((
                complaint_invoices::complaint_id.eq(complaint_id),
                complaint_invoices::invoice_id.eq(*invoice_id),
                complaint_invoices::position.eq(position),
            ))
            .execute(conn)?;
    }
    Ok(())
}

#[derive(Debug, Clone, PartialEq, Eq, Queryable)]
pub struct ComplaintEventRecord {
    pub id: i64,
    pub complaint_id: i64,
    pub kind: String,
    pub note: Option<String>,
    pub invoice_id: Option<i64>,
    pub document_id: Option<i64>,
    pub recorded_by: String,
    pub at: Timestamp,
}

#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = complaint_events)]
pub struct NewComplaintEventRow {
    pub complaint_id: i64,
    pub kind: String,
    pub note: Option<String>,
    pub invoice_id: Option<i64>,
    pub document_id: Option<i64>,
    pub recorded_by: String,
    pub at: Timestamp,
}

impl ComplaintEventRecord {
    pub fn insert(conn: &mut DbConnection, row: NewComplaintEventRow) -> DbResult<()> {
        diesel::insert_into(complaint_events::table)
            .values(row)
            .execute(conn)?;
        Ok(())
    }

    pub fn of_complaint(conn: &mut DbConnection, complaint_id: i64) -> DbResult<Vec<Self>> {
        Ok(complaint_events::table
            .filter(complaint_events::complaint_id.eq(complaint_id))
            .order(complaint_events::id)
            .load(conn)?)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Queryable)]
pub struct MeasureRecord {
    pub id: i64,
    pub topic_id: i64,
    pub description: String,
    pub owner: String,
    pub due_on: NaiveDate,
    pub done_on: Option<NaiveDate>,
    pub recorded_by: String,
    pub created_at: Timestamp,
}

#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = preventive_measures)]
pub struct NewMeasureRow {
    pub topic_id: i64,
    pub description: String,
    pub owner: String,
    pub due_on: NaiveDate,
    pub recorded_by: String,
    pub created_at: Timestamp,
}

impl MeasureRecord {
    pub fn insert(conn: &mut DbConnection, row: NewMeasureRow) -> DbResult<Self> {
        let id: i64 = diesel::insert_into(preventive_measures::table)
            .values(row)
            .returning(preventive_measures::id)
            .get_result(conn)?;
        Self::find(conn, id)
    }

    pub fn find(conn: &mut DbConnection, id: i64) -> DbResult<Self> {
        Ok(preventive_measures::table.find(id).first(conn)?)
    }

    pub fn list(conn: &mut DbConnection) -> DbResult<Vec<Self>> {
        Ok(preventive_measures::table
            .order((
                preventive_measures::done_on.is_not_null(),
                preventive_measures::due_on,
            ))
            .load(conn)?)
    }

    pub fn set_done(
        conn: &mut DbConnection,
        id: i64,
        done_on: Option<NaiveDate>,
    ) -> DbResult<Self> {
        diesel::update(preventive_measures::table.find(id))
            .set(preventive_measures::done_on.eq(done_on))
            .execute(conn)?;
        Self::find(conn, id)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Queryable)]
pub struct CalendarDayRecord {
    #[diesel(deserialize_as = Stored<Jurisdiction>)]
    pub jurisdiction: Jurisdiction,
    pub day: NaiveDate,
    #[diesel(deserialize_as = Stored<CalendarDayKind>)]
    pub kind: CalendarDayKind,
    pub name: String,
}

#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = calendar_days)]
pub struct CalendarDayRow {
    #[diesel(serialize_as = Stored<Jurisdiction>)]
    pub jurisdiction: Jurisdiction,
    pub day: NaiveDate,
    #[diesel(serialize_as = Stored<CalendarDayKind>)]
    pub kind: CalendarDayKind,
    pub name: String,
}

impl CalendarDayRecord {
    pub fn of(conn: &mut DbConnection, jurisdiction: Jurisdiction) -> DbResult<Vec<Self>> {
        Ok(calendar_days::table
            .filter(calendar_days::jurisdiction.eq(jurisdiction.as_str()))
            .order(calendar_days::day)
            .load(conn)?)
    }

    /// Replaces the days of `jurisdiction` in `year` with `rows` (a year's decree loaded as
    /// a whole).
    pub fn replace_year(
        conn: &mut DbConnection,
        jurisdiction: Jurisdiction,
        year: i32,
        rows: Vec<CalendarDayRow>,
    ) -> DbResult<usize> {
        let (first, last) = (
            NaiveDate::from_ymd_opt(year, 1, 1).unwrap_or_default(),
            NaiveDate::from_ymd_opt(year, 12, 31).unwrap_or_default(),
        );
        diesel::delete(
            calendar_days::table
                .filter(calendar_days::jurisdiction.eq(jurisdiction.as_str()))
                .filter(calendar_days::day.ge(first))
                .filter(calendar_days::day.le(last)),
        )
        .execute(conn)?;
        let count = rows.len();
        for row in rows {
            diesel::insert_into(calendar_days::table)
                .values(row)
                .execute(conn)?;
        }
        Ok(count)
    }
}
