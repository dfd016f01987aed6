//! The customer account: a ledger of what the customer owes (invoices, prepaid days) and what
//! is in their favour (credits, and payments from the next stage), with its balance.

use chrono::{DateTime, NaiveDate, Utc};
use okno_api_types::billing::{Account, AccountEntry, AccountQuery, InvoiceRef};
use okno_db::DbConnection;
use okno_db::invoices::{AccountEntryRecord, InvoiceRecord};
use okno_db::payments::sum_after;

use super::prepaid;
use crate::audit;
use crate::auth::Principal;
use crate::customers;
use crate::error::ApiResult;
use crate::pagination::{decode_id_cursor, id_cursor, limit};
use crate::time::from_db;

const CURSOR: &str = "account";

/// A staff member reads a customer's account; the read is audited.
pub fn staff_read(
    conn: &mut DbConnection,
    principal: &Principal,
    settings: &crate::config::Settings,
    customer_id: i64,
    query: &AccountQuery,
    now: DateTime<Utc>,
) -> ApiResult<Account> {
    let customer = customers::find(conn, customer_id)?;
    audit::record_access(
        conn,
        principal,
        "account.read",
        Some(customer_id),
        None,
        now,
    )?;
    let mut view = account(conn, customer_id, query, now.date_naive())?;
    view.pay_to = Some(settings.pay_to(&customer.account_number));
    Ok(view)
}

/// The subscriber's own account, with where to pay.
pub fn own_account(
    conn: &mut DbConnection,
    settings: &crate::config::Settings,
    customer_id: i64,
    query: &AccountQuery,
    today: NaiveDate,
) -> ApiResult<Account> {
    let customer = customers::find(conn, customer_id)?;
    let mut view = account(conn, customer_id, query, today)?;
    view.pay_to = Some(settings.pay_to(&customer.account_number));
    Ok(view)
}

/// The account: balance, entries newest first, and the prepaid services' run-out dates.
pub fn account(
    conn: &mut DbConnection,
    customer_id: i64,
    query: &AccountQuery,
    today: NaiveDate,
) -> ApiResult<Account> {
    let limit = limit(query.limit)?;
    let before = decode_id_cursor(query.cursor.as_deref(), CURSOR)?;
    let mut rows = AccountEntryRecord::of_customer(conn, customer_id, before, limit + 1)?;
    let more = rows.len() > limit;
    rows.truncate(limit);
    let next_cursor = if more {
        rows.last().map(|r| id_cursor(CURSOR, r.id))
    } else {
        None
    };
    let balance = AccountEntryRecord::balance(conn, customer_id)?;
    // The balance after the newest entry shown: the balance less what came after it.
    let mut balance_after = match rows.first() {
        Some(newest) => balance.saturating_sub(sum_after(conn, customer_id, newest.id)?),
        None => balance,
    };
    let mut entries = Vec::with_capacity(rows.len());
    for row in rows {
        let invoice = match row.invoice_id {
            Some(id) => InvoiceRecord::find(conn, id).ok().map(|i| InvoiceRef {
                id,
                number: i.number,
            }),
            None => None,
        };
        entries.push(AccountEntry {
            id: row.id,
            kind: row.kind,
            booked_at: from_db(row.booked_at),
            booked_on: row.booked_on,
            amount_minor: row.amount_minor,
            currency: row.currency,
            invoice,
            payment_id: row.payment_id,
            description: row.description,
            open_minor: row.open_minor,
            balance_after_minor: balance_after,
        });
        balance_after = balance_after.saturating_sub(row.amount_minor);
    }
    Ok(Account {
        customer_id,
        currency: entries
            .first()
            .map_or_else(|| "PLN".to_owned(), |e| e.currency.clone()),
        balance_minor: balance,
        entries,
        next_cursor,
        prepaid: prepaid::services_of(conn, customer_id, balance, today)?,
        pay_to: None,
    })
}
