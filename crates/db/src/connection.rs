//! One connection type over PostgreSQL and SQLite, the pool, migrations and write transactions.

use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use diesel::connection::{AnsiTransactionManager, SimpleConnection, TransactionManager};
use diesel::prelude::*;
use diesel::r2d2::R2D2Connection;
use diesel_migrations::{EmbeddedMigrations, MigrationHarness, embed_migrations};

use crate::DbError;
use crate::backup::InUse;

/// The schema of each backend, as migrations in order; the same changes on both.
pub const POSTGRES_MIGRATIONS: EmbeddedMigrations = embed_migrations!("migrations/postgresql");
pub const SQLITE_MIGRATIONS: EmbeddedMigrations = embed_migrations!("migrations/sqlite");

/// Runs the same diesel expression on the concrete connection of either backend, for the few
/// statements `MultiBackend` cannot express (upserts, row locks, bulk loads). The body is
/// compiled once per backend.
#[macro_export]
macro_rules! on_each_backend {
    ($conn:expr, |$c:ident| $body:expr) => {
        match $conn {
            $crate::DbConnection::Postgresql($c) => $body,
            $crate::DbConnection::Sqlite($c) => $body,
        }
    };
}

/// A connection to either backend; queries written once run on both.
#[derive(diesel::MultiConnection)]
pub enum DbConnection {
    Postgresql(PgConnection),
    Sqlite(SqliteConnection),
}

impl DbConnection {
    pub fn backend(&self) -> Backend {
        match self {
            Self::Postgresql(_) => Backend::Postgresql,
            Self::Sqlite(_) => Backend::Sqlite,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Postgresql,
    Sqlite,
}

impl Backend {
    pub fn name(self) -> &'static str {
        match self {
            Self::Postgresql => "postgresql",
            Self::Sqlite => "sqlite",
        }
    }
}

/// Where the database is, parsed from a URL: `postgres://…`, `postgresql://…`,
/// `sqlite://path/to/file.db`, `sqlite:path` or `sqlite::memory:`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DatabaseUrl {
    Postgresql(String),
    Sqlite(String),
}

impl DatabaseUrl {
    pub fn parse(url: &str) -> Result<Self, DbError> {
        if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            return Ok(Self::Postgresql(url.to_owned()));
        }
        let path = url
            .strip_prefix("sqlite://")
            .or_else(|| url.strip_prefix("sqlite:"))
            .ok_or_else(|| {
                DbError::Config(format!(
                    "unsupported database URL {url:?}: use postgres://… or sqlite://…"
                ))
            })?;
        if path.is_empty() {
            return Err(DbError::Config("the SQLite URL names no file".into()));
        }
        Ok(Self::Sqlite(path.to_owned()))
    }

    pub fn backend(&self) -> Backend {
        match self {
            Self::Postgresql(_) => Backend::Postgresql,
            Self::Sqlite(_) => Backend::Sqlite,
        }
    }
}

/// Opens connections for the pool, setting SQLite up the way a server needs it.
#[derive(Debug, Clone)]
pub struct ConnectionManager {
    url: DatabaseUrl,
}

impl r2d2::ManageConnection for ConnectionManager {
    type Connection = DbConnection;
    type Error = DbError;

    fn connect(&self) -> Result<DbConnection, DbError> {
        match &self.url {
            DatabaseUrl::Postgresql(url) => {
                Ok(DbConnection::Postgresql(PgConnection::establish(url)?))
            }
            DatabaseUrl::Sqlite(path) => {
                let mut conn = SqliteConnection::establish(path)?;
                // WAL lets readers run beside the one writer; the busy timeout makes a second
                // writer wait instead of failing; SQLite enforces foreign keys only when asked.
                conn.batch_execute(
                    "PRAGMA busy_timeout = 10000; PRAGMA journal_mode = WAL; \
                     PRAGMA foreign_keys = ON; PRAGMA synchronous = NORMAL;",
                )?;
                Ok(DbConnection::Sqlite(conn))
            }
        }
    }

    fn is_valid(&self, conn: &mut DbConnection) -> Result<(), DbError> {
        conn.ping().map_err(DbError::from)
    }

    fn has_broken(&self, conn: &mut DbConnection) -> bool {
        conn.is_broken()
    }
}

pub type Pool = r2d2::Pool<ConnectionManager>;
pub type PooledConnection = r2d2::PooledConnection<ConnectionManager>;

/// The database: a pool of connections to one backend.
#[derive(Debug, Clone)]
pub struct Database {
    pool: Pool,
    /// Held while this handle lives, so a restore never swaps an SQLite file in use.
    _in_use: Option<Arc<InUse>>,
    backend: Backend,
}

impl Database {
    /// Connects to the database at `url`, creating the folder of a SQLite file if needed.
    pub fn connect(url: &str, max_connections: u32) -> Result<Self, DbError> {
        let url = DatabaseUrl::parse(url)?;
        let backend = url.backend();
        let mut in_use = None;
        let max_connections = match &url {
            // An in-memory database exists once per connection.
            DatabaseUrl::Sqlite(path) if path == ":memory:" => 1,
            DatabaseUrl::Sqlite(path) => {
                if let Some(parent) = Path::new(path)
                    .parent()
                    .filter(|p| !p.as_os_str().is_empty())
                {
                    std::fs::create_dir_all(parent).map_err(|e| {
                        DbError::Config(format!("cannot create {}: {e}", parent.display()))
                    })?;
                }
                in_use = Some(Arc::new(InUse::take(path)?));
                max_connections
            }
            DatabaseUrl::Postgresql(_) => max_connections,
        };
        let pool = r2d2::Pool::builder()
            .max_size(max_connections.max(1))
            // A `SELECT 1` before every checkout was a third of the round trips of a card.
            // A connection that broke while idle (the database restarted) fails the one
            // request that gets it, as `503`, and diesel marks it broken, so the pool drops
            // it and the next request gets a new one.
            .test_on_check_out(false)
            .connection_timeout(Duration::from_secs(10))
            .build(ConnectionManager { url })?;
        Ok(Self {
            pool,
            backend,
            _in_use: in_use,
        })
    }

    pub fn backend(&self) -> Backend {
        self.backend
    }

    pub fn get(&self) -> Result<PooledConnection, DbError> {
        Ok(self.pool.get()?)
    }

    /// Applies the migrations this binary carries that the database has not seen yet.
    pub fn migrate(&self) -> Result<usize, DbError> {
        let mut conn = self.get()?;
        let applied = match &mut *conn {
            DbConnection::Postgresql(pg) => pg
                .run_pending_migrations(POSTGRES_MIGRATIONS)
                .map(|v| v.len()),
            DbConnection::Sqlite(sqlite) => sqlite
                .run_pending_migrations(SQLITE_MIGRATIONS)
                .map(|v| v.len()),
        };
        applied.map_err(|e| DbError::Migration(e.to_string()))
    }

    /// Open and idle connections of the pool.
    pub fn pool_state(&self) -> (u32, u32) {
        let state = self.pool.state();
        (state.connections, state.idle_connections)
    }

    /// Whether the database answers.
    pub fn ping(&self) -> Result<(), DbError> {
        self.get()?.ping().map_err(DbError::from)
    }
}

/// After a request failed as if the database were gone: a connection that no longer answers
/// is marked broken, so the pool drops it instead of handing it out again (the pool does not
/// test connections on checkout; see [`Database::connect`]).
pub fn discard_if_dead(conn: &mut DbConnection) {
    if conn.ping().is_err() {
        <DbConnection as Connection>::TransactionManager::transaction_manager_status_mut(conn)
            .set_in_error();
    }
}

/// Runs `f` in a transaction that holds the write lock from its first statement.
///
/// On SQLite a transaction that reads before it writes cannot wait for another writer: it
/// fails with "database is locked" when it tries to upgrade. `BEGIN IMMEDIATE` takes the write
/// lock up front, so concurrent writers queue on the busy timeout instead. PostgreSQL locks
/// rows, so a plain transaction is right there.
pub fn write_transaction<T, E, F>(conn: &mut DbConnection, f: F) -> Result<T, E>
where
    F: FnOnce(&mut DbConnection) -> Result<T, E>,
    E: From<diesel::result::Error>,
{
    let nested =
        <DbConnection as Connection>::TransactionManager::transaction_manager_status_mut(conn)
            .transaction_depth()
            .map_err(E::from)?
            .is_some();
    match conn {
        // Inside a transaction the write lock is held already; a savepoint nests.
        DbConnection::Sqlite(sqlite) if !nested => {
            AnsiTransactionManager::begin_transaction_sql(sqlite, "BEGIN IMMEDIATE")?
        }
        DbConnection::Sqlite(_) | DbConnection::Postgresql(_) => {
            <DbConnection as Connection>::TransactionManager::begin_transaction(conn)?
        }
    }
    match f(conn) {
        Ok(value) => {
            if let Err(commit_error) =
                <DbConnection as Connection>::TransactionManager::commit_transaction(conn)
            {
                // A failed commit leaves the transaction open on some backends.
                let _ =
                    <DbConnection as Connection>::TransactionManager::rollback_transaction(conn);
                return Err(commit_error.into());
            }
            Ok(value)
        }
        Err(error) => {
            <DbConnection as Connection>::TransactionManager::rollback_transaction(conn)?;
            Err(error)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_database_urls() {
        assert_eq!(
            DatabaseUrl::parse("sqlite://./data/okno.db").unwrap(),
            DatabaseUrl::Sqlite("./data/okno.db".into())
        );
        assert_eq!(
            DatabaseUrl::parse("sqlite::memory:").unwrap(),
            DatabaseUrl::Sqlite(":memory:".into())
        );
        assert_eq!(
            DatabaseUrl::parse("postgres://postgres@127.0.0.1/test")
                .unwrap()
                .backend(),
            Backend::Postgresql
        );
        assert!(DatabaseUrl::parse("mysql://x").is_err());
        assert!(DatabaseUrl::parse("sqlite://").is_err());
    }
}

#[cfg(test)]
mod write_transaction_tests {
    use super::*;
    use diesel::connection::SimpleConnection;

    fn memory() -> DbConnection {
        let mut conn = DbConnection::Sqlite(SqliteConnection::establish(":memory:").unwrap());
        conn.batch_execute("CREATE TABLE t (n INTEGER NOT NULL)")
            .unwrap();
        conn
    }

    fn count(conn: &mut DbConnection) -> i64 {
        diesel::select(diesel::dsl::sql::<diesel::sql_types::BigInt>(
            "(SELECT COUNT(*) FROM t)",
        ))
        .get_result(conn)
        .unwrap()
    }

    #[test]
    fn nested_write_transactions_commit_and_roll_back_together() {
        let mut conn = memory();
        write_transaction(&mut conn, |c| {
            c.batch_execute("INSERT INTO t VALUES (1)")?;
            write_transaction(c, |c| c.batch_execute("INSERT INTO t VALUES (2)"))
        })
        .unwrap();
        assert_eq!(count(&mut conn), 2);

        let failed: Result<(), diesel::result::Error> = write_transaction(&mut conn, |c| {
            c.batch_execute("INSERT INTO t VALUES (3)")?;
            write_transaction(c, |c| c.batch_execute("INSERT INTO t VALUES (4)"))?;
            Err(diesel::result::Error::RollbackTransaction)
        });
        assert!(failed.is_err());
        assert_eq!(
            count(&mut conn),
            2,
            "the outer rollback undoes the inner work too"
        );

        let inner_failed = write_transaction(&mut conn, |c| {
            c.batch_execute("INSERT INTO t VALUES (5)")?;
            let inner: Result<(), diesel::result::Error> = write_transaction(c, |c| {
                c.batch_execute("INSERT INTO t VALUES (6)")?;
                Err(diesel::result::Error::RollbackTransaction)
            });
            assert!(inner.is_err());
            Ok::<_, diesel::result::Error>(())
        });
        assert!(inner_failed.is_ok());
        assert_eq!(count(&mut conn), 3, "a failed savepoint rolls back alone");
    }
}
