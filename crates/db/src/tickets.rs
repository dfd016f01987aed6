//! Technical problems (R-50..R-53): departments, the SLA settings, tickets with their history
//! and attachments, diagnostic scripts in versions and their walks, incidents, technicians'
//! slots and visits.

use std::collections::HashMap;

use diesel::prelude::*;
use okno_domain::tickets::outages::{AreaScope, IncidentStatus};
use okno_domain::tickets::{
    TicketCategory, TicketEventKind, TicketPriority, TicketSource, TicketStatus, VisitOutcome,
    VisitStatus,
};

use crate::schema::{
    customers, departments, diagnostic_script_versions, diagnostic_scripts, incidents,
    opening_hours, script_runs, sla_policies, technician_slots, ticket_attachments, ticket_events,
    tickets, users, visits,
};
use crate::{DbConnection, DbResult, Stored, StoredOpt, Timestamp};

// ---------------------------------------------------------------------------------------
// Departments and the SLA settings

#[derive(Debug, Clone, PartialEq, Eq, Queryable, Insertable, AsChangeset)]
#[diesel(table_name = departments, treat_none_as_null = true)]
pub struct DepartmentRecord {
    pub code: String,
    pub name_en: String,
    pub name_pl: Option<String>,
    pub name_ru: Option<String>,
    pub active: bool,
    pub position: i32,
}

impl DepartmentRecord {
    pub fn all(conn: &mut DbConnection) -> DbResult<Vec<Self>> {
        Ok(departments::table
            .order((departments::position, departments::code))
            .load(conn)?)
    }

    pub fn find(conn: &mut DbConnection, code: &str) -> DbResult<Self> {
        Ok(departments::table.find(code).first(conn)?)
    }

    pub fn insert(conn: &mut DbConnection, row: &Self) -> DbResult<Self> {
        diesel::insert_into(departments::table)
            .values(row)
            .execute(conn)?;
        Self::find(conn, &row.code)
    }

    pub fn update(conn: &mut DbConnection, row: &Self) -> DbResult<Self> {
        let changed = diesel::update(departments::table.find(&row.code))
            .set(row)
            .execute(conn)?;
        if changed == 0 {
            return Err(crate::DbError::NotFound);
        }
        Self::find(conn, &row.code)
    }

    /// The codes of the departments that take tickets.
    pub fn active_codes(conn: &mut DbConnection) -> DbResult<Vec<String>> {
        Ok(departments::table
            .filter(departments::active.eq(true))
            .order(departments::position)
            .select(departments::code)
            .load(conn)?)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Queryable, Insertable)]
#[diesel(table_name = sla_policies)]
pub struct SlaPolicyRecord {
    #[diesel(deserialize_as = Stored<TicketPriority>, serialize_as = Stored<TicketPriority>)]
    pub priority: TicketPriority,
    pub first_response_minutes: i32,
    pub next_update_minutes: i32,
    pub resolution_minutes: i32,
    pub around_the_clock: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Queryable, Insertable)]
#[diesel(table_name = opening_hours)]
pub struct OpeningHoursRecord {
    /// 1 is Monday.
    pub weekday: i32,
    pub opens: Option<String>,
    pub closes: Option<String>,
}

/// The SLA targets and the opening hours, read and replaced together.
pub fn sla_settings(
    conn: &mut DbConnection,
) -> DbResult<(Vec<SlaPolicyRecord>, Vec<OpeningHoursRecord>)> {
    let policies = sla_policies::table.load(conn)?;
    let hours = opening_hours::table
        .order(opening_hours::weekday)
        .load(conn)?;
    Ok((policies, hours))
}

pub fn replace_sla_settings(
    conn: &mut DbConnection,
    policies: Vec<SlaPolicyRecord>,
    hours: Vec<OpeningHoursRecord>,
) -> DbResult<()> {
    diesel::delete(sla_policies::table).execute(conn)?;
    for policy in policies {
        diesel::insert_into(sla_policies::table)
            .values(policy)
            .execute(conn)?;
    }
    diesel::delete(opening_hours::table).execute(conn)?;
    for day in hours {
        diesel::insert_into(opening_hours::table)
            .values(day)
            .execute(conn)?;
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------
// Tickets

#[derive(Debug, Clone, PartialEq, Eq, Queryable)]
pub struct TicketRecord {
    pub id: i64,
    pub number: String,
    pub customer_id: i64,
    pub subscription_id: Option<i64>,
    #[diesel(deserialize_as = Stored<TicketCategory>)]
    pub category: TicketCategory,
    #[diesel(deserialize_as = Stored<TicketPriority>)]
    pub priority: TicketPriority,
    pub department: String,
    pub assignee_id: Option<i64>,
    #[diesel(deserialize_as = Stored<TicketStatus>)]
    pub status: TicketStatus,
    pub title: String,
    pub description: String,
    #[diesel(deserialize_as = Stored<TicketSource>)]
    pub source: TicketSource,
    pub service_address: Option<String>,
    pub area_building: Option<String>,
    pub area_street: Option<String>,
    pub area_postcode: Option<String>,
    pub network_node: Option<String>,
    pub incident_id: Option<i64>,
    pub interaction_id: Option<i64>,
    pub opened_by: String,
    pub opened_by_user_id: Option<i64>,
    pub opened_at: Timestamp,
    pub resolved_at: Option<Timestamp>,
    pub closed_at: Option<Timestamp>,
}

#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = tickets)]
pub struct NewTicketRow {
    pub number: String,
    pub customer_id: i64,
    pub subscription_id: Option<i64>,
    #[diesel(serialize_as = Stored<TicketCategory>)]
    pub category: TicketCategory,
    #[diesel(serialize_as = Stored<TicketPriority>)]
    pub priority: TicketPriority,
    pub department: String,
    pub assignee_id: Option<i64>,
    #[diesel(serialize_as = Stored<TicketStatus>)]
    pub status: TicketStatus,
    pub title: String,
    pub description: String,
    #[diesel(serialize_as = Stored<TicketSource>)]
    pub source: TicketSource,
    pub service_address: Option<String>,
    pub area_building: Option<String>,
    pub area_street: Option<String>,
    pub area_postcode: Option<String>,
    pub network_node: Option<String>,
    pub interaction_id: Option<i64>,
    pub opened_by: String,
    pub opened_by_user_id: Option<i64>,
    pub opened_at: Timestamp,
}

/// Which tickets a queue shows.
#[derive(Debug, Clone, Default)]
pub struct TicketFilter {
    pub department: Option<String>,
    pub statuses: Vec<TicketStatus>,
    pub assignee_id: Option<i64>,
    pub customer_id: Option<i64>,
    pub category: Option<TicketCategory>,
    pub priority: Option<TicketPriority>,
    pub incident_id: Option<i64>,
    pub number: Option<String>,
}

fn names(statuses: &[TicketStatus]) -> Vec<String> {
    statuses.iter().map(|s| s.as_str().to_owned()).collect()
}

/// The statuses of a ticket still being worked on.
pub fn open_statuses() -> Vec<TicketStatus> {
    TicketStatus::all().filter(|s| s.is_open()).collect()
}

impl TicketRecord {
    pub fn insert(conn: &mut DbConnection, row: NewTicketRow) -> DbResult<Self> {
        let id: i64 = diesel::insert_into(tickets::table)
            .values(row)
            .returning(tickets::id)
            .get_result(conn)?;
        Self::find(conn, id)
    }

    pub fn find(conn: &mut DbConnection, id: i64) -> DbResult<Self> {
        Ok(tickets::table.find(id).first(conn)?)
    }

    /// A customer's ticket, or not found: a subscriber never learns of another's.
    pub fn find_of_customer(conn: &mut DbConnection, customer_id: i64, id: i64) -> DbResult<Self> {
        Ok(tickets::table
            .find(id)
            .filter(tickets::customer_id.eq(customer_id))
            .first(conn)?)
    }

    /// The tickets of a filter, at most `cap` (the queue sorts them by SLA itself).
    pub fn list(conn: &mut DbConnection, filter: &TicketFilter, cap: i64) -> DbResult<Vec<Self>> {
        let mut query = tickets::table.into_boxed();
        if let Some(department) = &filter.department {
            query = query.filter(tickets::department.eq(department.clone()));
        }
        if !filter.statuses.is_empty() {
            query = query.filter(tickets::status.eq_any(names(&filter.statuses)));
        }
        if let Some(assignee) = filter.assignee_id {
            query = query.filter(tickets::assignee_id.eq(assignee));
        }
        if let Some(customer) = filter.customer_id {
            query = query.filter(tickets::customer_id.eq(customer));
        }
        if let Some(category) = filter.category {
            query = query.filter(tickets::category.eq(category.as_str()));
        }
        if let Some(priority) = filter.priority {
            query = query.filter(tickets::priority.eq(priority.as_str()));
        }
        if let Some(incident) = filter.incident_id {
            query = query.filter(tickets::incident_id.eq(incident));
        }
        if let Some(number) = &filter.number {
            query = query.filter(tickets::number.eq(number.clone()));
        }
        Ok(query.order(tickets::id.desc()).limit(cap).load(conn)?)
    }

    /// Tickets opened in `[from, to)`, at most `cap`, oldest first: what a report counts.
    pub fn opened_between(
        conn: &mut DbConnection,
        from: Timestamp,
        to: Timestamp,
        cap: i64,
    ) -> DbResult<Vec<Self>> {
        Ok(tickets::table
            .filter(tickets::opened_at.ge(from))
            .filter(tickets::opened_at.lt(to))
            .order(tickets::id)
            .limit(cap)
            .load(conn)?)
    }

    /// Open tickets placed somewhere, opened since `since`: what outage detection looks at.
    pub fn open_faults_since(conn: &mut DbConnection, since: Timestamp) -> DbResult<Vec<Self>> {
        Ok(tickets::table
            .filter(tickets::status.eq_any(names(&open_statuses())))
            .filter(tickets::opened_at.ge(since))
            .order(tickets::opened_at)
            .load(conn)?)
    }

    /// Moves a ticket from `from` to `to` only if it is still in `from`: of two people acting
    /// at once, one wins. Whether it did.
    pub fn move_status(
        conn: &mut DbConnection,
        id: i64,
        from: TicketStatus,
        to: TicketStatus,
        at: Timestamp,
    ) -> DbResult<bool> {
        let resolved_at = match to {
            TicketStatus::Resolved => Some(at),
            TicketStatus::Closed => Self::find(conn, id)?.resolved_at.or(Some(at)),
            _ => None,
        };
        let changed = diesel::update(
            tickets::table
                .find(id)
                .filter(tickets::status.eq(from.as_str())),
        )
        .set((
            tickets::status.eq(to.as_str()),
            tickets::resolved_at.eq(resolved_at),
            tickets::closed_at.eq((to == TicketStatus::Closed).then_some(at)),
        ))
        .execute(conn)?;
        Ok(changed == 1)
    }

    pub fn set_department(conn: &mut DbConnection, id: i64, department: &str) -> DbResult<()> {
        diesel::update(tickets::table.find(id))
            .set(tickets::department.eq(department))
            .execute(conn)?;
        Ok(())
    }

    pub fn set_assignee(conn: &mut DbConnection, id: i64, assignee: Option<i64>) -> DbResult<()> {
        diesel::update(tickets::table.find(id))
            .set(tickets::assignee_id.eq(assignee))
            .execute(conn)?;
        Ok(())
    }

    /// Links a ticket to an incident unless it is linked already; whether it was.
    pub fn link_incident(conn: &mut DbConnection, id: i64, incident_id: i64) -> DbResult<bool> {
        let changed = diesel::update(
            tickets::table
                .find(id)
                .filter(tickets::incident_id.is_null()),
        )
        .set(tickets::incident_id.eq(incident_id))
        .execute(conn)?;
        Ok(changed == 1)
    }

    /// Open tickets in an area (a key of one scope), for the affected list and the joins.
    pub fn open_in_area(
        conn: &mut DbConnection,
        scope: AreaScope,
        key: &str,
    ) -> DbResult<Vec<Self>> {
        let query = tickets::table
            .filter(tickets::status.eq_any(names(&open_statuses())))
            .into_boxed();
        let query = match scope {
            AreaScope::Building => query.filter(tickets::area_building.eq(key.to_owned())),
            AreaScope::Street => query.filter(tickets::area_street.eq(key.to_owned())),
            AreaScope::Postcode => query.filter(tickets::area_postcode.eq(key.to_owned())),
            AreaScope::NetworkNode => query.filter(tickets::network_node.eq(key.to_owned())),
        };
        Ok(query.order(tickets::id).load(conn)?)
    }
}

/// Display names of customers by id.
pub fn customer_names(conn: &mut DbConnection, ids: &[i64]) -> DbResult<HashMap<i64, String>> {
    let rows: Vec<(i64, String)> = customers::table
        .filter(customers::id.eq_any(ids))
        .select((customers::id, customers::display_name))
        .load(conn)?;
    Ok(rows.into_iter().collect())
}

/// Display names of staff users by id.
pub fn user_names(conn: &mut DbConnection, ids: &[i64]) -> DbResult<HashMap<i64, String>> {
    let rows: Vec<(i64, String)> = users::table
        .filter(users::id.eq_any(ids))
        .select((users::id, users::display_name))
        .load(conn)?;
    Ok(rows.into_iter().collect())
}

#[derive(Debug, Clone, PartialEq, Eq, Queryable)]
pub struct TicketEventRecord {
    pub id: i64,
    pub ticket_id: i64,
    #[diesel(deserialize_as = Stored<TicketEventKind>)]
    pub kind: TicketEventKind,
    #[diesel(deserialize_as = StoredOpt<TicketStatus>)]
    pub from_status: Option<TicketStatus>,
    #[diesel(deserialize_as = StoredOpt<TicketStatus>)]
    pub to_status: Option<TicketStatus>,
    pub department: Option<String>,
    pub assignee_id: Option<i64>,
    pub body: Option<String>,
    pub visible_to_customer: bool,
    pub by_customer: bool,
    pub recorded_by: String,
    pub user_id: Option<i64>,
    pub at: Timestamp,
}

#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = ticket_events)]
pub struct NewTicketEventRow {
    pub ticket_id: i64,
    #[diesel(serialize_as = Stored<TicketEventKind>)]
    pub kind: TicketEventKind,
    #[diesel(serialize_as = StoredOpt<TicketStatus>)]
    pub from_status: Option<TicketStatus>,
    #[diesel(serialize_as = StoredOpt<TicketStatus>)]
    pub to_status: Option<TicketStatus>,
    pub department: Option<String>,
    pub assignee_id: Option<i64>,
    pub body: Option<String>,
    pub visible_to_customer: bool,
    pub by_customer: bool,
    pub recorded_by: String,
    pub user_id: Option<i64>,
    pub at: Timestamp,
}

impl TicketEventRecord {
    pub fn insert(conn: &mut DbConnection, row: NewTicketEventRow) -> DbResult<()> {
        diesel::insert_into(ticket_events::table)
            .values(row)
            .execute(conn)?;
        Ok(())
    }

    pub fn of_ticket(conn: &mut DbConnection, ticket_id: i64) -> DbResult<Vec<Self>> {
        Ok(ticket_events::table
            .filter(ticket_events::ticket_id.eq(ticket_id))
            .order(ticket_events::id)
            .load(conn)?)
    }

    /// The events that move SLA clocks, of many tickets at once, grouped by ticket.
    pub fn clock_events_of(
        conn: &mut DbConnection,
        ticket_ids: &[i64],
    ) -> DbResult<HashMap<i64, Vec<Self>>> {
        let mut grouped: HashMap<i64, Vec<Self>> = HashMap::new();
        // Bounded batches keep the IN list within both backends' parameter limits.
        for chunk in ticket_ids.chunks(500) {
            let rows: Vec<Self> = ticket_events::table
                .filter(ticket_events::ticket_id.eq_any(chunk))
                .filter(ticket_events::kind.eq_any([
                    TicketEventKind::Opened.as_str(),
                    TicketEventKind::StatusChanged.as_str(),
                    TicketEventKind::Comment.as_str(),
                ]))
                .order(ticket_events::id)
                .load(conn)?;
            for row in rows {
                grouped.entry(row.ticket_id).or_default().push(row);
            }
        }
        Ok(grouped)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Queryable)]
pub struct AttachmentRecord {
    pub id: i64,
    pub ticket_id: i64,
    pub file_name: String,
    pub content_type: String,
    pub size_bytes: i64,
    pub visible_to_customer: bool,
    pub uploaded_by: String,
    pub at: Timestamp,
}

#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = ticket_attachments)]
pub struct NewAttachmentRow {
    pub ticket_id: i64,
    pub file_name: String,
    pub content_type: String,
    pub size_bytes: i64,
    pub content: Vec<u8>,
    pub visible_to_customer: bool,
    pub uploaded_by: String,
    pub at: Timestamp,
}

type AttachmentColumns = (
    ticket_attachments::id,
    ticket_attachments::ticket_id,
    ticket_attachments::file_name,
    ticket_attachments::content_type,
    ticket_attachments::size_bytes,
    ticket_attachments::visible_to_customer,
    ticket_attachments::uploaded_by,
    ticket_attachments::at,
);

const ATTACHMENT_COLUMNS: AttachmentColumns = (
    ticket_attachments::id,
    ticket_attachments::ticket_id,
    ticket_attachments::file_name,
    ticket_attachments::content_type,
    ticket_attachments::size_bytes,
    ticket_attachments::visible_to_customer,
    ticket_attachments::uploaded_by,
    ticket_attachments::at,
);

impl AttachmentRecord {
    pub fn insert(conn: &mut DbConnection, row: NewAttachmentRow) -> DbResult<Self> {
        let id: i64 = diesel::insert_into(ticket_attachments::table)
            .values(row)
            .returning(ticket_attachments::id)
            .get_result(conn)?;
        Ok(ticket_attachments::table
            .find(id)
            .select(ATTACHMENT_COLUMNS)
            .first(conn)?)
    }

    pub fn of_ticket(conn: &mut DbConnection, ticket_id: i64) -> DbResult<Vec<Self>> {
        Ok(ticket_attachments::table
            .filter(ticket_attachments::ticket_id.eq(ticket_id))
            .order(ticket_attachments::id)
            .select(ATTACHMENT_COLUMNS)
            .load(conn)?)
    }

    pub fn count_of_ticket(conn: &mut DbConnection, ticket_id: i64) -> DbResult<i64> {
        Ok(ticket_attachments::table
            .filter(ticket_attachments::ticket_id.eq(ticket_id))
            .count()
            .get_result(conn)?)
    }

    /// An attachment of a ticket with its bytes.
    pub fn content(conn: &mut DbConnection, ticket_id: i64, id: i64) -> DbResult<(Self, Vec<u8>)> {
        let record: Self = ticket_attachments::table
            .find(id)
            .filter(ticket_attachments::ticket_id.eq(ticket_id))
            .select(ATTACHMENT_COLUMNS)
            .first(conn)?;
        let bytes: Vec<u8> = ticket_attachments::table
            .find(id)
            .select(ticket_attachments::content)
            .first(conn)?;
        Ok((record, bytes))
    }
}

// ---------------------------------------------------------------------------------------
// Diagnostic scripts

#[derive(Debug, Clone, PartialEq, Eq, Queryable)]
pub struct ScriptRecord {
    pub id: i64,
    pub name: String,
    #[diesel(deserialize_as = StoredOpt<TicketCategory>)]
    pub category: Option<TicketCategory>,
    pub active: bool,
    pub current_version: i32,
    pub updated_at: Timestamp,
    pub updated_by: String,
}

#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = diagnostic_scripts)]
pub struct NewScriptRow {
    pub name: String,
    #[diesel(serialize_as = StoredOpt<TicketCategory>)]
    pub category: Option<TicketCategory>,
    pub active: bool,
    pub current_version: i32,
    pub updated_at: Timestamp,
    pub updated_by: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Queryable)]
pub struct ScriptVersionRecord {
    pub id: i64,
    pub script_id: i64,
    pub version: i32,
    /// JSON of `ScriptBody`.
    pub body: String,
    pub created_by: String,
    pub created_at: Timestamp,
}

#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = diagnostic_script_versions)]
pub struct NewScriptVersionRow {
    pub script_id: i64,
    pub version: i32,
    pub body: String,
    pub created_by: String,
    pub created_at: Timestamp,
}

impl ScriptRecord {
    pub fn all(conn: &mut DbConnection) -> DbResult<Vec<Self>> {
        Ok(diagnostic_scripts::table
            .order((diagnostic_scripts::name, diagnostic_scripts::id))
            .load(conn)?)
    }

    pub fn find(conn: &mut DbConnection, id: i64) -> DbResult<Self> {
        Ok(diagnostic_scripts::table.find(id).first(conn)?)
    }

    /// A new script with its first version.
    pub fn insert(
        conn: &mut DbConnection,
        row: NewScriptRow,
        body: String,
    ) -> DbResult<(Self, ScriptVersionRecord)> {
        let (created_by, created_at) = (row.updated_by.clone(), row.updated_at);
        let id: i64 = diesel::insert_into(diagnostic_scripts::table)
            .values(row)
            .returning(diagnostic_scripts::id)
            .get_result(conn)?;
        let version = ScriptVersionRecord::insert(
            conn,
            NewScriptVersionRow {
                script_id: id,
                version: 1,
                body,
                created_by,
                created_at,
            },
        )?;
        Ok((Self::find(conn, id)?, version))
    }

    /// A new version of a script: the version before stays as it was. The version number is
    /// taken by a conditional update, so two editors saving at once make two versions.
    pub fn new_version(
        conn: &mut DbConnection,
        id: i64,
        row: NewScriptRow,
        body: String,
    ) -> DbResult<(Self, ScriptVersionRecord)> {
        let current = Self::find(conn, id)?;
        let next = current.current_version.saturating_add(1);
        let changed = diesel::update(
            diagnostic_scripts::table
                .find(id)
                .filter(diagnostic_scripts::current_version.eq(current.current_version)),
        )
        .set((
            diagnostic_scripts::name.eq(&row.name),
            diagnostic_scripts::category.eq(row.category.map(|c| c.as_str())),
            diagnostic_scripts::active.eq(row.active),
            diagnostic_scripts::current_version.eq(next),
            diagnostic_scripts::updated_at.eq(row.updated_at),
            diagnostic_scripts::updated_by.eq(&row.updated_by),
        ))
        .execute(conn)?;
        if changed == 0 {
            return Err(crate::DbError::Stale);
        }
        let version = ScriptVersionRecord::insert(
            conn,
            NewScriptVersionRow {
                script_id: id,
                version: next,
                body,
                created_by: row.updated_by,
                created_at: row.updated_at,
            },
        )?;
        Ok((Self::find(conn, id)?, version))
    }
}

impl ScriptVersionRecord {
    fn insert(conn: &mut DbConnection, row: NewScriptVersionRow) -> DbResult<Self> {
        let id: i64 = diesel::insert_into(diagnostic_script_versions::table)
            .values(row)
            .returning(diagnostic_script_versions::id)
            .get_result(conn)?;
        Self::find(conn, id)
    }

    pub fn find(conn: &mut DbConnection, id: i64) -> DbResult<Self> {
        Ok(diagnostic_script_versions::table.find(id).first(conn)?)
    }

    pub fn of_script(conn: &mut DbConnection, script_id: i64, version: i32) -> DbResult<Self> {
        Ok(diagnostic_script_versions::table
            .filter(diagnostic_script_versions::script_id.eq(script_id))
            .filter(diagnostic_script_versions::version.eq(version))
            .first(conn)?)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Queryable)]
pub struct ScriptRunRecord {
    pub id: i64,
    pub script_version_id: i64,
    pub customer_id: i64,
    pub interaction_id: Option<i64>,
    pub ticket_id: Option<i64>,
    /// JSON of `Vec<PathStep>`.
    pub path: String,
    pub current_node: Option<String>,
    /// JSON of `ScriptOutcome`.
    pub outcome: Option<String>,
    pub started_by: String,
    pub started_at: Timestamp,
    pub finished_at: Option<Timestamp>,
}

#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = script_runs)]
pub struct NewScriptRunRow {
    pub script_version_id: i64,
    pub customer_id: i64,
    pub interaction_id: Option<i64>,
    pub path: String,
    pub current_node: Option<String>,
    pub outcome: Option<String>,
    pub started_by: String,
    pub started_at: Timestamp,
    pub finished_at: Option<Timestamp>,
}

impl ScriptRunRecord {
    pub fn insert(conn: &mut DbConnection, row: NewScriptRunRow) -> DbResult<Self> {
        let id: i64 = diesel::insert_into(script_runs::table)
            .values(row)
            .returning(script_runs::id)
            .get_result(conn)?;
        Self::find(conn, id)
    }

    pub fn find(conn: &mut DbConnection, id: i64) -> DbResult<Self> {
        Ok(script_runs::table.find(id).first(conn)?)
    }

    pub fn of_customer(conn: &mut DbConnection, customer_id: i64) -> DbResult<Vec<Self>> {
        Ok(script_runs::table
            .filter(script_runs::customer_id.eq(customer_id))
            .order(script_runs::id.desc())
            .limit(50)
            .load(conn)?)
    }

    pub fn of_ticket(conn: &mut DbConnection, ticket_id: i64) -> DbResult<Option<Self>> {
        Ok(script_runs::table
            .filter(script_runs::ticket_id.eq(ticket_id))
            .first(conn)
            .optional()?)
    }

    /// Records a step, only if the run still waits at `at_node`: a double click takes one step.
    pub fn advance(
        conn: &mut DbConnection,
        id: i64,
        at_node: &str,
        path: String,
        current_node: Option<String>,
        outcome: Option<String>,
        finished_at: Option<Timestamp>,
    ) -> DbResult<bool> {
        let changed = diesel::update(
            script_runs::table
                .find(id)
                .filter(script_runs::current_node.eq(at_node)),
        )
        .set((
            script_runs::path.eq(path),
            script_runs::current_node.eq(current_node),
            script_runs::outcome.eq(outcome),
            script_runs::finished_at.eq(finished_at),
        ))
        .execute(conn)?;
        Ok(changed == 1)
    }

    /// Keeps the walk on the ticket it led to, if it is on none yet; whether it was free.
    pub fn attach_ticket(conn: &mut DbConnection, id: i64, ticket_id: i64) -> DbResult<bool> {
        let changed = diesel::update(
            script_runs::table
                .find(id)
                .filter(script_runs::ticket_id.is_null()),
        )
        .set(script_runs::ticket_id.eq(ticket_id))
        .execute(conn)?;
        Ok(changed == 1)
    }
}

// ---------------------------------------------------------------------------------------
// Incidents

#[derive(Debug, Clone, PartialEq, Eq, Queryable)]
pub struct IncidentRecord {
    pub id: i64,
    pub number: String,
    #[diesel(deserialize_as = Stored<TicketCategory>)]
    pub category: TicketCategory,
    #[diesel(deserialize_as = Stored<AreaScope>)]
    pub scope: AreaScope,
    pub area_key: String,
    pub area: String,
    #[diesel(deserialize_as = Stored<IncidentStatus>)]
    pub status: IncidentStatus,
    pub detected: bool,
    pub detected_at: Timestamp,
    pub opened_at: Option<Timestamp>,
    pub opened_by: Option<String>,
    pub resolved_at: Option<Timestamp>,
    pub resolved_by: Option<String>,
    pub resolution_note: Option<String>,
}

#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = incidents)]
pub struct NewIncidentRow {
    pub number: String,
    #[diesel(serialize_as = Stored<TicketCategory>)]
    pub category: TicketCategory,
    #[diesel(serialize_as = Stored<AreaScope>)]
    pub scope: AreaScope,
    pub area_key: String,
    pub area: String,
    #[diesel(serialize_as = Stored<IncidentStatus>)]
    pub status: IncidentStatus,
    pub detected: bool,
    pub detected_at: Timestamp,
    pub opened_at: Option<Timestamp>,
    pub opened_by: Option<String>,
}

const ACTIVE_INCIDENT: [&str; 2] = ["proposed", "open"];

impl IncidentRecord {
    pub fn insert(conn: &mut DbConnection, row: NewIncidentRow) -> DbResult<Self> {
        let id: i64 = diesel::insert_into(incidents::table)
            .values(row)
            .returning(incidents::id)
            .get_result(conn)?;
        Self::find(conn, id)
    }

    pub fn find(conn: &mut DbConnection, id: i64) -> DbResult<Self> {
        Ok(incidents::table.find(id).first(conn)?)
    }

    pub fn list(
        conn: &mut DbConnection,
        status: Option<IncidentStatus>,
        active_only: bool,
    ) -> DbResult<Vec<Self>> {
        let mut query = incidents::table.into_boxed();
        if let Some(status) = status {
            query = query.filter(incidents::status.eq(status.as_str()));
        }
        if active_only {
            query = query.filter(incidents::status.eq_any(ACTIVE_INCIDENT));
        }
        Ok(query.order(incidents::id.desc()).limit(500).load(conn)?)
    }

    pub fn active(conn: &mut DbConnection) -> DbResult<Vec<Self>> {
        Self::list(conn, None, true)
    }

    /// The active incident of a category and area, if any.
    pub fn active_at(
        conn: &mut DbConnection,
        category: TicketCategory,
        scope: AreaScope,
        area_key: &str,
    ) -> DbResult<Option<Self>> {
        Ok(incidents::table
            .filter(incidents::status.eq_any(ACTIVE_INCIDENT))
            .filter(incidents::category.eq(category.as_str()))
            .filter(incidents::scope.eq(scope.as_str()))
            .filter(incidents::area_key.eq(area_key))
            .first(conn)
            .optional()?)
    }

    /// Moves an incident on only from the status expected; whether it did.
    pub fn move_status(
        conn: &mut DbConnection,
        id: i64,
        from: &[IncidentStatus],
        to: IncidentStatus,
        by: &str,
        at: Timestamp,
        note: Option<String>,
    ) -> DbResult<bool> {
        let from: Vec<&str> = from.iter().map(|s| s.as_str()).collect();
        let target = incidents::table
            .find(id)
            .filter(incidents::status.eq_any(from));
        let changed = match to {
            IncidentStatus::Open => diesel::update(target)
                .set((
                    incidents::status.eq(to.as_str()),
                    incidents::opened_at.eq(Some(at)),
                    incidents::opened_by.eq(Some(by)),
                ))
                .execute(conn)?,
            _ => diesel::update(target)
                .set((
                    incidents::status.eq(to.as_str()),
                    incidents::resolved_at.eq(Some(at)),
                    incidents::resolved_by.eq(Some(by)),
                    incidents::resolution_note.eq(note),
                ))
                .execute(conn)?,
        };
        Ok(changed == 1)
    }

    /// How many tickets each incident links.
    pub fn ticket_counts(conn: &mut DbConnection, ids: &[i64]) -> DbResult<HashMap<i64, i64>> {
        let rows: Vec<(Option<i64>, i64)> = tickets::table
            .filter(tickets::incident_id.eq_any(ids))
            .group_by(tickets::incident_id)
            .select((tickets::incident_id, diesel::dsl::count_star()))
            .load(conn)?;
        Ok(rows
            .into_iter()
            .filter_map(|(id, count)| id.map(|id| (id, count)))
            .collect())
    }
}

// ---------------------------------------------------------------------------------------
// Technicians' slots and visits

#[derive(Debug, Clone, PartialEq, Eq, Queryable)]
pub struct SlotRecord {
    pub id: i64,
    pub technician_id: i64,
    pub starts_at: Timestamp,
    pub ends_at: Timestamp,
    pub created_by: String,
    pub created_at: Timestamp,
}

#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = technician_slots)]
pub struct NewSlotRow {
    pub technician_id: i64,
    pub starts_at: Timestamp,
    pub ends_at: Timestamp,
    pub created_by: String,
    pub created_at: Timestamp,
}

impl SlotRecord {
    pub fn insert(conn: &mut DbConnection, row: NewSlotRow) -> DbResult<Self> {
        let id: i64 = diesel::insert_into(technician_slots::table)
            .values(row)
            .returning(technician_slots::id)
            .get_result(conn)?;
        Self::find(conn, id)
    }

    pub fn find(conn: &mut DbConnection, id: i64) -> DbResult<Self> {
        Ok(technician_slots::table.find(id).first(conn)?)
    }

    /// Slots starting in `[from, to)`, of one technician or all, in time order.
    pub fn between(
        conn: &mut DbConnection,
        from: Timestamp,
        to: Timestamp,
        technician_id: Option<i64>,
    ) -> DbResult<Vec<Self>> {
        let mut query = technician_slots::table
            .filter(technician_slots::starts_at.ge(from))
            .filter(technician_slots::starts_at.lt(to))
            .into_boxed();
        if let Some(technician) = technician_id {
            query = query.filter(technician_slots::technician_id.eq(technician));
        }
        Ok(query
            .order((technician_slots::starts_at, technician_slots::technician_id))
            .limit(5000)
            .load(conn)?)
    }

    /// A technician's slots that share a moment with `[from, to)`.
    pub fn overlapping(
        conn: &mut DbConnection,
        technician_id: i64,
        from: Timestamp,
        to: Timestamp,
    ) -> DbResult<Vec<Self>> {
        Ok(technician_slots::table
            .filter(technician_slots::technician_id.eq(technician_id))
            .filter(technician_slots::starts_at.lt(to))
            .filter(technician_slots::ends_at.gt(from))
            .load(conn)?)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Queryable)]
pub struct VisitRecord {
    pub id: i64,
    pub slot_id: i64,
    pub ticket_id: i64,
    pub customer_id: i64,
    #[diesel(deserialize_as = Stored<VisitStatus>)]
    pub status: VisitStatus,
    pub note: Option<String>,
    #[diesel(deserialize_as = StoredOpt<VisitOutcome>)]
    pub outcome: Option<VisitOutcome>,
    pub outcome_note: Option<String>,
    pub booked_by: String,
    pub booked_at: Timestamp,
    pub reported_by: Option<String>,
    pub reported_at: Option<Timestamp>,
}

#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = visits)]
pub struct NewVisitRow {
    pub slot_id: i64,
    pub ticket_id: i64,
    pub customer_id: i64,
    #[diesel(serialize_as = Stored<VisitStatus>)]
    pub status: VisitStatus,
    pub note: Option<String>,
    pub booked_by: String,
    pub booked_at: Timestamp,
}

impl VisitRecord {
    /// Books a slot. The partial unique index on `visits (slot_id)` decides between two
    /// bookings at once: the second gets `DbError::UniqueViolation`.
    pub fn insert(conn: &mut DbConnection, row: NewVisitRow) -> DbResult<Self> {
        let id: i64 = diesel::insert_into(visits::table)
            .values(row)
            .returning(visits::id)
            .get_result(conn)?;
        Self::find(conn, id)
    }

    pub fn find(conn: &mut DbConnection, id: i64) -> DbResult<Self> {
        Ok(visits::table.find(id).first(conn)?)
    }

    pub fn of_ticket(conn: &mut DbConnection, ticket_id: i64) -> DbResult<Vec<Self>> {
        Ok(visits::table
            .filter(visits::ticket_id.eq(ticket_id))
            .order(visits::id)
            .load(conn)?)
    }

    /// The visits not cancelled in these slots, by slot.
    pub fn in_slots(conn: &mut DbConnection, slot_ids: &[i64]) -> DbResult<HashMap<i64, Self>> {
        let mut found = HashMap::new();
        for chunk in slot_ids.chunks(500) {
            let rows: Vec<Self> = visits::table
                .filter(visits::slot_id.eq_any(chunk))
                .filter(visits::status.ne(VisitStatus::Cancelled.as_str()))
                .load(conn)?;
            found.extend(rows.into_iter().map(|v| (v.slot_id, v)));
        }
        Ok(found)
    }

    /// Ends a booked visit with `status` (done, no access or cancelled); whether it was
    /// still booked.
    pub fn finish(
        conn: &mut DbConnection,
        id: i64,
        status: VisitStatus,
        outcome: Option<VisitOutcome>,
        note: Option<String>,
        by: &str,
        at: Timestamp,
    ) -> DbResult<bool> {
        let changed = diesel::update(
            visits::table
                .find(id)
                .filter(visits::status.eq(VisitStatus::Booked.as_str())),
        )
        .set((
            visits::status.eq(status.as_str()),
            visits::outcome.eq(outcome.map(|o| o.as_str())),
            visits::outcome_note.eq(note),
            visits::reported_by.eq(Some(by)),
            visits::reported_at.eq(Some(at)),
        ))
        .execute(conn)?;
        Ok(changed == 1)
    }
}

// ---------------------------------------------------------------------------------------
// What tickets look up elsewhere

/// The service addresses (JSON) of subscriptions in force (contracts active or suspended),
/// with their customers: where an outage's affected customers are found.
pub fn service_addresses_in_force(
    conn: &mut DbConnection,
    customer_id: Option<i64>,
) -> DbResult<Vec<(i64, i64, String)>> {
    use crate::schema::{contracts, subscriptions};
    let mut query = subscriptions::table
        .inner_join(contracts::table)
        .filter(contracts::status.eq_any(["active", "suspended"]))
        .into_boxed();
    if let Some(customer) = customer_id {
        query = query.filter(subscriptions::customer_id.eq(customer));
    }
    Ok(query
        .order(subscriptions::id)
        .select((
            subscriptions::id,
            subscriptions::customer_id,
            subscriptions::service_address,
        ))
        .load(conn)?)
}

/// Whether a contract of the customer is suspended now for debt.
pub fn suspended_for_debt(conn: &mut DbConnection, customer_id: i64) -> DbResult<bool> {
    use crate::schema::{contract_suspensions, contracts};
    let found: i64 = contract_suspensions::table
        .inner_join(contracts::table)
        .filter(contracts::customer_id.eq(customer_id))
        .filter(contracts::status.eq("suspended"))
        .filter(contract_suspensions::reason.eq("debt"))
        .filter(contract_suspensions::resumed_on.is_null())
        .count()
        .get_result(conn)?;
    Ok(found > 0)
}

/// The customer a contact was with.
pub fn interaction_customer(conn: &mut DbConnection, id: i64) -> DbResult<i64> {
    use crate::schema::interactions;
    Ok(interactions::table
        .find(id)
        .select(interactions::customer_id)
        .first(conn)?)
}
