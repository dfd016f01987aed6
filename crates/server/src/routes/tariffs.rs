//! `/tariffs` and `/products`: the versioned price list. Versions are published
//! on creation, take effect on their date, and never change afterwards: billing history reads
//! them.

use actix_web::{HttpResponse, get, patch, post, web};
use chrono::NaiveDate;
use okno_api_types::tariffs::{
    NewProduct, NewTariff, NewTariffVersion, Product, Tariff, TariffPatch, TariffVersion,
};
use okno_api_types::{ErrorCode, Problem};
use okno_db::DbConnection;
use okno_db::DbError;
use okno_db::tariffs::{NewTariffVersionRow, ProductRecord, TariffRecord, TariffVersionRecord};
use okno_domain::money::{is_valid_currency, is_valid_vat_rate};
use okno_domain::tariffs::{TariffError, check_version, version_in_force};

use crate::audit;
use crate::auth::{Authorized, Principal, perm};
use crate::error::{ApiError, ApiResult, NotFoundExt};
use crate::extract::Json;
use crate::state::AppState;
use crate::stored_json::{decode, encode};
use crate::time::{from_db, to_db};
use crate::validation::Validator;

pub fn version_to_api(record: TariffVersionRecord) -> ApiResult<TariffVersion> {
    Ok(TariffVersion {
        id: record.id,
        tariff_id: record.tariff_id,
        version_no: record.version_no,
        effective_from: record.effective_from,
        monthly_fee_minor: record.monthly_fee_minor,
        currency: record.currency,
        vat_rate_bp: record.vat_rate_bp,
        prepaid: record.prepaid,
        one_off_fees: decode(&record.one_off_fees)?,
        usage_rates: decode(&record.usage_rates)?,
        published_by: record.published_by,
        published_at: from_db(record.published_at),
    })
}

fn to_api(
    record: TariffRecord,
    versions: Vec<TariffVersionRecord>,
    today: NaiveDate,
) -> ApiResult<Tariff> {
    let current = version_in_force(&versions, |v| v.effective_from, today).cloned();
    let upcoming = versions
        .iter()
        .filter(|v| v.effective_from > today)
        .min_by_key(|v| v.effective_from)
        .cloned();
    Ok(Tariff {
        id: record.id,
        code: record.code,
        name: record.name,
        service_kind: record.service_kind,
        description: record.description,
        active: record.active,
        current: current.map(version_to_api).transpose()?,
        upcoming: upcoming.map(version_to_api).transpose()?,
    })
}

fn load_tariff(conn: &mut DbConnection, id: i64, today: NaiveDate) -> ApiResult<Tariff> {
    let record = TariffRecord::find(conn, id)
        .or_not_found(ErrorCode::TariffNotFound, format!("tariff {id}"))?;
    let versions = TariffVersionRecord::of_tariff(conn, id)?;
    to_api(record, versions, today)
}

fn tariff_error_field(error: &TariffError) -> &'static str {
    match error {
        TariffError::NegativeFee => "monthly_fee_minor",
        TariffError::VatRate => "vat_rate_bp",
        TariffError::Currency => "currency",
        TariffError::DuplicateUnit | TariffError::NegativeRate | TariffError::Tiers => {
            "usage_rates"
        }
        TariffError::EffectiveInThePast | TariffError::DuplicateDate => "effective_from",
    }
}

/// Checks a version and returns its row; `prefix` names the field path (`version.` when the
/// version is nested in a new tariff).
fn version_row(
    v: &mut Validator,
    prefix: &str,
    input: &NewTariffVersion,
    today: NaiveDate,
) -> ApiResult<NewTariffVersionRow> {
    let currency = input
        .currency
        .clone()
        .unwrap_or_else(|| "PLN".into())
        .to_uppercase();
    if let Err(error) = check_version(
        input.monthly_fee_minor,
        &input.one_off_fees,
        &input.usage_rates,
        input.vat_rate_bp,
        &currency,
    ) {
        v.fail(
            format!("{prefix}{}", tariff_error_field(&error)),
            "invalid_value",
            error,
        );
    }
    if input.effective_from < today {
        v.fail(
            format!("{prefix}effective_from"),
            "in_past",
            TariffError::EffectiveInThePast,
        );
    }
    for (i, fee) in input.one_off_fees.iter().enumerate() {
        v.text(&format!("{prefix}one_off_fees[{i}].name"), &fee.name, 100);
    }
    Ok(NewTariffVersionRow {
        tariff_id: 0,
        version_no: 0,
        effective_from: input.effective_from,
        monthly_fee_minor: input.monthly_fee_minor,
        currency,
        vat_rate_bp: input.vat_rate_bp,
        prepaid: input.prepaid,
        one_off_fees: encode(&input.one_off_fees)?,
        usage_rates: encode(&input.usage_rates)?,
        published_by: String::new(),
        published_at: to_db(chrono::Utc::now()),
    })
}

fn publish(
    conn: &mut DbConnection,
    principal: &Principal,
    tariff_id: i64,
    mut row: NewTariffVersionRow,
    now: chrono::DateTime<chrono::Utc>,
    field: &str,
) -> ApiResult<TariffVersionRecord> {
    row.tariff_id = tariff_id;
    row.version_no = TariffVersionRecord::next_number(conn, tariff_id)?;
    row.published_by = principal.recorded_by().label;
    row.published_at = to_db(now);
    let version = TariffVersionRecord::publish(conn, &row).map_err(|e| match e {
        DbError::Duplicate(_) => {
            ApiError::field(field, "taken", TariffError::DuplicateDate.to_string())
        }
        other => other.into(),
    })?;
    audit::record(
        conn,
        principal,
        "tariff.publish",
        None,
        Some(format!(
            "tariff {tariff_id} version {} from {}",
            version.version_no, version.effective_from
        )),
        now,
    )?;
    Ok(version)
}

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
    Ok(web::Json(price_list(&state).await?))
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
    let on_sale = price_list(&state)
        .await?
        .into_iter()
        .filter(|t| t.active && t.current.is_some())
        .collect();
    Ok(web::Json(on_sale))
}

async fn price_list(state: &AppState) -> ApiResult<Vec<Tariff>> {
    let today = state.now().date_naive();
    state
        .run(move |conn| {
            let versions = TariffVersionRecord::all(conn)?;
            TariffRecord::list(conn)?
                .into_iter()
                .map(|t| {
                    let own = versions
                        .iter()
                        .filter(|v| v.tariff_id == t.id)
                        .cloned()
                        .collect();
                    to_api(t, own, today)
                })
                .collect::<ApiResult<Vec<_>>>()
        })
        .await
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
    let today = now.date_naive();
    let mut v = Validator::new();
    let code = input.code.trim().to_lowercase();
    if code.is_empty()
        || code.len() > 40
        || !code
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
    {
        v.fail(
            "code",
            "invalid_value",
            "1 to 40 letters, digits, '-', '_' or '.'",
        );
    }
    let name = v.text("name", &input.name, 200);
    let description = v.optional_text("description", input.description.as_deref(), 2000);
    let row = version_row(&mut v, "version.", &input.version, today)?;
    v.finish()?;
    let principal = auth.principal;
    let tariff = state
        .write(move |conn| {
            let tariff = TariffRecord::insert(
                conn,
                &code,
                &name,
                input.service_kind,
                description.as_deref(),
                to_db(now),
            )
            .map_err(|e| match e {
                DbError::Duplicate(_) => ApiError::Conflict(
                    ErrorCode::TariffCodeTaken,
                    format!("a tariff with code {code} exists"),
                    vec![okno_api_types::FieldError {
                        field: "code".into(),
                        code: "taken".into(),
                        message: "is taken".into(),
                    }],
                ),
                other => other.into(),
            })?;
            publish(
                conn,
                &principal,
                tariff.id,
                row,
                now,
                "version.effective_from",
            )?;
            load_tariff(conn, tariff.id, today)
        })
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
    Ok(web::Json(
        state.run(move |conn| load_tariff(conn, id, today)).await?,
    ))
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
    let mut v = Validator::new();
    let name = input.name.as_deref().map(|n| v.text("name", n, 200));
    v.finish()?;
    let now = state.now();
    let principal = auth.principal;
    let tariff = state
        .write(move |conn| {
            TariffRecord::find(conn, id)
                .or_not_found(ErrorCode::TariffNotFound, format!("tariff {id}"))?;
            TariffRecord::update(conn, id, name.as_deref(), input.active)?;
            audit::record(
                conn,
                &principal,
                "tariff.update",
                None,
                Some(format!("tariff {id}")),
                now,
            )?;
            load_tariff(conn, id, now.date_naive())
        })
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
    let versions = state
        .run(move |conn| {
            TariffRecord::find(conn, id)
                .or_not_found(ErrorCode::TariffNotFound, format!("tariff {id}"))?;
            TariffVersionRecord::of_tariff(conn, id)?
                .into_iter()
                .map(version_to_api)
                .collect::<ApiResult<Vec<_>>>()
        })
        .await?;
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
    let mut v = Validator::new();
    let row = version_row(&mut v, "", &input, now.date_naive())?;
    v.finish()?;
    let principal = auth.principal;
    let version = state
        .write(move |conn| {
            TariffRecord::find(conn, id)
                .or_not_found(ErrorCode::TariffNotFound, format!("tariff {id}"))?;
            publish(conn, &principal, id, row, now, "effective_from")
        })
        .await?;
    Ok(HttpResponse::Created().json(version_to_api(version)?))
}

fn product_to_api(record: ProductRecord) -> Product {
    Product {
        id: record.id,
        code: record.code,
        name: record.name,
        price_minor: record.price_minor,
        currency: record.currency,
        vat_rate_bp: record.vat_rate_bp,
        active: record.active,
    }
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
    let products = state.run(|conn| Ok(ProductRecord::list(conn)?)).await?;
    Ok(web::Json(
        products.into_iter().map(product_to_api).collect(),
    ))
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
    let mut v = Validator::new();
    let code = input.code.trim().to_uppercase();
    if code.is_empty() || code.len() > 40 {
        v.fail("code", "invalid_value", "1 to 40 characters");
    }
    let name = v.text("name", &input.name, 200);
    if input.price_minor < 0 {
        v.fail("price_minor", "invalid_value", "cannot be negative");
    }
    if !is_valid_vat_rate(input.vat_rate_bp) {
        v.fail("vat_rate_bp", "invalid_value", TariffError::VatRate);
    }
    let currency = input
        .currency
        .unwrap_or_else(|| "PLN".into())
        .to_uppercase();
    if !is_valid_currency(&currency) {
        v.fail("currency", "invalid_value", TariffError::Currency);
    }
    v.finish()?;
    let now = state.now();
    let principal = auth.principal;
    let product = state
        .write(move |conn| {
            let product = ProductRecord::insert(
                conn,
                &code,
                &name,
                input.price_minor,
                &currency,
                input.vat_rate_bp,
                to_db(now),
            )
            .map_err(|e| match e {
                DbError::Duplicate(_) => {
                    ApiError::field("code", "taken", "a product with this code exists")
                }
                other => other.into(),
            })?;
            audit::record(
                conn,
                &principal,
                "product.create",
                None,
                Some(code.clone()),
                now,
            )?;
            Ok(product)
        })
        .await?;
    Ok(HttpResponse::Created().json(product_to_api(product)))
}
