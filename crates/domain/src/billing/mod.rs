//! Billing (R-20..R-28): the period, day-based proration, what an invoice holds, invoice
//! numbers and prepaid charging. Pure functions; the server loads the data and stores the
//! results.

mod invoice;
mod numbering;
mod period;
pub mod prepaid;
pub mod proration;
pub mod readings;
mod text;

use chrono::NaiveDate;
pub use invoice::{
    BenefitInput, Bill, BillingError, DraftLine, LineKind, PriceVersion, ServiceInput, TariffSpan,
    UsageInput, VatTotal, bill, totals, totals_of,
};

use crate::validation::{FieldErrorCode, Validator};

pub use numbering::{NumberFormat, NumberFormatError, NumberingFaults, numbering_faults};
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
        /// A payment received.
        Payment,
        /// A payment taken back: the opposite of the payment it reverses.
        PaymentReversal,
        /// What a complaint's decision granted beyond any invoice it could correct, credited
        /// on the account.
        Compensation,
    }
}

wire_enum! {
    pub enum RunStatus {
        /// Work is waiting or under way.
        Running,
        /// Every customer of the period is done.
        Completed,
        /// Every customer is done, and some could not be billed: their reasons are listed;
        /// starting the period again retries them.
        CompletedWithFailures,
    }
}

impl RunStatus {
    /// How a run ends once nothing is open: with failures or without.
    pub fn finished(failed: i64) -> Self {
        if failed > 0 {
            Self::CompletedWithFailures
        } else {
            Self::Completed
        }
    }

    pub fn is_finished(self) -> bool {
        !matches!(self, Self::Running)
    }
}

wire_enum! {
    /// What the ledger check holds the data to.
    pub enum LedgerInvariant {
        /// each number of a series and year used once, none skipped.
        Numbering,
        /// An invoice's amounts are the sums of its lines, and net + VAT = gross.
        InvoiceTotals,
        /// Each invoice and note is booked to the customer's account once, for its gross.
        Booking,
        /// A customer has one invoice per period.
        OneInvoicePerPeriod,
        /// A finished billing run has every customer done.
        RunItems,
        /// What of each account entry is open is its amount less what allocations match of
        /// it, never below nothing nor above the amount.
        Allocation,
        /// Each payment is booked once for its amount; a reversed one is booked back once.
        PaymentBooking,
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

/// a period is billed once it has ended, with invoices issued on its last day or later
/// and not after today (`today` when no day is asked for). Answers the issue date.
pub fn check_run(
    v: &mut Validator,
    period: Period,
    issue_date: Option<NaiveDate>,
    today: NaiveDate,
) -> NaiveDate {
    let issue_date = issue_date.unwrap_or(today);
    if period.last_day() >= today {
        v.fail(
            "period",
            FieldErrorCode::NotOver,
            format!(
                "{period} has not ended: it is billed from {}",
                period.next().first_day()
            ),
        );
    } else if issue_date > today {
        v.fail(
            "issue_date",
            FieldErrorCode::InFuture,
            "an invoice is issued today or was issued earlier",
        );
    } else if issue_date < period.last_day() {
        v.fail(
            "issue_date",
            FieldErrorCode::InvalidValue,
            "an invoice of a period is issued on its last day or later",
        );
    }
    issue_date
}

#[cfg(test)]
mod worked_examples;

#[cfg(test)]
mod tests {
    use super::*;

    fn refused(
        period: Period,
        issue: Option<NaiveDate>,
        today: NaiveDate,
    ) -> Vec<(String, FieldErrorCode)> {
        let mut v = Validator::new();
        check_run(&mut v, period, issue, today);
        v.into_errors()
            .into_iter()
            .map(|e| (e.field, e.code))
            .collect()
    }

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).expect("a date")
    }

    #[test]
    fn a_period_is_billed_after_it_ends_on_its_last_day_or_later() {
        let november = Period::new(2026, 11).expect("a period");
        assert_eq!(refused(november, None, day(2026, 12, 1)), []);
        assert_eq!(
            refused(november, Some(day(2026, 11, 30)), day(2026, 12, 2)),
            []
        );
        assert_eq!(
            refused(november, None, day(2026, 11, 30)),
            [("period".to_owned(), FieldErrorCode::NotOver)]
        );
        assert_eq!(
            refused(november, Some(day(2026, 12, 3)), day(2026, 12, 2)),
            [("issue_date".to_owned(), FieldErrorCode::InFuture)]
        );
        assert_eq!(
            refused(november, Some(day(2026, 11, 29)), day(2026, 12, 2)),
            [("issue_date".to_owned(), FieldErrorCode::InvalidValue)]
        );
        let mut v = Validator::new();
        assert_eq!(
            check_run(&mut v, november, None, day(2026, 12, 2)),
            day(2026, 12, 2)
        );
    }
}
