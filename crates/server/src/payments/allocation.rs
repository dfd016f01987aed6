//! What pays what: money in the customer's favour — payments, credit notes, a balance
//! carried over — is put toward what they owe, oldest due first; what is left waits as credit
//! for the next invoice. Called wherever an entry is booked, in the same transaction.

use chrono::{DateTime, Utc};
use okno_db::DbConnection;
use okno_db::payments::{
    NewAllocationRow, OpenEntry, customers_with_open_credit, lock_customer, open_entries,
    record_allocations, unsettled_customers,
};
use okno_db::write_transaction;
use okno_domain::billing::EntryKind;
use okno_domain::payments::allocate;

use crate::error::ApiResult;
use crate::time::to_db;

/// Puts the customer's free credit toward what they owe, inside the caller's transaction.
/// The customer's row is held until it ends, so allocations of one customer never overlap.
pub fn settle(conn: &mut DbConnection, customer_id: i64, now: DateTime<Utc>) -> ApiResult<()> {
    lock_customer(conn, customer_id)?;
    let open = open_entries(conn, customer_id)?;
    let (credits, mut debits): (Vec<OpenEntry>, Vec<OpenEntry>) =
        open.into_iter().partition(OpenEntry::is_credit);
    if credits.is_empty() || debits.is_empty() {
        return Ok(());
    }
    // Oldest due first: an invoice by its due date, any other debt by the day it was booked.
    debits.sort_by_key(|d| (d.due_date.unwrap_or(d.booked_on), d.id));
    let mut rows = Vec::new();
    for credit in &credits {
        let order = order_for(credit, &debits);
        let open: Vec<i64> = order
            .iter()
            .map(|&i| debits.get(i).map_or(0, |d| d.open_minor))
            .collect();
        for part in allocate(&open, credit.open_minor).allocations {
            let Some(debit) = order.get(part.item).and_then(|&i| debits.get_mut(i)) else {
                continue;
            };
            debit.open_minor -= part.amount_minor;
            rows.push(NewAllocationRow {
                customer_id,
                credit_entry_id: credit.id,
                debit_entry_id: debit.id,
                amount_minor: part.amount_minor,
                created_at: to_db(now),
            });
        }
    }
    record_allocations(conn, &rows)?;
    Ok(())
}

/// The order in which a credit pays the debts: a correction note first pays the invoice it
/// corrects, a payment the invoice its payer named (the debtor's choice, art. 451 § 1 of the
/// Civil Code), then like any other credit.
fn order_for(credit: &OpenEntry, debits: &[OpenEntry]) -> Vec<usize> {
    let mut order: Vec<usize> = (0..debits.len()).collect();
    let first = match credit.kind {
        EntryKind::Correction => credit.corrects_invoice_id,
        EntryKind::Payment => credit.designated_invoice_id,
        _ => None,
    };
    if let Some(first) = first {
        order.sort_by_key(|&i| debits.get(i).and_then(|d| d.invoice_id) != Some(first));
    }
    order
}

/// Settles those of `customer_ids` who have free credit, inside the caller's transaction:
/// after a batch of invoices is booked, most customers have none and cost one query in all.
pub fn settle_customers(
    conn: &mut DbConnection,
    customer_ids: &[i64],
    now: DateTime<Utc>,
) -> ApiResult<()> {
    for customer_id in customers_with_open_credit(conn, customer_ids)? {
        settle(conn, customer_id, now)?;
    }
    Ok(())
}

/// Settles every customer with free credit and something owed, each in a transaction of
/// its own: after an upgrade that brought allocation, or entries booked outside the API.
/// Answers how many customers it settled.
pub fn settle_all(conn: &mut DbConnection, now: DateTime<Utc>) -> ApiResult<usize> {
    let customers = unsettled_customers(conn)?;
    for customer_id in &customers {
        write_transaction(conn, |conn| settle(conn, *customer_id, now))?;
    }
    Ok(customers.len())
}
