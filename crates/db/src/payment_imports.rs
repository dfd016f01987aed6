//! Bank statements imported and their lines, and the CSV mappings of banks.

use chrono::NaiveDate;
use diesel::prelude::*;
use okno_domain::payments::{ImportOutcome, StatementFormat};

use crate::schema::{bank_csv_mappings, payment_import_lines, payment_imports};
use crate::{DbConnection, DbResult, Stored, Timestamp};

#[derive(Debug, Clone, PartialEq, Eq, Queryable)]
pub struct PaymentImportRecord {
    pub id: i64,
    pub file_name: String,
    #[diesel(deserialize_as = Stored<StatementFormat>)]
    pub format: StatementFormat,
    pub digest: String,
    pub bank: Option<String>,
    pub imported_by: String,
    pub imported_at: Timestamp,
    pub registered: i32,
    pub unmatched: i32,
    pub duplicates: i32,
    pub debits_skipped: i32,
}

#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = payment_imports)]
pub struct NewPaymentImportRow {
    pub file_name: String,
    #[diesel(serialize_as = Stored<StatementFormat>)]
    pub format: StatementFormat,
    pub digest: String,
    pub bank: Option<String>,
    pub imported_by: String,
    pub imported_at: Timestamp,
    pub registered: i32,
    pub unmatched: i32,
    pub duplicates: i32,
    pub debits_skipped: i32,
}

#[derive(Debug, Clone, PartialEq, Eq, Queryable)]
pub struct ImportLineRecord {
    pub id: i64,
    pub import_id: i64,
    pub line: i32,
    pub reference: String,
    pub booked_on: NaiveDate,
    pub amount_minor: i64,
    pub currency: String,
    pub title: String,
    pub payer_name: Option<String>,
    pub payer_account: Option<String>,
    #[diesel(deserialize_as = Stored<ImportOutcome>)]
    pub outcome: ImportOutcome,
    pub reason: Option<String>,
    pub payment_id: Option<i64>,
    pub matched_by: Option<String>,
}

#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = payment_import_lines)]
pub struct NewImportLineRow {
    pub import_id: i64,
    pub line: i32,
    pub reference: String,
    pub booked_on: NaiveDate,
    pub amount_minor: i64,
    pub currency: String,
    pub title: String,
    pub payer_name: Option<String>,
    pub payer_account: Option<String>,
    #[diesel(serialize_as = Stored<ImportOutcome>)]
    pub outcome: ImportOutcome,
    pub reason: Option<String>,
    pub payment_id: Option<i64>,
    pub matched_by: Option<String>,
}

impl PaymentImportRecord {
    pub fn insert(conn: &mut DbConnection, row: NewPaymentImportRow) -> DbResult<Self> {
        let id: i64 =
            crate::on_each_backend!(conn, |c| diesel::insert_into(payment_imports::table)
                .values(row)
                .returning(payment_imports::id)
                .get_result(c))?;
        Self::find(conn, id)
    }

    pub fn find(conn: &mut DbConnection, id: i64) -> DbResult<Self> {
        Ok(payment_imports::table.find(id).first(conn)?)
    }

    pub fn find_by_digest(conn: &mut DbConnection, digest: &str) -> DbResult<Option<Self>> {
        Ok(payment_imports::table
            .filter(payment_imports::digest.eq(digest))
            .first(conn)
            .optional()?)
    }

    /// Records how many lines came to what.
    pub fn set_counts(
        conn: &mut DbConnection,
        id: i64,
        registered: i32,
        unmatched: i32,
        duplicates: i32,
    ) -> DbResult<()> {
        diesel::update(payment_imports::table.find(id))
            .set((
                payment_imports::registered.eq(registered),
                payment_imports::unmatched.eq(unmatched),
                payment_imports::duplicates.eq(duplicates),
            ))
            .execute(conn)?;
        Ok(())
    }

    /// Newest first, before the import `before` (a cursor), at most `limit`.
    pub fn list(conn: &mut DbConnection, before: Option<i64>, limit: usize) -> DbResult<Vec<Self>> {
        let mut query = payment_imports::table.into_boxed();
        if let Some(before) = before {
            query = query.filter(payment_imports::id.lt(before));
        }
        Ok(query
            .order(payment_imports::id.desc())
            .limit(i64::try_from(limit).unwrap_or(i64::MAX))
            .load(conn)?)
    }
}

impl ImportLineRecord {
    pub fn insert(conn: &mut DbConnection, row: NewImportLineRow) -> DbResult<i64> {
        Ok(crate::on_each_backend!(conn, |c| diesel::insert_into(
            payment_import_lines::table
        )
        .values(row)
        .returning(payment_import_lines::id)
        .get_result(c))?)
    }

    pub fn find(conn: &mut DbConnection, id: i64) -> DbResult<Self> {
        Ok(payment_import_lines::table.find(id).first(conn)?)
    }

    /// Whether a line with this bank reference was imported before (and not as a duplicate).
    pub fn reference_taken(conn: &mut DbConnection, reference: &str) -> DbResult<bool> {
        Ok(diesel::select(diesel::dsl::exists(
            payment_import_lines::table
                .filter(payment_import_lines::reference.eq(reference))
                .filter(payment_import_lines::outcome.ne(ImportOutcome::Duplicate.as_str())),
        ))
        .get_result(conn)?)
    }

    pub fn of_import(conn: &mut DbConnection, import_id: i64) -> DbResult<Vec<Self>> {
        Ok(payment_import_lines::table
            .filter(payment_import_lines::import_id.eq(import_id))
            .order(payment_import_lines::line.asc())
            .load(conn)?)
    }

    /// Lines with `outcome`, oldest first, after the line `after` (a cursor).
    pub fn with_outcome(
        conn: &mut DbConnection,
        outcome: ImportOutcome,
        after: Option<i64>,
        limit: usize,
    ) -> DbResult<Vec<Self>> {
        let mut query = payment_import_lines::table
            .filter(payment_import_lines::outcome.eq(outcome.as_str()))
            .into_boxed();
        if let Some(after) = after {
            query = query.filter(payment_import_lines::id.gt(after));
        }
        Ok(query
            .order(payment_import_lines::id.asc())
            .limit(i64::try_from(limit).unwrap_or(i64::MAX))
            .load(conn)?)
    }

    /// Marks an unmatched line assigned with its payment; `false` when it is not unmatched
    /// (any more).
    pub fn assign(conn: &mut DbConnection, id: i64, payment_id: i64, by: &str) -> DbResult<bool> {
        let changed = diesel::update(
            payment_import_lines::table
                .find(id)
                .filter(payment_import_lines::outcome.eq(ImportOutcome::Unmatched.as_str())),
        )
        .set((
            payment_import_lines::outcome.eq(ImportOutcome::Assigned.as_str()),
            payment_import_lines::payment_id.eq(Some(payment_id)),
            payment_import_lines::matched_by.eq(Some(by)),
        ))
        .execute(conn)?;
        Ok(changed == 1)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Queryable, Insertable)]
#[diesel(table_name = bank_csv_mappings)]
pub struct CsvMappingRecord {
    pub bank: String,
    /// The mapping as JSON.
    pub mapping: String,
    pub updated_by: String,
    pub updated_at: Timestamp,
}

impl CsvMappingRecord {
    pub fn find(conn: &mut DbConnection, bank: &str) -> DbResult<Option<Self>> {
        Ok(bank_csv_mappings::table.find(bank).first(conn).optional()?)
    }

    pub fn list(conn: &mut DbConnection) -> DbResult<Vec<Self>> {
        Ok(bank_csv_mappings::table
            .order(bank_csv_mappings::bank.asc())
            .load(conn)?)
    }

    /// Saves the bank's mapping, replacing the one it had.
    pub fn save(conn: &mut DbConnection, record: &Self) -> DbResult<()> {
        crate::on_each_backend!(conn, |c| diesel::insert_into(bank_csv_mappings::table)
            .values(record)
            .on_conflict(bank_csv_mappings::bank)
            .do_update()
            .set((
                bank_csv_mappings::mapping.eq(&record.mapping),
                bank_csv_mappings::updated_by.eq(&record.updated_by),
                bank_csv_mappings::updated_at.eq(record.updated_at),
            ))
            .execute(c))?;
        Ok(())
    }
}
