//! Writing the audit log: every staff read of a customer's personal data and every
//! change, with who, when, which customer and why.

mod reads;

pub use reads::ReadTrail;

use chrono::{DateTime, Utc};
use okno_db::DbConnection;
use okno_db::audit::{AuditRecord, NewAuditRow};

use okno_api_types::auth::PrincipalKind;

use crate::auth::Principal;
use crate::error::ApiResult;
use crate::time::to_db;

/// Header through which the console says why a card is opened ("incoming call", "complaint");
/// recorded with every audit entry of the request.
pub const PURPOSE_HEADER: &str = "x-access-purpose";

/// A change, recorded in the transaction that makes it.
pub fn record(
    conn: &mut DbConnection,
    principal: &Principal,
    action: &str,
    customer_id: Option<i64>,
    detail: Option<String>,
    now: DateTime<Utc>,
) -> ApiResult<()> {
    AuditRecord::insert(conn, &entry(principal, action, customer_id, detail, now))?;
    Ok(())
}

fn entry(
    principal: &Principal,
    action: &str,
    customer_id: Option<i64>,
    detail: Option<String>,
    now: DateTime<Utc>,
) -> NewAuditRow {
    NewAuditRow {
        occurred_at: to_db(now),
        actor_kind: principal.kind_name().into(),
        actor_id: Some(principal.id),
        actor_name: principal.username.clone(),
        action: action.into(),
        customer_id,
        detail: with_purpose(principal, detail).map(|d| d.chars().take(1000).collect()),
        request_id: principal.request_id.clone(),
    }
}

/// A read of personal data other than [`record_read`]'s (a search, a customer's consents or
/// history, a document), queued like it: subscribers' reads of their own data included.
pub fn record_access(
    conn: &mut DbConnection,
    principal: &Principal,
    action: &str,
    customer_id: Option<i64>,
    detail: Option<String>,
    now: DateTime<Utc>,
) -> ApiResult<()> {
    write_read(
        conn,
        principal,
        entry(principal, action, customer_id, detail, now),
    )
}

/// Queues a read's entry on the request's [`ReadTrail`]; writes it on `conn` when there is
/// none or its queue is full.
fn write_read(conn: &mut DbConnection, principal: &Principal, entry: NewAuditRow) -> ApiResult<()> {
    let unqueued = match &principal.read_trail {
        Some(trail) => trail.queue(entry),
        None => Some(entry),
    };
    if let Some(entry) = unqueued {
        AuditRecord::insert(conn, &entry)?;
    }
    Ok(())
}

/// a read of customers' personal data, as one entry naming the customers shown (in
/// its customer column when there is one). Subscribers reading their own data are not
/// recorded: the audit is of staff and integrations. Queued on the request's [`ReadTrail`]
/// rather than written in the request.
pub fn record_read(
    conn: &mut DbConnection,
    principal: &Principal,
    action: &str,
    customers: impl IntoIterator<Item = i64>,
    now: DateTime<Utc>,
) -> ApiResult<()> {
    if principal.kind == PrincipalKind::Subscriber {
        return Ok(());
    }
    let mut ids: Vec<i64> = customers.into_iter().collect();
    ids.sort_unstable();
    ids.dedup();
    let (customer_id, shown) = match ids.as_slice() {
        [one] => (Some(*one), None),
        [] => (None, Some("no customers".to_owned())),
        many => (
            None,
            Some(format!(
                "customers {}",
                many.iter()
                    .map(i64::to_string)
                    .collect::<Vec<_>>()
                    .join(", ")
            )),
        ),
    };
    write_read(
        conn,
        principal,
        entry(principal, action, customer_id, shown, now),
    )
}

/// The purpose the staff member gave ([`PURPOSE_HEADER`]) goes first in every entry of the
/// request, reads and changes alike.
fn with_purpose(principal: &Principal, detail: Option<String>) -> Option<String> {
    match (principal.purpose.as_deref(), detail) {
        (Some(purpose), Some(detail)) => Some(format!("{purpose}; {detail}")),
        (purpose, detail) => detail.or_else(|| purpose.map(str::to_owned)),
    }
}

/// An entry made by the system itself (the command line, scheduled jobs).
pub fn record_system(
    conn: &mut DbConnection,
    action: &str,
    detail: Option<String>,
    now: DateTime<Utc>,
) -> ApiResult<()> {
    AuditRecord::insert(
        conn,
        &NewAuditRow {
            occurred_at: to_db(now),
            actor_kind: "system".into(),
            actor_id: None,
            actor_name: "okno".into(),
            action: action.into(),
            customer_id: None,
            detail,
            request_id: None,
        },
    )?;
    Ok(())
}

/// The purpose a staff member gave for a read, from [`PURPOSE_HEADER`].
pub fn purpose_of(req: &actix_web::HttpRequest) -> Option<String> {
    req.headers()
        .get(PURPOSE_HEADER)
        .and_then(|v| v.to_str().ok())
        .map(|v| v.trim().chars().take(200).collect::<String>())
        .filter(|v| !v.is_empty())
}
