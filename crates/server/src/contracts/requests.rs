//! Subscribers' requests from the cabinet (a tariff change, a pause), which staff accept or
//! decline; accepting one carries it out as the contract action it asks for.

use chrono::{DateTime, Utc};
use okno_api_types::ErrorCode;
use okno_api_types::contracts::{
    Contract, ContractRequest, NewContractRequest, RequestDecision, TariffChangeRequest,
    TransitionRequest,
};
use okno_db::contracts::{
    ContractFilter, ContractRecord, ContractRequestRecord, NewContractRequestRow, RequestWithNames,
    SubscriptionRecord,
};
use okno_db::tariffs::TariffRecord;
use okno_db::{DbConnection, DbError, write_transaction};
use okno_domain::contracts::{
    ContractAction, ContractStatus, RequestKind, RequestStatus, SuspensionReason, check_request,
};
use okno_domain::validation::{FieldErrorCode, Validator};

use super::view::contracts_view;
use super::{apply_action, change_tariff, find_contract};
use crate::audit;
use crate::auth::Principal;
use crate::config::OperatorDetails;
use crate::error::{ApiError, ApiResult, NotFoundExt};
use crate::time::{from_db, to_db};

const NOTE_MAX_CHARS: usize = 1000;

fn to_api((record, customer_name, contract_number): RequestWithNames) -> ContractRequest {
    ContractRequest {
        id: record.id,
        customer_id: record.customer_id,
        customer_name,
        contract_id: record.contract_id,
        contract_number,
        subscription_id: record.subscription_id,
        kind: record.kind,
        tariff_id: record.tariff_id,
        from_date: record.from_date,
        until_date: record.until_date,
        note: record.note,
        status: record.status,
        created_at: from_db(record.created_at),
        handled_by: record.handled_by,
        response: record.response,
    }
}

fn find_request(
    conn: &mut DbConnection,
    id: i64,
    customer_id: Option<i64>,
) -> ApiResult<RequestWithNames> {
    let record = ContractRequestRecord::find(conn, id)
        .or_not_found(ErrorCode::RequestNotFound, format!("request {id}"))?;
    ContractRequestRecord::list(conn, None, Some(customer_id.unwrap_or(record.customer_id)))?
        .into_iter()
        .find(|(r, _, _)| r.id == id)
        .ok_or_else(|| ApiError::not_found(ErrorCode::RequestNotFound, format!("request {id}")))
}

/// Requests, newest first, by status and customer.
pub fn list(
    conn: &mut DbConnection,
    status: Option<RequestStatus>,
    customer_id: Option<i64>,
) -> ApiResult<Vec<ContractRequest>> {
    Ok(ContractRequestRecord::list(conn, status, customer_id)?
        .into_iter()
        .map(to_api)
        .collect())
}

fn carry_out(
    conn: &mut DbConnection,
    operator: &OperatorDetails,
    principal: &Principal,
    request: &ContractRequestRecord,
    now: DateTime<Utc>,
) -> ApiResult<()> {
    match request.kind {
        RequestKind::TariffChange => {
            let change = TariffChangeRequest {
                subscription_id: request.subscription_id.unwrap_or_default(),
                tariff_id: request.tariff_id.unwrap_or_default(),
                effective_from: request.from_date,
                // The subscriber asked for the day; accepting the request agrees to it.
                early: true,
            };
            change_tariff(conn, principal, request.contract_id, &change, now)?;
        }
        RequestKind::Suspension => {
            let input = TransitionRequest {
                suspension_reason: Some(SuspensionReason::CustomerRequest),
                date: request.from_date,
                until: request.until_date,
                reason: request.note.clone(),
                ..TransitionRequest::default()
            };
            apply_action(
                conn,
                operator,
                principal,
                request.contract_id,
                ContractAction::Suspend,
                &input,
                now,
            )?;
        }
    }
    Ok(())
}

/// Staff accept (and carry out) or decline a request, with a response the subscriber reads.
pub fn decide(
    conn: &mut DbConnection,
    operator: &OperatorDetails,
    principal: &Principal,
    id: i64,
    decision: &RequestDecision,
    now: DateTime<Utc>,
) -> ApiResult<ContractRequest> {
    let mut v = Validator::new();
    let response = v.optional_text("response", decision.response.as_deref(), NOTE_MAX_CHARS);
    v.finish()?;
    write_transaction(conn, |conn| {
        let (request, _, _) = find_request(conn, id, None)?;
        if request.status != RequestStatus::Pending {
            return Err(ApiError::Conflict(
                ErrorCode::RequestAlreadyDecided,
                format!("request {id} is {} already", request.status),
                vec![],
            ));
        }
        if decision.accept {
            carry_out(conn, operator, principal, &request, now)?;
        }
        let status = if decision.accept {
            RequestStatus::Accepted
        } else {
            RequestStatus::Declined
        };
        let by = principal.recorded_by().label;
        if !ContractRequestRecord::decide(conn, id, status, &by, response.as_deref(), to_db(now))? {
            return Err(ApiError::Conflict(
                ErrorCode::RequestAlreadyDecided,
                format!("request {id} was decided meanwhile"),
                vec![],
            ));
        }
        audit::record(
            conn,
            principal,
            "contract_request.decide",
            Some(request.customer_id),
            Some(format!("request {id}: {status}")),
            now,
        )?;
        find_request(conn, id, None)
    })
    .map(to_api)
}

/// The subscriber's contracts and services; drafts are the operator's work in progress, not
/// yet the customer's business.
pub fn own_contracts(
    conn: &mut DbConnection,
    customer_id: i64,
    today: chrono::NaiveDate,
) -> ApiResult<Vec<Contract>> {
    let filter = ContractFilter {
        customer_id: Some(customer_id),
        ..ContractFilter::default()
    };
    let rows = ContractRecord::list(conn, &filter, None, 100)?;
    let rows = rows
        .into_iter()
        .filter(|(c, _)| c.status != ContractStatus::Draft)
        .collect();
    contracts_view(conn, rows, today)
}

/// A subscriber may ask only for a tariff that is sold now.
fn check_tariff_on_sale(conn: &mut DbConnection, tariff_id: i64) -> ApiResult<()> {
    match TariffRecord::find(conn, tariff_id) {
        Ok(tariff) if tariff.active => Ok(()),
        Ok(_) => Err(ApiError::field(
            "tariff_id",
            FieldErrorCode::Inactive,
            "this tariff is no longer sold",
        )),
        Err(DbError::NotFound) => Err(ApiError::field(
            "tariff_id",
            FieldErrorCode::UnknownReference,
            format!("there is no tariff {tariff_id}"),
        )),
        Err(other) => Err(other.into()),
    }
}

/// A subscriber asks for a tariff change or a pause of one of their own contracts.
pub fn create_own(
    conn: &mut DbConnection,
    principal: &Principal,
    customer_id: i64,
    input: &NewContractRequest,
    now: DateTime<Utc>,
) -> ApiResult<ContractRequest> {
    let mut v = Validator::new();
    let note = v.optional_text("note", input.note.as_deref(), NOTE_MAX_CHARS);
    check_request(
        &mut v,
        input.kind,
        input.tariff_id,
        input.subscription_id,
        input.from_date,
        input.until_date,
        now.date_naive(),
    );
    v.finish()?;
    write_transaction(conn, |conn| {
        let contract = find_contract(conn, input.contract_id)?;
        // A subscriber sees only their own contracts; another's is as good as absent.
        if contract.customer_id != customer_id || contract.status == ContractStatus::Draft {
            return Err(ApiError::not_found(
                ErrorCode::ContractNotFound,
                format!("contract {}", input.contract_id),
            ));
        }
        if let Some(subscription_id) = input.subscription_id
            && !SubscriptionRecord::of_contract(conn, contract.id)?
                .iter()
                .any(|s| s.id == subscription_id)
        {
            return Err(ApiError::not_found(
                ErrorCode::SubscriptionNotFound,
                format!("subscription {subscription_id}"),
            ));
        }
        if let Some(tariff_id) = input.tariff_id {
            check_tariff_on_sale(conn, tariff_id)?;
        }
        let record = ContractRequestRecord::insert(
            conn,
            NewContractRequestRow {
                customer_id,
                contract_id: contract.id,
                subscription_id: input.subscription_id,
                kind: input.kind,
                tariff_id: input.tariff_id,
                from_date: input.from_date,
                until_date: input.until_date,
                note,
                status: RequestStatus::Pending,
                created_at: to_db(now),
            },
        )?;
        audit::record(
            conn,
            principal,
            "contract_request.create",
            Some(customer_id),
            Some(format!("{} for {}", input.kind, contract.number)),
            now,
        )?;
        find_request(conn, record.id, Some(customer_id))
    })
    .map(to_api)
}
