//! Usage events, meters and their readings.

use std::collections::HashSet;

use chrono::NaiveDate;
use diesel::prelude::*;
use okno_domain::contacts::Channel;
use okno_domain::tariffs::UsageUnit;

use crate::schema::{meter_readings, meters, usage_events};
use crate::{DbConnection, DbResult, Stored, Timestamp};

#[derive(Debug, Clone, PartialEq, Insertable)]
#[diesel(table_name = usage_events)]
pub struct NewUsageRow {
    pub external_id: String,
    pub customer_id: i64,
    pub subscription_id: i64,
    #[diesel(serialize_as = Stored<UsageUnit>)]
    pub unit: UsageUnit,
    pub quantity_milli: i64,
    pub occurred_at: Timestamp,
    pub occurred_on: NaiveDate,
    pub period: String,
    pub source: String,
    pub recorded_at: Timestamp,
}

/// A usage record, for rating.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Queryable, Selectable)]
#[diesel(table_name = usage_events)]
pub struct UsageRow {
    pub id: i64,
    pub customer_id: i64,
    pub subscription_id: i64,
    #[diesel(deserialize_as = Stored<UsageUnit>)]
    pub unit: UsageUnit,
    pub occurred_on: NaiveDate,
    pub quantity_milli: i64,
    /// The invoice that billed it; none while it is still to bill.
    pub invoice_id: Option<i64>,
}

/// What a [`UsageRow`] reads.
fn usage_columns() -> diesel::dsl::AsSelect<UsageRow, crate::connection::MultiBackend> {
    UsageRow::as_select()
}

/// How many rows one insert statement carries: well under the bind-parameter limits of both
/// backends.
const INSERT_CHUNK: usize = 2_000;

pub struct UsageEvents;

impl UsageEvents {
    /// Which of `external_ids` are stored already.
    pub fn existing(conn: &mut DbConnection, external_ids: &[String]) -> DbResult<HashSet<String>> {
        let mut found = HashSet::new();
        for chunk in external_ids.chunks(INSERT_CHUNK) {
            let ids: Vec<String> = usage_events::table
                .filter(usage_events::external_id.eq_any(chunk))
                .select(usage_events::external_id)
                .load(conn)?;
            found.extend(ids);
        }
        Ok(found)
    }

    /// Stores the events; an `external_id` stored already is left as it is. Returns how many
    /// were new.
    pub fn insert_new(conn: &mut DbConnection, rows: Vec<NewUsageRow>) -> DbResult<usize> {
        let mut inserted = 0;
        for chunk in crate::owned_chunks(rows, INSERT_CHUNK) {
            inserted += match conn {
                DbConnection::Postgresql(pg) => diesel::insert_into(usage_events::table)
                    .values(chunk)
                    .on_conflict(usage_events::external_id)
                    .do_nothing()
                    .execute(pg)?,
                // SQLite takes a batch with ON CONFLICT only row by row; inside the caller's
                // transaction that is as fast.
                DbConnection::Sqlite(sqlite) => {
                    let mut n = 0;
                    for row in chunk {
                        n += diesel::insert_into(usage_events::table)
                            .values(row)
                            .on_conflict(usage_events::external_id)
                            .do_nothing()
                            .execute(sqlite)?;
                    }
                    n
                }
            };
        }
        Ok(inserted)
    }

    /// The usage of the customers in a period, billed or not.
    pub fn of_customers(
        conn: &mut DbConnection,
        customer_ids: &[i64],
        period: &str,
    ) -> DbResult<Vec<UsageRow>> {
        Ok(usage_events::table
            .filter(usage_events::customer_id.eq_any(customer_ids))
            .filter(usage_events::period.eq(period))
            .select(usage_columns())
            .load(conn)?)
    }

    /// what the invoice of `period` bills: the customers' usage of that period and of
    /// earlier ones that no invoice has billed yet (records that arrived late), with the
    /// billed records of those earlier periods, which their allowances were counted against.
    /// Months before `oldest` are not looked at.
    pub fn to_bill(
        conn: &mut DbConnection,
        customer_ids: &[i64],
        period: &str,
        oldest: &str,
    ) -> DbResult<Vec<UsageRow>> {
        let unbilled: Vec<UsageRow> = usage_events::table
            .filter(usage_events::customer_id.eq_any(customer_ids))
            .filter(usage_events::period.le(period))
            .filter(usage_events::period.ge(oldest))
            .filter(usage_events::invoice_id.is_null())
            .select(usage_columns())
            .load(conn)?;
        let late: HashSet<(i64, String)> = usage_events::table
            .filter(usage_events::customer_id.eq_any(customer_ids))
            .filter(usage_events::period.lt(period))
            .filter(usage_events::period.ge(oldest))
            .filter(usage_events::invoice_id.is_null())
            .select((usage_events::customer_id, usage_events::period))
            .distinct()
            .load::<(i64, String)>(conn)?
            .into_iter()
            .collect();
        if late.is_empty() {
            return Ok(unbilled);
        }
        let late_customers: Vec<i64> = late.iter().map(|(customer, _)| *customer).collect();
        let late_periods: Vec<&str> = late.iter().map(|(_, period)| period.as_str()).collect();
        let billed: Vec<(UsageRow, String)> = usage_events::table
            .filter(usage_events::customer_id.eq_any(late_customers))
            .filter(usage_events::period.eq_any(late_periods))
            .filter(usage_events::invoice_id.is_not_null())
            .select((usage_columns(), usage_events::period))
            .load(conn)?;
        let mut rows = unbilled;
        rows.extend(
            billed
                .into_iter()
                .filter(|(row, period)| late.contains(&(row.customer_id, period.clone())))
                .map(|(row, _)| row),
        );
        Ok(rows)
    }

    /// Records that the invoice billed the usage records not billed yet; returns how many
    /// it marked (fewer than `ids` when another invoice billed some meanwhile).
    pub fn mark_billed(conn: &mut DbConnection, ids: &[i64], invoice_id: i64) -> DbResult<usize> {
        let mut marked = 0;
        for chunk in ids.chunks(INSERT_CHUNK) {
            marked += diesel::update(usage_events::table)
                .filter(usage_events::id.eq_any(chunk))
                .filter(usage_events::invoice_id.is_null())
                .set(usage_events::invoice_id.eq(invoice_id))
                .execute(conn)?;
        }
        Ok(marked)
    }

    /// The usage of one subscription on the days from `from` to `to`.
    pub fn of_subscription(
        conn: &mut DbConnection,
        subscription_id: i64,
        from: NaiveDate,
        to: NaiveDate,
    ) -> DbResult<Vec<UsageRow>> {
        Ok(usage_events::table
            .filter(usage_events::subscription_id.eq(subscription_id))
            .filter(usage_events::occurred_on.ge(from))
            .filter(usage_events::occurred_on.le(to))
            .select(usage_columns())
            .load(conn)?)
    }
}

#[derive(Debug, Clone, PartialEq, Queryable)]
pub struct MeterRecord {
    pub id: i64,
    pub customer_id: i64,
    pub subscription_id: i64,
    pub number: String,
    #[diesel(deserialize_as = Stored<UsageUnit>)]
    pub unit: UsageUnit,
    pub created_at: Timestamp,
}

#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = meters)]
pub struct NewMeterRow {
    pub customer_id: i64,
    pub subscription_id: i64,
    pub number: String,
    #[diesel(serialize_as = Stored<UsageUnit>)]
    pub unit: UsageUnit,
    pub created_at: Timestamp,
}

impl MeterRecord {
    pub fn insert(conn: &mut DbConnection, row: NewMeterRow) -> DbResult<Self> {
        Ok(diesel::insert_into(meters::table)
            .values(row)
            .get_result(conn)?)
    }

    pub fn find(conn: &mut DbConnection, id: i64) -> DbResult<Self> {
        Ok(meters::table.find(id).first(conn)?)
    }

    pub fn of_customer(conn: &mut DbConnection, customer_id: i64) -> DbResult<Vec<Self>> {
        Ok(meters::table
            .filter(meters::customer_id.eq(customer_id))
            .order(meters::id)
            .load(conn)?)
    }

    pub fn of_subscription(conn: &mut DbConnection, subscription_id: i64) -> DbResult<Vec<Self>> {
        Ok(meters::table
            .filter(meters::subscription_id.eq(subscription_id))
            .order(meters::id)
            .load(conn)?)
    }
}

#[derive(Debug, Clone, PartialEq, Queryable)]
pub struct MeterReadingRecord {
    pub id: i64,
    pub meter_id: i64,
    pub customer_id: i64,
    pub value_milli: i64,
    pub read_at: Timestamp,
    pub replacement: bool,
    pub consumption_milli: i64,
    pub usage_event_id: Option<i64>,
    #[diesel(deserialize_as = Stored<Channel>)]
    pub channel: Channel,
    pub recorded_by: String,
    pub recorded_at: Timestamp,
}

#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = meter_readings)]
pub struct NewMeterReadingRow {
    pub meter_id: i64,
    pub customer_id: i64,
    pub value_milli: i64,
    pub read_at: Timestamp,
    pub replacement: bool,
    pub consumption_milli: i64,
    pub usage_event_id: Option<i64>,
    #[diesel(serialize_as = Stored<Channel>)]
    pub channel: Channel,
    pub recorded_by: String,
    pub recorded_at: Timestamp,
}

impl MeterReadingRecord {
    pub fn insert(conn: &mut DbConnection, row: NewMeterReadingRow) -> DbResult<Self> {
        Ok(diesel::insert_into(meter_readings::table)
            .values(row)
            .get_result(conn)?)
    }

    /// The latest reading of a meter, by the time it was read.
    pub fn latest(conn: &mut DbConnection, meter_id: i64) -> DbResult<Option<Self>> {
        Ok(meter_readings::table
            .filter(meter_readings::meter_id.eq(meter_id))
            .order((meter_readings::read_at.desc(), meter_readings::id.desc()))
            .first(conn)
            .optional()?)
    }

    pub fn of_meter(conn: &mut DbConnection, meter_id: i64) -> DbResult<Vec<Self>> {
        Ok(meter_readings::table
            .filter(meter_readings::meter_id.eq(meter_id))
            .order((meter_readings::read_at.desc(), meter_readings::id.desc()))
            .load(conn)?)
    }

    pub fn link_usage(conn: &mut DbConnection, id: i64, usage_event_id: i64) -> DbResult<()> {
        diesel::update(meter_readings::table.find(id))
            .set(meter_readings::usage_event_id.eq(Some(usage_event_id)))
            .execute(conn)?;
        Ok(())
    }
}

impl UsageEvents {
    /// Stores one event and returns its id.
    pub fn insert_one(conn: &mut DbConnection, row: NewUsageRow) -> DbResult<i64> {
        Ok(diesel::insert_into(usage_events::table)
            .values(row)
            .returning(usage_events::id)
            .get_result(conn)?)
    }
}
