//! Generated load: a month of an operator at any size, for the billing benchmark, the
//! concurrency and crash tests, and for trying a release on realistic volumes before an
//! upgrade (`okno seed --generated N`). Rows are written in bulk, not through the API: a
//! hundred thousand subscriptions take seconds, not hours.

use chrono::Duration;
use diesel::connection::SimpleConnection;
use diesel::prelude::*;
use okno_db::customers::CustomerRecord;
use okno_db::schema::tariffs;
use okno_db::{DbConnection, DbError, write_transaction};
use okno_domain::billing::Period;

use crate::error::ApiResult;
use crate::state::AppState;

/// Rows per generated INSERT statement.
const CHUNK: usize = 1_000;

/// What was generated.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Generated {
    pub customers: usize,
    pub subscriptions: usize,
    pub usage_events: usize,
}

/// Generates `subscriptions` subscriptions billable for `period` into a database without
/// customers, with the demo staff and price list when they are missing, in one transaction.
/// `None` when the database has customers already: generated rows take ids from 1.
pub fn seed_generated(
    state: &AppState,
    conn: &mut DbConnection,
    period: Period,
    subscriptions: usize,
) -> ApiResult<Option<Generated>> {
    if !CustomerRecord::list(conn, &Default::default(), None, 1)?.is_empty() {
        return Ok(None);
    }
    super::seed_staff(state, conn)?;
    let generated = write_transaction(conn, |conn| {
        let generated = generate(conn, period, subscriptions)?;
        if let DbConnection::Postgresql(_) = conn {
            // The rows carry their ids; the sequences move past them for the rows to come.
            for table in ["customers", "contracts", "subscriptions"] {
                conn.batch_execute(&format!(
                    "SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT MAX(id) FROM {table}))"
                ))
                .map_err(DbError::from)?;
            }
        }
        Ok::<_, crate::error::ApiError>(generated)
    })?;
    if let DbConnection::Postgresql(_) = conn {
        // As in a database in use, the planner knows the tables' sizes.
        conn.batch_execute("ANALYZE").map_err(DbError::from)?;
    }
    Ok(Some(generated))
}

fn insert_rows(
    conn: &mut DbConnection,
    table: &str,
    columns: &str,
    rows: &[String],
) -> Result<(), DbError> {
    for chunk in rows.chunks(CHUNK) {
        let sql = format!("INSERT INTO {table} ({columns}) VALUES {}", chunk.join(","));
        conn.batch_execute(&sql)?;
    }
    Ok(())
}

/// A month of an operator: `customers` households, a quarter of them with a phone line on top
/// of internet (one subscription each plus the phones), some changing tariff mid-month, some
/// paused, some with a benefit, the phones with calls.
fn generate(conn: &mut DbConnection, period: Period, subscriptions: usize) -> ApiResult<Generated> {
    let customers = subscriptions * 4 / 5;
    let phones = subscriptions - customers;
    let start = period.first_day() - Duration::days(300);
    let stamp = format!("'{start} 08:00:00'");
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
    let address = r#"[{"kind":"residence","street":"ul. Długa","building":"5","apartment":"3","postal_code":"00-238","city":"Warszawa","country":"PL"}]"#;
    let service_address = r#"{"kind":"service","street":"ul. Długa","building":"5","postal_code":"00-238","city":"Warszawa","country":"PL"}"#;

    let mut rows = Vec::with_capacity(customers);
    for id in 1..=customers {
        rows.push(format!(
            "({id},'B{id:09}','person','Anna','Nowak {id}','Nowak {id} Anna','household','pl','active','[]','[]','{address}','','generated',{stamp},{stamp},1)"
        ));
    }
    insert_rows(
        conn,
        "customers",
        "id,account_number,kind,first_name,last_name,display_name,segment,preferred_language,status,emails,phones,addresses,search_text,created_by,created_at,updated_at,version",
        &rows,
    )?;

    rows.clear();
    for id in 1..=customers {
        rows.push(format!("({id},'UM/B/{id}',{id},'visit','active','{start}','{start}','{start}','generated',{stamp},{stamp},1)"));
    }
    insert_rows(
        conn,
        "contracts",
        "id,number,customer_id,channel,status,start_date,signed_on,activated_on,created_by,created_at,updated_at,version",
        &rows,
    )?;

    let mut subs = Vec::with_capacity(subscriptions);
    let mut tariff_rows = Vec::with_capacity(subscriptions + subscriptions / 20);
    for id in 1..=customers {
        subs.push(format!("({id},{id},{id},'{service_address}',{stamp})"));
        tariff_rows.push(format!(
            "({id},{internet},'{start}',FALSE,'generated',{stamp})"
        ));
        if id % 20 == 0 {
            tariff_rows.push(format!(
                "({id},{faster},'{}',TRUE,'generated',{stamp})",
                day(16)
            ));
        }
    }
    for n in 1..=phones {
        let (id, customer) = (customers + n, n * 4);
        subs.push(format!(
            "({id},{customer},{customer},'{service_address}',{stamp})"
        ));
        tariff_rows.push(format!(
            "({id},{phone},'{start}',FALSE,'generated',{stamp})"
        ));
    }
    insert_rows(
        conn,
        "subscriptions",
        "id,contract_id,customer_id,service_address,created_at",
        &subs,
    )?;
    insert_rows(
        conn,
        "subscription_tariffs",
        "subscription_id,tariff_id,effective_from,early,recorded_by,recorded_at",
        &tariff_rows,
    )?;

    rows.clear();
    for id in (1..=customers).filter(|id| id % 50 == 7) {
        rows.push(format!(
            "({id},'customer_request','{}','{}','{}','generated',{stamp})",
            day(10),
            day(20),
            day(21)
        ));
    }
    insert_rows(
        conn,
        "contract_suspensions",
        "contract_id,reason,from_date,until_date,resumed_on,recorded_by,recorded_at",
        &rows,
    )?;

    rows.clear();
    for id in (1..=customers).filter(|id| id % 33 == 5) {
        rows.push(format!(
            "({id},'Karta Dużej Rodziny','percent',5000,'{start}','KDR/{id}','generated',{stamp})"
        ));
    }
    insert_rows(
        conn,
        "customer_benefits",
        "customer_id,name,kind,percent_bp,valid_from,document_reference,recorded_by,created_at",
        &rows,
    )?;

    let mut usage = Vec::with_capacity(phones * 5);
    for n in 1..=phones {
        let (subscription, customer) = (customers + n, n * 4);
        for k in 0..5_u32 {
            let on = day(1 + (k * 6 + u32::try_from(n % 5).unwrap_or(0)) % 28);
            let quantity = 10_000 + u64::from(k) * 7_000;
            usage.push(format!("('cdr-{subscription}-{k}',{customer},{subscription},'minute',{quantity},'{on} 12:00:00','{on}','{period}','generated','{on} 12:00:00')"));
        }
    }
    insert_rows(
        conn,
        "usage_events",
        "external_id,customer_id,subscription_id,unit,quantity_milli,occurred_at,occurred_on,period,source,recorded_at",
        &usage,
    )?;
    Ok(Generated {
        customers,
        subscriptions,
        usage_events: usage.len(),
    })
}
