//! `/users`: staff accounts, their roles and sales points.

use actix_web::{HttpResponse, get, patch, post, web};
use okno_api_types::users::{NewUser, User, UserPatch, UserQuery};
use okno_api_types::{ErrorCode, Page, Problem};
use okno_db::users::{UserFilter, UserRecord};

use crate::auth::{Authorized, perm};
use crate::error::{ApiResult, NotFoundExt};
use crate::extract::{Json, Query};
use crate::pagination::{decode_id_cursor, fetch_size, id_cursor, limit, page};
use crate::state::AppState;
use crate::users;

const CURSOR: &str = "users";

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
        users::to_api,
    )))
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
        .run(move |conn| users::add(&st, conn, &input, Some(&principal)))
        .await?;
    Ok(HttpResponse::Created().json(users::to_api(user)))
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
    Ok(web::Json(users::to_api(user)))
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
    let principal = auth.principal;
    let st = state.get_ref().clone();
    let user = state
        .run(move |conn| users::update(&st, conn, &principal, id, patch))
        .await?;
    Ok(web::Json(users::to_api(user)))
}
