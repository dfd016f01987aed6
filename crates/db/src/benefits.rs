//! Statutory discounts of customers.

use chrono::NaiveDate;
use diesel::prelude::*;
use okno_domain::benefits::BenefitKind;

use crate::schema::customer_benefits;
use crate::{DbConnection, DbResult, Stored, Timestamp};

#[derive(Debug, Clone, PartialEq, Queryable)]
pub struct BenefitRecord {
    pub id: i64,
    pub customer_id: i64,
    pub name: String,
    #[diesel(deserialize_as = Stored<BenefitKind>)]
    pub kind: BenefitKind,
    pub percent_bp: Option<i32>,
    pub amount_minor: Option<i64>,
    pub currency: Option<String>,
    pub valid_from: NaiveDate,
    pub valid_to: Option<NaiveDate>,
    pub document_reference: String,
    pub recorded_by: String,
    pub created_at: Timestamp,
}

#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = customer_benefits)]
pub struct NewBenefitRow {
    pub customer_id: i64,
    pub name: String,
    #[diesel(serialize_as = Stored<BenefitKind>)]
    pub kind: BenefitKind,
    pub percent_bp: Option<i32>,
    pub amount_minor: Option<i64>,
    pub currency: Option<String>,
    pub valid_from: NaiveDate,
    pub valid_to: Option<NaiveDate>,
    pub document_reference: String,
    pub recorded_by: String,
    pub created_at: Timestamp,
}

impl BenefitRecord {
    pub fn insert(conn: &mut DbConnection, row: NewBenefitRow) -> DbResult<Self> {
        Ok(diesel::insert_into(customer_benefits::table)
            .values(row)
            .get_result(conn)?)
    }

    pub fn find(conn: &mut DbConnection, customer_id: i64, id: i64) -> DbResult<Self> {
        Ok(customer_benefits::table
            .find(id)
            .filter(customer_benefits::customer_id.eq(customer_id))
            .first(conn)?)
    }

    pub fn of_customer(conn: &mut DbConnection, customer_id: i64) -> DbResult<Vec<Self>> {
        Ok(customer_benefits::table
            .filter(customer_benefits::customer_id.eq(customer_id))
            .order((
                customer_benefits::valid_from.desc(),
                customer_benefits::id.desc(),
            ))
            .load(conn)?)
    }

    pub fn set_valid_to(
        conn: &mut DbConnection,
        id: i64,
        valid_to: Option<NaiveDate>,
    ) -> DbResult<Self> {
        Ok(diesel::update(customer_benefits::table.find(id))
            .set(customer_benefits::valid_to.eq(valid_to))
            .get_result(conn)?)
    }
}
