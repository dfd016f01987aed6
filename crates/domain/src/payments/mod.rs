//! Payments (R-30..R-33): how a payment came, what it may be, and how money in the customer's
//! favour pays what they owe — oldest due first, the rest kept as credit for what comes next.

use chrono::{DateTime, NaiveDate, Utc};

use crate::customers::AccountNumber;
use crate::money::{AmountTooLarge, MAX_AMOUNT_MINOR, add, sub};
use crate::validation::{FieldErrorCode, Validator};

pub mod online;
pub mod virtual_account;

wire_enum! {
    /// How a payment came in.
    pub enum PaymentMethod {
        /// Cash at a sales point's till.
        Cash,
        /// A bank transfer, from a statement or registered by hand.
        Transfer,
        /// A card at a sales point's terminal.
        Card,
        /// An online payment through the payment gateway.
        Online,
        /// A prepaid express-payment card redeemed by its code.
        PrepaidCard,
    }
}

wire_enum! {
    /// Where an invoice stands with its payment.
    pub enum PaymentStatus {
        /// Nothing paid yet and not yet due.
        Open,
        /// Part paid, the rest not yet due.
        PartlyPaid,
        /// Paid in full.
        Paid,
        /// Past its due date with something still to pay.
        Overdue,
        /// A correction note in the customer's favour: it pays, it is not paid.
        Credit,
    }
}

wire_enum! {
    /// What became of a credit line of a bank statement.
    pub enum ImportOutcome {
        /// Matched to a customer and registered as a payment.
        Registered,
        /// No customer, or more than one, could be told from it: waiting for staff.
        Unmatched,
        /// Assigned to a customer by staff, and registered.
        Assigned,
        /// The bank's reference was imported before: skipped.
        Duplicate,
    }
}

wire_enum! {
    /// The bank statement formats read.
    pub enum StatementFormat {
        /// ISO 20022 BankToCustomerStatement (camt.053.001.02 to .08).
        Camt053,
        /// SWIFT MT940, as Polish banks export it.
        Mt940,
        /// A bank's CSV export, read by its saved column mapping.
        Csv,
    }
}

/// The longest a payer's reference (a transfer title) may be: SEPA's remittance information.
pub const MAX_REFERENCE_CHARS: usize = 140;
/// The longest a bank's or gateway's own id of a payment may be.
pub const MAX_EXTERNAL_REFERENCE_CHARS: usize = 100;
/// The longest an `Idempotency-Key` may be (Stripe allows 255).
pub const MAX_IDEMPOTENCY_KEY_CHARS: usize = 255;

/// The status of an invoice of `gross_minor` with `open_minor` of it still to pay, on `today`.
pub fn payment_status(
    gross_minor: i64,
    open_minor: i64,
    due_date: NaiveDate,
    today: NaiveDate,
) -> PaymentStatus {
    if gross_minor < 0 {
        PaymentStatus::Credit
    } else if open_minor <= 0 {
        PaymentStatus::Paid
    } else if today > due_date {
        PaymentStatus::Overdue
    } else if open_minor < gross_minor {
        PaymentStatus::PartlyPaid
    } else {
        PaymentStatus::Open
    }
}

/// What registering a payment must hold: an amount above zero within the bounds of one
/// amount, received no later than `now`.
pub fn check_payment(
    v: &mut Validator,
    amount_minor: i64,
    received_at: DateTime<Utc>,
    now: DateTime<Utc>,
) {
    if amount_minor <= 0 {
        v.fail(
            "amount_minor",
            FieldErrorCode::OutOfRange,
            "a payment is more than zero",
        );
    } else if amount_minor > MAX_AMOUNT_MINOR {
        v.fail(
            "amount_minor",
            FieldErrorCode::OutOfRange,
            "a payment is at most 100 000 000.00",
        );
    }
    if received_at > now {
        v.fail(
            "received_at",
            FieldErrorCode::InFuture,
            "a payment is registered once it has been received",
        );
    }
}

/// The methods a sales point takes into its till: cash into the drawer, card through its
/// terminal. Cash is only taken into an open till.
pub fn taken_at_till(method: PaymentMethod) -> bool {
    matches!(method, PaymentMethod::Cash | PaymentMethod::Card)
}

/// A till's money, from its float and the payments taken into it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct TillTotals {
    /// Cash taken, less cash payments reversed (handed back).
    pub cash_minor: i64,
    /// Card payments taken, less those reversed: in the terminal's settlement, not the drawer.
    pub card_minor: i64,
    /// Payments taken, reversed ones included.
    pub payments: usize,
    /// What the drawer should hold: the float and the cash.
    pub expected_cash_minor: i64,
}

/// The till's totals from its float and its payments (method, amount, reversed).
pub fn till_totals(
    float_minor: i64,
    payments: impl IntoIterator<Item = (PaymentMethod, i64, bool)>,
) -> Result<TillTotals, AmountTooLarge> {
    let mut totals = TillTotals::default();
    for (method, amount, reversed) in payments {
        totals.payments += 1;
        let counted = if reversed { 0 } else { amount };
        match method {
            PaymentMethod::Cash => totals.cash_minor = add(totals.cash_minor, counted)?,
            PaymentMethod::Card => totals.card_minor = add(totals.card_minor, counted)?,
            _ => {}
        }
    }
    totals.expected_cash_minor = add(float_minor, totals.cash_minor)?;
    Ok(totals)
}

/// What the counted cash differs from what the drawer should hold: negative when short.
pub fn till_difference(counted_minor: i64, expected_minor: i64) -> Result<i64, AmountTooLarge> {
    sub(counted_minor, expected_minor)
}

/// An amount of cash in a till (a float, a count): zero or more, at most one amount's bound.
pub fn check_cash(v: &mut Validator, field: &str, amount_minor: i64) {
    if !(0..=MAX_AMOUNT_MINOR).contains(&amount_minor) {
        v.fail(
            field,
            FieldErrorCode::OutOfRange,
            "from 0 to 100 000 000.00",
        );
    }
}

/// The customers' account numbers written in free text (a transfer title): nine digits,
/// maybe split by spaces or dashes (`1000 0001 7`), whose check digit holds — so a date or an
/// amount is not taken for one.
pub fn account_numbers_in(text: &str) -> Vec<AccountNumber> {
    let tokens: Vec<String> = text
        .split(|c: char| !(c.is_ascii_digit() || c == '-'))
        .map(|t| t.chars().filter(char::is_ascii_digit).collect::<String>())
        .filter(|t| !t.is_empty())
        .collect();
    let mut found: Vec<AccountNumber> = Vec::new();
    for start in 0..tokens.len() {
        let mut joined = String::new();
        for token in tokens.iter().skip(start) {
            joined.push_str(token);
            if joined.len() >= 9 {
                break;
            }
        }
        if let Ok(number) = AccountNumber::parse(&joined)
            && !found.contains(&number)
        {
            found.push(number);
        }
    }
    found
}

/// Digits of a prepaid card's code: fifteen random and a Luhn check digit.
pub const CARD_CODE_DIGITS: usize = 16;
/// The most cards one batch makes.
pub const MAX_CARDS_PER_BATCH: u32 = 10_000;

/// A prepaid express-payment card's code as printed under the scratch-off: sixteen digits in
/// groups of four, the last a check digit so that a mistyped digit is caught before it
/// counts as a guess.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CardCode(String);

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum CardCodeError {
    #[error("a card code has 16 digits")]
    Length,
    #[error("the check digit does not match; the code is mistyped")]
    CheckDigit,
}

impl CardCode {
    /// The code of fifteen random digits (`random` below 10^15), its check digit added.
    pub fn from_random(random: u64) -> Self {
        let body = format!("{:015}", random % 1_000_000_000_000_000);
        let check = crate::customers::luhn_check_digit(&body);
        Self(format!("{body}{check}"))
    }

    /// Reads a code as typed: spaces and dashes ignored.
    pub fn parse(input: &str) -> Result<Self, CardCodeError> {
        let digits: String = input.chars().filter(|c| !matches!(c, ' ' | '-')).collect();
        if digits.len() != CARD_CODE_DIGITS || !digits.chars().all(|c| c.is_ascii_digit()) {
            return Err(CardCodeError::Length);
        }
        let (body, check) = digits.split_at(CARD_CODE_DIGITS - 1);
        if crate::customers::luhn_check_digit(body).to_string() != check {
            return Err(CardCodeError::CheckDigit);
        }
        Ok(Self(digits))
    }

    /// The sixteen digits.
    pub fn digits(&self) -> &str {
        &self.0
    }

    /// As printed: `1234 5678 9012 3456`.
    pub fn printed(&self) -> String {
        let chars: Vec<char> = self.0.chars().collect();
        chars
            .chunks(4)
            .map(|group| group.iter().collect::<String>())
            .collect::<Vec<_>>()
            .join(" ")
    }
}

/// What a batch of prepaid cards must hold: 1 to [`MAX_CARDS_PER_BATCH`] cards of a value
/// above zero within one amount's bound, valid until a day after today.
pub fn check_card_batch(
    v: &mut Validator,
    count: u32,
    value_minor: i64,
    valid_until: NaiveDate,
    today: NaiveDate,
) {
    if !(1..=MAX_CARDS_PER_BATCH).contains(&count) {
        v.fail(
            "count",
            FieldErrorCode::OutOfRange,
            format!("from 1 to {MAX_CARDS_PER_BATCH} cards"),
        );
    }
    if !(1..=MAX_AMOUNT_MINOR).contains(&value_minor) {
        v.fail(
            "value_minor",
            FieldErrorCode::OutOfRange,
            "a card is worth more than zero and at most 100 000 000.00",
        );
    }
    if valid_until <= today {
        v.fail(
            "valid_until",
            FieldErrorCode::InPast,
            "a card is valid until a day after today",
        );
    }
}

/// A part of a payment (or other credit) put toward one open item.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Allocation {
    /// The item's index in the items given.
    pub item: usize,
    pub amount_minor: i64,
}

/// How an amount is put toward open items.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Allocated {
    pub allocations: Vec<Allocation>,
    /// What is left in the customer's favour.
    pub credit_minor: i64,
}

/// Puts `amount_minor` toward `open_minor` of each item in the order given — the caller
/// orders them oldest due first — paying each in full before the next; what is left
/// is credit. An item with nothing open takes nothing; a negative amount puts nothing
/// anywhere.
pub fn allocate(open_minor: &[i64], amount_minor: i64) -> Allocated {
    let mut left = amount_minor.max(0);
    let mut allocations = Vec::new();
    for (item, open) in open_minor.iter().enumerate() {
        if left == 0 {
            break;
        }
        let part = (*open).max(0).min(left);
        if part > 0 {
            allocations.push(Allocation {
                item,
                amount_minor: part,
            });
            left -= part;
        }
    }
    Allocated {
        allocations,
        credit_minor: left,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn day(d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 12, d).expect("a day")
    }

    #[test]
    fn one_payment_pays_the_oldest_invoices_first_and_keeps_the_rest() {
        // 200,00 over invoices of 61,49, 99,00 and 61,49, oldest first: the first two in
        // full, 39,51 of the third, nothing left.
        let a = allocate(&[6_149, 9_900, 6_149], 20_000);
        assert_eq!(
            a.allocations,
            [
                Allocation {
                    item: 0,
                    amount_minor: 6_149
                },
                Allocation {
                    item: 1,
                    amount_minor: 9_900
                },
                Allocation {
                    item: 2,
                    amount_minor: 3_951
                },
            ]
        );
        assert_eq!(a.credit_minor, 0);
        // A partial payment pays part of the oldest.
        assert_eq!(
            allocate(&[6_149, 9_900], 5_000).allocations,
            [Allocation {
                item: 0,
                amount_minor: 5_000
            }]
        );
        // An overpayment pays everything and keeps 38,51 as credit.
        let over = allocate(&[6_149], 10_000);
        assert_eq!(over.credit_minor, 3_851);
        // A paid item is passed over.
        assert_eq!(
            allocate(&[0, 100], 100).allocations,
            [Allocation {
                item: 1,
                amount_minor: 100
            }]
        );
    }

    #[test]
    fn an_invoice_is_open_partly_paid_paid_or_overdue() {
        assert_eq!(
            payment_status(6_149, 6_149, day(16), day(2)),
            PaymentStatus::Open
        );
        assert_eq!(
            payment_status(6_149, 1_000, day(16), day(16)),
            PaymentStatus::PartlyPaid
        );
        assert_eq!(
            payment_status(6_149, 0, day(16), day(30)),
            PaymentStatus::Paid
        );
        assert_eq!(
            payment_status(6_149, 1, day(16), day(17)),
            PaymentStatus::Overdue
        );
        assert_eq!(
            payment_status(-738, 0, day(16), day(2)),
            PaymentStatus::Credit
        );
        assert_eq!(payment_status(0, 0, day(16), day(30)), PaymentStatus::Paid);
    }

    #[test]
    fn a_payment_is_above_zero_within_bounds_and_received_already() {
        let now = DateTime::parse_from_rfc3339("2026-12-05T10:00:00Z")
            .map(|t| t.with_timezone(&Utc))
            .unwrap_or_default();
        let refused = |amount: i64, received: DateTime<Utc>| {
            let mut v = Validator::new();
            check_payment(&mut v, amount, received, now);
            v.into_errors()
                .into_iter()
                .map(|e| (e.field, e.code))
                .collect::<Vec<_>>()
        };
        assert_eq!(refused(1, now), []);
        assert_eq!(refused(MAX_AMOUNT_MINOR, now), []);
        for amount in [0, -1, MAX_AMOUNT_MINOR + 1, i64::MIN, i64::MAX] {
            assert_eq!(
                refused(amount, now),
                [("amount_minor".to_owned(), FieldErrorCode::OutOfRange)],
                "{amount}"
            );
        }
        assert_eq!(
            refused(100, now + chrono::Duration::seconds(1)),
            [("received_at".to_owned(), FieldErrorCode::InFuture)]
        );
    }

    #[test]
    fn account_numbers_are_found_in_a_title_split_or_not() {
        let found = |text: &str| -> Vec<String> {
            account_numbers_in(text)
                .iter()
                .map(|a| a.as_str().to_owned())
                .collect()
        };
        assert_eq!(found("konto 100000017"), ["100000017"]);
        assert_eq!(found("1000 0001 7 oplata"), ["100000017"]);
        assert_eq!(
            found("nr klienta: 1000-0001-7, FV/2026/11/000001"),
            ["100000017"]
        );
        assert_eq!(found("100000017 i 100000025"), ["100000017", "100000025"]);
        assert!(found("100000018").is_empty(), "a wrong check digit");
        assert!(found("2026-11-15 kwota 120,00").is_empty());
    }

    #[test]
    fn a_card_code_has_sixteen_digits_and_catches_a_mistyped_one() {
        let code = CardCode::from_random(123_456_789_012_345);
        assert_eq!(code.digits().len(), 16);
        assert_eq!(code.printed().len(), 19);
        assert_eq!(CardCode::parse(&code.printed()), Ok(code.clone()));
        assert_eq!(
            CardCode::parse(&code.printed().replace(' ', "-")),
            Ok(code.clone())
        );
        // Every single mistyped digit is caught by the check digit.
        for at in 0..16 {
            let mut wrong: Vec<char> = code.digits().chars().collect();
            if let Some(c) = wrong.get_mut(at) {
                *c = char::from_digit((c.to_digit(10).unwrap_or(0) + 1) % 10, 10).unwrap_or('0');
            }
            let wrong: String = wrong.into_iter().collect();
            assert_eq!(
                CardCode::parse(&wrong),
                Err(CardCodeError::CheckDigit),
                "{wrong}"
            );
        }
        assert_eq!(CardCode::parse("1234"), Err(CardCodeError::Length));
        assert_eq!(
            CardCode::parse("123456789012345a"),
            Err(CardCodeError::Length)
        );
        let today = NaiveDate::from_ymd_opt(2026, 12, 5).unwrap_or_default();
        let mut v = Validator::new();
        check_card_batch(&mut v, 0, 0, today, today);
        check_card_batch(
            &mut v,
            100,
            5_000,
            today.succ_opt().unwrap_or_default(),
            today,
        );
        assert_eq!(
            v.into_errors()
                .into_iter()
                .map(|e| e.field)
                .collect::<Vec<_>>(),
            ["count", "value_minor", "valid_until"]
        );
    }

    #[test]
    fn a_till_expects_its_float_and_the_cash_taken_and_records_what_is_short() {
        use PaymentMethod::{Card, Cash, Transfer};
        // A float of 200,00; cash of 61,49 and 120,00, one 50,00 cash payment reversed, a
        // card payment of 99,00, a transfer registered at the desk (not in the drawer).
        let totals = till_totals(
            20_000,
            [
                (Cash, 6_149, false),
                (Cash, 12_000, false),
                (Cash, 5_000, true),
                (Card, 9_900, false),
                (Transfer, 1_000, false),
            ],
        )
        .expect("in bounds");
        assert_eq!(
            totals,
            TillTotals {
                cash_minor: 18_149,
                card_minor: 9_900,
                payments: 5,
                expected_cash_minor: 38_149,
            }
        );
        // Counted 371,49: 10,00 short.
        assert_eq!(till_difference(37_149, 38_149), Ok(-1_000));
        assert_eq!(till_difference(38_149, 38_149), Ok(0));
        assert!(till_totals(i64::MAX, [(Cash, 1, false)]).is_err());
        let mut v = Validator::new();
        check_cash(&mut v, "float_minor", -1);
        check_cash(&mut v, "counted_minor", MAX_AMOUNT_MINOR + 1);
        check_cash(&mut v, "float_minor", 0);
        assert_eq!(
            v.into_errors()
                .into_iter()
                .map(|e| e.field)
                .collect::<Vec<_>>(),
            ["float_minor", "counted_minor"]
        );
        assert!(taken_at_till(Cash) && taken_at_till(Card) && !taken_at_till(Transfer));
    }

    proptest! {
        #[test]
        fn allocations_and_credit_add_up_to_the_amount_in_order(
            open in proptest::collection::vec(-1_000_000_i64..1_000_000, 0..12),
            amount in 0_i64..5_000_000,
        ) {
            let a = allocate(&open, amount);
            let allocated: i64 = a.allocations.iter().map(|p| p.amount_minor).sum();
            prop_assert_eq!(allocated + a.credit_minor, amount);
            prop_assert!(a.credit_minor >= 0);
            let mut last = None;
            for part in &a.allocations {
                let item_open = open.get(part.item).copied().unwrap_or(0);
                // Nothing over-allocated, nothing to an item with nothing open.
                prop_assert!(part.amount_minor > 0 && part.amount_minor <= item_open);
                // Order respected: each item once, later than the one before, and every
                // open item before it paid in full.
                prop_assert!(last.is_none_or(|l| part.item > l));
                for (before, o) in open.iter().enumerate().take(part.item) {
                    let paid: i64 = a.allocations.iter().filter(|p| p.item == before).map(|p| p.amount_minor).sum();
                    prop_assert_eq!(paid, (*o).max(0));
                }
                last = Some(part.item);
            }
            // Credit is left only when everything open is paid.
            if a.credit_minor > 0 {
                let open_total: i64 = open.iter().map(|o| (*o).max(0)).sum();
                prop_assert_eq!(allocated, open_total);
            }
        }
    }
}
