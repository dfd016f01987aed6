//! Outages: clusters of faults found by `okno_domain::tickets::outages::detect` after a
//! ticket is opened and by the scheduled jobs; the incident links its tickets, lists the
//! customers of its area, shows on their cards, and once resolved resolves its tickets with one
//! note and tells the customers.

use std::collections::HashSet;

use chrono::{DateTime, Duration, Utc};
use okno_api_types::ErrorCode;
use okno_api_types::tickets::{
    AffectedCustomer, CustomerOutage, Incident, IncidentDetail, IncidentQuery, NewIncident,
    ResolveIncident,
};
use okno_db::tickets::{
    IncidentRecord, NewIncidentRow, TicketFilter, TicketRecord, customer_names,
    service_addresses_in_force,
};
use okno_db::{DbConnection, DbError, write_transaction};
use okno_domain::customers::Address;
use okno_domain::notifications::NotificationEvent;
use okno_domain::tickets::outages::{
    ActiveIncident, Area, AreaScope, Cluster, Fault, IncidentStatus, detect as find_clusters,
};
use okno_domain::tickets::{TEXT_MAX_CHARS, TicketEventKind, TicketStatus};
use okno_domain::validation::{FieldErrorCode, Validator};

use super::work::StatusMove;
use super::{Actor, Desk, Entry, next_number};
use crate::audit;
use crate::auth::Principal;
use crate::error::{ApiError, ApiResult, NotFoundExt};
use crate::notifications::{self, Notice, Value};
use crate::time::{from_db, to_db};

/// How far back an unlinked open ticket may still join an incident of its area.
const JOIN_WITHIN_DAYS: i64 = 7;

fn area_of(ticket: &TicketRecord) -> Area {
    Area {
        building: ticket.area_building.clone(),
        street: ticket.area_street.clone(),
        postcode: ticket.area_postcode.clone(),
        network_node: ticket.network_node.clone(),
    }
}

fn fault_of(ticket: &TicketRecord) -> Fault {
    Fault {
        ticket_id: ticket.id,
        category: ticket.category,
        area: area_of(ticket),
        opened_at: from_db(ticket.opened_at),
        incident_id: ticket.incident_id,
    }
}

fn active_of(record: &IncidentRecord) -> ActiveIncident {
    ActiveIncident {
        id: record.id,
        category: record.category,
        scope: record.scope,
        area_key: record.area_key.clone(),
    }
}

/// The area of `scope` around a ticket's place, written for people.
fn area_label(
    conn: &mut DbConnection,
    ticket: &TicketRecord,
    scope: AreaScope,
) -> ApiResult<String> {
    let customer = okno_db::customers::CustomerRecord::find(conn, ticket.customer_id)?;
    let subscription = match ticket.subscription_id {
        Some(id) => Some(okno_db::contracts::SubscriptionRecord::find(conn, id)?),
        None => None,
    };
    let address = super::open::place(conn, &customer, subscription.as_ref())?;
    Ok(match address {
        Some(address) => Area::label(&address, scope, ticket.network_node.as_deref()),
        None => ticket
            .network_node
            .clone()
            .or_else(|| ticket.service_address.clone())
            .unwrap_or_default(),
    })
}

/// What a detection run did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Detected {
    /// Incidents made (proposed or opened).
    pub incidents: Vec<i64>,
    /// Tickets linked to an incident already active.
    pub joined: usize,
}

fn link(
    conn: &mut DbConnection,
    ticket_id: i64,
    incident: &IncidentRecord,
    now: DateTime<Utc>,
) -> ApiResult<bool> {
    if !TicketRecord::link_incident(conn, ticket_id, incident.id)? {
        return Ok(false);
    }
    Entry {
        body: Some(incident.number.clone()),
        ..Entry::new(TicketEventKind::IncidentLinked)
    }
    .record(conn, ticket_id, &Actor::system(), now)?;
    Ok(true)
}

/// How an incident comes about: found by the detection (opened at once or proposed, by
/// configuration), or declared by a person (open).
enum Origin<'a> {
    Detected { open: bool },
    Declared { by: &'a str },
}

fn make_incident(
    conn: &mut DbConnection,
    desk: &Desk,
    cluster: &Cluster,
    area: String,
    origin: Origin<'_>,
    now: DateTime<Utc>,
) -> ApiResult<IncidentRecord> {
    let (open, detected, by) = match origin {
        Origin::Detected { open } => (open, true, "system"),
        Origin::Declared { by } => (true, false, by),
    };
    let number = next_number(conn, "AW", "incident", desk.local_day(now))?;
    let incident = IncidentRecord::insert(
        conn,
        NewIncidentRow {
            number,
            category: cluster.category,
            scope: cluster.scope,
            area_key: cluster.area_key.clone(),
            area,
            status: if open {
                IncidentStatus::Open
            } else {
                IncidentStatus::Proposed
            },
            detected,
            detected_at: to_db(now),
            opened_at: open.then(|| to_db(now)),
            opened_by: open.then(|| by.to_owned()),
        },
    )?;
    for ticket in &cluster.ticket_ids {
        link(conn, *ticket, &incident, now)?;
    }
    if open {
        tell_affected(conn, desk, &incident, now)?;
    }
    Ok(incident)
}

/// Finds outages among the open tickets, in the caller's transaction.
pub fn detect(conn: &mut DbConnection, desk: &Desk, now: DateTime<Utc>) -> ApiResult<Detected> {
    let since = to_db(now - Duration::days(JOIN_WITHIN_DAYS));
    let tickets = TicketRecord::open_faults_since(conn, since)?;
    let faults: Vec<Fault> = tickets.iter().map(fault_of).collect();
    let active: Vec<ActiveIncident> = IncidentRecord::active(conn)?
        .iter()
        .map(active_of)
        .collect();
    let found = find_clusters(&faults, &active, &desk.settings.outage_rule);
    let mut detected = Detected::default();
    for (ticket, incident) in &found.joins {
        let incident = IncidentRecord::find(conn, *incident)?;
        if link(conn, *ticket, &incident, now)? {
            detected.joined += 1;
        }
    }
    for cluster in &found.clusters {
        let first = cluster
            .ticket_ids
            .first()
            .and_then(|id| tickets.iter().find(|t| t.id == *id));
        let area = match first {
            Some(ticket) => area_label(conn, ticket, cluster.scope)?,
            None => cluster.area_key.clone(),
        };
        let origin = Origin::Detected {
            open: desk.settings.open_detected_outages,
        };
        let incident = make_incident(conn, desk, cluster, area, origin, now)?;
        tracing::info!(
            incident = %incident.number,
            tickets = cluster.ticket_ids.len(),
            area = %incident.area,
            "an outage was detected"
        );
        detected.incidents.push(incident.id);
    }
    Ok(detected)
}

/// Runs detection in its own transaction. Two servers detecting one burst at once make one
/// incident (the unique index on the active incident's area); the one refused tries again
/// and joins it.
pub fn run_detection(
    conn: &mut DbConnection,
    desk: &Desk,
    now: DateTime<Utc>,
) -> ApiResult<Detected> {
    match write_transaction(conn, |conn| detect(conn, desk, now)) {
        Err(ApiError::Conflict(..)) | Err(ApiError::Internal(_)) => {
            write_transaction(conn, |conn| detect(conn, desk, now))
        }
        other => other,
    }
}

/// Customers whose service addresses lie in an incident's area.
fn affected(conn: &mut DbConnection, incident: &IncidentRecord) -> ApiResult<Vec<(i64, String)>> {
    let mut seen = HashSet::new();
    let mut found = Vec::new();
    for (_, customer_id, json) in service_addresses_in_force(conn, None)? {
        let Ok(address) = serde_json::from_str::<Address>(&json) else {
            continue;
        };
        let area = Area::of(Some(&address), None);
        if area.key(incident.scope) == Some(incident.area_key.as_str()) && seen.insert(customer_id)
        {
            found.push((customer_id, address.one_line()));
        }
    }
    // Tickets may carry a network node no address has: their customers are affected too.
    for ticket in linked(conn, incident.id)? {
        if seen.insert(ticket.customer_id) {
            found.push((
                ticket.customer_id,
                ticket.service_address.clone().unwrap_or_default(),
            ));
        }
    }
    Ok(found)
}

fn linked(conn: &mut DbConnection, incident_id: i64) -> ApiResult<Vec<TicketRecord>> {
    Ok(TicketRecord::list(
        conn,
        &TicketFilter {
            incident_id: Some(incident_id),
            ..TicketFilter::default()
        },
        5000,
    )?)
}

fn tell_affected(
    conn: &mut DbConnection,
    desk: &Desk,
    incident: &IncidentRecord,
    now: DateTime<Utc>,
) -> ApiResult<()> {
    let notices: Vec<Notice> = affected(conn, incident)?
        .into_iter()
        .map(|(customer_id, _)| Notice {
            event: NotificationEvent::OutageDeclared,
            customer_id,
            // Keys are per event and subject: each customer's message is its own.
            about: format!("{}:{customer_id}", incident.id),
            invoice_id: None,
            document_id: None,
            values: vec![
                ("area", Value::Text(incident.area.clone())),
                (
                    "since",
                    Value::Moment(desk.local(from_db(incident.detected_at))),
                ),
            ],
        })
        .collect();
    notifications::write(conn, &desk.sender, &notices, now)?;
    Ok(())
}

fn view(record: &IncidentRecord, ticket_count: i64) -> Incident {
    Incident {
        id: record.id,
        number: record.number.clone(),
        category: record.category,
        status: record.status,
        scope: record.scope,
        area: record.area.clone(),
        detected: record.detected,
        detected_at: from_db(record.detected_at),
        opened_at: record.opened_at.map(from_db),
        resolved_at: record.resolved_at.map(from_db),
        resolution_note: record.resolution_note.clone(),
        ticket_count,
    }
}

pub fn list(conn: &mut DbConnection, query: &IncidentQuery) -> ApiResult<Vec<Incident>> {
    let records = IncidentRecord::list(conn, query.status, query.active.unwrap_or(false))?;
    let ids: Vec<i64> = records.iter().map(|r| r.id).collect();
    let counts = IncidentRecord::ticket_counts(conn, &ids)?;
    Ok(records
        .iter()
        .map(|r| view(r, counts.get(&r.id).copied().unwrap_or(0)))
        .collect())
}

fn find_incident(conn: &mut DbConnection, id: i64) -> ApiResult<IncidentRecord> {
    IncidentRecord::find(conn, id)
        .or_not_found(ErrorCode::IncidentNotFound, format!("incident {id}"))
}

pub fn detail(
    conn: &mut DbConnection,
    desk: &Desk,
    principal: &Principal,
    id: i64,
    now: DateTime<Utc>,
) -> ApiResult<IncidentDetail> {
    let record = find_incident(conn, id)?;
    let tickets = linked(conn, id)?;
    let reported: HashSet<i64> = tickets.iter().map(|t| t.customer_id).collect();
    let count = i64::try_from(tickets.len()).unwrap_or(i64::MAX);
    let tickets = super::reads::summaries(conn, desk, tickets, now)?;
    let affected = affected(conn, &record)?;
    let names = customer_names(
        conn,
        &affected.iter().map(|(id, _)| *id).collect::<Vec<_>>(),
    )?;
    let mut affected: Vec<AffectedCustomer> = affected
        .into_iter()
        .map(|(customer_id, service_address)| AffectedCustomer {
            customer_id,
            name: names.get(&customer_id).cloned().unwrap_or_default(),
            service_address,
            reported: reported.contains(&customer_id),
        })
        .collect();
    affected.sort_by(|a, b| (!a.reported, &a.name).cmp(&(!b.reported, &b.name)));
    audit::record_read(
        conn,
        principal,
        "incident.read",
        affected.iter().map(|a| a.customer_id),
        now,
    )?;
    Ok(IncidentDetail {
        incident: view(&record, count),
        tickets,
        affected,
    })
}

fn closed(record: &IncidentRecord) -> ApiError {
    ApiError::Conflict(
        ErrorCode::IncidentClosed,
        format!("incident {} is {}", record.number, record.status),
        Vec::new(),
    )
}

/// Declares an outage at a ticket's area by hand: open at once, with the area's open tickets
/// of its category linked.
pub fn declare(
    conn: &mut DbConnection,
    desk: &Desk,
    principal: &Principal,
    input: &NewIncident,
    now: DateTime<Utc>,
) -> ApiResult<i64> {
    let ticket = match TicketRecord::find(conn, input.ticket_id) {
        Ok(ticket) => ticket,
        Err(DbError::NotFound) => {
            return Err(ApiError::field(
                "ticket_id",
                FieldErrorCode::UnknownReference,
                "no such ticket",
            ));
        }
        Err(other) => return Err(other.into()),
    };
    let scope = input.scope.unwrap_or(AreaScope::Building);
    let Some(key) = area_of(&ticket).key(scope).map(str::to_owned) else {
        return Err(ApiError::field(
            "scope",
            FieldErrorCode::InvalidValue,
            "the ticket has no place of this kind",
        ));
    };
    if let Some(active) = IncidentRecord::active_at(conn, ticket.category, scope, &key)? {
        return Err(ApiError::Conflict(
            ErrorCode::IncidentClosed,
            format!("incident {} covers this area already", active.number),
            Vec::new(),
        ));
    }
    let ticket_ids = TicketRecord::open_in_area(conn, scope, &key)?
        .into_iter()
        .filter(|t| t.category == ticket.category && t.incident_id.is_none())
        .map(|t| t.id)
        .collect();
    let cluster = Cluster {
        category: ticket.category,
        scope,
        area_key: key.clone(),
        ticket_ids,
    };
    let area = area_label(conn, &ticket, scope)?;
    let by = Actor::of(principal).label;
    let incident = make_incident(
        conn,
        desk,
        &cluster,
        area,
        Origin::Declared { by: &by },
        now,
    )?;
    audit::record(
        conn,
        principal,
        "incident.declare",
        None,
        Some(incident.number.clone()),
        now,
    )?;
    Ok(incident.id)
}

/// Confirms a proposed incident: the affected customers are told.
pub fn confirm(
    conn: &mut DbConnection,
    desk: &Desk,
    principal: &Principal,
    id: i64,
    now: DateTime<Utc>,
) -> ApiResult<()> {
    let record = find_incident(conn, id)?;
    let by = Actor::of(principal).label;
    if !IncidentRecord::move_status(
        conn,
        id,
        &[IncidentStatus::Proposed],
        IncidentStatus::Open,
        &by,
        to_db(now),
        None,
    )? {
        return Err(closed(&record));
    }
    let opened = find_incident(conn, id)?;
    tell_affected(conn, desk, &opened, now)?;
    audit::record(
        conn,
        principal,
        "incident.confirm",
        None,
        Some(record.number),
        now,
    )
}

/// Not an outage after all: the tickets stay linked (so the burst is not proposed again)
/// and are worked one by one.
pub fn dismiss(
    conn: &mut DbConnection,
    principal: &Principal,
    id: i64,
    now: DateTime<Utc>,
) -> ApiResult<()> {
    let record = find_incident(conn, id)?;
    let by = Actor::of(principal).label;
    if !IncidentRecord::move_status(
        conn,
        id,
        &[IncidentStatus::Proposed, IncidentStatus::Open],
        IncidentStatus::Dismissed,
        &by,
        to_db(now),
        None,
    )? {
        return Err(closed(&record));
    }
    audit::record(
        conn,
        principal,
        "incident.dismiss",
        None,
        Some(record.number),
        now,
    )
}

/// Resolves an incident: each linked open ticket is resolved with the one note (shown to its
/// customer), and every affected customer is told the outage is over.
pub fn resolve(
    conn: &mut DbConnection,
    desk: &Desk,
    principal: &Principal,
    id: i64,
    input: &ResolveIncident,
    now: DateTime<Utc>,
) -> ApiResult<()> {
    let mut v = Validator::new();
    let note = v.text("note", &input.note, TEXT_MAX_CHARS);
    v.finish()?;
    let record = find_incident(conn, id)?;
    let actor = Actor::of(principal);
    if !IncidentRecord::move_status(
        conn,
        id,
        &[IncidentStatus::Proposed, IncidentStatus::Open],
        IncidentStatus::Resolved,
        &actor.label,
        to_db(now),
        Some(note.clone()),
    )? {
        return Err(closed(&record));
    }
    for ticket in linked(conn, id)?.into_iter().filter(|t| t.status.is_open()) {
        let change = StatusMove::telling(TicketStatus::Resolved, note.clone()).quietly();
        super::work::move_to(conn, desk, &ticket, change, &actor, now)?;
    }
    let notices: Vec<Notice> = affected(conn, &record)?
        .into_iter()
        .map(|(customer_id, _)| Notice {
            event: NotificationEvent::OutageResolved,
            customer_id,
            about: format!("{}:{customer_id}", record.id),
            invoice_id: None,
            document_id: None,
            values: vec![
                ("area", Value::Text(record.area.clone())),
                ("note", Value::Text(note.clone())),
            ],
        })
        .collect();
    notifications::write(conn, &desk.sender, &notices, now)?;
    audit::record(
        conn,
        principal,
        "incident.resolve",
        None,
        Some(record.number),
        now,
    )
}

fn outage_view(record: &IncidentRecord) -> CustomerOutage {
    CustomerOutage {
        incident_id: record.id,
        number: record.number.clone(),
        category: record.category,
        status: record.status,
        area: record.area.clone(),
        since: from_db(record.detected_at),
    }
}

/// The incident a ticket is linked to, as its customer sees it.
pub fn as_outage(conn: &mut DbConnection, incident_id: i64) -> ApiResult<Option<CustomerOutage>> {
    let record = find_incident(conn, incident_id)?;
    Ok(record.status.is_active().then(|| outage_view(&record)))
}

/// Active incidents covering one of the customer's places (their subscriptions' service
/// addresses, the places of their open tickets): the card's banner, and the script's check.
pub fn of_customer(conn: &mut DbConnection, customer_id: i64) -> ApiResult<Vec<CustomerOutage>> {
    let active = IncidentRecord::active(conn)?;
    if active.is_empty() {
        return Ok(Vec::new());
    }
    let mut areas: Vec<Area> = service_addresses_in_force(conn, Some(customer_id))?
        .into_iter()
        .filter_map(|(_, _, json)| serde_json::from_str::<Address>(&json).ok())
        .map(|a| Area::of(Some(&a), None))
        .collect();
    let own = TicketRecord::list(
        conn,
        &TicketFilter {
            customer_id: Some(customer_id),
            statuses: okno_db::tickets::open_statuses(),
            ..TicketFilter::default()
        },
        100,
    )?;
    areas.extend(own.iter().map(area_of));
    let customer = okno_db::customers::CustomerRecord::find(conn, customer_id)?;
    let card: Vec<Address> = serde_json::from_str(&customer.addresses).unwrap_or_default();
    areas.extend(
        card.iter()
            .filter(|a| a.kind == okno_domain::customers::AddressKind::Service)
            .map(|a| Area::of(Some(a), None)),
    );
    Ok(active
        .iter()
        .filter(|incident| {
            own.iter().any(|t| t.incident_id == Some(incident.id))
                || areas
                    .iter()
                    .any(|a| a.key(incident.scope) == Some(incident.area_key.as_str()))
        })
        .map(outage_view)
        .collect())
}
