//! Day-based proration of monthly fees.
//!
//! The rounding rule: the charge for `k` days of a month of `D` days is `fee × k ÷ D`
//! rounded half up — the *cumulative* charge. The days a subscription is charged at one price
//! in a month are counted in calendar order, and a piece of them (a run between pauses, the
//! days of one tariff version) is charged the cumulative charge at its last day's count minus
//! that at the count before its first. So the month at one price costs exactly
//! `round(fee × days charged ÷ D)`, as a customer computes it, however the days are split;
//! rounding happens once per boundary, and a piece differs from its own share rounded alone by
//! at most one minor unit.

use chrono::NaiveDate;

use super::Period;
use crate::money::{div_round_half_up, to_minor};

/// The charge for the first `days` days of a month of `month_days` days.
pub fn cumulative(fee_minor: i64, days: u32, month_days: u32) -> i64 {
    let days = days.min(month_days);
    to_minor(div_round_half_up(
        i128::from(fee_minor) * i128::from(days),
        i128::from(month_days.max(1)),
    ))
}

/// The charge for the days numbered `first..=last` (1-based) of a month of `month_days` days.
pub fn days_charge(fee_minor: i64, first: u32, last: u32, month_days: u32) -> i64 {
    if last < first {
        return 0;
    }
    cumulative(fee_minor, last, month_days)
        - cumulative(fee_minor, first.saturating_sub(1), month_days)
}

/// An inclusive range of days; `to: None` runs on without end.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DayRange {
    pub from: NaiveDate,
    pub to: Option<NaiveDate>,
}

impl DayRange {
    pub fn contains(&self, day: NaiveDate) -> bool {
        self.from <= day && self.to.is_none_or(|to| day <= to)
    }
}

/// Runs of consecutive days of `period` for which `charged` holds, as 1-based inclusive day
/// numbers.
pub fn runs(period: Period, charged: impl Fn(NaiveDate) -> bool) -> Vec<(u32, u32)> {
    let mut runs = Vec::new();
    let mut open: Option<u32> = None;
    for (index, day) in period.each_day().enumerate() {
        let number = u32::try_from(index).unwrap_or(0) + 1;
        match (charged(day), open) {
            (true, None) => open = Some(number),
            (false, Some(start)) => {
                runs.push((start, number - 1));
                open = None;
            }
            _ => {}
        }
    }
    if let Some(start) = open {
        runs.push((start, period.days()));
    }
    runs
}

/// The charge of a monthly fee for the given runs of days of `period`, when these are all
/// the days charged at that price in the month.
pub fn runs_charge(fee_minor: i64, runs: &[(u32, u32)], period: Period) -> i64 {
    cumulative(fee_minor, days_in(runs), period.days())
}

/// The charge for the days `piece` (runs of day numbers), part of the days `at_price`
/// charged at one monthly fee in a month of `month_days` days: each day of the piece costs
/// what its place in the count of `at_price` adds to the cumulative charge. Days of the piece
/// outside `at_price` are not charged.
pub fn piece_charge(
    fee_minor: i64,
    at_price: &[(u32, u32)],
    piece: &[(u32, u32)],
    month_days: u32,
) -> i64 {
    let in_piece = |day: u32| piece.iter().any(|(a, b)| (*a..=*b).contains(&day));
    let mut count = 0;
    let mut charge = 0;
    for day in at_price.iter().flat_map(|(a, b)| *a..=*b) {
        count += 1;
        if in_piece(day) {
            charge += cumulative(fee_minor, count, month_days)
                - cumulative(fee_minor, count - 1, month_days);
        }
    }
    charge
}

/// How many days the runs hold.
pub fn days_in(runs: &[(u32, u32)]) -> u32 {
    runs.iter().map(|(a, b)| b.saturating_sub(*a) + 1).sum()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn worked_examples() {
        // 59,99 zł from the 17th of a 30-day month: 14 days.
        assert_eq!(days_charge(5_999, 17, 30, 30), 2_800);
        // 5 999 × 14 / 30 = 2 799.53; the first 16 days are 3 199.47 → 3 199, the rest 2 800.
        assert_eq!(
            days_charge(5_999, 1, 16, 30) + days_charge(5_999, 17, 30, 30),
            5_999
        );
        // February of a leap year: 29 days; the 10th to the 29th is 20 days of 29.
        assert_eq!(
            days_charge(2_999, 10, 29, 29),
            2_999 - cumulative(2_999, 9, 29)
        );
        assert_eq!(cumulative(2_999, 9, 29), 931);
        // A whole month is the whole fee.
        assert_eq!(days_charge(7_999, 1, 31, 31), 7_999);
        // 100,00 zł in November paused from the 11th to the 20th: 20 days of 30 are 66,67 zł,
        // as the customer computes it, and its two runs are 33,33 + 33,34.
        let charged = [(1, 10), (21, 30)];
        let period: Period = "2026-11".parse().unwrap();
        assert_eq!(runs_charge(10_000, &charged, period), 6_667);
        assert_eq!(piece_charge(10_000, &charged, &[(1, 10)], 30), 3_333);
        assert_eq!(piece_charge(10_000, &charged, &[(21, 30)], 30), 3_334);
        assert_eq!(days_charge(7_999, 5, 4, 31), 0);
    }

    #[test]
    fn finds_runs_of_charged_days() {
        let period: Period = "2026-11".parse().unwrap();
        let day = |d| NaiveDate::from_ymd_opt(2026, 11, d).unwrap();
        let paused = DayRange {
            from: day(10),
            to: Some(day(20)),
        };
        assert_eq!(
            runs(period, |d| !paused.contains(d)),
            vec![(1, 9), (21, 30)]
        );
        assert_eq!(runs(period, |d| d >= day(17)), vec![(17, 30)]);
        assert_eq!(runs(period, |_| false), vec![]);
    }

    proptest! {
        #[test]
        fn the_parts_of_any_split_month_add_up_to_the_fee(
            fee in 0i64..10_000_000,
            month_days in 28u32..=31,
            cuts in proptest::collection::btree_set(1u32..31, 0..8),
        ) {
            let mut bounds: Vec<u32> = cuts.into_iter().filter(|c| *c < month_days).collect();
            bounds.push(month_days);
            let mut first = 1;
            let mut total = 0;
            for last in bounds {
                let part = days_charge(fee, first, last, month_days);
                // A part is its exact share, give or take one minor unit.
                let exact = fee as f64 * f64::from(last - first + 1) / f64::from(month_days);
                prop_assert!((part as f64 - exact).abs() <= 1.0);
                total += part;
                first = last + 1;
            }
            prop_assert_eq!(total, fee);
        }

        #[test]
        fn a_change_of_fee_charges_each_fee_for_its_own_days(
            old_fee in 0i64..1_000_000,
            new_fee in 0i64..1_000_000,
            month_days in 28u32..=31,
            change in 2u32..=31,
        ) {
            let change = change.min(month_days);
            let before = [(1, change - 1)];
            let after = [(change, month_days)];
            // Each side is its fee's share of its own days, rounded once.
            prop_assert_eq!(piece_charge(old_fee, &before, &before, month_days), cumulative(old_fee, change - 1, month_days));
            prop_assert_eq!(piece_charge(new_fee, &after, &after, month_days), cumulative(new_fee, month_days - change + 1, month_days));
            // With the same fee on both sides (a new version of one price), the days are one
            // count: nothing is gained or lost by the change.
            let whole = [(1, month_days)];
            prop_assert_eq!(
                piece_charge(old_fee, &whole, &before, month_days) + piece_charge(old_fee, &whole, &after, month_days),
                old_fee
            );
        }

        #[test]
        fn paused_days_are_not_charged(
            fee in 1i64..1_000_000,
            from in 1u32..=28,
            length in 0u32..20,
        ) {
            let period: Period = "2026-11".parse().unwrap();
            let day = |d: u32| NaiveDate::from_ymd_opt(2026, 11, d.min(30)).unwrap();
            let pause = DayRange { from: day(from), to: Some(day(from + length)) };
            let charged = runs(period, |d| !pause.contains(d));
            let paused = runs(period, |d| pause.contains(d));
            prop_assert_eq!(days_in(&charged) + days_in(&paused), 30);
            prop_assert_eq!(piece_charge(fee, &charged, &paused, 30), 0);
            prop_assert!(runs_charge(fee, &charged, period) <= fee);
        }

        /// whatever pauses leave and however the charged days are split (between
        /// pauses, between versions of one price, billed in any order), the pieces add up to
        /// the fee times the days charged over the days of the month, rounded once.
        #[test]
        fn the_pieces_of_a_month_at_one_price_add_up_to_its_days_share(
            fee in 0i64..10_000_000,
            month_days in 28u32..=31,
            paused in proptest::collection::btree_set(1u32..=31, 0..20),
            cuts in proptest::collection::btree_set(1usize..31, 0..6),
        ) {
            let charged_days: Vec<u32> = (1..=month_days).filter(|d| !paused.contains(d)).collect();
            let at_price = as_runs(&charged_days);
            // The charged days cut into pieces in their order (versions follow each other in
            // time); a piece may hold days on both sides of a pause.
            let mut bounds: Vec<usize> = cuts.into_iter().filter(|c| *c < charged_days.len()).collect();
            bounds.push(charged_days.len());
            let mut pieces = Vec::new();
            let mut start = 0;
            for end in bounds {
                pieces.push(as_runs(charged_days.get(start..end).unwrap_or_default()));
                start = end;
            }
            let whole = to_minor(div_round_half_up(
                i128::from(fee) * i128::from(days_in(&at_price)),
                i128::from(month_days),
            ));
            let mut total = 0;
            for piece in pieces.iter().rev() {
                let part = piece_charge(fee, &at_price, piece, month_days);
                let exact = fee as f64 * f64::from(days_in(piece)) / f64::from(month_days);
                prop_assert!((part as f64 - exact).abs() <= 1.0);
                total += part;
            }
            prop_assert_eq!(total, whole);
            prop_assert_eq!(cumulative(fee, days_in(&at_price), month_days), whole);
        }
    }

    /// Day numbers in ascending order as runs of consecutive days.
    fn as_runs(days: &[u32]) -> Vec<(u32, u32)> {
        let mut runs: Vec<(u32, u32)> = Vec::new();
        for day in days {
            match runs.last_mut() {
                Some((_, last)) if *last + 1 == *day => *last = *day,
                _ => runs.push((*day, *day)),
            }
        }
        runs
    }
}
