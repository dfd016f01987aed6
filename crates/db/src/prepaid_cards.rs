//! Prepaid express-payment cards: batches, and each card's hashed code.

use chrono::NaiveDate;
use diesel::prelude::*;

use crate::schema::{prepaid_card_batches, prepaid_cards};
use crate::{DbConnection, DbResult, Timestamp};

#[derive(Debug, Clone, PartialEq, Eq, Queryable)]
pub struct CardBatchRecord {
    pub id: i64,
    pub cards: i32,
    pub value_minor: i64,
    pub currency: String,
    pub valid_until: NaiveDate,
    pub created_by: String,
    pub created_at: Timestamp,
}

#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = prepaid_card_batches)]
pub struct NewCardBatchRow {
    pub cards: i32,
    pub value_minor: i64,
    pub currency: String,
    pub valid_until: NaiveDate,
    pub created_by: String,
    pub created_at: Timestamp,
}

#[derive(Debug, Clone, PartialEq, Eq, Queryable)]
pub struct CardRecord {
    pub id: i64,
    pub batch_id: i64,
    pub serial: String,
    pub code_hash: String,
    pub redeemed_at: Option<Timestamp>,
    pub payment_id: Option<i64>,
}

#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = prepaid_cards)]
pub struct NewCardRow {
    pub batch_id: i64,
    pub serial: String,
    pub code_hash: String,
}

impl CardBatchRecord {
    pub fn insert(conn: &mut DbConnection, row: NewCardBatchRow) -> DbResult<Self> {
        let id: i64 =
            crate::on_each_backend!(conn, |c| diesel::insert_into(prepaid_card_batches::table)
                .values(row)
                .returning(prepaid_card_batches::id)
                .get_result(c))?;
        Self::find(conn, id)
    }

    pub fn find(conn: &mut DbConnection, id: i64) -> DbResult<Self> {
        Ok(prepaid_card_batches::table.find(id).first(conn)?)
    }

    /// Newest first, with how many of each batch's cards are redeemed.
    pub fn list(conn: &mut DbConnection, limit: usize) -> DbResult<Vec<(Self, i64)>> {
        let batches: Vec<Self> = prepaid_card_batches::table
            .order(prepaid_card_batches::id.desc())
            .limit(i64::try_from(limit).unwrap_or(i64::MAX))
            .load(conn)?;
        let mut listed = Vec::with_capacity(batches.len());
        for batch in batches {
            let redeemed: i64 = prepaid_cards::table
                .filter(prepaid_cards::batch_id.eq(batch.id))
                .filter(prepaid_cards::redeemed_at.is_not_null())
                .count()
                .get_result(conn)?;
            listed.push((batch, redeemed));
        }
        Ok(listed)
    }
}

impl CardRecord {
    /// Stores the cards; `false` when a code's hash is taken (a collision of random codes).
    pub fn insert_all(conn: &mut DbConnection, rows: Vec<NewCardRow>) -> DbResult<bool> {
        let wanted = rows.len();
        let mut inserted = 0;
        // One by one: SQLite takes no batch insert with ON CONFLICT; a batch is made once.
        for row in rows {
            inserted +=
                crate::on_each_backend!(conn, |c| diesel::insert_into(prepaid_cards::table)
                    .values(row)
                    .on_conflict_do_nothing()
                    .execute(c))?;
        }
        Ok(inserted == wanted)
    }

    pub fn find_by_hash(conn: &mut DbConnection, code_hash: &str) -> DbResult<Option<Self>> {
        Ok(prepaid_cards::table
            .filter(prepaid_cards::code_hash.eq(code_hash))
            .first(conn)
            .optional()?)
    }

    /// Marks the card redeemed by the payment unless it was redeemed already; whether this
    /// redeemed it.
    pub fn redeem(
        conn: &mut DbConnection,
        id: i64,
        payment_id: i64,
        at: Timestamp,
    ) -> DbResult<bool> {
        let changed = diesel::update(
            prepaid_cards::table
                .find(id)
                .filter(prepaid_cards::redeemed_at.is_null()),
        )
        .set((
            prepaid_cards::redeemed_at.eq(Some(at)),
            prepaid_cards::payment_id.eq(Some(payment_id)),
        ))
        .execute(conn)?;
        Ok(changed == 1)
    }
}
