//! `/customers/{id}/consents`: consents granted and withdrawn, each with date, channel and who
//! recorded it.

use actix_web::{HttpResponse, get, post, web};
use okno_api_types::customers::{Consent, GrantConsent, WithdrawConsent};
use okno_api_types::{ErrorCode, Problem};
use okno_db::DbConnection;
use okno_db::DbError;
use okno_db::customers::ConsentRecord;

use crate::audit;
use crate::auth::{Authorized, Principal, perm};
use crate::error::{ApiError, ApiResult, NotFoundExt};
use crate::extract::Json;
use crate::routes::customers::find_customer;
use crate::state::AppState;
use crate::time::{from_db, to_db};
use crate::validation::Validator;

const NOTE_MAX_CHARS: usize = 1000;

pub fn to_api(record: ConsentRecord) -> Consent {
    Consent {
        id: record.id,
        customer_id: record.customer_id,
        purpose: record.purpose,
        active: record.withdrawn_at.is_none(),
        granted_at: from_db(record.granted_at),
        granted_channel: record.granted_channel,
        granted_by: record.granted_by,
        withdrawn_at: record.withdrawn_at.map(from_db),
        withdrawn_channel: record.withdrawn_channel,
        withdrawn_by: record.withdrawn_by,
        note: record.note,
    }
}

pub fn list(conn: &mut DbConnection, customer_id: i64) -> ApiResult<Vec<Consent>> {
    find_customer(conn, customer_id)?;
    Ok(ConsentRecord::of_customer(conn, customer_id)?
        .into_iter()
        .map(to_api)
        .collect())
}

pub fn grant(
    conn: &mut DbConnection,
    principal: &Principal,
    customer_id: i64,
    input: &GrantConsent,
    now: chrono::DateTime<chrono::Utc>,
) -> ApiResult<Consent> {
    let mut v = Validator::new();
    let note = v.optional_text("note", input.note.as_deref(), NOTE_MAX_CHARS);
    v.finish()?;
    okno_db::write_transaction(conn, |conn| {
        find_customer(conn, customer_id)?;
        let consent = ConsentRecord::grant(
            conn,
            customer_id,
            input.purpose,
            input.channel,
            &principal.recorded_by(),
            note.as_deref(),
            to_db(now),
        )
        .map_err(|e| match e {
            DbError::Duplicate(_) => ApiError::Conflict(
                ErrorCode::ConsentAlreadyGranted,
                format!(
                    "the customer has a {} consent in force; withdraw it first to record it anew",
                    input.purpose
                ),
                vec![],
            ),
            other => other.into(),
        })?;
        audit::record(
            conn,
            principal,
            "consent.grant",
            Some(customer_id),
            Some(input.purpose.to_string()),
            now,
        )?;
        Ok(to_api(consent))
    })
}

pub fn withdraw(
    conn: &mut DbConnection,
    principal: &Principal,
    customer_id: i64,
    consent_id: i64,
    input: &WithdrawConsent,
    now: chrono::DateTime<chrono::Utc>,
) -> ApiResult<Consent> {
    let mut v = Validator::new();
    let note = v.optional_text("note", input.note.as_deref(), NOTE_MAX_CHARS);
    v.finish()?;
    okno_db::write_transaction(conn, |conn| {
        find_customer(conn, customer_id)?;
        let consent = ConsentRecord::find(conn, customer_id, consent_id).or_not_found(
            ErrorCode::ConsentNotFound,
            format!("consent {consent_id} of customer {customer_id}"),
        )?;
        let withdrawn = ConsentRecord::withdraw(
            conn,
            consent.id,
            input.channel,
            &principal.recorded_by(),
            note.as_deref(),
            to_db(now),
        )?
        .ok_or_else(|| {
            ApiError::Conflict(
                ErrorCode::ConsentAlreadyWithdrawn,
                format!("consent {consent_id} is withdrawn already"),
                vec![],
            )
        })?;
        audit::record(
            conn,
            principal,
            "consent.withdraw",
            Some(customer_id),
            Some(withdrawn.purpose.to_string()),
            now,
        )?;
        Ok(to_api(withdrawn))
    })
}

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
        .run(move |conn| {
            let consents = list(conn, id)?;
            audit::record(
                conn,
                &principal,
                "customer.consents.read",
                Some(id),
                None,
                now,
            )?;
            Ok(consents)
        })
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
        .run(move |conn| grant(conn, &principal, id, &input, now))
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
            .run(move |conn| withdraw(conn, &principal, id, consent_id, &input, now))
            .await?,
    ))
}
