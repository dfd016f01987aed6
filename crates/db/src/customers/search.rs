//! Finding customers by substrings of their search text at a million rows.
//!
//! A page is the first matches in name order. Which plan finds them fast depends on how many
//! customers match, and PostgreSQL's estimate for `LIKE '%…%'` is a guess: walking the name
//! index is instant for a word half the customers have and takes seconds for one nobody has,
//! and the trigram index is the other way round. So the search does not leave it to the
//! estimate:
//!
//! 1. it asks the trigram index (SQLite: the table) for up to [`FEW`] matches: fewer means that is all of them,
//!    sorted and done (a phone, an account number, most names);
//! 2. otherwise many customers match, and it walks the next [`WALK`] customers in name order
//!    keeping those that match: a full page there is exact (a street, a city);
//! 3. otherwise the many are further on in the alphabet (a common surname): it sorts them all.
//!
//! A query whose words are all shorter than three letters gives the trigram index nothing to
//! look up: when the walk does not fill a page it reads the whole table (docs/api.md).

use diesel::prelude::*;
use diesel::sql_types::{BigInt, Text};

use super::{CustomerFilter, CustomerListPosition, like_contains};
use crate::{DbConnection, DbResult};

/// Matches the first step reads before it counts the query common.
const FEW: i64 = 2_000;
/// Customers the second step looks at.
const WALK: i64 = 10_000;

#[derive(QueryableByName)]
struct Found {
    #[diesel(sql_type = BigInt)]
    id: i64,
}

#[derive(Debug, Clone)]
enum Bind {
    Text(String),
    Int(i64),
}

/// The conditions of `filter` and `after`, with their values in order.
struct Conditions {
    sql: Vec<String>,
    binds: Vec<Bind>,
    postgres: bool,
}

impl Conditions {
    fn placeholder(&mut self, bind: Bind) -> String {
        self.binds.push(bind);
        if self.postgres {
            format!("${}", self.binds.len())
        } else {
            "?".to_owned()
        }
    }

    fn push(&mut self, column: &str, op: &str, bind: Bind) {
        let p = self.placeholder(bind);
        self.sql.push(format!("{column} {op} {p}"));
    }

    fn clause(&self) -> String {
        if self.sql.is_empty() {
            String::new()
        } else {
            format!("WHERE {}", self.sql.join(" AND "))
        }
    }
}

/// The attribute filters and the cursor: what both steps apply before the terms.
fn listing(
    conn: &DbConnection,
    filter: &CustomerFilter,
    after: Option<&CustomerListPosition>,
) -> Conditions {
    let mut c = Conditions {
        sql: Vec::new(),
        binds: Vec::new(),
        postgres: matches!(conn, DbConnection::Postgresql(_)),
    };
    if let Some(status) = filter.status {
        c.push("status", "=", Bind::Text(status.as_str().into()));
    }
    if let Some(segment) = filter.segment {
        c.push("segment", "=", Bind::Text(segment.as_str().into()));
    }
    if let Some(kind) = filter.kind {
        c.push("kind", "=", Bind::Text(kind.as_str().into()));
    }
    if let Some(sales_point_id) = filter.sales_point_id {
        c.push("sales_point_id", "=", Bind::Int(sales_point_id));
    }
    if let Some(after) = after {
        let name = c.placeholder(Bind::Text(after.display_name.clone()));
        let same = c.placeholder(Bind::Text(after.display_name.clone()));
        let id = c.placeholder(Bind::Int(after.id));
        c.sql.push(format!(
            "(display_name > {name} OR (display_name = {same} AND id > {id}))"
        ));
    }
    c
}

fn with_terms(mut c: Conditions, filter: &CustomerFilter) -> Conditions {
    for term in &filter.terms {
        let p = c.placeholder(Bind::Text(like_contains(term)));
        c.sql.push(format!("search_text LIKE {p} ESCAPE '\\'"));
    }
    c
}

fn ids(conn: &mut DbConnection, sql: &str, binds: &[Bind]) -> DbResult<Vec<i64>> {
    let found: Vec<Found> = crate::on_each_backend!(conn, |c| {
        let mut query = diesel::sql_query(sql).into_boxed();
        for bind in binds {
            query = match bind {
                Bind::Text(text) => query.bind::<Text, _>(text.clone()),
                Bind::Int(n) => query.bind::<BigInt, _>(*n),
            };
        }
        query.load(c)
    })?;
    Ok(found.into_iter().map(|f| f.id).collect())
}

/// The ids of the first `limit` customers in name order after `after` matching every term and
/// attribute of `filter`.
pub(super) fn matching_ids(
    conn: &mut DbConnection,
    filter: &CustomerFilter,
    after: Option<&CustomerListPosition>,
    limit: i64,
) -> DbResult<Vec<i64>> {
    // 1. Up to FEW matches, by the trigram index; the fence (`OFFSET 0`) keeps PostgreSQL
    //    from planning the match together with the order, which brings back the name walk.
    //    (SQLite has neither the index nor the need: it reads the table.)
    let mut matching = with_terms(listing(conn, filter, after), filter);
    // SQLite flattens the subquery and walks the name index for the order, reading every
    // row at random (0.14 s at 100 000 customers); `+` keeps the index out of the order.
    let (fence, order) = if matching.postgres {
        ("OFFSET 0", "display_name, id")
    } else {
        ("", "+display_name, id")
    };
    let few = format!(
        "SELECT id, display_name FROM customers {} {fence} LIMIT {}",
        matching.clause(),
        FEW + 1
    );
    let found = ids(
        conn,
        &format!("SELECT id FROM ({few}) matched ORDER BY {order}"),
        &matching.binds,
    )?;
    if found.len() <= usize::try_from(FEW).unwrap_or(usize::MAX) {
        return Ok(found
            .into_iter()
            .take(usize::try_from(limit).unwrap_or(usize::MAX))
            .collect());
    }
    // 2. Many match: the first page is likely among the next customers in name order.
    let walked = listing(conn, filter, after);
    let walk = format!(
        "SELECT id, display_name, search_text FROM customers {} \
         ORDER BY display_name, id LIMIT {WALK}",
        walked.clause()
    );
    matching = with_terms(
        Conditions {
            sql: Vec::new(),
            ..walked
        },
        filter,
    );
    let first = format!(
        "SELECT id FROM ({walk}) walked {} ORDER BY display_name, id LIMIT {limit}",
        matching.clause()
    );
    let found = ids(conn, &first, &matching.binds)?;
    if i64::try_from(found.len()).unwrap_or(i64::MAX) >= limit {
        return Ok(found);
    }
    // 3. Many match, but further on in the alphabet (a common surname): all of them, sorted.
    matching = with_terms(listing(conn, filter, after), filter);
    let all = format!(
        "SELECT id FROM (SELECT id, display_name FROM customers {} {fence}) matched \
         ORDER BY {order} LIMIT {limit}",
        matching.clause()
    );
    ids(conn, &all, &matching.binds)
}
