//! Prepaid services: charged day by day from the balance while it covers them.

use chrono::NaiveDate;

use super::Period;
use super::proration::days_charge;
use crate::money::vat;

/// What one day of a prepaid tariff costs: the day's part of the monthly fee by the
/// cumulative rule of [`super::proration`] (so a month's days add up to the fee), with its VAT
/// rounded on the day.
pub fn day_charge(monthly_fee_minor: i64, vat_rate_bp: i32, day: NaiveDate) -> DayCharge {
    let period = Period::of(day);
    let number = period.day_number(day);
    let net_minor = days_charge(monthly_fee_minor, number, number, period.days());
    let vat_minor = vat(net_minor, vat_rate_bp);
    DayCharge {
        net_minor,
        vat_minor,
        gross_minor: net_minor + vat_minor,
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DayCharge {
    pub net_minor: i64,
    pub vat_minor: i64,
    pub gross_minor: i64,
}

/// The last day a balance of `balance_minor` pays for, charging `daily(day)` each day from
/// `from` on; `None` when it does not pay for `from` itself. Looks at most `horizon_days`
/// ahead: a balance lasting longer returns the horizon's last day.
pub fn covered_until(
    balance_minor: i64,
    from: NaiveDate,
    horizon_days: u32,
    daily: impl Fn(NaiveDate) -> i64,
) -> Option<NaiveDate> {
    let mut left = balance_minor;
    let mut last = None;
    for day in from.iter_days().take(horizon_days as usize) {
        let cost = daily(day);
        if cost > left {
            break;
        }
        left -= cost;
        last = Some(day);
    }
    last
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, m, d).unwrap()
    }

    #[test]
    fn a_month_of_days_costs_the_monthly_fee() {
        let net: i64 = Period::of(day(11, 1))
            .each_day()
            .map(|d| day_charge(3_999, 2300, d).net_minor)
            .sum();
        assert_eq!(net, 3_999);
        // 39,99 zł / 30 days: 1,33 zł or 1,34 zł a day, 1,64 zł or 1,65 zł with VAT.
        assert_eq!(
            day_charge(3_999, 2300, day(11, 1)),
            DayCharge {
                net_minor: 133,
                vat_minor: 31,
                gross_minor: 164
            }
        );
    }

    #[test]
    fn finds_the_day_the_balance_runs_out() {
        let daily = |_| 164;
        assert_eq!(
            covered_until(1_000, day(11, 23), 365, daily),
            Some(day(11, 28))
        );
        assert_eq!(
            covered_until(164, day(11, 23), 365, daily),
            Some(day(11, 23))
        );
        assert_eq!(covered_until(163, day(11, 23), 365, daily), None);
        assert_eq!(
            covered_until(1_000_000, day(11, 23), 10, daily),
            Some(day(12, 2))
        );
    }
}
