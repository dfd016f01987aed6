//! API keys for integrations: made with scopes and an optional expiry, the secret shown once
//! and stored hashed, revoked for good.

use chrono::{DateTime, Utc};
use okno_api_types::api_keys::{ApiKey, CreatedApiKey, NewApiKey};
use okno_api_types::{ErrorCode, Permission};
use okno_db::DbConnection;
use okno_db::auth::{ApiKeyRecord, NewApiKeyRow};
use okno_domain::access::{check_api_key, integration_grantable};
use okno_domain::validation::Validator;

use crate::audit;
use crate::auth::Principal;
use crate::auth::principal::API_KEY_PREFIX;
use crate::auth::tokens::{hash_secret, human_code, random_token};
use crate::error::{ApiError, ApiResult, NotFoundExt};
use crate::time::{from_db, to_db};

/// The key as the console shows it: the scopes it still grants, never its secret.
pub fn to_api(key: ApiKeyRecord) -> ApiResult<ApiKey> {
    let scopes: Vec<Permission> = crate::stored_json::decode(&key.scopes)?;
    Ok(ApiKey {
        id: key.id,
        name: key.name,
        prefix: format!("{API_KEY_PREFIX}{}", key.prefix),
        scopes: scopes
            .into_iter()
            .filter(|p| integration_grantable(*p))
            .collect(),
        created_at: from_db(key.created_at),
        created_by: key.created_by,
        revoked_at: key.revoked_at.map(from_db),
        last_used_at: key.last_used_at.map(from_db),
        expires_at: key.expires_at.map(from_db),
    })
}

pub fn list(conn: &mut DbConnection) -> ApiResult<Vec<ApiKey>> {
    ApiKeyRecord::list(conn)?.into_iter().map(to_api).collect()
}

/// A key as checked and about to be stored: the secret exists only here and in the answer.
pub struct PreparedKey {
    name: String,
    scopes_json: String,
    expires_at: Option<DateTime<Utc>>,
    prefix: String,
    secret_hash: String,
    secret: String,
}

/// Checks a new key and makes its secret; outside the database, as it needs none.
pub fn prepare(input: NewApiKey, now: DateTime<Utc>) -> ApiResult<PreparedKey> {
    let mut v = Validator::new();
    let name = v.text("name", &input.name, 100);
    check_api_key(&mut v, &input.scopes, input.expires_at, now);
    v.finish()?;
    let mut scopes = input.scopes;
    scopes.sort();
    scopes.dedup();
    let prefix = human_code(10).to_lowercase();
    let secret = random_token(32);
    Ok(PreparedKey {
        name,
        scopes_json: crate::stored_json::encode(&scopes)?,
        expires_at: input.expires_at,
        secret_hash: hash_secret(&secret),
        secret: format!("{API_KEY_PREFIX}{prefix}_{secret}"),
        prefix,
    })
}

/// Stores a prepared key, audited, inside the caller's transaction.
pub fn create(
    conn: &mut DbConnection,
    principal: &Principal,
    key: PreparedKey,
    now: DateTime<Utc>,
) -> ApiResult<CreatedApiKey> {
    let created_by = principal
        .user_id()
        .ok_or(ApiError::Forbidden(Permission::ApiKeysManage))?;
    let stored = ApiKeyRecord::insert(
        conn,
        &NewApiKeyRow {
            name: &key.name,
            prefix: &key.prefix,
            secret_hash: &key.secret_hash,
            scopes: &key.scopes_json,
            created_by,
            created_at: to_db(now),
            expires_at: key.expires_at.map(to_db),
        },
    )?;
    let expiry = key
        .expires_at
        .map(|t| format!(", expires {}", t.to_rfc3339()))
        .unwrap_or_default();
    audit::record(
        conn,
        principal,
        "api_key.create",
        None,
        Some(format!("key {} ({}){expiry}", stored.id, key.name)),
        now,
    )?;
    Ok(CreatedApiKey {
        key: to_api(stored)?,
        secret: key.secret,
    })
}

/// Revokes a key for good, audited, inside the caller's transaction.
pub fn revoke(
    conn: &mut DbConnection,
    principal: &Principal,
    id: i64,
    now: DateTime<Utc>,
) -> ApiResult<()> {
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
        principal,
        "api_key.revoke",
        None,
        Some(format!("key {id}")),
        now,
    )
}
