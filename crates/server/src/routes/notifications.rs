//! Notifications: the outbox of messages to customers.

use actix_web::{get, put, web};
use okno_api_types::notifications::{
    Message, MessageQuery, NotificationPreference, PreferenceChange,
};
use okno_api_types::{Page, Problem};

use crate::audit;
use crate::auth::{Authorized, perm};
use crate::error::ApiResult;
use crate::extract::{Json, Query};
use crate::notifications;
use crate::state::AppState;

/// Messages to customers, newest first: what each said, to which address, whether it was
/// sent or why not. Filter by customer for the card.
#[utoipa::path(
    tag = "notifications",
    params(MessageQuery),
    responses((status = 200, body = Page<Message>), (status = 422, body = Problem)),
    extensions(("x-okno-permission" = json!("customers_read"))),
)]
#[get("/messages")]
pub async fn list_messages(
    auth: Authorized<perm::CustomersRead>,
    state: web::Data<AppState>,
    query: Query<MessageQuery>,
) -> ApiResult<web::Json<Page<Message>>> {
    let query = query.into_inner()?;
    let (principal, now) = (auth.principal, state.now());
    let page = state
        .run(move |conn| {
            let page = notifications::page_of(conn, &query)?;
            let shown = page.items.iter().map(|m| m.customer_id);
            audit::record_read(conn, &principal, "message.list", shown, now)?;
            Ok(page)
        })
        .await?;
    Ok(web::Json(page))
}

/// What the customer is told by which channel: every event and channel, the customer's choice
/// or the event's default, and whether it may be switched off.
#[utoipa::path(
    tag = "notifications",
    params(("id" = i64, Path, description = "Customer id")),
    responses((status = 200, body = Vec<NotificationPreference>), (status = 404, body = Problem)),
    extensions(("x-okno-permission" = json!("customers_read"))),
)]
#[get("/customers/{id}/notification-preferences")]
pub async fn customer_preferences(
    auth: Authorized<perm::CustomersRead>,
    state: web::Data<AppState>,
    id: web::Path<i64>,
) -> ApiResult<web::Json<Vec<NotificationPreference>>> {
    let (id, principal, now) = (id.into_inner(), auth.principal, state.now());
    let all = state
        .run(move |conn| notifications::read_preferences(conn, &principal, id, now))
        .await?;
    Ok(web::Json(all))
}

/// Records the customer's choice for one event and channel (as they told the operator).
/// A required message cannot be switched off (422 on `enabled`).
#[utoipa::path(
    tag = "notifications",
    params(("id" = i64, Path, description = "Customer id")),
    request_body = PreferenceChange,
    responses((status = 200, body = Vec<NotificationPreference>), (status = 404, body = Problem), (status = 422, body = Problem)),
    extensions(("x-okno-permission" = json!("customers_write"))),
)]
#[put("/customers/{id}/notification-preferences")]
pub async fn set_customer_preference(
    auth: Authorized<perm::CustomersWrite>,
    state: web::Data<AppState>,
    id: web::Path<i64>,
    body: Json<PreferenceChange>,
) -> ApiResult<web::Json<Vec<NotificationPreference>>> {
    let (id, principal, now) = (id.into_inner(), auth.principal, state.now());
    let change = body.into_inner()?;
    let all = state
        .write(move |conn| notifications::choose(conn, &principal, id, &change, now))
        .await?;
    Ok(web::Json(all))
}

/// What the subscriber is told by which channel.
#[utoipa::path(
    tag = "cabinet",
    responses((status = 200, body = Vec<NotificationPreference>)),
    extensions(("x-okno-permission" = json!("self_service"))),
)]
#[get("/me/notification-preferences")]
pub async fn my_preferences(
    auth: Authorized<perm::SelfService>,
    state: web::Data<AppState>,
) -> ApiResult<web::Json<Vec<NotificationPreference>>> {
    let customer_id = auth.principal.own_customer_id()?;
    let all = state
        .run(move |conn| notifications::preferences(conn, customer_id))
        .await?;
    Ok(web::Json(all))
}

/// The subscriber chooses what they are told by which channel. A required message cannot be
/// switched off (422 on `enabled`).
#[utoipa::path(
    tag = "cabinet",
    request_body = PreferenceChange,
    responses((status = 200, body = Vec<NotificationPreference>), (status = 422, body = Problem)),
    extensions(("x-okno-permission" = json!("self_service"))),
)]
#[put("/me/notification-preferences")]
pub async fn set_my_preference(
    auth: Authorized<perm::SelfService>,
    state: web::Data<AppState>,
    body: Json<PreferenceChange>,
) -> ApiResult<web::Json<Vec<NotificationPreference>>> {
    let principal = auth.principal;
    let customer_id = principal.own_customer_id()?;
    let change = body.into_inner()?;
    let now = state.now();
    let all = state
        .write(move |conn| notifications::choose(conn, &principal, customer_id, &change, now))
        .await?;
    Ok(web::Json(all))
}
