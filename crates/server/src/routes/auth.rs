//! `/auth`: login, refresh, logout, the current principal, password change.

use actix_web::{HttpRequest, HttpResponse, get, post, web};
use okno_api_types::Problem;
use okno_api_types::auth::{ChangePasswordRequest, LoginRequest, Me, RefreshRequest, TokenPair};
use okno_domain::validation::{FieldErrorCode, Validator};

use crate::auth::{Authenticated, sessions};
use crate::error::{ApiError, ApiResult};
use crate::extract::Json;
use crate::request_context::{client_address, user_agent};
use crate::state::AppState;

/// Log in with a username (staff) or account number (subscriber) and password.
///
/// Repeated failures for one name lock it for a while, except for sign-ins from an address
/// without failures; repeated failures from one address lock the address (`429
/// login_locked`, `Retry-After`).
#[utoipa::path(
    tag = "auth",
    request_body = LoginRequest,
    responses(
        (status = 200, body = TokenPair),
        (status = 401, description = "Wrong username or password", body = Problem),
        (status = 429, description = "Locked after repeated failures", body = Problem),
    ),
    security(()),
    extensions(("x-okno-permission" = json!("public"))),
)]
#[post("/auth/login")]
pub async fn login(
    req: HttpRequest,
    state: web::Data<AppState>,
    body: Json<LoginRequest>,
) -> ApiResult<web::Json<TokenPair>> {
    let LoginRequest {
        username,
        password,
        realm,
    } = body.into_inner()?;
    let mut v = Validator::new();
    v.text("username", &username, 64);
    if password.is_empty() {
        v.fail("password", FieldErrorCode::Required, "must not be empty");
    } else if password.chars().count() > crate::auth::passwords::PASSWORD_MAX_CHARS {
        v.fail(
            "password",
            FieldErrorCode::TooLong,
            "is longer than any password",
        );
    }
    v.finish()?;
    let sign_in = sessions::SignIn {
        realm,
        username,
        password,
        user_agent: user_agent(&req),
        address: client_address(&req),
    };
    Ok(web::Json(sessions::login(&state, sign_in).await?))
}

/// Exchange a refresh token for a new pair. Each refresh token works once; presenting a spent
/// one revokes the session.
#[utoipa::path(
    tag = "auth",
    request_body = RefreshRequest,
    responses((status = 200, body = TokenPair), (status = 401, body = Problem)),
    security(()),
    extensions(("x-okno-permission" = json!("public"))),
)]
#[post("/auth/refresh")]
pub async fn refresh(
    state: web::Data<AppState>,
    body: Json<RefreshRequest>,
) -> ApiResult<web::Json<TokenPair>> {
    let token = body.into_inner()?.refresh_token;
    if token.trim().is_empty() {
        return Err(ApiError::field(
            "refresh_token",
            FieldErrorCode::Required,
            "must not be empty",
        ));
    }
    let st = state.get_ref().clone();
    Ok(web::Json(
        state
            .run(move |conn| sessions::refresh(&st, conn, &token))
            .await?,
    ))
}

/// End the current session: its refresh tokens stop working and its access tokens are refused.
#[utoipa::path(
    tag = "auth",
    responses((status = 204), (status = 401, body = Problem)),
    extensions(("x-okno-permission" = json!("authenticated"))),
)]
#[post("/auth/logout")]
pub async fn logout(auth: Authenticated, state: web::Data<AppState>) -> ApiResult<HttpResponse> {
    let st = state.get_ref().clone();
    let principal = auth.0;
    state
        .run(move |conn| sessions::logout(&st, conn, &principal))
        .await?;
    Ok(HttpResponse::NoContent().finish())
}

/// The principal behind the presented credentials, with its permissions.
#[utoipa::path(
    tag = "auth",
    responses((status = 200, body = Me), (status = 401, body = Problem)),
    extensions(("x-okno-permission" = json!("authenticated"))),
)]
#[get("/auth/me")]
pub async fn me(auth: Authenticated, state: web::Data<AppState>) -> web::Json<Me> {
    web::Json(auth.0.me(state.settings.password_max_age, state.now()))
}

/// Change one's own password; other sessions of the principal end.
#[utoipa::path(
    tag = "auth",
    request_body = ChangePasswordRequest,
    responses(
        (status = 204),
        (status = 401, body = Problem),
        (status = 422, body = Problem),
        (status = 429, description = "Too many wrong current passwords; retry after `Retry-After` seconds", body = Problem),
    ),
    extensions(("x-okno-permission" = json!("authenticated"))),
)]
#[post("/auth/password")]
pub async fn change_password(
    req: HttpRequest,
    auth: Authenticated,
    state: web::Data<AppState>,
    body: Json<ChangePasswordRequest>,
) -> ApiResult<HttpResponse> {
    let ChangePasswordRequest {
        current_password,
        new_password,
    } = body.into_inner()?;
    let address = client_address(&req);
    sessions::change_password(&state, auth.0, current_password, new_password, address).await?;
    Ok(HttpResponse::NoContent().finish())
}
