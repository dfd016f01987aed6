//! Payments and allocations: what pays what on the customer account.

use chrono::NaiveDate;
use diesel::prelude::*;
use okno_domain::billing::EntryKind;
use okno_domain::payments::PaymentMethod;

use crate::schema::{account_entries, allocations, customers, invoices, payments};
use crate::{DbConnection, DbResult, Stored, Timestamp};

#[derive(Debug, Clone, PartialEq, Queryable)]
pub struct PaymentRecord {
    pub id: i64,
    pub customer_id: i64,
    pub amount_minor: i64,
    pub currency: String,
    #[diesel(deserialize_as = Stored<PaymentMethod>)]
    pub method: PaymentMethod,
    pub payer_reference: Option<String>,
    pub external_reference: Option<String>,
    pub idempotency_key: Option<String>,
    pub request_digest: Option<String>,
    pub response: Option<String>,
    pub received_at: Timestamp,
    pub registered_by: String,
    pub created_at: Timestamp,
    pub reversed_at: Option<Timestamp>,
    pub reversed_by: Option<String>,
    pub reversal_reason: Option<String>,
    pub till_id: Option<i64>,
    /// The invoice the payer said it pays.
    pub invoice_id: Option<i64>,
}

#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = payments)]
pub struct NewPaymentRow {
    pub customer_id: i64,
    pub amount_minor: i64,
    pub currency: String,
    #[diesel(serialize_as = Stored<PaymentMethod>)]
    pub method: PaymentMethod,
    pub payer_reference: Option<String>,
    pub external_reference: Option<String>,
    pub idempotency_key: Option<String>,
    pub request_digest: Option<String>,
    pub received_at: Timestamp,
    pub registered_by: String,
    pub created_at: Timestamp,
    pub till_id: Option<i64>,
    pub invoice_id: Option<i64>,
}

/// Which payments to list.
#[derive(Debug, Clone, Default)]
pub struct PaymentFilter {
    pub customer_id: Option<i64>,
    pub method: Option<PaymentMethod>,
    pub received_from: Option<Timestamp>,
    pub received_before: Option<Timestamp>,
    pub till_id: Option<i64>,
    /// Payments with a smaller id (a cursor).
    pub before: Option<i64>,
}

impl PaymentRecord {
    /// Inserts the payment unless a unique constraint says it is a repeat (the same
    /// idempotency key, or the same external reference of its method); `None` then. Two such
    /// inserts at once: the second waits for the first and inserts nothing.
    pub fn insert_new(conn: &mut DbConnection, row: NewPaymentRow) -> DbResult<Option<Self>> {
        let inserted = crate::on_each_backend!(conn, |c| {
            diesel::insert_into(payments::table)
                .values(row)
                .on_conflict_do_nothing()
                .returning(payments::id)
                .get_results::<i64>(c)
        })?;
        match inserted.first() {
            Some(id) => Ok(Some(Self::find(conn, *id)?)),
            None => Ok(None),
        }
    }

    pub fn find(conn: &mut DbConnection, id: i64) -> DbResult<Self> {
        Ok(payments::table.find(id).first(conn)?)
    }

    pub fn find_by_key(conn: &mut DbConnection, key: &str) -> DbResult<Option<Self>> {
        Ok(payments::table
            .filter(payments::idempotency_key.eq(key))
            .first(conn)
            .optional()?)
    }

    pub fn find_by_external_reference(
        conn: &mut DbConnection,
        method: PaymentMethod,
        reference: &str,
    ) -> DbResult<Option<Self>> {
        Ok(payments::table
            .filter(payments::method.eq(method.as_str()))
            .filter(payments::external_reference.eq(reference))
            .first(conn)
            .optional()?)
    }

    /// Keeps the answer given for the payment, replayed for its idempotency key.
    pub fn keep_response(conn: &mut DbConnection, id: i64, response: &str) -> DbResult<()> {
        diesel::update(payments::table.find(id))
            .set(payments::response.eq(Some(response)))
            .execute(conn)?;
        Ok(())
    }

    /// Records the reversal unless one is recorded already; whether this one was.
    pub fn mark_reversed(
        conn: &mut DbConnection,
        id: i64,
        at: Timestamp,
        by: &str,
        reason: &str,
    ) -> DbResult<bool> {
        let changed = diesel::update(
            payments::table
                .find(id)
                .filter(payments::reversed_at.is_null()),
        )
        .set((
            payments::reversed_at.eq(Some(at)),
            payments::reversed_by.eq(Some(by)),
            payments::reversal_reason.eq(Some(reason)),
        ))
        .execute(conn)?;
        Ok(changed == 1)
    }

    /// Newest first, at most `limit`.
    pub fn list(
        conn: &mut DbConnection,
        filter: &PaymentFilter,
        limit: usize,
    ) -> DbResult<Vec<Self>> {
        let mut query = payments::table.into_boxed();
        if let Some(customer_id) = filter.customer_id {
            query = query.filter(payments::customer_id.eq(customer_id));
        }
        if let Some(method) = filter.method {
            query = query.filter(payments::method.eq(method.as_str()));
        }
        if let Some(from) = filter.received_from {
            query = query.filter(payments::received_at.ge(from));
        }
        if let Some(before) = filter.received_before {
            query = query.filter(payments::received_at.lt(before));
        }
        if let Some(till_id) = filter.till_id {
            query = query.filter(payments::till_id.eq(till_id));
        }
        if let Some(before) = filter.before {
            query = query.filter(payments::id.lt(before));
        }
        Ok(query
            .order(payments::id.desc())
            .limit(i64::try_from(limit).unwrap_or(i64::MAX))
            .load(conn)?)
    }
}

/// An entry of a customer's account with something of it not yet matched.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OpenEntry {
    pub id: i64,
    pub kind: EntryKind,
    /// Negative: owed (a debit); positive: in the customer's favour (a credit).
    pub amount_minor: i64,
    pub open_minor: i64,
    pub booked_on: NaiveDate,
    pub invoice_id: Option<i64>,
    /// The invoice's due date, for an invoice or a note.
    pub due_date: Option<NaiveDate>,
    /// For a correction note, the invoice it corrects.
    pub corrects_invoice_id: Option<i64>,
    /// For a payment, the invoice the payer said it pays.
    pub designated_invoice_id: Option<i64>,
}

impl OpenEntry {
    pub fn is_credit(&self) -> bool {
        self.amount_minor > 0
    }
}

/// A part of a credit entry put toward a debit entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Queryable)]
pub struct AllocationRecord {
    pub id: i64,
    pub customer_id: i64,
    pub credit_entry_id: i64,
    pub debit_entry_id: i64,
    pub amount_minor: i64,
    pub created_at: Timestamp,
    pub released_at: Option<Timestamp>,
}

#[derive(Debug, Clone, Copy, Insertable)]
#[diesel(table_name = allocations)]
pub struct NewAllocationRow {
    pub customer_id: i64,
    pub credit_entry_id: i64,
    pub debit_entry_id: i64,
    pub amount_minor: i64,
    pub created_at: Timestamp,
}

type OpenRow = (
    i64,
    Stored<EntryKind>,
    i64,
    i64,
    NaiveDate,
    Option<i64>,
    Option<NaiveDate>,
    Option<i64>,
    Option<i64>,
);

/// Holds the customer's row until the transaction ends, so that two payments of one
/// customer are allocated one after the other. SQLite has one writer at a time already.
pub fn lock_customer(conn: &mut DbConnection, customer_id: i64) -> DbResult<()> {
    if let DbConnection::Postgresql(pg) = conn {
        customers::table
            .find(customer_id)
            .select(customers::id)
            .for_update()
            .first::<i64>(pg)?;
    }
    Ok(())
}

/// The customer's entries with something not yet matched, oldest first.
pub fn open_entries(conn: &mut DbConnection, customer_id: i64) -> DbResult<Vec<OpenEntry>> {
    let rows: Vec<OpenRow> = account_entries::table
        .left_join(invoices::table.on(account_entries::invoice_id.eq(invoices::id.nullable())))
        .left_join(payments::table.on(account_entries::payment_id.eq(payments::id.nullable())))
        .filter(account_entries::customer_id.eq(customer_id))
        .filter(account_entries::open_minor.ne(0))
        .select((
            account_entries::id,
            account_entries::kind,
            account_entries::amount_minor,
            account_entries::open_minor,
            account_entries::booked_on,
            account_entries::invoice_id,
            invoices::due_date.nullable(),
            invoices::corrects_invoice_id.nullable(),
            payments::invoice_id.nullable(),
        ))
        .order(account_entries::id.asc())
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(
            |(
                id,
                kind,
                amount_minor,
                open_minor,
                booked_on,
                invoice_id,
                due_date,
                corrects,
                designated,
            )| {
                OpenEntry {
                    id,
                    kind: kind.0,
                    amount_minor,
                    open_minor,
                    booked_on,
                    invoice_id,
                    due_date,
                    corrects_invoice_id: corrects,
                    designated_invoice_id: designated,
                }
            },
        )
        .collect())
}

/// Customers with a credit not yet matched and a debit still to pay: what allocation has
/// yet to settle (after an upgrade, or a change made outside the API).
pub fn unsettled_customers(conn: &mut DbConnection) -> DbResult<Vec<i64>> {
    let with_credit: Vec<i64> = account_entries::table
        .filter(account_entries::open_minor.ne(0))
        .filter(account_entries::amount_minor.gt(0))
        .select(account_entries::customer_id)
        .distinct()
        .load(conn)?;
    let mut unsettled = Vec::new();
    for chunk in with_credit.chunks(5_000) {
        let owing: Vec<i64> = account_entries::table
            .filter(account_entries::customer_id.eq_any(chunk))
            .filter(account_entries::open_minor.ne(0))
            .filter(account_entries::amount_minor.lt(0))
            .select(account_entries::customer_id)
            .distinct()
            .load(conn)?;
        unsettled.extend(owing);
    }
    unsettled.sort_unstable();
    Ok(unsettled)
}

/// Records allocations and takes their amounts off what the entries have open.
pub fn record_allocations(conn: &mut DbConnection, rows: &[NewAllocationRow]) -> DbResult<()> {
    for row in rows {
        crate::on_each_backend!(conn, |c| diesel::insert_into(allocations::table)
            .values(*row)
            .execute(c))?;
        for entry in [row.credit_entry_id, row.debit_entry_id] {
            diesel::update(account_entries::table.find(entry))
                .set(account_entries::open_minor.eq(account_entries::open_minor - row.amount_minor))
                .execute(conn)?;
        }
    }
    Ok(())
}

/// Releases what a credit entry pays: its allocations are marked released and their amounts
/// are open again on both sides. Answers the released allocations.
pub fn release_credit(
    conn: &mut DbConnection,
    credit_entry_id: i64,
    at: Timestamp,
) -> DbResult<Vec<AllocationRecord>> {
    let active: Vec<AllocationRecord> = allocations::table
        .filter(allocations::credit_entry_id.eq(credit_entry_id))
        .filter(allocations::released_at.is_null())
        .order(allocations::id.asc())
        .load(conn)?;
    for allocation in &active {
        diesel::update(allocations::table.find(allocation.id))
            .set(allocations::released_at.eq(Some(at)))
            .execute(conn)?;
        for entry in [allocation.credit_entry_id, allocation.debit_entry_id] {
            diesel::update(account_entries::table.find(entry))
                .set(
                    account_entries::open_minor
                        .eq(account_entries::open_minor + allocation.amount_minor),
                )
                .execute(conn)?;
        }
    }
    Ok(active)
}

/// A debt a credit entry pays, as a payment shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PaidDebt {
    pub allocation: AllocationRecord,
    /// What the debt is: an invoice, a prepaid day, the payment's own reversal...
    pub kind: EntryKind,
    /// The invoice or note booked by the debt, `(id, number)`.
    pub invoice: Option<(i64, String)>,
}

/// An allocation with its debt's kind and its invoice's id and number.
type PaidRow = (
    AllocationRecord,
    Stored<EntryKind>,
    Option<i64>,
    Option<String>,
);

/// What a credit entry pays now, with each debt's kind and invoice, in one query.
pub fn paid_by(conn: &mut DbConnection, credit_entry_id: i64) -> DbResult<Vec<PaidDebt>> {
    let rows: Vec<PaidRow> = allocations::table
        .inner_join(account_entries::table.on(account_entries::id.eq(allocations::debit_entry_id)))
        .left_join(invoices::table.on(account_entries::invoice_id.eq(invoices::id.nullable())))
        .filter(allocations::credit_entry_id.eq(credit_entry_id))
        .filter(allocations::released_at.is_null())
        .select((
            allocations::all_columns,
            account_entries::kind,
            invoices::id.nullable(),
            invoices::number.nullable(),
        ))
        .order(allocations::id.asc())
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|(allocation, kind, id, number)| PaidDebt {
            allocation,
            kind: kind.0,
            invoice: id.zip(number),
        })
        .collect())
}

/// For each invoice or note asked, what of it is still open: its entry's `open_minor`.
/// Invoices without an entry (none today) are left out.
pub fn open_of_invoices(conn: &mut DbConnection, invoice_ids: &[i64]) -> DbResult<Vec<(i64, i64)>> {
    let mut open = Vec::with_capacity(invoice_ids.len());
    for chunk in invoice_ids.chunks(5_000) {
        let rows: Vec<(Option<i64>, i64)> = account_entries::table
            .filter(account_entries::invoice_id.eq_any(chunk))
            .filter(
                account_entries::kind
                    .eq_any([EntryKind::Invoice.as_str(), EntryKind::Correction.as_str()]),
            )
            .select((account_entries::invoice_id, account_entries::open_minor))
            .load(conn)?;
        open.extend(rows.into_iter().filter_map(|(id, o)| id.map(|id| (id, o))));
    }
    Ok(open)
}

/// The entry that booked a payment (not its reversal).
pub fn entry_of_payment(conn: &mut DbConnection, payment_id: i64) -> DbResult<i64> {
    Ok(account_entries::table
        .filter(account_entries::payment_id.eq(payment_id))
        .filter(account_entries::kind.eq(EntryKind::Payment.as_str()))
        .select(account_entries::id)
        .first(conn)?)
}

/// The sum of the entries after entry `after`: with the balance, the balance after each entry.
pub fn sum_after(conn: &mut DbConnection, customer_id: i64, after: i64) -> DbResult<i64> {
    let amounts: Vec<i64> = account_entries::table
        .filter(account_entries::customer_id.eq(customer_id))
        .filter(account_entries::id.gt(after))
        .select(account_entries::amount_minor)
        .load(conn)?;
    Ok(amounts.iter().fold(0_i64, |sum, a| sum.saturating_add(*a)))
}

/// Those of `customer_ids` with a credit not yet used.
pub fn customers_with_open_credit(
    conn: &mut DbConnection,
    customer_ids: &[i64],
) -> DbResult<Vec<i64>> {
    let mut found = Vec::new();
    for chunk in customer_ids.chunks(5_000) {
        let ids: Vec<i64> = account_entries::table
            .filter(account_entries::customer_id.eq_any(chunk))
            .filter(account_entries::open_minor.ne(0))
            .filter(account_entries::amount_minor.gt(0))
            .select(account_entries::customer_id)
            .distinct()
            .load(conn)?;
        found.extend(ids);
    }
    found.sort_unstable();
    Ok(found)
}

/// `(entry id, amount, open)`.
pub type EntryOpen = (i64, i64, i64);
/// `(entry id, what active allocations match of it)`.
pub type EntryMatched = (i64, i64);
/// `(payment id, amount, reversed)`.
pub type PaymentFacts = (i64, i64, bool);
/// `(payment id, kind, amount)` of an entry booking a payment or its reversal.
pub type PaymentEntry = (i64, EntryKind, i64);

/// For the ledger check: every entry's `(id, amount, open)`, and what active allocations
/// match of each entry, as credit and as debit.
pub fn matching_facts(conn: &mut DbConnection) -> DbResult<(Vec<EntryOpen>, Vec<EntryMatched>)> {
    let entries: Vec<(i64, i64, i64)> = account_entries::table
        .select((
            account_entries::id,
            account_entries::amount_minor,
            account_entries::open_minor,
        ))
        .load(conn)?;
    let active: Vec<(i64, i64, i64)> = allocations::table
        .filter(allocations::released_at.is_null())
        .select((
            allocations::credit_entry_id,
            allocations::debit_entry_id,
            allocations::amount_minor,
        ))
        .load(conn)?;
    let mut matched: std::collections::HashMap<i64, i64> = std::collections::HashMap::new();
    for (credit, debit, amount) in active {
        for entry in [credit, debit] {
            let sum = matched.entry(entry).or_default();
            *sum = sum.saturating_add(amount);
        }
    }
    Ok((entries, matched.into_iter().collect()))
}

/// For the ledger check: each payment's `(id, amount, reversed)` and the entries booking
/// payments `(payment id, kind, amount)`.
pub fn booking_facts(conn: &mut DbConnection) -> DbResult<(Vec<PaymentFacts>, Vec<PaymentEntry>)> {
    let payments: Vec<(i64, i64, Option<Timestamp>)> = payments::table
        .select((payments::id, payments::amount_minor, payments::reversed_at))
        .load(conn)?;
    let entries: Vec<(Option<i64>, Stored<EntryKind>, i64)> = account_entries::table
        .filter(account_entries::payment_id.is_not_null())
        .select((
            account_entries::payment_id,
            account_entries::kind,
            account_entries::amount_minor,
        ))
        .load(conn)?;
    Ok((
        payments
            .into_iter()
            .map(|(id, amount, reversed)| (id, amount, reversed.is_some()))
            .collect(),
        entries
            .into_iter()
            .filter_map(|(payment, kind, amount)| Some((payment?, kind.0, amount)))
            .collect(),
    ))
}
