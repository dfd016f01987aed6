//! The billing run on generated data: invoices per second and the billing process's peak
//! memory, on SQLite and on PostgreSQL. Writes a Markdown row per backend for
//! docs/performance.md.
//!
//! ```text
//! cargo bench -p okno-server --bench billing_run                 # both backends, 100 000 subscriptions
//! OKNO_BENCH_SUBSCRIPTIONS=20000 OKNO_BENCH_BACKENDS=sqlite cargo bench -p okno-server --bench billing_run
//! OKNO_BENCH_BATCH=500 cargo bench -p okno-server --bench billing_run   # another batch size
//! ```
//!
//! PostgreSQL is reached at `OKNO_TEST_POSTGRES_URL` (default
//! `postgres://postgres@127.0.0.1:5432/test`); a database is created for the run and dropped
//! after it.

#![expect(
    clippy::unwrap_used,
    clippy::panic,
    clippy::print_stdout,
    reason = "a benchmark fails loudly and prints its figures"
)]

use std::fmt::Write as _;
use std::sync::Arc;
use std::time::Instant;

use chrono::Duration;
use diesel::connection::SimpleConnection;
use diesel::{Connection, PgConnection, RunQueryDsl};
use okno_db::DbConnection;
use okno_domain::billing::Period;
use okno_domain::clock::SystemClock;
use okno_server::{AppState, PasswordHashing, Settings, demo};

/// Rows per generated INSERT statement.
const CHUNK: usize = 1_000;

struct Figures {
    backend: &'static str,
    customers: usize,
    subscriptions: usize,
    usage_events: usize,
    invoices: i64,
    seconds: f64,
    peak_mib: f64,
}

fn peak_rss_mib() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|status| {
            status
                .lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|kb| kb.parse::<f64>().ok())
        })
        .map_or(0.0, |kb| kb / 1024.0)
}

/// Forgets the peak so far: what follows is measured alone (Linux).
fn reset_peak_rss() {
    let _ = std::fs::write("/proc/self/clear_refs", "5");
}

fn insert_rows(conn: &mut DbConnection, table: &str, columns: &str, rows: &[String]) {
    for chunk in rows.chunks(CHUNK) {
        let sql = format!("INSERT INTO {table} ({columns}) VALUES {}", chunk.join(","));
        conn.batch_execute(&sql)
            .unwrap_or_else(|e| panic!("generating {table}: {e}"));
    }
}

/// A month of an operator: `customers` households, a quarter of them with a phone line on top
/// of internet (one subscription each plus the phones), some changing tariff mid-month, some
/// paused, some with a benefit, the phones with calls.
fn generate(conn: &mut DbConnection, period: Period, subscriptions: usize) -> (usize, usize) {
    let customers = subscriptions * 4 / 5;
    let phones = subscriptions - customers;
    let start = period.first_day() - Duration::days(300);
    let stamp = format!("'{start} 08:00:00'");
    let day = |n: u32| period.first_day() + Duration::days(i64::from(n) - 1);
    let tariff = |conn: &mut DbConnection, code: &str| -> i64 {
        use diesel::prelude::*;
        use okno_db::schema::tariffs;
        tariffs::table
            .filter(tariffs::code.eq(code))
            .select(tariffs::id)
            .first(conn)
            .unwrap()
    };
    let (internet, faster, phone) = (
        tariff(conn, "internet-300"),
        tariff(conn, "internet-600"),
        tariff(conn, "phone-100"),
    );
    let address = r#"[{"kind":"residence","street":"ul. Długa","building":"5","apartment":"3","postal_code":"00-238","city":"Warszawa","country":"PL"}]"#;
    let service_address = r#"{"kind":"service","street":"ul. Długa","building":"5","postal_code":"00-238","city":"Warszawa","country":"PL"}"#;

    let mut rows = Vec::with_capacity(customers);
    for id in 1..=customers {
        rows.push(format!(
            "({id},'B{id:09}','person','Anna','Nowak {id}','Nowak {id} Anna','household','pl','active','[]','[]','{address}','','bench',{stamp},{stamp},1)"
        ));
    }
    insert_rows(
        conn,
        "customers",
        "id,account_number,kind,first_name,last_name,display_name,segment,preferred_language,status,emails,phones,addresses,search_text,created_by,created_at,updated_at,version",
        &rows,
    );

    rows.clear();
    for id in 1..=customers {
        rows.push(format!("({id},'UM/B/{id}',{id},'visit','active','{start}','{start}','{start}','bench',{stamp},{stamp},1)"));
    }
    insert_rows(
        conn,
        "contracts",
        "id,number,customer_id,channel,status,start_date,signed_on,activated_on,created_by,created_at,updated_at,version",
        &rows,
    );

    let mut subs = Vec::with_capacity(subscriptions);
    let mut tariffs = Vec::with_capacity(subscriptions + subscriptions / 20);
    for id in 1..=customers {
        subs.push(format!("({id},{id},{id},'{service_address}',{stamp})"));
        tariffs.push(format!("({id},{internet},'{start}',FALSE,'bench',{stamp})"));
        if id % 20 == 0 {
            tariffs.push(format!(
                "({id},{faster},'{}',TRUE,'bench',{stamp})",
                day(16)
            ));
        }
    }
    for n in 1..=phones {
        let (id, customer) = (customers + n, n * 4);
        subs.push(format!(
            "({id},{customer},{customer},'{service_address}',{stamp})"
        ));
        tariffs.push(format!("({id},{phone},'{start}',FALSE,'bench',{stamp})"));
    }
    insert_rows(
        conn,
        "subscriptions",
        "id,contract_id,customer_id,service_address,created_at",
        &subs,
    );
    insert_rows(
        conn,
        "subscription_tariffs",
        "subscription_id,tariff_id,effective_from,early,recorded_by,recorded_at",
        &tariffs,
    );

    rows.clear();
    for id in (1..=customers).filter(|id| id % 50 == 7) {
        rows.push(format!(
            "({id},'customer_request','{}','{}','{}','bench',{stamp})",
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
    );

    rows.clear();
    for id in (1..=customers).filter(|id| id % 33 == 5) {
        rows.push(format!(
            "({id},'Karta Dużej Rodziny','percent',5000,'{start}','KDR/{id}','bench',{stamp})"
        ));
    }
    insert_rows(
        conn,
        "customer_benefits",
        "customer_id,name,kind,percent_bp,valid_from,document_reference,recorded_by,created_at",
        &rows,
    );

    let mut usage = Vec::with_capacity(phones * 5);
    for n in 1..=phones {
        let (subscription, customer) = (customers + n, n * 4);
        for k in 0..5_u32 {
            let on = day(1 + (k * 6 + u32::try_from(n % 5).unwrap_or(0)) % 28);
            let mut row = String::new();
            write!(row, "('cdr-{subscription}-{k}',{customer},{subscription},'minute',{},'{on} 12:00:00','{on}','{period}','bench','{on} 12:00:00')", 10_000 + u64::from(k) * 7_000).unwrap();
            usage.push(row);
        }
    }
    insert_rows(
        conn,
        "usage_events",
        "external_id,customer_id,subscription_id,unit,quantity_milli,occurred_at,occurred_on,period,source,recorded_at",
        &usage,
    );
    (customers, usage.len())
}

fn run(
    backend: &'static str,
    database_url: String,
    subscriptions: usize,
    workers: usize,
) -> Figures {
    let data = tempfile::tempdir().unwrap();
    let mut settings = Settings::new(data.path());
    settings.database_url = database_url;
    settings.database_pool_size = u32::try_from(workers + 2).unwrap();
    settings.password_hashing = PasswordHashing::for_tests();
    settings.jwt_secret = Some("bench-secret-bench-secret-bench-secret!".into());
    settings.billing.workers = workers;
    settings.billing.batch_size = std::env::var("OKNO_BENCH_BATCH")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(500);
    let state: AppState = okno_server::prepare(settings, Arc::new(SystemClock)).unwrap();
    let period = Period::of(chrono::Utc::now().date_naive()).previous();
    let mut conn = state.db.get().unwrap();
    let generating = Instant::now();
    demo::seed_staff(&state, &mut conn).unwrap();
    let (customers, usage_events) = generate(&mut conn, period, subscriptions);
    // As in a database in use, the planner knows the tables' sizes.
    if matches!(*conn, DbConnection::Postgresql(_)) {
        conn.batch_execute("ANALYZE").unwrap();
    }
    eprintln!(
        "{backend}: {customers} customers, {subscriptions} subscriptions, {usage_events} calls generated in {:.1} s",
        generating.elapsed().as_secs_f64()
    );
    drop(conn);

    reset_peak_rss();
    let started = Instant::now();
    let run = {
        let mut conn = state.db.get().unwrap();
        okno_db::write_transaction(&mut conn, |conn| {
            okno_server::billing::start(conn, period, None, "bench", chrono::Utc::now())
        })
        .unwrap()
        .0
    };
    let threads: Vec<_> = (0..workers)
        .map(|n| {
            let (db, settings, operator) = (
                state.db.clone(),
                state.settings.billing.clone(),
                state.settings.operator.clone(),
            );
            std::thread::spawn(move || {
                okno_server::billing::work(
                    &db,
                    run.id,
                    &format!("bench-{n}"),
                    &settings,
                    &operator,
                    &SystemClock,
                    None,
                )
                .unwrap()
            })
        })
        .collect();
    let invoices: usize = threads
        .into_iter()
        .map(|t| t.join().unwrap().invoiced)
        .sum();
    let seconds = started.elapsed().as_secs_f64();
    let peak_mib = peak_rss_mib();
    let mut conn = state.db.get().unwrap();
    let record = okno_db::billing::BillingRunRecord::find(&mut conn, run.id).unwrap();
    let view = okno_server::billing::view(&mut conn, record).unwrap();
    assert_eq!(view.failed, 0, "{:?}", view.failures);
    assert_eq!(usize::try_from(view.invoiced).unwrap(), invoices);
    assert_eq!(
        view.invoiced,
        i64::try_from(customers).unwrap(),
        "every customer invoiced once"
    );
    Figures {
        backend,
        customers,
        subscriptions,
        usage_events,
        invoices: view.invoiced,
        seconds,
        peak_mib,
    }
}

fn postgres_database() -> (String, String, String) {
    let admin = std::env::var("OKNO_TEST_POSTGRES_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/test".into());
    let name = format!("okno_bench_{}", std::process::id());
    let mut conn =
        PgConnection::establish(&admin).unwrap_or_else(|e| panic!("PostgreSQL at {admin}: {e}"));
    diesel::sql_query(format!("CREATE DATABASE \"{name}\""))
        .execute(&mut conn)
        .unwrap();
    let (server, _) = admin.rsplit_once('/').unwrap();
    (format!("{server}/{name}"), admin, name)
}

fn main() {
    let subscriptions: usize = std::env::var("OKNO_BENCH_SUBSCRIPTIONS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(100_000);
    let workers = std::thread::available_parallelism().map_or(2, usize::from);
    let backends =
        std::env::var("OKNO_BENCH_BACKENDS").unwrap_or_else(|_| "postgresql,sqlite".into());
    let mut figures = Vec::new();
    for backend in backends.split(',') {
        match backend.trim() {
            "sqlite" => {
                let dir = tempfile::tempdir().unwrap();
                let url = format!("sqlite://{}", dir.path().join("bench.db").display());
                figures.push(run("SQLite", url, subscriptions, workers));
            }
            "postgresql" | "postgres" => {
                let (url, admin, name) = postgres_database();
                figures.push(run("PostgreSQL", url, subscriptions, workers));
                let mut conn = PgConnection::establish(&admin).unwrap();
                diesel::sql_query(format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)"))
                    .execute(&mut conn)
                    .unwrap();
            }
            other => panic!("unknown backend {other}: sqlite or postgresql"),
        }
    }
    println!(
        "| backend | customers | subscriptions | calls | invoices | seconds | invoices/s | peak memory |"
    );
    println!("|---|---:|---:|---:|---:|---:|---:|---:|");
    for f in &figures {
        println!(
            "| {} | {} | {} | {} | {} | {:.1} | {:.0} | {:.0} MiB |",
            f.backend,
            f.customers,
            f.subscriptions,
            f.usage_events,
            f.invoices,
            f.seconds,
            f64::from(u32::try_from(f.invoices).unwrap_or(u32::MAX)) / f.seconds,
            f.peak_mib
        );
    }
}
