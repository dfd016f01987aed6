//! Domain enums stored as their stable snake_case names in TEXT columns, on either backend.
//!
//! Row structs keep typed fields with `#[diesel(deserialize_as = Stored<T>)]`; queries filter
//! with `.eq(value.as_str())`.

use std::str::FromStr;

use diesel::backend::Backend;
use diesel::deserialize::{self, FromSql, FromSqlRow};
use diesel::sql_types::Text;

/// A wire enum read from a TEXT column.
#[derive(Debug, Clone, Copy, PartialEq, Eq, FromSqlRow)]
pub struct Stored<T>(pub T);

impl<T, DB> FromSql<Text, DB> for Stored<T>
where
    T: FromStr,
    DB: Backend,
    String: FromSql<Text, DB>,
{
    fn from_sql(bytes: DB::RawValue<'_>) -> deserialize::Result<Self> {
        let text = String::from_sql(bytes)?;
        text.parse().map(Stored).map_err(|_| {
            format!(
                "unexpected stored value {text:?} for {}",
                std::any::type_name::<T>()
            )
            .into()
        })
    }
}

macro_rules! stored_enums {
    ($($ty:ty),+ $(,)?) => {
        $(
            impl From<Stored<$ty>> for $ty {
                fn from(stored: Stored<$ty>) -> Self {
                    stored.0
                }
            }
        )+
    };
}

use okno_domain::access::Role;
use okno_domain::benefits::BenefitKind;
use okno_domain::billing::{EntryKind, InvoiceKind, ItemStatus, LineKind, RunStatus};
use okno_domain::contacts::{Channel, ConsentPurpose, Department, Direction};
use okno_domain::contracts::{
    ContractStatus, DocumentKind, RequestKind, RequestStatus, RetentionOutcome, SuspensionReason,
};
use okno_domain::customers::{CustomerKind, CustomerStatus, Language, Segment, TaxIdScheme};
use okno_domain::tariffs::{ServiceKind, UsageUnit};

stored_enums!(
    EntryKind,
    InvoiceKind,
    ItemStatus,
    LineKind,
    RunStatus,
    UsageUnit,
    Role,
    BenefitKind,
    ContractStatus,
    DocumentKind,
    RequestKind,
    RequestStatus,
    RetentionOutcome,
    SuspensionReason,
    ServiceKind,
    Channel,
    ConsentPurpose,
    Department,
    Direction,
    CustomerKind,
    CustomerStatus,
    Language,
    Segment,
    TaxIdScheme,
);

/// Optional wire enums: `Nullable<Text>` columns.
#[derive(Debug, Clone, Copy, PartialEq, Eq, FromSqlRow)]
pub struct StoredOpt<T>(pub Option<T>);

impl<T, DB> FromSql<diesel::sql_types::Nullable<Text>, DB> for StoredOpt<T>
where
    T: FromStr,
    DB: Backend,
    String: FromSql<Text, DB>,
{
    fn from_sql(bytes: DB::RawValue<'_>) -> deserialize::Result<Self> {
        <Stored<T> as FromSql<Text, DB>>::from_sql(bytes).map(|stored| StoredOpt(Some(stored.0)))
    }

    fn from_nullable_sql(bytes: Option<DB::RawValue<'_>>) -> deserialize::Result<Self> {
        match bytes {
            Some(bytes) => Self::from_sql(bytes),
            None => Ok(StoredOpt(None)),
        }
    }
}

macro_rules! stored_optional_enums {
    ($($ty:ty),+ $(,)?) => {
        $(
            impl From<StoredOpt<$ty>> for Option<$ty> {
                fn from(stored: StoredOpt<$ty>) -> Self {
                    stored.0
                }
            }
        )+
    };
}

stored_optional_enums!(Channel, ContractStatus, Department, TaxIdScheme, UsageUnit);
