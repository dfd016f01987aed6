//! Invoices and correction notes as the API shows them.

use okno_api_types::ErrorCode;
use okno_api_types::billing::{Invoice, InvoiceLine, InvoiceParty, InvoiceRef, InvoiceSummary};
use std::collections::HashMap;

use chrono::NaiveDate;
use okno_db::DbConnection;
use okno_db::invoices::{InvoiceLineRecord, InvoiceRecord};
use okno_db::payments::open_of_invoices;
use okno_domain::billing::{InvoiceKind, totals_of};
use okno_domain::customers::Language;
use okno_domain::payments::{PaymentStatus, payment_status};

use crate::error::{ApiResult, NotFoundExt};
use crate::stored_json::decode;

pub fn find_invoice(conn: &mut DbConnection, id: i64) -> ApiResult<InvoiceRecord> {
    InvoiceRecord::find(conn, id).or_not_found(ErrorCode::InvoiceNotFound, format!("invoice {id}"))
}

/// What the customer writes as the transfer title: the invoice number and their account
/// number, so that the payment finds its invoice.
pub fn payment_title(number: &str, buyer: &InvoiceParty, language: Language) -> String {
    let account = buyer.account_number.clone().unwrap_or_default();
    match language {
        Language::En => format!("{number}, account {account}"),
        Language::Pl => format!("{number}, konto {account}"),
        Language::Ru => format!("{number}, счёт {account}"),
    }
}

pub fn line_view(line: InvoiceLineRecord) -> InvoiceLine {
    InvoiceLine {
        id: line.id,
        position: line.position,
        kind: line.kind,
        description: line.description,
        subscription_id: line.subscription_id,
        unit: line.unit,
        quantity_milli: line.quantity_milli,
        days: line.days,
        first_day: line.first_day,
        last_day: line.last_day,
        net_minor: line.net_minor,
        vat_rate_bp: line.vat_rate_bp,
        vat_minor: line.vat_minor,
        gross_minor: line.gross_minor,
        corrects_line_id: line.corrects_line_id,
        net_before_minor: line.net_before_minor,
        net_after_minor: line.net_after_minor,
    }
}

/// What is still to pay of each invoice or note asked, by id; nothing for a credit.
pub fn to_pay_of(
    conn: &mut DbConnection,
    records: &[&InvoiceRecord],
) -> ApiResult<HashMap<i64, i64>> {
    let ids: Vec<i64> = records.iter().map(|r| r.id).collect();
    Ok(open_of_invoices(conn, &ids)?.into_iter().collect())
}

/// An invoice's payment status and what is still to pay of it.
fn payment_of(record: &InvoiceRecord, open: Option<i64>, today: NaiveDate) -> (PaymentStatus, i64) {
    let to_pay = if record.gross_minor > 0 {
        open.unwrap_or(record.gross_minor)
    } else {
        0
    };
    (
        payment_status(record.gross_minor, to_pay, record.due_date, today),
        to_pay,
    )
}

/// The invoice with its lines, what it corrects and what corrects it, and how it is paid.
pub fn invoice_view(
    conn: &mut DbConnection,
    record: InvoiceRecord,
    pdf_url: String,
    today: NaiveDate,
) -> ApiResult<Invoice> {
    let open = to_pay_of(conn, &[&record])?.get(&record.id).copied();
    let (payment_status, to_pay_minor) = payment_of(&record, open, today);
    let lines: Vec<InvoiceLine> = InvoiceLineRecord::of_invoice(conn, record.id)?
        .into_iter()
        .map(line_view)
        .collect();
    let corrects = match record.corrects_invoice_id {
        Some(id) => {
            let original = find_invoice(conn, id)?;
            Some(InvoiceRef {
                id,
                number: original.number,
            })
        }
        None => None,
    };
    let corrections = if record.kind == InvoiceKind::Invoice {
        InvoiceRecord::corrections_of(conn, record.id)?
            .into_iter()
            .map(|c| InvoiceRef {
                id: c.id,
                number: c.number,
            })
            .collect()
    } else {
        Vec::new()
    };
    let seller: InvoiceParty = decode(&record.seller)?;
    let buyer: InvoiceParty = decode(&record.buyer)?;
    Ok(Invoice {
        id: record.id,
        payment_title: payment_title(&record.number, &buyer, record.language),
        number: record.number,
        kind: record.kind,
        customer_id: record.customer_id,
        period: record.period,
        corrects,
        correction_reason: record.correction_reason,
        issue_date: record.issue_date,
        sale_date: record.sale_date,
        period_start: record.period_start,
        period_end: record.period_end,
        due_date: record.due_date,
        currency: record.currency,
        net_minor: record.net_minor,
        vat_minor: record.vat_minor,
        gross_minor: record.gross_minor,
        payment_status,
        to_pay_minor,
        vat_totals: totals_of(lines.iter().map(InvoiceLine::amounts))?.0,
        lines,
        seller,
        buyer,
        corrections,
        language: record.language,
        pdf_url,
    })
}

pub fn summary(
    record: &InvoiceRecord,
    open: Option<i64>,
    today: NaiveDate,
) -> ApiResult<InvoiceSummary> {
    let buyer: InvoiceParty = decode(&record.buyer)?;
    let (payment_status, to_pay_minor) = payment_of(record, open, today);
    Ok(InvoiceSummary {
        id: record.id,
        number: record.number.clone(),
        kind: record.kind,
        customer_id: record.customer_id,
        customer_name: buyer.name,
        period: record.period.clone(),
        issue_date: record.issue_date,
        due_date: record.due_date,
        currency: record.currency.clone(),
        net_minor: record.net_minor,
        gross_minor: record.gross_minor,
        payment_status,
        to_pay_minor,
    })
}
