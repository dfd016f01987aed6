//! `/api-keys`: credentials for integrations, created with scopes, shown once, stored hashed.

use actix_web::{HttpResponse, delete, get, post, web};
use okno_api_types::api_keys::{ApiKey, CreatedApiKey, NewApiKey};
use okno_api_types::{ErrorCode, Permission, Problem};
use okno_db::auth::{ApiKeyRecord, NewApiKeyRow};
use okno_domain::access::integration_grantable;
use okno_domain::validation::{FieldErrorCode, Validator};

use crate::audit;
use crate::auth::principal::API_KEY_PREFIX;
use crate::auth::tokens::{hash_secret, human_code, random_token};
use crate::auth::{Authorized, perm};
use crate::error::{ApiError, ApiResult, NotFoundExt};
use crate::extract::Json;
use crate::state::AppState;
use crate::time::{from_db, to_db};

fn to_api(key: ApiKeyRecord) -> ApiResult<ApiKey> {
    let scopes: Vec<Permission> = crate::stored_json::decode(&key.scopes)?;
    Ok(ApiKey {
        id: key.id,
        name: key.name,
        prefix: format!("{API_KEY_PREFIX}{}", key.prefix),
        scopes,
        created_at: from_db(key.created_at),
        created_by: key.created_by,
        revoked_at: key.revoked_at.map(from_db),
        last_used_at: key.last_used_at.map(from_db),
    })
}

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
    let keys = state.run(|conn| Ok(ApiKeyRecord::list(conn)?)).await?;
    Ok(web::Json(
        keys.into_iter().map(to_api).collect::<ApiResult<_>>()?,
    ))
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
    let input = body.into_inner()?;
    let mut v = Validator::new();
    let name = v.text("name", &input.name, 100);
    if input.scopes.is_empty() {
        v.fail(
            "scopes",
            FieldErrorCode::Required,
            "name at least one permission",
        );
    }
    for (index, scope) in input.scopes.iter().enumerate() {
        if !integration_grantable(*scope) {
            v.fail(
                format!("scopes[{index}]"),
                FieldErrorCode::NotGrantable,
                format!("{scope} cannot be given to an integration"),
            );
        }
    }
    v.finish()?;
    let mut scopes = input.scopes;
    scopes.sort();
    scopes.dedup();
    let scopes_json = crate::stored_json::encode(&scopes)?;
    let prefix = human_code(10).to_lowercase();
    let secret = random_token(32);
    let secret_hash = hash_secret(&secret);
    let full_secret = format!("{API_KEY_PREFIX}{prefix}_{secret}");
    let now = state.now();
    let principal = auth.principal;
    let created_by = principal
        .user_id()
        .ok_or(ApiError::Forbidden(Permission::ApiKeysManage))?;
    let key = state
        .write(move |conn| {
            let key = ApiKeyRecord::insert(
                conn,
                &NewApiKeyRow {
                    name: &name,
                    prefix: &prefix,
                    secret_hash: &secret_hash,
                    scopes: &scopes_json,
                    created_by,
                    created_at: to_db(now),
                },
            )?;
            audit::record(
                conn,
                &principal,
                "api_key.create",
                None,
                Some(format!("key {} ({name})", key.id)),
                now,
            )?;
            Ok(key)
        })
        .await?;
    Ok(HttpResponse::Created().json(CreatedApiKey {
        key: to_api(key)?,
        secret: full_secret,
    }))
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
    let id = id.into_inner();
    let now = state.now();
    let principal = auth.principal;
    state
        .write(move |conn| {
            ApiKeyRecord::find(conn, id)
                .or_not_found(ErrorCode::ApiKeyNotFound, format!("API key {id}"))?;
            if !ApiKeyRecord::revoke(conn, id, to_db(now))? {
                return Err(ApiError::Conflict(
                    ErrorCode::ApiKeyAlreadyRevoked,
                    format!("API key {id} is revoked already"),
                    vec![],
                ));
            }
            audit::record(
                conn,
                &principal,
                "api_key.revoke",
                None,
                Some(format!("key {id}")),
                now,
            )
        })
        .await?;
    Ok(HttpResponse::NoContent().finish())
}
