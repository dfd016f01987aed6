//! Drafting contracts and moving them through their life (R-12..R-14). Every change runs in
//! one transaction with its event, its audit record and the documents it issues.

use chrono::{DateTime, Datelike, NaiveDate, Utc};
use okno_api_types::contracts::{
    ContractPatch, NewContract, NewSubscription, TariffChangeRequest, TermsChangeRequest,
    TransitionRequest,
};
use okno_api_types::{Channel, CustomerKind, CustomerStatus, ErrorCode, Role};
use okno_db::contracts::{
    ContractChanges, ContractEventRecord, ContractRecord, NewContractRow, SubscriptionRecord,
    SubscriptionTariffRecord, SuspensionRecord,
};
use okno_db::customers::{CustomerRecord, RecordedBy};
use okno_db::reference::SalesPointRecord;
use okno_db::tariffs::{TariffRecord, TariffVersionRecord};
use okno_db::{DbConnection, DbError, write_transaction};
use okno_domain::calendar::{deadline_after, first_of_next_month};
use okno_domain::contracts::{
    ContractAction, ContractStatus, DocumentKind, SuspensionReason, WITHDRAWAL_DAYS,
    WithdrawalRefused, withdrawal_ground,
};
use okno_domain::tariffs::{ServiceKind, version_in_force};

use super::papers::{keep, paper};
use super::view::find_contract;
use crate::audit;
use crate::auth::Principal;
use crate::config::OperatorDetails;
use crate::documents;
use crate::error::{ApiError, ApiResult, NotFoundExt};
use crate::routes::customers::{find_customer, validate_address};
use crate::stored_json::encode;
use crate::time::to_db;
use crate::validation::Validator;

/// The body of a lifecycle action.
pub type ActionInput = TransitionRequest;

/// Most services one contract may carry.
const MAX_SUBSCRIPTIONS: usize = 10;
const REASON_MAX_CHARS: usize = 1000;

fn illegal(error: okno_domain::contracts::IllegalTransition) -> ApiError {
    ApiError::Conflict(ErrorCode::IllegalTransition, error.to_string(), vec![])
}

fn stale() -> ApiError {
    ApiError::VersionConflict(None)
}

/// A contract's move to its next status, as the event records it.
pub struct Transition<'a> {
    pub action: ContractAction,
    pub to: ContractStatus,
    pub detail: Option<&'a str>,
}

/// Writes `changes` with the contract's new status — against the `version` the caller read,
/// when it gave one, and always against the status it saw — and records the event. Every
/// change of a contract's status goes through here.
pub fn transition(
    conn: &mut DbConnection,
    contract: &ContractRecord,
    step: Transition<'_>,
    version: Option<i64>,
    changes: ContractChanges,
    by: &RecordedBy,
    now: DateTime<Utc>,
) -> ApiResult<ContractRecord> {
    let changes = ContractChanges {
        status: Some(step.to.as_str().into()),
        ..changes
    };
    let updated = ContractRecord::update(
        conn,
        contract.id,
        contract.status,
        version,
        &changes,
        to_db(now),
    )?;
    ContractEventRecord::record(
        conn,
        &updated,
        step.action.as_str(),
        Some(contract.status),
        step.to,
        step.detail,
        by,
        to_db(now),
    )?;
    Ok(updated)
}

/// A service kind measured by a meter needs the meter's number.
fn needs_meter(kind: ServiceKind) -> bool {
    matches!(
        kind,
        ServiceKind::Electricity | ServiceKind::Gas | ServiceKind::Water
    )
}

struct CheckedSubscription {
    tariff_id: i64,
    address_json: String,
    meter_number: Option<String>,
}

/// Checks the services of a contract starting on `start_date`.
fn check_subscriptions(
    conn: &mut DbConnection,
    v: &mut Validator,
    subscriptions: &[NewSubscription],
    start_date: NaiveDate,
) -> ApiResult<Vec<CheckedSubscription>> {
    if subscriptions.is_empty() {
        v.fail(
            "subscriptions",
            "required",
            "a contract has at least one service",
        );
    }
    if subscriptions.len() > MAX_SUBSCRIPTIONS {
        v.fail(
            "subscriptions",
            "too_many",
            format!("at most {MAX_SUBSCRIPTIONS} services"),
        );
    }
    let mut checked = Vec::new();
    for (i, subscription) in subscriptions.iter().enumerate() {
        let prefix = format!("subscriptions[{i}]");
        let address = validate_address(
            v,
            &format!("{prefix}.service_address"),
            &subscription.service_address,
        );
        let meter_number = v.optional_text(
            &format!("{prefix}.meter_number"),
            subscription.meter_number.as_deref(),
            40,
        );
        match TariffRecord::find(conn, subscription.tariff_id) {
            Ok(tariff) if !tariff.active => v.fail(
                format!("{prefix}.tariff_id"),
                "inactive",
                "this tariff is no longer sold",
            ),
            Ok(tariff) => {
                let versions = TariffVersionRecord::of_tariff(conn, tariff.id)?;
                if version_in_force(&versions, |v| v.effective_from, start_date).is_none() {
                    v.fail(
                        format!("{prefix}.tariff_id"),
                        "not_in_force",
                        "the tariff has no price in force on the start date",
                    );
                }
                if needs_meter(tariff.service_kind) && meter_number.is_none() {
                    v.fail(
                        format!("{prefix}.meter_number"),
                        "required",
                        "a metered service needs the meter's number",
                    );
                }
            }
            Err(DbError::NotFound) => v.fail(
                format!("{prefix}.tariff_id"),
                "unknown_reference",
                format!("there is no tariff {}", subscription.tariff_id),
            ),
            Err(e) => return Err(e.into()),
        }
        checked.push(CheckedSubscription {
            tariff_id: subscription.tariff_id,
            address_json: encode(&address)?,
            meter_number,
        });
    }
    Ok(checked)
}

fn check_dates(
    v: &mut Validator,
    start_date: NaiveDate,
    end_date: Option<NaiveDate>,
    today: NaiveDate,
) {
    if start_date < today {
        v.fail("start_date", "in_past", "a contract starts today or later");
    }
    if end_date.is_some_and(|end| end <= start_date) {
        v.fail(
            "end_date",
            "invalid_value",
            "a fixed term ends after it starts",
        );
    }
}

fn add_subscriptions(
    conn: &mut DbConnection,
    contract: &ContractRecord,
    subscriptions: &[CheckedSubscription],
    by: &RecordedBy,
    now: DateTime<Utc>,
) -> ApiResult<()> {
    for s in subscriptions {
        let record = SubscriptionRecord::insert(
            conn,
            contract,
            &s.address_json,
            s.meter_number.as_deref(),
            to_db(now),
        )?;
        SubscriptionTariffRecord::record(
            conn,
            record.id,
            s.tariff_id,
            contract.start_date,
            false,
            &by.label,
            to_db(now),
        )?;
    }
    Ok(())
}

/// A new contract, as a draft.
pub fn create_draft(
    conn: &mut DbConnection,
    principal: &Principal,
    input: &NewContract,
    now: DateTime<Utc>,
) -> ApiResult<ContractRecord> {
    let today = now.date_naive();
    write_transaction(conn, |conn| {
        let mut v = Validator::new();
        let customer = find_customer(conn, input.customer_id).map_err(|_| {
            ApiError::field(
                "customer_id",
                "unknown_reference",
                format!("there is no customer {}", input.customer_id),
            )
        })?;
        if customer.status == CustomerStatus::Closed {
            v.fail(
                "customer_id",
                "inactive",
                "the customer's account is closed",
            );
        }
        let sales_point_id = input.sales_point_id.or(principal.sales_point_id);
        if let Some(id) = input.sales_point_id
            && !SalesPointRecord::exists(conn, id)?
        {
            v.fail(
                "sales_point_id",
                "unknown_reference",
                format!("there is no sales point {id}"),
            );
        }
        check_dates(&mut v, input.start_date, input.end_date, today);
        let subscriptions =
            check_subscriptions(conn, &mut v, &input.subscriptions, input.start_date)?;
        v.finish()?;
        let by = principal.recorded_by();
        let contract = ContractRecord::create(
            conn,
            &NewContractRow {
                customer_id: customer.id,
                sales_point_id,
                channel: input.channel.as_str().into(),
                status: ContractStatus::Draft.as_str().into(),
                start_date: input.start_date,
                end_date: input.end_date,
                created_by: by.label.clone(),
                created_by_user_id: by.user_id,
                created_at: to_db(now),
                updated_at: to_db(now),
                version: 1,
            },
            today.year(),
        )?;
        add_subscriptions(conn, &contract, &subscriptions, &by, now)?;
        ContractEventRecord::record(
            conn,
            &contract,
            "created",
            None,
            ContractStatus::Draft,
            None,
            &by,
            to_db(now),
        )?;
        audit::record(
            conn,
            principal,
            "contract.create",
            Some(customer.id),
            Some(contract.number.clone()),
            now,
        )?;
        Ok(contract)
    })
}

/// Changes a draft, which is where a rejected contract returns to its author.
pub fn update_draft(
    conn: &mut DbConnection,
    principal: &Principal,
    id: i64,
    patch: &ContractPatch,
    now: DateTime<Utc>,
) -> ApiResult<ContractRecord> {
    let today = now.date_naive();
    write_transaction(conn, |conn| {
        let contract = find_contract(conn, id)?;
        if contract.status != ContractStatus::Draft {
            return Err(ApiError::Conflict(
                ErrorCode::IllegalTransition,
                format!(
                    "a {} contract cannot be edited; only drafts can",
                    contract.status
                ),
                vec![],
            ));
        }
        if contract.version != patch.version {
            return Err(stale());
        }
        let mut v = Validator::new();
        let start_date = patch.start_date.unwrap_or(contract.start_date);
        let end_date = patch.end_date.unwrap_or(contract.end_date);
        check_dates(&mut v, start_date, end_date, today);
        let subscriptions = match &patch.subscriptions {
            Some(list) => Some(check_subscriptions(conn, &mut v, list, start_date)?),
            None => None,
        };
        v.finish()?;
        let changes = ContractChanges {
            channel: patch.channel.map(|c| c.as_str().to_owned()),
            start_date: patch.start_date,
            end_date: patch.end_date,
            ..ContractChanges::default()
        };
        let updated = ContractRecord::update(
            conn,
            id,
            ContractStatus::Draft,
            Some(patch.version),
            &changes,
            to_db(now),
        )?;
        let by = principal.recorded_by();
        if let Some(subscriptions) = subscriptions {
            SubscriptionRecord::delete_of_draft(conn, id)?;
            add_subscriptions(conn, &updated, &subscriptions, &by, now)?;
        }
        ContractEventRecord::record(
            conn,
            &updated,
            "edited",
            Some(ContractStatus::Draft),
            ContractStatus::Draft,
            None,
            &by,
            to_db(now),
        )?;
        audit::record(
            conn,
            principal,
            "contract.update",
            Some(updated.customer_id),
            Some(updated.number.clone()),
            now,
        )?;
        Ok(updated)
    })
}

fn reason(v: &mut Validator, input: &ActionInput, required: bool) -> Option<String> {
    match input.reason.as_deref() {
        Some(text) => Some(v.text("reason", text, REASON_MAX_CHARS)),
        None if required => {
            v.fail("reason", "required", "say why");
            None
        }
        None => None,
    }
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
    let today = now.date_naive();
    write_transaction(conn, |conn| {
        let contract = find_contract(conn, id)?;
        if input.version.is_some_and(|v| v != contract.version) {
            return Err(stale());
        }
        let next = contract.status.after(action).map_err(illegal)?;
        let by = principal.recorded_by();
        let mut v = Validator::new();
        let mut changes = ContractChanges::default();
        let mut detail = None;
        match action {
            ContractAction::Sign => changes.signed_on = Some(Some(today)),
            ContractAction::Approve => {
                if principal.role == Role::Manager
                    && principal.sales_point_id != contract.sales_point_id
                {
                    return Err(ApiError::ForbiddenRecord(
                        "a manager approves the contracts of their own sales point".into(),
                    ));
                }
                changes.approved_at = Some(Some(to_db(now)));
                changes.approved_by = Some(Some(by.label.clone()));
                changes.rejection_reason = Some(None);
            }
            ContractAction::Reject => {
                if principal.role == Role::Manager
                    && principal.sales_point_id != contract.sales_point_id
                {
                    return Err(ApiError::ForbiddenRecord(
                        "a manager rejects the contracts of their own sales point".into(),
                    ));
                }
                let why = reason(&mut v, input, true);
                detail = why.clone();
                changes.rejection_reason = Some(why);
                changes.signed_on = Some(None);
            }
            ContractAction::Activate => changes.activated_on = Some(Some(today)),
            ContractAction::Suspend => {
                let from = input.date.unwrap_or(today);
                if from < today {
                    v.fail("date", "in_past", "a pause starts today or later");
                }
                if input.until.is_some_and(|until| until < from) {
                    v.fail(
                        "until",
                        "invalid_value",
                        "a pause ends on or after it starts",
                    );
                }
                let why = input
                    .suspension_reason
                    .unwrap_or(SuspensionReason::CustomerRequest);
                let note = reason(&mut v, input, false);
                v.finish()?;
                SuspensionRecord::insert(
                    conn,
                    contract.id,
                    why,
                    from,
                    input.until,
                    note.as_deref(),
                    &by.label,
                    to_db(now),
                )?;
                detail = Some(format!(
                    "{why} from {from}{}",
                    input
                        .until
                        .map(|u| format!(" until {u}"))
                        .unwrap_or_default()
                ));
                v = Validator::new();
            }
            ContractAction::Resume => {
                let on = input.date.unwrap_or(today);
                if on < today {
                    v.fail("date", "in_past", "service resumes today or later");
                }
                v.finish()?;
                SuspensionRecord::resume(conn, contract.id, on)?;
                detail = Some(format!("from {on}"));
                v = Validator::new();
            }
            ContractAction::Terminate => {
                let last_day = input.date.unwrap_or(today);
                if last_day < today {
                    v.fail(
                        "date",
                        "in_past",
                        "the last day of service is today or later",
                    );
                }
                let why = reason(&mut v, input, true);
                detail = Some(format!(
                    "last day {last_day}: {}",
                    why.clone().unwrap_or_default()
                ));
                changes.terminated_on = Some(Some(last_day));
                changes.termination_reason = Some(why);
            }
            ContractAction::Withdraw => {
                let customer = CustomerRecord::find(conn, contract.customer_id)?;
                let consumer = customer.kind == CustomerKind::Person;
                withdrawal_ground(
                    consumer,
                    contract.channel,
                    contract.signed_on,
                    contract.terms_changed_on,
                    today,
                )
                .map_err(|refused| {
                    let text = match refused {
                        WithdrawalRefused::Expired(day) => {
                            format!("the withdrawal period ended on {day}")
                        }
                        other => other.to_string(),
                    };
                    ApiError::Conflict(ErrorCode::WithdrawalNotAllowed, text, vec![])
                })?;
                changes.withdrawn_at = Some(Some(to_db(now)));
                detail = Some(format!(
                    "stated by {}",
                    input.channel.unwrap_or(Channel::Letter)
                ));
            }
        }
        v.finish()?;
        let step = Transition {
            action,
            to: next,
            detail: detail.as_deref(),
        };
        let updated = transition(conn, &contract, step, input.version, changes, &by, now)?;
        audit::record(
            conn,
            principal,
            &format!("contract.{action}"),
            Some(updated.customer_id),
            Some(updated.number.clone()),
            now,
        )?;
        match action {
            ContractAction::Sign => {
                let paper = paper(conn, operator, &updated, today)?;
                keep(
                    conn,
                    &updated,
                    &paper,
                    DocumentKind::Contract,
                    documents::contract(&paper)?,
                    &by.label,
                    now,
                )?;
            }
            ContractAction::Withdraw => {
                let paper = paper(conn, operator, &updated, today)?;
                let pdf = documents::withdrawal_statement(&paper, today)?;
                keep(
                    conn,
                    &updated,
                    &paper,
                    DocumentKind::WithdrawalStatement,
                    pdf,
                    &by.label,
                    now,
                )?;
            }
            ContractAction::Approve if updated.start_date <= today => {
                return activate(conn, &updated, &by, now);
            }
            _ => {}
        }
        Ok(updated)
    })
}

/// Starts the service of an approved contract whose start date has come; its customer becomes
/// active.
pub fn activate(
    conn: &mut DbConnection,
    contract: &ContractRecord,
    by: &RecordedBy,
    now: DateTime<Utc>,
) -> ApiResult<ContractRecord> {
    let next = contract
        .status
        .after(ContractAction::Activate)
        .map_err(illegal)?;
    let changes = ContractChanges {
        activated_on: Some(Some(now.date_naive().max(contract.start_date))),
        ..ContractChanges::default()
    };
    let step = Transition {
        action: ContractAction::Activate,
        to: next,
        detail: None,
    };
    let updated = transition(conn, contract, step, None, changes, by, now)?;
    CustomerRecord::set_status_if(
        conn,
        updated.customer_id,
        CustomerStatus::Prospect,
        CustomerStatus::Active,
        to_db(now),
    )?;
    crate::billing::usage::install_meters(conn, &updated, now)?;
    Ok(updated)
}

/// a subscription moves to another tariff from the first day of next month, or, when
/// `early` says so, from another day.
pub fn change_tariff(
    conn: &mut DbConnection,
    principal: &Principal,
    contract_id: i64,
    request: &TariffChangeRequest,
    now: DateTime<Utc>,
) -> ApiResult<ContractRecord> {
    let today = now.date_naive();
    write_transaction(conn, |conn| {
        let contract = find_contract(conn, contract_id)?;
        if !matches!(
            contract.status,
            ContractStatus::Approved | ContractStatus::Active | ContractStatus::Suspended
        ) {
            return Err(ApiError::Conflict(
                ErrorCode::IllegalTransition,
                format!(
                    "the tariff of a {} contract cannot be changed",
                    contract.status
                ),
                vec![],
            ));
        }
        let subscriptions = SubscriptionRecord::of_contract(conn, contract.id)?;
        if !subscriptions
            .iter()
            .any(|s| s.id == request.subscription_id)
        {
            return Err(ApiError::not_found(
                ErrorCode::SubscriptionNotFound,
                format!(
                    "subscription {} of contract {}",
                    request.subscription_id, contract.number
                ),
            ));
        }
        let mut v = Validator::new();
        let effective = request
            .effective_from
            .unwrap_or_else(|| first_of_next_month(today));
        if effective < today.max(contract.start_date) {
            v.fail(
                "effective_from",
                "in_past",
                "a change takes effect today or later, and not before the contract starts",
            );
        } else if effective.day() != 1 && !request.early {
            v.fail(
                "effective_from",
                "not_first_of_month",
                "a tariff changes on the first day of a month; set early to change on another day",
            );
        }
        let tariff = TariffRecord::find(conn, request.tariff_id).or_not_found(
            ErrorCode::TariffNotFound,
            format!("tariff {}", request.tariff_id),
        )?;
        if !tariff.active {
            v.fail("tariff_id", "inactive", "this tariff is no longer sold");
        }
        let versions = TariffVersionRecord::of_tariff(conn, tariff.id)?;
        if version_in_force(&versions, |v| v.effective_from, effective).is_none() {
            v.fail(
                "tariff_id",
                "not_in_force",
                "the tariff has no price in force on that day",
            );
        }
        let history = SubscriptionTariffRecord::of_subscriptions(conn, &[request.subscription_id])?;
        let current = history
            .iter()
            .rev()
            .find(|(t, _, _)| t.effective_from <= effective);
        if current.is_some_and(|(t, _, _)| t.tariff_id == tariff.id) {
            v.fail(
                "tariff_id",
                "unchanged",
                "the subscription is on this tariff already",
            );
        }
        v.finish()?;
        let by = principal.recorded_by();
        let early = effective.day() != 1;
        SubscriptionTariffRecord::record(
            conn,
            request.subscription_id,
            tariff.id,
            effective,
            early,
            &by.label,
            to_db(now),
        )?;
        let detail = format!(
            "subscription {}: {} from {effective}{}",
            request.subscription_id,
            tariff.code,
            if early { " (early)" } else { "" }
        );
        ContractEventRecord::record(
            conn,
            &contract,
            "tariff_change",
            Some(contract.status),
            contract.status,
            Some(&detail),
            &by,
            to_db(now),
        )?;
        audit::record(
            conn,
            principal,
            "contract.tariff_change",
            Some(contract.customer_id),
            Some(detail),
            now,
        )?;
        Ok(contract)
    })
}

/// The operator changes the terms: the customer gets a notice, kept as a document, and 14
/// days to withdraw.
pub fn change_terms(
    conn: &mut DbConnection,
    operator: &OperatorDetails,
    principal: &Principal,
    contract_id: i64,
    request: &TermsChangeRequest,
    now: DateTime<Utc>,
) -> ApiResult<ContractRecord> {
    let today = now.date_naive();
    write_transaction(conn, |conn| {
        let contract = find_contract(conn, contract_id)?;
        if !contract.status.is_in_force() {
            return Err(ApiError::Conflict(
                ErrorCode::IllegalTransition,
                format!("the terms of a {} contract cannot change", contract.status),
                vec![],
            ));
        }
        let mut v = Validator::new();
        let description = v.text("description", &request.description, 2000);
        if request.effective_from < today {
            v.fail(
                "effective_from",
                "in_past",
                "a change takes effect today or later",
            );
        }
        v.finish()?;
        let changes = ContractChanges {
            terms_changed_on: Some(Some(today)),
            ..ContractChanges::default()
        };
        let updated = ContractRecord::update(
            conn,
            contract.id,
            contract.status,
            None,
            &changes,
            to_db(now),
        )?;
        let by = principal.recorded_by();
        let withdraw_until = deadline_after(today, WITHDRAWAL_DAYS);
        let paper = paper(conn, operator, &updated, today)?;
        let pdf = documents::terms_change_notice(
            &paper,
            &description,
            request.effective_from,
            withdraw_until,
        )?;
        keep(
            conn,
            &updated,
            &paper,
            DocumentKind::TermsChangeNotice,
            pdf,
            &by.label,
            now,
        )?;
        let detail = format!("from {}: {description}", request.effective_from);
        ContractEventRecord::record(
            conn,
            &updated,
            "terms_change",
            Some(updated.status),
            updated.status,
            Some(&detail),
            &by,
            to_db(now),
        )?;
        audit::record(
            conn,
            principal,
            "contract.terms_change",
            Some(updated.customer_id),
            Some(updated.number.clone()),
            now,
        )?;
        Ok(updated)
    })
}
