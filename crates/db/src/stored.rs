//! Domain enums stored as their stable snake_case names in TEXT columns, on either backend.
//!
//! Row structs keep typed fields: records read them with
//! `#[diesel(deserialize_as = Stored<T>)]`, insert and change sets write them with
//! `#[diesel(serialize_as = Stored<T>)]` (`StoredOpt<T>` for nullable columns); queries filter
//! with `.eq(value.as_str())`. `okno-domain` itself knows nothing of diesel.

use std::fmt::Debug;
use std::str::FromStr;

use diesel::backend::Backend;
use diesel::deserialize::{self, FromSql, FromSqlRow};
use diesel::expression::AsExpression;
use diesel::serialize::{self, IsNull, Output, ToSql};
use diesel::sql_types::{Nullable, Text};

/// A wire enum in a TEXT column.
#[derive(Debug, Clone, Copy, PartialEq, Eq, FromSqlRow, AsExpression)]
#[diesel(sql_type = Text)]
pub struct Stored<T>(pub T);

impl<T> From<T> for Stored<T> {
    fn from(value: T) -> Self {
        Self(value)
    }
}

impl<T, DB> ToSql<Text, DB> for Stored<T>
where
    T: AsRef<str> + Debug,
    DB: Backend,
    str: ToSql<Text, DB>,
{
    fn to_sql<'b>(&'b self, out: &mut Output<'b, '_, DB>) -> serialize::Result {
        <str as ToSql<Text, DB>>::to_sql(self.0.as_ref(), out)
    }
}

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
use okno_domain::complaints::{
    CalendarDayKind, ComplaintChannel, ComplaintOutcome, ComplaintStatus, Jurisdiction,
};
use okno_domain::contacts::{Channel, ConsentPurpose, Department, Direction};
use okno_domain::contracts::{
    ContractStatus, DocumentKind, RequestKind, RequestStatus, RetentionOutcome, SuspensionReason,
};
use okno_domain::customers::{CustomerKind, CustomerStatus, Language, Segment, TaxIdScheme};
use okno_domain::notifications::{
    MessageChannel, MessageStatus, NotificationEvent, SuppressionReason,
};
use okno_domain::payments::online::{CheckoutPurpose, CheckoutStatus};
use okno_domain::payments::{ImportOutcome, PaymentMethod, StatementFormat};
use okno_domain::tariffs::{ServiceKind, UsageUnit};
use okno_domain::tickets::outages::{AreaScope, IncidentStatus};
use okno_domain::tickets::{
    TicketCategory, TicketEventKind, TicketPriority, TicketSource, TicketStatus, VisitOutcome,
    VisitStatus,
};

stored_enums!(
    AreaScope,
    IncidentStatus,
    TicketCategory,
    TicketEventKind,
    TicketPriority,
    TicketSource,
    TicketStatus,
    VisitOutcome,
    VisitStatus,
    CalendarDayKind,
    ComplaintChannel,
    ComplaintOutcome,
    ComplaintStatus,
    Jurisdiction,
    EntryKind,
    PaymentMethod,
    ImportOutcome,
    StatementFormat,
    CheckoutPurpose,
    CheckoutStatus,
    NotificationEvent,
    MessageChannel,
    MessageStatus,
    SuppressionReason,
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
#[derive(Debug, Clone, Copy, PartialEq, Eq, FromSqlRow, AsExpression)]
#[diesel(sql_type = Nullable<Text>)]
pub struct StoredOpt<T>(pub Option<T>);

impl<T> From<Option<T>> for StoredOpt<T> {
    fn from(value: Option<T>) -> Self {
        Self(value)
    }
}

impl<T, DB> ToSql<Nullable<Text>, DB> for StoredOpt<T>
where
    T: AsRef<str> + Debug,
    DB: Backend,
    str: ToSql<Text, DB>,
{
    fn to_sql<'b>(&'b self, out: &mut Output<'b, '_, DB>) -> serialize::Result {
        match &self.0 {
            Some(value) => <str as ToSql<Text, DB>>::to_sql(value.as_ref(), out),
            None => Ok(IsNull::Yes),
        }
    }
}

impl<T, DB> FromSql<Nullable<Text>, DB> for StoredOpt<T>
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

stored_optional_enums!(
    TicketCategory,
    TicketStatus,
    VisitOutcome,
    Channel,
    ComplaintOutcome,
    ConsentPurpose,
    ContractStatus,
    Department,
    SuppressionReason,
    TaxIdScheme,
    UsageUnit,
);
