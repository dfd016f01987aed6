//! Subscribers' requests from the cabinet (a tariff change, a pause), which staff accept or
//! decline; accepting one carries it out as the contract action it asks for.

use actix_web::{HttpResponse, get, post, web};
use chrono::{DateTime, Utc};
use okno_api_types::contracts::{
    Contract, ContractRequest, NewContractRequest, RequestDecision, RequestQuery,
    TariffChangeRequest, TransitionRequest,
};
use okno_api_types::{ErrorCode, Problem};
use okno_db::contracts::{
    ContractFilter, ContractRecord, ContractRequestRecord, NewContractRequestRow, RequestWithNames,
    SubscriptionRecord,
};
use okno_db::{DbConnection, write_transaction};
use okno_domain::calendar::first_of_next_month;
use okno_domain::contracts::{
    ContractAction, ContractStatus, RequestKind, RequestStatus, SuspensionReason,
};

use crate::audit;
use crate::auth::{Authorized, Principal, perm};
use crate::config::OperatorDetails;
use crate::contracts::view::contracts_view;
use crate::contracts::{self as service, find_contract};
use crate::error::{ApiError, ApiResult, NotFoundExt};
use crate::extract::{Json, Query};
use crate::state::AppState;
use crate::time::{from_db, to_db};
use crate::validation::Validator;

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

/// Requests from subscribers, newest first; `status=pending` is the to-do list.
#[utoipa::path(
    tag = "contracts",
    params(RequestQuery),
    responses((status = 200, body = Vec<ContractRequest>)),
    extensions(("x-okno-permission" = json!("contracts_read"))),
)]
#[get("/contract-requests")]
pub async fn list_requests(
    _auth: Authorized<perm::ContractsRead>,
    state: web::Data<AppState>,
    query: Query<RequestQuery>,
) -> ApiResult<web::Json<Vec<ContractRequest>>> {
    let query = query.into_inner()?;
    let rows = state
        .run(move |conn| {
            Ok(ContractRequestRecord::list(
                conn,
                query.status,
                query.customer_id,
            )?)
        })
        .await?;
    Ok(web::Json(rows.into_iter().map(to_api).collect()))
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
                early: request
                    .from_date
                    .is_some_and(|d| d != first_of_next_month(d - chrono::Duration::days(1))),
            };
            service::change_tariff(conn, principal, request.contract_id, &change, now)?;
        }
        RequestKind::Suspension => {
            let input = TransitionRequest {
                suspension_reason: Some(SuspensionReason::CustomerRequest),
                date: request.from_date,
                until: request.until_date,
                reason: request.note.clone(),
                ..TransitionRequest::default()
            };
            service::apply_action(
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

/// Accept (and carry out) or decline a subscriber's request, with a response they will read.
#[utoipa::path(
    tag = "contracts",
    params(("id" = i64, Path, description = "Request id")),
    request_body = RequestDecision,
    responses((status = 200, body = ContractRequest), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)),
    extensions(("x-okno-permission" = json!("contracts_write"))),
)]
#[post("/contract-requests/{id}/decision")]
pub async fn decide_request(
    auth: Authorized<perm::ContractsWrite>,
    state: web::Data<AppState>,
    id: web::Path<i64>,
    body: Json<RequestDecision>,
) -> ApiResult<web::Json<ContractRequest>> {
    let id = id.into_inner();
    let decision = body.into_inner()?;
    let mut v = Validator::new();
    let response = v.optional_text("response", decision.response.as_deref(), 1000);
    v.finish()?;
    let now = state.now();
    let operator = state.settings.operator.clone();
    let principal = auth.principal;
    let request = state
        .run(move |conn| {
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
                    carry_out(conn, &operator, &principal, &request, now)?;
                }
                let status = if decision.accept {
                    RequestStatus::Accepted
                } else {
                    RequestStatus::Declined
                };
                let by = principal.recorded_by().label;
                if !ContractRequestRecord::decide(
                    conn,
                    id,
                    status,
                    &by,
                    response.as_deref(),
                    to_db(now),
                )? {
                    return Err(ApiError::Conflict(
                        ErrorCode::RequestAlreadyDecided,
                        format!("request {id} was decided meanwhile"),
                        vec![],
                    ));
                }
                audit::record(
                    conn,
                    &principal,
                    "contract_request.decide",
                    Some(request.customer_id),
                    Some(format!("request {id}: {status}")),
                    now,
                )?;
                find_request(conn, id, None)
            })
        })
        .await?;
    Ok(web::Json(to_api(request)))
}

/// The subscriber's contracts and services, with their tariffs.
#[utoipa::path(
    tag = "cabinet",
    responses((status = 200, body = Vec<Contract>)),
    extensions(("x-okno-permission" = json!("self_service"))),
)]
#[get("/me/contracts")]
pub async fn my_contracts(
    auth: Authorized<perm::SelfService>,
    state: web::Data<AppState>,
) -> ApiResult<web::Json<Vec<Contract>>> {
    let customer_id = auth.principal.own_customer_id()?;
    let today = state.now().date_naive();
    let contracts = state
        .run(move |conn| {
            let filter = ContractFilter {
                customer_id: Some(customer_id),
                ..ContractFilter::default()
            };
            let rows = ContractRecord::list(conn, &filter, None, 100)?;
            // Drafts are the operator's work in progress, not yet the customer's business.
            let rows = rows
                .into_iter()
                .filter(|(c, _)| c.status != ContractStatus::Draft)
                .collect();
            contracts_view(conn, rows, today)
        })
        .await?;
    Ok(web::Json(contracts))
}

/// The subscriber's requests.
#[utoipa::path(
    tag = "cabinet",
    responses((status = 200, body = Vec<ContractRequest>)),
    extensions(("x-okno-permission" = json!("self_service"))),
)]
#[get("/me/requests")]
pub async fn my_requests(
    auth: Authorized<perm::SelfService>,
    state: web::Data<AppState>,
) -> ApiResult<web::Json<Vec<ContractRequest>>> {
    let customer_id = auth.principal.own_customer_id()?;
    let rows = state
        .run(move |conn| Ok(ContractRequestRecord::list(conn, None, Some(customer_id))?))
        .await?;
    Ok(web::Json(rows.into_iter().map(to_api).collect()))
}

/// Ask for a tariff change or a pause of one's own contract; staff carry it out.
#[utoipa::path(
    tag = "cabinet",
    request_body = NewContractRequest,
    responses((status = 201, body = ContractRequest), (status = 404, body = Problem), (status = 422, body = Problem)),
    extensions(("x-okno-permission" = json!("self_service"))),
)]
#[post("/me/requests")]
pub async fn create_my_request(
    auth: Authorized<perm::SelfService>,
    state: web::Data<AppState>,
    body: Json<NewContractRequest>,
) -> ApiResult<HttpResponse> {
    let customer_id = auth.principal.own_customer_id()?;
    let input = body.into_inner()?;
    let mut v = Validator::new();
    let note = v.optional_text("note", input.note.as_deref(), 1000);
    let now = state.now();
    let today = now.date_naive();
    match input.kind {
        RequestKind::TariffChange => {
            if input.tariff_id.is_none() {
                v.fail("tariff_id", "required", "which tariff");
            }
            if input.subscription_id.is_none() {
                v.fail("subscription_id", "required", "which service");
            }
        }
        RequestKind::Suspension => {
            if input
                .until_date
                .is_some_and(|until| until < input.from_date.unwrap_or(today))
            {
                v.fail(
                    "until_date",
                    "invalid_value",
                    "a pause ends on or after it starts",
                );
            }
        }
    }
    if input.from_date.is_some_and(|d| d < today) {
        v.fail("from_date", "in_past", "today or later");
    }
    v.finish()?;
    let principal = auth.principal;
    let request = state
        .write(move |conn| {
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
            let record = ContractRequestRecord::insert(
                conn,
                &NewContractRequestRow {
                    customer_id,
                    contract_id: contract.id,
                    subscription_id: input.subscription_id,
                    kind: input.kind.as_str().into(),
                    tariff_id: input.tariff_id,
                    from_date: input.from_date,
                    until_date: input.until_date,
                    note,
                    status: RequestStatus::Pending.as_str().into(),
                    created_at: to_db(now),
                },
            )?;
            audit::record(
                conn,
                &principal,
                "contract_request.create",
                Some(customer_id),
                Some(format!("{} for {}", input.kind, contract.number)),
                now,
            )?;
            find_request(conn, record.id, Some(customer_id))
        })
        .await?;
    Ok(HttpResponse::Created().json(to_api(request)))
}
