//! `/contracts`: drafting, the lifecycle (R-13), tariff changes (R-12), changes of terms and
//! withdrawals (R-14), and a contract's history and documents.

use actix_web::{HttpResponse, get, patch, post, web};
use chrono::NaiveDate;
use okno_api_types::contracts::{
    Contract, ContractEvent, ContractPatch, ContractQuery, NewContract, TariffChangeRequest,
    TermsChangeRequest, TransitionRequest,
};
use okno_api_types::{Page, Problem};
use okno_domain::contracts::ContractAction;

use crate::auth::{Authorized, Principal, perm};
use crate::contracts::{self as service, load_contract, reads};
use crate::error::ApiResult;
use crate::extract::{Json, JsonOrEmpty, Query};
use crate::state::AppState;

/// Contracts, newest first; with `ending_within_days`, those in force ending soonest first
/// (R-15).
#[utoipa::path(
    tag = "contracts",
    params(ContractQuery),
    responses((status = 200, body = Page<Contract>), (status = 422, body = Problem)),
    extensions(("x-okno-permission" = json!("contracts_read"))),
)]
#[get("/contracts")]
pub async fn list_contracts(
    auth: Authorized<perm::ContractsRead>,
    state: web::Data<AppState>,
    query: Query<ContractQuery>,
) -> ApiResult<web::Json<Page<Contract>>> {
    let now = state.now();
    let query = reads::ContractListQuery::parse(&query.into_inner()?, now.date_naive())?;
    let principal = auth.principal;
    Ok(web::Json(
        state
            .run(move |conn| reads::list(conn, &principal, query, now))
            .await?,
    ))
}

/// Draft a contract for a customer: services (a tariff at a service address), channel, start
/// and, for a fixed term, end.
#[utoipa::path(
    tag = "contracts",
    request_body = NewContract,
    responses((status = 201, body = Contract), (status = 422, body = Problem)),
    extensions(("x-okno-permission" = json!("contracts_write"))),
)]
#[post("/contracts")]
pub async fn create_contract(
    auth: Authorized<perm::ContractsWrite>,
    state: web::Data<AppState>,
    body: Json<NewContract>,
) -> ApiResult<HttpResponse> {
    let input = body.into_inner()?;
    let now = state.now();
    let principal = auth.principal;
    let contract = state
        .run(move |conn| {
            let record = service::create_draft(conn, &principal, &input, now)?;
            load_contract(conn, record.id, now.date_naive())
        })
        .await?;
    Ok(HttpResponse::Created().json(contract))
}

/// One contract with its services, tariff history and suspensions.
#[utoipa::path(
    tag = "contracts",
    params(("id" = i64, Path, description = "Contract id")),
    responses((status = 200, body = Contract), (status = 404, body = Problem)),
    extensions(("x-okno-permission" = json!("contracts_read"))),
)]
#[get("/contracts/{id}")]
pub async fn get_contract(
    auth: Authorized<perm::ContractsRead>,
    state: web::Data<AppState>,
    id: web::Path<i64>,
) -> ApiResult<web::Json<Contract>> {
    let id = id.into_inner();
    let now = state.now();
    let principal = auth.principal;
    Ok(web::Json(
        state
            .run(move |conn| reads::one(conn, &principal, id, now))
            .await?,
    ))
}

/// Change a draft (dates, channel, services). Only drafts change; send the `version` read.
#[utoipa::path(
    tag = "contracts",
    params(("id" = i64, Path, description = "Contract id")),
    request_body = ContractPatch,
    responses((status = 200, body = Contract), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)),
    extensions(("x-okno-permission" = json!("contracts_write"))),
)]
#[patch("/contracts/{id}")]
pub async fn update_contract(
    auth: Authorized<perm::ContractsWrite>,
    state: web::Data<AppState>,
    id: web::Path<i64>,
    body: Json<ContractPatch>,
) -> ApiResult<web::Json<Contract>> {
    let id = id.into_inner();
    let patch = body.into_inner()?;
    let now = state.now();
    let principal = auth.principal;
    let contract = state
        .run(move |conn| {
            service::update_draft(conn, &principal, id, &patch, now)?;
            load_contract(conn, id, now.date_naive())
        })
        .await?;
    Ok(web::Json(contract))
}

async fn transition(
    principal: Principal,
    state: web::Data<AppState>,
    id: i64,
    action: ContractAction,
    body: JsonOrEmpty<TransitionRequest>,
) -> ApiResult<web::Json<Contract>> {
    let input = body.into_inner()?;
    let now = state.now();
    let operator = state.settings.operator.clone();
    let contract = state
        .run(move |conn| {
            service::apply_action(conn, &operator, &principal, id, action, &input, now)?;
            load_contract(conn, id, now.date_naive())
        })
        .await?;
    Ok(web::Json(contract))
}

// Only for the OpenAPI document: the handlers of `reject` and `terminate` read a
// `TransitionRequest` and refuse one without a reason; this says so. Its fields are those of
// `TransitionRequest`.
/// The body of `reject` and `terminate`, which must say why.
#[derive(utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
#[expect(dead_code, reason = "a schema only")]
struct ReasonedTransitionRequest {
    /// The `version` the action is based on; refused with 409 if stale. Optional.
    #[serde(default)]
    version: Option<i64>,
    /// Why.
    #[schema(
        min_length = 1,
        max_length = 1000,
        pattern = r"[^\t-\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]"
    )]
    reason: String,
    #[serde(default)]
    suspension_reason: Option<okno_domain::contracts::SuspensionReason>,
    /// Terminate: the last day of service, today or later. Today when absent.
    #[serde(default)]
    date: Option<NaiveDate>,
    #[serde(default)]
    until: Option<NaiveDate>,
    #[serde(default)]
    channel: Option<okno_api_types::Channel>,
}

/// Declares one lifecycle endpoint: `POST /contracts/{id}/<action>`, with its body as the
/// OpenAPI document shows it (the handler reads a [`TransitionRequest`], or none).
macro_rules! lifecycle_endpoint {
    ($name:ident, $path:literal, $action:expr, $permission:ident, $permission_name:literal, $doc:literal) => {
        lifecycle_endpoint!(
            $name, $path, $action, $permission, $permission_name, $doc,
            Option<TransitionRequest>, "Optional: version, reason, dates, channel"
        );
    };
    ($name:ident, $path:literal, $action:expr, $permission:ident, $permission_name:literal, $doc:literal, $body:ty, $body_doc:literal) => {
        #[doc = $doc]
        #[utoipa::path(
            tag = "contracts",
            params(("id" = i64, Path, description = "Contract id")),
            request_body(content = $body, description = $body_doc),
            responses(
                (status = 200, body = Contract),
                (status = 404, body = Problem),
                (status = 409, description = "The contract's state does not allow this (`illegal_transition`), or it changed meanwhile", body = Problem),
                (status = 422, body = Problem),
            ),
            extensions(("x-okno-permission" = json!($permission_name))),
        )]
        #[post($path)]
        pub async fn $name(
            auth: Authorized<perm::$permission>,
            state: web::Data<AppState>,
            id: web::Path<i64>,
            body: JsonOrEmpty<TransitionRequest>,
        ) -> ApiResult<web::Json<Contract>> {
            transition(auth.principal, state, id.into_inner(), $action, body).await
        }
    };
}

lifecycle_endpoint!(
    sign_contract,
    "/contracts/{id}/sign",
    ContractAction::Sign,
    ContractsWrite,
    "contracts_write",
    "The customer signed the draft: the contract is concluded, and its PDF is issued and kept."
);
lifecycle_endpoint!(
    approve_contract,
    "/contracts/{id}/approve",
    ContractAction::Approve,
    ContractsApprove,
    "contracts_approve",
    "The manager approves a signed contract of their sales point; it becomes active at once if its start date has come."
);
lifecycle_endpoint!(
    reject_contract,
    "/contracts/{id}/reject",
    ContractAction::Reject,
    ContractsApprove,
    "contracts_approve",
    "The manager sends a signed contract back to its author as a draft, with the reason (required).",
    ReasonedTransitionRequest,
    "Why (`reason`, required); optionally the version and the date"
);
lifecycle_endpoint!(
    suspend_contract,
    "/contracts/{id}/suspend",
    ContractAction::Suspend,
    ContractsWrite,
    "contracts_write",
    "Pause an active contract from `date` (today when absent), optionally `until` a last day; `suspension_reason` is `customer_request` or `debt`."
);
lifecycle_endpoint!(
    resume_contract,
    "/contracts/{id}/resume",
    ContractAction::Resume,
    ContractsWrite,
    "contracts_write",
    "End the pause of a suspended contract; service runs again from `date` (today when absent)."
);
lifecycle_endpoint!(
    terminate_contract,
    "/contracts/{id}/terminate",
    ContractAction::Terminate,
    ContractsWrite,
    "contracts_write",
    "End a contract: `date` is the last day of service (today when absent), `reason` is required. A last day of today ends it now; a later one records a notice: the contract stays in force with `terminated_on` and `ends_on` set, is ended by the scheduled job after that day, and the notice can be withdrawn until then (`cancel-termination`).",
    ReasonedTransitionRequest,
    "Why (`reason`, required); optionally the version and the date"
);
lifecycle_endpoint!(
    withdraw_contract,
    "/contracts/{id}/withdraw",
    ContractAction::Withdraw,
    ContractsWrite,
    "contracts_write",
    "The consumer withdraws (R-14): within 14 days of concluding a distance contract, or of a notice of changed terms; refused with `withdrawal_not_allowed` otherwise. The statement is issued as a document."
);

lifecycle_endpoint!(
    cancel_contract,
    "/contracts/{id}/cancel",
    ContractAction::Cancel,
    ContractsWrite,
    "contracts_write",
    "Drop a draft the customer decided against before signing (`reason` optional): it stays on record as `cancelled`. Only a draft; a signed contract is withdrawn or terminated."
);
lifecycle_endpoint!(
    cancel_termination,
    "/contracts/{id}/cancel-termination",
    ContractAction::CancelTermination,
    ContractsWrite,
    "contracts_write",
    "Withdraw the notice of termination of a contract in force before its last day (`terminated_on`): the contract stays in force. `reason` is optional; refused with `illegal_transition` when there is no notice."
);

/// The draft as a PDF for the customer to read and sign, marked as a draft (R-16); not kept.
/// A contract past its draft is printed from its documents (`409 illegal_transition`).
#[utoipa::path(
    tag = "contracts",
    params(("id" = i64, Path, description = "Contract id")),
    responses(
        (status = 200, content_type = "application/pdf", body = Vec<u8>),
        (status = 404, body = Problem),
        (status = 409, description = "Not a draft (`illegal_transition`)", body = Problem),
    ),
    extensions(("x-okno-permission" = json!("contracts_read"))),
)]
#[get("/contracts/{id}/draft-pdf")]
pub async fn draft_pdf(
    auth: Authorized<perm::ContractsRead>,
    state: web::Data<AppState>,
    id: web::Path<i64>,
) -> ApiResult<HttpResponse> {
    let id = id.into_inner();
    let now = state.now();
    let operator = state.settings.operator.clone();
    let principal = auth.principal;
    let (title, pdf) = state
        .run(move |conn| crate::contracts::papers::draft_pdf(conn, &operator, &principal, id, now))
        .await?;
    Ok(crate::responses::pdf(&title, pdf))
}

/// Move a subscription to another tariff (R-12): from the first day of next month by
/// default; another day only with `early`, which is recorded.
#[utoipa::path(
    tag = "contracts",
    params(("id" = i64, Path, description = "Contract id")),
    request_body = TariffChangeRequest,
    responses((status = 200, body = Contract), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)),
    extensions(("x-okno-permission" = json!("contracts_write"))),
)]
#[post("/contracts/{id}/tariff-change")]
pub async fn tariff_change(
    auth: Authorized<perm::ContractsWrite>,
    state: web::Data<AppState>,
    id: web::Path<i64>,
    body: Json<TariffChangeRequest>,
) -> ApiResult<web::Json<Contract>> {
    let id = id.into_inner();
    let request = body.into_inner()?;
    let now = state.now();
    let principal = auth.principal;
    let contract = state
        .run(move |conn| {
            service::change_tariff(conn, &principal, id, &request, now)?;
            load_contract(conn, id, now.date_naive())
        })
        .await?;
    Ok(web::Json(contract))
}

/// Notify a change of the contract's terms: a notice is issued, and the customer may withdraw
/// within 14 days (R-14).
#[utoipa::path(
    tag = "contracts",
    params(("id" = i64, Path, description = "Contract id")),
    request_body = TermsChangeRequest,
    responses((status = 200, body = Contract), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)),
    extensions(("x-okno-permission" = json!("contracts_write"))),
)]
#[post("/contracts/{id}/terms-change")]
pub async fn terms_change(
    auth: Authorized<perm::ContractsWrite>,
    state: web::Data<AppState>,
    id: web::Path<i64>,
    body: Json<TermsChangeRequest>,
) -> ApiResult<web::Json<Contract>> {
    let id = id.into_inner();
    let request = body.into_inner()?;
    let now = state.now();
    let operator = state.settings.operator.clone();
    let principal = auth.principal;
    let contract = state
        .run(move |conn| {
            service::change_terms(conn, &operator, &principal, id, &request, now)?;
            load_contract(conn, id, now.date_naive())
        })
        .await?;
    Ok(web::Json(contract))
}

/// What happened to a contract, oldest first.
#[utoipa::path(
    tag = "contracts",
    params(("id" = i64, Path, description = "Contract id")),
    responses((status = 200, body = Vec<ContractEvent>), (status = 404, body = Problem)),
    extensions(("x-okno-permission" = json!("contracts_read"))),
)]
#[get("/contracts/{id}/events")]
pub async fn contract_events(
    auth: Authorized<perm::ContractsRead>,
    state: web::Data<AppState>,
    id: web::Path<i64>,
) -> ApiResult<web::Json<Vec<ContractEvent>>> {
    let id = id.into_inner();
    let now = state.now();
    let principal = auth.principal;
    Ok(web::Json(
        state
            .run(move |conn| reads::events(conn, &principal, id, now))
            .await?,
    ))
}
