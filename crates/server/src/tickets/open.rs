//! Opening a ticket: from the card (prefilled from the contact being logged and the
//! script walked), from the cabinet, or by a monitoring system through the API. Where the
//! fault is comes from the subscription's service address, so outages can be found.

use chrono::{DateTime, Utc};
use okno_api_types::tickets::{CabinetTicket, NewTicket};
use okno_db::contracts::SubscriptionRecord;
use okno_db::customers::CustomerRecord;
use okno_db::tickets::{
    NewTicketRow, ScriptRunRecord, TicketRecord, interaction_customer, service_addresses_in_force,
};
use okno_db::users::UserRecord;
use okno_db::{DbConnection, DbError};
use okno_domain::customers::{Address, AddressKind};
use okno_domain::tickets::outages::Area;
use okno_domain::tickets::{
    TEXT_MAX_CHARS, TITLE_MAX_CHARS, TicketCategory, TicketEventKind, TicketPriority, TicketSource,
    TicketStatus,
};
use okno_domain::validation::{FieldErrorCode, Validator};

use super::{Actor, Desk, Entry, departments, next_number};
use crate::audit;
use crate::auth::Principal;
use crate::error::{ApiError, ApiResult};
use crate::time::to_db;

/// The department a ticket goes to when the caller names none.
pub const DEFAULT_DEPARTMENT: &str = "technical_support";

/// What a ticket is opened with, whoever opens it.
#[derive(Debug, Clone)]
pub struct Opening {
    pub customer_id: i64,
    pub category: TicketCategory,
    pub priority: TicketPriority,
    pub department: String,
    pub title: String,
    pub description: String,
    pub subscription_id: Option<i64>,
    pub network_node: Option<String>,
    pub interaction_id: Option<i64>,
    pub script_run_id: Option<i64>,
    pub assignee_id: Option<i64>,
    pub source: TicketSource,
}

impl Opening {
    pub fn of_staff(input: &NewTicket, source: TicketSource) -> Self {
        Self {
            customer_id: input.customer_id,
            category: input.category,
            priority: input.priority.unwrap_or(TicketPriority::Normal),
            department: input
                .department
                .clone()
                .unwrap_or_else(|| DEFAULT_DEPARTMENT.to_owned()),
            title: input.title.clone(),
            description: input.description.clone(),
            subscription_id: input.subscription_id,
            network_node: input.network_node.clone(),
            interaction_id: input.interaction_id,
            script_run_id: input.script_run_id,
            assignee_id: input.assignee_id,
            source,
        }
    }

    /// A fault reported in the cabinet goes to the first line at normal priority.
    pub fn of_customer(customer_id: i64, input: &CabinetTicket) -> Self {
        Self {
            customer_id,
            category: input.category,
            priority: TicketPriority::Normal,
            department: DEFAULT_DEPARTMENT.to_owned(),
            title: input.title.clone(),
            description: input.description.clone(),
            subscription_id: input.subscription_id,
            network_node: None,
            interaction_id: None,
            script_run_id: None,
            assignee_id: None,
            source: TicketSource::Cabinet,
        }
    }
}

/// Where a fault is: the subscription's service address, else the customer's only
/// subscription in force, else a service or residence address on the card.
pub fn place(
    conn: &mut DbConnection,
    customer: &CustomerRecord,
    subscription: Option<&SubscriptionRecord>,
) -> ApiResult<Option<Address>> {
    if let Some(subscription) = subscription {
        return Ok(serde_json::from_str(&subscription.service_address).ok());
    }
    let in_force = service_addresses_in_force(conn, Some(customer.id))?;
    if let [(_, _, only)] = in_force.as_slice() {
        return Ok(serde_json::from_str(only).ok());
    }
    let addresses: Vec<Address> = serde_json::from_str(&customer.addresses).unwrap_or_default();
    Ok(addresses
        .iter()
        .find(|a| a.kind == AddressKind::Service)
        .or_else(|| addresses.iter().find(|a| a.kind == AddressKind::Residence))
        .cloned())
}

fn unknown(field: &str, what: &str) -> ApiError {
    ApiError::field(field, FieldErrorCode::UnknownReference, what)
}

/// Opens a ticket and records its first entry; a script walk named is kept on it. Outage
/// detection runs after the commit (`outages::detect`), so a ticket is never lost to it.
pub fn open(
    conn: &mut DbConnection,
    desk: &Desk,
    principal: &Principal,
    opening: Opening,
    now: DateTime<Utc>,
) -> ApiResult<TicketRecord> {
    let mut v = Validator::new();
    let title = v.text("title", &opening.title, TITLE_MAX_CHARS);
    let description = v.text("description", &opening.description, TEXT_MAX_CHARS);
    let network_node = v.optional_text("network_node", opening.network_node.as_deref(), 100);
    v.finish()?;
    let customer = crate::customers::find_referenced(conn, "customer_id", opening.customer_id)?;
    let department = departments::require_active(conn, "department", &opening.department)?;
    let subscription = match opening.subscription_id {
        Some(id) => match SubscriptionRecord::find(conn, id) {
            Ok(found) if found.customer_id == customer.id => Some(found),
            Ok(_) | Err(DbError::NotFound) => {
                return Err(unknown(
                    "subscription_id",
                    "not a subscription of this customer",
                ));
            }
            Err(other) => return Err(other.into()),
        },
        None => None,
    };
    if let Some(id) = opening.interaction_id {
        match interaction_customer(conn, id) {
            Ok(found) if found == customer.id => {}
            Ok(_) | Err(DbError::NotFound) => {
                return Err(unknown(
                    "interaction_id",
                    "not a contact with this customer",
                ));
            }
            Err(other) => return Err(other.into()),
        }
    }
    if let Some(id) = opening.script_run_id {
        match ScriptRunRecord::find(conn, id) {
            Ok(run) if run.customer_id != customer.id => {
                return Err(unknown("script_run_id", "not a walk with this customer"));
            }
            Ok(run) if run.finished_at.is_none() || run.ticket_id.is_some() => {
                return Err(ApiError::field(
                    "script_run_id",
                    FieldErrorCode::NotAllowed,
                    "the walk is not finished, or led to a ticket already",
                ));
            }
            Ok(_) => {}
            Err(DbError::NotFound) => return Err(unknown("script_run_id", "no such walk")),
            Err(other) => return Err(other.into()),
        }
    }
    if let Some(id) = opening.assignee_id {
        match UserRecord::find(conn, id) {
            Ok(user) if user.active => {}
            Ok(_) => {
                return Err(ApiError::field(
                    "assignee_id",
                    FieldErrorCode::Inactive,
                    "this user is not active",
                ));
            }
            Err(DbError::NotFound) => return Err(unknown("assignee_id", "no such user")),
            Err(other) => return Err(other.into()),
        }
    }
    let address = place(conn, &customer, subscription.as_ref())?;
    let area = Area::of(address.as_ref(), network_node.as_deref());
    let number = next_number(conn, "TK", "ticket", desk.local_day(now))?;
    let actor = Actor::of(principal);
    let ticket = TicketRecord::insert(
        conn,
        NewTicketRow {
            number,
            customer_id: customer.id,
            subscription_id: subscription.as_ref().map(|s| s.id),
            category: opening.category,
            priority: opening.priority,
            department: department.clone(),
            assignee_id: opening.assignee_id,
            status: TicketStatus::New,
            title,
            description,
            source: opening.source,
            service_address: address.as_ref().map(Address::one_line),
            area_building: area.building,
            area_street: area.street,
            area_postcode: area.postcode,
            network_node: area.network_node.and(network_node),
            interaction_id: opening.interaction_id,
            opened_by: actor.label.clone(),
            opened_by_user_id: actor.user_id,
            opened_at: to_db(now),
        },
    )?;
    Entry {
        department: Some(department),
        assignee_id: opening.assignee_id,
        visible_to_customer: true,
        ..Entry::new(TicketEventKind::Opened)
    }
    .record(conn, ticket.id, &actor, now)?;
    if let Some(run) = opening.script_run_id
        && !ScriptRunRecord::attach_ticket(conn, run, ticket.id)?
    {
        return Err(ApiError::field(
            "script_run_id",
            FieldErrorCode::NotAllowed,
            "the walk led to a ticket already",
        ));
    }
    audit::record(
        conn,
        principal,
        "ticket.open",
        Some(customer.id),
        Some(ticket.number.clone()),
        now,
    )?;
    Ok(ticket)
}
