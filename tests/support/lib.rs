//! Test support: a real Okno server on a fresh database per test, SQLite or PostgreSQL, with
//! the demo staff seeded and a clock the test can move.
//!
//! PostgreSQL tests need a server at `OKNO_TEST_POSTGRES_URL` (default
//! `postgres://postgres@127.0.0.1:5432/test`); each test creates its own database there and
//! drops it afterwards. Without a server they are skipped with a message, unless
//! `OKNO_REQUIRE_POSTGRES=1` (as in CI), which turns the skip into a failure.

#![expect(
    clippy::expect_used,
    clippy::panic,
    reason = "test support fails loudly by design"
)]

use std::sync::Arc;
use std::sync::atomic::{AtomicU32, Ordering};

use diesel::{Connection, PgConnection, RunQueryDsl};
use okno_api_types::Role;
use okno_api_types::auth::{LoginRequest, Realm};
use okno_client::Client;
use okno_domain::clock::OffsetClock;
use okno_server::demo::{self, DEMO_PASSWORD, DEMO_USERS, SeedOutcome};
use okno_server::{AppState, Application, PasswordHashing, Settings};

pub use okno_client;

pub mod mail;
pub mod sms;

const DEFAULT_POSTGRES_URL: &str = "postgres://postgres@127.0.0.1:5432/test";
/// A fixed secret, so tests can forge and inspect tokens.
pub const TEST_JWT_SECRET: &str = "test-secret-test-secret-test-secret-0123";
/// The fake gateway's webhook secret, so tests can sign (and forge) its notifications.
pub const TEST_WEBHOOK_SECRET: &str = "whsec_test_okno_webhook_secret";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// A database of its own for one test on the shared PostgreSQL server, dropped afterwards.
struct PostgresDatabase {
    admin_url: String,
    name: String,
}

impl Drop for PostgresDatabase {
    fn drop(&mut self) {
        if let Ok(mut conn) = PgConnection::establish(&self.admin_url) {
            let _ = diesel::sql_query(format!(
                "DROP DATABASE IF EXISTS \"{}\" WITH (FORCE)",
                self.name
            ))
            .execute(&mut conn);
        }
    }
}

fn postgres_admin_url() -> String {
    std::env::var("OKNO_TEST_POSTGRES_URL").unwrap_or_else(|_| DEFAULT_POSTGRES_URL.into())
}

fn postgres_required() -> bool {
    std::env::var("OKNO_REQUIRE_POSTGRES").is_ok_and(|v| v == "1" || v == "true")
}

/// Creates a fresh database, or says why it cannot.
fn create_postgres_database() -> Result<(PostgresDatabase, String), String> {
    static COUNTER: AtomicU32 = AtomicU32::new(0);
    let admin_url = postgres_admin_url();
    let mut conn = PgConnection::establish(&admin_url)
        .map_err(|e| format!("PostgreSQL at {admin_url} is unreachable: {e}"))?;
    let name = format!(
        "okno_test_{}_{}_{}",
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::Relaxed),
        rand::random::<u32>()
    );
    diesel::sql_query(format!("CREATE DATABASE \"{name}\""))
        .execute(&mut conn)
        .map_err(|e| format!("cannot create a test database: {e}"))?;
    let url = match admin_url.rsplit_once('/') {
        Some((server, _)) => format!("{server}/{name}"),
        None => panic!("OKNO_TEST_POSTGRES_URL needs a database path: {admin_url}"),
    };
    Ok((PostgresDatabase { admin_url, name }, url))
}

/// A database of its own for one test: a SQLite file in a temporary folder (the data folder
/// too), or a fresh database on the PostgreSQL server, dropped afterwards.
pub struct TestDatabase {
    pub backend: Backend,
    pub url: String,
    pub data_dir: tempfile::TempDir,
    _postgres: Option<PostgresDatabase>,
}

impl TestDatabase {
    /// `None` (with a message) when the backend is not available and not required.
    pub fn create(backend: Backend) -> Option<Self> {
        let data_dir = tempfile::tempdir().expect("temporary folder");
        let (url, postgres) = match backend {
            Backend::Sqlite => (
                format!("sqlite://{}", data_dir.path().join("okno.db").display()),
                None,
            ),
            Backend::Postgres => match create_postgres_database() {
                Ok((database, url)) => (url, Some(database)),
                Err(reason) if !postgres_required() => {
                    eprintln!(
                        "skipping a PostgreSQL test: {reason} (set OKNO_REQUIRE_POSTGRES=1 to fail instead)"
                    );
                    return None;
                }
                Err(reason) => panic!("PostgreSQL is required (OKNO_REQUIRE_POSTGRES=1): {reason}"),
            },
        };
        Some(Self {
            backend,
            url,
            data_dir,
            _postgres: postgres,
        })
    }
}

pub struct TestApp {
    pub backend: Backend,
    pub base_url: String,
    /// A client without credentials.
    pub client: Client,
    pub state: AppState,
    pub clock: Arc<OffsetClock>,
    server: actix_web::dev::ServerHandle,
    _database: TestDatabase,
}

impl TestApp {
    /// A server on a fresh database with the demo staff; `None` (with a message) when the
    /// backend is not available and not required.
    pub async fn spawn(backend: Backend) -> Option<Self> {
        Self::spawn_with(backend, |_| {}).await
    }

    pub async fn spawn_with(
        backend: Backend,
        configure: impl FnOnce(&mut Settings),
    ) -> Option<Self> {
        Self::start(backend, configure, true).await
    }

    /// A server on an empty database: not even the demo staff.
    pub async fn spawn_empty(backend: Backend) -> Option<Self> {
        Self::start(backend, |_| {}, false).await
    }

    async fn start(
        backend: Backend,
        configure: impl FnOnce(&mut Settings),
        with_staff: bool,
    ) -> Option<Self> {
        let database = TestDatabase::create(backend)?;
        let mut settings = Settings::new(database.data_dir.path());
        settings.database_url = database.url.clone();
        settings.listen = "127.0.0.1:0".into();
        settings.workers = Some(2);
        settings.database_pool_size = 4;
        settings.jwt_secret = Some(TEST_JWT_SECRET.into());
        settings.password_hashing = PasswordHashing::for_tests();
        // Tests start billing runs themselves, on the days they choose.
        settings.billing.scheduled_on_day = None;
        // Online payments through the stand-in for Stripe this server serves.
        settings.online_payments.gateway = okno_server::config::Gateway::Fake {
            webhook_secret: TEST_WEBHOOK_SECRET.into(),
        };
        // Tests deliver messages themselves (`deliver`), at the times they choose.
        settings.notifications.deliver_every = None;
        configure(&mut settings);

        let clock = Arc::new(OffsetClock::new());
        let state = okno_server::prepare(settings, clock.clone()).expect("server state");
        if with_staff {
            let seed_state = state.clone();
            state
                .run(move |conn| demo::seed_staff(&seed_state, conn))
                .await
                .expect("demo staff");
        }
        let app = Application::serve(state.clone()).expect("server");
        let base_url = format!("http://127.0.0.1:{}", app.port());
        let server = app.into_server();
        let handle = server.handle();
        tokio::spawn(server);
        Some(Self {
            backend,
            client: Client::new(&base_url).expect("client"),
            base_url,
            state,
            clock,
            server: handle,
            _database: database,
        })
    }

    /// Seeds the full demo: customers with consents and contacts.
    pub async fn seed_demo(&self) {
        let state = self.state.clone();
        let outcome = self
            .state
            .run(move |conn| demo::seed_customers(&state, conn))
            .await
            .expect("demo customers");
        assert!(
            matches!(outcome, SeedOutcome::Seeded { customers: 60, .. }),
            "{outcome:?}"
        );
    }

    /// A client logged in as the demo user `username`.
    pub async fn login(&self, username: &str) -> Client {
        let tokens = self
            .client
            .login(&LoginRequest {
                username: username.into(),
                password: DEMO_PASSWORD.into(),
                realm: Realm::Staff,
            })
            .await
            .unwrap_or_else(|e| panic!("login as {username}: {e}"));
        self.client.with_token(&tokens.access_token)
    }

    /// A client logged in as the demo user holding `role`.
    pub async fn as_role(&self, role: Role) -> Client {
        let username = DEMO_USERS
            .iter()
            .find(|(_, r, ..)| *r == role)
            .map(|(username, ..)| *username)
            .unwrap_or_else(|| panic!("no demo user has the role {role}"));
        self.login(username).await
    }

    pub async fn stop(&self) {
        self.server.stop(false).await;
    }
}

/// Runs each test body once on SQLite and once on PostgreSQL:
///
/// ```ignore
/// both_backends! {
///     async fn finds_by_phone(app) { ... }
/// }
/// ```
/// gives the tests `finds_by_phone::sqlite` and `finds_by_phone::postgres`.
#[macro_export]
macro_rules! both_backends {
    ($( $(#[$meta:meta])* async fn $name:ident($app:ident) $body:block )*) => {
        $(
            $(#[$meta])*
            mod $name {
                #[allow(unused_imports)]
                use super::*;

                async fn run($app: &$crate::TestApp) $body

                async fn on(backend: $crate::Backend) {
                    if let Some(app) = $crate::TestApp::spawn(backend).await {
                        run(&app).await;
                        app.stop().await;
                    }
                }

                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn sqlite() {
                    on($crate::Backend::Sqlite).await;
                }

                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn postgres() {
                    on($crate::Backend::Postgres).await;
                }
            }
        )*
    };
}

/// Asserts that a call was refused with `status` and `code`, and returns the problem.
#[track_caller]
pub fn refused<T: std::fmt::Debug>(
    result: okno_client::Result<T>,
    status: u16,
    code: okno_api_types::ErrorCode,
) -> okno_api_types::Problem {
    match result {
        Err(okno_client::ClientError::Api(problem)) => {
            assert_eq!(
                (problem.status, problem.code),
                (status, code),
                "unexpected problem: {problem:?}"
            );
            *problem
        }
        other => panic!("expected {status} {}, got {other:?}", code.as_str()),
    }
}

/// The field errors of a `validation_failed` problem, as (field, code) pairs.
pub fn field_errors(problem: &okno_api_types::Problem) -> Vec<(String, String)> {
    problem
        .errors
        .iter()
        .map(|e| (e.field.clone(), e.code.as_str().to_owned()))
        .collect()
}

impl TestApp {
    /// Delivers the messages due now, as the server's delivery worker would.
    pub async fn deliver(&self) -> okno_server::notifications::delivery::DeliveryReport {
        okno_server::notifications::delivery::deliver_due(&self.state, "test-worker")
            .await
            .expect("delivery")
    }

    /// Runs the scheduled jobs once, as the periodic task would.
    pub async fn run_jobs(&self) -> okno_server::jobs::JobReport {
        let (now, reminders) = (
            self.state.now(),
            okno_server::jobs::Reminders::of(&self.state),
        );
        self.state
            .run(move |conn| okno_server::jobs::run_due(conn, &reminders, now))
            .await
            .expect("jobs")
    }

    /// Today as the server sees it.
    pub fn today(&self) -> chrono::NaiveDate {
        self.state.now().date_naive()
    }
}
