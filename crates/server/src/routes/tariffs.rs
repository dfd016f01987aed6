//! `/tariffs` and `/products`: the versioned price list.

use actix_web::{HttpResponse, get, patch, post, web};
use okno_api_types::Problem;
use okno_api_types::tariffs::{
    NewProduct, NewTariff, NewTariffVersion, Product, Tariff, TariffPatch, TariffVersion,
};

use crate::auth::{Authorized, perm};
use crate::error::ApiResult;
use crate::extract::Json;
use crate::state::AppState;
use crate::tariffs;

/// The price list: every tariff with the version in force today and the next one, if
/// published.
#[utoipa::path(
    tag = "price-list",
    responses((status = 200, body = Vec<Tariff>)),
    extensions(("x-okno-permission" = json!("reference_read"))),
)]
#[get("/tariffs")]
pub async fn list_tariffs(
    _auth: Authorized<perm::ReferenceRead>,
    state: web::Data<AppState>,
) -> ApiResult<web::Json<Vec<Tariff>>> {
    let today = state.now().date_naive();
    let list = state
        .run(move |conn| tariffs::price_list(conn, today))
        .await?;
    Ok(web::Json(list))
}

/// The tariffs on sale today, for a subscriber choosing one to move to.
#[utoipa::path(
    tag = "cabinet",
    responses((status = 200, body = Vec<Tariff>)),
    extensions(("x-okno-permission" = json!("self_service"))),
)]
#[get("/me/tariffs")]
pub async fn tariffs_on_sale(
    _auth: Authorized<perm::SelfService>,
    state: web::Data<AppState>,
) -> ApiResult<web::Json<Vec<Tariff>>> {
    let today = state.now().date_naive();
    let on_sale = state
        .run(move |conn| tariffs::price_list(conn, today))
        .await?
        .into_iter()
        .filter(|t| t.active && t.current.is_some())
        .collect();
    Ok(web::Json(on_sale))
}

/// Create a tariff with its first version.
#[utoipa::path(
    tag = "price-list",
    request_body = NewTariff,
    responses((status = 201, body = Tariff), (status = 409, body = Problem), (status = 422, body = Problem)),
    extensions(("x-okno-permission" = json!("price_list_manage"))),
)]
#[post("/tariffs")]
pub async fn create_tariff(
    auth: Authorized<perm::PriceListManage>,
    state: web::Data<AppState>,
    body: Json<NewTariff>,
) -> ApiResult<HttpResponse> {
    let input = body.into_inner()?;
    let now = state.now();
    let principal = auth.principal;
    let tariff = state
        .run(move |conn| tariffs::create(conn, &principal, &input, now))
        .await?;
    Ok(HttpResponse::Created().json(tariff))
}

/// One tariff with its current and upcoming versions.
#[utoipa::path(
    tag = "price-list",
    params(("id" = i64, Path, description = "Tariff id")),
    responses((status = 200, body = Tariff), (status = 404, body = Problem)),
    extensions(("x-okno-permission" = json!("reference_read"))),
)]
#[get("/tariffs/{id}")]
pub async fn get_tariff(
    _auth: Authorized<perm::ReferenceRead>,
    state: web::Data<AppState>,
    id: web::Path<i64>,
) -> ApiResult<web::Json<Tariff>> {
    let id = id.into_inner();
    let today = state.now().date_naive();
    let tariff = state
        .run(move |conn| tariffs::load(conn, id, today))
        .await?;
    Ok(web::Json(tariff))
}

/// Rename a tariff, or retire it from sale (existing subscriptions keep it).
#[utoipa::path(
    tag = "price-list",
    params(("id" = i64, Path, description = "Tariff id")),
    request_body = TariffPatch,
    responses((status = 200, body = Tariff), (status = 404, body = Problem)),
    extensions(("x-okno-permission" = json!("price_list_manage"))),
)]
#[patch("/tariffs/{id}")]
pub async fn update_tariff(
    auth: Authorized<perm::PriceListManage>,
    state: web::Data<AppState>,
    id: web::Path<i64>,
    body: Json<TariffPatch>,
) -> ApiResult<web::Json<Tariff>> {
    let id = id.into_inner();
    let input = body.into_inner()?;
    let now = state.now();
    let principal = auth.principal;
    let tariff = state
        .run(move |conn| tariffs::update(conn, &principal, id, &input, now))
        .await?;
    Ok(web::Json(tariff))
}

/// Every version of a tariff, oldest first.
#[utoipa::path(
    tag = "price-list",
    params(("id" = i64, Path, description = "Tariff id")),
    responses((status = 200, body = Vec<TariffVersion>), (status = 404, body = Problem)),
    extensions(("x-okno-permission" = json!("reference_read"))),
)]
#[get("/tariffs/{id}/versions")]
pub async fn tariff_versions(
    _auth: Authorized<perm::ReferenceRead>,
    state: web::Data<AppState>,
    id: web::Path<i64>,
) -> ApiResult<web::Json<Vec<TariffVersion>>> {
    let id = id.into_inner();
    let versions = state.run(move |conn| tariffs::versions(conn, id)).await?;
    Ok(web::Json(versions))
}

/// Publish a new version; every sales point sees it at once, and it applies from its date.
#[utoipa::path(
    tag = "price-list",
    params(("id" = i64, Path, description = "Tariff id")),
    request_body = NewTariffVersion,
    responses((status = 201, body = TariffVersion), (status = 404, body = Problem), (status = 422, body = Problem)),
    extensions(("x-okno-permission" = json!("price_list_manage"))),
)]
#[post("/tariffs/{id}/versions")]
pub async fn publish_version(
    auth: Authorized<perm::PriceListManage>,
    state: web::Data<AppState>,
    id: web::Path<i64>,
    body: Json<NewTariffVersion>,
) -> ApiResult<HttpResponse> {
    let id = id.into_inner();
    let input = body.into_inner()?;
    let now = state.now();
    let principal = auth.principal;
    let version = state
        .run(move |conn| tariffs::publish_version(conn, &principal, id, &input, now))
        .await?;
    Ok(HttpResponse::Created().json(version))
}

/// Devices and accessories for sale.
#[utoipa::path(
    tag = "price-list",
    responses((status = 200, body = Vec<Product>)),
    extensions(("x-okno-permission" = json!("reference_read"))),
)]
#[get("/products")]
pub async fn list_products(
    _auth: Authorized<perm::ReferenceRead>,
    state: web::Data<AppState>,
) -> ApiResult<web::Json<Vec<Product>>> {
    let products = state.run(tariffs::products).await?;
    Ok(web::Json(products))
}

/// Add a product to the catalogue.
#[utoipa::path(
    tag = "price-list",
    request_body = NewProduct,
    responses((status = 201, body = Product), (status = 409, body = Problem), (status = 422, body = Problem)),
    extensions(("x-okno-permission" = json!("price_list_manage"))),
)]
#[post("/products")]
pub async fn create_product(
    auth: Authorized<perm::PriceListManage>,
    state: web::Data<AppState>,
    body: Json<NewProduct>,
) -> ApiResult<HttpResponse> {
    let input = body.into_inner()?;
    let now = state.now();
    let principal = auth.principal;
    let product = state
        .run(move |conn| tariffs::create_product(conn, &principal, &input, now))
        .await?;
    Ok(HttpResponse::Created().json(product))
}
