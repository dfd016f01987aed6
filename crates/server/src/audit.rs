//! Writing the audit log: every staff read of a customer's personal data and every
//! change, with who, when, which customer and why.

use chrono::{DateTime, Utc};
use okno_db::DbConnection;
use okno_db::audit::{AuditRecord, NewAuditRow};

use crate::auth::Principal;
use crate::error::ApiResult;
use crate::time::to_db;

/// Header through which the console says why a card is opened ("incoming call", "complaint");
/// recorded with the read.
pub const PURPOSE_HEADER: &str = "x-access-purpose";

pub fn record(
    conn: &mut DbConnection,
    principal: &Principal,
    action: &str,
    customer_id: Option<i64>,
    detail: Option<String>,
    now: DateTime<Utc>,
) -> ApiResult<()> {
    AuditRecord::insert(
        conn,
        &NewAuditRow {
            occurred_at: to_db(now),
            actor_kind: principal.kind_name().into(),
            actor_id: Some(principal.id),
            actor_name: principal.username.clone(),
            action: action.into(),
            customer_id,
            detail: detail.map(|d| d.chars().take(1000).collect()),
            request_id: principal.request_id.clone(),
        },
    )?;
    Ok(())
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
