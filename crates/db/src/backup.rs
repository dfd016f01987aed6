//! copies of an SQLite database and their way back. PostgreSQL is copied and restored
//! with its own tools (`pg_dump`, `pg_restore`), as `docs/operations.md` says.
//!
//! Every process using an SQLite database file holds a shared lock on `<file>.lock`; a restore
//! takes it exclusively, so it refuses to swap the file under a running server instead of
//! leaving that server writing into a file nobody reads.

use std::fs::{File, TryLockError};
use std::path::{Path, PathBuf};

use diesel::connection::SimpleConnection;
use diesel::migration::MigrationSource;
use diesel::prelude::*;
use diesel::sqlite::{Sqlite, SqliteConnection};
use diesel_migrations::MigrationHarness;

use crate::DbError;
use crate::connection::{DatabaseUrl, SQLITE_MIGRATIONS};

/// What a restore did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Restored {
    /// Migrations applied to bring a backup from an older release up to this one.
    pub migrations_applied: usize,
    /// Where the database that was replaced now is; `None` when there was none.
    pub previous: Option<PathBuf>,
}

/// Marks an SQLite database file as in use for as long as it lives.
#[derive(Debug)]
pub(crate) struct InUse {
    _lock: File,
}

impl InUse {
    /// Takes a shared hold on the database at `path`: any number of servers and commands
    /// together, never beside a restore.
    pub(crate) fn take(path: &str) -> Result<Self, DbError> {
        let lock = open_lock(path)?;
        match lock.try_lock_shared() {
            Ok(()) => Ok(Self { _lock: lock }),
            Err(TryLockError::WouldBlock) => Err(DbError::Config(format!(
                "{path} is being restored; start again when the restore has finished"
            ))),
            Err(TryLockError::Error(e)) => Err(lock_error(path, &e)),
        }
    }
}

fn open_lock(path: &str) -> Result<File, DbError> {
    File::options()
        .create(true)
        .truncate(false)
        .write(true)
        .open(format!("{path}.lock"))
        .map_err(|e| lock_error(path, &e))
}

fn lock_error(path: &str, error: &std::io::Error) -> DbError {
    DbError::Config(format!("cannot lock {path}.lock: {error}"))
}

fn sqlite_file(url: &str, what: &str) -> Result<String, DbError> {
    match DatabaseUrl::parse(url)? {
        DatabaseUrl::Sqlite(path) if path == ":memory:" => Err(DbError::Config(format!(
            "an in-memory database cannot be {what}"
        ))),
        DatabaseUrl::Sqlite(path) => Ok(path),
        DatabaseUrl::Postgresql(_) => Err(DbError::Config(format!(
            "okno {what} SQLite databases only; for PostgreSQL use pg_dump and pg_restore (docs/operations.md)"
        ))),
    }
}

fn utf8(path: &Path) -> Result<&str, DbError> {
    path.to_str()
        .ok_or_else(|| DbError::Config(format!("{} is not a UTF-8 path", path.display())))
}

/// `VACUUM INTO` writes one consistent snapshot of the database `conn` reads, compacted, to a
/// new file; writers carry on meanwhile.
fn vacuum_into(conn: &mut SqliteConnection, target: &Path) -> Result<(), DbError> {
    let target = utf8(target)?;
    conn.batch_execute(&format!("VACUUM INTO '{}'", target.replace('\'', "''")))?;
    Ok(())
}

#[derive(QueryableByName)]
struct IntegrityLine {
    #[diesel(sql_type = diesel::sql_types::Text)]
    integrity_check: String,
}

/// Opens an existing SQLite file without creating one where there is none.
fn open_existing(path: &Path) -> Result<SqliteConnection, DbError> {
    if !path.is_file() {
        return Err(DbError::Config(format!("{} is not a file", path.display())));
    }
    Ok(SqliteConnection::establish(utf8(path)?)?)
}

/// Checks that `path` is a sound Okno database this release can read: SQLite's own integrity
/// check passes, and every migration it has seen is one this binary carries (a backup taken by
/// a newer release is refused rather than half understood).
pub fn verify_sqlite(path: &Path) -> Result<(), DbError> {
    let mut conn = open_existing(path)?;
    let not_okno = |e: diesel::result::Error| {
        DbError::Config(format!("{} is not an Okno database: {e}", path.display()))
    };
    let lines: Vec<IntegrityLine> = diesel::sql_query("PRAGMA integrity_check")
        .load(&mut conn)
        .map_err(not_okno)?;
    let problems: Vec<String> = lines
        .into_iter()
        .map(|line| line.integrity_check)
        .filter(|line| line != "ok")
        .collect();
    if !problems.is_empty() {
        return Err(DbError::Corrupt(format!(
            "{} fails SQLite's integrity check: {}",
            path.display(),
            problems.join("; ")
        )));
    }
    let applied = conn
        .applied_migrations()
        .map_err(|e| DbError::Config(format!("{} is not an Okno database: {e}", path.display())))?;
    if applied.is_empty() {
        return Err(DbError::Config(format!(
            "{} is not an Okno database: no migrations were ever applied to it",
            path.display()
        )));
    }
    let known: Vec<String> = MigrationSource::<Sqlite>::migrations(&SQLITE_MIGRATIONS)
        .map_err(|e| DbError::Migration(e.to_string()))?
        .iter()
        .map(|m| m.name().version().to_string())
        .collect();
    if let Some(unknown) = applied.iter().find(|v| !known.contains(&v.to_string())) {
        return Err(DbError::Config(format!(
            "{} was written by a newer Okno (migration {unknown}); restore it with that release",
            path.display()
        )));
    }
    Ok(())
}

/// Writes a consistent copy of the SQLite database at `url` to `target`, a new file, and
/// checks the copy. Safe while servers run.
pub fn backup(url: &str, target: &Path) -> Result<(), DbError> {
    let path = sqlite_file(url, "backs up")?;
    if target.exists() {
        return Err(DbError::Config(format!(
            "{} exists already; a backup goes into a new file",
            target.display()
        )));
    }
    let _in_use = InUse::take(&path)?;
    let mut conn = open_existing(Path::new(&path))?;
    conn.batch_execute("PRAGMA busy_timeout = 10000;")?;
    vacuum_into(&mut conn, target)?;
    verify_sqlite(target)
}

/// Replaces the SQLite database at `url` with the backup at `source`: checks the backup,
/// copies it, brings the copy up to this release's schema, then swaps it in. The database it
/// replaces is kept beside it as `<file>.before-restore-<stamp>`, never deleted. Refused while
/// any server or command uses the database.
pub fn restore(url: &str, source: &Path, stamp: &str) -> Result<Restored, DbError> {
    let path = sqlite_file(url, "restores")?;
    let lock = open_lock(&path)?;
    match lock.try_lock() {
        Ok(()) => {}
        Err(TryLockError::WouldBlock) => {
            return Err(DbError::Config(format!(
                "{path} is in use: stop the servers and okno commands using it, then restore"
            )));
        }
        Err(TryLockError::Error(e)) => return Err(lock_error(&path, &e)),
    }
    verify_sqlite(source)?;
    let incoming = PathBuf::from(format!("{path}.restoring"));
    remove_if_present(&incoming)?;
    vacuum_into(&mut open_existing(source)?, &incoming)?;
    let migrations_applied = SqliteConnection::establish(utf8(&incoming)?)?
        .run_pending_migrations(SQLITE_MIGRATIONS)
        .map_err(|e| DbError::Migration(e.to_string()))?
        .len();
    verify_sqlite(&incoming)?;
    let previous = set_aside(&path, stamp)?;
    std::fs::rename(&incoming, &path).map_err(|e| io_error("moving the restored copy", &e))?;
    Ok(Restored {
        migrations_applied,
        previous,
    })
}

/// Keeps the database at `path` beside it as `<path>.before-restore-<stamp>`, leaving `path`
/// itself in place until the restored copy replaces it in one rename: a crash at any point
/// leaves a whole database at `path`, the old one or the new.
fn set_aside(path: &str, stamp: &str) -> Result<Option<PathBuf>, DbError> {
    if !Path::new(path).exists() {
        return Ok(None);
    }
    let aside = format!("{path}.before-restore-{stamp}");
    if Path::new(&aside).exists() {
        return Err(DbError::Config(format!("{aside} exists already")));
    }
    // Folding the write-ahead log into the file makes the file alone the whole database. A
    // database too damaged for that keeps its log, which moves aside with it.
    if let Err(error) = fold_log(path) {
        tracing::warn!(%error, path, "could not fold the write-ahead log of the old database");
    }
    if std::fs::hard_link(path, &aside).is_err() {
        std::fs::copy(path, &aside).map_err(|e| io_error("keeping the old database", &e))?;
    }
    for suffix in ["-wal", "-shm"] {
        let from = format!("{path}{suffix}");
        if Path::new(&from).exists() {
            std::fs::rename(&from, format!("{aside}{suffix}"))
                .map_err(|e| io_error("keeping the old database's log", &e))?;
        }
    }
    Ok(Some(PathBuf::from(aside)))
}

fn fold_log(path: &str) -> Result<(), DbError> {
    let mut conn = open_existing(Path::new(path))?;
    conn.batch_execute("PRAGMA wal_checkpoint(TRUNCATE); PRAGMA journal_mode = DELETE;")?;
    Ok(())
}

fn remove_if_present(path: &Path) -> Result<(), DbError> {
    match std::fs::remove_file(path) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => {
            Err(io_error("removing an unfinished restore", &e))
        }
        _ => Ok(()),
    }
}

fn io_error(doing: &str, error: &std::io::Error) -> DbError {
    DbError::Config(format!("{doing}: {error}"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Database;

    fn database(dir: &Path, name: &str) -> (String, Database) {
        let url = format!("sqlite://{}", dir.join(name).display());
        let db = Database::connect(&url, 2).expect("database");
        db.migrate().expect("migrations");
        (url, db)
    }

    fn sales_points(db: &Database) -> i64 {
        let mut conn = db.get().expect("connection");
        crate::schema::sales_points::table
            .count()
            .get_result(&mut *conn)
            .expect("count")
    }

    fn add_sales_point(db: &Database, code: &str) {
        let mut conn = db.get().expect("connection");
        diesel::sql_query(format!(
            "INSERT INTO sales_points (code, name, kind, address, created_at) \
             VALUES ('{code}', 'Point {code}', 'office', 'Street 1', '2026-12-01 10:00:00')"
        ))
        .execute(&mut *conn)
        .expect("insert");
    }

    #[test]
    fn a_backup_restores_what_it_copied_and_keeps_what_it_replaced() {
        let dir = tempfile::tempdir().expect("folder");
        let (url, db) = database(dir.path(), "okno.db");
        let before = sales_points(&db);
        add_sales_point(&db, "A");
        let copy = dir.path().join("copy.db");
        backup(&url, &copy).expect("backup");
        assert!(
            backup(&url, &copy).is_err(),
            "a backup never overwrites a file"
        );
        add_sales_point(&db, "B");
        assert_eq!(sales_points(&db), before + 2);

        let refused = restore(&url, &copy, "1").expect_err("in use");
        assert!(refused.to_string().contains("is in use"), "{refused}");
        drop(db);

        let restored = restore(&url, &copy, "1").expect("restore");
        assert_eq!(restored.migrations_applied, 0);
        let previous = restored.previous.expect("the old database kept");
        let (_, db) = database(dir.path(), "okno.db");
        assert_eq!(sales_points(&db), before + 1, "the backup's data is back");
        drop(db);
        let old = Database::connect(&format!("sqlite://{}", previous.display()), 1).expect("old");
        assert_eq!(
            sales_points(&old),
            before + 2,
            "the replaced data is intact beside it"
        );
    }

    #[test]
    fn a_restore_refuses_what_is_not_a_sound_okno_database() {
        let dir = tempfile::tempdir().expect("folder");
        let (url, db) = database(dir.path(), "okno.db");
        let before = sales_points(&db);
        drop(db);
        let text = dir.path().join("notes.txt");
        std::fs::write(&text, "not a database at all, just some words").expect("write");
        let empty = dir.path().join("empty.db");
        SqliteConnection::establish(utf8(&empty).expect("path"))
            .expect("empty database")
            .batch_execute("CREATE TABLE t (x INTEGER)")
            .expect("table");
        for (source, says) in [
            (dir.path().join("missing.db"), "is not a file"),
            (text, "is not an Okno database"),
            (empty, "is not an Okno database"),
        ] {
            let refused = restore(&url, &source, "1").expect_err("refused");
            assert!(refused.to_string().contains(says), "{refused}");
        }
        let newer = dir.path().join("newer.db");
        let (newer_url, newer_db) = database(dir.path(), "newer.db");
        drop(newer_db);
        SqliteConnection::establish(utf8(&newer).expect("path"))
            .expect("open")
            .batch_execute(
                "INSERT INTO __diesel_schema_migrations (version) VALUES ('99990101000000')",
            )
            .expect("a migration from the future");
        let refused = restore(&url, &newer, "1").expect_err("newer");
        assert!(refused.to_string().contains("newer Okno"), "{refused}");
        assert!(newer_url.ends_with("newer.db"));
        let (_, db) = database(dir.path(), "okno.db");
        assert_eq!(
            sales_points(&db),
            before,
            "a refused restore leaves the database be"
        );
    }

    #[test]
    fn postgres_is_left_to_its_own_tools() {
        let refused = backup("postgres://localhost/okno", Path::new("x.db")).expect_err("pg");
        assert!(refused.to_string().contains("pg_dump"), "{refused}");
    }
}
