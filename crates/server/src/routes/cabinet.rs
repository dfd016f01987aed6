//! The subscriber's cabinet: activation with a one-time code, and `/me`, the subscriber's own
//! card, consents and contact history. A subscriber reaches only their own records: every
//! path here takes the customer from the token, never from the request.

use actix_web::{HttpRequest, HttpResponse, get, patch, post, web};
use okno_api_types::auth::TokenPair;
use okno_api_types::cabinet::{ActivateRequest, ActivationCode, ProfilePatch};
use okno_api_types::customers::{Consent, Customer, GrantConsent, WithdrawConsent};
use okno_api_types::interactions::MyContact;
use okno_api_types::notifications::{PasswordResetAccepted, PasswordResetRequest};
use okno_api_types::{Page, PageQuery, Problem};
use okno_domain::validation::{FieldErrorCode, Validator};

use crate::auth::{Authorized, cabinet_codes, perm, sessions};
use crate::customers::{self, consents, interactions};
use crate::error::ApiResult;
use crate::extract::{Json, Query};
use crate::state::AppState;

/// Issue a one-time code with which the customer sets their cabinet password; it is also
/// sent to the customer (the `cabinet_activation` message). Issuing a new code replaces the
/// previous one; for an active cabinet it resets the password once used.
#[utoipa::path(
    tag = "cabinet",
    params(("id" = i64, Path, description = "Customer id")),
    responses((status = 201, body = ActivationCode), (status = 404, body = Problem)),
    extensions(("x-okno-permission" = json!("cabinet_access_issue"))),
)]
#[post("/customers/{id}/cabinet-activation")]
pub async fn issue_activation(
    auth: Authorized<perm::CabinetAccessIssue>,
    state: web::Data<AppState>,
    id: web::Path<i64>,
) -> ApiResult<HttpResponse> {
    let code = cabinet_codes::issue_activation(&state, auth.principal, id.into_inner()).await?;
    Ok(HttpResponse::Created().json(code))
}

/// A subscriber who forgot the cabinet password gives the account number or the e-mail
/// address on the record; a one-time code (and, by e-mail, a link) goes to the addresses on
/// the record, to be used at `/cabinet/activate`. The answer is the same whether or not an
/// account was found. 429 after ten requests an hour from one address; requests beyond
/// three an hour for one account are dropped without a word.
#[utoipa::path(
    tag = "cabinet",
    request_body = PasswordResetRequest,
    responses((status = 202, body = PasswordResetAccepted), (status = 422, body = Problem), (status = 429, body = Problem)),
    security(()),
    extensions(("x-okno-permission" = json!("public"))),
)]
#[post("/cabinet/password-reset")]
pub async fn request_password_reset(
    req: HttpRequest,
    state: web::Data<AppState>,
    body: Json<PasswordResetRequest>,
) -> ApiResult<HttpResponse> {
    let PasswordResetRequest { login } = body.into_inner()?;
    let mut v = Validator::new();
    let login = v.text("login", &login, 254);
    v.finish()?;
    let address = crate::request_context::client_address(&req);
    cabinet_codes::request_reset(&state, login, address).await?;
    Ok(HttpResponse::Accepted().json(PasswordResetAccepted {
        message: "If the account exists and its cabinet is active, a one-time code is on its way to the e-mail address or phone on the record.".into(),
    }))
}

/// Activate the cabinet: account number, the one-time code, and a new password. Logs the
/// subscriber in.
#[utoipa::path(
    tag = "cabinet",
    request_body = ActivateRequest,
    responses((status = 200, body = TokenPair), (status = 409, body = Problem), (status = 422, body = Problem), (status = 429, body = Problem)),
    security(()),
    extensions(("x-okno-permission" = json!("public"))),
)]
#[post("/cabinet/activate")]
pub async fn activate(
    req: HttpRequest,
    state: web::Data<AppState>,
    body: Json<ActivateRequest>,
) -> ApiResult<web::Json<TokenPair>> {
    let ActivateRequest {
        account_number,
        activation_code,
        password,
    } = body.into_inner()?;
    let mut v = Validator::new();
    v.text("account_number", &account_number, 20);
    v.text("activation_code", &activation_code, 20);
    if password.is_empty() {
        v.fail("password", FieldErrorCode::Required, "must not be empty");
    }
    v.finish()?;
    let activation = sessions::Activation {
        account_number,
        code: activation_code,
        password,
        user_agent: crate::request_context::user_agent(&req),
        address: crate::request_context::client_address(&req),
    };
    let pair = sessions::activate_cabinet(&state, activation).await?;
    Ok(web::Json(pair))
}

/// The subscriber's own card.
#[utoipa::path(
    tag = "cabinet",
    responses((status = 200, body = Customer), (status = 403, body = Problem)),
    extensions(("x-okno-permission" = json!("self_service"))),
)]
#[get("/me")]
pub async fn my_profile(
    auth: Authorized<perm::SelfService>,
    state: web::Data<AppState>,
) -> ApiResult<web::Json<Customer>> {
    let id = auth.own_customer_id()?;
    let card = state.run(move |conn| customers::own_card(conn, id)).await?;
    Ok(web::Json(card))
}

/// Change one's own e-mails, phones or language.
#[utoipa::path(
    tag = "cabinet",
    request_body = ProfilePatch,
    responses((status = 200, body = Customer), (status = 409, body = Problem), (status = 422, body = Problem)),
    extensions(("x-okno-permission" = json!("self_service"))),
)]
#[patch("/me")]
pub async fn update_my_profile(
    auth: Authorized<perm::SelfService>,
    state: web::Data<AppState>,
    body: Json<ProfilePatch>,
) -> ApiResult<web::Json<Customer>> {
    let id = auth.own_customer_id()?;
    let profile = body.into_inner()?;
    let now = state.now();
    let principal = auth.principal;
    let card = state
        .run(move |conn| customers::update_own(conn, &principal, id, profile, now))
        .await?;
    Ok(web::Json(card))
}

/// The subscriber's consents, in force and withdrawn.
#[utoipa::path(
    tag = "cabinet",
    responses((status = 200, body = Vec<Consent>)),
    extensions(("x-okno-permission" = json!("self_service"))),
)]
#[get("/me/consents")]
pub async fn my_consents(
    auth: Authorized<perm::SelfService>,
    state: web::Data<AppState>,
) -> ApiResult<web::Json<Vec<Consent>>> {
    let id = auth.own_customer_id()?;
    Ok(web::Json(
        state.run(move |conn| consents::list(conn, id)).await?,
    ))
}

/// Give a consent from the cabinet.
#[utoipa::path(
    tag = "cabinet",
    request_body = GrantConsent,
    responses((status = 201, body = Consent), (status = 409, body = Problem)),
    extensions(("x-okno-permission" = json!("self_service"))),
)]
#[post("/me/consents")]
pub async fn grant_my_consent(
    auth: Authorized<perm::SelfService>,
    state: web::Data<AppState>,
    body: Json<GrantConsent>,
) -> ApiResult<HttpResponse> {
    let id = auth.own_customer_id()?;
    let input = body.into_inner()?;
    let now = state.now();
    let principal = auth.principal;
    let consent = state
        .run(move |conn| consents::grant(conn, &principal, id, &input, now))
        .await?;
    Ok(HttpResponse::Created().json(consent))
}

/// Withdraw a consent from the cabinet.
#[utoipa::path(
    tag = "cabinet",
    params(("consent_id" = i64, Path, description = "Consent id")),
    request_body = WithdrawConsent,
    responses((status = 200, body = Consent), (status = 404, body = Problem), (status = 409, body = Problem)),
    extensions(("x-okno-permission" = json!("self_service"))),
)]
#[post("/me/consents/{consent_id}/withdraw")]
pub async fn withdraw_my_consent(
    auth: Authorized<perm::SelfService>,
    state: web::Data<AppState>,
    consent_id: web::Path<i64>,
    body: Json<WithdrawConsent>,
) -> ApiResult<web::Json<Consent>> {
    let id = auth.own_customer_id()?;
    let consent_id = consent_id.into_inner();
    let input = body.into_inner()?;
    let now = state.now();
    let principal = auth.principal;
    Ok(web::Json(
        state
            .run(move |conn| consents::withdraw(conn, &principal, id, consent_id, &input, now))
            .await?,
    ))
}

/// The subscriber's own contact history: when, how, about what and whether it was settled.
#[utoipa::path(
    tag = "cabinet",
    params(PageQuery),
    responses((status = 200, body = Page<MyContact>), (status = 422, body = Problem)),
    extensions(("x-okno-permission" = json!("self_service"))),
)]
#[get("/me/interactions")]
pub async fn my_interactions(
    auth: Authorized<perm::SelfService>,
    state: web::Data<AppState>,
    query: Query<PageQuery>,
) -> ApiResult<web::Json<Page<MyContact>>> {
    let id = auth.own_customer_id()?;
    let query = query.into_inner()?;
    Ok(web::Json(
        state
            .run(move |conn| interactions::page_for_customer(conn, id, &query))
            .await?,
    ))
}
