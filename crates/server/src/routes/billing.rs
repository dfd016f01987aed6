//! Billing runs, invoices and correction notes, customer accounts (R-20..R-28).

use actix_web::{HttpResponse, get, post, web};
use okno_api_types::billing::{
    Account, AccountQuery, BillingRun, Invoice, InvoiceQuery, InvoiceSummary, MyInvoiceQuery,
    NewBillingRun, NewCorrection, PdfQuery,
};
use okno_api_types::{ErrorCode, Page, Problem};
use okno_db::DbConnection;
use okno_db::billing::BillingRunRecord;

use crate::audit;
use crate::auth::{Authorized, perm};
use crate::billing::{account, corrections, invoices, runs};
use crate::error::{ApiResult, NotFoundExt};
use crate::extract::{Json, Query};
use crate::responses;
use crate::state::AppState;

fn find_run(conn: &mut DbConnection, id: i64) -> ApiResult<BillingRunRecord> {
    BillingRunRecord::find(conn, id)
        .or_not_found(ErrorCode::BillingRunNotFound, format!("billing run {id}"))
}

/// Start the billing run of a period that has ended, or take it up again: customers with
/// something to bill and no invoice of the period yet are added, and work left by a stopped
/// server is resumed. Each customer's invoice is issued exactly once. The work goes on in the
/// background: follow it with `GET /billing-runs/{id}`. 201 for a new run, 200 for one taken
/// up again.
#[utoipa::path(
    tag = "billing",
    request_body = NewBillingRun,
    responses((status = 201, body = BillingRun), (status = 200, body = BillingRun), (status = 422, body = Problem)),
    extensions(("x-okno-permission" = json!("billing_run"))),
)]
#[post("/billing-runs")]
pub async fn start_billing_run(
    auth: Authorized<perm::BillingRun>,
    state: web::Data<AppState>,
    body: Json<NewBillingRun>,
) -> ApiResult<HttpResponse> {
    let input = body.into_inner()?;
    let now = state.now();
    let principal = auth.principal;
    let (run, created) = state
        .run(move |conn| runs::start_by(conn, &principal, &input, now))
        .await?;
    let run_id = run.id;
    runs::spawn_workers(
        &state.billing_runs,
        state.db.clone(),
        run_id,
        state.settings.billing.clone(),
        state.settings.operator.clone(),
        state.clock.clone(),
    );
    let view = state.run(move |conn| runs::view(conn, run)).await?;
    Ok(if created {
        HttpResponse::Created()
    } else {
        HttpResponse::Ok()
    }
    .json(view))
}

/// Billing runs, newest period first.
#[utoipa::path(
    tag = "billing",
    responses((status = 200, body = Vec<BillingRun>)),
    extensions(("x-okno-permission" = json!("billing_run"))),
)]
#[get("/billing-runs")]
pub async fn list_billing_runs(
    _auth: Authorized<perm::BillingRun>,
    state: web::Data<AppState>,
) -> ApiResult<web::Json<Vec<BillingRun>>> {
    let views = state
        .run(|conn| {
            BillingRunRecord::list(conn, 24)?
                .into_iter()
                .map(|run| runs::view(conn, run))
                .collect::<ApiResult<Vec<_>>>()
        })
        .await?;
    Ok(web::Json(views))
}

/// A billing run with its progress: customers done, invoiced, with nothing to bill, failed.
#[utoipa::path(
    tag = "billing",
    params(("id" = i64, Path, description = "Billing run id")),
    responses((status = 200, body = BillingRun), (status = 404, body = Problem)),
    extensions(("x-okno-permission" = json!("billing_run"))),
)]
#[get("/billing-runs/{id}")]
pub async fn get_billing_run(
    _auth: Authorized<perm::BillingRun>,
    state: web::Data<AppState>,
    id: web::Path<i64>,
) -> ApiResult<web::Json<BillingRun>> {
    let id = id.into_inner();
    let view = state
        .run(move |conn| {
            let run = find_run(conn, id)?;
            runs::view(conn, run)
        })
        .await?;
    Ok(web::Json(view))
}

/// Invoices and correction notes, newest first; filters by customer, period, kind, number and
/// issue dates.
#[utoipa::path(
    tag = "billing",
    params(InvoiceQuery),
    responses((status = 200, body = Page<InvoiceSummary>), (status = 422, body = Problem)),
    extensions(("x-okno-permission" = json!("invoices_read"))),
)]
#[get("/invoices")]
pub async fn list_invoices(
    auth: Authorized<perm::InvoicesRead>,
    state: web::Data<AppState>,
    query: Query<InvoiceQuery>,
) -> ApiResult<web::Json<Page<InvoiceSummary>>> {
    let query = query.into_inner()?;
    let filter = invoices::filter_of(&query)?;
    let (principal, now) = (auth.principal, state.now());
    let page = state
        .run(move |conn| {
            let page = invoices::page_of(conn, &filter, &query, now.date_naive())?;
            let shown = page.items.iter().map(|i| i.customer_id);
            audit::record_read(conn, &principal, "invoice.list", shown, now)?;
            Ok(page)
        })
        .await?;
    Ok(web::Json(page))
}

/// An invoice or correction note with its lines, VAT totals, parties and payment details.
#[utoipa::path(
    tag = "billing",
    params(("id" = i64, Path, description = "Invoice id")),
    responses((status = 200, body = Invoice), (status = 404, body = Problem)),
    extensions(("x-okno-permission" = json!("invoices_read"))),
)]
#[get("/invoices/{id}")]
pub async fn get_invoice(
    auth: Authorized<perm::InvoicesRead>,
    state: web::Data<AppState>,
    id: web::Path<i64>,
) -> ApiResult<web::Json<Invoice>> {
    let id = id.into_inner();
    let now = state.now();
    let principal = auth.principal;
    let invoice = state
        .run(move |conn| invoices::staff_invoice(conn, &principal, id, now))
        .await?;
    Ok(web::Json(invoice))
}

/// The invoice as a PDF in the customer's language, with the payment slip; with
/// `duplicate=true`, marked as a duplicate issued today.
#[utoipa::path(
    tag = "billing",
    params(("id" = i64, Path, description = "Invoice id"), PdfQuery),
    responses((status = 200, content_type = "application/pdf", body = Vec<u8>), (status = 404, body = Problem)),
    extensions(("x-okno-permission" = json!("invoices_read"))),
)]
#[get("/invoices/{id}/pdf")]
pub async fn invoice_pdf_file(
    auth: Authorized<perm::InvoicesRead>,
    state: web::Data<AppState>,
    id: web::Path<i64>,
    query: Query<PdfQuery>,
) -> ApiResult<HttpResponse> {
    let id = id.into_inner();
    let duplicate = query.into_inner()?.duplicate;
    let now = state.now();
    let principal = auth.principal;
    // Rendering takes a while: it runs on the blocking pool with the database work.
    let (number, content) = state
        .run(move |conn| {
            let invoice = invoices::staff_invoice(conn, &principal, id, now)?;
            invoices::pdf_of(&invoice, duplicate.then(|| now.date_naive()))
        })
        .await?;
    Ok(responses::pdf(&number, content))
}

/// Issue a correction note of an invoice: for each line that changes, its net
/// amount after the correction (or `cancel` for all to zero). The note has its own series,
/// names the invoice and the reason, and books the difference on the customer account.
#[utoipa::path(
    tag = "billing",
    params(("id" = i64, Path, description = "Id of the invoice to correct")),
    request_body = NewCorrection,
    responses((status = 201, body = Invoice), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)),
    extensions(("x-okno-permission" = json!("invoices_correct"))),
)]
#[post("/invoices/{id}/corrections")]
pub async fn correct_invoice(
    auth: Authorized<perm::InvoicesCorrect>,
    state: web::Data<AppState>,
    id: web::Path<i64>,
    body: Json<NewCorrection>,
) -> ApiResult<HttpResponse> {
    let id = id.into_inner();
    let input = body.into_inner()?;
    let now = state.now();
    let principal = auth.principal;
    let settings = state.settings.billing.clone();
    let note = state
        .run(move |conn| corrections::correct(conn, &settings, &principal, id, &input, now))
        .await?;
    Ok(HttpResponse::Created().json(note))
}

/// The customer account: balance and entries, newest first, and for prepaid services the day
/// the balance runs out.
#[utoipa::path(
    tag = "billing",
    params(("id" = i64, Path, description = "Customer id"), AccountQuery),
    responses((status = 200, body = Account), (status = 404, body = Problem)),
    extensions(("x-okno-permission" = json!("invoices_read"))),
)]
#[get("/customers/{id}/account")]
pub async fn customer_account(
    auth: Authorized<perm::InvoicesRead>,
    state: web::Data<AppState>,
    id: web::Path<i64>,
    query: Query<AccountQuery>,
) -> ApiResult<web::Json<Account>> {
    let id = id.into_inner();
    let query = query.into_inner()?;
    let now = state.now();
    let (principal, settings) = (auth.principal, state.settings.clone());
    let view = state
        .run(move |conn| account::staff_read(conn, &principal, &settings, id, &query, now))
        .await?;
    Ok(web::Json(view))
}

/// The subscriber's invoices and correction notes, newest first.
#[utoipa::path(
    tag = "cabinet",
    params(MyInvoiceQuery),
    responses((status = 200, body = Page<InvoiceSummary>)),
    extensions(("x-okno-permission" = json!("self_service"))),
)]
#[get("/me/invoices")]
pub async fn my_invoices(
    auth: Authorized<perm::SelfService>,
    state: web::Data<AppState>,
    query: Query<MyInvoiceQuery>,
) -> ApiResult<web::Json<Page<InvoiceSummary>>> {
    let customer_id = auth.principal.own_customer_id()?;
    let query = query.into_inner()?.of_customer(customer_id);
    let filter = invoices::filter_of(&query)?;
    let today = state.now().date_naive();
    let page = state
        .run(move |conn| invoices::page_of(conn, &filter, &query, today))
        .await?;
    Ok(web::Json(page))
}

#[utoipa::path(
    tag = "cabinet",
    params(("id" = i64, Path, description = "Invoice id")),
    responses((status = 200, body = Invoice), (status = 404, body = Problem)),
    extensions(("x-okno-permission" = json!("self_service"))),
)]
#[get("/me/invoices/{id}")]
pub async fn my_invoice(
    auth: Authorized<perm::SelfService>,
    state: web::Data<AppState>,
    id: web::Path<i64>,
) -> ApiResult<web::Json<Invoice>> {
    let customer_id = auth.principal.own_customer_id()?;
    let id = id.into_inner();
    let today = state.now().date_naive();
    let invoice = state
        .run(move |conn| invoices::own_invoice(conn, customer_id, id, today))
        .await?;
    Ok(web::Json(invoice))
}

/// The PDF of one of the subscriber's invoices, a duplicate with `duplicate=true`.
#[utoipa::path(
    tag = "cabinet",
    params(("id" = i64, Path, description = "Invoice id"), PdfQuery),
    responses((status = 200, content_type = "application/pdf", body = Vec<u8>), (status = 404, body = Problem)),
    extensions(("x-okno-permission" = json!("self_service"))),
)]
#[get("/me/invoices/{id}/pdf")]
pub async fn my_invoice_pdf(
    auth: Authorized<perm::SelfService>,
    state: web::Data<AppState>,
    id: web::Path<i64>,
    query: Query<PdfQuery>,
) -> ApiResult<HttpResponse> {
    let customer_id = auth.principal.own_customer_id()?;
    let id = id.into_inner();
    let duplicate = query.into_inner()?.duplicate;
    let now = state.now();
    let (number, content) = state
        .run(move |conn| {
            let invoice = invoices::own_invoice(conn, customer_id, id, now.date_naive())?;
            invoices::pdf_of(&invoice, duplicate.then(|| now.date_naive()))
        })
        .await?;
    Ok(responses::pdf(&number, content))
}

/// The subscriber's account: balance, entries and, for prepaid services, the day the balance
/// runs out.
#[utoipa::path(
    tag = "cabinet",
    params(AccountQuery),
    responses((status = 200, body = Account)),
    extensions(("x-okno-permission" = json!("self_service"))),
)]
#[get("/me/account")]
pub async fn my_account(
    auth: Authorized<perm::SelfService>,
    state: web::Data<AppState>,
    query: Query<AccountQuery>,
) -> ApiResult<web::Json<Account>> {
    let customer_id = auth.principal.own_customer_id()?;
    let query = query.into_inner()?;
    let today = state.now().date_naive();
    let settings = state.settings.clone();
    let view = state
        .run(move |conn| account::own_account(conn, &settings, customer_id, &query, today))
        .await?;
    Ok(web::Json(view))
}
