//! Reading invoices and correction notes: lists, one invoice, its PDF — for staff, whose
//! reads are audited, and for subscribers, who see only their own.

use chrono::{DateTime, NaiveDate, Utc};
use okno_api_types::billing::{Invoice, InvoiceQuery, InvoiceSummary};
use okno_api_types::{ErrorCode, Page};
use okno_db::DbConnection;
use okno_db::invoices::{InvoiceFilter, InvoiceRecord};
use okno_domain::validation::FieldErrorCode;

use super::view::{find_invoice, invoice_view, summary, to_pay_of};
use crate::audit;
use crate::auth::Principal;
use crate::documents::invoice::invoice_pdf;
use crate::error::{ApiError, ApiResult};
use crate::pagination::{decode_id_cursor, fetch_size, id_cursor, limit, page};

const INVOICE_CURSOR: &str = "invoices";

/// The filter a query asks for; a period must be written `YYYY-MM`.
pub fn filter_of(query: &InvoiceQuery) -> ApiResult<InvoiceFilter> {
    if let Some(period) = &query.period
        && period.parse::<okno_domain::billing::Period>().is_err()
    {
        return Err(ApiError::field(
            "period",
            FieldErrorCode::InvalidValue,
            "a period is written YYYY-MM",
        ));
    }
    Ok(InvoiceFilter {
        customer_id: query.customer_id,
        period: query.period.clone(),
        kind: query.kind,
        number_prefix: query.number.clone().filter(|n| !n.trim().is_empty()),
        issued_from: query.issued_from,
        issued_to: query.issued_to,
    })
}

/// A page of invoices, newest first.
pub fn page_of(
    conn: &mut DbConnection,
    filter: &InvoiceFilter,
    query: &InvoiceQuery,
    today: NaiveDate,
) -> ApiResult<Page<InvoiceSummary>> {
    let limit = limit(query.limit)?;
    let after = decode_id_cursor(query.cursor.as_deref(), INVOICE_CURSOR)?;
    let rows = InvoiceRecord::list(
        conn,
        filter,
        after,
        usize::try_from(fetch_size(limit)).unwrap_or(limit),
    )?;
    let to_pay = to_pay_of(conn, &rows.iter().collect::<Vec<_>>())?;
    let summaries = rows
        .iter()
        .map(|r| summary(r, to_pay.get(&r.id).copied(), today))
        .collect::<ApiResult<Vec<_>>>()?;
    Ok(page(
        summaries,
        limit,
        |s| id_cursor(INVOICE_CURSOR, s.id),
        |s| s,
    ))
}

/// An invoice as staff read it: the read is audited.
pub fn staff_invoice(
    conn: &mut DbConnection,
    principal: &Principal,
    id: i64,
    now: DateTime<Utc>,
) -> ApiResult<Invoice> {
    let record = find_invoice(conn, id)?;
    audit::record_access(
        conn,
        principal,
        "invoice.read",
        Some(record.customer_id),
        Some(record.number.clone()),
        now,
    )?;
    invoice_view(
        conn,
        record,
        format!("/api/v1/invoices/{id}/pdf"),
        now.date_naive(),
    )
}

/// One of the subscriber's own invoices; another customer's is not found.
pub fn own_invoice(
    conn: &mut DbConnection,
    customer_id: i64,
    id: i64,
    today: NaiveDate,
) -> ApiResult<Invoice> {
    let record = find_invoice(conn, id)?;
    if record.customer_id != customer_id {
        return Err(ApiError::not_found(
            ErrorCode::InvoiceNotFound,
            format!("invoice {id}"),
        ));
    }
    invoice_view(conn, record, format!("/api/v1/me/invoices/{id}/pdf"), today)
}

/// An invoice rendered as a PDF, with its number for the file name; `duplicate_on` marks it
/// as a duplicate issued that day.
pub fn pdf_of(invoice: &Invoice, duplicate_on: Option<NaiveDate>) -> ApiResult<(String, Vec<u8>)> {
    Ok((invoice.number.clone(), invoice_pdf(invoice, duplicate_on)?))
}
