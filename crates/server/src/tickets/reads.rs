//! Reading tickets: the queues in SLA order, one ticket with its history, and the customer's
//! own view in the cabinet (no internal comments, no staff names). Reads by staff are audited
//! with the customers they showed.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use okno_api_types::tickets::{
    Attachment, MyTicket, MyTicketEvent, MyVisit, Ticket, TicketEvent, TicketList, TicketQuery,
    TicketSummary,
};
use okno_db::DbConnection;
use okno_db::tickets::{
    AttachmentRecord, ScriptRunRecord, TicketEventRecord, TicketFilter, TicketRecord, VisitRecord,
    customer_names, open_statuses, user_names,
};
use okno_domain::tickets::TicketStatus;
use okno_domain::tickets::sla::SlaReport;

use super::sla::Clocks;
use super::{Desk, find, find_own};
use crate::audit;
use crate::auth::Principal;
use crate::error::ApiResult;
use crate::time::from_db;

/// Most tickets a queue sorts by SLA; a queue longer than that is a backlog to split.
const QUEUE_CAP: i64 = 2000;

fn summary(
    ticket: &TicketRecord,
    sla: &SlaReport,
    clocks: &Clocks<'_>,
    customers: &HashMap<i64, String>,
    users: &HashMap<i64, String>,
) -> TicketSummary {
    TicketSummary {
        id: ticket.id,
        number: ticket.number.clone(),
        customer_id: ticket.customer_id,
        customer_name: customers
            .get(&ticket.customer_id)
            .cloned()
            .unwrap_or_default(),
        category: ticket.category,
        priority: ticket.priority,
        department: ticket.department.clone(),
        assignee_id: ticket.assignee_id,
        assignee_name: ticket.assignee_id.and_then(|id| users.get(&id).cloned()),
        status: ticket.status,
        title: ticket.title.clone(),
        service_address: ticket.service_address.clone(),
        incident_id: ticket.incident_id,
        source: ticket.source,
        opened_at: from_db(ticket.opened_at),
        resolved_at: ticket.resolved_at.map(from_db),
        sla: clocks.view(sla),
    }
}

/// Summaries of `tickets` in SLA order (the most urgent first), with their reports.
pub fn summaries(
    conn: &mut DbConnection,
    desk: &Desk,
    tickets: Vec<TicketRecord>,
    now: DateTime<Utc>,
) -> ApiResult<Vec<TicketSummary>> {
    let clocks = Clocks::load(conn, desk)?;
    let ids: Vec<i64> = tickets.iter().map(|t| t.id).collect();
    let mut events = TicketEventRecord::clock_events_of(conn, &ids)?;
    let customer_ids: Vec<i64> = tickets.iter().map(|t| t.customer_id).collect();
    let user_ids: Vec<i64> = tickets.iter().filter_map(|t| t.assignee_id).collect();
    let customers = customer_names(conn, &customer_ids)?;
    let users = user_names(conn, &user_ids)?;
    let mut rated: Vec<(SlaReport, TicketRecord)> = tickets
        .into_iter()
        .map(|t| {
            let history = events.remove(&t.id).unwrap_or_default();
            (clocks.report(&t, &history, now), t)
        })
        .collect();
    rated.sort_by_key(|(report, t)| (report.queue_key(), t.opened_at, t.id));
    Ok(rated
        .iter()
        .map(|(report, t)| summary(t, report, &clocks, &customers, &users))
        .collect())
}

/// A queue: open tickets by default, in SLA order.
pub fn list(
    conn: &mut DbConnection,
    desk: &Desk,
    principal: &Principal,
    query: &TicketQuery,
    now: DateTime<Utc>,
) -> ApiResult<TicketList> {
    let limit = crate::pagination::limit(query.limit)?;
    let statuses = match (query.status, query.open) {
        (Some(status), _) => vec![status],
        (None, Some(false)) => vec![TicketStatus::Resolved, TicketStatus::Closed],
        (None, _) if query.number.is_some() || query.incident_id.is_some() => Vec::new(),
        (None, _) => open_statuses(),
    };
    let filter = TicketFilter {
        department: query.department.clone(),
        statuses,
        assignee_id: query.assignee_id,
        customer_id: query.customer_id,
        category: query.category,
        priority: query.priority,
        incident_id: query.incident_id,
        number: query.number.clone(),
    };
    let tickets = TicketRecord::list(conn, &filter, QUEUE_CAP)?;
    let mut items = summaries(conn, desk, tickets, now)?;
    if let Some(flag) = query.flag {
        items.retain(|t| t.sla.flag == flag);
    }
    let count = |flag| {
        i64::try_from(items.iter().filter(|t| t.sla.flag == flag).count()).unwrap_or(i64::MAX)
    };
    let breached = count(okno_domain::tickets::sla::SlaFlag::Breached);
    let near = count(okno_domain::tickets::sla::SlaFlag::Near);
    let total = i64::try_from(items.len()).unwrap_or(i64::MAX);
    items.truncate(limit);
    audit::record_read(
        conn,
        principal,
        "tickets.list",
        items.iter().map(|t| t.customer_id),
        now,
    )?;
    Ok(TicketList {
        items,
        total,
        breached,
        near,
    })
}

fn event_view(event: TicketEventRecord) -> TicketEvent {
    TicketEvent {
        id: event.id,
        kind: event.kind,
        at: from_db(event.at),
        by: event.recorded_by,
        by_customer: event.by_customer,
        from_status: event.from_status,
        to_status: event.to_status,
        department: event.department,
        assignee_id: event.assignee_id,
        body: event.body,
        visible_to_customer: event.visible_to_customer,
    }
}

pub fn attachment_view(record: AttachmentRecord) -> Attachment {
    Attachment {
        id: record.id,
        file_name: record.file_name,
        content_type: record.content_type,
        size_bytes: record.size_bytes,
        uploaded_by: record.uploaded_by,
        visible_to_customer: record.visible_to_customer,
        at: from_db(record.at),
    }
}

/// One ticket as staff see it (not audited: the caller decides).
pub fn view(
    conn: &mut DbConnection,
    desk: &Desk,
    ticket: &TicketRecord,
    now: DateTime<Utc>,
) -> ApiResult<Ticket> {
    let events = TicketEventRecord::of_ticket(conn, ticket.id)?;
    let clocks = Clocks::load(conn, desk)?;
    let report = clocks.report(ticket, &events, now);
    let customers = customer_names(conn, &[ticket.customer_id])?;
    let users = user_names(conn, &ticket.assignee_id.into_iter().collect::<Vec<_>>())?;
    let script_run = match ScriptRunRecord::of_ticket(conn, ticket.id)? {
        Some(run) => Some(super::scripts::run_view(conn, run)?),
        None => None,
    };
    Ok(Ticket {
        summary: summary(ticket, &report, &clocks, &customers, &users),
        description: ticket.description.clone(),
        subscription_id: ticket.subscription_id,
        network_node: ticket.network_node.clone(),
        interaction_id: ticket.interaction_id,
        events: events.into_iter().map(event_view).collect(),
        attachments: AttachmentRecord::of_ticket(conn, ticket.id)?
            .into_iter()
            .map(attachment_view)
            .collect(),
        visits: {
            let visits = VisitRecord::of_ticket(conn, ticket.id)?;
            super::visits::views(conn, visits)?
        },
        script_run,
    })
}

/// One ticket, read by staff and audited.
pub fn get(
    conn: &mut DbConnection,
    desk: &Desk,
    principal: &Principal,
    id: i64,
    now: DateTime<Utc>,
) -> ApiResult<Ticket> {
    let ticket = find(conn, id)?;
    audit::record_read(conn, principal, "ticket.read", [ticket.customer_id], now)?;
    view(conn, desk, &ticket, now)
}

/// A ticket as its customer sees it.
pub fn mine(conn: &mut DbConnection, ticket: &TicketRecord) -> ApiResult<MyTicket> {
    let events = TicketEventRecord::of_ticket(conn, ticket.id)?
        .into_iter()
        .filter(|e| e.visible_to_customer)
        .map(|e| MyTicketEvent {
            at: from_db(e.at),
            kind: e.kind,
            to_status: e.to_status,
            body: e.body,
            by_customer: e.by_customer,
        })
        .collect();
    let outage = match ticket.incident_id {
        Some(id) => super::outages::as_outage(conn, id)?,
        None => None,
    };
    Ok(MyTicket {
        id: ticket.id,
        number: ticket.number.clone(),
        category: ticket.category,
        status: ticket.status,
        title: ticket.title.clone(),
        description: ticket.description.clone(),
        opened_at: from_db(ticket.opened_at),
        resolved_at: ticket.resolved_at.map(from_db),
        outage,
        events,
        attachments: AttachmentRecord::of_ticket(conn, ticket.id)?
            .into_iter()
            .filter(|a| a.visible_to_customer)
            .map(attachment_view)
            .collect(),
        visits: VisitRecord::of_ticket(conn, ticket.id)?
            .into_iter()
            .filter_map(|v| {
                let slot = okno_db::tickets::SlotRecord::find(conn, v.slot_id).ok()?;
                Some(MyVisit {
                    id: v.id,
                    starts_at: from_db(slot.starts_at),
                    ends_at: from_db(slot.ends_at),
                    status: v.status,
                })
            })
            .collect(),
    })
}

/// The subscriber's tickets, newest first.
pub fn my_list(conn: &mut DbConnection, principal: &Principal) -> ApiResult<Vec<MyTicket>> {
    let customer_id = principal.own_customer_id()?;
    let tickets = TicketRecord::list(
        conn,
        &TicketFilter {
            customer_id: Some(customer_id),
            ..TicketFilter::default()
        },
        200,
    )?;
    tickets.iter().map(|t| mine(conn, t)).collect()
}

pub fn my_one(conn: &mut DbConnection, principal: &Principal, id: i64) -> ApiResult<MyTicket> {
    let ticket = find_own(conn, principal, id)?;
    mine(conn, &ticket)
}

/// Most tickets one report reads.
const REPORT_CAP: i64 = 20_000;

/// How each department kept its SLA for the tickets opened in a period: breaches of first
/// response and resolution, late updates, what is still open and near a breach now.
pub fn report(
    conn: &mut DbConnection,
    desk: &Desk,
    query: &okno_api_types::tickets::TicketReportQuery,
    now: DateTime<Utc>,
) -> ApiResult<okno_api_types::tickets::TicketReport> {
    use okno_api_types::tickets::{TicketReport, TicketReportRow};
    use okno_domain::tickets::sla::{SlaClockState, SlaFlag};

    let to = query.to.unwrap_or_else(|| desk.local_day(now));
    let from = query.from.unwrap_or(to - chrono::Duration::days(30));
    if to < from || (to - from).num_days() > 366 {
        return Err(crate::error::ApiError::field(
            "to",
            okno_domain::validation::FieldErrorCode::OutOfRange,
            "from `from` to at most 366 days after it",
        ));
    }
    let tickets = TicketRecord::opened_between(
        conn,
        crate::time::to_db(desk.start_of(from)),
        crate::time::to_db(desk.start_of(to + chrono::Duration::days(1))),
        REPORT_CAP,
    )?;
    let clocks = Clocks::load(conn, desk)?;
    let ids: Vec<i64> = tickets.iter().map(|t| t.id).collect();
    let mut events = TicketEventRecord::clock_events_of(conn, &ids)?;
    let empty = |department: &str| TicketReportRow {
        department: department.to_owned(),
        opened: 0,
        resolved: 0,
        open: 0,
        first_response_breached: 0,
        resolution_breached: 0,
        near: 0,
        late_updates: 0,
    };
    let mut rows: Vec<TicketReportRow> = Vec::new();
    let mut total = empty("");
    for ticket in &tickets {
        let history = events.remove(&ticket.id).unwrap_or_default();
        let sla = clocks.report(ticket, &history, now);
        let position = match rows.iter().position(|r| r.department == ticket.department) {
            Some(found) => found,
            None => {
                rows.push(empty(&ticket.department));
                rows.len() - 1
            }
        };
        for row in [rows.get_mut(position), Some(&mut total)]
            .into_iter()
            .flatten()
        {
            row.opened += 1;
            row.resolved += i64::from(ticket.resolved_at.is_some());
            row.open += i64::from(ticket.status.is_open());
            row.first_response_breached +=
                i64::from(sla.first_response.state == SlaClockState::Breached);
            row.resolution_breached += i64::from(sla.resolution.state == SlaClockState::Breached);
            row.near += i64::from(sla.flag() == SlaFlag::Near);
            row.late_updates += i64::from(sla.late_updates);
        }
    }
    rows.sort_by(|a, b| a.department.cmp(&b.department));
    Ok(TicketReport {
        from,
        to,
        rows,
        total,
    })
}
