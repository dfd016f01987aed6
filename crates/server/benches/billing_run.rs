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

use std::sync::Arc;
use std::time::Instant;

use diesel::{Connection, PgConnection, RunQueryDsl};
use okno_domain::billing::Period;
use okno_domain::clock::SystemClock;
use okno_server::demo::generated;
use okno_server::{AppState, PasswordHashing, Settings};

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
    let generated = generated::seed_generated(
        &state,
        &mut conn,
        period,
        // 1.2 lines a customer: internet for all with a contract (19 in 20), a phone for one in four.
        subscriptions * 5 / 6,
        &mut |_, _| {},
    )
    .unwrap()
    .unwrap();
    let (customers, active, subscriptions, usage_events) = (
        generated.customers,
        generated.active,
        generated.subscriptions,
        generated.usage_events,
    );
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
        i64::try_from(active).unwrap(),
        "every active customer invoiced once, nobody else"
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
