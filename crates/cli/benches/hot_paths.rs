//! The call centre's hot paths under load, beside what the stack itself can do (issue 19).
//!
//! ```sh
//! cargo bench -p okno --bench hot_paths
//! OKNO_BENCH_CUSTOMERS=1000000 OKNO_BENCH_BACKENDS=postgresql cargo bench -p okno --bench hot_paths
//! ```
//!
//! For each backend it prepares a database of `OKNO_BENCH_CUSTOMERS` generated customers
//! (default 100 000; `okno seed --generate`, then `okno bill` for last month's invoices) once
//! and keeps it for the next run (PostgreSQL: database `okno_bench_<N>`; SQLite: a file in
//! the target folder), starts the release `okno serve` on it, and drives each path with `wrk`
//! (Debian's package): `OKNO_BENCH_CONNECTIONS` connections (32) on `OKNO_BENCH_THREADS`
//! threads (2) for `OKNO_BENCH_SECONDS` (10). Requests go round a sample of 200 customers,
//! their phones, names, streets and account numbers, and 200 invoice numbers.
//!
//! The baseline, run the same way against the same database, is a minimal actix-web + diesel
//! server in this process: it checks a bearer token (an HS256 JWT, as the product's) and
//! reads one customer row by id from a pool of the same size. Every figure is printed as a
//! share of it. Last, the server's peak resident memory.
//!
//! `OKNO_BENCH_BACKENDS` (`postgresql,sqlite`), `OKNO_BENCH_POSTGRES`
//! (`postgres://postgres@127.0.0.1`), `OKNO_BENCH_PATHS` (run only the paths whose name
//! contains it).

use std::fmt::Write as _;
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitCode, Stdio};
use std::time::{Duration, Instant};

use chrono::{Months, Utc};
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Nullable, Text};
use okno_api_types::Permission;
use okno_api_types::api_keys::NewApiKey;
use okno_api_types::auth::LoginRequest;
use okno_db::schema::customers;
use okno_db::{Database, DbConnection, on_each_backend};

const OKNO: &str = env!("CARGO_BIN_EXE_okno");
const SAMPLE: usize = 200;
const USAGE_BATCH: usize = 100;
const BASELINE_SECRET: &[u8] = b"the baseline's own signing secret, for this bench only";

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("hot_paths: {error}");
            ExitCode::FAILURE
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Backend {
    Postgresql,
    Sqlite,
}

struct Options {
    backends: Vec<Backend>,
    customers: u32,
    seconds: u32,
    connections: u32,
    threads: u32,
    postgres: String,
    only: Option<String>,
}

fn env_or<T: std::str::FromStr>(name: &str, default: T) -> Result<T, String> {
    match std::env::var(name) {
        Ok(value) => value
            .parse()
            .map_err(|_| format!("{name}={value} is not a number")),
        Err(_) => Ok(default),
    }
}

impl Options {
    fn from_env() -> Result<Self, String> {
        let backends = std::env::var("OKNO_BENCH_BACKENDS")
            .unwrap_or_else(|_| "postgresql,sqlite".into())
            .split(',')
            .map(|name| match name.trim() {
                "postgresql" | "postgres" => Ok(Backend::Postgresql),
                "sqlite" => Ok(Backend::Sqlite),
                other => Err(format!("unknown backend {other:?}")),
            })
            .collect::<Result<_, _>>()?;
        Ok(Self {
            backends,
            customers: env_or("OKNO_BENCH_CUSTOMERS", 100_000)?,
            seconds: env_or("OKNO_BENCH_SECONDS", 10)?,
            connections: env_or("OKNO_BENCH_CONNECTIONS", 32)?,
            threads: env_or("OKNO_BENCH_THREADS", 2)?,
            postgres: std::env::var("OKNO_BENCH_POSTGRES")
                .unwrap_or_else(|_| "postgres://postgres@127.0.0.1".into()),
            only: std::env::var("OKNO_BENCH_PATHS").ok(),
        })
    }
}

fn run() -> Result<(), String> {
    let options = Options::from_env()?;
    Command::new("wrk")
        .arg("--version")
        .output()
        .map_err(|_| "wrk is missing: apt-get install wrk".to_owned())?;
    for backend in options.backends.clone() {
        bench_backend(&options, backend)?;
    }
    Ok(())
}

fn bench_backend(options: &Options, backend: Backend) -> Result<(), String> {
    let url = prepare_database(options, backend)?;
    let sample = Sample::read(&url)?;
    let pool_size = okno_server::config::default_pool_size();
    let server = Server::start(&url)?;
    let runtime = tokio::runtime::Runtime::new().map_err(|e| e.to_string())?;
    let credentials = runtime.block_on(credentials(server.port))?;
    let baseline = baseline::start(&url, pool_size)?;
    let scripts = tempfile::tempdir().map_err(|e| e.to_string())?;

    println!(
        "\n## {} — {} customers, wrk -t{} -c{} -d{}s, pool of {pool_size}, {}\n",
        match backend {
            Backend::Postgresql => "PostgreSQL",
            Backend::Sqlite => "SQLite",
        },
        options.customers,
        options.threads,
        options.connections,
        options.seconds,
        Utc::now().format("%Y-%m-%d"),
    );
    println!("| path | requests/s | p50 ms | p95 ms | p99 ms | of the baseline | failed |");
    println!("|---|---:|---:|---:|---:|---:|---:|");
    let baseline_load = Load {
        name: "baseline: bearer check + one customer by id (bare actix-web + diesel)",
        token: Some(baseline.token.clone()),
        requests: sample
            .customer_ids
            .iter()
            .map(|id| Request::get(format!("/customers/{id}")))
            .collect(),
        connections: None,
    };
    let base = drive(options, scripts.path(), baseline.port, &baseline_load)?;
    print_row(&baseline_load, &base, None);
    for load in loads(&sample, &credentials) {
        if options
            .only
            .as_deref()
            .is_some_and(|only| !load.name.contains(only))
        {
            continue;
        }
        let figures = drive(options, scripts.path(), server.port, &load)?;
        print_row(&load, &figures, Some(&base));
    }
    println!(
        "\nPeak resident memory of `okno serve`: {:.0} MiB",
        server.peak_rss_kib()? as f64 / 1024.0
    );
    Ok(())
}

// --- The database -------------------------------------------------------------------------

/// The URL of a database holding `options.customers` generated customers and last month's
/// invoices, made when missing.
fn prepare_database(options: &Options, backend: Backend) -> Result<String, String> {
    let n = options.customers;
    let url = match backend {
        Backend::Postgresql => format!("{}/okno_bench_{n}", options.postgres),
        Backend::Sqlite => {
            let folder = data_dir();
            std::fs::create_dir_all(&folder).map_err(|e| e.to_string())?;
            format!(
                "sqlite://{}",
                folder.join(format!("customers-{n}.db")).display()
            )
        }
    };
    if ready(&url, n) {
        return Ok(url);
    }
    println!("preparing {url}: {n} customers and their invoices (once)");
    match backend {
        Backend::Postgresql => {
            let admin = format!("{}/postgres", options.postgres);
            let mut conn = PgConnection::establish(&admin).map_err(|e| e.to_string())?;
            let name = format!("okno_bench_{n}");
            diesel::sql_query(format!("DROP DATABASE IF EXISTS {name}"))
                .execute(&mut conn)
                .map_err(|e| e.to_string())?;
            diesel::sql_query(format!("CREATE DATABASE {name}"))
                .execute(&mut conn)
                .map_err(|e| e.to_string())?;
        }
        Backend::Sqlite => {
            let path = url.trim_start_matches("sqlite://");
            for suffix in ["", "-wal", "-shm"] {
                let _ = std::fs::remove_file(format!("{path}{suffix}"));
            }
        }
    }
    let period = (Utc::now().date_naive() - Months::new(1))
        .format("%Y-%m")
        .to_string();
    let started = Instant::now();
    okno(&url, &["migrate"])?;
    okno(
        &url,
        &["seed", "--generate", &n.to_string(), "--period", &period],
    )?;
    okno(&url, &["bill", "--period", &period])?;
    println!("prepared in {:.0} s", started.elapsed().as_secs_f64());
    Ok(url)
}

/// Whether `url` holds the generated customers and their invoices already.
fn ready(url: &str, customers: u32) -> bool {
    let counts = Database::connect(url, 1).and_then(|db| {
        let mut conn = db.get()?;
        let count = |conn: &mut DbConnection, table: &str| -> Result<i64, okno_db::DbError> {
            #[derive(QueryableByName)]
            struct Count {
                #[diesel(sql_type = BigInt)]
                n: i64,
            }
            let sql = format!("SELECT COUNT(*) AS n FROM {table}");
            let found: Count =
                on_each_backend!(&mut *conn, |c| diesel::sql_query(&sql).get_result(c))?;
            Ok(found.n)
        };
        Ok((
            count(&mut conn, "customers")?,
            count(&mut conn, "invoices")?,
        ))
    });
    matches!(counts, Ok((c, invoices)) if c == i64::from(customers) && invoices > 0)
}

/// The bench's data folder (the server's token secret), in the target folder.
fn data_dir() -> PathBuf {
    Path::new(env!("CARGO_TARGET_TMPDIR")).join("okno-bench")
}

fn okno(url: &str, args: &[&str]) -> Result<(), String> {
    let status = Command::new(OKNO)
        .arg("--data-dir")
        .arg(data_dir())
        .args(["--database", url])
        .args(args)
        .env("RUST_LOG", "warn")
        .status()
        .map_err(|e| format!("okno {}: {e}", args.join(" ")))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("okno {} failed: {status}", args.join(" ")))
    }
}

/// What the requests go round: customers spread over the table and what they are searched by.
struct Sample {
    customer_ids: Vec<i64>,
    phone_fragments: Vec<String>,
    names: Vec<String>,
    streets: Vec<String>,
    account_numbers: Vec<String>,
    invoice_numbers: Vec<String>,
    phone_lines: Vec<i64>,
}

#[derive(QueryableByName)]
struct SampledCustomer {
    #[diesel(sql_type = BigInt)]
    id: i64,
    #[diesel(sql_type = Text)]
    account_number: String,
    #[diesel(sql_type = Nullable<Text>)]
    last_name: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    organisation_name: Option<String>,
    #[diesel(sql_type = Text)]
    phones: String,
    #[diesel(sql_type = Text)]
    addresses: String,
}

#[derive(QueryableByName)]
struct Number {
    #[diesel(sql_type = Text)]
    number: String,
}

#[derive(QueryableByName)]
struct Id {
    #[diesel(sql_type = BigInt)]
    id: i64,
}

impl Sample {
    fn read(url: &str) -> Result<Self, String> {
        let db = Database::connect(url, 1).map_err(|e| e.to_string())?;
        let mut conn = db.get().map_err(|e| e.to_string())?;
        let conn = &mut *conn;
        let error = |e: diesel::result::Error| e.to_string();
        // Every k-th row: spread over the table, the same on every run.
        let customers: Vec<SampledCustomer> =
            on_each_backend!(conn, |c| diesel::sql_query(format!(
                "SELECT id, account_number, last_name, organisation_name, phones, addresses \
                 FROM customers WHERE id % (1 + (SELECT COUNT(*) FROM customers) / {SAMPLE}) = 0 \
                 ORDER BY id LIMIT {SAMPLE}"
            ))
            .load(c))
            .map_err(error)?;
        let invoices: Vec<Number> = on_each_backend!(conn, |c| diesel::sql_query(format!(
            "SELECT number FROM invoices WHERE id % (1 + (SELECT COUNT(*) FROM invoices) / {SAMPLE}) = 0 \
             ORDER BY id LIMIT {SAMPLE}"
        ))
        .load(c))
        .map_err(error)?;
        let phone_lines: Vec<Id> = on_each_backend!(conn, |c| diesel::sql_query(format!(
            "SELECT st.subscription_id AS id FROM subscription_tariffs st \
             JOIN tariffs t ON t.id = st.tariff_id WHERE t.code = 'phone-100' \
             ORDER BY st.subscription_id LIMIT {SAMPLE}"
        ))
        .load(c))
        .map_err(error)?;
        let mut sample = Self {
            customer_ids: Vec::new(),
            phone_fragments: Vec::new(),
            names: Vec::new(),
            streets: Vec::new(),
            account_numbers: Vec::new(),
            invoice_numbers: invoices.into_iter().map(|i| i.number).collect(),
            phone_lines: phone_lines.into_iter().map(|i| i.id).collect(),
        };
        for customer in customers {
            sample.add(customer);
        }
        if sample.customer_ids.is_empty() || sample.invoice_numbers.is_empty() {
            return Err(format!("{url} holds no customers or no invoices"));
        }
        Ok(sample)
    }

    fn add(&mut self, customer: SampledCustomer) {
        self.customer_ids.push(customer.id);
        self.account_numbers.push(customer.account_number);
        let name = customer.last_name.or_else(|| {
            customer.organisation_name.and_then(|o| {
                o.split_whitespace()
                    .find(|w| w.chars().count() > 3)
                    .map(str::to_owned)
            })
        });
        self.names.extend(name);
        let phones: serde_json::Value = serde_json::from_str(&customer.phones).unwrap_or_default();
        if let Some(phone) = phones.pointer("/0/value").and_then(|v| v.as_str()) {
            let digits: String = phone.chars().filter(char::is_ascii_digit).collect();
            let tail = digits.len().saturating_sub(6);
            self.phone_fragments
                .push(digits.get(tail..).unwrap_or("").to_owned());
        }
        let addresses: serde_json::Value =
            serde_json::from_str(&customer.addresses).unwrap_or_default();
        if let Some(street) = addresses.pointer("/0/street").and_then(|v| v.as_str()) {
            // As an operator types it: the name without `ul.`, `al.`, `пр.`.
            let name = street
                .split_once(". ")
                .map_or(street, |(_, name)| name)
                .to_owned();
            self.streets.push(name);
        }
    }
}

// --- The server ---------------------------------------------------------------------------

struct Server {
    child: Child,
    port: u16,
}

impl Server {
    fn start(url: &str) -> Result<Self, String> {
        let port = free_port()?;
        let child = Command::new(OKNO)
            .arg("--data-dir")
            .arg(data_dir())
            .args(["--database", url, "serve", "--listen"])
            .arg(format!("127.0.0.1:{port}"))
            .env("RUST_LOG", "warn")
            .stdout(Stdio::null())
            .spawn()
            .map_err(|e| format!("starting okno serve: {e}"))?;
        let server = Self { child, port };
        wait_until_up(port)?;
        Ok(server)
    }

    /// The most memory the server held at once (`VmHWM`).
    fn peak_rss_kib(&self) -> Result<u64, String> {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.child.id()))
            .map_err(|e| e.to_string())?;
        status
            .lines()
            .find_map(|line| line.strip_prefix("VmHWM:"))
            .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
            .ok_or_else(|| "no VmHWM in /proc".to_owned())
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn free_port() -> Result<u16, String> {
    let listener = TcpListener::bind("127.0.0.1:0").map_err(|e| e.to_string())?;
    Ok(listener.local_addr().map_err(|e| e.to_string())?.port())
}

fn wait_until_up(port: u16) -> Result<(), String> {
    let started = Instant::now();
    while started.elapsed() < Duration::from_secs(60) {
        if std::net::TcpStream::connect(("127.0.0.1", port)).is_ok() {
            return Ok(());
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    Err(format!("nothing listens on port {port} after a minute"))
}

/// The operator's bearer token, and an integration's API key for usage.
struct Credentials {
    operator: String,
    usage_key: String,
}

async fn credentials(port: u16) -> Result<Credentials, String> {
    let api =
        okno_client::Client::new(&format!("http://127.0.0.1:{port}")).map_err(|e| e.to_string())?;
    let sign_in = |username: &str| LoginRequest {
        username: username.into(),
        password: okno_server::demo::DEMO_PASSWORD.into(),
        realm: Default::default(),
    };
    let operator = api
        .login(&sign_in("operator"))
        .await
        .map_err(|e| format!("signing in: {e}"))?
        .access_token;
    let admin = api
        .login(&sign_in("admin"))
        .await
        .map_err(|e| format!("signing in: {e}"))?
        .access_token;
    let key = api
        .with_token(&admin)
        .create_api_key(&NewApiKey {
            name: format!("bench {}", Utc::now().timestamp_micros()),
            scopes: vec![Permission::UsageWrite],
            expires_at: None,
        })
        .await
        .map_err(|e| format!("creating an API key: {e}"))?;
    Ok(Credentials {
        operator,
        usage_key: key.secret,
    })
}

// --- The load -----------------------------------------------------------------------------

struct Request {
    method: &'static str,
    path: String,
    body: Option<String>,
}

impl Request {
    fn get(path: String) -> Self {
        Self {
            method: "GET",
            path,
            body: None,
        }
    }

    fn post(path: &str, body: String) -> Self {
        Self {
            method: "POST",
            path: path.to_owned(),
            body: Some(body),
        }
    }
}

struct Load {
    name: &'static str,
    token: Option<String>,
    requests: Vec<Request>,
    /// Connections when not the bench's (one operator's searches after another's).
    connections: Option<u32>,
}

fn encoded(term: &str) -> String {
    url::form_urlencoded::byte_serialize(term.as_bytes()).collect()
}

fn search(terms: &[String]) -> Vec<Request> {
    terms
        .iter()
        .map(|t| Request::get(format!("/api/v1/customers?q={}", encoded(t))))
        .collect()
}

fn invoice_numbers(sample: &Sample) -> Vec<Request> {
    sample
        .invoice_numbers
        .iter()
        .map(|n| Request::get(format!("/api/v1/invoices?number={}", encoded(n))))
        .collect()
}

fn loads(sample: &Sample, credentials: &Credentials) -> Vec<Load> {
    let staff = |name, requests| Load {
        name,
        token: Some(credentials.operator.clone()),
        requests,
        connections: None,
    };
    // Searches also as two operators make them, one after another: their latency without
    // thirty others queueing in front.
    let two = |name, requests| Load {
        connections: Some(2),
        ..staff(name, requests)
    };
    let ids = &sample.customer_ids;
    let sign_in = serde_json::json!({
        "username": "operator",
        "password": okno_server::demo::DEMO_PASSWORD,
    })
    .to_string();
    let contact = serde_json::json!({
        "channel": "phone",
        "summary": "Asked about the invoice; explained the amount.",
        "settled_in_contact": true,
    })
    .to_string();
    let now = Utc::now() - chrono::Duration::hours(1);
    vec![
        Load {
            name: "sign-in (Argon2 by design)",
            token: None,
            requests: vec![Request::post("/api/v1/auth/login", sign_in)],
            connections: None,
        },
        staff(
            "card",
            ids.iter()
                .map(|id| Request::get(format!("/api/v1/customers/{id}")))
                .collect(),
        ),
        staff(
            "card + timeline",
            ids.iter()
                .flat_map(|id| {
                    [
                        Request::get(format!("/api/v1/customers/{id}")),
                        Request::get(format!("/api/v1/customers/{id}/timeline")),
                    ]
                })
                .collect(),
        ),
        staff("search: phone fragment", search(&sample.phone_fragments)),
        staff("search: name part", search(&sample.names)),
        staff("search: street", search(&sample.streets)),
        staff("search: account number", search(&sample.account_numbers)),
        staff("search: invoice number", invoice_numbers(sample)),
        two(
            "search, 2 connections: phone fragment",
            search(&sample.phone_fragments),
        ),
        two("search, 2 connections: name part", search(&sample.names)),
        two("search, 2 connections: street", search(&sample.streets)),
        two(
            "search, 2 connections: account number",
            search(&sample.account_numbers),
        ),
        two(
            "search, 2 connections: invoice number",
            invoice_numbers(sample),
        ),
        staff(
            "invoice list of a customer",
            ids.iter()
                .map(|id| Request::get(format!("/api/v1/invoices?customer_id={id}")))
                .collect(),
        ),
        staff(
            "creating a contact",
            ids.iter()
                .map(|id| {
                    Request::post(
                        &format!("/api/v1/customers/{id}/interactions"),
                        contact.clone(),
                    )
                })
                .collect(),
        ),
        Load {
            name: "usage ingest (100 records a request)",
            connections: None,
            token: Some(credentials.usage_key.clone()),
            requests: sample
                .phone_lines
                .iter()
                .map(|line| Request::post("/api/v1/usage-events", usage_batch(*line, now)))
                .collect(),
        },
    ]
}

/// A batch of calls; `@SEQ@` becomes a number unique to the request in the script.
fn usage_batch(subscription_id: i64, at: chrono::DateTime<Utc>) -> String {
    let events: Vec<_> = (0..USAGE_BATCH)
        .map(|k| {
            serde_json::json!({
                "external_id": format!("bench-@SEQ@-{k}"),
                "subscription_id": subscription_id,
                "unit": "minute",
                "quantity_milli": 60_000 + k * 1_000,
                "occurred_at": at,
            })
        })
        .collect();
    serde_json::json!({ "events": events }).to_string()
}

struct Figures {
    requests_per_second: f64,
    p50_us: f64,
    p95_us: f64,
    p99_us: f64,
    failed: u64,
}

/// A wrk script going round the load's requests; it prints its figures on one line.
fn script(load: &Load, run: &str) -> String {
    let mut lua = String::from("local requests = {\n");
    for r in &load.requests {
        let body = r
            .body
            .as_deref()
            .map_or("nil".to_owned(), |b| format!("[==[{b}]==]"));
        let _ = writeln!(lua, "  {{\"{}\", [==[{}]==], {body}}},", r.method, r.path);
    }
    lua.push_str("}\n");
    if let Some(token) = &load.token {
        let _ = writeln!(lua, "wrk.headers[\"Authorization\"] = \"Bearer {token}\"");
    }
    let _ = write!(
        lua,
        r#"wrk.headers["Content-Type"] = "application/json"
local threads = 0
function setup(thread)
  threads = threads + 1
  thread:set("tag", threads)
end
local sent = 0
function request()
  sent = sent + 1
  local r = requests[(sent % #requests) + 1]
  local body = r[3]
  if body then body = string.gsub(body, "@SEQ@", "{run}-" .. tag .. "-" .. sent) end
  return wrk.format(r[1], r[2], nil, body)
end
function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("OKNO %d %d %d %d %d %d\n", summary.requests, summary.duration,
    latency:percentile(50), latency:percentile(95), latency:percentile(99),
    e.status + e.connect + e.read + e.write + e.timeout))
end
"#
    );
    lua
}

fn drive(options: &Options, folder: &Path, port: u16, load: &Load) -> Result<Figures, String> {
    let path: PathBuf = folder.join("load.lua");
    let run = Utc::now().timestamp_micros().to_string();
    std::fs::write(&path, script(load, &run)).map_err(|e| e.to_string())?;
    let connections = load.connections.unwrap_or(options.connections);
    let output = Command::new("wrk")
        .arg(format!("-t{}", options.threads.min(connections)))
        .arg(format!("-c{connections}"))
        .arg(format!("-d{}s", options.seconds))
        .arg("-s")
        .arg(&path)
        .arg(format!("http://127.0.0.1:{port}"))
        .output()
        .map_err(|e| format!("wrk: {e}"))?;
    let stdout = String::from_utf8_lossy(&output.stdout);
    let numbers: Vec<f64> = stdout
        .lines()
        .find_map(|line| line.strip_prefix("OKNO "))
        .ok_or_else(|| format!("wrk printed no figures for {}: {stdout}", load.name))?
        .split_whitespace()
        .filter_map(|n| n.parse().ok())
        .collect();
    let [requests, duration, p50, p95, p99, failed] = numbers[..] else {
        return Err(format!("unexpected wrk figures: {numbers:?}"));
    };
    Ok(Figures {
        requests_per_second: requests / (duration / 1e6),
        p50_us: p50,
        p95_us: p95,
        p99_us: p99,
        failed: failed as u64,
    })
}

fn print_row(load: &Load, figures: &Figures, baseline: Option<&Figures>) {
    let share = baseline.map_or("—".to_owned(), |base| {
        format!(
            "{:.0} %",
            100.0 * figures.requests_per_second / base.requests_per_second
        )
    });
    println!(
        "| {} | {:.0} | {:.1} | {:.1} | {:.1} | {share} | {} |",
        load.name,
        figures.requests_per_second,
        figures.p50_us / 1e3,
        figures.p95_us / 1e3,
        figures.p99_us / 1e3,
        figures.failed,
    );
}

// --- The baseline -------------------------------------------------------------------------

mod baseline {
    use actix_web::{App, HttpRequest, HttpResponse, HttpServer, web};
    use diesel::prelude::*;
    use diesel::r2d2::{ConnectionManager, Pool};
    use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
    use serde::{Deserialize, Serialize};

    use super::{BASELINE_SECRET, customers, free_port, wait_until_up};

    pub struct Baseline {
        pub port: u16,
        pub token: String,
    }

    #[derive(Serialize, Deserialize)]
    struct Claims {
        sub: String,
        exp: i64,
    }

    enum Pools {
        Postgresql(Pool<ConnectionManager<PgConnection>>),
        Sqlite(Pool<ConnectionManager<SqliteConnection>>),
    }

    struct State {
        pools: Pools,
        key: DecodingKey,
        validation: Validation,
    }

    type Row = (i64, String, String, String, String, String, String, i64);

    fn pool<C: diesel::r2d2::R2D2Connection + 'static>(
        url: &str,
        size: u32,
    ) -> Result<Pool<ConnectionManager<C>>, String> {
        Pool::builder()
            .max_size(size)
            .test_on_check_out(false)
            .build(ConnectionManager::new(url))
            .map_err(|e| e.to_string())
    }

    /// Starts the baseline server on its own thread; it lives as long as the bench.
    pub fn start(url: &str, pool_size: u32) -> Result<Baseline, String> {
        let pools = match url.strip_prefix("sqlite://") {
            Some(path) => Pools::Sqlite(pool(path, pool_size)?),
            None => Pools::Postgresql(pool(url, pool_size)?),
        };
        let state = web::Data::new(State {
            pools,
            key: DecodingKey::from_secret(BASELINE_SECRET),
            validation: Validation::new(Algorithm::HS256),
        });
        let claims = Claims {
            sub: "staff:1".into(),
            exp: chrono::Utc::now().timestamp() + 3_600,
        };
        let token = jsonwebtoken::encode(
            &Header::new(Algorithm::HS256),
            &claims,
            &EncodingKey::from_secret(BASELINE_SECRET),
        )
        .map_err(|e| e.to_string())?;
        let port = free_port()?;
        std::thread::spawn(move || {
            actix_web::rt::System::new().block_on(async move {
                let server = HttpServer::new(move || {
                    App::new()
                        .app_data(state.clone())
                        .route("/customers/{id}", web::get().to(customer))
                })
                .bind(("127.0.0.1", port))?
                .run();
                server.await
            })
        });
        wait_until_up(port)?;
        Ok(Baseline { port, token })
    }

    async fn customer(
        state: web::Data<State>,
        req: HttpRequest,
        id: web::Path<i64>,
    ) -> HttpResponse {
        let token = req
            .headers()
            .get("authorization")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "));
        let valid = token.is_some_and(|t| {
            jsonwebtoken::decode::<Claims>(t, &state.key, &state.validation).is_ok()
        });
        if !valid {
            return HttpResponse::Unauthorized().finish();
        }
        let id = id.into_inner();
        let found = web::block(move || load(&state.pools, id)).await;
        match found {
            Ok(Ok(Some(row))) => HttpResponse::Ok().json(card(row)),
            Ok(Ok(None)) => HttpResponse::NotFound().finish(),
            _ => HttpResponse::InternalServerError().finish(),
        }
    }

    fn load(pools: &Pools, id: i64) -> Result<Option<Row>, String> {
        let query = customers::table.find(id).select((
            customers::id,
            customers::account_number,
            customers::display_name,
            customers::status,
            customers::emails,
            customers::phones,
            customers::addresses,
            customers::version,
        ));
        let found = match pools {
            Pools::Postgresql(pool) => {
                let mut conn = pool.get().map_err(|e| e.to_string())?;
                query.first::<Row>(&mut conn).optional()
            }
            Pools::Sqlite(pool) => {
                let mut conn = pool.get().map_err(|e| e.to_string())?;
                query.first::<Row>(&mut conn).optional()
            }
        };
        found.map_err(|e| e.to_string())
    }

    fn card(row: Row) -> serde_json::Value {
        let (id, account_number, display_name, status, emails, phones, addresses, version) = row;
        let json = |text: &str| serde_json::from_str::<serde_json::Value>(text).unwrap_or_default();
        serde_json::json!({
            "id": id,
            "account_number": account_number,
            "display_name": display_name,
            "status": status,
            "emails": json(&emails),
            "phones": json(&phones),
            "addresses": json(&addresses),
            "version": version,
        })
    }
}
