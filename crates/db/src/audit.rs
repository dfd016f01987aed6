//! The audit log: who read or changed whose personal data, when and why.

use diesel::prelude::*;

use crate::schema::audit_log;
use crate::{DbConnection, DbResult, Timestamp};

#[derive(Debug, Clone, PartialEq, Queryable)]
pub struct AuditRecord {
    pub id: i64,
    pub occurred_at: Timestamp,
    pub actor_kind: String,
    pub actor_id: Option<i64>,
    pub actor_name: String,
    pub action: String,
    pub customer_id: Option<i64>,
    pub detail: Option<String>,
    pub request_id: Option<String>,
}

#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = audit_log)]
pub struct NewAuditRow {
    pub occurred_at: Timestamp,
    pub actor_kind: String,
    pub actor_id: Option<i64>,
    pub actor_name: String,
    pub action: String,
    pub customer_id: Option<i64>,
    pub detail: Option<String>,
    pub request_id: Option<String>,
}

#[derive(Debug, Default, Clone)]
pub struct AuditFilter {
    pub customer_id: Option<i64>,
    /// Staff actor.
    pub user_id: Option<i64>,
    pub action: Option<String>,
    pub from: Option<Timestamp>,
    pub to: Option<Timestamp>,
}

impl AuditRecord {
    pub fn insert(conn: &mut DbConnection, row: &NewAuditRow) -> DbResult<()> {
        diesel::insert_into(audit_log::table)
            .values(row)
            .execute(conn)?;
        Ok(())
    }

    /// Many entries in one statement on each backend.
    pub fn insert_many(conn: &mut DbConnection, rows: &[NewAuditRow]) -> DbResult<()> {
        crate::on_each_backend!(conn, |c| diesel::insert_into(audit_log::table)
            .values(rows)
            .execute(c))?;
        Ok(())
    }

    /// Newest first, before `before_id`.
    pub fn list(
        conn: &mut DbConnection,
        filter: &AuditFilter,
        before_id: Option<i64>,
        limit: i64,
    ) -> DbResult<Vec<Self>> {
        let mut query = audit_log::table
            .order(audit_log::id.desc())
            .limit(limit)
            .into_boxed();
        if let Some(customer_id) = filter.customer_id {
            query = query.filter(audit_log::customer_id.eq(customer_id));
        }
        if let Some(user_id) = filter.user_id {
            query = query
                .filter(audit_log::actor_kind.eq("staff"))
                .filter(audit_log::actor_id.eq(user_id));
        }
        if let Some(action) = &filter.action {
            query = query.filter(audit_log::action.eq(action.clone()));
        }
        if let Some(from) = filter.from {
            query = query.filter(audit_log::occurred_at.ge(from));
        }
        if let Some(to) = filter.to {
            query = query.filter(audit_log::occurred_at.lt(to));
        }
        if let Some(before_id) = before_id {
            query = query.filter(audit_log::id.lt(before_id));
        }
        Ok(query.load(conn)?)
    }
}
