//! Online payments: a subscriber pays an invoice or tops up the account at the payment
//! gateway. The server decides what is paid for and how much; the gateway's signed word that
//! the money arrived registers the payment, never the browser coming back from it.

use crate::money::MAX_AMOUNT_MINOR;
use crate::validation::{FieldErrorCode, Validator};

wire_enum! {
    /// What an online payment is for.
    pub enum CheckoutPurpose {
        /// What is still to pay of one of the customer's invoices.
        Invoice,
        /// An amount the subscriber chose, kept as credit (a prepaid balance, the next invoice).
        TopUp,
    }
}

wire_enum! {
    /// Where an online payment stands, as far as the gateway has told.
    pub enum CheckoutStatus {
        /// Started; the subscriber is at the gateway or left it without paying.
        Open,
        /// The gateway confirmed the money: the payment is registered.
        Paid,
        /// The gateway's page expired unpaid.
        Expired,
        /// The gateway reported the payment failed, or could not be reached to start it.
        Failed,
    }
}

/// What a gateway's notification says became of a checkout.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GatewayOutcome {
    /// The money arrived.
    Paid,
    /// Finished at the gateway, the money still on its way (a bank transfer behind the card).
    Pending,
    Expired,
    Failed,
}

/// The least a top-up may be: gateways charge a fixed fee that makes smaller sums pointless.
pub const MIN_TOP_UP_MINOR: i64 = 100;
/// The most a top-up may be: a month of any tariff many times over, and within card limits.
pub const MAX_TOP_UP_MINOR: i64 = 1_000_000;

/// How long the gateway keeps a checkout page open: Stripe allows 30 minutes to 24 hours.
pub const CHECKOUT_LIFETIME_MINUTES: i64 = 60;

/// The status a checkout takes after `outcome`, or `None` when it stays as it is. Paid is
/// final; a payment reported after the page expired or failed still happened, so it counts —
/// notifications come out of order and late, and money received is never ignored.
pub fn next_status(current: CheckoutStatus, outcome: GatewayOutcome) -> Option<CheckoutStatus> {
    match (current, outcome) {
        (CheckoutStatus::Paid, _) | (_, GatewayOutcome::Pending) => None,
        (_, GatewayOutcome::Paid) => Some(CheckoutStatus::Paid),
        (CheckoutStatus::Open, GatewayOutcome::Expired) => Some(CheckoutStatus::Expired),
        (CheckoutStatus::Open, GatewayOutcome::Failed) => Some(CheckoutStatus::Failed),
        (CheckoutStatus::Expired | CheckoutStatus::Failed, _) => None,
    }
}

/// A top-up the subscriber asks for: within [`MIN_TOP_UP_MINOR`]..=[`MAX_TOP_UP_MINOR`].
pub fn check_top_up(v: &mut Validator, field: &str, amount_minor: i64) {
    if !(MIN_TOP_UP_MINOR..=MAX_TOP_UP_MINOR.min(MAX_AMOUNT_MINOR)).contains(&amount_minor) {
        v.fail(
            field,
            FieldErrorCode::OutOfRange,
            "a top-up is 1.00 to 10 000.00",
        );
    }
}

/// Whether a notification signed at `signed_at` (seconds since the epoch) is fresh at `now`:
/// within `tolerance_seconds` either way. A stale one may be a recorded delivery played back;
/// one from the future is a clock out of step or a forgery.
pub fn signature_fresh(signed_at: i64, now: i64, tolerance_seconds: i64) -> bool {
    now.checked_sub(signed_at).is_some_and(|age| {
        age.checked_abs()
            .is_some_and(|age| age <= tolerance_seconds)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use CheckoutStatus::{Expired, Failed, Open, Paid};

    #[test]
    fn paid_is_final_and_late_money_still_counts() {
        assert_eq!(next_status(Open, GatewayOutcome::Paid), Some(Paid));
        assert_eq!(next_status(Open, GatewayOutcome::Expired), Some(Expired));
        assert_eq!(next_status(Open, GatewayOutcome::Failed), Some(Failed));
        assert_eq!(next_status(Open, GatewayOutcome::Pending), None);
        for outcome in [
            GatewayOutcome::Paid,
            GatewayOutcome::Pending,
            GatewayOutcome::Expired,
            GatewayOutcome::Failed,
        ] {
            assert_eq!(next_status(Paid, outcome), None, "{outcome:?} after paid");
        }
        assert_eq!(next_status(Expired, GatewayOutcome::Paid), Some(Paid));
        assert_eq!(next_status(Failed, GatewayOutcome::Paid), Some(Paid));
        assert_eq!(next_status(Expired, GatewayOutcome::Failed), None);
        assert_eq!(next_status(Failed, GatewayOutcome::Expired), None);
    }

    #[test]
    fn top_ups_are_bounded() {
        for (amount, ok) in [
            (0, false),
            (99, false),
            (100, true),
            (1_000_000, true),
            (1_000_001, false),
            (-500, false),
            (i64::MAX, false),
        ] {
            let mut v = Validator::new();
            check_top_up(&mut v, "amount_minor", amount);
            assert_eq!(v.finish().is_ok(), ok, "{amount}");
        }
    }

    #[test]
    fn signatures_are_fresh_within_the_tolerance_either_way() {
        let now = 1_800_000_000;
        assert!(signature_fresh(now, now, 300));
        assert!(signature_fresh(now - 300, now, 300));
        assert!(!signature_fresh(now - 301, now, 300));
        assert!(signature_fresh(now + 300, now, 300));
        assert!(!signature_fresh(now + 301, now, 300));
        assert!(!signature_fresh(i64::MIN, now, 300));
        assert!(!signature_fresh(i64::MAX, -2, 300));
    }
}
