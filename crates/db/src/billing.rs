//! Billing runs: one per period, its work a row per customer, claimed by workers
//! through the database so that any number of them, on any number of servers, share a run,
//! and a worker that dies leaves its work to the others.

use chrono::NaiveDate;
use diesel::prelude::*;
use okno_domain::billing::{ItemStatus, RunStatus};

use crate::schema::{billing_run_items, billing_runs, contracts, usage_events};
use crate::{DbConnection, DbResult, Stored, Timestamp, write_transaction};

#[derive(Debug, Clone, PartialEq, Queryable)]
pub struct BillingRunRecord {
    pub id: i64,
    pub period: String,
    #[diesel(deserialize_as = Stored<RunStatus>)]
    pub status: RunStatus,
    pub issue_date: NaiveDate,
    pub started_at: Timestamp,
    pub started_by: String,
    pub finished_at: Option<Timestamp>,
}

#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = billing_runs)]
pub struct NewBillingRunRow {
    pub period: String,
    #[diesel(serialize_as = Stored<RunStatus>)]
    pub status: RunStatus,
    pub issue_date: NaiveDate,
    pub started_at: Timestamp,
    pub started_by: String,
}

/// How a run's customers stand.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct RunCounts {
    pub pending: i64,
    pub claimed: i64,
    pub invoiced: i64,
    pub skipped: i64,
    pub failed: i64,
}

impl RunCounts {
    pub fn total(&self) -> i64 {
        self.pending + self.claimed + self.invoiced + self.skipped + self.failed
    }

    pub fn open(&self) -> i64 {
        self.pending + self.claimed
    }
}

/// A customer's work taken by a worker.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Queryable)]
pub struct ClaimedItem {
    pub id: i64,
    pub customer_id: i64,
}

/// What became of a claimed customer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ItemOutcome {
    Invoiced,
    Skipped,
    Failed(String),
}

impl BillingRunRecord {
    /// The run of `period`, created if there is none; a second caller gets the first's run.
    pub fn create_or_get(conn: &mut DbConnection, row: NewBillingRunRow) -> DbResult<(Self, bool)> {
        let period = row.period.clone();
        let created = crate::on_each_backend!(conn, |c| {
            diesel::insert_into(billing_runs::table)
                .values(row)
                .on_conflict(billing_runs::period)
                .do_nothing()
                .execute(c)
        })? > 0;
        let run = billing_runs::table
            .filter(billing_runs::period.eq(&period))
            .first(conn)?;
        Ok((run, created))
    }

    pub fn find(conn: &mut DbConnection, id: i64) -> DbResult<Self> {
        Ok(billing_runs::table.find(id).first(conn)?)
    }

    pub fn find_by_period(conn: &mut DbConnection, period: &str) -> DbResult<Option<Self>> {
        Ok(billing_runs::table
            .filter(billing_runs::period.eq(period))
            .first(conn)
            .optional()?)
    }

    pub fn list(conn: &mut DbConnection, limit: i64) -> DbResult<Vec<Self>> {
        Ok(billing_runs::table
            .order(billing_runs::period.desc())
            .limit(limit)
            .load(conn)?)
    }

    pub fn set_status(
        conn: &mut DbConnection,
        id: i64,
        status: RunStatus,
        finished_at: Option<Timestamp>,
    ) -> DbResult<()> {
        diesel::update(billing_runs::table.find(id))
            .set((
                billing_runs::status.eq(status.as_str()),
                billing_runs::finished_at.eq(finished_at),
            ))
            .execute(conn)?;
        Ok(())
    }

    /// Customers with something to bill in the period: a service that ran on one of its days
    /// (active, paused or ended within it), or usage in it or earlier that no invoice billed.
    /// Late usage is looked for back to the month `oldest`.
    pub fn billable_customers(
        conn: &mut DbConnection,
        period: &str,
        oldest: &str,
        first: NaiveDate,
        last: NaiveDate,
    ) -> DbResult<Vec<i64>> {
        let mut ids: Vec<i64> = contracts::table
            .filter(contracts::status.eq_any(["active", "suspended", "terminated"]))
            .filter(contracts::activated_on.le(last))
            .filter(
                contracts::terminated_on
                    .is_null()
                    .or(contracts::terminated_on.ge(first)),
            )
            .select(contracts::customer_id)
            .distinct()
            .load(conn)?;
        // Usage of the period, and usage of earlier ones that came after their invoice.
        let with_usage: Vec<i64> = usage_events::table
            .filter(usage_events::period.le(period))
            .filter(usage_events::period.ge(oldest))
            .filter(usage_events::invoice_id.is_null())
            .select(usage_events::customer_id)
            .distinct()
            .load(conn)?;
        ids.extend(with_usage);
        ids.sort_unstable();
        ids.dedup();
        Ok(ids)
    }

    /// Adds the customers to the run; those in it already keep their state.
    pub fn plan(conn: &mut DbConnection, run_id: i64, customer_ids: &[i64]) -> DbResult<usize> {
        #[derive(Insertable)]
        #[diesel(table_name = billing_run_items)]
        struct NewItem {
            run_id: i64,
            customer_id: i64,
            status: &'static str,
        }
        let mut added = 0;
        for chunk in customer_ids.chunks(5_000) {
            let rows: Vec<NewItem> = chunk
                .iter()
                .map(|customer_id| NewItem {
                    run_id,
                    customer_id: *customer_id,
                    status: ItemStatus::Pending.as_str(),
                })
                .collect();
            added += match conn {
                DbConnection::Postgresql(pg) => diesel::insert_into(billing_run_items::table)
                    .values(&rows)
                    .on_conflict((billing_run_items::run_id, billing_run_items::customer_id))
                    .do_nothing()
                    .execute(pg)?,
                // SQLite takes a batch with ON CONFLICT only row by row.
                DbConnection::Sqlite(sqlite) => {
                    let mut n = 0;
                    for row in &rows {
                        n += diesel::insert_into(billing_run_items::table)
                            .values(row)
                            .on_conflict((
                                billing_run_items::run_id,
                                billing_run_items::customer_id,
                            ))
                            .do_nothing()
                            .execute(sqlite)?;
                    }
                    n
                }
            };
        }
        // A run plans up to every customer at once; the workers' claims must not be planned
        // on statistics from before (PostgreSQL's autovacuum catches up only a minute later).
        if added > 0
            && let DbConnection::Postgresql(pg) = conn
        {
            diesel::sql_query("ANALYZE billing_run_items").execute(pg)?;
        }
        Ok(added)
    }

    /// Brings PostgreSQL's statistics of the tables a run fills up to date. A run adds rows
    /// faster than autovacuum notices; planned on the sizes from its start, the lookups of
    /// a batch by id would become scans of the whole table. SQLite needs nothing.
    /// `(run id, period, open items)` of runs marked finished that still have customers open:
    /// none, when every item was done once.
    pub fn finished_with_open_items(conn: &mut DbConnection) -> DbResult<Vec<(i64, String, i64)>> {
        let rows: Vec<(i64, String)> = billing_runs::table
            .inner_join(billing_run_items::table)
            .filter(billing_runs::status.ne(RunStatus::Running.as_str()))
            .filter(
                billing_run_items::status
                    .eq_any([ItemStatus::Pending.as_str(), ItemStatus::Claimed.as_str()]),
            )
            .select((billing_runs::id, billing_runs::period))
            .load(conn)?;
        let mut counted: Vec<(i64, String, i64)> = Vec::new();
        for (run, period) in rows {
            match counted.iter_mut().find(|(id, _, _)| *id == run) {
                Some((_, _, open)) => *open += 1,
                None => counted.push((run, period, 1)),
            }
        }
        Ok(counted)
    }

    pub fn refresh_statistics(conn: &mut DbConnection) -> DbResult<()> {
        if let DbConnection::Postgresql(pg) = conn {
            diesel::sql_query(
                "ANALYZE billing_run_items, invoices, invoice_lines, account_entries",
            )
            .execute(pg)?;
        }
        Ok(())
    }

    pub fn counts(conn: &mut DbConnection, run_id: i64) -> DbResult<RunCounts> {
        let statuses: Vec<(String, i64)> = billing_run_items::table
            .filter(billing_run_items::run_id.eq(run_id))
            .group_by(billing_run_items::status)
            .select((billing_run_items::status, diesel::dsl::count_star()))
            .load(conn)?;
        let mut counts = RunCounts::default();
        for (status, n) in statuses {
            match status.parse::<ItemStatus>() {
                Ok(ItemStatus::Pending) => counts.pending = n,
                Ok(ItemStatus::Claimed) => counts.claimed = n,
                Ok(ItemStatus::Invoiced) => counts.invoiced = n,
                Ok(ItemStatus::Skipped) => counts.skipped = n,
                Ok(ItemStatus::Failed) => counts.failed = n,
                Err(_) => {}
            }
        }
        Ok(counts)
    }

    /// Takes up to `limit` customers of the run for `worker`: pending ones after `after_id`
    /// (the last one this worker took; 0 at first), then pending ones before it (skipped
    /// while another worker held them), and last ones another worker claimed before
    /// `stale_before` and never finished (it died, or hangs). On PostgreSQL rows locked by
    /// another worker's claim are skipped rather than waited for; SQLite lets one writer at
    /// a time.
    ///
    /// Every item passes through `pending` and `claimed` on its way to done, leaving dead
    /// index entries behind until vacuum; starting after `after_id`, and looking for stale
    /// claims only when nothing is pending, keeps a claim from walking over them, so it
    /// costs the same at the end of a run of a million customers as at its start.
    pub fn claim(
        conn: &mut DbConnection,
        run_id: i64,
        worker: &str,
        limit: i64,
        after_id: i64,
        now: Timestamp,
        stale_before: Timestamp,
    ) -> DbResult<Vec<ClaimedItem>> {
        macro_rules! load_locked {
            ($conn:expr, $query:expr) => {
                match $conn {
                    DbConnection::Postgresql(pg) => $query.for_update().skip_locked().load(pg)?,
                    DbConnection::Sqlite(sqlite) => $query.load(sqlite)?,
                }
            };
        }
        macro_rules! pending_after {
            ($conn:expr, $after:expr) => {
                load_locked!(
                    $conn,
                    billing_run_items::table
                        .filter(billing_run_items::run_id.eq(run_id))
                        .filter(billing_run_items::status.eq(ItemStatus::Pending.as_str()))
                        .filter(billing_run_items::id.gt($after))
                        .order(billing_run_items::id)
                        .limit(limit)
                        .select((billing_run_items::id, billing_run_items::customer_id))
                )
            };
        }
        write_transaction(conn, |conn| {
            let mut items: Vec<ClaimedItem> = pending_after!(&mut *conn, after_id);
            if items.is_empty() && after_id > 0 {
                items = pending_after!(&mut *conn, 0_i64);
            }
            if items.is_empty() {
                items = load_locked!(
                    &mut *conn,
                    billing_run_items::table
                        .filter(billing_run_items::run_id.eq(run_id))
                        .filter(billing_run_items::status.eq(ItemStatus::Claimed.as_str()))
                        .filter(billing_run_items::claimed_at.lt(stale_before))
                        .order(billing_run_items::id)
                        .limit(limit)
                        .select((billing_run_items::id, billing_run_items::customer_id))
                );
            }
            let ids: Vec<i64> = items.iter().map(|i| i.id).collect();
            diesel::update(billing_run_items::table.filter(billing_run_items::id.eq_any(&ids)))
                .set((
                    billing_run_items::status.eq(ItemStatus::Claimed.as_str()),
                    billing_run_items::worker.eq(Some(worker)),
                    billing_run_items::claimed_at.eq(Some(now)),
                ))
                .execute(conn)?;
            Ok(items)
        })
    }

    /// Which of the items `worker` still holds: another worker may have taken over an item
    /// this one was too slow with. Called inside the transaction that records the items'
    /// outcome: on PostgreSQL the rows stay locked until it commits, and a worker taking
    /// over stale claims skips locked rows, so an item is never billed by two workers.
    pub fn still_held(
        conn: &mut DbConnection,
        worker: &str,
        item_ids: &[i64],
    ) -> DbResult<Vec<i64>> {
        let query = billing_run_items::table
            .filter(billing_run_items::id.eq_any(item_ids))
            .filter(billing_run_items::worker.eq(worker))
            .filter(billing_run_items::status.eq(ItemStatus::Claimed.as_str()))
            .select(billing_run_items::id);
        Ok(match conn {
            DbConnection::Postgresql(pg) => query.for_update().load(pg)?,
            // SQLite has one writer at a time: nobody claims between this read and the commit.
            DbConnection::Sqlite(sqlite) => query.load(sqlite)?,
        })
    }

    /// Records what became of the items, inside the caller's transaction.
    pub fn finish_items(
        conn: &mut DbConnection,
        outcomes: &[(i64, ItemOutcome)],
        now: Timestamp,
    ) -> DbResult<()> {
        for status in [ItemStatus::Invoiced, ItemStatus::Skipped] {
            let ids: Vec<i64> = outcomes
                .iter()
                .filter(|(_, o)| match o {
                    ItemOutcome::Invoiced => status == ItemStatus::Invoiced,
                    ItemOutcome::Skipped => status == ItemStatus::Skipped,
                    ItemOutcome::Failed(_) => false,
                })
                .map(|(id, _)| *id)
                .collect();
            for chunk in ids.chunks(5_000) {
                diesel::update(
                    billing_run_items::table.filter(billing_run_items::id.eq_any(chunk)),
                )
                .set((
                    billing_run_items::status.eq(status.as_str()),
                    billing_run_items::finished_at.eq(Some(now)),
                ))
                .execute(conn)?;
            }
        }
        for (id, outcome) in outcomes {
            if let ItemOutcome::Failed(error) = outcome {
                diesel::update(billing_run_items::table.find(*id))
                    .set((
                        billing_run_items::status.eq(ItemStatus::Failed.as_str()),
                        billing_run_items::error.eq(Some(error.as_str())),
                        billing_run_items::finished_at.eq(Some(now)),
                    ))
                    .execute(conn)?;
            }
        }
        Ok(())
    }

    /// Puts failed items back to pending, for another try after the cause is fixed.
    pub fn retry_failed(conn: &mut DbConnection, run_id: i64) -> DbResult<usize> {
        Ok(diesel::update(
            billing_run_items::table
                .filter(billing_run_items::run_id.eq(run_id))
                .filter(billing_run_items::status.eq(ItemStatus::Failed.as_str())),
        )
        .set((
            billing_run_items::status.eq(ItemStatus::Pending.as_str()),
            billing_run_items::error.eq(None::<String>),
        ))
        .execute(conn)?)
    }

    /// Failed customers of a run with the reason.
    pub fn failures(
        conn: &mut DbConnection,
        run_id: i64,
        limit: i64,
    ) -> DbResult<Vec<(i64, String)>> {
        let rows: Vec<(i64, Option<String>)> = billing_run_items::table
            .filter(billing_run_items::run_id.eq(run_id))
            .filter(billing_run_items::status.eq(ItemStatus::Failed.as_str()))
            .order(billing_run_items::id)
            .limit(limit)
            .select((billing_run_items::customer_id, billing_run_items::error))
            .load(conn)?;
        Ok(rows
            .into_iter()
            .map(|(c, e)| (c, e.unwrap_or_default()))
            .collect())
    }
}

/// What billing reads of a batch of customers.
pub mod batch {
    use chrono::NaiveDate;
    use diesel::prelude::*;

    use crate::benefits::BenefitRecord;
    use crate::contracts::{ContractRecord, SubscriptionRecord};
    use crate::customers::CustomerRecord;
    use crate::schema::{contracts, customer_benefits, customers};
    use crate::{DbConnection, DbResult};

    /// Contracts of the customers whose service ran on a day from `first` to `last`.
    pub fn contracts(
        conn: &mut DbConnection,
        customer_ids: &[i64],
        first: NaiveDate,
        last: NaiveDate,
    ) -> DbResult<Vec<ContractRecord>> {
        Ok(contracts::table
            .filter(contracts::customer_id.eq_any(customer_ids))
            .filter(contracts::status.eq_any(["active", "suspended", "terminated"]))
            .filter(contracts::activated_on.le(last))
            .filter(
                contracts::terminated_on
                    .is_null()
                    .or(contracts::terminated_on.ge(first)),
            )
            .order(contracts::id)
            .load(conn)?)
    }

    pub fn subscriptions(
        conn: &mut DbConnection,
        contract_ids: &[i64],
    ) -> DbResult<Vec<SubscriptionRecord>> {
        SubscriptionRecord::of_contracts(conn, contract_ids)
    }

    pub fn customers(
        conn: &mut DbConnection,
        customer_ids: &[i64],
    ) -> DbResult<Vec<CustomerRecord>> {
        Ok(customers::table
            .filter(customers::id.eq_any(customer_ids))
            .load(conn)?)
    }

    /// Benefits of the customers that hold on a day from `first` to `last`.
    pub fn benefits(
        conn: &mut DbConnection,
        customer_ids: &[i64],
        first: NaiveDate,
        last: NaiveDate,
    ) -> DbResult<Vec<BenefitRecord>> {
        Ok(customer_benefits::table
            .filter(customer_benefits::customer_id.eq_any(customer_ids))
            .filter(customer_benefits::valid_from.le(last))
            .filter(
                customer_benefits::valid_to
                    .is_null()
                    .or(customer_benefits::valid_to.ge(first)),
            )
            .order(customer_benefits::id)
            .load(conn)?)
    }
}
