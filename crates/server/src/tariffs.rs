//! The versioned price list and the product catalogue. Versions are published
//! on creation, take effect on their date, and never change afterwards: billing history reads
//! them.

use chrono::{DateTime, NaiveDate, Utc};
use okno_api_types::tariffs::{
    NewProduct, NewTariff, NewTariffVersion, Product, Tariff, TariffPatch, TariffVersion,
};
use okno_api_types::{ErrorCode, FieldError};
use okno_db::tariffs::{NewTariffVersionRow, ProductRecord, TariffRecord, TariffVersionRecord};
use okno_db::{DbConnection, DbError, write_transaction};
use okno_domain::money::{MAX_AMOUNT_MINOR, is_valid_currency, is_valid_vat_rate};
use okno_domain::tariffs::{TariffError, check_effective_from, check_version, version_in_force};
use okno_domain::validation::{FieldErrorCode, Validator};

use crate::audit;
use crate::auth::Principal;
use crate::error::{ApiError, ApiResult, NotFoundExt};
use crate::stored_json::{decode, encode};
use crate::time::{from_db, to_db};

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

/// One tariff with its current and upcoming versions.
pub fn load(conn: &mut DbConnection, id: i64, today: NaiveDate) -> ApiResult<Tariff> {
    let record = TariffRecord::find(conn, id)
        .or_not_found(ErrorCode::TariffNotFound, format!("tariff {id}"))?;
    let versions = TariffVersionRecord::of_tariff(conn, id)?;
    to_api(record, versions, today)
}

/// The price list: every tariff with the version in force on `today` and the next one.
pub fn price_list(conn: &mut DbConnection, today: NaiveDate) -> ApiResult<Vec<Tariff>> {
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
        .collect()
}

/// The products for sale.
pub fn products(conn: &mut DbConnection) -> ApiResult<Vec<Product>> {
    Ok(ProductRecord::list(conn)?
        .into_iter()
        .map(product_to_api)
        .collect())
}

/// Creates a tariff with its first version, published at once.
pub fn create(
    conn: &mut DbConnection,
    principal: &Principal,
    input: &NewTariff,
    now: DateTime<Utc>,
) -> ApiResult<Tariff> {
    let today = now.date_naive();
    let mut v = Validator::new();
    let code = v.code("code", &input.code.to_lowercase());
    let name = v.text("name", &input.name, 200);
    let description = v.optional_text("description", input.description.as_deref(), 2000);
    let row = version_row(&mut v, "version.", &input.version, now)?;
    v.finish()?;
    write_transaction(conn, |conn| {
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
                vec![FieldError::new("code", FieldErrorCode::Taken, "is taken")],
            ),
            other => other.into(),
        })?;
        publish(
            conn,
            principal,
            tariff.id,
            row,
            now,
            "version.effective_from",
        )?;
        load(conn, tariff.id, today)
    })
}

/// Renames a tariff, or retires it from sale (existing subscriptions keep it).
pub fn update(
    conn: &mut DbConnection,
    principal: &Principal,
    id: i64,
    input: &TariffPatch,
    now: DateTime<Utc>,
) -> ApiResult<Tariff> {
    let mut v = Validator::new();
    let name = input.name.as_deref().map(|n| v.text("name", n, 200));
    v.finish()?;
    write_transaction(conn, |conn| {
        TariffRecord::find(conn, id)
            .or_not_found(ErrorCode::TariffNotFound, format!("tariff {id}"))?;
        TariffRecord::update(conn, id, name.as_deref(), input.active)?;
        audit::record(
            conn,
            principal,
            "tariff.update",
            None,
            Some(format!("tariff {id}")),
            now,
        )?;
        load(conn, id, now.date_naive())
    })
}

/// Every version of a tariff, oldest first.
pub fn versions(conn: &mut DbConnection, id: i64) -> ApiResult<Vec<TariffVersion>> {
    TariffRecord::find(conn, id).or_not_found(ErrorCode::TariffNotFound, format!("tariff {id}"))?;
    TariffVersionRecord::of_tariff(conn, id)?
        .into_iter()
        .map(version_to_api)
        .collect::<ApiResult<Vec<_>>>()
}

/// Publishes a new version of a tariff; every sales point sees it at once.
pub fn publish_version(
    conn: &mut DbConnection,
    principal: &Principal,
    id: i64,
    input: &NewTariffVersion,
    now: DateTime<Utc>,
) -> ApiResult<TariffVersion> {
    let mut v = Validator::new();
    let row = version_row(&mut v, "", input, now)?;
    v.finish()?;
    let version = write_transaction(conn, |conn| {
        TariffRecord::find(conn, id)
            .or_not_found(ErrorCode::TariffNotFound, format!("tariff {id}"))?;
        publish(conn, principal, id, row, now, "effective_from")
    })?;
    version_to_api(version)
}

/// Adds a product to the catalogue.
pub fn create_product(
    conn: &mut DbConnection,
    principal: &Principal,
    input: &NewProduct,
    now: DateTime<Utc>,
) -> ApiResult<Product> {
    let mut v = Validator::new();
    let code = v.code("code", &input.code).to_uppercase();
    let name = v.text("name", &input.name, 200);
    if !(0..=MAX_AMOUNT_MINOR).contains(&input.price_minor) {
        v.fail(
            "price_minor",
            FieldErrorCode::OutOfRange,
            "a price is between 0 and 100 000 000.00",
        );
    }
    if !is_valid_vat_rate(input.vat_rate_bp) {
        v.fail(
            "vat_rate_bp",
            FieldErrorCode::InvalidValue,
            TariffError::VatRate,
        );
    }
    let currency = input
        .currency
        .clone()
        .unwrap_or_else(|| "PLN".into())
        .to_uppercase();
    if !is_valid_currency(&currency) {
        v.fail(
            "currency",
            FieldErrorCode::InvalidValue,
            TariffError::Currency,
        );
    }
    v.finish()?;
    write_transaction(conn, |conn| {
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
            DbError::Duplicate(_) => ApiError::Conflict(
                ErrorCode::ProductCodeTaken,
                format!("a product with code {code} exists"),
                vec![FieldError::new("code", FieldErrorCode::Taken, "is taken")],
            ),
            other => other.into(),
        })?;
        audit::record(
            conn,
            principal,
            "product.create",
            None,
            Some(code.clone()),
            now,
        )?;
        Ok(product_to_api(product))
    })
}

fn tariff_error_field(error: &TariffError) -> &'static str {
    match error {
        TariffError::FeeOutOfRange => "monthly_fee_minor",
        TariffError::VatRate => "vat_rate_bp",
        TariffError::Currency => "currency",
        TariffError::DuplicateUnit | TariffError::RateOutOfRange | TariffError::Tiers => {
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
    now: DateTime<Utc>,
) -> ApiResult<NewTariffVersionRow> {
    let today = now.date_naive();
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
        let code = match error {
            TariffError::FeeOutOfRange | TariffError::RateOutOfRange => FieldErrorCode::OutOfRange,
            _ => FieldErrorCode::InvalidValue,
        };
        v.fail(
            format!("{prefix}{}", tariff_error_field(&error)),
            code,
            error,
        );
    }
    check_effective_from(
        v,
        &format!("{prefix}effective_from"),
        input.effective_from,
        today,
    );
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
        published_at: to_db(now),
    })
}

fn publish(
    conn: &mut DbConnection,
    principal: &Principal,
    tariff_id: i64,
    mut row: NewTariffVersionRow,
    now: DateTime<Utc>,
    field: &str,
) -> ApiResult<TariffVersionRecord> {
    row.tariff_id = tariff_id;
    row.version_no = TariffVersionRecord::next_number(conn, tariff_id)?;
    row.published_by = principal.recorded_by().label;
    row.published_at = to_db(now);
    let version = TariffVersionRecord::publish(conn, &row).map_err(|e| match e {
        DbError::Duplicate(_) => ApiError::field(
            field,
            FieldErrorCode::Taken,
            TariffError::DuplicateDate.to_string(),
        ),
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
