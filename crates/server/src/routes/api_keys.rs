//! `/api-keys`: credentials for integrations, created with scopes, shown once, stored hashed.

use actix_web::{HttpResponse, delete, get, post, web};
use okno_api_types::Problem;
use okno_api_types::api_keys::{ApiKey, CreatedApiKey, NewApiKey};

use crate::api_keys;
use crate::auth::{Authorized, perm};
use crate::error::ApiResult;
use crate::extract::Json;
use crate::state::AppState;

/// All API keys, revoked ones included.
#[utoipa::path(
    tag = "api-keys",
    responses((status = 200, body = Vec<ApiKey>), (status = 403, body = Problem)),
    extensions(("x-okno-permission" = json!("api_keys_manage"))),
)]
#[get("/api-keys")]
pub async fn list_api_keys(
    _auth: Authorized<perm::ApiKeysManage>,
    state: web::Data<AppState>,
) -> ApiResult<web::Json<Vec<ApiKey>>> {
    Ok(web::Json(state.run(api_keys::list).await?))
}

/// Create an API key. The secret is in this answer only; store it now.
#[utoipa::path(
    tag = "api-keys",
    request_body = NewApiKey,
    responses((status = 201, body = CreatedApiKey), (status = 422, body = Problem)),
    extensions(("x-okno-permission" = json!("api_keys_manage"))),
)]
#[post("/api-keys")]
pub async fn create_api_key(
    auth: Authorized<perm::ApiKeysManage>,
    state: web::Data<AppState>,
    body: Json<NewApiKey>,
) -> ApiResult<HttpResponse> {
    let now = state.now();
    let key = api_keys::prepare(body.into_inner()?, now)?;
    let principal = auth.principal;
    let created = state
        .write(move |conn| api_keys::create(conn, &principal, key, now))
        .await?;
    Ok(HttpResponse::Created().json(created))
}

/// Revoke an API key; requests with it are refused from now on.
#[utoipa::path(
    tag = "api-keys",
    params(("id" = i64, Path, description = "API key id")),
    responses((status = 204), (status = 404, body = Problem), (status = 409, body = Problem)),
    extensions(("x-okno-permission" = json!("api_keys_manage"))),
)]
#[delete("/api-keys/{id}")]
pub async fn revoke_api_key(
    auth: Authorized<perm::ApiKeysManage>,
    state: web::Data<AppState>,
    id: web::Path<i64>,
) -> ApiResult<HttpResponse> {
    let (id, now, principal) = (id.into_inner(), state.now(), auth.principal);
    state
        .write(move |conn| api_keys::revoke(conn, &principal, id, now))
        .await?;
    Ok(HttpResponse::NoContent().finish())
}
