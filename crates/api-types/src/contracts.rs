//! Contracts and their subscriptions (R-12..R-16), benefits (R-05), documents, retention
//! (R-15) and subscribers' requests.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::Channel;
use crate::customers::Address;
pub use okno_domain::benefits::BenefitKind;
pub use okno_domain::contracts::{
    ContractAction, ContractStatus, DocumentKind, RequestKind, RequestStatus, RetentionOutcome,
    SuspensionReason,
};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Contract {
    pub id: i64,
    /// E.g. `UM/2026/000123`.
    pub number: String,
    pub customer_id: i64,
    /// The customer's name, for lists.
    pub customer_name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sales_point_id: Option<i64>,
    /// How it was concluded; phone and web are distance contracts (R-14).
    pub channel: Channel,
    pub status: ContractStatus,
    pub start_date: NaiveDate,
    /// Fixed-term contracts end on this day (R-15).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end_date: Option<NaiveDate>,
    /// The day the customer signed: the conclusion of the contract.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub signed_on: Option<NaiveDate>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub approved_at: Option<DateTime<Utc>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub approved_by: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub activated_on: Option<NaiveDate>,
    /// The last day of service given in a termination: a notice while the contract is still
    /// in force (the scheduled job ends it after that day), the day it ended once terminated.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub terminated_on: Option<NaiveDate>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub termination_reason: Option<String>,
    /// The last day of service: of a notice of termination or the fixed term, whichever comes
    /// first, for a contract in force; the day it ended for a terminated one. Shown beside the
    /// status.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ends_on: Option<NaiveDate>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub withdrawn_at: Option<DateTime<Utc>>,
    /// Why the manager sent it back.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rejection_reason: Option<String>,
    /// The day the operator notified a change of terms (opens a withdrawal window).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub terms_changed_on: Option<NaiveDate>,
    /// Until when the customer may withdraw, if they may (R-14).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub withdrawal_deadline: Option<NaiveDate>,
    pub created_by: String,
    pub created_at: DateTime<Utc>,
    pub subscriptions: Vec<Subscription>,
    pub suspensions: Vec<Suspension>,
    pub version: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Subscription {
    pub id: i64,
    pub service_address: Address,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub meter_number: Option<String>,
    /// The tariff history, oldest first; each holds from its date until the next (R-12).
    pub tariffs: Vec<SubscriptionTariff>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct SubscriptionTariff {
    pub tariff_id: i64,
    pub tariff_code: String,
    pub tariff_name: String,
    pub effective_from: NaiveDate,
    /// Changed before the first day of a month, on request (R-12).
    pub early: bool,
    pub recorded_by: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Suspension {
    pub id: i64,
    pub reason: SuspensionReason,
    pub from_date: NaiveDate,
    /// The planned last day of the pause.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub until_date: Option<NaiveDate>,
    /// The day service started again.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resumed_on: Option<NaiveDate>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewSubscription {
    /// A tariff on sale, with a price in force on the start date.
    #[schema(minimum = 1)]
    pub tariff_id: i64,
    pub service_address: Address,
    /// Required for metered services (electricity, gas, water).
    #[serde(default)]
    #[schema(max_length = 40)]
    pub meter_number: Option<String>,
}

/// A new contract, as a draft.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewContract {
    #[schema(minimum = 1)]
    pub customer_id: i64,
    /// The creator's sales point when absent.
    #[serde(default)]
    #[schema(minimum = 1)]
    pub sales_point_id: Option<i64>,
    pub channel: Channel,
    /// Today or later.
    pub start_date: NaiveDate,
    /// For fixed-term contracts; after the start date.
    #[serde(default)]
    pub end_date: Option<NaiveDate>,
    /// One to ten services.
    #[schema(min_items = 1, max_items = 10)]
    pub subscriptions: Vec<NewSubscription>,
}

/// Changes to a draft.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ContractPatch {
    pub version: i64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub channel: Option<Channel>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start_date: Option<NaiveDate>,
    #[serde(
        default,
        deserialize_with = "crate::patch::present",
        skip_serializing_if = "Option::is_none"
    )]
    #[schema(value_type = Option<NaiveDate>)]
    pub end_date: Option<Option<NaiveDate>>,
    /// Replaces all subscriptions of the draft: one to ten services.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(min_items = 1, max_items = 10)]
    pub subscriptions: Option<Vec<NewSubscription>>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct ContractQuery {
    pub status: Option<ContractStatus>,
    pub customer_id: Option<i64>,
    pub sales_point_id: Option<i64>,
    /// Contracts in force ending within this many days, by a notice of termination or at the
    /// end of a fixed term (R-15), soonest first.
    #[param(minimum = 0, maximum = 3650)]
    pub ending_within_days: Option<u32>,
    #[param(minimum = 1, maximum = 500)]
    pub limit: Option<u32>,
    pub cursor: Option<String>,
}

/// The state the contract moves to and why; the body of `/contracts/{id}/{action}`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TransitionRequest {
    /// The `version` the action is based on; refused with 409 if stale. Optional.
    #[serde(default)]
    pub version: Option<i64>,
    /// Reject, terminate (required for both), suspend: why.
    #[serde(default)]
    #[schema(
        min_length = 1,
        max_length = 1000,
        pattern = r"[^\t-\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]"
    )]
    pub reason: Option<String>,
    /// Suspend: why (`customer_request` when absent).
    #[serde(default)]
    pub suspension_reason: Option<SuspensionReason>,
    /// Suspend: the first day of the pause; terminate: the last day of service; resume: the
    /// first day of service again. Today when absent.
    #[serde(default)]
    pub date: Option<NaiveDate>,
    /// Suspend: the planned last day of the pause.
    #[serde(default)]
    pub until: Option<NaiveDate>,
    /// Withdraw: how the customer stated it.
    #[serde(default)]
    pub channel: Option<Channel>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TariffChangeRequest {
    /// A service of this contract.
    #[schema(minimum = 1)]
    pub subscription_id: i64,
    /// A tariff on sale with a price in force on the day.
    #[schema(minimum = 1)]
    pub tariff_id: i64,
    /// The first day of next month when absent (R-12).
    #[serde(default)]
    pub effective_from: Option<NaiveDate>,
    /// Must be set to change on any other day than the first of a month.
    #[serde(default)]
    pub early: bool,
}

/// The operator changes the terms of the contract; the customer gets a notice and 14 days to
/// withdraw (R-14).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TermsChangeRequest {
    /// What changes, as the customer will read it.
    #[schema(
        min_length = 1,
        max_length = 2000,
        pattern = r"[^\t-\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]"
    )]
    pub description: String,
    /// Today or later.
    pub effective_from: NaiveDate,
}

/// One step of a contract's life.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct ContractEvent {
    pub id: i64,
    pub occurred_at: DateTime<Utc>,
    /// `created`, a lifecycle action, `termination_notice` (a termination with a later last
    /// day; the status stays), `tariff_change`, `terms_change`, `edited`.
    pub action: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from_status: Option<ContractStatus>,
    pub to_status: ContractStatus,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
    pub recorded_by: String,
}

/// A statutory discount of a household customer (R-05).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Benefit {
    pub id: i64,
    pub customer_id: i64,
    pub name: String,
    pub kind: BenefitKind,
    /// For `percent`: basis points of the monthly fees (5000 is 50 %).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub percent_bp: Option<i32>,
    /// For `fixed`: net minor units off each month.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub amount_minor: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub currency: Option<String>,
    pub valid_from: NaiveDate,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub valid_to: Option<NaiveDate>,
    /// The document granting it (decision number, certificate).
    pub document_reference: String,
    pub recorded_by: String,
    /// In force today.
    pub current: bool,
}

/// A new benefit. The OpenAPI document describes each `kind` on its own
/// ([`NewPercentBenefit`], [`NewFixedBenefit`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewBenefit {
    pub name: String,
    pub kind: BenefitKind,
    /// For `percent`: 1 to 10 000 basis points of the monthly fees.
    #[serde(default)]
    pub percent_bp: Option<i32>,
    /// For `fixed`: net minor units off each month, at most 100 000 000.00.
    #[serde(default)]
    pub amount_minor: Option<i64>,
    pub valid_from: NaiveDate,
    #[serde(default)]
    pub valid_to: Option<NaiveDate>,
    pub document_reference: String,
}

crate::allowed::schema_by_kind!(NewBenefit, "A percentage or a fixed amount off, told apart by `kind`.", {
    "percent" => NewPercentBenefit,
    "fixed" => NewFixedBenefit,
});

// The two kinds of [`NewBenefit`] as the OpenAPI document shows them; never built.

#[derive(ToSchema)]
#[serde(rename_all = "snake_case")]
#[expect(dead_code, reason = "a schema only")]
enum PercentKind {
    Percent,
}

#[derive(ToSchema)]
#[serde(rename_all = "snake_case")]
#[expect(dead_code, reason = "a schema only")]
enum FixedKind {
    Fixed,
}

/// A new benefit of a percentage of the monthly fees.
#[derive(ToSchema)]
#[serde(deny_unknown_fields)]
#[expect(dead_code, reason = "a schema only")]
struct NewPercentBenefit {
    #[schema(
        min_length = 1,
        max_length = 200,
        pattern = r"[^\t-\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]"
    )]
    name: String,
    #[schema(inline)]
    kind: PercentKind,
    /// 1 to 10 000 basis points of the monthly fees.
    #[schema(minimum = 1, maximum = 10_000)]
    percent_bp: i32,
    /// Not read for this kind.
    #[serde(default)]
    amount_minor: Option<i64>,
    valid_from: NaiveDate,
    /// On or after `valid_from`.
    #[serde(default)]
    valid_to: Option<NaiveDate>,
    #[schema(
        min_length = 1,
        max_length = 200,
        pattern = r"[^\t-\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]"
    )]
    document_reference: String,
}

/// A new benefit of a fixed amount off each month.
#[derive(ToSchema)]
#[serde(deny_unknown_fields)]
#[expect(dead_code, reason = "a schema only")]
struct NewFixedBenefit {
    #[schema(
        min_length = 1,
        max_length = 200,
        pattern = r"[^\t-\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]"
    )]
    name: String,
    #[schema(inline)]
    kind: FixedKind,
    /// Not read for this kind.
    #[serde(default)]
    percent_bp: Option<i32>,
    /// Net minor units off each month, at most 100 000 000.00.
    #[schema(minimum = 1, maximum = 10_000_000_000_i64)]
    amount_minor: i64,
    valid_from: NaiveDate,
    /// On or after `valid_from`.
    #[serde(default)]
    valid_to: Option<NaiveDate>,
    #[schema(
        min_length = 1,
        max_length = 200,
        pattern = r"[^\t-\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]"
    )]
    document_reference: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct BenefitPatch {
    /// Ends the benefit on this day.
    #[serde(
        default,
        deserialize_with = "crate::patch::present",
        skip_serializing_if = "Option::is_none"
    )]
    #[schema(value_type = Option<NaiveDate>)]
    pub valid_to: Option<Option<NaiveDate>>,
}

/// An issued document (R-16): kept as issued, printable again at any time (R-27).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Document {
    pub id: i64,
    pub customer_id: i64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub contract_id: Option<i64>,
    /// The complaint it acknowledges or answers.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub complaint_id: Option<i64>,
    pub kind: DocumentKind,
    pub title: String,
    pub language: crate::Language,
    pub issued_at: DateTime<Utc>,
    pub issued_by: String,
    /// Where to download the PDF.
    pub pdf_url: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct RetentionContact {
    pub id: i64,
    pub contract_id: i64,
    pub channel: Channel,
    pub outcome: RetentionOutcome,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    pub recorded_by: String,
    pub recorded_at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewRetentionContact {
    pub channel: Channel,
    pub outcome: RetentionOutcome,
    #[serde(default)]
    #[schema(max_length = 2000)]
    pub note: Option<String>,
}

/// A contract on the retention worklist: ending soon, nobody has called yet (R-15).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct RetentionItem {
    pub contract: Contract,
    pub days_left: i64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct RetentionQuery {
    /// Ending within this many days; 30 when absent.
    #[param(minimum = 1, maximum = 365)]
    pub days: Option<u32>,
    /// The principal's own sales point when absent.
    pub sales_point_id: Option<i64>,
}

/// A subscriber's request, handled by staff as a contract action.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct ContractRequest {
    pub id: i64,
    pub customer_id: i64,
    pub customer_name: String,
    pub contract_id: i64,
    pub contract_number: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subscription_id: Option<i64>,
    pub kind: RequestKind,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tariff_id: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from_date: Option<NaiveDate>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub until_date: Option<NaiveDate>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    pub status: RequestStatus,
    pub created_at: DateTime<Utc>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub handled_by: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub response: Option<String>,
}

/// A subscriber's request. The OpenAPI document describes each `kind` on its own
/// ([`NewTariffChangeRequest`], [`NewSuspensionRequest`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewContractRequest {
    pub kind: RequestKind,
    pub contract_id: i64,
    /// For a tariff change.
    #[serde(default)]
    pub subscription_id: Option<i64>,
    #[serde(default)]
    pub tariff_id: Option<i64>,
    /// Suspension: the first day; tariff change: the wished day (next month by default).
    #[serde(default)]
    pub from_date: Option<NaiveDate>,
    #[serde(default)]
    pub until_date: Option<NaiveDate>,
    #[serde(default)]
    pub note: Option<String>,
}

crate::allowed::schema_by_kind!(NewContractRequest, "A tariff change or a pause, told apart by `kind`.", {
    "tariff_change" => NewTariffChangeRequest,
    "suspension" => NewSuspensionRequest,
});

// The two kinds of [`NewContractRequest`] as the OpenAPI document shows them; never built.

#[derive(ToSchema)]
#[serde(rename_all = "snake_case")]
#[expect(dead_code, reason = "a schema only")]
enum TariffChangeKind {
    TariffChange,
}

#[derive(ToSchema)]
#[serde(rename_all = "snake_case")]
#[expect(dead_code, reason = "a schema only")]
enum SuspensionKind {
    Suspension,
}

/// A subscriber asks to move a service to another tariff.
#[derive(ToSchema)]
#[serde(deny_unknown_fields)]
#[expect(dead_code, reason = "a schema only")]
struct NewTariffChangeRequest {
    #[schema(inline)]
    kind: TariffChangeKind,
    /// One of the subscriber's contracts.
    #[schema(minimum = 1)]
    contract_id: i64,
    /// A service of the contract.
    #[schema(minimum = 1)]
    subscription_id: i64,
    /// The tariff asked for; checked when staff accept the request.
    tariff_id: i64,
    /// The wished day, today or later (the first of next month when absent).
    #[serde(default)]
    from_date: Option<NaiveDate>,
    /// Kept with the request; a tariff change does not use it.
    #[serde(default)]
    until_date: Option<NaiveDate>,
    #[serde(default)]
    #[schema(max_length = 1000)]
    note: Option<String>,
}

/// A subscriber asks to pause a contract.
#[derive(ToSchema)]
#[serde(deny_unknown_fields)]
#[expect(dead_code, reason = "a schema only")]
struct NewSuspensionRequest {
    #[schema(inline)]
    kind: SuspensionKind,
    /// One of the subscriber's contracts.
    #[schema(minimum = 1)]
    contract_id: i64,
    /// A service of the contract, if the pause concerns one.
    #[serde(default)]
    #[schema(minimum = 1)]
    subscription_id: Option<i64>,
    /// Kept with the request; a pause does not use it.
    #[serde(default)]
    tariff_id: Option<i64>,
    /// The first day, today or later (today when absent).
    #[serde(default)]
    from_date: Option<NaiveDate>,
    /// The last day, on or after the first.
    #[serde(default)]
    until_date: Option<NaiveDate>,
    #[serde(default)]
    #[schema(max_length = 1000)]
    note: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RequestDecision {
    pub accept: bool,
    #[serde(default)]
    #[schema(max_length = 1000)]
    pub response: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct RequestQuery {
    pub status: Option<RequestStatus>,
    pub customer_id: Option<i64>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::allowed::fields_and_properties;

    #[test]
    fn each_kind_of_a_request_body_has_its_fields() {
        let benefit = NewBenefit {
            name: "Karta Dużej Rodziny".into(),
            kind: BenefitKind::Percent,
            percent_bp: None,
            amount_minor: None,
            valid_from: NaiveDate::MIN,
            valid_to: None,
            document_reference: "KDR/1".into(),
        };
        let (fields, properties) = fields_and_properties::<_, NewPercentBenefit>(&benefit);
        assert_eq!(properties, fields);
        let (fields, properties) = fields_and_properties::<_, NewFixedBenefit>(&benefit);
        assert_eq!(properties, fields);
        let request = NewContractRequest {
            kind: RequestKind::Suspension,
            contract_id: 1,
            subscription_id: None,
            tariff_id: None,
            from_date: None,
            until_date: None,
            note: None,
        };
        let (fields, properties) = fields_and_properties::<_, NewTariffChangeRequest>(&request);
        assert_eq!(properties, fields);
        let (fields, properties) = fields_and_properties::<_, NewSuspensionRequest>(&request);
        assert_eq!(properties, fields);
    }
}
