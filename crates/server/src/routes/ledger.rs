//! `/ledger-check`: the invariants of money and numbering, checked on demand.

use actix_web::{get, web};
use okno_api_types::health::LedgerCheck;

use crate::audit;
use crate::auth::{Authorized, perm};
use crate::billing::check;
use crate::error::ApiResult;
use crate::state::AppState;

/// Check the ledger: every invoice and correction number used once with no gaps per series
/// and year, invoices that add up to their lines and are booked once for their gross, one
/// invoice per customer and period, and every customer of a finished billing run done. It
/// reads the whole database: run it off-peak on a large one. The same as `okno check`.
#[utoipa::path(
    tag = "audit",
    responses((status = 200, body = LedgerCheck)),
    extensions(("x-okno-permission" = json!("audit_read"))),
)]
#[get("/ledger-check")]
pub async fn ledger_check(
    auth: Authorized<perm::AuditRead>,
    state: web::Data<AppState>,
) -> ApiResult<web::Json<LedgerCheck>> {
    let now = state.now();
    let settings = state.settings.billing.clone();
    let principal = auth.principal;
    let report = state
        .run(move |conn| {
            let report = check::check(conn, &settings, now)?;
            let detail = format!("{} findings", report.findings.len());
            audit::record(conn, &principal, "ledger.check", None, Some(detail), now)?;
            Ok(report)
        })
        .await?;
    Ok(web::Json(report))
}
