//! Cashiers' tills: opened with a float, closed with the cash counted.

use diesel::prelude::*;
use okno_domain::payments::PaymentMethod;

use crate::schema::{payments, tills};
use crate::{DbConnection, DbResult, Stored, Timestamp};

#[derive(Debug, Clone, PartialEq, Eq, Queryable)]
pub struct TillRecord {
    pub id: i64,
    pub sales_point_id: i64,
    pub cashier_id: i64,
    pub currency: String,
    pub opened_at: Timestamp,
    pub float_minor: i64,
    pub closed_at: Option<Timestamp>,
    pub closed_by: Option<String>,
    pub counted_minor: Option<i64>,
    pub expected_minor: Option<i64>,
    pub difference_minor: Option<i64>,
    pub closing_note: Option<String>,
}

#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = tills)]
pub struct NewTillRow {
    pub sales_point_id: i64,
    pub cashier_id: i64,
    pub currency: String,
    pub opened_at: Timestamp,
    pub float_minor: i64,
}

/// What a till was closed with.
#[derive(Debug, Clone)]
pub struct TillClosingRow {
    pub closed_at: Timestamp,
    pub closed_by: String,
    pub counted_minor: i64,
    pub expected_minor: i64,
    pub difference_minor: i64,
    pub closing_note: Option<String>,
}

/// Which tills to list.
#[derive(Debug, Clone, Default)]
pub struct TillFilter {
    pub sales_point_id: Option<i64>,
    pub cashier_id: Option<i64>,
    pub open: Option<bool>,
    pub opened_from: Option<Timestamp>,
    pub opened_before: Option<Timestamp>,
    /// Tills with a smaller id (a cursor).
    pub before: Option<i64>,
}

/// A payment taken into a till, as the till counts it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Taking {
    pub method: PaymentMethod,
    pub amount_minor: i64,
    pub reversed: bool,
}

impl TillRecord {
    /// Opens a till unless the cashier has one open (the partial unique index decides);
    /// `None` then.
    pub fn open(conn: &mut DbConnection, row: NewTillRow) -> DbResult<Option<Self>> {
        let ids = crate::on_each_backend!(conn, |c| {
            diesel::insert_into(tills::table)
                .values(row)
                .on_conflict_do_nothing()
                .returning(tills::id)
                .get_results::<i64>(c)
        })?;
        match ids.first() {
            Some(id) => Ok(Some(Self::find(conn, *id)?)),
            None => Ok(None),
        }
    }

    pub fn find(conn: &mut DbConnection, id: i64) -> DbResult<Self> {
        Ok(tills::table.find(id).first(conn)?)
    }

    pub fn open_of_cashier(conn: &mut DbConnection, cashier_id: i64) -> DbResult<Option<Self>> {
        Ok(tills::table
            .filter(tills::cashier_id.eq(cashier_id))
            .filter(tills::closed_at.is_null())
            .first(conn)
            .optional()?)
    }

    /// Closes the till unless it is closed already; whether this closed it.
    pub fn close(conn: &mut DbConnection, id: i64, closing: TillClosingRow) -> DbResult<bool> {
        let changed = diesel::update(tills::table.find(id).filter(tills::closed_at.is_null()))
            .set((
                tills::closed_at.eq(Some(closing.closed_at)),
                tills::closed_by.eq(Some(closing.closed_by)),
                tills::counted_minor.eq(Some(closing.counted_minor)),
                tills::expected_minor.eq(Some(closing.expected_minor)),
                tills::difference_minor.eq(Some(closing.difference_minor)),
                tills::closing_note.eq(closing.closing_note),
            ))
            .execute(conn)?;
        Ok(changed == 1)
    }

    /// Newest first, at most `limit`.
    pub fn list(conn: &mut DbConnection, filter: &TillFilter, limit: usize) -> DbResult<Vec<Self>> {
        let mut query = tills::table.into_boxed();
        if let Some(point) = filter.sales_point_id {
            query = query.filter(tills::sales_point_id.eq(point));
        }
        if let Some(cashier) = filter.cashier_id {
            query = query.filter(tills::cashier_id.eq(cashier));
        }
        match filter.open {
            Some(true) => query = query.filter(tills::closed_at.is_null()),
            Some(false) => query = query.filter(tills::closed_at.is_not_null()),
            None => {}
        }
        if let Some(from) = filter.opened_from {
            query = query.filter(tills::opened_at.ge(from));
        }
        if let Some(before) = filter.opened_before {
            query = query.filter(tills::opened_at.lt(before));
        }
        if let Some(before) = filter.before {
            query = query.filter(tills::id.lt(before));
        }
        Ok(query
            .order(tills::id.desc())
            .limit(i64::try_from(limit).unwrap_or(i64::MAX))
            .load(conn)?)
    }

    /// The payments taken into the till.
    pub fn takings(conn: &mut DbConnection, id: i64) -> DbResult<Vec<Taking>> {
        let rows: Vec<(Stored<PaymentMethod>, i64, Option<Timestamp>)> = payments::table
            .filter(payments::till_id.eq(id))
            .select((
                payments::method,
                payments::amount_minor,
                payments::reversed_at,
            ))
            .load(conn)?;
        Ok(rows
            .into_iter()
            .map(|(method, amount_minor, reversed_at)| Taking {
                method: method.0,
                amount_minor,
                reversed: reversed_at.is_some(),
            })
            .collect())
    }
}
