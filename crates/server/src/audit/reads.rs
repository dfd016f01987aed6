//! Reads of personal data recorded off the request's path.
//!
//! A card is read on every call, and writing its audit entry in the request (a committed
//! insert, waiting for the disk) took more than half of the card's time on PostgreSQL. Reads
//! are queued here instead and a writer thread inserts what has queued, many entries per
//! statement. Changes are not: their entries commit with the change they record.
//!
//! What this costs: entries still queued when the process dies are lost (at most the few
//! milliseconds of reads since the last insert), and on PostgreSQL the writer's commits do not
//! wait for the disk, so a crash of the database can lose the last fraction of a second of
//! read entries. Never data, and never an entry of a change. A full queue (the writer is
//! behind or the database is away) makes the request write its own entry, as before.

use std::sync::mpsc::{Receiver, SyncSender, TrySendError, sync_channel};
use std::time::Duration;

use diesel::connection::SimpleConnection;
use okno_db::audit::{AuditRecord, NewAuditRow};
use okno_db::{Database, DbConnection, DbError, write_transaction};

/// Entries waiting before requests write their own.
const QUEUE: usize = 10_000;
/// Most entries per insert.
const MAX_BATCH: usize = 1_000;
/// First wait before trying a failed insert again; doubled up to [`MAX_RETRY_WAIT`].
const FIRST_RETRY_WAIT: Duration = Duration::from_millis(50);
const MAX_RETRY_WAIT: Duration = Duration::from_secs(5);

enum Queued {
    Read(NewAuditRow),
    /// Answered once everything queued before it is written.
    Flush(SyncSender<()>),
}

/// The queue of read entries and its writer, shared by the server's requests.
#[derive(Debug, Clone)]
pub struct ReadTrail {
    queue: SyncSender<Queued>,
}

impl ReadTrail {
    /// Starts the writer, which inserts into `db` until the last handle is dropped.
    pub fn start(db: Database) -> std::io::Result<Self> {
        let (queue, queued) = sync_channel(QUEUE);
        std::thread::Builder::new()
            .name("okno-audit-reads".into())
            .spawn(move || write_until_closed(&db, &queued))?;
        Ok(Self { queue })
    }

    /// Queues `entry`; hands it back when the queue is full or the writer gone, for the caller
    /// to write itself.
    pub fn queue(&self, entry: NewAuditRow) -> Option<NewAuditRow> {
        match self.queue.try_send(Queued::Read(entry)) {
            Ok(()) => None,
            Err(TrySendError::Full(Queued::Read(entry)))
            | Err(TrySendError::Disconnected(Queued::Read(entry))) => Some(entry),
            Err(_) => None,
        }
    }

    /// Waits until every entry queued before the call is in the database: what a reader of the
    /// audit log sees is complete. Blocks; call it off the async reactor and without holding a
    /// connection, which the writer may need.
    pub fn flush(&self) {
        let (done, written) = sync_channel(1);
        if self.queue.send(Queued::Flush(done)).is_ok() {
            // An error means the writer is gone, and with it anything left to wait for.
            let _ = written.recv();
        }
    }
}

fn write_until_closed(db: &Database, queued: &Receiver<Queued>) {
    while let Ok(first) = queued.recv() {
        let mut entries = Vec::new();
        let mut flushes = Vec::new();
        let mut next = Some(first);
        while let Some(item) = next {
            match item {
                Queued::Read(entry) => entries.push(entry),
                Queued::Flush(done) => flushes.push(done),
            }
            next = if entries.len() < MAX_BATCH {
                queued.try_recv().ok()
            } else {
                None
            };
        }
        if !entries.is_empty() {
            insert_until_written(db, &entries);
        }
        for done in flushes {
            let _ = done.send(());
        }
    }
}

/// Inserts `entries`, trying again while the database is away: entries are not dropped.
fn insert_until_written(db: &Database, entries: &[NewAuditRow]) {
    let mut wait = FIRST_RETRY_WAIT;
    loop {
        let written = db
            .get()
            .and_then(|mut conn| insert_batch(&mut conn, entries));
        match written {
            Ok(()) => return,
            Err(error) => {
                tracing::warn!(%error, entries = entries.len(), "writing read audit entries failed; trying again");
                std::thread::sleep(wait);
                wait = (wait * 2).min(MAX_RETRY_WAIT);
            }
        }
    }
}

fn insert_batch(conn: &mut DbConnection, entries: &[NewAuditRow]) -> Result<(), DbError> {
    write_transaction(conn, |conn| {
        if let DbConnection::Postgresql(_) = conn {
            conn.batch_execute("SET LOCAL synchronous_commit = off")?;
        }
        AuditRecord::insert_many(conn, entries)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use okno_db::audit::AuditFilter;

    fn read_of(customer_id: i64) -> NewAuditRow {
        NewAuditRow {
            occurred_at: chrono::NaiveDateTime::default(),
            actor_kind: "staff".into(),
            actor_id: Some(2),
            actor_name: "operator".into(),
            action: "customer.read".into(),
            customer_id: Some(customer_id),
            detail: None,
            request_id: None,
        }
    }

    #[test]
    fn what_is_queued_before_a_flush_is_in_the_log_after_it() {
        let folder = tempfile::tempdir().unwrap();
        let url = format!("sqlite://{}", folder.path().join("okno.db").display());
        let db = Database::connect(&url, 2).unwrap();
        db.migrate().unwrap();
        let trail = ReadTrail::start(db.clone()).unwrap();
        for customer_id in 1..=2_500 {
            assert!(trail.queue(read_of(customer_id)).is_none());
        }
        trail.flush();
        let mut conn = db.get().unwrap();
        let logged = AuditRecord::list(&mut conn, &AuditFilter::default(), None, 5_000).unwrap();
        assert_eq!(logged.len(), 2_500);
        assert_eq!(logged.first().and_then(|e| e.customer_id), Some(2_500));
        assert_eq!(logged.last().and_then(|e| e.customer_id), Some(1));
    }
}
