//! Bank statements: a camt.053, MT940 or CSV file is read whole or refused
//! whole; each credit line is matched to a customer by the account number or an invoice
//! number in its title and registered as a payment, or left unmatched for staff, or skipped
//! as a duplicate of a line imported before. The same file twice changes nothing.

use base64::Engine;
use chrono::{DateTime, Utc};
use okno_api_types::payments::{
    BankCsvMapping, CsvMapping, ImportLine, ImportLineQuery, ImportOutcome, LineAssignment,
    NewPayment, NewPaymentImport, PaymentImport, PaymentMethod, StatementFormat,
};
use okno_api_types::{ErrorCode, FieldError, Page};
use okno_db::customers::CustomerRecord;
use okno_db::invoices::{InvoiceFilter, InvoiceRecord};
use okno_db::payment_imports::{
    CsvMappingRecord, ImportLineRecord, NewImportLineRow, NewPaymentImportRow, PaymentImportRecord,
};
use okno_db::{DbConnection, write_transaction};
use okno_domain::payments::{MAX_REFERENCE_CHARS, account_numbers_in};
use okno_domain::validation::{FieldErrorCode, Validator};
use sha2::{Digest, Sha256};

use super::statements::{self, StatementLine};
use super::{Registered, register};
use crate::audit;
use crate::auth::Principal;
use crate::config::{BillingSettings, Settings};
use crate::error::{ApiError, ApiResult, NotFoundExt};
use crate::notifications::Sender;
use crate::pagination::{decode_id_cursor, fetch_size, id_cursor, limit, page};
use crate::stored_json::decode;
use crate::time::{from_db, start_of_day, to_db};

/// The largest statement file read: a month of a busy operator's transfers fits many times.
pub const MAX_FILE_BYTES: usize = 4 * 1024 * 1024;

const CURSOR: &str = "payment-imports";
const LINE_CURSOR: &str = "import-lines";

/// What an import answered: a file read now, or the one it is a copy of.
pub enum Imported {
    New(PaymentImport),
    Again(PaymentImport),
}

/// Imports a statement through the API: the file arrives base64 in the body.
pub fn import_upload(
    conn: &mut DbConnection,
    principal: &Principal,
    settings: &Settings,
    request: &NewPaymentImport,
    now: DateTime<Utc>,
) -> ApiResult<Imported> {
    let mut v = Validator::new();
    let file_name = v.text("file_name", &request.file_name, 200);
    let bank = v.optional_text("bank", request.bank.as_deref(), 100);
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(request.content_base64.trim())
        .map_err(|_| {
            ApiError::field(
                "content_base64",
                FieldErrorCode::InvalidValue,
                "not base64 (the standard alphabet, padded)",
            )
        })?;
    if bytes.len() > MAX_FILE_BYTES {
        v.fail(
            "content_base64",
            FieldErrorCode::TooLong,
            format!("a statement is at most {MAX_FILE_BYTES} bytes"),
        );
    }
    v.finish()?;
    import(
        conn,
        principal,
        settings,
        &file_name,
        &bytes,
        bank.as_deref(),
        now,
    )
}

/// Reads and imports a statement file, in one transaction: nothing of a file that cannot
/// be read is imported.
pub fn import(
    conn: &mut DbConnection,
    principal: &Principal,
    settings: &Settings,
    file_name: &str,
    bytes: &[u8],
    bank: Option<&str>,
    now: DateTime<Utc>,
) -> ApiResult<Imported> {
    let digest = hex::encode(Sha256::digest(bytes));
    if let Some(before) = PaymentImportRecord::find_by_digest(conn, &digest)? {
        return Ok(Imported::Again(import_view(conn, before, true)?));
    }
    let format = statements::detect(bytes).ok_or_else(|| malformed(1, "not a statement"))?;
    let mapping = match format {
        statements::StatementFormat::Csv => Some(csv_mapping_of(conn, bank)?),
        _ => None,
    };
    let statement = statements::parse(bytes, format, mapping.as_ref())
        .map_err(|e| malformed(e.line, &e.reason))?;
    let sender = Sender::of(settings);
    write_transaction(conn, |conn| {
        let record = PaymentImportRecord::insert(
            conn,
            NewPaymentImportRow {
                file_name: file_name.to_owned(),
                format: stored_format(format),
                digest: digest.clone(),
                bank: bank.map(str::to_owned),
                imported_by: principal.recorded_by().label,
                imported_at: to_db(now),
                registered: 0,
                unmatched: 0,
                duplicates: 0,
                debits_skipped: i32::try_from(statement.debits_skipped).unwrap_or(i32::MAX),
            },
        )?;
        let mut counts = (0, 0, 0);
        for line in &statement.credits {
            let outcome = import_line(
                conn,
                principal,
                &settings.billing,
                &sender,
                record.id,
                line,
                now,
            )?;
            match outcome {
                ImportOutcome::Registered | ImportOutcome::Assigned => counts.0 += 1,
                ImportOutcome::Unmatched => counts.1 += 1,
                ImportOutcome::Duplicate => counts.2 += 1,
            }
        }
        PaymentImportRecord::set_counts(conn, record.id, counts.0, counts.1, counts.2)?;
        audit::record(
            conn,
            principal,
            "payment_import.create",
            None,
            Some(format!(
                "{file_name}: {} registered, {} unmatched, {} duplicates",
                counts.0, counts.1, counts.2
            )),
            now,
        )?;
        let done = PaymentImportRecord::find(conn, record.id)?;
        Ok(Imported::New(import_view(conn, done, true)?))
    })
}

fn malformed(line: usize, reason: &str) -> ApiError {
    ApiError::Refused(
        ErrorCode::StatementMalformed,
        format!("line {line}: {reason}"),
        vec![FieldError::new(
            "content_base64",
            FieldErrorCode::InvalidValue,
            format!("line {line}: {reason}"),
        )],
    )
}

fn stored_format(format: statements::StatementFormat) -> StatementFormat {
    match format {
        statements::StatementFormat::Camt053 => StatementFormat::Camt053,
        statements::StatementFormat::Mt940 => StatementFormat::Mt940,
        statements::StatementFormat::Csv => StatementFormat::Csv,
    }
}

/// The bank's saved CSV mapping, as the parser reads it.
fn csv_mapping_of(
    conn: &mut DbConnection,
    bank: Option<&str>,
) -> ApiResult<statements::CsvMapping> {
    let Some(bank) = bank else {
        return Err(ApiError::field(
            "bank",
            FieldErrorCode::Required,
            "a CSV file is read by its bank's column mapping: name the bank",
        ));
    };
    let record = CsvMappingRecord::find(conn, bank)?.ok_or_else(|| {
        ApiError::field(
            "bank",
            FieldErrorCode::UnknownReference,
            format!(
                "no CSV mapping is saved for {bank}: save one with PUT /bank-csv-mappings/{{bank}}"
            ),
        )
    })?;
    let mapping: CsvMapping = decode(&record.mapping)?;
    Ok(parser_mapping(&mapping))
}

fn parser_mapping(mapping: &CsvMapping) -> statements::CsvMapping {
    statements::CsvMapping {
        delimiter: mapping.delimiter.bytes().next().unwrap_or(b';'),
        has_header: mapping.has_header,
        date_format: mapping.date_format.clone(),
        decimal_comma: mapping.decimal_comma,
        columns: statements::CsvColumns {
            reference: mapping.columns.reference,
            booked_on: mapping.columns.booked_on,
            amount: mapping.columns.amount,
            currency: mapping.columns.currency,
            title: mapping.columns.title,
            payer_name: mapping.columns.payer_name,
            payer_account: mapping.columns.payer_account,
        },
    }
}

/// One credit line: a duplicate of a line imported before, or matched and registered, or
/// left unmatched with the reason. A line that cannot be registered does not stop the file.
fn import_line(
    conn: &mut DbConnection,
    principal: &Principal,
    billing: &BillingSettings,
    sender: &Sender,
    import_id: i64,
    line: &StatementLine,
    now: DateTime<Utc>,
) -> ApiResult<ImportOutcome> {
    let mut row = NewImportLineRow {
        import_id,
        line: i32::try_from(line.line).unwrap_or(i32::MAX),
        reference: line.reference.clone(),
        booked_on: line.booked_on,
        amount_minor: line.amount_minor,
        currency: line.currency.clone(),
        title: line.title.clone(),
        payer_name: line.payer_name.clone(),
        payer_account: line.payer_account.clone(),
        outcome: ImportOutcome::Unmatched,
        reason: None,
        payment_id: None,
        matched_by: None,
    };
    if ImportLineRecord::reference_taken(conn, &line.reference)? {
        row.outcome = ImportOutcome::Duplicate;
        row.reason = Some("imported before".into());
        ImportLineRecord::insert(conn, row)?;
        return Ok(ImportOutcome::Duplicate);
    }
    match customer_for(conn, billing, line)? {
        Found::One(customer, by) => {
            let invoice = invoice_named(conn, billing, &line.title, customer)?;
            match register_line(conn, sender, principal, customer, invoice, line, now) {
                Ok(payment) => {
                    row.outcome = ImportOutcome::Registered;
                    row.payment_id = Some(payment);
                    row.matched_by = Some(by.into());
                }
                Err(ApiError::Conflict(ErrorCode::PaymentAlreadyRegistered, ..)) => {
                    row.outcome = ImportOutcome::Duplicate;
                    row.reason = Some("registered before by hand or through the API".into());
                }
                Err(ApiError::Validation(errors)) => {
                    row.reason = Some(
                        errors
                            .iter()
                            .map(|e| format!("{}: {}", e.field, e.message))
                            .collect::<Vec<_>>()
                            .join("; "),
                    );
                }
                Err(other) => return Err(other),
            }
        }
        Found::None => {
            row.reason = Some("no account or invoice number of a customer in the title".into());
        }
        Found::Several(ids) => {
            row.reason = Some(format!(
                "the title names more than one customer: {}",
                ids.iter()
                    .map(i64::to_string)
                    .collect::<Vec<_>>()
                    .join(", ")
            ));
        }
    }
    let outcome = row.outcome;
    ImportLineRecord::insert(conn, row)?;
    Ok(outcome)
}

enum Found {
    One(i64, &'static str),
    None,
    Several(Vec<i64>),
}

/// The customer a transfer is for: by their virtual account (where it was sent, or written in
/// its title), else by the account number in its title, else by the number of an invoice of
/// theirs (invoices, then correction notes).
fn customer_for(
    conn: &mut DbConnection,
    billing: &BillingSettings,
    line: &StatementLine,
) -> ApiResult<Found> {
    let title = line.title.as_str();
    if let Some(accounts) = &billing.virtual_accounts {
        let sent_to = line.beneficiary_account.as_deref().unwrap_or_default();
        let mut by_virtual = Vec::new();
        for number in accounts.accounts_in(&format!("{sent_to} {title}")) {
            if let Some(customer) = CustomerRecord::find_by_account_number(conn, number.as_str())?
                && !by_virtual.contains(&customer.id)
            {
                by_virtual.push(customer.id);
            }
        }
        match by_virtual.as_slice() {
            [] => {}
            [one] => return Ok(Found::One(*one, "virtual_account")),
            _ => return Ok(Found::Several(by_virtual)),
        }
    }
    let mut by_account = Vec::new();
    for number in account_numbers_in(title) {
        if let Some(customer) = CustomerRecord::find_by_account_number(conn, number.as_str())? {
            by_account.push(customer.id);
        }
    }
    by_account.dedup();
    if let [one] = by_account.as_slice() {
        return Ok(Found::One(*one, "account_number"));
    }
    if by_account.len() > 1 {
        return Ok(Found::Several(by_account));
    }
    let mut by_invoice: Vec<i64> = Vec::new();
    for number in billing
        .invoice_format
        .numbers_in(title)
        .into_iter()
        .chain(billing.correction_format.numbers_in(title))
    {
        let filter = InvoiceFilter {
            number_prefix: Some(number.clone()),
            ..InvoiceFilter::default()
        };
        for invoice in InvoiceRecord::list(conn, &filter, None, 2)? {
            if invoice.number == number && !by_invoice.contains(&invoice.customer_id) {
                by_invoice.push(invoice.customer_id);
            }
        }
    }
    Ok(match by_invoice.as_slice() {
        [] => Found::None,
        [one] => Found::One(*one, "invoice_number"),
        _ => Found::Several(by_invoice),
    })
}

/// The first of the customer's invoices whose number the title gives: the payer's choice of
/// what the transfer pays.
fn invoice_named(
    conn: &mut DbConnection,
    billing: &BillingSettings,
    title: &str,
    customer_id: i64,
) -> ApiResult<Option<i64>> {
    for number in billing.invoice_format.numbers_in(title) {
        let filter = InvoiceFilter {
            number_prefix: Some(number.clone()),
            customer_id: Some(customer_id),
            ..InvoiceFilter::default()
        };
        if let Some(invoice) = InvoiceRecord::list(conn, &filter, None, 2)?
            .into_iter()
            .find(|invoice| invoice.number == number)
        {
            return Ok(Some(invoice.id));
        }
    }
    Ok(None)
}

/// Registers a line as a transfer of `customer_id`, under the bank's reference; the payment.
fn register_line(
    conn: &mut DbConnection,
    sender: &Sender,
    principal: &Principal,
    customer_id: i64,
    invoice_id: Option<i64>,
    line: &StatementLine,
    now: DateTime<Utc>,
) -> ApiResult<i64> {
    let title: String = line.title.chars().take(MAX_REFERENCE_CHARS).collect();
    let request = NewPayment {
        customer_id: Some(customer_id),
        account_number: None,
        amount_minor: line.amount_minor,
        currency: line.currency.clone(),
        method: PaymentMethod::Transfer,
        payer_reference: Some(title).filter(|t| !t.trim().is_empty()),
        external_reference: Some(line.reference.clone()),
        invoice_id,
        received_at: Some(from_db(start_of_day(line.booked_on))).filter(|t| *t <= now),
    };
    match register(conn, sender, principal, &request, None, now)? {
        Registered::New(payment) => Ok(payment.id),
        Registered::Replayed(_) => Err(ApiError::Internal(
            "a statement line was answered as a replay".into(),
        )),
    }
}

/// Staff assign an unmatched line to its customer: it is registered as their payment.
pub fn assign(
    conn: &mut DbConnection,
    sender: &Sender,
    principal: &Principal,
    id: i64,
    request: &LineAssignment,
    now: DateTime<Utc>,
) -> ApiResult<ImportLine> {
    write_transaction(conn, |conn| {
        let line = find_line(conn, id)?;
        if line.outcome != ImportOutcome::Unmatched {
            return Err(ApiError::Conflict(
                ErrorCode::LineAlreadyAssigned,
                format!("line {id} is {} already", line.outcome),
                vec![],
            ));
        }
        crate::customers::find_referenced(conn, "customer_id", request.customer_id)?;
        let statement_line = StatementLine {
            line: usize::try_from(line.line).unwrap_or(0),
            reference: line.reference.clone(),
            booked_on: line.booked_on,
            amount_minor: line.amount_minor,
            currency: line.currency.clone(),
            title: line.title.clone(),
            payer_name: line.payer_name.clone(),
            payer_account: line.payer_account.clone(),
            beneficiary_account: None,
        };
        let payment = register_line(
            conn,
            sender,
            principal,
            request.customer_id,
            None,
            &statement_line,
            now,
        )?;
        if !ImportLineRecord::assign(conn, id, payment, &principal.recorded_by().label)? {
            return Err(ApiError::Conflict(
                ErrorCode::LineAlreadyAssigned,
                format!("line {id} was assigned meanwhile"),
                vec![],
            ));
        }
        let done = ImportLineRecord::find(conn, id)?;
        line_view(conn, done)
    })
}

fn find_line(conn: &mut DbConnection, id: i64) -> ApiResult<ImportLineRecord> {
    ImportLineRecord::find(conn, id).or_not_found(
        ErrorCode::ImportLineNotFound,
        format!("statement line {id}"),
    )
}

pub fn find(conn: &mut DbConnection, id: i64) -> ApiResult<PaymentImport> {
    let record = PaymentImportRecord::find(conn, id).or_not_found(
        ErrorCode::PaymentImportNotFound,
        format!("payment import {id}"),
    )?;
    import_view(conn, record, true)
}

fn import_view(
    conn: &mut DbConnection,
    record: PaymentImportRecord,
    with_lines: bool,
) -> ApiResult<PaymentImport> {
    let lines = if with_lines {
        let mut lines = Vec::new();
        for line in ImportLineRecord::of_import(conn, record.id)? {
            lines.push(line_view(conn, line)?);
        }
        lines
    } else {
        Vec::new()
    };
    Ok(PaymentImport {
        id: record.id,
        file_name: record.file_name,
        format: record.format,
        bank: record.bank,
        imported_by: record.imported_by,
        imported_at: from_db(record.imported_at),
        registered: record.registered,
        unmatched: record.unmatched,
        duplicates: record.duplicates,
        debits_skipped: record.debits_skipped,
        lines,
    })
}

fn line_view(conn: &mut DbConnection, line: ImportLineRecord) -> ApiResult<ImportLine> {
    let customer_id = match line.payment_id {
        Some(payment) => Some(super::find(conn, payment)?.customer_id),
        None => None,
    };
    Ok(ImportLine {
        id: line.id,
        import_id: line.import_id,
        line: line.line,
        reference: line.reference,
        booked_on: line.booked_on,
        amount_minor: line.amount_minor,
        currency: line.currency,
        title: line.title,
        payer_name: line.payer_name,
        payer_account: line.payer_account,
        outcome: line.outcome,
        reason: line.reason,
        payment_id: line.payment_id,
        customer_id,
        matched_by: line.matched_by,
    })
}

/// Imports, newest first, without their lines.
pub fn page_of(
    conn: &mut DbConnection,
    limit_asked: Option<u32>,
    cursor: Option<&str>,
) -> ApiResult<Page<PaymentImport>> {
    let limit = limit(limit_asked)?;
    let before = decode_id_cursor(cursor, CURSOR)?;
    let rows = PaymentImportRecord::list(
        conn,
        before,
        usize::try_from(fetch_size(limit)).unwrap_or(limit),
    )?;
    let mut imports = Vec::with_capacity(rows.len());
    for row in rows {
        imports.push(import_view(conn, row, false)?);
    }
    Ok(page(imports, limit, |i| id_cursor(CURSOR, i.id), |i| i))
}

/// Statement lines by outcome, oldest first: `unmatched` is the queue staff work.
pub fn lines_page(conn: &mut DbConnection, query: &ImportLineQuery) -> ApiResult<Page<ImportLine>> {
    let limit = limit(query.limit)?;
    let after = decode_id_cursor(query.cursor.as_deref(), LINE_CURSOR)?;
    let rows = ImportLineRecord::with_outcome(
        conn,
        query.outcome.unwrap_or(ImportOutcome::Unmatched),
        after,
        usize::try_from(fetch_size(limit)).unwrap_or(limit),
    )?;
    let mut lines = Vec::with_capacity(rows.len());
    for row in rows {
        lines.push(line_view(conn, row)?);
    }
    Ok(page(lines, limit, |l| id_cursor(LINE_CURSOR, l.id), |l| l))
}

/// Saves how a bank's CSV export is read.
pub fn save_mapping(
    conn: &mut DbConnection,
    principal: &Principal,
    bank: &str,
    mapping: &CsvMapping,
    now: DateTime<Utc>,
) -> ApiResult<BankCsvMapping> {
    let mut v = Validator::new();
    let bank = v.text("bank", bank, 100);
    if mapping.delimiter.len() != 1 || !mapping.delimiter.is_ascii() {
        v.fail(
            "delimiter",
            FieldErrorCode::InvalidValue,
            "one ASCII character",
        );
    }
    if !statements::date_format_reads(&mapping.date_format) {
        v.fail(
            "date_format",
            FieldErrorCode::InvalidValue,
            "a chrono date format such as %Y-%m-%d or %d.%m.%Y",
        );
    }
    if v.is_valid()
        && let Err(reason) = parser_mapping(mapping).check()
    {
        v.fail("columns", FieldErrorCode::InvalidValue, reason);
    }
    v.finish()?;
    let json = serde_json::to_string(mapping)
        .map_err(|e| ApiError::Internal(format!("a CSV mapping as JSON: {e}")))?;
    let record = CsvMappingRecord {
        bank: bank.clone(),
        mapping: json,
        updated_by: principal.recorded_by().label,
        updated_at: to_db(now),
    };
    write_transaction(conn, |conn| {
        CsvMappingRecord::save(conn, &record)?;
        audit::record(
            conn,
            principal,
            "bank_csv_mapping.save",
            None,
            Some(bank.clone()),
            now,
        )
    })?;
    Ok(BankCsvMapping {
        bank,
        mapping: mapping.clone(),
        updated_by: record.updated_by,
        updated_at: now,
    })
}

pub fn mappings(conn: &mut DbConnection) -> ApiResult<Vec<BankCsvMapping>> {
    CsvMappingRecord::list(conn)?
        .into_iter()
        .map(|r| {
            Ok(BankCsvMapping {
                mapping: decode(&r.mapping)?,
                bank: r.bank,
                updated_by: r.updated_by,
                updated_at: from_db(r.updated_at),
            })
        })
        .collect()
}
