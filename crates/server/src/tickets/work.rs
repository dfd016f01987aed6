//! Working a ticket: status changes by the domain's transitions, routing to
//! another department with a reason, assignment, comments internal or for the customer, and
//! attachments. Each change is one transaction with its history entry; what the customer is
//! to know is also sent (`ticket_updated`).

use base64::Engine;
use chrono::{DateTime, Utc};
use okno_api_types::ErrorCode;
use okno_api_types::tickets::{
    Attachment, NewAttachment, NewTicketComment, TicketAssignment, TicketRouting,
    TicketStatusChange,
};
use okno_db::DbConnection;
use okno_db::tickets::{AttachmentRecord, NewAttachmentRow, TicketRecord};
use okno_db::users::UserRecord;
use okno_domain::notifications::NotificationEvent;
use okno_domain::tickets::{
    ATTACHMENT_MAX_BYTES, ATTACHMENTS_PER_TICKET, TEXT_MAX_CHARS, TicketEventKind, TicketStatus,
    check_transition,
};
use okno_domain::validation::{FieldErrorCode, Validator};

use super::{Actor, Desk, Entry, departments, find};
use crate::audit;
use crate::auth::Principal;
use crate::error::{ApiError, ApiResult, NotFoundExt};
use crate::notifications::{self, Notice, Value};
use crate::time::to_db;

/// File types a ticket takes: photos, a PDF, a text log.
pub const ATTACHMENT_TYPES: [&str; 4] =
    ["image/png", "image/jpeg", "application/pdf", "text/plain"];

/// Tells the customer where their ticket stands, once per change.
pub fn tell_customer(
    conn: &mut DbConnection,
    desk: &Desk,
    ticket: &TicketRecord,
    status: TicketStatus,
    note: Option<&str>,
    now: DateTime<Utc>,
) -> ApiResult<()> {
    notifications::write(
        conn,
        &desk.sender,
        &[Notice {
            event: NotificationEvent::TicketUpdated,
            customer_id: ticket.customer_id,
            about: format!("{}:{}", ticket.id, now.timestamp_micros()),
            invoice_id: None,
            document_id: None,
            values: vec![
                ("ticket_number", Value::Text(ticket.number.clone())),
                ("status", Value::TicketStatus(status)),
                ("note", Value::Text(note.unwrap_or_default().to_owned())),
            ],
        }],
        now,
    )?;
    Ok(())
}

/// A status change: where to, with what note, whether the note is the customer's to read,
/// and whether the customer is left untold (an outage's resolution tells them itself).
#[derive(Debug, Clone)]
pub struct StatusMove {
    pub to: TicketStatus,
    pub note: Option<String>,
    pub visible: bool,
    pub quiet: bool,
}

impl StatusMove {
    pub fn to(to: TicketStatus) -> Self {
        Self {
            to,
            note: None,
            visible: false,
            quiet: false,
        }
    }

    /// With a note for the customer.
    pub fn telling(to: TicketStatus, note: String) -> Self {
        Self {
            note: Some(note),
            visible: true,
            ..Self::to(to)
        }
    }

    pub fn quietly(self) -> Self {
        Self {
            quiet: true,
            ..self
        }
    }
}

/// Moves a ticket: the domain decides whether it may, a conditional update makes sure nobody
/// moved it meanwhile. The customer is told when it is resolved, waits for them, or a note is
/// meant for them, unless the move is quiet.
pub fn move_to(
    conn: &mut DbConnection,
    desk: &Desk,
    ticket: &TicketRecord,
    change: StatusMove,
    actor: &Actor,
    now: DateTime<Utc>,
) -> ApiResult<()> {
    let StatusMove {
        to,
        note,
        visible,
        quiet,
    } = change;
    check_transition(ticket.status, to)?;
    if !TicketRecord::move_status(conn, ticket.id, ticket.status, to, to_db(now))? {
        return Err(ApiError::Conflict(
            ErrorCode::IllegalTransition,
            "the ticket was changed by someone else meanwhile; reload it".into(),
            Vec::new(),
        ));
    }
    let worth_telling = visible
        || matches!(
            to,
            TicketStatus::Resolved | TicketStatus::WaitingForCustomer
        );
    // The customer sees every status; a note only when it is meant for them (an internal one
    // is an internal comment beside it).
    Entry {
        from_status: Some(ticket.status),
        to_status: Some(to),
        body: note.clone().filter(|_| visible),
        visible_to_customer: true,
        ..Entry::new(TicketEventKind::StatusChanged)
    }
    .record(conn, ticket.id, actor, now)?;
    if let Some(internal) = note.clone().filter(|_| !visible) {
        Entry {
            body: Some(internal),
            ..Entry::new(TicketEventKind::Comment)
        }
        .record(conn, ticket.id, actor, now)?;
    }
    if worth_telling && !quiet && !actor.customer {
        let shown = if visible { note.as_deref() } else { None };
        tell_customer(conn, desk, ticket, to, shown, now)?;
    }
    Ok(())
}

pub fn change_status(
    conn: &mut DbConnection,
    desk: &Desk,
    principal: &Principal,
    id: i64,
    input: &TicketStatusChange,
    now: DateTime<Utc>,
) -> ApiResult<TicketRecord> {
    let mut v = Validator::new();
    let note = v.optional_text("note", input.note.as_deref(), TEXT_MAX_CHARS);
    v.finish()?;
    let ticket = find(conn, id)?;
    // Reopening is for a fault that came back: it says why.
    if input.status == TicketStatus::Reopened && note.is_none() {
        return Err(ApiError::field(
            "note",
            FieldErrorCode::Required,
            "say why the ticket is reopened",
        ));
    }
    let change = StatusMove {
        note,
        visible: input.visible_to_customer,
        ..StatusMove::to(input.status)
    };
    move_to(conn, desk, &ticket, change, &Actor::of(principal), now)?;
    audit::record(
        conn,
        principal,
        "ticket.status",
        Some(ticket.customer_id),
        Some(format!(
            "{} {} → {}",
            ticket.number, ticket.status, input.status
        )),
        now,
    )?;
    find(conn, id)
}

/// Sends a ticket to another department with the reason. A resolved or closed ticket
/// stays where it was settled.
pub fn route_to(
    conn: &mut DbConnection,
    ticket: &TicketRecord,
    department: &str,
    reason: String,
    actor: &Actor,
    now: DateTime<Utc>,
) -> ApiResult<()> {
    if !ticket.status.is_open() {
        return Err(ApiError::Conflict(
            ErrorCode::IllegalTransition,
            format!("a {} ticket is not routed", ticket.status),
            Vec::new(),
        ));
    }
    if ticket.department == department {
        return Err(ApiError::field(
            "department",
            FieldErrorCode::Unchanged,
            "the ticket is in this department already",
        ));
    }
    TicketRecord::set_department(conn, ticket.id, department)?;
    Entry {
        department: Some(department.to_owned()),
        body: Some(reason),
        ..Entry::new(TicketEventKind::Routed)
    }
    .record(conn, ticket.id, actor, now)
}

pub fn route(
    conn: &mut DbConnection,
    principal: &Principal,
    id: i64,
    input: &TicketRouting,
    now: DateTime<Utc>,
) -> ApiResult<TicketRecord> {
    let mut v = Validator::new();
    let reason = v.text("reason", &input.reason, TEXT_MAX_CHARS);
    v.finish()?;
    let department = departments::require_active(conn, "department", input.department.trim())?;
    let ticket = find(conn, id)?;
    route_to(
        conn,
        &ticket,
        &department,
        reason,
        &Actor::of(principal),
        now,
    )?;
    audit::record(
        conn,
        principal,
        "ticket.route",
        Some(ticket.customer_id),
        Some(format!(
            "{} {} → {department}",
            ticket.number, ticket.department
        )),
        now,
    )?;
    find(conn, id)
}

pub fn assign(
    conn: &mut DbConnection,
    principal: &Principal,
    id: i64,
    input: &TicketAssignment,
    now: DateTime<Utc>,
) -> ApiResult<TicketRecord> {
    if let Some(user) = input.assignee_id {
        match UserRecord::find(conn, user) {
            Ok(found) if found.active && found.role.is_staff() => {}
            Ok(_) => {
                return Err(ApiError::field(
                    "assignee_id",
                    FieldErrorCode::Inactive,
                    "not an active staff user",
                ));
            }
            Err(okno_db::DbError::NotFound) => {
                return Err(ApiError::field(
                    "assignee_id",
                    FieldErrorCode::UnknownReference,
                    "no such user",
                ));
            }
            Err(other) => return Err(other.into()),
        }
    }
    let ticket = find(conn, id)?;
    TicketRecord::set_assignee(conn, id, input.assignee_id)?;
    Entry {
        assignee_id: input.assignee_id,
        ..Entry::new(TicketEventKind::Assigned)
    }
    .record(conn, id, &Actor::of(principal), now)?;
    audit::record(
        conn,
        principal,
        "ticket.assign",
        Some(ticket.customer_id),
        Some(ticket.number.clone()),
        now,
    )?;
    find(conn, id)
}

/// A comment by staff: internal, or written to the customer (which counts as a response on
/// the SLA clocks and is sent).
pub fn comment(
    conn: &mut DbConnection,
    desk: &Desk,
    principal: &Principal,
    id: i64,
    input: &NewTicketComment,
    now: DateTime<Utc>,
) -> ApiResult<TicketRecord> {
    let mut v = Validator::new();
    let body = v.text("body", &input.body, TEXT_MAX_CHARS);
    v.finish()?;
    let ticket = find(conn, id)?;
    if ticket.status == TicketStatus::Closed {
        return Err(ApiError::Conflict(
            ErrorCode::IllegalTransition,
            "a closed ticket takes no comments".into(),
            Vec::new(),
        ));
    }
    Entry {
        body: Some(body.clone()),
        visible_to_customer: input.visible_to_customer,
        ..Entry::new(TicketEventKind::Comment)
    }
    .record(conn, id, &Actor::of(principal), now)?;
    if input.visible_to_customer {
        tell_customer(conn, desk, &ticket, ticket.status, Some(&body), now)?;
    }
    find(conn, id)
}

/// The customer's comment in the cabinet. An answer to a ticket waiting for them sets the
/// clocks going again; on a resolved one it reopens it (the fault is back).
pub fn customer_comment(
    conn: &mut DbConnection,
    desk: &Desk,
    principal: &Principal,
    ticket: &TicketRecord,
    body: &str,
    now: DateTime<Utc>,
) -> ApiResult<()> {
    let mut v = Validator::new();
    let body = v.text("body", body, TEXT_MAX_CHARS);
    v.finish()?;
    if ticket.status == TicketStatus::Closed {
        return Err(ApiError::Conflict(
            ErrorCode::IllegalTransition,
            "a closed ticket takes no comments; report a new fault".into(),
            Vec::new(),
        ));
    }
    let actor = Actor::of(principal);
    Entry {
        body: Some(body),
        ..Entry::new(TicketEventKind::Comment)
    }
    .record(conn, ticket.id, &actor, now)?;
    let next = match ticket.status {
        TicketStatus::WaitingForCustomer => Some(TicketStatus::InProgress),
        TicketStatus::Resolved => Some(TicketStatus::Reopened),
        _ => None,
    };
    if let Some(next) = next {
        move_to(
            conn,
            desk,
            ticket,
            StatusMove::to(next).quietly(),
            &actor,
            now,
        )?;
    }
    Ok(())
}

/// Attaches a file: a known type, at most 1 MiB, at most 20 to a ticket. The customer's own
/// files are always theirs to see.
pub fn attach(
    conn: &mut DbConnection,
    principal: &Principal,
    ticket: &TicketRecord,
    input: &NewAttachment,
    now: DateTime<Utc>,
) -> ApiResult<Attachment> {
    let mut v = Validator::new();
    let file_name = v.text("file_name", &input.file_name, 200);
    if !ATTACHMENT_TYPES.contains(&input.content_type.as_str()) {
        v.fail(
            "content_type",
            FieldErrorCode::InvalidValue,
            format!("one of {}", ATTACHMENT_TYPES.join(", ")),
        );
    }
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(input.content_base64.trim())
        .map_err(|_| ApiError::field("content_base64", FieldErrorCode::InvalidValue, "not base64"));
    let bytes = match bytes {
        Ok(bytes) if bytes.is_empty() => {
            v.fail(
                "content_base64",
                FieldErrorCode::Required,
                "the file is empty",
            );
            Vec::new()
        }
        Ok(bytes) if bytes.len() > ATTACHMENT_MAX_BYTES => {
            v.fail("content_base64", FieldErrorCode::TooLong, "at most 1 MiB");
            Vec::new()
        }
        Ok(bytes) => bytes,
        Err(error) => return Err(error),
    };
    v.finish()?;
    if ticket.status == TicketStatus::Closed {
        return Err(ApiError::Conflict(
            ErrorCode::IllegalTransition,
            "a closed ticket takes no files".into(),
            Vec::new(),
        ));
    }
    let count = AttachmentRecord::count_of_ticket(conn, ticket.id)?;
    if count >= i64::try_from(ATTACHMENTS_PER_TICKET).unwrap_or(i64::MAX) {
        return Err(ApiError::field(
            "content_base64",
            FieldErrorCode::TooMany,
            format!("a ticket holds at most {ATTACHMENTS_PER_TICKET} files"),
        ));
    }
    let actor = Actor::of(principal);
    let visible = input.visible_to_customer || actor.customer;
    let record = AttachmentRecord::insert(
        conn,
        NewAttachmentRow {
            ticket_id: ticket.id,
            file_name: file_name.clone(),
            content_type: input.content_type.clone(),
            size_bytes: i64::try_from(bytes.len()).unwrap_or(i64::MAX),
            content: bytes,
            visible_to_customer: visible,
            uploaded_by: actor.label.clone(),
            at: to_db(now),
        },
    )?;
    Entry {
        body: Some(file_name),
        visible_to_customer: visible,
        ..Entry::new(TicketEventKind::Attachment)
    }
    .record(conn, ticket.id, &actor, now)?;
    audit::record(
        conn,
        principal,
        "ticket.attach",
        Some(ticket.customer_id),
        Some(format!("{} #{}", ticket.number, record.id)),
        now,
    )?;
    Ok(super::reads::attachment_view(record))
}

/// An attachment's bytes; the customer reaches only those shown to them.
pub fn attachment(
    conn: &mut DbConnection,
    ticket: &TicketRecord,
    attachment_id: i64,
    customer: bool,
) -> ApiResult<(Attachment, Vec<u8>)> {
    let (record, bytes) = AttachmentRecord::content(conn, ticket.id, attachment_id).or_not_found(
        ErrorCode::AttachmentNotFound,
        format!("attachment {attachment_id}"),
    )?;
    if customer && !record.visible_to_customer {
        return Err(ApiError::not_found(
            ErrorCode::AttachmentNotFound,
            format!("attachment {attachment_id}"),
        ));
    }
    Ok((super::reads::attachment_view(record), bytes))
}
