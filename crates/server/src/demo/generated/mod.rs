//! Generated load: an operator of any size (`okno seed --generate N`), for the billing and
//! hot-path benchmarks, the concurrency and crash tests, and for trying a release on realistic
//! volumes before an upgrade. Customers are what registering them through the API would
//! store (checked by the same rules, found by the same search text); rows are written in bulk
//! (`COPY` on PostgreSQL), not through the API: a million customers take minutes, not days.
//!
//! The month billed: every customer has internet, one in four also a phone line with five
//! calls; every twentieth changes tariff mid-month, every fiftieth pauses ten days, every
//! thirty-third has a 50 % benefit. Customers have about two contacts each over the year before.

pub(crate) mod bulk;
mod operator;

use chrono::{Duration, NaiveDate, NaiveDateTime};
use diesel::connection::SimpleConnection;
use diesel::prelude::*;
use okno_api_types::CustomerStatus;
use okno_db::customers::{CustomerRecord, search_text};
use okno_db::reference::TopicRecord;
use okno_db::schema::tariffs;
use okno_db::users::UserRecord;
use okno_db::{DbConnection, DbError, sequences, write_transaction};
use okno_domain::billing::Period;
use okno_domain::customers::AccountNumber;
use okno_domain::validation::Validator;
use rand::Rng;

use self::bulk::{Value, load};
pub use self::operator::FLATS_PER_BUILDING;
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;

/// What was generated.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Generated {
    pub customers: usize,
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
/// hears the index in [`STEPS`] of each step as it starts. `None` when the database has
/// customers already: generated rows take ids from 1.
pub fn seed_generated(
    state: &AppState,
    conn: &mut DbConnection,
    period: Period,
    customers: usize,
    progress: &mut dyn FnMut(usize),
) -> ApiResult<Option<Generated>> {
    if !CustomerRecord::list(conn, &Default::default(), None, 1)?.is_empty() {
        return Ok(None);
    }
    super::seed_staff(state, conn)?;
    let generated = write_transaction(conn, |conn| {
        let indexes = bulk::drop_secondary_indexes(conn, &TABLES)?;
        let generated = generate(conn, period, customers, progress)?;
        progress(8);
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
    progress(9);
    if let DbConnection::Postgresql(_) = conn {
        // As in a database in use, the planner knows the tables' sizes.
        conn.batch_execute("ANALYZE").map_err(DbError::from)?;
    }
    Ok(Some(generated))
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

fn number(n: usize) -> u64 {
    u64::try_from(n).unwrap_or(u64::MAX)
}

fn generate(
    conn: &mut DbConnection,
    period: Period,
    customers: usize,
    progress: &mut dyn FnMut(usize),
) -> ApiResult<Generated> {
    let phones = customers / 4;
    let start = period.first_day() - Duration::days(300);
    let day = |n: u32| period.first_day() + Duration::days(i64::from(n) - 1);
    let tariff = |conn: &mut DbConnection, code: &str| -> ApiResult<i64> {
        Ok(tariffs::table
            .filter(tariffs::code.eq(code))
            .select(tariffs::id)
            .first(conn)
            .map_err(DbError::from)?)
    };
    let (internet, faster, phone) = (
        tariff(conn, "internet-300")?,
        tariff(conn, "internet-600")?,
        tariff(conn, "phone-100")?,
    );
    let first_account = sequences::take_block(
        conn,
        "customer_account_number",
        i64::try_from(customers).unwrap_or(i64::MAX),
    )?;

    progress(0);
    load!(
        conn,
        customers,
        (1..=customers).map(|n| customer_row(n, first_account, start))
    )?;

    progress(1);
    load!(
        conn,
        contracts,
        (1..=customers).map(|n| {
            let mut row = vec![id(n), Value::Text(format!("UM/B/{n}")), id(n), Value::Null];
            row.extend([
                "visit".into(),
                "active".into(),
                date(start),
                Value::Null,
                date(start),
                Value::Null,
                Value::Null,
                date(start),
            ]);
            row.extend(std::iter::repeat_n(Value::Null, 5));
            row.extend([
                "generated".into(),
                Value::Null,
                day_stamp(start),
                day_stamp(start),
                Value::Int(1),
            ]);
            Ok(row)
        })
    )?;

    // Internet lines have the customer's number; phone lines follow, one per fourth customer.
    let line_of = |s: usize| {
        if s <= customers {
            s
        } else {
            (s - customers) * 4
        }
    };
    progress(2);
    load!(
        conn,
        subscriptions,
        (1..=customers + phones).map(|s| {
            let customer = line_of(s);
            let place = operator::service_address(number(customer))?;
            Ok(vec![
                id(s),
                id(customer),
                id(customer),
                place.into(),
                Value::Null,
                day_stamp(start),
            ])
        })
    )?;

    progress(3);
    let changes = (1..=customers)
        .filter(|n| n % 20 == 0)
        .map(|n| (n, faster, day(16), true));
    let history = (1..=customers + phones)
        .map(|s| {
            (
                s,
                if s <= customers { internet } else { phone },
                start,
                false,
            )
        })
        .chain(changes);
    load!(
        conn,
        subscription_tariffs,
        history.enumerate().map(|(k, (s, tariff, from, early))| {
            Ok(vec![
                id(k + 1),
                id(s),
                Value::Int(tariff),
                date(from),
                Value::Bool(early),
                "generated".into(),
                day_stamp(start),
            ])
        })
    )?;

    progress(4);
    load!(
        conn,
        contract_suspensions,
        (1..=customers)
            .filter(|n| n % 50 == 7)
            .enumerate()
            .map(|(k, n)| {
                Ok(vec![
                    id(k + 1),
                    id(n),
                    "customer_request".into(),
                    date(day(10)),
                    date(day(20)),
                    date(day(21)),
                    Value::Null,
                    "generated".into(),
                    day_stamp(start),
                ])
            })
    )?;

    progress(5);
    load!(
        conn,
        customer_benefits,
        (1..=customers)
            .filter(|n| n % 33 == 5)
            .enumerate()
            .map(|(k, n)| {
                Ok(vec![
                    id(k + 1),
                    id(n),
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
                ])
            })
    )?;

    progress(6);
    let calls = (1..=phones).flat_map(|p| (0..5_u32).map(move |k| (p, k)));
    load!(
        conn,
        usage_events,
        calls.enumerate().map(|(e, (p, k))| {
            let (line, customer) = (customers + p, p * 4);
            let spread = u32::try_from(p % 5).unwrap_or(0);
            let on = day(1 + (k * 6 + spread) % 28);
            Ok(vec![
                id(e + 1),
                Value::Text(format!("cdr-{line}-{k}")),
                id(customer),
                id(line),
                "minute".into(),
                Value::Int(10_000 + i64::from(k) * 7_000),
                Value::Text(format!("{on} 12:00:00")),
                date(on),
                Value::Text(period.to_string()),
                "generated".into(),
                Value::Text(format!("{on} 12:00:00")),
                Value::Null,
            ])
        })
    )?;

    progress(7);
    let topics: Vec<i64> = TopicRecord::list(conn)?.into_iter().map(|t| t.id).collect();
    let operator = UserRecord::find_by_username(conn, "operator")?;
    let handler = operator
        .as_ref()
        .map_or(("Biuro Obsługi Klienta".to_owned(), None), |u| {
            (u.display_name.clone(), Some(u.id))
        });
    let year_before = period.first_day() - Duration::days(365);
    let contacts = (1..=customers).flat_map(|n| contacts_of(number(n), year_before, &topics));
    let mut interactions = 0;
    load!(
        conn,
        interactions,
        contacts.map(|contact| {
            interactions += 1;
            Ok(contact.row(interactions, &handler))
        })
    )?;

    Ok(Generated {
        customers,
        subscriptions: customers + phones,
        usage_events: phones * 5,
        interactions,
    })
}

/// Customer `n` as its row: checked by the rules registering applies, so the stored JSON and
/// search text are what the API would have written.
fn customer_row(n: usize, first_account: i64, since: NaiveDate) -> Result<Vec<Value>, String> {
    let input = operator::customer(number(n));
    let mut v = Validator::new();
    let data = crate::customers::check(&mut v, &input, CustomerStatus::Active, None);
    v.finish()
        .map_err(|e| format!("generated customer {n} breaks a rule: {e}"))?;
    let created = since.and_hms_opt(8, 0, 0).unwrap_or_default().and_utc();
    let row = data
        .new_row("generated", created)
        .map_err(|e| e.to_string())?;
    let sequence = u64::try_from(first_account).unwrap_or(1) + number(n) - 1;
    let account = AccountNumber::from_sequence(sequence).map_err(|e| e.to_string())?;
    let c = row.columns;
    Ok(vec![
        id(n),
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

/// One generated contact.
struct Contact {
    customer: u64,
    at: NaiveDateTime,
    channel: &'static str,
    topic: Option<i64>,
    summary: &'static str,
    settled: bool,
    duration: Option<i64>,
}

impl Contact {
    fn row(&self, id: usize, (handler, handler_id): &(String, Option<i64>)) -> Vec<Value> {
        vec![
            self::id(id),
            Value::Int(i64::try_from(self.customer).unwrap_or(i64::MAX)),
            stamp(self.at),
            self.channel.into(),
            "inbound".into(),
            self.topic.into(),
            self.summary.into(),
            Value::Null,
            Value::Bool(self.settled),
            Value::Null,
            self.duration.into(),
            handler.as_str().into(),
            (*handler_id).into(),
            Value::Null,
            stamp(self.at),
        ]
    }
}

/// Customer `n`'s contacts in the year from `since`: none to four, two on average.
fn contacts_of(n: u64, since: NaiveDate, topics: &[i64]) -> Vec<Contact> {
    let mut rng = operator::rng_for(n, 3);
    let language = operator::language_of(n);
    let count = rng.random_range(0..=4);
    (0..count)
        .map(|_| {
            let at = since.and_hms_opt(8, 0, 0).unwrap_or_default()
                + Duration::days(rng.random_range(0..365))
                + Duration::minutes(rng.random_range(0..600));
            let channel = if rng.random_bool(0.7) {
                "phone"
            } else {
                "email"
            };
            Contact {
                customer: n,
                at,
                channel,
                topic: topics
                    .get(rng.random_range(0..topics.len().max(1)))
                    .copied(),
                summary: operator::contact_summary(&mut rng, language),
                settled: rng.random_bool(0.8),
                duration: (channel == "phone").then(|| rng.random_range(60..900)),
            }
        })
        .collect()
}
