//! Billing (R-20..R-28): usage, meters and readings, billing runs, invoices and correction
//! notes, and the customer account.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::Channel;
use crate::payments::PaymentStatus;
pub use okno_domain::billing::{
    EntryKind, InvoiceKind, ItemStatus, LineKind, Period, RunStatus, VatTotal,
};
pub use okno_domain::tariffs::UsageUnit;

/// One usage record from a network, call or metering system.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewUsageEvent {
    /// The sender's id of the record, once per batch; sending it again adds nothing (R-22).
    #[schema(
        min_length = 1,
        max_length = 200,
        pattern = r"[^\t-\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]"
    )]
    pub external_id: String,
    #[schema(minimum = 1)]
    pub subscription_id: i64,
    pub unit: UsageUnit,
    /// Thousandths of the unit: 1 500 is 1.5 GB; at most a billion units.
    #[schema(minimum = 0, maximum = 1_000_000_000_000_i64)]
    pub quantity_milli: i64,
    /// Not in the future, nor in a period already invoiced.
    pub occurred_at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UsageBatch {
    /// 1 to 10 000 events.
    #[schema(min_items = 1, max_items = 10_000)]
    pub events: Vec<NewUsageEvent>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct UsageBatchResult {
    /// Events stored now.
    pub accepted: u32,
    /// Events sent before (by `external_id`), left as they were.
    pub duplicates: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Meter {
    pub id: i64,
    pub customer_id: i64,
    pub subscription_id: i64,
    pub number: String,
    pub unit: UsageUnit,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_reading: Option<MeterReading>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct MeterQuery {
    pub customer_id: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewMeter {
    #[schema(minimum = 1)]
    pub subscription_id: i64,
    #[schema(
        min_length = 1,
        max_length = 40,
        pattern = r"[^\t-\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]"
    )]
    pub number: String,
    /// `kwh` or `m3`.
    #[schema(value_type = crate::allowed::MeterUnit)]
    pub unit: UsageUnit,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct MeterReading {
    pub id: i64,
    pub meter_id: i64,
    /// Thousandths of the unit.
    pub value_milli: i64,
    pub read_at: DateTime<Utc>,
    /// A new meter: its first value, lower than the old meter's last.
    pub replacement: bool,
    /// Since the reading before; rated as usage at `read_at`.
    pub consumption_milli: i64,
    pub channel: Channel,
    pub recorded_by: String,
    pub recorded_at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewMeterReading {
    /// Thousandths of the unit; at most a billion units.
    #[schema(minimum = 0, maximum = 1_000_000_000_000_i64)]
    pub value_milli: i64,
    /// Now when absent; not in the future.
    #[serde(default)]
    pub read_at: Option<DateTime<Utc>>,
    /// Must be set for a value lower than the last: the meter was replaced.
    #[serde(default)]
    pub replacement: bool,
    /// How the reading came in (phone, SMS, a technician's visit...); `visit` when absent.
    #[serde(default)]
    pub channel: Option<Channel>,
}

/// A subscriber's own reading from the cabinet.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewOwnMeterReading {
    /// One of the subscriber's meters.
    #[schema(minimum = 1)]
    pub meter_id: i64,
    /// Thousandths of the unit; at most a billion units.
    #[schema(minimum = 0, maximum = 1_000_000_000_000_i64)]
    pub value_milli: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewBillingRun {
    /// `YYYY-MM`; a month that has ended.
    #[schema(value_type = String, example = "2026-10", pattern = r"^[0-9]{4}-(?:0[1-9]|1[0-2])$")]
    pub period: Period,
    /// Today when absent; not in the future, nor before the period's last day.
    #[serde(default)]
    pub issue_date: Option<NaiveDate>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct BillingRun {
    pub id: i64,
    #[schema(value_type = String, example = "2026-10")]
    pub period: Period,
    pub status: RunStatus,
    pub issue_date: NaiveDate,
    pub started_at: DateTime<Utc>,
    pub started_by: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub finished_at: Option<DateTime<Utc>>,
    /// Customers in the run.
    pub customers: i64,
    /// Waiting or being worked on.
    pub open: i64,
    pub invoiced: i64,
    /// Nothing to bill.
    pub skipped: i64,
    pub failed: i64,
    /// Up to 20 failed customers with the reason.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub failures: Vec<BillingFailure>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct BillingFailure {
    pub customer_id: i64,
    pub reason: String,
}

/// A party of an invoice as it was when the invoice was issued.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct InvoiceParty {
    pub name: String,
    pub address: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tax_id: Option<String>,
    /// The buyer's account number (the payment title refers to it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub account_number: Option<String>,
    /// The seller's bank account to pay to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bank_account: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct InvoiceLine {
    pub id: i64,
    pub position: i32,
    pub kind: LineKind,
    pub description: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subscription_id: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit: Option<UsageUnit>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub quantity_milli: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub days: Option<i32>,
    /// Monthly fees: the first and last day charged. Usage of an earlier month that came
    /// after that month's invoice (R-22): the first and last day of that month.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub first_day: Option<NaiveDate>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_day: Option<NaiveDate>,
    pub net_minor: i64,
    pub vat_rate_bp: i32,
    pub vat_minor: i64,
    pub gross_minor: i64,
    /// Correction notes: the line of the corrected invoice, and its net before and after.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub corrects_line_id: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub net_before_minor: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub net_after_minor: Option<i64>,
}

impl InvoiceLine {
    /// The line's amounts, as the invoice's totals add them.
    pub fn amounts(&self) -> VatTotal {
        VatTotal {
            vat_rate_bp: self.vat_rate_bp,
            net_minor: self.net_minor,
            vat_minor: self.vat_minor,
            gross_minor: self.gross_minor,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct InvoiceRef {
    pub id: i64,
    pub number: String,
}

/// An invoice or a correction note in a list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct InvoiceSummary {
    pub id: i64,
    pub number: String,
    pub kind: InvoiceKind,
    pub customer_id: i64,
    pub customer_name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub period: Option<String>,
    pub issue_date: NaiveDate,
    pub due_date: NaiveDate,
    pub currency: String,
    pub net_minor: i64,
    pub gross_minor: i64,
    /// Paid, partly paid, open, overdue; `credit` for a note in the customer's favour (R-32).
    pub payment_status: PaymentStatus,
    /// What is still to pay of it.
    pub to_pay_minor: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Invoice {
    pub id: i64,
    pub number: String,
    pub kind: InvoiceKind,
    pub customer_id: i64,
    /// `YYYY-MM` of a period's invoice.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub period: Option<String>,
    /// A correction note: the invoice it corrects, and why.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub corrects: Option<InvoiceRef>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub correction_reason: Option<String>,
    pub issue_date: NaiveDate,
    /// The day of sale: the last day of the period for services.
    pub sale_date: NaiveDate,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub period_start: Option<NaiveDate>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub period_end: Option<NaiveDate>,
    /// At least 14 days after the issue date (R-25).
    pub due_date: NaiveDate,
    pub currency: String,
    pub net_minor: i64,
    pub vat_minor: i64,
    pub gross_minor: i64,
    /// Paid, partly paid, open, overdue; `credit` for a note in the customer's favour (R-32).
    pub payment_status: PaymentStatus,
    /// What is still to pay of it.
    pub to_pay_minor: i64,
    /// Per VAT rate, highest first.
    pub vat_totals: Vec<VatTotal>,
    pub lines: Vec<InvoiceLine>,
    pub seller: InvoiceParty,
    pub buyer: InvoiceParty,
    /// What to write as the transfer title.
    pub payment_title: String,
    /// Correction notes issued for this invoice, oldest first.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub corrections: Vec<InvoiceRef>,
    pub language: crate::Language,
    /// Where to download the PDF; add `?duplicate=true` for a duplicate.
    pub pdf_url: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct InvoiceQuery {
    pub customer_id: Option<i64>,
    /// `YYYY-MM`.
    #[param(pattern = r"^[0-9]{4}-(?:0[1-9]|1[0-2])$")]
    pub period: Option<String>,
    pub kind: Option<InvoiceKind>,
    /// The start of the number, e.g. `FV/2026/11`.
    pub number: Option<String>,
    pub issued_from: Option<NaiveDate>,
    pub issued_to: Option<NaiveDate>,
    #[param(minimum = 1, maximum = 500)]
    pub limit: Option<u32>,
    pub cursor: Option<String>,
}

/// The subscriber's own invoices, filtered as staff filter them (without a customer).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct MyInvoiceQuery {
    /// `YYYY-MM`.
    #[param(pattern = r"^[0-9]{4}-(?:0[1-9]|1[0-2])$")]
    pub period: Option<String>,
    pub kind: Option<InvoiceKind>,
    /// The start of the number, e.g. `FV/2026/11`.
    pub number: Option<String>,
    pub issued_from: Option<NaiveDate>,
    pub issued_to: Option<NaiveDate>,
    #[param(minimum = 1, maximum = 500)]
    pub limit: Option<u32>,
    pub cursor: Option<String>,
}

impl MyInvoiceQuery {
    /// The same query for one customer's invoices.
    pub fn of_customer(self, customer_id: i64) -> InvoiceQuery {
        let Self {
            period,
            kind,
            number,
            issued_from,
            issued_to,
            limit,
            cursor,
        } = self;
        InvoiceQuery {
            customer_id: Some(customer_id),
            period,
            kind,
            number,
            issued_from,
            issued_to,
            limit,
            cursor,
        }
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct PdfQuery {
    /// Print a duplicate (marked as such, with today's date).
    #[serde(default)]
    pub duplicate: bool,
}

/// A correction note (R-24, R-45): the corrected net amount of each line that changes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewCorrection {
    /// Why: printed on the note.
    #[schema(
        min_length = 1,
        max_length = 500,
        pattern = r"[^\t-\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]"
    )]
    pub reason: String,
    /// Lines of the invoice with their net amount after the correction.
    #[serde(default)]
    pub lines: Vec<LineCorrection>,
    /// Correct every line to zero (the invoice should not have been issued).
    #[serde(default)]
    pub cancel: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LineCorrection {
    /// A line of the invoice, each at most once.
    #[schema(minimum = 1)]
    pub line_id: i64,
    /// The line's net amount after the correction, minor units; at most 100 000 000.00 either
    /// way.
    #[schema(minimum = -10_000_000_000_i64, maximum = 10_000_000_000_i64)]
    pub net_after_minor: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct AccountEntry {
    pub id: i64,
    pub kind: EntryKind,
    pub booked_at: DateTime<Utc>,
    pub booked_on: NaiveDate,
    /// Positive: in the customer's favour (payments, credits); negative: owed.
    pub amount_minor: i64,
    pub currency: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub invoice: Option<InvoiceRef>,
    /// The payment booked or reversed by this entry.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub payment_id: Option<i64>,
    pub description: String,
    /// Of a debt, what is still to pay; of a payment or credit, what is not yet used.
    pub open_minor: i64,
    /// The balance once this entry was booked.
    pub balance_after_minor: i64,
}

/// A prepaid service and how long the balance keeps it running (R-28).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct PrepaidService {
    pub subscription_id: i64,
    pub tariff_name: String,
    /// What today costs, with VAT.
    pub daily_charge_minor: i64,
    /// The last day the balance pays for; absent when it does not pay for today.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub covered_until: Option<NaiveDate>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Account {
    pub customer_id: i64,
    pub currency: String,
    /// Positive: the customer has credit; negative: the customer owes.
    pub balance_minor: i64,
    /// The newest entries, newest first.
    pub entries: Vec<AccountEntry>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_cursor: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub prepaid: Vec<PrepaidService>,
    /// The account to pay to (IBAN): the customer's own virtual account where the operator's
    /// bank gives them, else the operator's.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pay_to: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct AccountQuery {
    #[param(minimum = 1, maximum = 500)]
    pub limit: Option<u32>,
    pub cursor: Option<String>,
}
