//! Billing (R-20..R-28): the period, day-based proration, what an invoice holds, invoice
//! numbers and prepaid charging. Pure functions; the server loads the data and stores the
//! results.

mod invoice;
mod numbering;
mod period;
pub mod prepaid;
pub mod proration;
mod text;

pub use invoice::{
    BenefitInput, Bill, BillingError, DraftLine, LineKind, PriceVersion, ServiceInput, TariffSpan,
    UsageInput, VatTotal, bill, totals,
};
pub use numbering::{NumberFormat, NumberFormatError};
pub use period::{Period, PeriodParseError};
pub use proration::DayRange;
pub use text::{describe, quantity};

wire_enum! {
    pub enum InvoiceKind {
        Invoice,
        /// A correction note (faktura korygująca) referring to an invoice.
        Correction,
    }
}

wire_enum! {
    /// What moved the customer account.
    pub enum EntryKind {
        /// An invoice: the customer owes its gross total.
        Invoice,
        /// A correction note: owed more, or credited back.
        Correction,
        /// A day of a prepaid service, taken from the balance.
        PrepaidCharge,
        /// A balance carried over from the operator's previous system.
        OpeningBalance,
    }
}

wire_enum! {
    pub enum RunStatus {
        /// Work is waiting or under way.
        Running,
        /// Every customer of the period is done.
        Completed,
    }
}

wire_enum! {
    /// A customer's place in a billing run.
    pub enum ItemStatus {
        Pending,
        /// A worker has taken it; if the worker dies, another takes it over after a while.
        Claimed,
        Invoiced,
        /// Nothing to bill.
        Skipped,
        Failed,
    }
}

/// The shortest payment term the law allows: an invoice is due no sooner than 14 days
/// after it is issued.
pub const MIN_PAYMENT_TERM_DAYS: u32 = 14;

#[cfg(test)]
mod worked_examples;
