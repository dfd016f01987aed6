//! Day-based proration of monthly fees.
//!
//! The rounding rule: the charge for the first `k` days of a month of `D` days is
//! `fee × k ÷ D` rounded half up — the *cumulative* charge. The charge for days `a..=b` is
//! the cumulative charge at `b` minus the cumulative charge at `a − 1`. Rounding happens once
//! per boundary, so the parts of any split of a month add up to the whole fee exactly, and a
//! part differs from its own share rounded alone by at most one minor unit.

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

/// The charge of a monthly fee for the given runs of days of `period`.
pub fn runs_charge(fee_minor: i64, runs: &[(u32, u32)], period: Period) -> i64 {
    runs.iter()
        .map(|(first, last)| days_charge(fee_minor, *first, *last, period.days()))
        .sum()
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
        fn a_change_of_fee_charges_every_day_once(
            old_fee in 0i64..1_000_000,
            new_fee in 0i64..1_000_000,
            month_days in 28u32..=31,
            change in 1u32..=31,
        ) {
            let change = change.min(month_days);
            let before = days_charge(old_fee, 1, change - 1, month_days);
            let after = days_charge(new_fee, change, month_days, month_days);
            // Each side equals what a whole month at its fee charges for its own days.
            prop_assert_eq!(before, cumulative(old_fee, change - 1, month_days));
            prop_assert_eq!(after, new_fee - cumulative(new_fee, change - 1, month_days));
            // With the same fee on both sides, nothing is gained or lost by the change.
            prop_assert_eq!(
                days_charge(old_fee, 1, change - 1, month_days) + days_charge(old_fee, change, month_days, month_days),
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
            let charged_days: u32 = charged.iter().map(|(a, b)| b - a + 1).sum();
            let paused_days: u32 = paused.iter().map(|(a, b)| b - a + 1).sum();
            prop_assert_eq!(charged_days + paused_days, 30);
            prop_assert_eq!(runs_charge(fee, &charged, period) + runs_charge(fee, &paused, period), fee);
            prop_assert!(runs_charge(fee, &charged, period) <= fee);
        }
    }
}
