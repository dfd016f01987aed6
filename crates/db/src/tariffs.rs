//! The price list: tariffs, their versions, and products.

use chrono::NaiveDate;
use diesel::prelude::*;
use okno_domain::tariffs::ServiceKind;

use crate::schema::{products, tariff_versions, tariffs};
use crate::{DbConnection, DbError, DbResult, Stored, Timestamp};

#[derive(Debug, Clone, PartialEq, Queryable)]
pub struct TariffRecord {
    pub id: i64,
    pub code: String,
    pub name: String,
    #[diesel(deserialize_as = Stored<ServiceKind>)]
    pub service_kind: ServiceKind,
    pub description: Option<String>,
    pub active: bool,
    pub created_at: Timestamp,
}

#[derive(Debug, Clone, PartialEq, Queryable)]
pub struct TariffVersionRecord {
    pub id: i64,
    pub tariff_id: i64,
    pub version_no: i32,
    pub effective_from: NaiveDate,
    pub monthly_fee_minor: i64,
    pub currency: String,
    pub vat_rate_bp: i32,
    pub prepaid: bool,
    /// JSON array of one-off fees.
    pub one_off_fees: String,
    /// JSON array of usage rates.
    pub usage_rates: String,
    pub published_by: String,
    pub published_at: Timestamp,
}

#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = tariff_versions)]
pub struct NewTariffVersionRow {
    pub tariff_id: i64,
    pub version_no: i32,
    pub effective_from: NaiveDate,
    pub monthly_fee_minor: i64,
    pub currency: String,
    pub vat_rate_bp: i32,
    pub prepaid: bool,
    pub one_off_fees: String,
    pub usage_rates: String,
    pub published_by: String,
    pub published_at: Timestamp,
}

impl TariffRecord {
    pub fn insert(
        conn: &mut DbConnection,
        code: &str,
        name: &str,
        service_kind: ServiceKind,
        description: Option<&str>,
        now: Timestamp,
    ) -> DbResult<Self> {
        diesel::insert_into(tariffs::table)
            .values((
                tariffs::code.eq(code),
                tariffs::name.eq(name),
                tariffs::service_kind.eq(service_kind.as_str()),
                tariffs::description.eq(description),
                tariffs::active.eq(true),
                tariffs::created_at.eq(now),
            ))
            .get_result(conn)
            .map_err(|e| DbError::from(e).duplicate_of("code"))
    }

    pub fn find(conn: &mut DbConnection, id: i64) -> DbResult<Self> {
        Ok(tariffs::table.find(id).first(conn)?)
    }

    pub fn list(conn: &mut DbConnection) -> DbResult<Vec<Self>> {
        Ok(tariffs::table.order(tariffs::code).load(conn)?)
    }

    pub fn update(
        conn: &mut DbConnection,
        id: i64,
        name: Option<&str>,
        active: Option<bool>,
    ) -> DbResult<Self> {
        if let Some(name) = name {
            diesel::update(tariffs::table.find(id))
                .set(tariffs::name.eq(name))
                .execute(conn)?;
        }
        if let Some(active) = active {
            diesel::update(tariffs::table.find(id))
                .set(tariffs::active.eq(active))
                .execute(conn)?;
        }
        Self::find(conn, id)
    }
}

impl TariffVersionRecord {
    /// Publishes a version with the next number; [`DbError::Duplicate`] if the tariff has one
    /// with the same effective date.
    pub fn publish(conn: &mut DbConnection, row: &NewTariffVersionRow) -> DbResult<Self> {
        diesel::insert_into(tariff_versions::table)
            .values(row)
            .get_result(conn)
            .map_err(|e| DbError::from(e).duplicate_of("effective_from"))
    }

    pub fn next_number(conn: &mut DbConnection, tariff_id: i64) -> DbResult<i32> {
        let last: Option<i32> = tariff_versions::table
            .filter(tariff_versions::tariff_id.eq(tariff_id))
            .select(diesel::dsl::max(tariff_versions::version_no))
            .first(conn)?;
        Ok(last.unwrap_or(0) + 1)
    }

    /// All versions of a tariff, oldest first.
    pub fn of_tariff(conn: &mut DbConnection, tariff_id: i64) -> DbResult<Vec<Self>> {
        Ok(tariff_versions::table
            .filter(tariff_versions::tariff_id.eq(tariff_id))
            .order(tariff_versions::effective_from)
            .load(conn)?)
    }

    /// All versions of all tariffs, by tariff and date: the whole price history, for billing.
    pub fn all(conn: &mut DbConnection) -> DbResult<Vec<Self>> {
        Ok(tariff_versions::table
            .order((tariff_versions::tariff_id, tariff_versions::effective_from))
            .load(conn)?)
    }
}

#[derive(Debug, Clone, PartialEq, Queryable)]
pub struct ProductRecord {
    pub id: i64,
    pub code: String,
    pub name: String,
    pub price_minor: i64,
    pub currency: String,
    pub vat_rate_bp: i32,
    pub active: bool,
    pub created_at: Timestamp,
}

impl ProductRecord {
    pub fn insert(
        conn: &mut DbConnection,
        code: &str,
        name: &str,
        price_minor: i64,
        currency: &str,
        vat_rate_bp: i32,
        now: Timestamp,
    ) -> DbResult<Self> {
        diesel::insert_into(products::table)
            .values((
                products::code.eq(code),
                products::name.eq(name),
                products::price_minor.eq(price_minor),
                products::currency.eq(currency),
                products::vat_rate_bp.eq(vat_rate_bp),
                products::active.eq(true),
                products::created_at.eq(now),
            ))
            .get_result(conn)
            .map_err(|e| DbError::from(e).duplicate_of("code"))
    }

    pub fn list(conn: &mut DbConnection) -> DbResult<Vec<Self>> {
        Ok(products::table.order(products::code).load(conn)?)
    }
}
