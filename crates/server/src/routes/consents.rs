//! `/customers/{id}/consents`: consents granted and withdrawn, each with date, channel and who
//! recorded it.

use actix_web::{HttpResponse, get, post, web};
use okno_api_types::Problem;
use okno_api_types::customers::{Consent, GrantConsent, WithdrawConsent};

use crate::auth::{Authorized, perm};
use crate::customers::consents;
use crate::error::ApiResult;
use crate::extract::Json;
use crate::state::AppState;

/// The customer's consents, newest first: those in force and the withdrawn ones.
#[utoipa::path(
    tag = "consents",
    params(("id" = i64, Path, description = "Customer id")),
    responses((status = 200, body = Vec<Consent>), (status = 404, body = Problem)),
    extensions(("x-okno-permission" = json!("customers_read"))),
)]
#[get("/customers/{id}/consents")]
pub async fn list_consents(
    auth: Authorized<perm::CustomersRead>,
    state: web::Data<AppState>,
    id: web::Path<i64>,
) -> ApiResult<web::Json<Vec<Consent>>> {
    let id = id.into_inner();
    let now = state.now();
    let principal = auth.principal;
    let consents = state
        .run(move |conn| consents::read(conn, &principal, id, now))
        .await?;
    Ok(web::Json(consents))
}

/// Record a consent the customer gave, and through which channel.
#[utoipa::path(
    tag = "consents",
    params(("id" = i64, Path, description = "Customer id")),
    request_body = GrantConsent,
    responses((status = 201, body = Consent), (status = 404, body = Problem), (status = 409, body = Problem)),
    extensions(("x-okno-permission" = json!("consents_manage"))),
)]
#[post("/customers/{id}/consents")]
pub async fn grant_consent(
    auth: Authorized<perm::ConsentsManage>,
    state: web::Data<AppState>,
    id: web::Path<i64>,
    body: Json<GrantConsent>,
) -> ApiResult<HttpResponse> {
    let id = id.into_inner();
    let input = body.into_inner()?;
    let now = state.now();
    let principal = auth.principal;
    let consent = state
        .run(move |conn| consents::grant(conn, &principal, id, &input, now))
        .await?;
    Ok(HttpResponse::Created().json(consent))
}

/// Record that the customer withdrew a consent.
#[utoipa::path(
    tag = "consents",
    params(("id" = i64, Path, description = "Customer id"), ("consent_id" = i64, Path, description = "Consent id")),
    request_body = WithdrawConsent,
    responses((status = 200, body = Consent), (status = 404, body = Problem), (status = 409, body = Problem)),
    extensions(("x-okno-permission" = json!("consents_manage"))),
)]
#[post("/customers/{id}/consents/{consent_id}/withdraw")]
pub async fn withdraw_consent(
    auth: Authorized<perm::ConsentsManage>,
    state: web::Data<AppState>,
    path: web::Path<(i64, i64)>,
    body: Json<WithdrawConsent>,
) -> ApiResult<web::Json<Consent>> {
    let (id, consent_id) = path.into_inner();
    let input = body.into_inner()?;
    let now = state.now();
    let principal = auth.principal;
    Ok(web::Json(
        state
            .run(move |conn| consents::withdraw(conn, &principal, id, consent_id, &input, now))
            .await?,
    ))
}
