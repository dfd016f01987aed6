//! Schemas of request fields that accept fewer values than their Rust type holds: a staff
//! user's role is a [`Role`], but only a staff one; a meter counts in a [`UsageUnit`], but only
//! kWh or m³. These types exist only for the OpenAPI document (`#[schema(value_type = ...)]`);
//! the lists come from the rules the server applies, so they cannot drift apart.
//!
//! Text fields carry their limits as schema attributes. The server trims text, so a required
//! one is refused when nothing but white space is left: its pattern asks for one character that
//! Rust's `str::trim` would keep, spelled out rather than `\S` (whose meaning differs between
//! regular-expression engines):
//!
//! ```text
//! [^\t-\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]
//! ```

use std::borrow::Cow;

use utoipa::openapi::schema::{ObjectBuilder, Schema, Type};
use utoipa::openapi::{KnownFormat, RefOr, SchemaFormat};
use utoipa::{PartialSchema, ToSchema};

use crate::{Permission, Role};
use okno_domain::access::integration_grantable;
use okno_domain::money::{CURRENCIES, VAT_RATES_BP};
use okno_domain::tariffs::{ServiceKind, UsageUnit};

fn string_enum(description: &str, values: impl IntoIterator<Item = &'static str>) -> RefOr<Schema> {
    ObjectBuilder::new()
        .schema_type(Type::String)
        .description(Some(description))
        .enum_values(Some(values))
        .into()
}

/// A role a staff user may hold ([`Role::STAFF`]).
pub struct StaffRole;

impl PartialSchema for StaffRole {
    fn schema() -> RefOr<Schema> {
        string_enum(
            "A role a staff user account may hold: every `Role` but `subscriber` and `integration`.",
            Role::STAFF.map(Role::as_str),
        )
    }
}

impl ToSchema for StaffRole {
    fn name() -> Cow<'static, str> {
        Cow::Borrowed("StaffRole")
    }
}

/// A permission an API key may carry ([`integration_grantable`]).
pub struct ApiKeyScope;

impl PartialSchema for ApiKeyScope {
    fn schema() -> RefOr<Schema> {
        string_enum(
            "A permission an API key may carry: managing users, keys and the audit log stays \
             with people, and `self_service` with subscribers.",
            Permission::all()
                .filter(|p| integration_grantable(*p))
                .map(Permission::as_str),
        )
    }
}

impl ToSchema for ApiKeyScope {
    fn name() -> Cow<'static, str> {
        Cow::Borrowed("ApiKeyScope")
    }
}

/// A unit a meter counts in: the units of metered services.
pub struct MeterUnit;

impl PartialSchema for MeterUnit {
    fn schema() -> RefOr<Schema> {
        let mut units: Vec<UsageUnit> = ServiceKind::all()
            .filter_map(ServiceKind::meter_unit)
            .collect();
        units.sort();
        units.dedup();
        string_enum(
            "A unit a meter counts in.",
            units.into_iter().map(UsageUnit::as_str),
        )
    }
}

impl ToSchema for MeterUnit {
    fn name() -> Cow<'static, str> {
        Cow::Borrowed("MeterUnit")
    }
}

/// A currency the system bills in ([`CURRENCIES`]).
pub struct Currency;

impl PartialSchema for Currency {
    fn schema() -> RefOr<Schema> {
        string_enum("An ISO 4217 code of a currency Okno bills in.", CURRENCIES)
    }
}

impl ToSchema for Currency {
    fn name() -> Cow<'static, str> {
        Cow::Borrowed("Currency")
    }
}

/// A VAT rate a price may have, in basis points ([`VAT_RATES_BP`]).
pub struct VatRate;

impl PartialSchema for VatRate {
    fn schema() -> RefOr<Schema> {
        ObjectBuilder::new()
            .schema_type(Type::Integer)
            .format(Some(SchemaFormat::KnownFormat(KnownFormat::Int32)))
            .description(Some(
                "A VAT rate in basis points: 2300 is 23 %. The Polish rates 23 %, 8 %, 5 % and 0 %.",
            ))
            .enum_values(Some(VAT_RATES_BP))
            .into()
    }
}

impl ToSchema for VatRate {
    fn name() -> Cow<'static, str> {
        Cow::Borrowed("VatRate")
    }
}

/// Implements the OpenAPI schema of a request whose fields depend on its `kind`: `oneOf` the
/// schema-only types given, one per kind, with `kind` as the discriminator. The request type
/// itself does not derive `ToSchema`.
macro_rules! schema_by_kind {
    ($ty:ty, $description:literal, { $($kind:literal => $variant:ty),+ $(,)? }) => {
        impl utoipa::PartialSchema for $ty {
            fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
                use utoipa::openapi::Ref;
                use utoipa::openapi::schema::{Discriminator, OneOfBuilder};
                let reference = |name: std::borrow::Cow<'static, str>| Ref::from_schema_name(name);
                let mapping = [$((
                    $kind,
                    reference(<$variant as utoipa::ToSchema>::name()).ref_location,
                )),+];
                OneOfBuilder::new()
                    $(.item(reference(<$variant as utoipa::ToSchema>::name())))+
                    .discriminator(Some(Discriminator::with_mapping("kind", mapping)))
                    .description(Some($description))
                    .into()
            }
        }

        impl utoipa::ToSchema for $ty {
            fn schemas(
                schemas: &mut Vec<(
                    String,
                    utoipa::openapi::RefOr<utoipa::openapi::schema::Schema>,
                )>,
            ) {
                $(
                    schemas.push((
                        <$variant as utoipa::ToSchema>::name().into(),
                        <$variant as utoipa::PartialSchema>::schema(),
                    ));
                    <$variant as utoipa::ToSchema>::schemas(schemas);
                )+
            }
        }
    };
}

pub(crate) use schema_by_kind;

/// For tests of [`schema_by_kind`]: the property names of a schema-only type and the fields of
/// the request it describes, which must be the same.
#[cfg(test)]
pub(crate) fn fields_and_properties<T: serde::Serialize, S: PartialSchema>(
    request: &T,
) -> (Vec<String>, Vec<String>) {
    let serde_json::Value::Object(fields) = serde_json::to_value(request).expect("JSON") else {
        panic!("a request is an object")
    };
    let mut fields: Vec<String> = fields.into_iter().map(|(name, _)| name).collect();
    fields.sort();
    let RefOr::T(Schema::Object(object)) = S::schema() else {
        panic!("an object schema")
    };
    let mut properties: Vec<String> = object.properties.into_keys().collect();
    properties.sort();
    (fields, properties)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn values(schema: RefOr<Schema>) -> Vec<serde_json::Value> {
        let RefOr::T(Schema::Object(object)) = schema else {
            panic!("an inline object schema")
        };
        object.enum_values.unwrap_or_default()
    }

    #[test]
    fn the_lists_are_the_rules() {
        assert_eq!(values(StaffRole::schema()).len(), Role::STAFF.len());
        assert!(!values(StaffRole::schema()).contains(&"subscriber".into()));
        let scopes = values(ApiKeyScope::schema());
        assert!(scopes.contains(&"customers_read".into()));
        assert!(!scopes.contains(&"api_keys_manage".into()));
        assert_eq!(values(MeterUnit::schema()), ["kwh", "m3"]);
        assert_eq!(values(VatRate::schema()), [2300, 800, 500, 0]);
    }
}
