//! What every handler shares: the database, the settings, the clock and the signing keys.

use std::sync::Arc;

use chrono::{DateTime, DurationRound, TimeDelta, Utc};
use okno_db::{Database, DbConnection};
use okno_domain::clock::Clock;

use crate::auth::passwords::PasswordHasher;
use crate::auth::tokens::TokenKeys;
use crate::config::Settings;
use crate::error::{ApiError, ApiResult};

#[derive(Debug, Clone)]
pub struct AppState {
    pub db: Database,
    pub settings: Arc<Settings>,
    pub clock: Arc<dyn Clock>,
    pub tokens: Arc<TokenKeys>,
    pub passwords: Arc<PasswordHasher>,
    /// Billing runs with workers on this server.
    pub billing_runs: crate::billing::ActiveRuns,
    /// Turns for hashing and checking passwords (see [`AppState::check_password`]).
    pub password_turns: Arc<tokio::sync::Semaphore>,
    /// Staff sessions checked a moment ago.
    pub sessions: Arc<crate::auth::session_cache::SessionCache>,
    /// Where staff reads of personal data are queued for the audit log.
    pub read_trail: crate::audit::ReadTrail,
    /// The gateway taking online payments; none when they are off.
    pub gateway: Option<Arc<dyn crate::payments::online::PaymentGateway>>,
    /// The server's own address once it listens (`http://127.0.0.1:8080`).
    pub local_address: LocalAddress,
    /// The mail server and SMS gateway messages to customers go through.
    pub couriers: crate::notifications::delivery::Couriers,
}

/// The server's own address, known once it listens (the port may be picked then): what the
/// fake gateway calls back.
#[derive(Debug, Clone, Default)]
pub struct LocalAddress(Arc<std::sync::OnceLock<String>>);

impl LocalAddress {
    pub fn get(&self) -> Option<&str> {
        self.0.get().map(String::as_str)
    }

    /// Records the address the server listens at; the first one stays.
    pub fn set(&self, address: std::net::SocketAddr) {
        let host = match address.ip() {
            ip if ip.is_unspecified() && ip.is_ipv4() => "127.0.0.1".to_owned(),
            ip if ip.is_unspecified() => "[::1]".to_owned(),
            std::net::IpAddr::V6(ip) => format!("[{ip}]"),
            std::net::IpAddr::V4(ip) => ip.to_string(),
        };
        let _ = self.0.set(format!("http://{host}:{}", address.port()));
    }
}

impl AppState {
    /// Runs blocking database work on the thread pool, off the async reactor.
    pub async fn run<T, F>(&self, work: F) -> ApiResult<T>
    where
        F: FnOnce(&mut DbConnection) -> ApiResult<T> + Send + 'static,
        T: Send + 'static,
    {
        let db = self.db.clone();
        actix_web::web::block(move || {
            let mut conn = db.get()?;
            let result = work(&mut conn);
            if let Err(ApiError::Unavailable(_)) = result {
                okno_db::discard_if_dead(&mut conn);
            }
            result
        })
        .await?
    }

    /// Like [`AppState::run`], inside one write transaction: all or nothing.
    pub async fn write<T, F>(&self, work: F) -> ApiResult<T>
    where
        F: FnOnce(&mut DbConnection) -> ApiResult<T> + Send + 'static,
        T: Send + 'static,
    {
        self.run(move |conn| okno_db::write_transaction(conn, work))
            .await
    }

    /// Whether `password` matches `stored` (none: a decoy check, so that an unknown name takes
    /// as long as a known one). Checks take their turn, a few at a time, on the blocking pool
    /// and without a database connection: a flood of sign-ins waits for itself and leaves the
    /// connections to everyone else.
    pub async fn check_password(
        &self,
        password: String,
        stored: Option<String>,
    ) -> ApiResult<bool> {
        let passwords = self.passwords.clone();
        self.password_turn(move || match stored {
            Some(hash) => passwords.verify(&password, &hash),
            None => {
                passwords.verify_decoy(&password);
                false
            }
        })
        .await
    }

    /// The hash of a new password, made in turn like [`AppState::check_password`].
    pub async fn hash_password(&self, password: String) -> ApiResult<String> {
        let passwords = self.passwords.clone();
        self.password_turn(move || passwords.hash(&password))
            .await?
    }

    async fn password_turn<T: Send + 'static>(
        &self,
        work: impl FnOnce() -> T + Send + 'static,
    ) -> ApiResult<T> {
        let _turn = self
            .password_turns
            .acquire()
            .await
            .map_err(|e| ApiError::Internal(e.to_string()))?;
        Ok(actix_web::web::block(work).await?)
    }

    /// Waits until the reads audited so far are in the audit log.
    pub async fn flush_read_trail(&self) -> ApiResult<()> {
        let trail = self.read_trail.clone();
        Ok(actix_web::web::block(move || trail.flush()).await?)
    }

    /// Who messages to customers come from (the operator's name and accounts).
    pub fn sender(&self) -> crate::notifications::Sender {
        crate::notifications::Sender::of(&self.settings)
    }

    /// Now, to the microsecond both databases keep.
    pub fn now(&self) -> DateTime<Utc> {
        truncate_to_micros(self.clock.now())
    }
}

pub fn truncate_to_micros(time: DateTime<Utc>) -> DateTime<Utc> {
    time.duration_trunc(TimeDelta::microseconds(1))
        .unwrap_or(time)
}

impl From<diesel::result::Error> for ApiError {
    fn from(error: diesel::result::Error) -> Self {
        okno_db::DbError::from(error).into()
    }
}
