//! `/users`: staff accounts, their roles and sales points.

use actix_web::{HttpResponse, get, patch, post, web};
use okno_api_types::users::{NewUser, User, UserPatch, UserQuery};
use okno_api_types::{ErrorCode, Page, Problem};
use okno_db::DbConnection;
use okno_db::auth::SessionRecord;
use okno_db::reference::SalesPointRecord;
use okno_db::users::{NewUserRow, UserChanges, UserFilter, UserRecord};

use crate::audit;
use crate::auth::passwords::check_policy;
use crate::auth::{Authorized, Principal, perm};
use crate::error::{ApiError, ApiResult, NotFoundExt};
use crate::extract::{Json, Query};
use crate::pagination::{decode_id_cursor, fetch_size, id_cursor, limit, page};
use crate::state::AppState;
use crate::time::{from_db, to_db};
use crate::validation::Validator;

const CURSOR: &str = "users";

pub fn to_api(user: UserRecord) -> User {
    User {
        id: user.id,
        username: user.username,
        display_name: user.display_name,
        role: user.role,
        sales_point_id: user.sales_point_id,
        active: user.active,
        created_at: from_db(user.created_at),
        password_changed_at: from_db(user.password_changed_at),
        version: user.version,
    }
}

fn valid_username(username: &str) -> bool {
    (3..=64).contains(&username.len())
        && username
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '.' | '_' | '-'))
}

fn check_sales_point(
    conn: &mut DbConnection,
    v: &mut Validator,
    sales_point_id: Option<i64>,
) -> ApiResult<()> {
    if let Some(id) = sales_point_id
        && !SalesPointRecord::exists(conn, id)?
    {
        v.fail(
            "sales_point_id",
            "unknown_reference",
            format!("there is no sales point {id}"),
        );
    }
    Ok(())
}

/// List staff users, filtered by role, sales point or state.
#[utoipa::path(
    tag = "users",
    params(UserQuery),
    responses((status = 200, body = Page<User>), (status = 403, body = Problem)),
    extensions(("x-okno-permission" = json!("users_read"))),
)]
#[get("/users")]
pub async fn list_users(
    _auth: Authorized<perm::UsersRead>,
    state: web::Data<AppState>,
    query: Query<UserQuery>,
) -> ApiResult<web::Json<Page<User>>> {
    let query = query.into_inner()?;
    let limit = limit(query.limit)?;
    let after = decode_id_cursor(query.cursor.as_deref(), CURSOR)?;
    let filter = UserFilter {
        role: query.role,
        sales_point_id: query.sales_point_id,
        active: query.active,
    };
    let rows = state
        .run(move |conn| Ok(UserRecord::list(conn, &filter, after, fetch_size(limit))?))
        .await?;
    Ok(web::Json(page(
        rows,
        limit,
        |u| id_cursor(CURSOR, u.id),
        to_api,
    )))
}

/// Creates a staff user after checking username, role, sales point and password policy.
/// `principal` is who does it, for the audit log; `None` for the command line.
pub fn add(
    state: &AppState,
    conn: &mut DbConnection,
    input: &NewUser,
    principal: Option<&Principal>,
) -> ApiResult<UserRecord> {
    let mut v = Validator::new();
    let username = input.username.trim().to_lowercase();
    if !valid_username(&username) {
        v.fail(
            "username",
            "invalid_value",
            "3 to 64 characters: lower-case letters, digits, '.', '_', '-'",
        );
    }
    let display_name = v.text("display_name", &input.display_name, 100);
    if !input.role.is_staff() {
        v.fail("role", "invalid_value", "must be a staff role");
    }
    if let Err(message) = check_policy(
        &input.password,
        state.settings.password_min_length,
        &username,
    ) {
        v.fail("password", "weak_password", message);
    }
    check_sales_point(conn, &mut v, input.sales_point_id)?;
    v.finish()?;
    let password_hash = state.passwords.hash(&input.password)?;
    let now = state.now();
    okno_db::write_transaction(conn, |conn| {
        let user = UserRecord::insert(
            conn,
            &NewUserRow {
                username: &username,
                display_name: &display_name,
                role: input.role.as_str(),
                sales_point_id: input.sales_point_id,
                password_hash: &password_hash,
                active: true,
                created_at: to_db(now),
                password_changed_at: to_db(now),
                version: 1,
            },
        )
        .map_err(|e| match e {
            okno_db::DbError::Duplicate(_) => ApiError::Conflict(
                ErrorCode::UsernameTaken,
                format!("the username {username} is taken"),
                vec![okno_api_types::FieldError {
                    field: "username".into(),
                    code: "taken".into(),
                    message: "is taken".into(),
                }],
            ),
            other => other.into(),
        })?;
        let detail = Some(format!("user {} ({})", user.username, user.role));
        match principal {
            Some(principal) => audit::record(conn, principal, "user.create", None, detail, now)?,
            None => audit::record_system(conn, "user.create", detail, now)?,
        }
        Ok(user)
    })
}

/// Create a staff user.
#[utoipa::path(
    tag = "users",
    request_body = NewUser,
    responses((status = 201, body = User), (status = 409, body = Problem), (status = 422, body = Problem)),
    extensions(("x-okno-permission" = json!("users_manage"))),
)]
#[post("/users")]
pub async fn create_user(
    auth: Authorized<perm::UsersManage>,
    state: web::Data<AppState>,
    body: Json<NewUser>,
) -> ApiResult<HttpResponse> {
    let input = body.into_inner()?;
    let principal = auth.principal;
    let st = state.get_ref().clone();
    let user = state
        .run(move |conn| add(&st, conn, &input, Some(&principal)))
        .await?;
    Ok(HttpResponse::Created().json(to_api(user)))
}

/// One staff user.
#[utoipa::path(
    tag = "users",
    params(("id" = i64, Path, description = "User id")),
    responses((status = 200, body = User), (status = 404, body = Problem)),
    extensions(("x-okno-permission" = json!("users_read"))),
)]
#[get("/users/{id}")]
pub async fn get_user(
    _auth: Authorized<perm::UsersRead>,
    state: web::Data<AppState>,
    id: web::Path<i64>,
) -> ApiResult<web::Json<User>> {
    let id = id.into_inner();
    let user = state
        .run(move |conn| {
            UserRecord::find(conn, id).or_not_found(ErrorCode::UserNotFound, format!("user {id}"))
        })
        .await?;
    Ok(web::Json(to_api(user)))
}

/// Change a staff user: name, role, sales point, active, or reset the password. Deactivating
/// or resetting ends the user's sessions. Nobody can demote or deactivate themselves, so an
/// administrator always remains.
#[utoipa::path(
    tag = "users",
    params(("id" = i64, Path, description = "User id")),
    request_body = UserPatch,
    responses((status = 200, body = User), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)),
    extensions(("x-okno-permission" = json!("users_manage"))),
)]
#[patch("/users/{id}")]
pub async fn update_user(
    auth: Authorized<perm::UsersManage>,
    state: web::Data<AppState>,
    id: web::Path<i64>,
    body: Json<UserPatch>,
) -> ApiResult<web::Json<User>> {
    let id = id.into_inner();
    let patch = body.into_inner()?;
    let mut v = Validator::new();
    let display_name = patch
        .display_name
        .as_deref()
        .map(|name| v.text("display_name", name, 100));
    if patch.role.is_some_and(|role| !role.is_staff()) {
        v.fail("role", "invalid_value", "must be a staff role");
    }
    let is_self = auth.principal.user_id() == Some(id);
    if is_self && patch.active == Some(false) {
        v.fail(
            "active",
            "self_lockout",
            "you cannot deactivate your own account",
        );
    }
    if is_self && patch.role.is_some_and(|role| role != auth.principal.role) {
        v.fail("role", "self_lockout", "you cannot change your own role");
    }
    let password_hash = match &patch.password {
        Some(password) => match check_policy(password, state.settings.password_min_length, "") {
            Ok(()) => Some(state.passwords.hash(password)?),
            Err(message) => {
                v.fail("password", "weak_password", message);
                None
            }
        },
        None => None,
    };
    let now = state.now();
    let principal = auth.principal;
    let user = state
        .write(move |conn| {
            if let Some(Some(sales_point_id)) = patch.sales_point_id {
                check_sales_point(conn, &mut v, Some(sales_point_id))?;
            }
            v.finish()?;
            let changes = UserChanges {
                display_name,
                role: patch.role.map(|r| r.as_str().to_owned()),
                sales_point_id: patch.sales_point_id,
                active: patch.active,
                password_changed_at: password_hash.as_ref().map(|_| to_db(now)),
                password_hash,
            };
            let ends_sessions = patch.active == Some(false) || changes.password_hash.is_some();
            let user =
                UserRecord::update(conn, id, patch.version, &changes).map_err(|e| match e {
                    okno_db::DbError::Stale => current_user_conflict(conn, id),
                    okno_db::DbError::NotFound => {
                        ApiError::not_found(ErrorCode::UserNotFound, format!("user {id}"))
                    }
                    other => other.into(),
                })?;
            if ends_sessions {
                SessionRecord::revoke_all_of(
                    conn,
                    "staff",
                    id,
                    None,
                    to_db(now),
                    "changed by an administrator",
                )?;
            }
            audit::record(
                conn,
                &principal,
                "user.update",
                None,
                Some(format!("user {}", user.username)),
                now,
            )?;
            Ok(user)
        })
        .await?;
    Ok(web::Json(to_api(user)))
}

fn current_user_conflict(conn: &mut DbConnection, id: i64) -> ApiError {
    match UserRecord::find(conn, id) {
        Ok(current) => ApiError::VersionConflict(serde_json::to_value(to_api(current)).ok()),
        Err(e) => e.into(),
    }
}
