//! Correction notes: an issued invoice is never changed; a note in its own series
//! names the invoice, the reason, and for each corrected line its net amount before and after.
//! The difference is booked on the customer account.

use std::collections::HashMap;

use chrono::{DateTime, Duration, Utc};
use okno_api_types::ErrorCode;
use okno_api_types::billing::{Invoice, NewCorrection};
use okno_db::invoices::{
    AccountEntryRecord, InvoiceLineRecord, InvoiceRecord, NewAccountEntryRow, NewInvoiceLineRow,
    NewInvoiceRow,
};
use okno_db::{DbConnection, sequences, write_transaction};
use okno_domain::billing::{EntryKind, InvoiceKind, LineKind, VatTotal, totals_of};
use okno_domain::customers::Language;
use okno_domain::money::{MAX_AMOUNT_MINOR, add, sub, vat};
use okno_domain::validation::{FieldErrorCode, Validator};

use super::view::{find_invoice, invoice_view};
use crate::audit;
use crate::auth::Principal;
use crate::config::BillingSettings;
use crate::error::{ApiError, ApiResult};
use crate::time::to_db;

/// The net amount of each line of `invoice` now: as issued, changed by earlier notes.
pub fn current_nets(
    conn: &mut DbConnection,
    invoice: &InvoiceRecord,
) -> ApiResult<Vec<(InvoiceLineRecord, i64)>> {
    let lines = InvoiceLineRecord::of_invoice(conn, invoice.id)?;
    let notes = InvoiceRecord::corrections_of(conn, invoice.id)?;
    let note_ids: Vec<i64> = notes.iter().map(|n| n.id).collect();
    let mut changes: HashMap<i64, i64> = HashMap::new();
    for line in InvoiceLineRecord::of_invoices(conn, &note_ids)? {
        if let Some(corrected) = line.corrects_line_id {
            let change = changes.entry(corrected).or_default();
            *change = add(*change, line.net_minor)?;
        }
    }
    let mut nets = Vec::with_capacity(lines.len());
    for line in lines {
        let now = add(line.net_minor, changes.get(&line.id).copied().unwrap_or(0))?;
        nets.push((line, now));
    }
    Ok(nets)
}

fn correction_label(description: &str, language: Language) -> String {
    match language {
        Language::En => format!("Correction: {description}"),
        Language::Pl => format!("Korekta: {description}"),
        Language::Ru => format!("Корректировка: {description}"),
    }
}

/// A staff member corrects an invoice: the note is issued and audited in one transaction,
/// and answered as the API shows it.
pub fn correct(
    conn: &mut DbConnection,
    settings: &BillingSettings,
    principal: &Principal,
    invoice_id: i64,
    request: &NewCorrection,
    now: DateTime<Utc>,
) -> ApiResult<Invoice> {
    write_transaction(conn, |conn| {
        let by = principal.recorded_by().label;
        let note = issue_correction(conn, settings, invoice_id, request, &by, now)?;
        audit::record(
            conn,
            principal,
            "invoice.correct",
            Some(note.customer_id),
            Some(note.number.clone()),
            now,
        )?;
        let note_id = note.id;
        invoice_view(
            conn,
            note,
            format!("/api/v1/invoices/{note_id}/pdf"),
            now.date_naive(),
        )
    })
}

/// Issues a correction note of invoice `invoice_id`, inside the caller's transaction.
pub fn issue_correction(
    conn: &mut DbConnection,
    settings: &BillingSettings,
    invoice_id: i64,
    request: &NewCorrection,
    issued_by: &str,
    now: DateTime<Utc>,
) -> ApiResult<InvoiceRecord> {
    let invoice = find_invoice(conn, invoice_id)?;
    if invoice.kind == InvoiceKind::Correction {
        return Err(ApiError::Conflict(
            ErrorCode::IllegalTransition,
            format!(
                "{} is a correction note; correct the invoice it corrects",
                invoice.number
            ),
            vec![],
        ));
    }
    let lines = current_nets(conn, &invoice)?;
    let mut v = Validator::new();
    let reason = v.text("reason", &request.reason, 500);
    let mut wanted: Vec<(usize, i64)> = Vec::new();
    if request.cancel && !request.lines.is_empty() {
        v.fail(
            "cancel",
            FieldErrorCode::InvalidValue,
            "either cancel the whole invoice or list lines",
        );
    }
    if request.cancel {
        wanted = (0..lines.len()).map(|i| (i, 0)).collect();
    }
    for (index, change) in request.lines.iter().enumerate() {
        let field = |name: &str| format!("lines[{index}].{name}");
        match lines.iter().position(|(line, _)| line.id == change.line_id) {
            None => v.fail(
                field("line_id"),
                FieldErrorCode::UnknownReference,
                "not a line of this invoice",
            ),
            Some(_)
                if request
                    .lines
                    .iter()
                    .take(index)
                    .any(|c| c.line_id == change.line_id) =>
            {
                v.fail(
                    field("line_id"),
                    FieldErrorCode::Duplicate,
                    "this line is corrected twice",
                )
            }
            Some(_) if change.net_after_minor.unsigned_abs() > MAX_AMOUNT_MINOR.unsigned_abs() => v
                .fail(
                    field("net_after_minor"),
                    FieldErrorCode::OutOfRange,
                    "a line's amount is at most 100 000 000.00 either way",
                ),
            Some(position) => {
                let discount = lines
                    .get(position)
                    .is_some_and(|(l, _)| l.kind == LineKind::Discount);
                if discount && change.net_after_minor > 0 || !discount && change.net_after_minor < 0
                {
                    v.fail(
                        field("net_after_minor"),
                        FieldErrorCode::InvalidValue,
                        "a charge stays zero or more, a discount zero or less",
                    );
                }
                wanted.push((position, change.net_after_minor));
            }
        }
    }
    let changed: Vec<(&InvoiceLineRecord, i64, i64)> = wanted
        .iter()
        .filter_map(|(position, after)| {
            lines
                .get(*position)
                .map(|(line, before)| (line, *before, *after))
        })
        .filter(|(_, before, after)| before != after)
        .collect();
    if changed.is_empty() && v.is_valid() {
        v.fail(
            "lines",
            FieldErrorCode::Unchanged,
            "no line changes: nothing to correct",
        );
    }
    v.finish()?;

    let issue_date = now.date_naive();
    let number_no = sequences::take_next(
        conn,
        &settings
            .correction_format
            .sequence(&settings.correction_series, issue_date),
    )?;
    let number = settings.correction_format.format(issue_date, number_no);
    let mut rows: Vec<NewInvoiceLineRow> = Vec::new();
    for (position, (line, before, after)) in (1_i32..).zip(&changed) {
        let net = sub(*after, *before)?;
        let vat_change = sub(
            vat(*after, line.vat_rate_bp),
            vat(*before, line.vat_rate_bp),
        )?;
        rows.push(NewInvoiceLineRow {
            invoice_id: 0,
            customer_id: invoice.customer_id,
            position,
            kind: LineKind::Correction,
            description: correction_label(&line.description, invoice.language),
            subscription_id: line.subscription_id,
            tariff_version_id: line.tariff_version_id,
            first_day: line.first_day,
            last_day: line.last_day,
            days: line.days,
            month_days: line.month_days,
            unit: line.unit,
            quantity_milli: line.quantity_milli,
            net_minor: net,
            vat_rate_bp: line.vat_rate_bp,
            vat_minor: vat_change,
            gross_minor: add(net, vat_change)?,
            corrects_line_id: Some(line.id),
            net_before_minor: Some(*before),
            net_after_minor: Some(*after),
        });
    }
    let (_, total) = totals_of(rows.iter().map(|r| VatTotal {
        vat_rate_bp: r.vat_rate_bp,
        net_minor: r.net_minor,
        vat_minor: r.vat_minor,
        gross_minor: r.gross_minor,
    }))?;
    let (net, vat_sum, gross) = (total.net_minor, total.vat_minor, total.gross_minor);
    let note = InvoiceRecord::insert(
        conn,
        NewInvoiceRow {
            number: number.clone(),
            kind: InvoiceKind::Correction,
            series: settings.correction_series.clone(),
            customer_id: invoice.customer_id,
            period: None,
            billing_run_id: None,
            corrects_invoice_id: Some(invoice.id),
            correction_reason: Some(reason),
            issue_date,
            sale_date: invoice.sale_date,
            period_start: invoice.period_start,
            period_end: invoice.period_end,
            due_date: issue_date + Duration::days(i64::from(settings.payment_term_days)),
            currency: invoice.currency.clone(),
            net_minor: net,
            vat_minor: vat_sum,
            gross_minor: gross,
            language: invoice.language,
            seller: invoice.seller.clone(),
            buyer: invoice.buyer.clone(),
            created_by: issued_by.to_owned(),
            created_at: to_db(now),
        },
    )?;
    for row in &mut rows {
        row.invoice_id = note.id;
    }
    InvoiceLineRecord::insert_all(conn, rows)?;
    let customer_id = invoice.customer_id;
    AccountEntryRecord::insert_all(
        conn,
        vec![NewAccountEntryRow {
            booked_on: issue_date,
            invoice_id: Some(note.id),
            ..NewAccountEntryRow::new(
                invoice.customer_id,
                EntryKind::Correction,
                to_db(now),
                -gross,
                invoice.currency,
                format!("{number} → {}", invoice.number),
            )
        }],
    )?;
    crate::payments::allocation::settle(conn, customer_id, now)?;
    Ok(note)
}
