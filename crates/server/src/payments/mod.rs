//! Payments (R-30..R-32): registered once from any channel, booked to the customer account
//! and put toward what the customer owes; reversed, never changed or deleted.

pub mod allocation;
pub mod cards;
pub mod imports;
pub mod online;
pub mod statements;
pub mod till;

use chrono::{DateTime, Utc};
use okno_api_types::billing::InvoiceRef;
use okno_api_types::payments::{
    IDEMPOTENCY_KEY_HEADER, NewPayment, NewPaymentReversal, Payment, PaymentAllocation,
    PaymentQuery, PaymentReversal,
};
use okno_api_types::{ErrorCode, FieldError, Page};
use okno_db::customers::CustomerRecord;
use okno_db::invoices::{AccountEntryRecord, NewAccountEntryRow};
use okno_db::payments::{
    NewAllocationRow, NewPaymentRow, PaymentFilter, PaymentRecord, entry_of_payment, lock_customer,
    paid_by, record_allocations, release_credit,
};
use okno_db::{DbConnection, write_transaction};
use okno_domain::billing::EntryKind;
use okno_domain::customers::AccountNumber;
use okno_domain::money::is_valid_currency;
use okno_domain::payments::{
    MAX_EXTERNAL_REFERENCE_CHARS, MAX_IDEMPOTENCY_KEY_CHARS, MAX_REFERENCE_CHARS, PaymentMethod,
    check_payment, taken_at_till,
};
use okno_domain::validation::{FieldErrorCode, Validator};
use sha2::{Digest, Sha256};

use crate::audit;
use crate::auth::Principal;
use crate::customers;
use crate::error::{ApiError, ApiResult, NotFoundExt};
use crate::notifications::{self, Notice, Sender};
use crate::pagination::{decode_id_cursor, fetch_size, id_cursor, limit, page};
use crate::time::{from_db, start_of_day, to_db};

const CURSOR: &str = "payments";

/// What registering answered: a payment registered now, or the answer first given for the
/// same `Idempotency-Key` and request, replayed as it was.
#[derive(Debug)]
pub enum Registered {
    New(Box<Payment>),
    Replayed(String),
}

/// Registers a payment once: a request with an `Idempotency-Key` already used gets the
/// first answer again, or is refused when its request differs; a bank or gateway reference
/// already registered for the method is a conflict. A unique constraint decides either, so
/// requests arriving at once register one payment.
pub fn register(
    conn: &mut DbConnection,
    sender: &Sender,
    principal: &Principal,
    request: &NewPayment,
    idempotency_key: Option<&str>,
    now: DateTime<Utc>,
) -> ApiResult<Registered> {
    let checked = check(request, idempotency_key, now)?;
    let digest = request_digest(request)?;
    write_transaction(conn, |conn| {
        let customer = customer_of(conn, request)?;
        check_currency(conn, customer.id, &request.currency)?;
        check_invoice(conn, customer.id, request.invoice_id)?;
        let till = till_for(conn, principal, request)?;
        let row = NewPaymentRow {
            customer_id: customer.id,
            amount_minor: request.amount_minor,
            currency: request.currency.clone(),
            method: request.method,
            payer_reference: checked.payer_reference.clone(),
            external_reference: checked.external_reference.clone(),
            idempotency_key: idempotency_key.map(str::to_owned),
            request_digest: idempotency_key.map(|_| digest.clone()),
            received_at: to_db(checked.received_at),
            registered_by: principal.recorded_by().label,
            created_at: to_db(now),
            till_id: till,
            invoice_id: request.invoice_id,
        };
        let Some(payment) = PaymentRecord::insert_new(conn, row)? else {
            return repeated(conn, request, &checked, idempotency_key, &digest);
        };
        book(conn, &payment, &customer, now)?;
        allocation::settle(conn, customer.id, now)?;
        let notice = Notice::payment_received(
            payment.id,
            customer.id,
            payment.amount_minor,
            &payment.currency,
            payment.received_at.date(),
            payment.method,
        );
        notifications::write(conn, sender, &[notice], now)?;
        audit::record(
            conn,
            principal,
            "payment.register",
            Some(customer.id),
            Some(format!("payment {}", payment.id)),
            now,
        )?;
        let view = payment_view(conn, payment.clone())?;
        if idempotency_key.is_some() {
            let response = serde_json::to_string(&view)
                .map_err(|e| ApiError::Internal(format!("a payment as JSON: {e}")))?;
            PaymentRecord::keep_response(conn, payment.id, &response)?;
        }
        Ok(Registered::New(Box::new(view)))
    })
}

/// The till a payment goes into: cash only into the registering cashier's open till,
/// in its currency; a card payment into it when one is open.
fn till_for(
    conn: &mut DbConnection,
    principal: &Principal,
    request: &NewPayment,
) -> ApiResult<Option<i64>> {
    if !taken_at_till(request.method) {
        return Ok(None);
    }
    let till = till::open_till_of(conn, principal)?;
    match till {
        Some(till) if till.currency != request.currency => Err(ApiError::field(
            "currency",
            FieldErrorCode::InvalidValue,
            format!("the till is kept in {}", till.currency),
        )),
        Some(till) => Ok(Some(till.id)),
        None if request.method == PaymentMethod::Cash => Err(ApiError::Conflict(
            ErrorCode::TillNotOpen,
            "cash is taken into a till: open yours first".into(),
            vec![],
        )),
        None => Ok(None),
    }
}

/// A request's fields once checked.
struct Checked {
    payer_reference: Option<String>,
    external_reference: Option<String>,
    received_at: DateTime<Utc>,
}

fn check(
    request: &NewPayment,
    idempotency_key: Option<&str>,
    now: DateTime<Utc>,
) -> ApiResult<Checked> {
    let mut v = Validator::new();
    let received_at = request.received_at.unwrap_or(now);
    check_payment(&mut v, request.amount_minor, received_at, now);
    if !is_valid_currency(&request.currency) {
        v.fail(
            "currency",
            FieldErrorCode::InvalidValue,
            "not a currency the system bills in",
        );
    }
    match (request.customer_id, request.account_number.as_deref()) {
        (Some(_), Some(_)) => v.fail(
            "account_number",
            FieldErrorCode::InvalidValue,
            "name the customer by id or by account number, not both",
        ),
        (None, None) => v.fail(
            "customer_id",
            FieldErrorCode::Required,
            "name the customer by customer_id or account_number",
        ),
        _ => {}
    }
    let payer_reference = v.optional_text(
        "payer_reference",
        request.payer_reference.as_deref(),
        MAX_REFERENCE_CHARS,
    );
    let external_reference = v.optional_text(
        "external_reference",
        request.external_reference.as_deref(),
        MAX_EXTERNAL_REFERENCE_CHARS,
    );
    if let Some(key) = idempotency_key
        && (key.is_empty()
            || key.chars().count() > MAX_IDEMPOTENCY_KEY_CHARS
            || key.chars().any(|c| c.is_control()))
    {
        v.fail(
            IDEMPOTENCY_KEY_HEADER,
            FieldErrorCode::InvalidValue,
            format!("1 to {MAX_IDEMPOTENCY_KEY_CHARS} printable characters"),
        );
    }
    v.finish()?;
    Ok(Checked {
        payer_reference,
        external_reference,
        received_at,
    })
}

/// What identifies a request for its idempotency key: its body as the server read it.
fn request_digest(request: &NewPayment) -> ApiResult<String> {
    let body = serde_json::to_vec(request)
        .map_err(|e| ApiError::Internal(format!("a payment request as JSON: {e}")))?;
    Ok(hex::encode(Sha256::digest(body)))
}

fn customer_of(conn: &mut DbConnection, request: &NewPayment) -> ApiResult<CustomerRecord> {
    if let Some(id) = request.customer_id {
        return customers::find_referenced(conn, "customer_id", id);
    }
    let typed = request.account_number.as_deref().unwrap_or_default();
    let unknown = || {
        ApiError::field(
            "account_number",
            FieldErrorCode::UnknownReference,
            format!("there is no customer with the account number {typed}"),
        )
    };
    let number = AccountNumber::parse(typed).map_err(|_| unknown())?;
    CustomerRecord::find_by_account_number(conn, number.as_str())?.ok_or_else(unknown)
}

/// A payment is in the currency the account is kept in: that of its entries.
fn check_currency(conn: &mut DbConnection, customer_id: i64, currency: &str) -> ApiResult<()> {
    let newest = AccountEntryRecord::of_customer(conn, customer_id, None, 1)?;
    match newest.first() {
        Some(entry) if entry.currency != currency => Err(ApiError::field(
            "currency",
            FieldErrorCode::InvalidValue,
            format!("the account is kept in {}", entry.currency),
        )),
        _ => Ok(()),
    }
}

/// The invoice a payer names is one of the customer's own.
fn check_invoice(
    conn: &mut DbConnection,
    customer_id: i64,
    invoice_id: Option<i64>,
) -> ApiResult<()> {
    let Some(id) = invoice_id else {
        return Ok(());
    };
    match okno_db::invoices::InvoiceRecord::find(conn, id) {
        Ok(invoice) if invoice.customer_id == customer_id => Ok(()),
        Ok(_) | Err(okno_db::DbError::NotFound) => Err(ApiError::field(
            "invoice_id",
            FieldErrorCode::UnknownReference,
            format!("the customer has no invoice {id}"),
        )),
        Err(other) => Err(other.into()),
    }
}

/// The insert found a repeat: the same key (the first answer again, or a refusal when the
/// request differs), or the same bank or gateway reference.
fn repeated(
    conn: &mut DbConnection,
    request: &NewPayment,
    checked: &Checked,
    idempotency_key: Option<&str>,
    digest: &str,
) -> ApiResult<Registered> {
    if let Some(key) = idempotency_key
        && let Some(first) = PaymentRecord::find_by_key(conn, key)?
    {
        return match (first.request_digest.as_deref(), first.response) {
            (Some(d), Some(response)) if d == digest => Ok(Registered::Replayed(response)),
            _ => Err(ApiError::Refused(
                ErrorCode::IdempotencyKeyReused,
                format!(
                    "this Idempotency-Key registered payment {} with another request; use a new key for a new payment",
                    first.id
                ),
                vec![FieldError::new(
                    IDEMPOTENCY_KEY_HEADER,
                    FieldErrorCode::Duplicate,
                    "used already with another request",
                )],
            )),
        };
    }
    if let Some(reference) = &checked.external_reference
        && let Some(existing) =
            PaymentRecord::find_by_external_reference(conn, request.method, reference)?
    {
        return Err(ApiError::Conflict(
            ErrorCode::PaymentAlreadyRegistered,
            format!(
                "payment {} has the {} reference {reference} already",
                existing.id, request.method
            ),
            vec![FieldError::new(
                "external_reference",
                FieldErrorCode::Duplicate,
                "registered already",
            )],
        ));
    }
    Err(ApiError::Internal(
        "a payment was refused as a repeat of none".into(),
    ))
}

/// Books the payment to the customer account: an entry in the customer's favour.
fn book(
    conn: &mut DbConnection,
    payment: &PaymentRecord,
    customer: &CustomerRecord,
    now: DateTime<Utc>,
) -> ApiResult<()> {
    let description = payment
        .payer_reference
        .clone()
        .unwrap_or_else(|| format!("{} {}", payment.method, customer.account_number));
    AccountEntryRecord::insert_all(
        conn,
        vec![NewAccountEntryRow {
            booked_on: payment.received_at.date(),
            payment_id: Some(payment.id),
            ..NewAccountEntryRow::new(
                payment.customer_id,
                EntryKind::Payment,
                to_db(now),
                payment.amount_minor,
                payment.currency.clone(),
                description,
            )
        }],
    )?;
    Ok(())
}

pub fn find(conn: &mut DbConnection, id: i64) -> ApiResult<PaymentRecord> {
    PaymentRecord::find(conn, id).or_not_found(ErrorCode::PaymentNotFound, format!("payment {id}"))
}

/// The payment as the API shows it: what it pays now and what is left of it.
pub fn payment_view(conn: &mut DbConnection, record: PaymentRecord) -> ApiResult<Payment> {
    let entry = entry_of_payment(conn, record.id)?;
    let mut allocations = Vec::new();
    let mut used = 0_i64;
    for paid in paid_by(conn, entry)? {
        // The part a reversal took back is not a payment of anything.
        if paid.kind != EntryKind::PaymentReversal {
            allocations.push(PaymentAllocation {
                invoice: paid.invoice.map(|(id, number)| InvoiceRef { id, number }),
                amount_minor: paid.allocation.amount_minor,
            });
        }
        used = used.saturating_add(paid.allocation.amount_minor);
    }
    let account_number = CustomerRecord::find(conn, record.customer_id)?.account_number;
    let reversal = match (
        record.reversed_at,
        record.reversed_by,
        record.reversal_reason,
    ) {
        (Some(at), Some(by), Some(reason)) => Some(PaymentReversal {
            reversed_at: from_db(at),
            reversed_by: by,
            reason,
        }),
        _ => None,
    };
    Ok(Payment {
        id: record.id,
        customer_id: record.customer_id,
        account_number,
        credit_minor: record.amount_minor.saturating_sub(used),
        amount_minor: record.amount_minor,
        currency: record.currency,
        method: record.method,
        payer_reference: record.payer_reference,
        external_reference: record.external_reference,
        received_at: from_db(record.received_at),
        registered_by: record.registered_by,
        registered_at: from_db(record.created_at),
        allocations,
        reversal,
        till_id: record.till_id,
        receipt_url: format!("/api/v1/payments/{}/receipt", record.id),
    })
}

/// Reverses a payment registered in error: the reversal is recorded on it, the opposite entry
/// is booked, and what it paid is open again (and paid by other credit, if any).
pub fn reverse(
    conn: &mut DbConnection,
    principal: &Principal,
    id: i64,
    request: &NewPaymentReversal,
    now: DateTime<Utc>,
) -> ApiResult<Payment> {
    let mut v = Validator::new();
    let reason = v.text("reason", &request.reason, 500);
    v.finish()?;
    write_transaction(conn, |conn| {
        let payment = find(conn, id)?;
        lock_customer(conn, payment.customer_id)?;
        let by = principal.recorded_by().label;
        if !PaymentRecord::mark_reversed(conn, id, to_db(now), &by, &reason)? {
            return Err(ApiError::Conflict(
                ErrorCode::PaymentAlreadyReversed,
                format!("payment {id} has been reversed already"),
                vec![],
            ));
        }
        let entry = entry_of_payment(conn, id)?;
        release_credit(conn, entry, to_db(now))?;
        let reversal = AccountEntryRecord::insert_one(
            conn,
            NewAccountEntryRow {
                payment_id: Some(id),
                ..NewAccountEntryRow::new(
                    payment.customer_id,
                    EntryKind::PaymentReversal,
                    to_db(now),
                    -payment.amount_minor,
                    payment.currency.clone(),
                    reason.clone(),
                )
            },
        )?;
        // The payment pays its own reversal, nothing else any more.
        record_allocations(
            conn,
            &[NewAllocationRow {
                customer_id: payment.customer_id,
                credit_entry_id: entry,
                debit_entry_id: reversal,
                amount_minor: payment.amount_minor,
                created_at: to_db(now),
            }],
        )?;
        allocation::settle(conn, payment.customer_id, now)?;
        audit::record(
            conn,
            principal,
            "payment.reverse",
            Some(payment.customer_id),
            Some(format!("payment {id}: {reason}")),
            now,
        )?;
        let reversed = find(conn, id)?;
        payment_view(conn, reversed)
    })
}

/// A page of payments, newest first.
pub fn page_of(conn: &mut DbConnection, query: &PaymentQuery) -> ApiResult<Page<Payment>> {
    let limit = limit(query.limit)?;
    let filter = PaymentFilter {
        customer_id: query.customer_id,
        till_id: query.till_id,
        method: query.method,
        received_from: query.received_from.map(start_of_day),
        received_before: query
            .received_to
            .and_then(|d| d.succ_opt())
            .map(start_of_day),
        before: decode_id_cursor(query.cursor.as_deref(), CURSOR)?,
    };
    let rows = PaymentRecord::list(
        conn,
        &filter,
        usize::try_from(fetch_size(limit)).unwrap_or(limit),
    )?;
    let mut payments = Vec::with_capacity(rows.len());
    for row in rows {
        payments.push(payment_view(conn, row)?);
    }
    Ok(page(payments, limit, |p| id_cursor(CURSOR, p.id), |p| p))
}

/// A payment a staff member reads.
pub fn staff_read(conn: &mut DbConnection, id: i64) -> ApiResult<Payment> {
    let record = find(conn, id)?;
    payment_view(conn, record)
}

/// The payment's receipt as a PDF, in the customer's language, with its number.
pub fn receipt(
    conn: &mut DbConnection,
    operator: &crate::config::OperatorDetails,
    id: i64,
) -> ApiResult<(String, Vec<u8>)> {
    let record = find(conn, id)?;
    let customer = CustomerRecord::find(conn, record.customer_id)?;
    let sales_point = match record.till_id {
        Some(till) => {
            let till = till::find(conn, till)?;
            Some(okno_db::reference::SalesPointRecord::find(conn, till.sales_point_id)?.name)
        }
        None => None,
    };
    let received_at = record.received_at;
    let payment = payment_view(conn, record)?;
    let facts = crate::documents::receipt::ReceiptFacts {
        operator: crate::documents::Party::operator(operator),
        customer_name: customer.display_name,
        language: customer.preferred_language,
        sales_point,
        received_at,
    };
    let pdf = crate::documents::receipt::receipt_pdf(&payment, &facts)?;
    Ok((crate::documents::receipt::receipt_number(&payment), pdf))
}

/// The subscriber's own payments, newest first, with their receipts at the cabinet's address.
pub fn my_payments(
    conn: &mut DbConnection,
    customer_id: i64,
    query: &okno_api_types::PageQuery,
) -> ApiResult<Page<Payment>> {
    let mut page = page_of(
        conn,
        &PaymentQuery {
            customer_id: Some(customer_id),
            limit: query.limit,
            cursor: query.cursor.clone(),
            ..PaymentQuery::default()
        },
    )?;
    for payment in &mut page.items {
        payment.receipt_url = format!("/api/v1/me/payments/{}/receipt", payment.id);
    }
    Ok(page)
}

/// One of the subscriber's own payments' receipt; another customer's is not found.
pub fn my_receipt(
    conn: &mut DbConnection,
    operator: &crate::config::OperatorDetails,
    customer_id: i64,
    id: i64,
) -> ApiResult<(String, Vec<u8>)> {
    if find(conn, id)?.customer_id != customer_id {
        return Err(ApiError::not_found(
            ErrorCode::PaymentNotFound,
            format!("payment {id}"),
        ));
    }
    receipt(conn, operator, id)
}
