//! Generated load: an operator of any size (`okno seed --generate N`), for the billing and
//! hot-path benchmarks, the concurrency and crash tests, and for trying a release on realistic
//! volumes before an upgrade. Customers are what registering them through the API would
//! store (checked by the same rules, found by the same search text, numbered in the same
//! scheme); rows are written in bulk (`COPY` on PostgreSQL), not through the API: a million
//! customers take minutes, not days.
//!
//! The month billed: every active customer has internet, one in four also a phone line with
//! five calls; every twentieth changes tariff mid-month, every fiftieth pauses ten days, every
//! thirty-third active one has a 50 % benefit. One in twenty is a prospect without a contract,
//! one in twenty closed, their contract ended before the month. Customers have about two
//! contacts each over the year before.

pub(crate) mod bulk;
mod contacts;
mod operator;
mod people;
mod places;

use chrono::{Datelike, Duration, NaiveDate, NaiveDateTime};
use diesel::connection::SimpleConnection;
use diesel::prelude::*;
use okno_db::customers::{CustomerRecord, search_text};
use okno_db::schema::tariffs;
use okno_db::{DbConnection, DbError, sequences, write_transaction};
use okno_domain::billing::Period;
use okno_domain::customers::{AccountNumber, CustomerStatus};
use okno_domain::validation::Validator;

use self::bulk::{Value, load};
use self::contacts::Desk;
pub use self::operator::{FLATS_PER_BUILDING, status_of};
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;

/// What was generated.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Generated {
    pub customers: usize,
    /// Customers billed for the month: neither prospects nor closed.
    pub active: usize,
    pub subscriptions: usize,
    pub usage_events: usize,
    pub interactions: usize,
}

/// The steps of a generation, in order, for a progress bar.
pub const STEPS: [&str; 10] = [
    "customers",
    "contracts",
    "subscriptions",
    "tariff history",
    "pauses",
    "benefits",
    "calls",
    "contacts",
    "indexes",
    "statistics",
];

/// The tables generated rows go to.
const TABLES: [&str; 8] = [
    "customers",
    "contracts",
    "subscriptions",
    "subscription_tariffs",
    "contract_suspensions",
    "customer_benefits",
    "usage_events",
    "interactions",
];

/// Generates `customers` customers billable for `period` into a database without customers,
/// with the demo staff and price list when they are missing, in one transaction. `progress`
/// hears each step (its index in [`STEPS`]) with the customers it has gone through, at its
/// start and every few thousand customers. `None` when the database has customers already:
/// generated rows take ids from 1.
pub fn seed_generated(
    state: &AppState,
    conn: &mut DbConnection,
    period: Period,
    customers: usize,
    progress: &mut dyn FnMut(usize, u64),
) -> ApiResult<Option<Generated>> {
    if !CustomerRecord::list(conn, &Default::default(), None, 1)?.is_empty() {
        return Ok(None);
    }
    super::seed_staff(state, conn)?;
    let generated = write_transaction(conn, |conn| {
        let indexes = bulk::drop_secondary_indexes(conn, &TABLES)?;
        let generated = generate(conn, period, customers, progress)?;
        progress(8, 0);
        bulk::create_indexes(conn, &indexes)?;
        if let DbConnection::Postgresql(_) = conn {
            // The rows carry their ids; the sequences move past them for the rows to come.
            for table in TABLES {
                conn.batch_execute(&format!(
                    "SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT MAX(id) FROM {table}))"
                ))
                .map_err(DbError::from)?;
            }
        }
        Ok::<_, ApiError>(generated)
    })?;
    progress(9, 0);
    if let DbConnection::Postgresql(_) = conn {
        // As in a database in use, the planner knows the tables' sizes.
        conn.batch_execute("ANALYZE").map_err(DbError::from)?;
    }
    Ok(Some(generated))
}

fn number(n: usize) -> u64 {
    u64::try_from(n).unwrap_or(u64::MAX)
}

fn day_stamp(day: NaiveDate) -> Value {
    Value::Text(format!("{day} 08:00:00"))
}

fn date(day: NaiveDate) -> Value {
    Value::Text(day.to_string())
}

fn stamp(at: NaiveDateTime) -> Value {
    Value::Text(at.format("%Y-%m-%d %H:%M:%S").to_string())
}

fn id(n: usize) -> Value {
    Value::Int(i64::try_from(n).unwrap_or(i64::MAX))
}

fn number_id(n: u64) -> Value {
    Value::Int(i64::try_from(n).unwrap_or(i64::MAX))
}

/// Customers between two reports of progress.
const PROGRESS_EVERY: u64 = 5_000;

/// A table's rows, customer by customer: `of` gives customer `n`'s rows (often none). Every
/// table is made this way, so progress is counted in customers throughout.
fn per_customer<'a>(
    customers: u64,
    step: usize,
    progress: &'a mut dyn FnMut(usize, u64),
    mut of: impl FnMut(u64) -> Result<Vec<Vec<Value>>, String> + 'a,
) -> impl Iterator<Item = Result<Vec<Value>, String>> + 'a {
    progress(step, 0);
    (1..=customers).flat_map(move |n| {
        if n % PROGRESS_EVERY == 0 || n == customers {
            progress(step, n);
        }
        match of(n) {
            Ok(rows) => rows.into_iter().map(Ok).collect::<Vec<_>>(),
            Err(e) => vec![Err(e)],
        }
    })
}

/// Counts rows as they are made, for the ids of tables nothing refers to.
struct Counter(usize);

impl Counter {
    fn next(&mut self) -> Value {
        self.0 += 1;
        id(self.0)
    }
}

/// The month the rows are for, and what they refer to.
struct Month {
    customers: u64,
    period: Period,
    /// When the customers signed up and their contracts began.
    start: NaiveDate,
    first_account: u64,
    first_contract: i64,
    internet: i64,
    faster: i64,
    phone: i64,
}

impl Month {
    fn day(&self, n: u32) -> NaiveDate {
        self.period.first_day() + Duration::days(i64::from(n) - 1)
    }

    /// The phone line of customer `n` (every fourth has one), numbered after the internet
    /// lines, which have their customer's number.
    fn phone_line(&self, n: u64) -> Option<u64> {
        n.is_multiple_of(4).then(|| self.customers + n / 4)
    }

    /// The day a closed customer's contract ended: within the ten months before the month.
    fn closed_on(&self, n: u64) -> NaiveDate {
        let days_before = 1 + i64::try_from(n.wrapping_mul(37) % 300).unwrap_or(0);
        self.period.first_day() - Duration::days(days_before)
    }
}

fn tariff(conn: &mut DbConnection, code: &str) -> ApiResult<i64> {
    Ok(tariffs::table
        .filter(tariffs::code.eq(code))
        .select(tariffs::id)
        .first(conn)
        .map_err(DbError::from)?)
}

fn generate(
    conn: &mut DbConnection,
    period: Period,
    customers: usize,
    progress: &mut dyn FnMut(usize, u64),
) -> ApiResult<Generated> {
    let n_customers = number(customers);
    let start = period.first_day() - Duration::days(400);
    let contracts = (1..=n_customers)
        .filter(|&n| operator::has_contract(n))
        .count();
    let block = |n: usize| i64::try_from(n).unwrap_or(i64::MAX);
    let month = Month {
        customers: n_customers,
        period,
        start,
        first_account: u64::try_from(sequences::take_block(
            conn,
            "customer_account_number",
            block(customers),
        )?)
        .unwrap_or(1),
        first_contract: sequences::take_block(
            conn,
            &format!("contract/{}", start.year()),
            block(contracts),
        )?,
        internet: tariff(conn, "internet-300")?,
        faster: tariff(conn, "internet-600")?,
        phone: tariff(conn, "phone-100")?,
    };
    let month = &month;

    load!(
        conn,
        customers,
        per_customer(n_customers, 0, progress, |n| Ok(vec![customer_row(
            n, month
        )?]))
    )?;

    let mut contract_number = month.first_contract;
    load!(
        conn,
        contracts,
        per_customer(n_customers, 1, progress, |n| {
            if !operator::has_contract(n) {
                return Ok(Vec::new());
            }
            let number = format!("UM/{}/{contract_number:06}", start.year());
            contract_number += 1;
            Ok(vec![contract_row(n, number, month)])
        })
    )?;

    let mut subscriptions = 0;
    load!(
        conn,
        subscriptions,
        per_customer(n_customers, 2, progress, |n| {
            if !operator::has_contract(n) {
                return Ok(Vec::new());
            }
            let place: Value = operator::service_address(n)?.into();
            let lines: Vec<u64> = std::iter::once(n).chain(month.phone_line(n)).collect();
            subscriptions += lines.len();
            Ok(lines
                .into_iter()
                .map(|line| {
                    vec![
                        number_id(line),
                        number_id(n),
                        number_id(n),
                        place.clone(),
                        Value::Null,
                        day_stamp(start),
                    ]
                })
                .collect())
        })
    )?;

    let mut history = Counter(0);
    load!(
        conn,
        subscription_tariffs,
        per_customer(n_customers, 3, progress, |n| {
            if !operator::has_contract(n) {
                return Ok(Vec::new());
            }
            let changes = (n % 20 == 0).then_some((n, month.faster, month.day(16), true));
            let phone = month
                .phone_line(n)
                .map(|line| (line, month.phone, start, false));
            Ok(std::iter::once((n, month.internet, start, false))
                .chain(changes)
                .chain(phone)
                .map(|(line, tariff, from, early)| {
                    vec![
                        history.next(),
                        number_id(line),
                        Value::Int(tariff),
                        date(from),
                        Value::Bool(early),
                        "generated".into(),
                        day_stamp(start),
                    ]
                })
                .collect())
        })
    )?;

    let mut pauses = Counter(0);
    load!(
        conn,
        contract_suspensions,
        per_customer(n_customers, 4, progress, |n| {
            Ok(if n % 50 == 7 {
                vec![vec![
                    pauses.next(),
                    number_id(n),
                    "customer_request".into(),
                    date(month.day(10)),
                    date(month.day(20)),
                    date(month.day(21)),
                    Value::Null,
                    "generated".into(),
                    day_stamp(start),
                ]]
            } else {
                Vec::new()
            })
        })
    )?;

    let mut benefits = Counter(0);
    load!(
        conn,
        customer_benefits,
        per_customer(n_customers, 5, progress, |n| {
            let active = status_of(n) == CustomerStatus::Active;
            Ok(if n % 33 == 5 && active {
                vec![vec![
                    benefits.next(),
                    number_id(n),
                    "Karta Dużej Rodziny".into(),
                    "percent".into(),
                    Value::Int(5000),
                    Value::Null,
                    Value::Null,
                    date(start),
                    Value::Null,
                    Value::Text(format!("KDR/{n}")),
                    "generated".into(),
                    day_stamp(start),
                ]]
            } else {
                Vec::new()
            })
        })
    )?;

    let mut calls = Counter(0);
    load!(
        conn,
        usage_events,
        per_customer(n_customers, 6, progress, |n| {
            let Some(line) = month.phone_line(n) else {
                return Ok(Vec::new());
            };
            Ok((0..5_u32)
                .map(|k| call_row(calls.next(), line, n, k, month))
                .collect())
        })
    )?;

    let desk = Desk::load(conn)?;
    let year_before = period.first_day() - Duration::days(365);
    let mut contacts = Counter(0);
    load!(
        conn,
        interactions,
        per_customer(n_customers, 7, progress, |n| {
            Ok(desk
                .contacts_of(n, year_before)
                .into_iter()
                .map(|row| contacts::numbered(row, contacts.next()))
                .collect())
        })
    )?;

    let active = (1..=n_customers)
        .filter(|&n| status_of(n) == CustomerStatus::Active)
        .count();
    Ok(Generated {
        customers,
        active,
        subscriptions,
        usage_events: calls.0,
        interactions: contacts.0,
    })
}

/// Customer `n` as its row: checked by the rules registering applies, so the stored JSON and
/// search text are what the API would have written, and numbered in the real scheme.
fn customer_row(n: u64, month: &Month) -> Result<Vec<Value>, String> {
    let input = operator::customer(n);
    let mut v = Validator::new();
    let data = crate::customers::check(&mut v, &input, status_of(n), None);
    v.finish()
        .map_err(|e| format!("generated customer {n} breaks a rule: {e}"))?;
    let created = month
        .start
        .and_hms_opt(8, 0, 0)
        .unwrap_or_default()
        .and_utc();
    let row = data
        .new_row("generated", created)
        .map_err(|e| e.to_string())?;
    let account =
        AccountNumber::from_sequence(month.first_account + n - 1).map_err(|e| e.to_string())?;
    let c = row.columns;
    Ok(vec![
        number_id(n),
        account.as_str().into(),
        row.kind.as_str().into(),
        c.first_name.into(),
        c.last_name.into(),
        c.organisation_name.into(),
        c.display_name.into(),
        c.tax_id_scheme.map(|s| s.as_str()).into(),
        c.tax_id.into(),
        c.segment.as_str().into(),
        c.preferred_language.as_str().into(),
        c.status.as_str().into(),
        Value::Null,
        c.emails.into(),
        c.phones.into(),
        c.addresses.into(),
        c.notes.into(),
        search_text(account.as_str(), &c.search_text).into(),
        row.created_by.into(),
        stamp(row.created_at),
        stamp(row.updated_at),
        Value::Int(row.version),
    ])
}

/// Customer `n`'s contract: in force since the start, or terminated before the month for a
/// closed customer.
fn contract_row(n: u64, number: String, month: &Month) -> Vec<Value> {
    let start = month.start;
    let closed = status_of(n) == CustomerStatus::Closed;
    let ended = closed.then(|| month.closed_on(n));
    let mut row = vec![number_id(n), number.into(), number_id(n), Value::Null];
    row.extend([
        "visit".into(),
        if closed { "terminated" } else { "active" }.into(),
        date(start),
        Value::Null,
        date(start),
        Value::Null,
        Value::Null,
        date(start),
        ended.map_or(Value::Null, date),
        ended.map_or(Value::Null, |_| "Wyprowadzka klienta.".into()),
    ]);
    row.extend(std::iter::repeat_n(Value::Null, 3));
    row.extend([
        "generated".into(),
        Value::Null,
        day_stamp(start),
        day_stamp(ended.unwrap_or(start)),
        Value::Int(1),
    ]);
    row
}

/// Call `k` of the five on customer `n`'s phone line, spread over the month.
fn call_row(id: Value, line: u64, n: u64, k: u32, month: &Month) -> Vec<Value> {
    let spread = u32::try_from(n / 4 % 5).unwrap_or(0);
    let on = month.day(1 + (k * 6 + spread) % 28);
    vec![
        id,
        Value::Text(format!("cdr-{line}-{k}")),
        number_id(n),
        number_id(line),
        "minute".into(),
        Value::Int(10_000 + i64::from(k) * 7_000),
        Value::Text(format!("{on} 12:00:00")),
        date(on),
        Value::Text(month.period.to_string()),
        "generated".into(),
        Value::Text(format!("{on} 12:00:00")),
        Value::Null,
    ]
}
