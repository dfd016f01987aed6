//! Numbers handed out in order, inside the caller's transaction: a number taken by a
//! transaction that rolls back is handed out again, so sequences have no gaps.

use diesel::prelude::*;

use crate::schema::number_sequences::dsl::{name, next_value, number_sequences};
use crate::{DbConnection, DbResult};

/// Takes the next value of the named sequence, starting at 1. The row lock (PostgreSQL) or the
/// write lock (SQLite) is held until the caller's transaction ends, so concurrent callers get
/// consecutive values in commit order.
pub fn take_next(conn: &mut DbConnection, sequence: &str) -> DbResult<i64> {
    crate::on_each_backend!(conn, |c| {
        diesel::insert_into(number_sequences)
            .values((name.eq(sequence), next_value.eq(1_i64)))
            .on_conflict_do_nothing()
            .execute(c)
    })?;
    let after: i64 = diesel::update(number_sequences.find(sequence))
        .set(next_value.eq(next_value + 1))
        .returning(next_value)
        .get_result(conn)?;
    Ok(after - 1)
}

/// Takes `count` consecutive values of the named sequence at once and returns the first, for
/// issuing many numbers in one transaction (a billing batch). Same locking as [`take_next`].
pub fn take_block(conn: &mut DbConnection, sequence: &str, count: i64) -> DbResult<i64> {
    crate::on_each_backend!(conn, |c| {
        diesel::insert_into(number_sequences)
            .values((name.eq(sequence), next_value.eq(1_i64)))
            .on_conflict_do_nothing()
            .execute(c)
    })?;
    let after: i64 = diesel::update(number_sequences.find(sequence))
        .set(next_value.eq(next_value + count.max(0)))
        .returning(next_value)
        .get_result(conn)?;
    Ok(after - count.max(0))
}

/// Every sequence with the next value it would hand out.
pub fn all(conn: &mut DbConnection) -> DbResult<Vec<(String, i64)>> {
    Ok(number_sequences.select((name, next_value)).load(conn)?)
}
