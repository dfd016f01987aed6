//! `/customers`: registering, finding and editing customers; the card
//! read is audited.

use actix_web::{HttpResponse, get, patch, post, web};
use okno_api_types::customers::{
    CreateCustomerQuery, Customer, CustomerPatch, CustomerQuery, CustomerSummary, NewCustomer,
    PossibleDuplicate,
};
use okno_api_types::{Page, Problem};

use crate::auth::{Authorized, perm};
use crate::customers;
use crate::error::ApiResult;
use crate::extract::{Json, Query};
use crate::state::AppState;

/// Find customers by account number, any part of a name, phone (spaces and country prefix
/// ignored), e-mail, address or tax id; or list them by status, segment, kind and sales
/// point. Ordered by name. The search is audited.
#[utoipa::path(
    tag = "customers",
    params(CustomerQuery),
    responses((status = 200, body = Page<CustomerSummary>), (status = 422, body = Problem)),
    extensions(("x-okno-permission" = json!("customers_read"))),
)]
#[get("/customers")]
pub async fn list_customers(
    auth: Authorized<perm::CustomersRead>,
    state: web::Data<AppState>,
    query: Query<CustomerQuery>,
) -> ApiResult<web::Json<Page<CustomerSummary>>> {
    let query = query.into_inner()?;
    let now = state.now();
    let principal = auth.principal;
    let page = state
        .run(move |conn| customers::search(conn, &principal, &query, now))
        .await?;
    Ok(web::Json(page))
}

/// Register a customer. The account number is assigned here. With `check_duplicates` a
/// registered customer who is probably the same one refuses it (`409 possible_duplicate`);
/// without, it is registered and the likely duplicates are noted in the audit log.
#[utoipa::path(
    tag = "customers",
    params(CreateCustomerQuery),
    request_body = NewCustomer,
    responses(
        (status = 201, body = Customer),
        (status = 409, description = "Probably registered already (`possible_duplicate`, with `check_duplicates`)", body = Problem),
        (status = 422, body = Problem),
    ),
    extensions(("x-okno-permission" = json!("customers_write"))),
)]
#[post("/customers")]
pub async fn create_customer(
    auth: Authorized<perm::CustomersWrite>,
    state: web::Data<AppState>,
    query: Query<CreateCustomerQuery>,
    body: Json<NewCustomer>,
) -> ApiResult<HttpResponse> {
    let check_duplicates = query.into_inner()?.check_duplicates;
    let input = body.into_inner()?;
    let now = state.now();
    let principal = auth.principal;
    let customer = state
        .run(move |conn| customers::create(conn, &principal, &input, check_duplicates, now))
        .await?;
    Ok(HttpResponse::Created().json(customer))
}

/// The registered customers who are probably the one described: the same tax
/// id, phone or e-mail, or the same name at the same address; at most ten, with why. The
/// details are checked as registering checks them. Nothing is stored but the audit record
/// of the customers shown.
#[utoipa::path(
    tag = "customers",
    request_body = NewCustomer,
    responses((status = 200, body = Vec<PossibleDuplicate>), (status = 422, body = Problem)),
    extensions(("x-okno-permission" = json!("customers_write"))),
)]
#[post("/customer-duplicates")]
pub async fn customer_duplicates(
    auth: Authorized<perm::CustomersWrite>,
    state: web::Data<AppState>,
    body: Json<NewCustomer>,
) -> ApiResult<web::Json<Vec<PossibleDuplicate>>> {
    let input = body.into_inner()?;
    let now = state.now();
    let principal = auth.principal;
    let found = state
        .run(move |conn| customers::duplicates(conn, &principal, &input, now))
        .await?;
    Ok(web::Json(found))
}

/// The customer card. Every read is written to the audit log with the reader and the purpose
/// given in the `X-Access-Purpose` header.
#[utoipa::path(
    tag = "customers",
    params(
        ("id" = i64, Path, description = "Customer id"),
        ("X-Access-Purpose" = Option<String>, Header, description = "Why the card is opened; recorded in the audit log"),
    ),
    responses((status = 200, body = Customer), (status = 404, body = Problem)),
    extensions(("x-okno-permission" = json!("customers_read"))),
)]
#[get("/customers/{id}")]
pub async fn get_customer(
    auth: Authorized<perm::CustomersRead>,
    state: web::Data<AppState>,
    id: web::Path<i64>,
) -> ApiResult<web::Json<Customer>> {
    let id = id.into_inner();
    let now = state.now();
    let principal = auth.principal;
    let customer = state
        .run(move |conn| customers::card(conn, &principal, id, now))
        .await?;
    Ok(web::Json(customer))
}

/// Change a customer. Send the `version` you read; if someone changed the customer since,
/// the answer is `409 version_conflict` with the fresh card in `current`. Lists given replace
/// the whole list; `null` clears a field.
#[utoipa::path(
    tag = "customers",
    params(("id" = i64, Path, description = "Customer id")),
    request_body = CustomerPatch,
    responses(
        (status = 200, body = Customer),
        (status = 404, body = Problem),
        (status = 409, body = Problem),
        (status = 422, body = Problem),
    ),
    extensions(("x-okno-permission" = json!("customers_write"))),
)]
#[patch("/customers/{id}")]
pub async fn update_customer(
    auth: Authorized<perm::CustomersWrite>,
    state: web::Data<AppState>,
    id: web::Path<i64>,
    body: Json<CustomerPatch>,
) -> ApiResult<web::Json<Customer>> {
    let id = id.into_inner();
    let patch = body.into_inner()?;
    let now = state.now();
    let principal = auth.principal;
    let customer = state
        .run(move |conn| customers::update(conn, &principal, id, patch, now))
        .await?;
    Ok(web::Json(customer))
}
