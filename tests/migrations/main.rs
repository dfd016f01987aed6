//! Upgrades with data: a database of every released schema, holding the rows that release
//! wrote, migrates to the latest schema without losing a row, and the current data layer
//! reads every row and keeps writing — on SQLite and on PostgreSQL.
//!
//! Each migration has a fixture, `fixtures/<migration>.sql`, loaded right after the migration
//! is applied, so its rows are written against the schema of that release. For every release
//! `k` a fresh database gets migrations and fixtures `1..=k`, then the remaining migrations;
//! `releases.rs` then checks what each loaded fixture wrote, through the current code.
//!
//! A fixture is plain SQL both backends run unchanged (explicit ids, `TRUE`/`FALSE`,
//! `'YYYY-MM-DD HH:MM:SS'` times). Where that is impossible, `<migration>.postgresql.sql` and
//! `<migration>.sqlite.sql` replace it, both together.

#![expect(
    clippy::expect_used,
    clippy::panic,
    clippy::unwrap_used,
    reason = "tests fail loudly"
)]

mod releases;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use diesel::connection::SimpleConnection;
use diesel::migration::MigrationSource;
use diesel::pg::Pg;
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Text};
use diesel::sqlite::Sqlite;
use diesel_migrations::MigrationHarness;
use okno_db::{Database, DbConnection, POSTGRES_MIGRATIONS, SQLITE_MIGRATIONS};
use okno_e2e::{Backend, TestDatabase};

/// Diesel's own bookkeeping, not data of Okno's.
const MIGRATIONS_TABLE: &str = "__diesel_schema_migrations";

fn repository_path(relative: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(relative)
}

fn fixtures_dir() -> PathBuf {
    repository_path("migrations/fixtures")
}

fn folder_name(backend: Backend) -> &'static str {
    match backend {
        Backend::Sqlite => "sqlite",
        Backend::Postgres => "postgresql",
    }
}

/// A migration as this binary carries it: its folder name and the version diesel records.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Migration {
    name: String,
    version: String,
}

/// The embedded migrations of `backend`, in the order diesel applies them.
fn migrations(backend: Backend) -> Vec<Migration> {
    let mut list: Vec<Migration> = match backend {
        Backend::Sqlite => MigrationSource::<Sqlite>::migrations(&SQLITE_MIGRATIONS)
            .expect("the SQLite migrations")
            .iter()
            .map(|m| Migration {
                name: m.name().to_string(),
                version: m.name().version().to_string(),
            })
            .collect(),
        Backend::Postgres => MigrationSource::<Pg>::migrations(&POSTGRES_MIGRATIONS)
            .expect("the PostgreSQL migrations")
            .iter()
            .map(|m| Migration {
                name: m.name().to_string(),
                version: m.name().version().to_string(),
            })
            .collect(),
    };
    list.sort_by(|a, b| a.version.cmp(&b.version));
    list
}

fn missing_fixture_message(name: &str) -> String {
    format!(
        "migration {name} has no fixture: add tests/migrations/fixtures/{name}.sql with a couple \
         of rows for every table the migration creates or changes, written as the release that \
         adds it writes them (see tests/migrations/main.rs), and its checks in \
         tests/migrations/releases.rs"
    )
}

/// The SQL that fills the schema of `migration` with data, for `backend`.
fn fixture(migration: &str, backend: Backend) -> String {
    let dir = fixtures_dir();
    let own = dir.join(format!("{migration}.{}.sql", folder_name(backend)));
    let shared = dir.join(format!("{migration}.sql"));
    let path = if own.is_file() { own } else { shared };
    std::fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!(
            "{} ({}: {e})",
            missing_fixture_message(migration),
            path.display()
        )
    })
}

fn apply_next(conn: &mut DbConnection, migration: &Migration) {
    let applied = match conn {
        DbConnection::Postgresql(pg) => pg
            .run_next_migration(POSTGRES_MIGRATIONS)
            .map(|v| v.to_string()),
        DbConnection::Sqlite(sqlite) => sqlite
            .run_next_migration(SQLITE_MIGRATIONS)
            .map(|v| v.to_string()),
    }
    .unwrap_or_else(|e| panic!("migration {} fails: {e}", migration.name));
    assert_eq!(
        applied, migration.version,
        "diesel applied another migration than {}",
        migration.name
    );
}

fn pending(conn: &mut DbConnection) -> usize {
    match conn {
        DbConnection::Postgresql(pg) => pg.pending_migrations(POSTGRES_MIGRATIONS).map(|m| m.len()),
        DbConnection::Sqlite(sqlite) => sqlite
            .pending_migrations(SQLITE_MIGRATIONS)
            .map(|m| m.len()),
    }
    .expect("pending migrations")
}

fn applied(conn: &mut DbConnection) -> Vec<String> {
    let mut versions: Vec<String> = match conn {
        DbConnection::Postgresql(pg) => pg.applied_migrations(),
        DbConnection::Sqlite(sqlite) => sqlite.applied_migrations(),
    }
    .expect("applied migrations")
    .iter()
    .map(ToString::to_string)
    .collect();
    versions.sort();
    versions
}

#[derive(QueryableByName)]
struct NameRow {
    #[diesel(sql_type = Text)]
    name: String,
}

#[derive(QueryableByName)]
struct CountRow {
    #[diesel(sql_type = BigInt)]
    n: i64,
}

fn names(conn: &mut DbConnection, sql: &str) -> Vec<String> {
    let rows: Vec<NameRow> = okno_db::on_each_backend!(conn, |c| diesel::sql_query(sql).load(c))
        .unwrap_or_else(|e| panic!("{sql}: {e}"));
    rows.into_iter().map(|r| r.name).collect()
}

/// Every table of Okno's in the database.
fn tables(conn: &mut DbConnection) -> Vec<String> {
    let sql = match conn {
        DbConnection::Postgresql(_) => {
            "SELECT tablename::text AS name FROM pg_tables \
             WHERE schemaname = current_schema() ORDER BY 1"
        }
        DbConnection::Sqlite(_) => {
            "SELECT name FROM sqlite_master \
             WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY 1"
        }
    };
    names(conn, sql)
        .into_iter()
        .filter(|t| t != MIGRATIONS_TABLE)
        .collect()
}

/// Rows per table.
fn counts(conn: &mut DbConnection) -> BTreeMap<String, i64> {
    tables(conn)
        .into_iter()
        .map(|table| {
            let sql = format!("SELECT COUNT(*) AS n FROM \"{table}\"");
            let row: CountRow = okno_db::on_each_backend!(&mut *conn, |c| diesel::sql_query(&sql)
                .get_result(c))
            .unwrap_or_else(|e| panic!("{sql}: {e}"));
            (table, row.n)
        })
        .collect()
}

/// Rows inserted with explicit ids leave PostgreSQL's sequences behind; a database the
/// application filled has them past its ids, so they are moved there, as the application
/// would have left them. SQLite takes the next rowid by itself.
fn catch_up_sequences(conn: &mut DbConnection) {
    if !matches!(conn, DbConnection::Postgresql(_)) {
        return;
    }
    let serial = names(
        conn,
        "SELECT table_name::text AS name FROM information_schema.columns \
         WHERE table_schema = current_schema() AND column_name = 'id' \
         AND column_default LIKE 'nextval(%' ORDER BY 1",
    );
    let sql: String = serial
        .iter()
        .map(|t| {
            format!(
                "SELECT setval(pg_get_serial_sequence('\"{t}\"', 'id'), MAX(id)) \
                 FROM \"{t}\" HAVING MAX(id) IS NOT NULL;"
            )
        })
        .collect();
    conn.batch_execute(&sql)
        .expect("sequences set past the ids");
}

fn load_fixture(conn: &mut DbConnection, migration: &Migration, backend: Backend) {
    let sql = fixture(&migration.name, backend);
    okno_db::write_transaction(conn, |c| c.batch_execute(&sql))
        .unwrap_or_else(|e| panic!("fixture {} does not load: {e}", migration.name));
    catch_up_sequences(conn);
}

/// SQLite checks foreign keys only on the rows a statement writes; a migration that rebuilds
/// a table could leave references dangling unseen.
fn assert_sqlite_sound(conn: &mut DbConnection) {
    let DbConnection::Sqlite(sqlite) = conn else {
        return;
    };
    #[derive(QueryableByName)]
    struct Dangling {
        #[diesel(sql_type = Text)]
        table: String,
        #[diesel(sql_type = Text)]
        parent: String,
    }
    let dangling: Vec<Dangling> = diesel::sql_query("PRAGMA foreign_key_check")
        .load(sqlite)
        .expect("foreign key check");
    let found: Vec<String> = dangling
        .iter()
        .map(|d| format!("{} -> {}", d.table, d.parent))
        .collect();
    assert!(found.is_empty(), "references left dangling: {found:?}");
    let integrity: Vec<NameRow> =
        diesel::sql_query("SELECT integrity_check AS name FROM pragma_integrity_check")
            .load(sqlite)
            .expect("integrity check");
    let problems: Vec<String> = integrity
        .into_iter()
        .map(|r| r.name)
        .filter(|line| line != "ok")
        .collect();
    assert!(problems.is_empty(), "SQLite integrity: {problems:?}");
}

/// A database of release `release` (the first `release` migrations), filled by that release
/// and its predecessors, upgraded to the latest schema and checked.
fn upgrade_from(backend: Backend, list: &[Migration], release: usize) -> Option<()> {
    let (old, new) = list.split_at(release);
    let from = old.last().map_or("nothing", |m| m.name.as_str());
    let database = TestDatabase::create(backend)?;
    let db = Database::connect(&database.url, 1).expect("connect");
    let mut pooled = db.get().expect("a connection");
    let conn: &mut DbConnection = &mut pooled;

    for migration in old {
        apply_next(conn, migration);
        load_fixture(conn, migration, backend);
    }
    let written = counts(conn);
    for migration in new {
        apply_next(conn, migration);
    }
    assert_eq!(pending(conn), 0, "from {from}: migrations left pending");
    assert_eq!(
        applied(conn),
        list.iter().map(|m| m.version.clone()).collect::<Vec<_>>(),
        "from {from}: applied migrations"
    );

    let upgraded = counts(conn);
    for (table, rows) in &written {
        assert_eq!(
            upgraded.get(table),
            Some(rows),
            "from {from}: table {table} held {rows} rows before the upgrade"
        );
    }
    if new.is_empty() {
        let empty: Vec<&String> = upgraded
            .iter()
            .filter(|(_, rows)| **rows == 0)
            .map(|(table, _)| table)
            .collect();
        assert!(
            empty.is_empty(),
            "no fixture writes a row to {empty:?}: the fixture of the migration that creates \
             a table fills it"
        );
    }
    assert_sqlite_sound(conn);

    let loaded: Vec<&str> = old.iter().map(|m| m.name.as_str()).collect();
    releases::check(conn, &loaded, from);
    releases::write_after_upgrade(conn, &loaded, from);
    Some(())
}

fn upgrades_every_release(backend: Backend) {
    let list = migrations(backend);
    assert!(!list.is_empty(), "no migrations embedded");
    for release in 1..=list.len() {
        let started = Instant::now();
        if upgrade_from(backend, &list, release).is_none() {
            return;
        }
        report(backend, &list, release, started.elapsed());
    }
}

fn report(backend: Backend, list: &[Migration], release: usize, took: Duration) {
    let from = list
        .get(release.saturating_sub(1))
        .map_or("", |m| m.name.as_str());
    eprintln!("{backend:?}: upgraded from {from} with data in {took:.2?}");
}

#[test]
fn upgrades_every_release_with_data_sqlite() {
    upgrades_every_release(Backend::Sqlite);
}

#[test]
fn upgrades_every_release_with_data_postgres() {
    upgrades_every_release(Backend::Postgres);
}

fn migration_folders(backend: Backend) -> Vec<String> {
    let dir = repository_path("../crates/db/migrations").join(folder_name(backend));
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|entry| entry.expect("a folder entry"))
        .filter(|entry| entry.path().is_dir())
        .map(|entry| entry.file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

/// A migration added without a fixture, or to one backend only, fails here with what to do.
#[test]
fn every_migration_has_a_fixture_on_both_backends() {
    let postgres = migration_folders(Backend::Postgres);
    let sqlite = migration_folders(Backend::Sqlite);
    assert_eq!(
        postgres, sqlite,
        "crates/db/migrations/postgresql and crates/db/migrations/sqlite must hold the same \
         migrations, in the same order"
    );
    for backend in [Backend::Postgres, Backend::Sqlite] {
        let embedded: Vec<String> = migrations(backend).into_iter().map(|m| m.name).collect();
        assert_eq!(
            embedded,
            migration_folders(backend),
            "the embedded {backend:?} migrations are not the migration folders"
        );
    }

    let mut known: Vec<String> = Vec::new();
    for name in &postgres {
        let dir = fixtures_dir();
        let shared = dir.join(format!("{name}.sql"));
        let own: Vec<PathBuf> = ["postgresql", "sqlite"]
            .iter()
            .map(|b| dir.join(format!("{name}.{b}.sql")))
            .collect();
        let own_count = own.iter().filter(|p| p.is_file()).count();
        assert!(
            shared.is_file() || own_count == own.len(),
            "{}",
            missing_fixture_message(name)
        );
        assert!(
            own_count == 0 || own_count == own.len(),
            "{name}: a backend's own fixture needs the other backend's beside it"
        );
        known.push(format!("{name}.sql"));
        known.extend(["postgresql", "sqlite"].map(|b| format!("{name}.{b}.sql")));
    }
    let strays: Vec<String> = std::fs::read_dir(fixtures_dir())
        .expect("the fixtures folder")
        .map(|entry| {
            entry
                .expect("a fixture")
                .file_name()
                .to_string_lossy()
                .into_owned()
        })
        .filter(|file| !known.contains(file))
        .collect();
    assert!(
        strays.is_empty(),
        "fixtures without a migration (renamed or removed?): {strays:?}"
    );
}
