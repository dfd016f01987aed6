//! Scheduled work: contracts start on their start date, pauses end after their last day, and
//! notices of termination and fixed terms end; prepaid days are charged and the month is billed
//! customers are told of contracts ending and prepaid balances running low;
//! complaints not answered in time are deemed accepted; outages are looked for among the
//! open tickets.
//! Each step is idempotent and guarded by the contract's state,
//! so several servers may run the jobs at once: the second to arrive finds nothing to do.

use std::time::Duration;

use chrono::{DateTime, NaiveDate, Utc};
use okno_db::contracts::{ContractChanges, ContractRecord, SuspensionRecord};
use okno_db::{DbConnection, write_transaction};
use okno_domain::contracts::{ContractAction, ContractStatus, ends_on};
use okno_domain::notifications::contract_ending_soon;

use crate::contracts::Actor;
use crate::contracts::lifecycle::{activate, transition};
use crate::error::{ApiError, ApiResult};
use crate::notifications::{self, Notice, Sender};
use crate::state::AppState;

/// What one run did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct JobReport {
    pub activated: usize,
    pub resumed: usize,
    pub ended: usize,
    /// Days of prepaid services taken from balances.
    pub prepaid_days: usize,
    /// Prepaid services paused because the balance ran out.
    pub paused_for_debt: usize,
    /// Counts of failed sign-ins old enough to forget.
    pub throttles_pruned: usize,
    /// Messages written about contracts ending soon and prepaid balances running low.
    pub reminders: usize,
    /// Complaints not answered by their decide-by day, deemed accepted.
    pub complaints_deemed_accepted: usize,
    /// Time-barred complaints not answered by their decide-by day, answered as such.
    pub complaints_time_barred: usize,
    /// Complaints the clock could not decide; tried again at the next run.
    pub complaints_failed: usize,
    /// Outages found among the open tickets, and tickets joined to one.
    pub outages_detected: usize,
    pub tickets_joined_to_outages: usize,
}

/// Failed sign-ins are forgotten a day after the last one (a lockout is minutes).
const LOCKOUT_KEPT: chrono::Duration = chrono::Duration::days(1);

/// Someone (another server, a person) got there first: not an error for a job.
fn skipped_if_stale<T>(result: ApiResult<T>) -> ApiResult<Option<T>> {
    match result {
        Ok(value) => Ok(Some(value)),
        Err(ApiError::VersionConflict(_)) | Err(ApiError::Conflict(..)) => Ok(None),
        Err(ApiError::NotFound(..)) => Ok(None),
        Err(other) => Err(other),
    }
}

/// What the jobs tell customers, and by whom.
#[derive(Debug, Clone)]
pub struct Reminders {
    pub sender: Sender,
    pub contract_ending_days: u32,
    pub prepaid_low_days: u32,
    /// The complaint clock's settings.
    pub complaints: crate::complaints::Desk,
    pub tickets: crate::tickets::Desk,
}

impl Reminders {
    pub fn of(state: &AppState) -> Self {
        let settings = &state.settings.notifications;
        Self {
            sender: state.sender(),
            contract_ending_days: settings.contract_ending_days,
            prepaid_low_days: settings.prepaid_low_days,
            complaints: crate::complaints::Desk::of(state),
            tickets: crate::tickets::Desk::of(state),
        }
    }
}

/// Runs every due step once, as of `now`.
pub fn run_due(
    conn: &mut DbConnection,
    reminders: &Reminders,
    now: DateTime<Utc>,
) -> ApiResult<JobReport> {
    let today = now.date_naive();
    let mut report = JobReport::default();
    for contract in ContractRecord::due_for_activation(conn, today)? {
        let done = write_transaction(conn, |conn| activate(conn, Actor::System, &contract, now));
        report.activated += usize::from(skipped_if_stale(done)?.is_some());
    }
    for suspension in SuspensionRecord::due_for_resumption(conn, today)? {
        let done = write_transaction(conn, |conn| resume_after_pause(conn, &suspension, now));
        report.resumed += usize::from(skipped_if_stale(done)?.is_some());
    }
    for contract in ContractRecord::past_their_end(conn, today)? {
        let done = write_transaction(conn, |conn| end_term(conn, &contract, now));
        report.ended += usize::from(skipped_if_stale(done)?.is_some());
    }
    report.throttles_pruned = crate::auth::throttle::prune_before(conn, now, LOCKOUT_KEPT)?;
    let prepaid = crate::billing::prepaid::charge_due(conn, reminders, now)?;
    report.prepaid_days = prepaid.charged_days;
    report.paused_for_debt = prepaid.paused;
    report.reminders = announce_endings(conn, reminders, today, now)?;
    let clock = crate::complaints::clock::decide_overdue(conn, &reminders.complaints, now)?;
    report.complaints_deemed_accepted = clock.deemed_accepted;
    report.complaints_time_barred = clock.time_barred;
    report.complaints_failed = clock.failed.len();
    // A detection a ticket's opening could not finish is done here.
    match crate::tickets::outages::run_detection(conn, &reminders.tickets, now) {
        Ok(found) => {
            report.outages_detected = found.incidents.len();
            report.tickets_joined_to_outages = found.joined;
        }
        Err(error) => {
            tracing::warn!(%error, "outage detection failed; tried again at the next run")
        }
    }
    Ok(report)
}

/// on the configured day of a month the month before is billed, and runs left
/// open by a stopped server are taken up again. Several servers may do this at once: a
/// period has one run, and its work is claimed through the database.
pub async fn billing(state: &AppState) -> ApiResult<()> {
    let now = state.now();
    let today = now.date_naive();
    let due = state
        .settings
        .billing
        .scheduled_on_day
        .filter(|day| chrono::Datelike::day(&today) >= *day)
        .map(|_| okno_domain::billing::Period::of(today).previous());
    let open = state
        .run(move |conn| {
            if let Some(period) = due
                && okno_db::billing::BillingRunRecord::find_by_period(conn, &period.to_string())?
                    .is_none()
            {
                write_transaction(conn, |conn| {
                    crate::billing::start(conn, period, None, "scheduler", now)
                })?;
            }
            Ok(okno_db::billing::BillingRunRecord::list(conn, 24)?
                .into_iter()
                .filter(|run| run.status == okno_domain::billing::RunStatus::Running)
                .map(|run| run.id)
                .collect::<Vec<_>>())
        })
        .await?;
    for run_id in open {
        crate::billing::spawn_workers(
            &state.billing_runs,
            state.db.clone(),
            run_id,
            state.settings.billing.clone(),
            state.settings.operator.clone(),
            state.clock.clone(),
        );
    }
    Ok(())
}

/// Tells customers of contracts ending within the warning days (one message per last
/// day, however often the job runs).
fn announce_endings(
    conn: &mut DbConnection,
    reminders: &Reminders,
    today: NaiveDate,
    now: DateTime<Utc>,
) -> ApiResult<usize> {
    let until = today + chrono::Duration::days(i64::from(reminders.contract_ending_days));
    let notices: Vec<Notice> = ContractRecord::ending_between(conn, today, until)?
        .into_iter()
        .filter_map(|contract| {
            let last_day = ends_on(contract.status, contract.terminated_on, contract.end_date)?;
            contract_ending_soon(today, last_day, reminders.contract_ending_days).then(|| {
                Notice::contract_ending(
                    contract.customer_id,
                    contract.id,
                    &contract.number,
                    last_day,
                )
            })
        })
        .collect();
    let mut written = 0;
    // In slices: one transaction each, not one over every contract in the database.
    for slice in notices.chunks(500) {
        written += write_transaction(conn, |conn| {
            notifications::write(conn, &reminders.sender, slice, now)
        })?;
    }
    Ok(written)
}

/// Ends a pause with a last day: service runs again the day after it.
pub(crate) fn resume_after_pause(
    conn: &mut DbConnection,
    suspension: &SuspensionRecord,
    now: DateTime<Utc>,
) -> ApiResult<()> {
    let Some(until) = suspension.until_date else {
        return Ok(());
    };
    let resumed_on = until + chrono::Duration::days(1);
    let contract = ContractRecord::find(conn, suspension.contract_id)?;
    SuspensionRecord::resume(conn, contract.id, resumed_on)?;
    if contract.status == ContractStatus::Suspended {
        transition(
            conn,
            Actor::System,
            &contract,
            ContractAction::Resume,
            Some(format!("the pause ended on {until}")),
            None,
            ContractChanges::default(),
            now,
        )?;
    }
    Ok(())
}

/// Ends a contract after its last day: the one its notice of termination named or the last
/// day of its fixed term, whichever came first.
fn end_term(
    conn: &mut DbConnection,
    contract: &ContractRecord,
    now: DateTime<Utc>,
) -> ApiResult<()> {
    let last_day = ends_on(contract.status, contract.terminated_on, contract.end_date);
    let (why, reason) = if last_day.is_some() && last_day == contract.terminated_on {
        let why = "the notice of termination ended";
        (
            why,
            contract.termination_reason.clone().unwrap_or(why.into()),
        )
    } else {
        let why = "the fixed term ended";
        (why, why.into())
    };
    let changes = ContractChanges {
        terminated_on: Some(last_day),
        termination_reason: Some(Some(reason)),
        ..ContractChanges::default()
    };
    transition(
        conn,
        Actor::System,
        contract,
        ContractAction::Terminate,
        Some(why.into()),
        // As read: a notice withdrawn or moved meanwhile leaves the contract alone.
        Some(contract.version),
        changes,
        now,
    )?;
    Ok(())
}

/// Runs the jobs now and then every `every`, for as long as the server lives.
pub fn spawn(state: AppState, every: Duration) {
    tokio::spawn(async move {
        let mut ticks = tokio::time::interval(every);
        loop {
            ticks.tick().await;
            let (now, reminders) = (state.now(), Reminders::of(&state));
            match state.run(move |conn| run_due(conn, &reminders, now)).await {
                Ok(report) if report != JobReport::default() => {
                    tracing::info!(?report, "scheduled contract changes applied")
                }
                Ok(_) => {}
                Err(error) => {
                    tracing::warn!(%error, "scheduled contract changes failed; retrying at the next tick")
                }
            }
            if let Err(error) = billing(&state).await {
                tracing::warn!(%error, "scheduled billing failed; retrying at the next tick");
            }
        }
    });
}
