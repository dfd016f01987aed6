//! Subscribers' requests from the cabinet (a tariff change, a pause), which staff accept or
//! decline; accepting one carries it out as the contract action it asks for.

use actix_web::{HttpResponse, get, post, web};
use okno_api_types::Problem;
use okno_api_types::contracts::{
    Contract, ContractRequest, NewContractRequest, RequestDecision, RequestQuery,
};

use crate::audit;
use crate::auth::{Authorized, perm};
use crate::contracts::requests;
use crate::error::ApiResult;
use crate::extract::{Json, Query};
use crate::state::AppState;

/// Requests from subscribers, newest first; `status=pending` is the to-do list.
#[utoipa::path(
    tag = "contracts",
    params(RequestQuery),
    responses((status = 200, body = Vec<ContractRequest>)),
    extensions(("x-okno-permission" = json!("contracts_read"))),
)]
#[get("/contract-requests")]
pub async fn list_requests(
    auth: Authorized<perm::ContractsRead>,
    state: web::Data<AppState>,
    query: Query<RequestQuery>,
) -> ApiResult<web::Json<Vec<ContractRequest>>> {
    let query = query.into_inner()?;
    let (principal, now) = (auth.principal, state.now());
    let requests = state
        .run(move |conn| {
            let requests = requests::list(conn, query.status, query.customer_id)?;
            let shown = requests.iter().map(|r| r.customer_id);
            audit::record_read(conn, &principal, "contract_request.list", shown, now)?;
            Ok(requests)
        })
        .await?;
    Ok(web::Json(requests))
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
    let now = state.now();
    let operator = state.settings.operator.clone();
    let principal = auth.principal;
    let request = state
        .run(move |conn| requests::decide(conn, &operator, &principal, id, &decision, now))
        .await?;
    Ok(web::Json(request))
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
        .run(move |conn| requests::own_contracts(conn, customer_id, today))
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
    let requests = state
        .run(move |conn| requests::list(conn, None, Some(customer_id)))
        .await?;
    Ok(web::Json(requests))
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
    let now = state.now();
    let principal = auth.principal;
    let request = state
        .run(move |conn| requests::create_own(conn, &principal, customer_id, &input, now))
        .await?;
    Ok(HttpResponse::Created().json(request))
}
