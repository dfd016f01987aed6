//! Technician visits (R-53, seed 004): technicians publish working slots; a slot is booked for
//! a ticket from the card or the cabinet (the database lets a slot hold one visit, so two
//! bookings at once make one); the technician's day plan; the visit's outcome resolves the
//! ticket, routes it, or makes it wait for the customer.

use std::collections::HashMap;

use chrono::{DateTime, Duration, NaiveDate, Utc};
use okno_api_types::ErrorCode;
use okno_api_types::tickets::{
    BookVisit, FreeSlot, NewSlots, SlotQuery, TechnicianSlot, Visit, VisitQuery, VisitReport,
};
use okno_db::tickets::{
    NewSlotRow, NewVisitRow, SlotRecord, TicketRecord, VisitRecord, customer_names, user_names,
};
use okno_db::users::UserRecord;
use okno_db::{DbConnection, DbError};
use okno_domain::access::Role;
use okno_domain::notifications::NotificationEvent;
use okno_domain::tickets::{
    SLOTS_PER_REQUEST, TEXT_MAX_CHARS, TicketEventKind, TicketStatus, VisitOutcome, VisitStatus,
    check_slot, overlaps,
};
use okno_domain::validation::{FieldErrorCode, Validator};

use super::work::StatusMove;
use super::{Actor, Desk, Entry, departments};
use crate::audit;
use crate::auth::Principal;
use crate::error::{ApiError, ApiResult, NotFoundExt};
use crate::notifications::{self, Notice, Value};
use crate::time::{from_db, to_db};

/// How far ahead the cabinet offers slots, and how soon a slot may be booked there.
const CABINET_DAYS: i64 = 14;
const CABINET_LEAD_HOURS: i64 = 2;
/// Longest span of slots listed at once.
const MAX_LIST_DAYS: i64 = 62;

fn slot_view(
    slot: &SlotRecord,
    names: &HashMap<i64, String>,
    visits: &HashMap<i64, VisitRecord>,
) -> TechnicianSlot {
    TechnicianSlot {
        id: slot.id,
        technician_id: slot.technician_id,
        technician_name: names.get(&slot.technician_id).cloned().unwrap_or_default(),
        starts_at: from_db(slot.starts_at),
        ends_at: from_db(slot.ends_at),
        visit_id: visits.get(&slot.id).map(|v| v.id),
    }
}

fn slots_view(conn: &mut DbConnection, slots: &[SlotRecord]) -> ApiResult<Vec<TechnicianSlot>> {
    let technicians: Vec<i64> = slots.iter().map(|s| s.technician_id).collect();
    let names = user_names(conn, &technicians)?;
    let ids: Vec<i64> = slots.iter().map(|s| s.id).collect();
    let visits = VisitRecord::in_slots(conn, &ids)?;
    Ok(slots
        .iter()
        .map(|s| slot_view(s, &names, &visits))
        .collect())
}

/// Adds a technician's slots: each 15 minutes to 8 hours, in the future, overlapping none of
/// theirs (given or stored).
pub fn add_slots(
    conn: &mut DbConnection,
    principal: &Principal,
    input: &NewSlots,
    now: DateTime<Utc>,
) -> ApiResult<Vec<TechnicianSlot>> {
    let mut v = Validator::new();
    if input.slots.is_empty() {
        v.fail("slots", FieldErrorCode::Required, "at least one slot");
    }
    v.at_most("slots", &input.slots, SLOTS_PER_REQUEST);
    for (index, slot) in input.slots.iter().enumerate() {
        let field = format!("slots[{index}]");
        check_slot(&mut v, &field, slot.starts_at, slot.ends_at, now);
        if input
            .slots
            .iter()
            .take(index)
            .any(|o| overlaps((o.starts_at, o.ends_at), (slot.starts_at, slot.ends_at)))
        {
            v.fail(
                format!("{field}.starts_at"),
                FieldErrorCode::Duplicate,
                "overlaps another slot given",
            );
        }
    }
    match UserRecord::find(conn, input.technician_id) {
        Ok(user) if user.active && user.role == Role::Technician => {}
        Ok(_) => v.fail(
            "technician_id",
            FieldErrorCode::InvalidValue,
            "not an active technician",
        ),
        Err(DbError::NotFound) => v.fail(
            "technician_id",
            FieldErrorCode::UnknownReference,
            "no such user",
        ),
        Err(other) => return Err(other.into()),
    }
    v.finish()?;
    let mut v = Validator::new();
    for (index, slot) in input.slots.iter().enumerate() {
        let stored = SlotRecord::overlapping(
            conn,
            input.technician_id,
            to_db(slot.starts_at),
            to_db(slot.ends_at),
        )?;
        if !stored.is_empty() {
            v.fail(
                format!("slots[{index}].starts_at"),
                FieldErrorCode::Taken,
                "overlaps a slot the technician has",
            );
        }
    }
    v.finish()?;
    let by = Actor::of(principal).label;
    let mut created = Vec::new();
    for slot in &input.slots {
        created.push(SlotRecord::insert(
            conn,
            NewSlotRow {
                technician_id: input.technician_id,
                starts_at: to_db(slot.starts_at),
                ends_at: to_db(slot.ends_at),
                created_by: by.clone(),
                created_at: to_db(now),
            },
        )?);
    }
    audit::record(
        conn,
        principal,
        "slots.add",
        None,
        Some(format!(
            "{} slots of user {}",
            created.len(),
            input.technician_id
        )),
        now,
    )?;
    slots_view(conn, &created)
}

fn span(
    desk: &Desk,
    from: Option<NaiveDate>,
    to: Option<NaiveDate>,
    now: DateTime<Utc>,
) -> ApiResult<(DateTime<Utc>, DateTime<Utc>)> {
    let from = from.unwrap_or_else(|| desk.local_day(now));
    let to = to.unwrap_or(from + Duration::days(13));
    if to < from || (to - from).num_days() > MAX_LIST_DAYS {
        return Err(ApiError::field(
            "to",
            FieldErrorCode::OutOfRange,
            format!("from `from` to at most {MAX_LIST_DAYS} days after it"),
        ));
    }
    Ok((desk.start_of(from), desk.start_of(to + Duration::days(1))))
}

pub fn list_slots(
    conn: &mut DbConnection,
    desk: &Desk,
    query: &SlotQuery,
    now: DateTime<Utc>,
) -> ApiResult<Vec<TechnicianSlot>> {
    let (from, to) = span(desk, query.from, query.to, now)?;
    let slots = SlotRecord::between(conn, to_db(from), to_db(to), query.technician_id)?;
    let mut listed = slots_view(conn, &slots)?;
    if query.free == Some(true) {
        listed.retain(|s| s.visit_id.is_none() && s.starts_at > now);
    }
    Ok(listed)
}

/// Free slots the cabinet offers: from two hours ahead, for a fortnight, the soonest first.
pub fn free_slots(conn: &mut DbConnection, now: DateTime<Utc>) -> ApiResult<Vec<FreeSlot>> {
    let from = now + Duration::hours(CABINET_LEAD_HOURS);
    let slots = SlotRecord::between(
        conn,
        to_db(from),
        to_db(now + Duration::days(CABINET_DAYS)),
        None,
    )?;
    let ids: Vec<i64> = slots.iter().map(|s| s.id).collect();
    let taken = VisitRecord::in_slots(conn, &ids)?;
    Ok(slots
        .iter()
        .filter(|s| !taken.contains_key(&s.id))
        .map(|s| FreeSlot {
            slot_id: s.id,
            starts_at: from_db(s.starts_at),
            ends_at: from_db(s.ends_at),
        })
        .collect())
}

/// Visits with their slots, technicians, tickets and customers.
pub fn views(conn: &mut DbConnection, visits: Vec<VisitRecord>) -> ApiResult<Vec<Visit>> {
    let mut out = Vec::with_capacity(visits.len());
    let customers = customer_names(
        conn,
        &visits.iter().map(|v| v.customer_id).collect::<Vec<_>>(),
    )?;
    let slots = visits
        .iter()
        .map(|v| SlotRecord::find(conn, v.slot_id))
        .collect::<Result<Vec<_>, _>>()?;
    let technicians = user_names(
        conn,
        &slots.iter().map(|s| s.technician_id).collect::<Vec<_>>(),
    )?;
    for (visit, slot) in visits.into_iter().zip(slots) {
        let ticket = TicketRecord::find(conn, visit.ticket_id)?;
        out.push(Visit {
            id: visit.id,
            ticket_id: ticket.id,
            ticket_number: ticket.number,
            customer_id: visit.customer_id,
            customer_name: customers
                .get(&visit.customer_id)
                .cloned()
                .unwrap_or_default(),
            slot_id: slot.id,
            technician_id: slot.technician_id,
            technician_name: technicians
                .get(&slot.technician_id)
                .cloned()
                .unwrap_or_default(),
            starts_at: from_db(slot.starts_at),
            ends_at: from_db(slot.ends_at),
            status: visit.status,
            address: ticket.service_address,
            note: visit.note,
            outcome: visit.outcome,
            outcome_note: visit.outcome_note,
            booked_by: visit.booked_by,
            booked_at: from_db(visit.booked_at),
        });
    }
    Ok(out)
}

/// One visit as `views` shows it.
fn view(conn: &mut DbConnection, visit: VisitRecord) -> ApiResult<Visit> {
    views(conn, vec![visit])?
        .pop()
        .ok_or_else(|| ApiError::Internal("a visit without its view".into()))
}

/// A technician's day plan (or everyone's): the visits of a local day in time order.
pub fn day_plan(
    conn: &mut DbConnection,
    desk: &Desk,
    principal: &Principal,
    query: &VisitQuery,
    now: DateTime<Utc>,
) -> ApiResult<Vec<Visit>> {
    let day = query.day.unwrap_or_else(|| desk.local_day(now));
    let (from, to) = span(desk, Some(day), Some(day), now)?;
    let slots = SlotRecord::between(conn, to_db(from), to_db(to), query.technician_id)?;
    let ids: Vec<i64> = slots.iter().map(|s| s.id).collect();
    let mut visits: Vec<VisitRecord> = VisitRecord::in_slots(conn, &ids)?.into_values().collect();
    let order: HashMap<i64, usize> = ids.iter().enumerate().map(|(i, id)| (*id, i)).collect();
    visits.sort_by_key(|v| order.get(&v.slot_id).copied().unwrap_or(usize::MAX));
    let planned = views(conn, visits)?;
    audit::record_read(
        conn,
        principal,
        "visits.plan",
        planned.iter().map(|v| v.customer_id),
        now,
    )?;
    Ok(planned)
}

/// Books a slot for a ticket; the ticket waits for the visit and the customer is told.
pub fn book(
    conn: &mut DbConnection,
    desk: &Desk,
    principal: &Principal,
    ticket: &TicketRecord,
    slot_id: i64,
    note: Option<String>,
    now: DateTime<Utc>,
) -> ApiResult<Visit> {
    let mut v = Validator::new();
    let note = v.optional_text("note", note.as_deref(), TEXT_MAX_CHARS);
    v.finish()?;
    if !ticket.status.is_open() {
        return Err(ApiError::Conflict(
            ErrorCode::IllegalTransition,
            format!("a {} ticket needs no visit", ticket.status),
            Vec::new(),
        ));
    }
    let slot = SlotRecord::find(conn, slot_id)
        .or_not_found(ErrorCode::SlotNotFound, format!("slot {slot_id}"))?;
    if from_db(slot.starts_at) <= now {
        return Err(ApiError::field(
            "slot_id",
            FieldErrorCode::InPast,
            "the slot has begun",
        ));
    }
    let actor = Actor::of(principal);
    let visit = match VisitRecord::insert(
        conn,
        NewVisitRow {
            slot_id,
            ticket_id: ticket.id,
            customer_id: ticket.customer_id,
            status: VisitStatus::Booked,
            note,
            booked_by: actor.label.clone(),
            booked_at: to_db(now),
        },
    ) {
        Ok(visit) => visit,
        Err(error) if error.is_unique_violation() => return Err(slot_taken(slot_id)),
        Err(other) => return Err(other.into()),
    };
    let at = desk.local(from_db(slot.starts_at));
    Entry {
        body: Some(at.format("%Y-%m-%d %H:%M").to_string()),
        visible_to_customer: true,
        ..Entry::new(TicketEventKind::VisitBooked)
    }
    .record(conn, ticket.id, &actor, now)?;
    if okno_domain::tickets::check_transition(ticket.status, TicketStatus::WaitingForVisit).is_ok()
    {
        let change = StatusMove::to(TicketStatus::WaitingForVisit).quietly();
        super::work::move_to(conn, desk, ticket, change, &actor, now)?;
    }
    notifications::write(
        conn,
        &desk.sender,
        &[Notice {
            event: NotificationEvent::VisitBooked,
            customer_id: ticket.customer_id,
            about: visit.id.to_string(),
            invoice_id: None,
            document_id: None,
            values: vec![
                ("ticket_number", Value::Text(ticket.number.clone())),
                ("visit_at", Value::Moment(at)),
            ],
        }],
        now,
    )?;
    audit::record(
        conn,
        principal,
        "visit.book",
        Some(ticket.customer_id),
        Some(ticket.number.clone()),
        now,
    )?;
    view(conn, visit)
}

fn slot_taken(slot_id: i64) -> ApiError {
    ApiError::Conflict(
        ErrorCode::SlotTaken,
        format!("slot {slot_id} is booked already; pick another"),
        Vec::new(),
    )
}

pub fn book_by_staff(
    conn: &mut DbConnection,
    desk: &Desk,
    principal: &Principal,
    ticket_id: i64,
    input: &BookVisit,
    now: DateTime<Utc>,
) -> ApiResult<Visit> {
    let ticket = super::find(conn, ticket_id)?;
    book(
        conn,
        desk,
        principal,
        &ticket,
        input.slot_id,
        input.note.clone(),
        now,
    )
}

fn find_visit(conn: &mut DbConnection, id: i64) -> ApiResult<VisitRecord> {
    VisitRecord::find(conn, id).or_not_found(ErrorCode::VisitNotFound, format!("visit {id}"))
}

fn not_booked(visit: &VisitRecord) -> ApiError {
    ApiError::Conflict(
        ErrorCode::IllegalTransition,
        format!("the visit is {}", visit.status),
        Vec::new(),
    )
}

/// What the visit did: resolved resolves the ticket, routed sends it to a department,
/// no access makes it wait for the customer. The note is the customer's to read.
pub fn report(
    conn: &mut DbConnection,
    desk: &Desk,
    principal: &Principal,
    id: i64,
    input: &VisitReport,
    now: DateTime<Utc>,
) -> ApiResult<Visit> {
    let mut v = Validator::new();
    let note = v.text("note", &input.note, TEXT_MAX_CHARS);
    let department = match (input.outcome, input.department.as_deref()) {
        (VisitOutcome::Routed, None) => {
            v.fail(
                "department",
                FieldErrorCode::Required,
                "where the ticket goes",
            );
            None
        }
        (VisitOutcome::Routed, Some(code)) => Some(code.trim().to_owned()),
        _ => None,
    };
    v.finish()?;
    let department = match department {
        Some(code) => Some(departments::require_active(conn, "department", &code)?),
        None => None,
    };
    let visit = find_visit(conn, id)?;
    let status = if input.outcome == VisitOutcome::NoAccess {
        VisitStatus::NoAccess
    } else {
        VisitStatus::Done
    };
    let actor = Actor::of(principal);
    if !VisitRecord::finish(
        conn,
        id,
        status,
        Some(input.outcome),
        Some(note.clone()),
        &actor.label,
        to_db(now),
    )? {
        return Err(not_booked(&visit));
    }
    let ticket = super::find(conn, visit.ticket_id)?;
    Entry {
        body: Some(note.clone()),
        visible_to_customer: true,
        ..Entry::new(TicketEventKind::VisitDone)
    }
    .record(conn, ticket.id, &actor, now)?;
    let next = match input.outcome {
        VisitOutcome::Resolved => Some(TicketStatus::Resolved),
        VisitOutcome::Routed => Some(TicketStatus::InProgress),
        VisitOutcome::NoAccess => Some(TicketStatus::WaitingForCustomer),
    };
    if let Some(next) = next.filter(|n| *n != ticket.status)
        && okno_domain::tickets::check_transition(ticket.status, next).is_ok()
    {
        let change = StatusMove::telling(next, note.clone());
        super::work::move_to(conn, desk, &ticket, change, &actor, now)?;
    }
    if let Some(department) = department {
        let ticket = super::find(conn, ticket.id)?;
        if ticket.department != department {
            super::work::route_to(conn, &ticket, &department, note, &actor, now)?;
        }
    }
    audit::record(
        conn,
        principal,
        "visit.report",
        Some(ticket.customer_id),
        Some(format!("{} {}", ticket.number, input.outcome)),
        now,
    )?;
    let visit = find_visit(conn, id)?;
    view(conn, visit)
}

/// Cancels a booked visit; the slot is free again, and a ticket left with no visit is worked
/// on again.
pub fn cancel(
    conn: &mut DbConnection,
    desk: &Desk,
    principal: &Principal,
    id: i64,
    now: DateTime<Utc>,
) -> ApiResult<Visit> {
    let visit = find_visit(conn, id)?;
    let actor = Actor::of(principal);
    if !VisitRecord::finish(
        conn,
        id,
        VisitStatus::Cancelled,
        None,
        None,
        &actor.label,
        to_db(now),
    )? {
        return Err(not_booked(&visit));
    }
    let ticket = super::find(conn, visit.ticket_id)?;
    Entry {
        visible_to_customer: true,
        ..Entry::new(TicketEventKind::VisitCancelled)
    }
    .record(conn, ticket.id, &actor, now)?;
    let still_booked = VisitRecord::of_ticket(conn, ticket.id)?
        .iter()
        .any(|v| v.status == VisitStatus::Booked);
    if ticket.status == TicketStatus::WaitingForVisit && !still_booked {
        let change = StatusMove::to(TicketStatus::InProgress).quietly();
        super::work::move_to(conn, desk, &ticket, change, &actor, now)?;
    }
    audit::record(
        conn,
        principal,
        "visit.cancel",
        Some(ticket.customer_id),
        Some(ticket.number.clone()),
        now,
    )?;
    let visit = find_visit(conn, id)?;
    view(conn, visit)
}
