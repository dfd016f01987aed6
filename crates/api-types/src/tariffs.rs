//! The price list (R-10, R-11): tariffs with immutable, dated versions, and products.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

pub use okno_domain::tariffs::{FeeKind, OneOffFee, ServiceKind, Tier, UsageRate, UsageUnit};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Tariff {
    pub id: i64,
    pub code: String,
    pub name: String,
    pub service_kind: ServiceKind,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Retired tariffs stay on existing subscriptions but are not sold.
    pub active: bool,
    /// The version in force today, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub current: Option<TariffVersion>,
    /// A version already published that takes effect later.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub upcoming: Option<TariffVersion>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct TariffVersion {
    pub id: i64,
    pub tariff_id: i64,
    pub version_no: i32,
    pub effective_from: NaiveDate,
    /// Net monthly fee in minor units.
    pub monthly_fee_minor: i64,
    pub currency: String,
    /// VAT in basis points: 2300 is 23 %.
    pub vat_rate_bp: i32,
    /// Charged daily from a topped-up balance instead of monthly invoices (R-28).
    pub prepaid: bool,
    pub one_off_fees: Vec<OneOffFee>,
    pub usage_rates: Vec<UsageRate>,
    pub published_by: String,
    pub published_at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewTariff {
    /// 1 to 40 letters, digits, `.`, `_`, `-`; stored in lower case.
    #[schema(pattern = r"^[A-Za-z0-9._-]{1,40}$")]
    pub code: String,
    #[schema(
        min_length = 1,
        max_length = 200,
        pattern = r"[^\t-\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]"
    )]
    pub name: String,
    pub service_kind: ServiceKind,
    #[serde(default)]
    #[schema(max_length = 2000)]
    pub description: Option<String>,
    /// The first version, published with the tariff.
    pub version: NewTariffVersion,
}

/// A version of a tariff. Published on creation and immutable; takes effect on
/// `effective_from`, today or later.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewTariffVersion {
    pub effective_from: NaiveDate,
    /// Net, minor units; at most 100 000 000.00.
    #[schema(minimum = 0, maximum = 10_000_000_000_i64)]
    pub monthly_fee_minor: i64,
    /// `PLN` when absent.
    #[serde(default)]
    #[schema(value_type = Option<crate::allowed::Currency>)]
    pub currency: Option<String>,
    #[schema(value_type = crate::allowed::VatRate)]
    pub vat_rate_bp: i32,
    #[serde(default)]
    pub prepaid: bool,
    #[serde(default)]
    pub one_off_fees: Vec<OneOffFee>,
    /// Each unit priced once.
    #[serde(default)]
    pub usage_rates: Vec<UsageRate>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TariffPatch {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(
        min_length = 1,
        max_length = 200,
        pattern = r"[^\t-\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]"
    )]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub active: Option<bool>,
}

/// A device or accessory for sale.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Product {
    pub id: i64,
    pub code: String,
    pub name: String,
    pub price_minor: i64,
    pub currency: String,
    pub vat_rate_bp: i32,
    pub active: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewProduct {
    /// 1 to 40 letters, digits, `.`, `_`, `-`; stored in upper case.
    #[schema(pattern = r"^[A-Za-z0-9._-]{1,40}$")]
    pub code: String,
    #[schema(
        min_length = 1,
        max_length = 200,
        pattern = r"[^\t-\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]"
    )]
    pub name: String,
    /// Net, minor units; at most 100 000 000.00.
    #[schema(minimum = 0, maximum = 10_000_000_000_i64)]
    pub price_minor: i64,
    /// `PLN` when absent.
    #[serde(default)]
    #[schema(value_type = Option<crate::allowed::Currency>)]
    pub currency: Option<String>,
    #[schema(value_type = crate::allowed::VatRate)]
    pub vat_rate_bp: i32,
}
