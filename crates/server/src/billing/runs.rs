//! Billing runs: starting one for a period, the workers that do its work, and how it
//! stands. A period has one run; starting it again adds the customers that have something
//! to bill and no invoice yet, and resumes work a dead worker left — so a run is idempotent
//! and survives crashes.

use std::collections::HashSet;
use std::sync::{Arc, Mutex};

use chrono::{DateTime, NaiveDate, Utc};
use okno_api_types::ErrorCode;
use okno_api_types::billing::{BillingFailure, BillingRun, NewBillingRun};
use okno_db::billing::{BillingRunRecord, NewBillingRunRow};
use okno_db::invoices::InvoiceRecord;
use okno_db::{Database, DbConnection, write_transaction};
use okno_domain::billing::{Period, RunStatus, check_run};
use okno_domain::clock::Clock;
use okno_domain::validation::Validator;

use super::issue::{BatchReport, BillingContext, bill_batch};
use crate::audit;
use crate::auth::Principal;
use crate::config::{BillingSettings, OperatorDetails};
use crate::error::{ApiError, ApiResult, NotFoundExt};
use crate::state::truncate_to_micros;
use crate::time::{from_db, to_db};

/// A staff member (or an integration) starts the run of a period: started and audited in one
/// transaction.
pub fn start_by(
    conn: &mut DbConnection,
    principal: &Principal,
    input: &NewBillingRun,
    now: DateTime<Utc>,
) -> ApiResult<(BillingRunRecord, bool)> {
    write_transaction(conn, |conn| {
        let by = principal.recorded_by().label;
        let started = start(conn, input.period, input.issue_date, &by, now)?;
        audit::record(
            conn,
            principal,
            "billing.run",
            None,
            Some(input.period.to_string()),
            now,
        )?;
        Ok(started)
    })
}

/// Starts the run of `period`, or takes up its run again: customers with something to bill
/// and no invoice of the period yet are added. Returns the run and whether it is new.
pub fn start(
    conn: &mut DbConnection,
    period: Period,
    issue_date: Option<NaiveDate>,
    started_by: &str,
    now: DateTime<Utc>,
) -> ApiResult<(BillingRunRecord, bool)> {
    let mut v = Validator::new();
    let issue_date = check_run(&mut v, period, issue_date, now.date_naive());
    v.finish()?;
    let (run, created) = BillingRunRecord::create_or_get(
        conn,
        NewBillingRunRow {
            period: period.to_string(),
            status: RunStatus::Running,
            issue_date,
            started_at: to_db(now),
            started_by: started_by.to_owned(),
        },
    )?;
    let oldest = okno_domain::billing::readings::LateUsageWindow::oldest_month(period);
    let billable = BillingRunRecord::billable_customers(
        conn,
        &run.period,
        &oldest.to_string(),
        period.first_day(),
        period.last_day(),
    )?;
    let invoiced: HashSet<i64> = billable
        .chunks(5_000)
        .map(|chunk| InvoiceRecord::of_period(conn, chunk, &run.period))
        .collect::<Result<Vec<_>, _>>()?
        .into_iter()
        .flatten()
        .map(|(customer, _)| customer)
        .collect();
    let to_bill: Vec<i64> = billable
        .into_iter()
        .filter(|c| !invoiced.contains(c))
        .collect();
    BillingRunRecord::plan(conn, run.id, &to_bill)?;
    BillingRunRecord::retry_failed(conn, run.id)?;
    let counts = BillingRunRecord::counts(conn, run.id)?;
    if counts.open() > 0 {
        BillingRunRecord::set_status(conn, run.id, RunStatus::Running, None)?;
    } else if !run.status.is_finished() {
        let done = RunStatus::finished(counts.failed);
        BillingRunRecord::set_status(conn, run.id, done, Some(to_db(now)))?;
    }
    Ok((BillingRunRecord::find(conn, run.id)?, created))
}

/// What one worker did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct WorkReport {
    pub batches: usize,
    pub invoiced: usize,
    pub skipped: usize,
    pub failed: usize,
}

impl WorkReport {
    fn add(&mut self, other: Self) {
        self.batches += other.batches;
        self.invoiced += other.invoiced;
        self.skipped += other.skipped;
        self.failed += other.failed;
    }
}

/// Takes batches of the run's customers and bills them until none are left, then marks the
/// run completed when every customer is done. `max_batches` stops early (for tests of a
/// worker dying midway).
pub fn work(
    db: &Database,
    run_id: i64,
    worker: &str,
    settings: &BillingSettings,
    operator: &OperatorDetails,
    clock: &dyn Clock,
    max_batches: Option<usize>,
) -> ApiResult<WorkReport> {
    let mut conn = db.get()?;
    work_on(
        &mut conn,
        run_id,
        worker,
        settings,
        operator,
        clock,
        max_batches,
    )
}

/// [`work`] on a connection the caller holds (the demo seeding, inside its transaction).
pub fn work_on(
    conn: &mut DbConnection,
    run_id: i64,
    worker: &str,
    settings: &BillingSettings,
    operator: &OperatorDetails,
    clock: &dyn Clock,
    max_batches: Option<usize>,
) -> ApiResult<WorkReport> {
    let run = BillingRunRecord::find(conn, run_id).or_not_found(
        ErrorCode::BillingRunNotFound,
        format!("billing run {run_id}"),
    )?;
    let context = BillingContext::new(conn, run, settings, operator)?;
    let mut report = WorkReport::default();
    let mut after_id = 0;
    loop {
        if max_batches.is_some_and(|max| report.batches >= max) {
            return Ok(report);
        }
        let now = truncate_to_micros(clock.now());
        let stale_before = now - settings.claim_timeout;
        let batch_size = i64::try_from(settings.batch_size).unwrap_or(500);
        let items = BillingRunRecord::claim(
            conn,
            run_id,
            worker,
            batch_size,
            after_id,
            to_db(now),
            to_db(stale_before),
        )?;
        if items.is_empty() {
            break;
        }
        after_id = items.iter().map(|i| i.id).max().unwrap_or(after_id);
        let BatchReport {
            invoiced,
            skipped,
            failed,
        } = bill_batch(conn, &context, &items, worker, now)?;
        report.batches += 1;
        // After batches 1, 4, 16, 64...: a few times per run, whatever its size.
        if report.batches.is_power_of_two() && report.batches.trailing_zeros() % 2 == 0 {
            BillingRunRecord::refresh_statistics(conn)?;
        }
        report.invoiced += invoiced;
        report.skipped += skipped;
        report.failed += failed;
    }
    let counts = BillingRunRecord::counts(conn, run_id)?;
    if counts.open() == 0 {
        let now = truncate_to_micros(clock.now());
        let done = RunStatus::finished(counts.failed);
        BillingRunRecord::set_status(conn, run_id, done, Some(to_db(now)))?;
    }
    Ok(report)
}

/// The run as the API shows it, with its counts.
pub fn view(conn: &mut DbConnection, run: BillingRunRecord) -> ApiResult<BillingRun> {
    let counts = BillingRunRecord::counts(conn, run.id)?;
    let failures = BillingRunRecord::failures(conn, run.id, 20)?
        .into_iter()
        .map(|(customer_id, reason)| BillingFailure {
            customer_id,
            reason,
        })
        .collect();
    Ok(BillingRun {
        id: run.id,
        period: run
            .period
            .parse()
            .map_err(|_| ApiError::Internal(format!("billing run {} has a bad period", run.id)))?,
        status: run.status,
        issue_date: run.issue_date,
        started_at: from_db(run.started_at),
        started_by: run.started_by,
        finished_at: run.finished_at.map(from_db),
        customers: counts.total(),
        open: counts.open(),
        invoiced: counts.invoiced,
        skipped: counts.skipped,
        failed: counts.failed,
        failures,
    })
}

/// Runs this server has workers on, so that a second request does not start more.
#[derive(Debug, Default, Clone)]
pub struct ActiveRuns(Arc<Mutex<HashSet<i64>>>);

impl ActiveRuns {
    /// Marks the run active here; `false` when it is already.
    fn enter(&self, run_id: i64) -> bool {
        self.0
            .lock()
            .map(|mut runs| runs.insert(run_id))
            .unwrap_or(false)
    }

    fn leave(&self, run_id: i64) {
        if let Ok(mut runs) = self.0.lock() {
            runs.remove(&run_id);
        }
    }
}

/// How often a run waits for customers another worker holds before trying again.
const HELD_POLL: std::time::Duration = std::time::Duration::from_secs(2);

/// Bills the run to its end with `settings.workers` workers named `{name}:{n}`. When they
/// run out of customers to take while other workers still hold some (a server billing
/// alongside, or a worker that died, whose customers are taken over after the claim
/// timeout), it waits and starts them again, until every customer of the run is done.
pub fn finish(
    db: &Database,
    run_id: i64,
    name: &str,
    settings: &BillingSettings,
    operator: &OperatorDetails,
    clock: &Arc<dyn Clock>,
) -> ApiResult<WorkReport> {
    let mut done = WorkReport::default();
    loop {
        let workers: Vec<_> = (0..settings.workers.max(1))
            .map(|n| {
                let (db, settings, operator, clock) = (
                    db.clone(),
                    settings.clone(),
                    operator.clone(),
                    clock.clone(),
                );
                let worker = format!("{name}:{n}");
                std::thread::spawn(move || {
                    let report = work(
                        &db,
                        run_id,
                        &worker,
                        &settings,
                        &operator,
                        clock.as_ref(),
                        None,
                    );
                    (worker, report)
                })
            })
            .collect();
        let mut stopped = None;
        for worker in workers {
            match worker.join() {
                Ok((_, Ok(report))) => done.add(report),
                Ok((worker, Err(error))) => {
                    tracing::error!(run_id, %worker, %error, "billing worker stopped");
                    stopped.get_or_insert(error);
                }
                Err(panic) => {
                    let message = panic_message(panic.as_ref());
                    tracing::error!(run_id, panic = %message, "a billing worker panicked; its claimed customers are taken over after the claim timeout");
                    stopped.get_or_insert(ApiError::Internal(format!(
                        "a billing worker panicked: {message}"
                    )));
                }
            }
        }
        if let Some(error) = stopped {
            return Err(error);
        }
        if BillingRunRecord::counts(&mut *db.get()?, run_id)?.open() == 0 {
            return Ok(done);
        }
        std::thread::sleep(HELD_POLL);
    }
}

/// Starts this server's workers on a run in the background, unless they run already. Other
/// servers may work on the same run at the same time.
pub fn spawn_workers(
    active: &ActiveRuns,
    db: Database,
    run_id: i64,
    settings: BillingSettings,
    operator: OperatorDetails,
    clock: Arc<dyn Clock>,
) {
    if !active.enter(run_id) {
        return;
    }
    let active = active.clone();
    let host = std::env::var("HOSTNAME").unwrap_or_else(|_| "okno".into());
    std::thread::spawn(move || {
        let name = format!("{host}:{}", std::process::id());
        // A failure is logged by `finish`; the scheduled jobs start the run's workers again.
        if let Ok(report) = finish(&db, run_id, &name, &settings, &operator, &clock) {
            tracing::info!(run_id, ?report, "billing run done here");
        }
        active.leave(run_id);
    });
}

/// What a panic said, as far as it said anything.
pub fn panic_message(panic: &(dyn std::any::Any + Send)) -> String {
    panic
        .downcast_ref::<&str>()
        .map(|s| (*s).to_owned())
        .or_else(|| panic.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "a panic without a message".into())
}
