//! `/audit-log`: who read or changed whose personal data.

use actix_web::{get, web};
use okno_api_types::audit::{AuditEntry, AuditQuery};
use okno_api_types::{Page, Problem};
use okno_db::audit::{AuditFilter, AuditRecord};

use crate::auth::{Authorized, perm};
use crate::error::{ApiError, ApiResult};
use crate::extract::Query;
use crate::pagination::{decode_id_cursor, fetch_size, id_cursor, limit, page};
use crate::state::AppState;
use crate::time::{from_db, to_db};
use okno_domain::validation::FieldErrorCode;

const CURSOR: &str = "audit";

fn to_api(record: AuditRecord) -> AuditEntry {
    AuditEntry {
        id: record.id,
        occurred_at: from_db(record.occurred_at),
        actor_kind: record.actor_kind,
        actor_id: record.actor_id,
        actor_name: record.actor_name,
        action: record.action,
        customer_id: record.customer_id,
        detail: record.detail,
        request_id: record.request_id,
    }
}

/// The audit log, newest first, filtered by customer, staff user, action and time.
#[utoipa::path(
    tag = "audit",
    params(AuditQuery),
    responses((status = 200, body = Page<AuditEntry>), (status = 403, body = Problem), (status = 422, body = Problem)),
    extensions(("x-okno-permission" = json!("audit_read"))),
)]
#[get("/audit-log")]
pub async fn audit_log(
    _auth: Authorized<perm::AuditRead>,
    state: web::Data<AppState>,
    query: Query<AuditQuery>,
) -> ApiResult<web::Json<Page<AuditEntry>>> {
    let query = query.into_inner()?;
    let limit = limit(query.limit)?;
    let before = decode_id_cursor(query.cursor.as_deref(), CURSOR)?;
    if let (Some(from), Some(to)) = (query.from, query.to)
        && from >= to
    {
        return Err(ApiError::field(
            "to",
            FieldErrorCode::InvalidRange,
            "must be later than from",
        ));
    }
    let filter = AuditFilter {
        customer_id: query.customer_id,
        user_id: query.user_id,
        action: query.action,
        from: query.from.map(to_db),
        to: query.to.map(to_db),
    };
    // The reads audited before this request are in the log it answers from.
    state.flush_read_trail().await?;
    let rows = state
        .run(move |conn| Ok(AuditRecord::list(conn, &filter, before, fetch_size(limit))?))
        .await?;
    Ok(web::Json(page(
        rows,
        limit,
        |r| id_cursor(CURSOR, r.id),
        to_api,
    )))
}
