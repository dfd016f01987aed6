//! Notifications: the outbox of messages to customers.

use actix_web::{HttpResponse, delete, get, post, put, web};
use okno_api_types::notifications::{
    EmailBounce, EmailBounceQuery, Language, Message, MessageChannel, MessageQuery,
    MessageTemplate, NewEmailBounce, NotificationEvent, NotificationPreference, PreferenceChange,
    TemplateChange, TemplatePreview, TemplatePreviewRequest,
};
use okno_api_types::{ErrorCode, Page, Problem};

use crate::audit;
use crate::auth::{Authorized, perm};
use crate::error::{ApiError, ApiResult};
use crate::extract::{Json, Query};
use crate::notifications::{editor, outbox, preferences};
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
            let page = outbox::page_of(conn, &query)?;
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
        .run(move |conn| preferences::read_preferences(conn, &principal, id, now))
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
        .write(move |conn| preferences::choose(conn, &principal, id, &change, now))
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
        .run(move |conn| preferences::preferences(conn, customer_id))
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
        .write(move |conn| preferences::choose(conn, &principal, customer_id, &change, now))
        .await?;
    Ok(web::Json(all))
}

/// Sends a failed message again: back in the queue with every attempt ahead of it. A message
/// that carried a one-time code is not sent again (409): issue a new code.
#[utoipa::path(
    tag = "notifications",
    params(("id" = i64, Path, description = "Message id")),
    responses((status = 200, body = Message), (status = 404, body = Problem), (status = 409, body = Problem)),
    extensions(("x-okno-permission" = json!("messages_manage"))),
)]
#[post("/messages/{id}/resend")]
pub async fn resend_message(
    auth: Authorized<perm::MessagesManage>,
    state: web::Data<AppState>,
    id: web::Path<i64>,
) -> ApiResult<web::Json<Message>> {
    let (id, principal, now) = (id.into_inner(), auth.principal, state.now());
    let message = state
        .write(move |conn| outbox::resend(conn, &principal, id, now))
        .await?;
    Ok(web::Json(message))
}

/// E-mail addresses flagged as bouncing, the latest first: e-mails to them are suppressed
/// (`address_bounces`) until the flag is cleared.
#[utoipa::path(
    tag = "notifications",
    params(EmailBounceQuery),
    responses((status = 200, body = Vec<EmailBounce>), (status = 422, body = Problem)),
    extensions(("x-okno-permission" = json!("customers_read"))),
)]
#[get("/email-bounces")]
pub async fn list_bounces(
    _auth: Authorized<perm::CustomersRead>,
    state: web::Data<AppState>,
    query: Query<EmailBounceQuery>,
) -> ApiResult<web::Json<Vec<EmailBounce>>> {
    let limit = crate::pagination::limit(query.into_inner()?.limit)?;
    let limit = u32::try_from(limit).unwrap_or(u32::MAX);
    let all = state.run(move |conn| outbox::bounces(conn, limit)).await?;
    Ok(web::Json(all))
}

/// Flags an address the mail system reports as bouncing (a bounce processor, a mailbox
/// rule); addresses the mail server refuses while sending are flagged by themselves.
#[utoipa::path(
    tag = "notifications",
    request_body = NewEmailBounce,
    responses((status = 201, body = EmailBounce), (status = 422, body = Problem)),
    extensions(("x-okno-permission" = json!("messages_manage"))),
)]
#[post("/email-bounces")]
pub async fn report_bounce(
    auth: Authorized<perm::MessagesManage>,
    state: web::Data<AppState>,
    body: Json<NewEmailBounce>,
) -> ApiResult<HttpResponse> {
    let (report, principal, now) = (body.into_inner()?, auth.principal, state.now());
    let bounce = state
        .write(move |conn| outbox::report_bounce(conn, &principal, &report, now))
        .await?;
    Ok(HttpResponse::Created().json(bounce))
}

/// Clears the flag of an address the customer says works again: e-mails go to it from now on.
#[utoipa::path(
    tag = "notifications",
    params(("address" = String, Path, description = "The e-mail address")),
    responses((status = 204), (status = 404, body = Problem)),
    extensions(("x-okno-permission" = json!("messages_manage"))),
)]
#[delete("/email-bounces/{address}")]
pub async fn clear_bounce(
    auth: Authorized<perm::MessagesManage>,
    state: web::Data<AppState>,
    address: web::Path<String>,
) -> ApiResult<HttpResponse> {
    let (address, principal, now) = (address.into_inner(), auth.principal, state.now());
    state
        .write(move |conn| outbox::clear_bounce(conn, &principal, &address, now))
        .await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Every template: each event by each channel in each language, the operator's own wording
/// or Okno's, with the values it may use.
#[utoipa::path(
    tag = "notifications",
    responses((status = 200, body = Vec<MessageTemplate>)),
    extensions(("x-okno-permission" = json!("templates_manage"))),
)]
#[get("/message-templates")]
pub async fn list_templates(
    _auth: Authorized<perm::TemplatesManage>,
    state: web::Data<AppState>,
) -> ApiResult<web::Json<Vec<MessageTemplate>>> {
    Ok(web::Json(state.run(editor::all).await?))
}

/// Which template a path names; 404 for an event, channel or language there is none of.
fn template_key(
    path: (String, String, String),
) -> ApiResult<(NotificationEvent, MessageChannel, Language)> {
    let (event, channel, language) = path;
    let unknown = || ApiError::not_found(ErrorCode::TemplateNotFound, "the template");
    Ok((
        event.parse().map_err(|_| unknown())?,
        channel.parse().map_err(|_| unknown())?,
        language.parse().map_err(|_| unknown())?,
    ))
}

/// Saves the operator's wording of a template. Refused (422 on `subject` or `body`) when it
/// does not parse or uses a value its event does not have; an SMS has no subject.
#[utoipa::path(
    tag = "notifications",
    params(
        ("event" = NotificationEvent, Path),
        ("channel" = MessageChannel, Path),
        ("language" = Language, Path),
    ),
    request_body = TemplateChange,
    responses((status = 200, body = MessageTemplate), (status = 404, body = Problem), (status = 422, body = Problem)),
    extensions(("x-okno-permission" = json!("templates_manage"))),
)]
#[put("/message-templates/{event}/{channel}/{language}")]
pub async fn save_template(
    auth: Authorized<perm::TemplatesManage>,
    state: web::Data<AppState>,
    path: web::Path<(String, String, String)>,
    body: Json<TemplateChange>,
) -> ApiResult<web::Json<MessageTemplate>> {
    let key = template_key(path.into_inner())?;
    let (change, principal, now) = (body.into_inner()?, auth.principal, state.now());
    let saved = state
        .write(move |conn| editor::save(conn, &principal, key, &change, now))
        .await?;
    Ok(web::Json(saved))
}

/// Goes back to Okno's wording of a template; answered with it.
#[utoipa::path(
    tag = "notifications",
    params(
        ("event" = NotificationEvent, Path),
        ("channel" = MessageChannel, Path),
        ("language" = Language, Path),
    ),
    responses((status = 200, body = MessageTemplate), (status = 404, body = Problem)),
    extensions(("x-okno-permission" = json!("templates_manage"))),
)]
#[delete("/message-templates/{event}/{channel}/{language}")]
pub async fn revert_template(
    auth: Authorized<perm::TemplatesManage>,
    state: web::Data<AppState>,
    path: web::Path<(String, String, String)>,
) -> ApiResult<web::Json<MessageTemplate>> {
    let key = template_key(path.into_inner())?;
    let (principal, now) = (auth.principal, state.now());
    let template = state
        .write(move |conn| editor::revert(conn, &principal, key, now))
        .await?;
    Ok(web::Json(template))
}

/// The message a wording makes for a real customer, in their language or the one asked
/// for; nothing is saved or sent. Refused like a save (422) when the wording is wrong.
#[utoipa::path(
    tag = "notifications",
    request_body = TemplatePreviewRequest,
    responses((status = 200, body = TemplatePreview), (status = 404, body = Problem), (status = 422, body = Problem)),
    extensions(("x-okno-permission" = json!("templates_manage"))),
)]
#[post("/message-templates/preview")]
pub async fn preview_template(
    _auth: Authorized<perm::TemplatesManage>,
    state: web::Data<AppState>,
    body: Json<TemplatePreviewRequest>,
) -> ApiResult<web::Json<TemplatePreview>> {
    let (request, sender, now) = (body.into_inner()?, state.sender(), state.now());
    let preview = state
        .run(move |conn| editor::preview(conn, &sender, &request, now))
        .await?;
    Ok(web::Json(preview))
}
