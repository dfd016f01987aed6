//! Online payments: checkouts at the payment gateway and the gateway's notifications,
//! each acted on once.

use diesel::prelude::*;
use okno_domain::payments::online::{CheckoutPurpose, CheckoutStatus};

use crate::schema::{gateway_events, online_checkouts};
use crate::{DbConnection, DbResult, Stored, Timestamp};

#[derive(Debug, Clone, PartialEq, Eq, Queryable)]
pub struct CheckoutRecord {
    pub id: i64,
    pub customer_id: i64,
    #[diesel(deserialize_as = Stored<CheckoutPurpose>)]
    pub purpose: CheckoutPurpose,
    pub invoice_id: Option<i64>,
    pub amount_minor: i64,
    pub currency: String,
    pub gateway: String,
    pub session_id: Option<String>,
    pub checkout_url: Option<String>,
    #[diesel(deserialize_as = Stored<CheckoutStatus>)]
    pub status: CheckoutStatus,
    pub created_at: Timestamp,
    pub expires_at: Timestamp,
    pub finished_at: Option<Timestamp>,
    pub payment_id: Option<i64>,
    pub failure: Option<String>,
}

#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = online_checkouts)]
pub struct NewCheckoutRow {
    pub customer_id: i64,
    #[diesel(serialize_as = Stored<CheckoutPurpose>)]
    pub purpose: CheckoutPurpose,
    pub invoice_id: Option<i64>,
    pub amount_minor: i64,
    pub currency: String,
    pub gateway: String,
    #[diesel(serialize_as = Stored<CheckoutStatus>)]
    pub status: CheckoutStatus,
    pub created_at: Timestamp,
    pub expires_at: Timestamp,
}

impl CheckoutRecord {
    pub fn insert(conn: &mut DbConnection, row: NewCheckoutRow) -> DbResult<Self> {
        let id: i64 =
            crate::on_each_backend!(conn, |c| diesel::insert_into(online_checkouts::table)
                .values(row)
                .returning(online_checkouts::id)
                .get_result(c))?;
        Self::find(conn, id)
    }

    pub fn find(conn: &mut DbConnection, id: i64) -> DbResult<Self> {
        Ok(online_checkouts::table.find(id).first(conn)?)
    }

    /// The checkout the gateway knows by `session_id`.
    pub fn find_by_session(
        conn: &mut DbConnection,
        gateway: &str,
        session_id: &str,
    ) -> DbResult<Option<Self>> {
        Ok(online_checkouts::table
            .filter(online_checkouts::gateway.eq(gateway))
            .filter(online_checkouts::session_id.eq(session_id))
            .first(conn)
            .optional()?)
    }

    /// Records the gateway's session and the page the subscriber is sent to.
    pub fn started(
        conn: &mut DbConnection,
        id: i64,
        session_id: &str,
        checkout_url: &str,
    ) -> DbResult<()> {
        diesel::update(online_checkouts::table.find(id))
            .set((
                online_checkouts::session_id.eq(Some(session_id)),
                online_checkouts::checkout_url.eq(Some(checkout_url)),
            ))
            .execute(conn)?;
        Ok(())
    }

    /// Moves the checkout from `from` to `to`; `false` when it was no longer at `from` (another
    /// notification moved it first).
    pub fn finish(
        conn: &mut DbConnection,
        id: i64,
        from: CheckoutStatus,
        to: CheckoutStatus,
        payment_id: Option<i64>,
        failure: Option<&str>,
        at: Timestamp,
    ) -> DbResult<bool> {
        let changed = diesel::update(
            online_checkouts::table
                .find(id)
                .filter(online_checkouts::status.eq(from.as_str())),
        )
        .set((
            online_checkouts::status.eq(to.as_str()),
            online_checkouts::payment_id.eq(payment_id),
            online_checkouts::failure.eq(failure),
            online_checkouts::finished_at.eq(Some(at)),
        ))
        .execute(conn)?;
        Ok(changed == 1)
    }

    /// The customer's checkouts, newest first.
    pub fn of_customer(
        conn: &mut DbConnection,
        customer_id: i64,
        limit: usize,
    ) -> DbResult<Vec<Self>> {
        Ok(online_checkouts::table
            .filter(online_checkouts::customer_id.eq(customer_id))
            .order(online_checkouts::id.desc())
            .limit(i64::try_from(limit).unwrap_or(i64::MAX))
            .load(conn)?)
    }
}

#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = gateway_events)]
pub struct NewGatewayEventRow {
    pub gateway: String,
    pub event_id: String,
    pub event_type: String,
    pub received_at: Timestamp,
    pub checkout_id: Option<i64>,
    pub outcome: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Queryable)]
pub struct GatewayEventRecord {
    pub id: i64,
    pub gateway: String,
    pub event_id: String,
    pub event_type: String,
    pub received_at: Timestamp,
    pub checkout_id: Option<i64>,
    pub outcome: String,
}

impl GatewayEventRecord {
    /// Takes the notification unless it was taken before; `false` for a replay. Two
    /// deliveries at once: the second waits for the first to commit and takes nothing.
    pub fn take(conn: &mut DbConnection, row: NewGatewayEventRow) -> DbResult<bool> {
        let inserted =
            crate::on_each_backend!(conn, |c| diesel::insert_into(gateway_events::table)
                .values(row)
                .on_conflict_do_nothing()
                .execute(c))?;
        Ok(inserted == 1)
    }

    /// What was made of the notification, once it is known.
    pub fn set_outcome(
        conn: &mut DbConnection,
        gateway: &str,
        event_id: &str,
        checkout_id: Option<i64>,
        outcome: &str,
    ) -> DbResult<()> {
        diesel::update(
            gateway_events::table
                .filter(gateway_events::gateway.eq(gateway))
                .filter(gateway_events::event_id.eq(event_id)),
        )
        .set((
            gateway_events::checkout_id.eq(checkout_id),
            gateway_events::outcome.eq(outcome),
        ))
        .execute(conn)?;
        Ok(())
    }

    pub fn find(conn: &mut DbConnection, gateway: &str, event_id: &str) -> DbResult<Option<Self>> {
        Ok(gateway_events::table
            .filter(gateway_events::gateway.eq(gateway))
            .filter(gateway_events::event_id.eq(event_id))
            .first(conn)
            .optional()?)
    }
}
