//! Reference data: sales points and contact topics.

use diesel::prelude::*;

use crate::schema::{sales_points, topics};
use crate::{DbConnection, DbError, DbResult, Timestamp};

#[derive(Debug, Clone, PartialEq, Queryable)]
pub struct SalesPointRecord {
    pub id: i64,
    pub code: String,
    pub name: String,
    /// `head_office` or `sales_point`.
    pub kind: String,
    pub parent_id: Option<i64>,
    pub address: String,
    pub phone: Option<String>,
    pub active: bool,
    pub created_at: Timestamp,
}

#[derive(Debug, Insertable)]
#[diesel(table_name = sales_points)]
pub struct NewSalesPointRow<'a> {
    pub code: &'a str,
    pub name: &'a str,
    pub kind: &'a str,
    pub parent_id: Option<i64>,
    pub address: &'a str,
    pub phone: Option<&'a str>,
    pub active: bool,
    pub created_at: Timestamp,
}

impl SalesPointRecord {
    pub fn insert(conn: &mut DbConnection, row: &NewSalesPointRow<'_>) -> DbResult<Self> {
        diesel::insert_into(sales_points::table)
            .values(row)
            .get_result(conn)
            .map_err(|e| DbError::from(e).duplicate_of("code"))
    }

    pub fn find(conn: &mut DbConnection, id: i64) -> DbResult<Self> {
        Ok(sales_points::table.find(id).first(conn)?)
    }

    pub fn find_by_code(conn: &mut DbConnection, code: &str) -> DbResult<Option<Self>> {
        Ok(sales_points::table
            .filter(sales_points::code.eq(code))
            .first(conn)
            .optional()?)
    }

    pub fn exists(conn: &mut DbConnection, id: i64) -> DbResult<bool> {
        Ok(diesel::select(diesel::dsl::exists(sales_points::table.find(id))).get_result(conn)?)
    }

    pub fn list(conn: &mut DbConnection) -> DbResult<Vec<Self>> {
        Ok(sales_points::table.order(sales_points::id).load(conn)?)
    }
}

#[derive(Debug, Clone, PartialEq, Queryable)]
pub struct TopicRecord {
    pub id: i64,
    pub code: String,
    pub name_en: String,
    pub name_pl: Option<String>,
    pub name_ru: Option<String>,
    pub active: bool,
    pub created_at: Timestamp,
}

#[derive(Debug, Insertable)]
#[diesel(table_name = topics)]
pub struct NewTopicRow<'a> {
    pub code: &'a str,
    pub name_en: &'a str,
    pub name_pl: Option<&'a str>,
    pub name_ru: Option<&'a str>,
    pub active: bool,
    pub created_at: Timestamp,
}

#[derive(Debug, Default, AsChangeset)]
#[diesel(table_name = topics)]
pub struct TopicChanges {
    pub name_en: Option<String>,
    pub name_pl: Option<Option<String>>,
    pub name_ru: Option<Option<String>>,
    pub active: Option<bool>,
}

impl TopicRecord {
    pub fn insert(conn: &mut DbConnection, row: &NewTopicRow<'_>) -> DbResult<Self> {
        diesel::insert_into(topics::table)
            .values(row)
            .get_result(conn)
            .map_err(|e| DbError::from(e).duplicate_of("code"))
    }

    pub fn find(conn: &mut DbConnection, id: i64) -> DbResult<Self> {
        Ok(topics::table.find(id).first(conn)?)
    }

    pub fn list(conn: &mut DbConnection) -> DbResult<Vec<Self>> {
        Ok(topics::table.order(topics::code).load(conn)?)
    }

    pub fn update(conn: &mut DbConnection, id: i64, changes: &TopicChanges) -> DbResult<Self> {
        if changes.name_en.is_none()
            && changes.name_pl.is_none()
            && changes.name_ru.is_none()
            && changes.active.is_none()
        {
            return Self::find(conn, id);
        }
        Ok(diesel::update(topics::table.find(id))
            .set(changes)
            .get_result(conn)?)
    }
}
