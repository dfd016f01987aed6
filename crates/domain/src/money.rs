//! Exact money: amounts are integer minor units (grosze, kopecks) with a currency;
//! rounding happens once per invoice line, half away from zero, so a correction of a line
//! rounds to exactly the negative of the line.

/// `numerator / denominator` rounded half away from zero. `denominator` must be positive.
pub fn div_round_half_up(numerator: i128, denominator: i128) -> i128 {
    let denominator = denominator.max(1);
    let quotient = numerator / denominator;
    let remainder = numerator % denominator;
    if remainder.abs() * 2 >= denominator {
        quotient + numerator.signum()
    } else {
        quotient
    }
}

/// Saturating conversion, for values that cannot exceed their inputs (a share of an amount).
pub fn to_minor(value: i128) -> i64 {
    i64::try_from(value).unwrap_or(if value < 0 { i64::MIN } else { i64::MAX })
}

/// The largest amount a single price, fee, correction or benefit may have: 100 million in
/// the currency. The API refuses more; sums of many of them are checked, never wrapped.
pub const MAX_AMOUNT_MINOR: i64 = 10_000_000_000;

/// A sum beyond what an amount can hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("the amounts add up to more than an amount can hold")]
pub struct AmountTooLarge;

/// `a + b`, or [`AmountTooLarge`].
pub fn add(a: i64, b: i64) -> Result<i64, AmountTooLarge> {
    a.checked_add(b).ok_or(AmountTooLarge)
}

/// `a - b`, or [`AmountTooLarge`].
pub fn sub(a: i64, b: i64) -> Result<i64, AmountTooLarge> {
    a.checked_sub(b).ok_or(AmountTooLarge)
}

/// An exact amount in minor units as `i64`, or [`AmountTooLarge`].
pub fn checked_minor(value: i128) -> Result<i64, AmountTooLarge> {
    i64::try_from(value).map_err(|_| AmountTooLarge)
}

/// Basis points in one whole: 2300 bp = 23 %.
pub const BASIS_POINTS: i128 = 10_000;

/// The VAT on a net amount at `rate_bp` basis points, rounded once. A rate is at most 100 %,
/// so the VAT is never larger than the net amount.
pub fn vat(net_minor: i64, rate_bp: i32) -> i64 {
    to_minor(div_round_half_up(
        i128::from(net_minor) * i128::from(rate_bp),
        BASIS_POINTS,
    ))
}

/// VAT rates that may be set on tariffs and products: the Polish 23 %, 8 %, 5 % and 0 %.
pub const VAT_RATES_BP: [i32; 4] = [2300, 800, 500, 0];

pub fn is_valid_vat_rate(rate_bp: i32) -> bool {
    VAT_RATES_BP.contains(&rate_bp)
}

/// ISO 4217 codes the system bills in.
pub const CURRENCIES: [&str; 4] = ["PLN", "EUR", "USD", "RUB"];

pub fn is_valid_currency(code: &str) -> bool {
    CURRENCIES.contains(&code)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn rounds_half_away_from_zero() {
        assert_eq!(div_round_half_up(5, 10), 1);
        assert_eq!(div_round_half_up(4, 10), 0);
        assert_eq!(div_round_half_up(-5, 10), -1);
        assert_eq!(div_round_half_up(-4, 10), 0);
        assert_eq!(div_round_half_up(15, 10), 2);
        assert_eq!(div_round_half_up(25, 10), 3);
    }

    #[test]
    fn vat_is_rounded_once_half_up() {
        assert_eq!(vat(10_000, 2300), 2_300);
        assert_eq!(vat(4_999, 2300), 1_150); // 1149.77
        assert_eq!(vat(50, 2300), 12); // 11.5 → 12
        assert_eq!(vat(-50, 2300), -12);
        assert_eq!(vat(1_234, 0), 0);
    }

    proptest! {
        #[test]
        fn the_vat_of_a_correction_negates_the_vat_of_the_line(net in -1_000_000_000i64..1_000_000_000, rate in prop::sample::select(VAT_RATES_BP.to_vec())) {
            prop_assert_eq!(vat(-net, rate), -vat(net, rate));
            let exact = net as f64 * f64::from(rate) / 10_000.0;
            prop_assert!((vat(net, rate) as f64 - exact).abs() <= 0.5);
        }
    }
}
