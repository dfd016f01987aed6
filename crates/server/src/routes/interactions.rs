//! `/customers/{id}/interactions` and `/customers/{id}/timeline`: every contact with a
//! customer, and the customer's whole history in time order.

use actix_web::{HttpResponse, get, post, web};
use okno_api_types::interactions::{Interaction, NewInteraction, TimelineEntry, TimelineQuery};
use okno_api_types::{Page, PageQuery, Problem};

use crate::auth::{Authorized, perm};
use crate::customers::interactions;
use crate::error::ApiResult;
use crate::extract::{Json, Query};
use crate::state::AppState;

/// The customer's contacts, newest first.
#[utoipa::path(
    tag = "interactions",
    params(("id" = i64, Path, description = "Customer id"), PageQuery),
    responses((status = 200, body = Page<Interaction>), (status = 404, body = Problem)),
    extensions(("x-okno-permission" = json!("customers_read"))),
)]
#[get("/customers/{id}/interactions")]
pub async fn list_interactions(
    auth: Authorized<perm::CustomersRead>,
    state: web::Data<AppState>,
    id: web::Path<i64>,
    query: Query<PageQuery>,
) -> ApiResult<web::Json<Page<Interaction>>> {
    let id = id.into_inner();
    let query = query.into_inner()?;
    let now = state.now();
    let principal = auth.principal;
    let page = state
        .run(move |conn| interactions::read_page(conn, &principal, id, &query, now))
        .await?;
    Ok(web::Json(page))
}

/// Register a contact with the customer: channel, topic, what was said, whether it was
/// settled in this one contact.
#[utoipa::path(
    tag = "interactions",
    params(("id" = i64, Path, description = "Customer id")),
    request_body = NewInteraction,
    responses((status = 201, body = Interaction), (status = 404, body = Problem), (status = 422, body = Problem)),
    extensions(("x-okno-permission" = json!("interactions_write"))),
)]
#[post("/customers/{id}/interactions")]
pub async fn create_interaction(
    auth: Authorized<perm::InteractionsWrite>,
    state: web::Data<AppState>,
    id: web::Path<i64>,
    body: Json<NewInteraction>,
) -> ApiResult<HttpResponse> {
    let id = id.into_inner();
    let input = body.into_inner()?;
    let now = state.now();
    let principal = auth.principal;
    let interaction = state
        .run(move |conn| interactions::register(conn, &principal, id, &input, now))
        .await?;
    Ok(HttpResponse::Created().json(interaction))
}

/// The customer's history, newest first: contacts, consents given and withdrawn,
/// disclosures, registration, contract events, invoices and correction notes.
#[utoipa::path(
    tag = "interactions",
    params(("id" = i64, Path, description = "Customer id"), TimelineQuery),
    responses((status = 200, body = Page<TimelineEntry>), (status = 404, body = Problem)),
    extensions(("x-okno-permission" = json!("customers_read"))),
)]
#[get("/customers/{id}/timeline")]
pub async fn customer_timeline(
    auth: Authorized<perm::CustomersRead>,
    state: web::Data<AppState>,
    id: web::Path<i64>,
    query: Query<TimelineQuery>,
) -> ApiResult<web::Json<Page<TimelineEntry>>> {
    let id = id.into_inner();
    let query = query.into_inner()?;
    let now = state.now();
    let principal = auth.principal;
    let page = state
        .run(move |conn| interactions::timeline_page(conn, &principal, id, &query, now))
        .await?;
    Ok(web::Json(page))
}
