//! Staff users.

use diesel::prelude::*;
use okno_domain::access::Role;

use crate::schema::users;
use crate::{DbConnection, DbError, DbResult, Stored, Timestamp};

#[derive(Debug, Clone, PartialEq, Queryable)]
pub struct UserRecord {
    pub id: i64,
    pub username: String,
    pub display_name: String,
    #[diesel(deserialize_as = Stored<Role>)]
    pub role: Role,
    pub sales_point_id: Option<i64>,
    pub password_hash: String,
    pub active: bool,
    pub created_at: Timestamp,
    pub password_changed_at: Timestamp,
    pub version: i64,
}

#[derive(Debug, Insertable)]
#[diesel(table_name = users)]
pub struct NewUserRow<'a> {
    pub username: &'a str,
    pub display_name: &'a str,
    pub role: &'a str,
    pub sales_point_id: Option<i64>,
    pub password_hash: &'a str,
    pub active: bool,
    pub created_at: Timestamp,
    pub password_changed_at: Timestamp,
    pub version: i64,
}

/// Changes to a user; `None` leaves a column as it is.
#[derive(Debug, Default, AsChangeset)]
#[diesel(table_name = users)]
pub struct UserChanges {
    pub display_name: Option<String>,
    pub role: Option<Stored<Role>>,
    pub sales_point_id: Option<Option<i64>>,
    pub active: Option<bool>,
    pub password_hash: Option<String>,
    pub password_changed_at: Option<Timestamp>,
}

#[derive(Debug, Default, Clone)]
pub struct UserFilter {
    pub role: Option<Role>,
    pub sales_point_id: Option<i64>,
    pub active: Option<bool>,
}

impl UserRecord {
    pub fn insert(conn: &mut DbConnection, row: &NewUserRow<'_>) -> DbResult<Self> {
        diesel::insert_into(users::table)
            .values(row)
            .get_result(conn)
            .map_err(|e| DbError::from(e).duplicate_of("username"))
    }

    pub fn find(conn: &mut DbConnection, id: i64) -> DbResult<Self> {
        Ok(users::table.find(id).first(conn)?)
    }

    pub fn find_by_username(conn: &mut DbConnection, username: &str) -> DbResult<Option<Self>> {
        Ok(users::table
            .filter(users::username.eq(username))
            .first(conn)
            .optional()?)
    }

    /// Users in id order, after `after_id`.
    pub fn list(
        conn: &mut DbConnection,
        filter: &UserFilter,
        after_id: Option<i64>,
        limit: i64,
    ) -> DbResult<Vec<Self>> {
        let mut query = users::table.order(users::id).limit(limit).into_boxed();
        if let Some(role) = filter.role {
            query = query.filter(users::role.eq(role.as_str()));
        }
        if let Some(sales_point_id) = filter.sales_point_id {
            query = query.filter(users::sales_point_id.eq(sales_point_id));
        }
        if let Some(active) = filter.active {
            query = query.filter(users::active.eq(active));
        }
        if let Some(after_id) = after_id {
            query = query.filter(users::id.gt(after_id));
        }
        Ok(query.load(conn)?)
    }

    /// Applies `changes` if the user is still at `version`; [`DbError::Stale`] otherwise.
    pub fn update(
        conn: &mut DbConnection,
        id: i64,
        version: i64,
        changes: &UserChanges,
    ) -> DbResult<Self> {
        let updated = diesel::update(users::table.find(id).filter(users::version.eq(version)))
            .set((changes, users::version.eq(users::version + 1)))
            .get_result(conn)
            .optional()?;
        match updated {
            Some(user) => Ok(user),
            None => Err(stale_or_missing(Self::find(conn, id))),
        }
    }
}

/// After a guarded update touched nothing: the record is gone, or someone changed it first.
pub(crate) fn stale_or_missing<T>(current: DbResult<T>) -> DbError {
    match current {
        Ok(_) => DbError::Stale,
        Err(error) => error,
    }
}
