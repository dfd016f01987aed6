//! Moving contracts through their life: one function per action. Every change
//! runs in one transaction with its event, its audit record and the documents it issues.

use chrono::{DateTime, NaiveDate, Utc};
use okno_api_types::contracts::TransitionRequest;
use okno_api_types::{Channel, CustomerKind, CustomerStatus};
use okno_db::contracts::{
    ContractChanges, ContractEventRecord, ContractRecord, NewContractEventRow, NewSuspensionRow,
    StatusStep, SuspensionRecord,
};
use okno_db::customers::{CustomerRecord, RecordedBy};
use okno_db::{DbConnection, write_transaction};
use okno_domain::contracts::{
    ContractAction, ContractStatus, Decider, DecisionRefused, DocumentKind, SuspensionReason,
    Termination, check_last_day, check_notice_within_term, check_pause, check_resumption,
    may_decide_approval, notice_to_withdraw, termination, withdrawal_ground,
};
use okno_domain::validation::{FieldErrorCode, Validator};

use super::papers::{keep, paper};
use super::view::find_contract;
use crate::audit;
use crate::auth::Principal;
use crate::config::OperatorDetails;
use crate::documents;
use crate::error::{ApiError, ApiResult};
use crate::time::to_db;

/// The body of a lifecycle action.
pub type ActionInput = TransitionRequest;

const REASON_MAX_CHARS: usize = 1000;

/// Who changes a contract: a person or an integration, whose changes are audited, or the
/// system's own jobs.
#[derive(Debug, Clone, Copy)]
pub enum Actor<'a> {
    Principal(&'a Principal),
    System,
}

impl Actor<'_> {
    pub fn recorded_by(self) -> RecordedBy {
        match self {
            Self::Principal(principal) => principal.recorded_by(),
            Self::System => RecordedBy {
                label: "system".into(),
                user_id: None,
            },
        }
    }
}

/// What happened to a contract, as its history and the audit log name it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ContractEvent {
    Created,
    Edited,
    Action(ContractAction),
    TariffChange,
    TermsChange,
    /// A termination with a later last day: the contract stays in force until then.
    TerminationNotice,
}

impl ContractEvent {
    /// The event's name in the contract's history.
    fn name(self) -> &'static str {
        match self {
            Self::Created => "created",
            Self::Edited => "edited",
            Self::Action(action) => action.as_str(),
            Self::TariffChange => "tariff_change",
            Self::TermsChange => "terms_change",
            Self::TerminationNotice => "termination_notice",
        }
    }

    /// The action's name in the audit log.
    fn audit_action(self) -> String {
        match self {
            Self::Created => "contract.create".into(),
            Self::Edited => "contract.update".into(),
            other => format!("contract.{}", other.name()),
        }
    }
}

/// Records a change of `contract`, as it is after the change: the event in its history and,
/// for a change someone made, the audit entry. `from` is the status before (none when the
/// contract was created).
pub fn record_change(
    conn: &mut DbConnection,
    actor: Actor<'_>,
    contract: &ContractRecord,
    event: ContractEvent,
    from: Option<ContractStatus>,
    detail: Option<String>,
    now: DateTime<Utc>,
) -> ApiResult<()> {
    let by = actor.recorded_by();
    let audit_detail = match &detail {
        Some(detail) => format!("{}: {detail}", contract.number),
        None => contract.number.clone(),
    };
    ContractEventRecord::insert(
        conn,
        NewContractEventRow {
            contract_id: contract.id,
            customer_id: contract.customer_id,
            occurred_at: to_db(now),
            action: event.name().into(),
            from_status: from,
            to_status: contract.status,
            detail,
            recorded_by: by.label,
            recorded_by_user_id: by.user_id,
        },
    )?;
    if let Actor::Principal(principal) = actor {
        audit::record(
            conn,
            principal,
            &event.audit_action(),
            Some(contract.customer_id),
            Some(audit_detail),
            now,
        )?;
    }
    Ok(())
}

/// Moves a contract to its status after `action` with `changes` — against the `version` the
/// caller read, when it gave one, and always against the status it saw — and records the
/// change. Every change of a contract's status goes through here.
#[expect(
    clippy::too_many_arguments,
    reason = "the change and who makes it, when"
)]
pub fn transition(
    conn: &mut DbConnection,
    actor: Actor<'_>,
    contract: &ContractRecord,
    action: ContractAction,
    detail: Option<String>,
    version: Option<i64>,
    changes: ContractChanges,
    now: DateTime<Utc>,
) -> ApiResult<ContractRecord> {
    let step = StatusStep {
        from: contract.status,
        to: contract.status.after(action)?,
    };
    let updated = ContractRecord::update(conn, contract.id, step, version, &changes, to_db(now))?;
    record_change(
        conn,
        actor,
        &updated,
        ContractEvent::Action(action),
        Some(contract.status),
        detail,
        now,
    )?;
    Ok(updated)
}

/// Applies a lifecycle action; an action the state does not allow is
/// `409 illegal_transition`, naming the state.
pub fn apply_action(
    conn: &mut DbConnection,
    operator: &OperatorDetails,
    principal: &Principal,
    id: i64,
    action: ContractAction,
    input: &ActionInput,
    now: DateTime<Utc>,
) -> ApiResult<ContractRecord> {
    write_transaction(conn, |conn| {
        let contract = find_contract(conn, id)?;
        if input.version.is_some_and(|v| v != contract.version) {
            return Err(ApiError::VersionConflict(None));
        }
        contract.status.after(action)?;
        let action_on = ActionOn {
            actor: Actor::Principal(principal),
            contract: &contract,
            input,
            today: now.date_naive(),
            now,
        };
        match action {
            ContractAction::Sign => sign(conn, operator, action_on),
            ContractAction::Approve => approve(conn, principal, action_on),
            ContractAction::Reject => reject(conn, principal, action_on),
            ContractAction::Activate => activate(conn, action_on.actor, &contract, now),
            ContractAction::Suspend => suspend(conn, action_on),
            ContractAction::Resume => resume(conn, action_on),
            ContractAction::Terminate => terminate(conn, action_on),
            ContractAction::Withdraw => withdraw(conn, operator, action_on),
            ContractAction::CancelTermination => cancel_termination(conn, action_on),
            ContractAction::Cancel => cancel_draft(conn, action_on),
        }
    })
}

/// An action requested on a contract.
#[derive(Clone, Copy)]
struct ActionOn<'a> {
    actor: Actor<'a>,
    contract: &'a ContractRecord,
    input: &'a ActionInput,
    today: NaiveDate,
    now: DateTime<Utc>,
}

impl ActionOn<'_> {
    fn apply(
        self,
        conn: &mut DbConnection,
        action: ContractAction,
        detail: Option<String>,
        changes: ContractChanges,
    ) -> ApiResult<ContractRecord> {
        transition(
            conn,
            self.actor,
            self.contract,
            action,
            detail,
            self.input.version,
            changes,
            self.now,
        )
    }
}

/// The reason given with an action; `required` for those that must say why.
fn reason(v: &mut Validator, input: &ActionInput, required: bool) -> Option<String> {
    match input.reason.as_deref() {
        Some(text) => Some(v.text("reason", text, REASON_MAX_CHARS)),
        None if required => {
            v.fail("reason", FieldErrorCode::Required, "say why");
            None
        }
        None => None,
    }
}

/// The customer signed: the contract is concluded, and its PDF is issued and kept.
fn sign(
    conn: &mut DbConnection,
    operator: &OperatorDetails,
    on: ActionOn<'_>,
) -> ApiResult<ContractRecord> {
    let changes = ContractChanges {
        signed_on: Some(Some(on.today)),
        ..ContractChanges::default()
    };
    let signed = on.apply(conn, ContractAction::Sign, None, changes)?;
    let paper = paper(conn, operator, &signed, on.today)?;
    let pdf = documents::contract(&paper)?;
    let by = on.actor.recorded_by();
    keep(
        conn,
        &signed,
        &paper,
        DocumentKind::Contract,
        pdf,
        &by.label,
        on.now,
    )?;
    Ok(signed)
}

/// four eyes decide on a contract (`okno_domain::contracts::may_decide_approval`).
fn check_decider(
    principal: &Principal,
    contract: &ContractRecord,
    decision: ContractAction,
) -> ApiResult<()> {
    let decider = Decider {
        role: principal.role,
        user_id: principal.user_id(),
        sales_point: principal.sales_point_id,
    };
    may_decide_approval(
        decider,
        contract.created_by_user_id,
        contract.sales_point_id,
    )
    .map_err(|refused| {
        ApiError::ForbiddenRecord(match refused {
            DecisionRefused::NotOwnSalesPoint => {
                format!("a manager {decision}s the contracts of their own sales point")
            }
            other => other.to_string(),
        })
    })
}

/// The manager approves; service starts at once when the start date has come.
fn approve(
    conn: &mut DbConnection,
    principal: &Principal,
    on: ActionOn<'_>,
) -> ApiResult<ContractRecord> {
    check_decider(principal, on.contract, ContractAction::Approve)?;
    let changes = ContractChanges {
        approved_at: Some(Some(to_db(on.now))),
        approved_by: Some(Some(on.actor.recorded_by().label)),
        rejection_reason: Some(None),
        ..ContractChanges::default()
    };
    let approved = on.apply(conn, ContractAction::Approve, None, changes)?;
    if approved.start_date <= on.today {
        activate(conn, on.actor, &approved, on.now)
    } else {
        Ok(approved)
    }
}

/// The manager sends the contract back to its author with the reason; it is a draft again.
fn reject(
    conn: &mut DbConnection,
    principal: &Principal,
    on: ActionOn<'_>,
) -> ApiResult<ContractRecord> {
    check_decider(principal, on.contract, ContractAction::Reject)?;
    let mut v = Validator::new();
    let why = reason(&mut v, on.input, true);
    v.finish()?;
    let changes = ContractChanges {
        rejection_reason: Some(why.clone()),
        signed_on: Some(None),
        ..ContractChanges::default()
    };
    on.apply(conn, ContractAction::Reject, why, changes)
}

/// Starts the service of an approved contract whose start date has come; its customer becomes
/// active, and the meters named on its services are installed.
pub fn activate(
    conn: &mut DbConnection,
    actor: Actor<'_>,
    contract: &ContractRecord,
    now: DateTime<Utc>,
) -> ApiResult<ContractRecord> {
    let changes = ContractChanges {
        activated_on: Some(Some(now.date_naive().max(contract.start_date))),
        ..ContractChanges::default()
    };
    let active = transition(
        conn,
        actor,
        contract,
        ContractAction::Activate,
        None,
        None,
        changes,
        now,
    )?;
    CustomerRecord::set_status_if(
        conn,
        active.customer_id,
        CustomerStatus::Prospect,
        CustomerStatus::Active,
        to_db(now),
    )?;
    crate::billing::usage::install_meters(conn, &active, now)?;
    Ok(active)
}

/// Pauses the service from a day, until a day or until resumed.
fn suspend(conn: &mut DbConnection, on: ActionOn<'_>) -> ApiResult<ContractRecord> {
    let from = on.input.date.unwrap_or(on.today);
    let mut v = Validator::new();
    check_pause(&mut v, from, on.input.until, on.today);
    let note = reason(&mut v, on.input, false);
    v.finish()?;
    let why = on
        .input
        .suspension_reason
        .unwrap_or(SuspensionReason::CustomerRequest);
    pause(
        conn,
        on.actor,
        on.contract,
        why,
        from,
        on.input.until,
        note,
        on.input.version,
        on.now,
    )
}

/// Records a pause of `contract` and moves it to suspended.
#[expect(
    clippy::too_many_arguments,
    reason = "the pause and who makes it, when"
)]
pub fn pause(
    conn: &mut DbConnection,
    actor: Actor<'_>,
    contract: &ContractRecord,
    why: SuspensionReason,
    from: NaiveDate,
    until: Option<NaiveDate>,
    note: Option<String>,
    version: Option<i64>,
    now: DateTime<Utc>,
) -> ApiResult<ContractRecord> {
    let until_text = until.map(|u| format!(" until {u}")).unwrap_or_default();
    let note_text = note
        .as_deref()
        .map(|n| format!(": {n}"))
        .unwrap_or_default();
    let detail = format!("{why} from {from}{until_text}{note_text}");
    SuspensionRecord::insert(
        conn,
        NewSuspensionRow {
            contract_id: contract.id,
            reason: why,
            from_date: from,
            until_date: until,
            note,
            recorded_by: actor.recorded_by().label,
            recorded_at: to_db(now),
        },
    )?;
    transition(
        conn,
        actor,
        contract,
        ContractAction::Suspend,
        Some(detail),
        version,
        ContractChanges::default(),
        now,
    )
}

/// Service runs again from a day.
fn resume(conn: &mut DbConnection, on: ActionOn<'_>) -> ApiResult<ContractRecord> {
    let from = on.input.date.unwrap_or(on.today);
    let mut v = Validator::new();
    check_resumption(&mut v, from, on.today);
    v.finish()?;
    SuspensionRecord::resume(conn, on.contract.id, from)?;
    on.apply(
        conn,
        ContractAction::Resume,
        Some(format!("from {from}")),
        ContractChanges::default(),
    )
}

/// The contract ends after its last day of service: now when that day is today, otherwise a
/// notice is recorded and the scheduled job ends the contract after the day.
fn terminate(conn: &mut DbConnection, on: ActionOn<'_>) -> ApiResult<ContractRecord> {
    let last_day = on.input.date.unwrap_or(on.today);
    let mut v = Validator::new();
    check_last_day(&mut v, last_day, on.today);
    check_notice_within_term(&mut v, last_day, on.contract.end_date);
    let why = reason(&mut v, on.input, true);
    v.finish()?;
    match termination(last_day, on.today) {
        Termination::Now => {
            let (changes, detail) = termination_changes(last_day, why);
            on.apply(conn, ContractAction::Terminate, Some(detail), changes)
        }
        Termination::Notice { last_day } => give_notice(
            conn,
            on.actor,
            on.contract,
            last_day,
            why,
            on.input.version,
            on.now,
        ),
    }
}

/// The last day and reason a termination records, and the detail of its event.
fn termination_changes(last_day: NaiveDate, why: Option<String>) -> (ContractChanges, String) {
    let detail = format!(
        "last day {last_day}: {}",
        why.as_deref().unwrap_or_default()
    );
    let changes = ContractChanges {
        terminated_on: Some(Some(last_day)),
        termination_reason: Some(why),
        ..ContractChanges::default()
    };
    (changes, detail)
}

/// Records a notice of termination ending on `last_day`: the contract keeps its status until
/// the scheduled job ends it after that day.
pub fn give_notice(
    conn: &mut DbConnection,
    actor: Actor<'_>,
    contract: &ContractRecord,
    last_day: NaiveDate,
    why: Option<String>,
    version: Option<i64>,
    now: DateTime<Utc>,
) -> ApiResult<ContractRecord> {
    let (changes, detail) = termination_changes(last_day, why);
    let noticed = ContractRecord::update(
        conn,
        contract.id,
        StatusStep::stay(contract.status),
        version,
        &changes,
        to_db(now),
    )?;
    record_change(
        conn,
        actor,
        &noticed,
        ContractEvent::TerminationNotice,
        Some(contract.status),
        Some(detail),
        now,
    )?;
    Ok(noticed)
}

/// A draft the customer decided against is dropped, with the reason if one is given; it
/// stays on record, cancelled, and its number is not reused.
fn cancel_draft(conn: &mut DbConnection, on: ActionOn<'_>) -> ApiResult<ContractRecord> {
    let mut v = Validator::new();
    let why = reason(&mut v, on.input, false);
    v.finish()?;
    on.apply(
        conn,
        ContractAction::Cancel,
        why,
        ContractChanges::default(),
    )
}

/// The notice of termination is withdrawn before its last day: the contract stays in force.
fn cancel_termination(conn: &mut DbConnection, on: ActionOn<'_>) -> ApiResult<ContractRecord> {
    let last_day = notice_to_withdraw(on.contract.status, on.contract.terminated_on, on.today)?;
    let mut v = Validator::new();
    let why = reason(&mut v, on.input, false);
    v.finish()?;
    let detail = match why {
        Some(why) => format!("the notice ending on {last_day} withdrawn: {why}"),
        None => format!("the notice ending on {last_day} withdrawn"),
    };
    let changes = ContractChanges {
        terminated_on: Some(None),
        termination_reason: Some(None),
        ..ContractChanges::default()
    };
    on.apply(
        conn,
        ContractAction::CancelTermination,
        Some(detail),
        changes,
    )
}

/// a consumer withdraws within the period the law gives; the statement is issued and
/// kept.
fn withdraw(
    conn: &mut DbConnection,
    operator: &OperatorDetails,
    on: ActionOn<'_>,
) -> ApiResult<ContractRecord> {
    let customer = CustomerRecord::find(conn, on.contract.customer_id)?;
    withdrawal_ground(
        customer.kind == CustomerKind::Person,
        on.contract.channel,
        on.contract.signed_on,
        on.contract.terms_changed_on,
        on.today,
    )?;
    let changes = ContractChanges {
        withdrawn_at: Some(Some(to_db(on.now))),
        ..ContractChanges::default()
    };
    let stated_by = on.input.channel.unwrap_or(Channel::Letter);
    let detail = format!("stated by {stated_by}");
    let withdrawn = on.apply(conn, ContractAction::Withdraw, Some(detail), changes)?;
    let paper = paper(conn, operator, &withdrawn, on.today)?;
    let pdf = documents::withdrawal_statement(&paper, on.today)?;
    let by = on.actor.recorded_by();
    keep(
        conn,
        &withdrawn,
        &paper,
        DocumentKind::WithdrawalStatement,
        pdf,
        &by.label,
        on.now,
    )?;
    Ok(withdrawn)
}
