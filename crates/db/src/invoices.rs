//! Invoices and correction notes with their lines (R-24..R-27), and the customer account.

use chrono::NaiveDate;
use diesel::prelude::*;
use diesel::sql_types::{Array, BigInt, Text};
use okno_domain::billing::{EntryKind, InvoiceKind, LineKind};
use okno_domain::customers::Language;
use okno_domain::tariffs::UsageUnit;

use crate::schema::{account_entries, invoice_lines, invoices};
use crate::{DbConnection, DbResult, Stored, StoredOpt, Timestamp};

/// Rows per insert statement: under the bind-parameter limits of both backends.
const INSERT_CHUNK: usize = 1_000;

#[derive(Debug, Clone, PartialEq, Queryable)]
pub struct InvoiceRecord {
    pub id: i64,
    pub number: String,
    #[diesel(deserialize_as = Stored<InvoiceKind>)]
    pub kind: InvoiceKind,
    pub series: String,
    pub customer_id: i64,
    pub period: Option<String>,
    pub billing_run_id: Option<i64>,
    pub corrects_invoice_id: Option<i64>,
    pub correction_reason: Option<String>,
    pub issue_date: NaiveDate,
    pub sale_date: NaiveDate,
    pub period_start: Option<NaiveDate>,
    pub period_end: Option<NaiveDate>,
    pub due_date: NaiveDate,
    pub currency: String,
    pub net_minor: i64,
    pub vat_minor: i64,
    pub gross_minor: i64,
    #[diesel(deserialize_as = Stored<Language>)]
    pub language: Language,
    pub seller: String,
    pub buyer: String,
    pub created_by: String,
    pub created_at: Timestamp,
}

#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = invoices)]
pub struct NewInvoiceRow {
    pub number: String,
    #[diesel(serialize_as = Stored<InvoiceKind>)]
    pub kind: InvoiceKind,
    pub series: String,
    pub customer_id: i64,
    pub period: Option<String>,
    pub billing_run_id: Option<i64>,
    pub corrects_invoice_id: Option<i64>,
    pub correction_reason: Option<String>,
    pub issue_date: NaiveDate,
    pub sale_date: NaiveDate,
    pub period_start: Option<NaiveDate>,
    pub period_end: Option<NaiveDate>,
    pub due_date: NaiveDate,
    pub currency: String,
    pub net_minor: i64,
    pub vat_minor: i64,
    pub gross_minor: i64,
    #[diesel(serialize_as = Stored<Language>)]
    pub language: Language,
    pub seller: String,
    pub buyer: String,
    pub created_by: String,
    pub created_at: Timestamp,
}

#[derive(Debug, Clone, PartialEq, Queryable)]
pub struct InvoiceLineRecord {
    pub id: i64,
    pub invoice_id: i64,
    pub customer_id: i64,
    pub position: i32,
    #[diesel(deserialize_as = Stored<LineKind>)]
    pub kind: LineKind,
    pub description: String,
    pub subscription_id: Option<i64>,
    pub tariff_version_id: Option<i64>,
    pub first_day: Option<NaiveDate>,
    pub last_day: Option<NaiveDate>,
    pub days: Option<i32>,
    pub month_days: Option<i32>,
    #[diesel(deserialize_as = StoredOpt<UsageUnit>)]
    pub unit: Option<UsageUnit>,
    pub quantity_milli: Option<i64>,
    pub net_minor: i64,
    pub vat_rate_bp: i32,
    pub vat_minor: i64,
    pub gross_minor: i64,
    pub corrects_line_id: Option<i64>,
    pub net_before_minor: Option<i64>,
    pub net_after_minor: Option<i64>,
}

#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = invoice_lines)]
pub struct NewInvoiceLineRow {
    pub invoice_id: i64,
    pub customer_id: i64,
    pub position: i32,
    #[diesel(serialize_as = Stored<LineKind>)]
    pub kind: LineKind,
    pub description: String,
    pub subscription_id: Option<i64>,
    pub tariff_version_id: Option<i64>,
    pub first_day: Option<NaiveDate>,
    pub last_day: Option<NaiveDate>,
    pub days: Option<i32>,
    pub month_days: Option<i32>,
    #[diesel(serialize_as = StoredOpt<UsageUnit>)]
    pub unit: Option<UsageUnit>,
    pub quantity_milli: Option<i64>,
    pub net_minor: i64,
    pub vat_rate_bp: i32,
    pub vat_minor: i64,
    pub gross_minor: i64,
    pub corrects_line_id: Option<i64>,
    pub net_before_minor: Option<i64>,
    pub net_after_minor: Option<i64>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct InvoiceFilter {
    pub customer_id: Option<i64>,
    pub period: Option<String>,
    pub kind: Option<InvoiceKind>,
    /// The start of the number, e.g. `FV/2026/11`.
    pub number_prefix: Option<String>,
    pub issued_from: Option<NaiveDate>,
    pub issued_to: Option<NaiveDate>,
}

/// What the ledger check reads of an invoice.
#[derive(Debug, Clone, PartialEq, Eq, Queryable)]
pub struct InvoiceFacts {
    pub id: i64,
    pub number: String,
    #[diesel(deserialize_as = Stored<InvoiceKind>)]
    pub kind: InvoiceKind,
    pub series: String,
    pub customer_id: i64,
    pub period: Option<String>,
    pub issue_date: NaiveDate,
    pub net_minor: i64,
    pub vat_minor: i64,
    pub gross_minor: i64,
}

impl InvoiceFacts {
    /// Every invoice and correction note, oldest first.
    pub fn all(conn: &mut DbConnection) -> DbResult<Vec<Self>> {
        Ok(invoices::table
            .order(invoices::id)
            .select((
                invoices::id,
                invoices::number,
                invoices::kind,
                invoices::series,
                invoices::customer_id,
                invoices::period,
                invoices::issue_date,
                invoices::net_minor,
                invoices::vat_minor,
                invoices::gross_minor,
            ))
            .load(conn)?)
    }

    /// `(invoice id, net, vat, gross)` of every line.
    pub fn line_amounts(conn: &mut DbConnection) -> DbResult<Vec<(i64, i64, i64, i64)>> {
        Ok(invoice_lines::table
            .select((
                invoice_lines::invoice_id,
                invoice_lines::net_minor,
                invoice_lines::vat_minor,
                invoice_lines::gross_minor,
            ))
            .load(conn)?)
    }

    /// `(invoice id, amount)` of every account entry booking an invoice or a note.
    pub fn bookings(conn: &mut DbConnection) -> DbResult<Vec<(i64, i64)>> {
        let rows: Vec<(Option<i64>, i64)> = account_entries::table
            .filter(account_entries::invoice_id.is_not_null())
            .filter(
                account_entries::kind
                    .eq_any([EntryKind::Invoice.as_str(), EntryKind::Correction.as_str()]),
            )
            .select((account_entries::invoice_id, account_entries::amount_minor))
            .load(conn)?;
        Ok(rows
            .into_iter()
            .filter_map(|(invoice, amount)| Some((invoice?, amount)))
            .collect())
    }
}

impl InvoiceRecord {
    /// Stores invoices and answers `(customer_id, id)` of each, in the order given.
    pub fn insert_all(
        conn: &mut DbConnection,
        rows: Vec<NewInvoiceRow>,
    ) -> DbResult<Vec<(i64, i64)>> {
        let mut ids = Vec::with_capacity(rows.len());
        for chunk in crate::owned_chunks(rows, INSERT_CHUNK) {
            let stored: Vec<(i64, i64)> =
                crate::on_each_backend!(conn, |c| diesel::insert_into(invoices::table)
                    .values(chunk)
                    .returning((invoices::customer_id, invoices::id))
                    .get_results(c))?;
            ids.extend(stored);
        }
        Ok(ids)
    }

    /// Gives stored invoices their numbers. The caller holds the series' sequence meanwhile,
    /// so this is kept short: one statement on PostgreSQL (the pairs bound as two arrays), one
    /// prepared update per invoice on SQLite, where a statement costs no round trip.
    pub fn assign_numbers(conn: &mut DbConnection, numbers: &[(i64, String)]) -> DbResult<()> {
        match conn {
            DbConnection::Postgresql(pg) => {
                let (ids, numbers): (Vec<i64>, Vec<&str>) = numbers
                    .iter()
                    .map(|(id, number)| (*id, number.as_str()))
                    .unzip();
                diesel::sql_query(
                    "UPDATE invoices SET number = v.number \
                     FROM unnest($1::bigint[], $2::text[]) AS v(id, number) \
                     WHERE invoices.id = v.id",
                )
                .bind::<Array<BigInt>, _>(&ids)
                .bind::<Array<Text>, _>(&numbers)
                .execute(pg)?;
            }
            DbConnection::Sqlite(sqlite) => {
                for (id, number) in numbers {
                    diesel::update(invoices::table.find(id))
                        .set(invoices::number.eq(number))
                        .execute(sqlite)?;
                }
            }
        }
        Ok(())
    }

    pub fn insert(conn: &mut DbConnection, row: NewInvoiceRow) -> DbResult<Self> {
        Ok(diesel::insert_into(invoices::table)
            .values(row)
            .get_result(conn)?)
    }

    pub fn find(conn: &mut DbConnection, id: i64) -> DbResult<Self> {
        Ok(invoices::table.find(id).first(conn)?)
    }

    /// `(customer_id, invoice id)` of the customers' invoices for a period.
    pub fn of_period(
        conn: &mut DbConnection,
        customer_ids: &[i64],
        period: &str,
    ) -> DbResult<Vec<(i64, i64)>> {
        Ok(invoices::table
            .filter(invoices::customer_id.eq_any(customer_ids))
            .filter(invoices::period.eq(period))
            .select((invoices::customer_id, invoices::id))
            .load(conn)?)
    }

    /// Newest first, after the invoice `after` (a cursor), at most `limit`.
    pub fn list(
        conn: &mut DbConnection,
        filter: &InvoiceFilter,
        after: Option<i64>,
        limit: usize,
    ) -> DbResult<Vec<Self>> {
        let mut query = invoices::table.into_boxed();
        if let Some(customer_id) = filter.customer_id {
            query = query.filter(invoices::customer_id.eq(customer_id));
        }
        if let Some(period) = &filter.period {
            query = query.filter(invoices::period.eq(period.clone()));
        }
        if let Some(kind) = filter.kind {
            query = query.filter(invoices::kind.eq(kind.as_str()));
        }
        if let Some(prefix) = &filter.number_prefix {
            let prefix = prefix.replace(['%', '_'], "");
            if let DbConnection::Sqlite(_) = conn {
                // SQLite's LIKE ignores case, so no index serves it; numbers sort byte by byte,
                // and the range of those starting with the prefix is one stretch of the unique
                // index. (It also makes the match case-sensitive, as on PostgreSQL.)
                query = query
                    .filter(invoices::number.ge(prefix.clone()))
                    .filter(invoices::number.lt(format!("{prefix}\u{10FFFF}")));
            }
            query = query.filter(invoices::number.like(format!("{prefix}%")));
        }
        if let Some(from) = filter.issued_from {
            query = query.filter(invoices::issue_date.ge(from));
        }
        if let Some(to) = filter.issued_to {
            query = query.filter(invoices::issue_date.le(to));
        }
        if let Some(after) = after {
            query = query.filter(invoices::id.lt(after));
        }
        Ok(query
            .order(invoices::id.desc())
            .limit(i64::try_from(limit).unwrap_or(i64::MAX))
            .load(conn)?)
    }

    pub fn corrections_of(conn: &mut DbConnection, invoice_id: i64) -> DbResult<Vec<Self>> {
        Ok(invoices::table
            .filter(invoices::corrects_invoice_id.eq(invoice_id))
            .order(invoices::id)
            .load(conn)?)
    }
}

impl InvoiceLineRecord {
    pub fn insert_all(conn: &mut DbConnection, rows: Vec<NewInvoiceLineRow>) -> DbResult<()> {
        for chunk in crate::owned_chunks(rows, INSERT_CHUNK) {
            crate::on_each_backend!(conn, |c| diesel::insert_into(invoice_lines::table)
                .values(chunk)
                .execute(c))?;
        }
        Ok(())
    }

    pub fn of_invoice(conn: &mut DbConnection, invoice_id: i64) -> DbResult<Vec<Self>> {
        Ok(invoice_lines::table
            .filter(invoice_lines::invoice_id.eq(invoice_id))
            .order(invoice_lines::position)
            .load(conn)?)
    }

    pub fn of_invoices(conn: &mut DbConnection, invoice_ids: &[i64]) -> DbResult<Vec<Self>> {
        Ok(invoice_lines::table
            .filter(invoice_lines::invoice_id.eq_any(invoice_ids))
            .order((invoice_lines::invoice_id, invoice_lines::position))
            .load(conn)?)
    }
}

#[derive(Debug, Clone, PartialEq, Queryable)]
pub struct AccountEntryRecord {
    pub id: i64,
    pub customer_id: i64,
    #[diesel(deserialize_as = Stored<EntryKind>)]
    pub kind: EntryKind,
    pub booked_at: Timestamp,
    pub booked_on: NaiveDate,
    pub amount_minor: i64,
    pub currency: String,
    pub invoice_id: Option<i64>,
    pub subscription_id: Option<i64>,
    pub description: String,
    pub dedupe_key: Option<String>,
    pub payment_id: Option<i64>,
    /// Of a debit, what is still to pay; of a credit, what is still free to pay with.
    pub open_minor: i64,
}

#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = account_entries)]
pub struct NewAccountEntryRow {
    pub customer_id: i64,
    #[diesel(serialize_as = Stored<EntryKind>)]
    pub kind: EntryKind,
    pub booked_at: Timestamp,
    pub booked_on: NaiveDate,
    pub amount_minor: i64,
    pub currency: String,
    pub invoice_id: Option<i64>,
    pub subscription_id: Option<i64>,
    pub description: String,
    pub dedupe_key: Option<String>,
    pub payment_id: Option<i64>,
    /// The whole amount, either way, until allocations match it ([`NewAccountEntryRow::new`]).
    pub open_minor: i64,
}

impl NewAccountEntryRow {
    /// An entry of `amount_minor` (negative: owed), nothing of it matched yet.
    pub fn new(
        customer_id: i64,
        kind: EntryKind,
        booked_at: Timestamp,
        amount_minor: i64,
        currency: String,
        description: String,
    ) -> Self {
        Self {
            customer_id,
            kind,
            booked_at,
            booked_on: booked_at.date(),
            amount_minor,
            currency,
            invoice_id: None,
            subscription_id: None,
            description,
            dedupe_key: None,
            payment_id: None,
            open_minor: amount_minor.saturating_abs(),
        }
    }
}

impl AccountEntryRecord {
    pub fn insert_all(conn: &mut DbConnection, rows: Vec<NewAccountEntryRow>) -> DbResult<()> {
        for chunk in crate::owned_chunks(rows, INSERT_CHUNK) {
            crate::on_each_backend!(conn, |c| diesel::insert_into(account_entries::table)
                .values(chunk)
                .execute(c))?;
        }
        Ok(())
    }

    /// Books one entry; its id.
    pub fn insert_one(conn: &mut DbConnection, row: NewAccountEntryRow) -> DbResult<i64> {
        Ok(crate::on_each_backend!(conn, |c| diesel::insert_into(
            account_entries::table
        )
        .values(row)
        .returning(account_entries::id)
        .get_result(c))?)
    }

    /// Books an entry unless one with its `dedupe_key` is booked already; whether it was.
    pub fn insert_once(conn: &mut DbConnection, row: NewAccountEntryRow) -> DbResult<bool> {
        let inserted = crate::on_each_backend!(conn, |c| {
            diesel::insert_into(account_entries::table)
                .values(row)
                .on_conflict(account_entries::dedupe_key)
                .do_nothing()
                .execute(c)
        })?;
        Ok(inserted > 0)
    }

    /// Newest first, before the entry `before` (a cursor), at most `limit`.
    pub fn of_customer(
        conn: &mut DbConnection,
        customer_id: i64,
        before: Option<i64>,
        limit: usize,
    ) -> DbResult<Vec<Self>> {
        let mut query = account_entries::table
            .filter(account_entries::customer_id.eq(customer_id))
            .into_boxed();
        if let Some(before) = before {
            query = query.filter(account_entries::id.lt(before));
        }
        Ok(query
            .order(account_entries::id.desc())
            .limit(i64::try_from(limit).unwrap_or(i64::MAX))
            .load(conn)?)
    }

    /// The balance of a customer: positive is money in the customer's favour.
    pub fn balance(conn: &mut DbConnection, customer_id: i64) -> DbResult<i64> {
        Ok(Self::balances(conn, &[customer_id])?
            .first()
            .map_or(0, |(_, b)| *b))
    }

    /// Balances of several customers, each once, in the order asked.
    pub fn balances(conn: &mut DbConnection, customer_ids: &[i64]) -> DbResult<Vec<(i64, i64)>> {
        let amounts: Vec<(i64, i64)> = account_entries::table
            .filter(account_entries::customer_id.eq_any(customer_ids))
            .select((account_entries::customer_id, account_entries::amount_minor))
            .load(conn)?;
        let mut sums: std::collections::HashMap<i64, i64> = std::collections::HashMap::new();
        for (customer_id, amount) in amounts {
            *sums.entry(customer_id).or_default() += amount;
        }
        Ok(customer_ids
            .iter()
            .map(|id| (*id, sums.get(id).copied().unwrap_or(0)))
            .collect())
    }
}
