//! Payments (R-30..R-32): registering a payment once from any channel, what it paid, and
//! reversing one registered in error.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::billing::InvoiceRef;
pub use okno_domain::payments::{PaymentMethod, PaymentStatus};

/// The header that makes `POST /payments` safe to retry (R-31), as Stripe defines it.
pub const IDEMPOTENCY_KEY_HEADER: &str = "Idempotency-Key";

/// A payment received. Name the customer by `customer_id` or by `account_number`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewPayment {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(minimum = 1)]
    pub customer_id: Option<i64>,
    /// The customer's account number, as on their invoices.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(max_length = 40)]
    pub account_number: Option<String>,
    /// Minor units, more than zero and at most 100 000 000.00.
    #[schema(minimum = 1, maximum = 10_000_000_000_i64)]
    pub amount_minor: i64,
    /// ISO 4217; the currency the account is kept in.
    #[schema(value_type = crate::allowed::Currency)]
    pub currency: String,
    pub method: PaymentMethod,
    /// What the payer wrote: the transfer title, a note on the receipt.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(max_length = 140)]
    pub payer_reference: Option<String>,
    /// The bank's entry reference or the gateway's payment id. A payment of the same method
    /// with the same reference is registered already: `409 payment_already_registered`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(max_length = 100)]
    pub external_reference: Option<String>,
    /// The invoice the payer says this pays (one of the customer's): it is paid first, the
    /// rest oldest due first (R-32).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(minimum = 1)]
    pub invoice_id: Option<i64>,
    /// When the money was received; now when absent. Not in the future.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub received_at: Option<DateTime<Utc>>,
}

/// A part of a payment put toward an invoice or a correction note.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct PaymentAllocation {
    /// The invoice or note paid; absent for other debts (prepaid days, a balance carried over).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub invoice: Option<InvoiceRef>,
    pub amount_minor: i64,
}

/// A reversal recorded on a payment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct PaymentReversal {
    pub reversed_at: DateTime<Utc>,
    pub reversed_by: String,
    pub reason: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Payment {
    pub id: i64,
    pub customer_id: i64,
    pub account_number: String,
    pub amount_minor: i64,
    pub currency: String,
    pub method: PaymentMethod,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub payer_reference: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub external_reference: Option<String>,
    pub received_at: DateTime<Utc>,
    pub registered_by: String,
    pub registered_at: DateTime<Utc>,
    /// What the payment paid, oldest due first (R-32).
    pub allocations: Vec<PaymentAllocation>,
    /// What is left of it in the customer's favour, for what comes next.
    pub credit_minor: i64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reversal: Option<PaymentReversal>,
    /// The till it was taken into, at a sales point.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub till_id: Option<i64>,
    /// Where to download its receipt.
    pub receipt_url: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct PaymentQuery {
    pub customer_id: Option<i64>,
    pub till_id: Option<i64>,
    pub method: Option<PaymentMethod>,
    /// Received on this day or later.
    pub received_from: Option<NaiveDate>,
    /// Received on this day or earlier.
    pub received_to: Option<NaiveDate>,
    #[param(minimum = 1, maximum = 500)]
    pub limit: Option<u32>,
    pub cursor: Option<String>,
}

/// Why a payment is reversed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewPaymentReversal {
    #[schema(
        min_length = 1,
        max_length = 500,
        pattern = r"[^\t-\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]"
    )]
    pub reason: String,
}

/// Opening a till: the cash put in the drawer to give change.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewTill {
    #[schema(minimum = 0, maximum = 10_000_000_000_i64)]
    pub float_minor: i64,
    /// ISO 4217; PLN when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<crate::allowed::Currency>)]
    pub currency: Option<String>,
}

/// Closing a till: the cash counted in the drawer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TillClosing {
    #[schema(minimum = 0, maximum = 10_000_000_000_i64)]
    pub counted_minor: i64,
    /// Why the cash does not match, if it does not.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(max_length = 500)]
    pub note: Option<String>,
}

/// A cashier's till (R-33): its float, what was taken into it and, once closed, what was
/// counted and the difference.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Till {
    pub id: i64,
    pub sales_point_id: i64,
    pub sales_point_name: String,
    pub cashier_id: i64,
    pub cashier_name: String,
    pub currency: String,
    pub opened_at: DateTime<Utc>,
    pub float_minor: i64,
    /// Cash taken, less cash payments reversed.
    pub cash_minor: i64,
    /// Card payments taken, less those reversed.
    pub card_minor: i64,
    /// Payments taken, reversed ones included.
    pub payments: u32,
    /// What the drawer should hold: the float and the cash.
    pub expected_cash_minor: i64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub closed_at: Option<DateTime<Utc>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub closed_by: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub counted_minor: Option<i64>,
    /// Counted less expected: negative when short.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub difference_minor: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub closing_note: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct TillQuery {
    pub sales_point_id: Option<i64>,
    pub cashier_id: Option<i64>,
    /// Only open (`true`) or only closed (`false`) tills.
    pub open: Option<bool>,
    /// Opened on this day or later.
    pub opened_from: Option<NaiveDate>,
    /// Opened on this day or earlier.
    pub opened_to: Option<NaiveDate>,
    #[param(minimum = 1, maximum = 500)]
    pub limit: Option<u32>,
    pub cursor: Option<String>,
}

pub use okno_domain::payments::{ImportOutcome, StatementFormat};

/// A bank statement to import: camt.053 (XML), MT940 or a bank's CSV export, told apart by
/// their content. A CSV needs `bank`, the name its column mapping is saved under.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewPaymentImport {
    #[schema(
        min_length = 1,
        max_length = 200,
        pattern = r"[^\t-\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]"
    )]
    pub file_name: String,
    /// The file, base64 (standard alphabet, padded); at most 4 MiB once decoded.
    #[schema(pattern = "^[A-Za-z0-9+/]*={0,2}$")]
    pub content_base64: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(max_length = 100)]
    pub bank: Option<String>,
}

/// A credit line of an imported statement and what became of it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct ImportLine {
    pub id: i64,
    pub import_id: i64,
    /// Where it is in the file: the line (MT940, CSV) or the entry (camt.053).
    pub line: i32,
    /// The bank's reference of the entry.
    pub reference: String,
    pub booked_on: NaiveDate,
    pub amount_minor: i64,
    pub currency: String,
    pub title: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub payer_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub payer_account: Option<String>,
    pub outcome: ImportOutcome,
    /// Why it is unmatched or a duplicate.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub payment_id: Option<i64>,
    /// The customer it was registered for.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub customer_id: Option<i64>,
    /// How the customer was found (`account_number`, `invoice_number`) or who assigned it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub matched_by: Option<String>,
}

/// An imported statement: how many lines came to what, and (for one) its lines.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct PaymentImport {
    pub id: i64,
    pub file_name: String,
    pub format: StatementFormat,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bank: Option<String>,
    pub imported_by: String,
    pub imported_at: DateTime<Utc>,
    pub registered: i32,
    pub unmatched: i32,
    pub duplicates: i32,
    /// Debit lines, which are not payments.
    pub debits_skipped: i32,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub lines: Vec<ImportLine>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct ImportLineQuery {
    /// `unmatched` for the queue waiting for staff.
    pub outcome: Option<ImportOutcome>,
    #[param(minimum = 1, maximum = 500)]
    pub limit: Option<u32>,
    pub cursor: Option<String>,
}

/// Assigning an unmatched line to the customer it belongs to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LineAssignment {
    #[schema(minimum = 1)]
    pub customer_id: i64,
}

/// Which column of a bank's CSV export holds what (0-based).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CsvColumns {
    pub reference: usize,
    pub booked_on: usize,
    pub amount: usize,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub currency: Option<usize>,
    pub title: usize,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub payer_name: Option<usize>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub payer_account: Option<usize>,
}

/// How a bank's CSV export is read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CsvMapping {
    /// The separator, one ASCII character: `;` or `,` or a tab.
    #[schema(min_length = 1, max_length = 1)]
    pub delimiter: String,
    pub has_header: bool,
    /// A chrono format: `%Y-%m-%d`, `%d.%m.%Y`.
    pub date_format: String,
    /// Amounts written `1234,56` rather than `1234.56`.
    pub decimal_comma: bool,
    pub columns: CsvColumns,
}

/// A bank's saved CSV mapping.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct BankCsvMapping {
    pub bank: String,
    pub mapping: CsvMapping,
    pub updated_by: String,
    pub updated_at: DateTime<Utc>,
}

/// A batch of prepaid express-payment cards to make.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewCardBatch {
    #[schema(minimum = 1, maximum = 10_000)]
    pub cards: u32,
    /// What each card pays, in minor units.
    #[schema(minimum = 1, maximum = 10_000_000_000_i64)]
    pub value_minor: i64,
    /// ISO 4217; PLN when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<crate::allowed::Currency>)]
    pub currency: Option<String>,
    /// The last day a card may be redeemed; after today.
    pub valid_until: NaiveDate,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct CardBatch {
    pub id: i64,
    pub cards: i32,
    pub value_minor: i64,
    pub currency: String,
    pub valid_until: NaiveDate,
    pub created_by: String,
    pub created_at: DateTime<Utc>,
    /// Cards of the batch redeemed so far.
    pub redeemed: i64,
}

/// A batch just made, with its codes for printing: shown this once, kept only hashed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct CreatedCardBatch {
    pub batch: CardBatch,
    /// `serial;code;value;currency;valid_until`, a card a line after the header.
    pub codes_csv: String,
}

/// A prepaid card's code typed in at a desk, to pay its value onto a customer's account.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CardRedemption {
    /// Sixteen digits, groups split by a space or a dash.
    #[schema(pattern = "^(?:[0-9][ -]?){15}[0-9]$")]
    pub code: String,
    /// The customer the card pays for.
    #[schema(minimum = 1)]
    pub customer_id: i64,
}

/// A prepaid card's code typed in the cabinet, to pay its value onto one's own account.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MyCardRedemption {
    /// Sixteen digits, groups split by a space or a dash.
    #[schema(pattern = "^(?:[0-9][ -]?){15}[0-9]$")]
    pub code: String,
}
