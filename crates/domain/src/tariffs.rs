//! The price list (R-10, R-11): tariffs with versions; a version has an effective date, a
//! monthly fee, one-off fees, usage rates with a free allowance and optional tiers, a VAT
//! rate and a currency.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::money::{
    AmountTooLarge, MAX_AMOUNT_MINOR, checked_minor, div_round_half_up, is_valid_currency,
    is_valid_vat_rate,
};
use crate::validation::{FieldErrorCode, Validator};

wire_enum! {
    /// What a tariff sells.
    pub enum ServiceKind {
        Internet,
        Tv,
        Phone,
        Electricity,
        Gas,
        Water,
        Other,
    }
}

impl ServiceKind {
    /// The unit a utility's meter counts in; `None` for services without a meter, whose
    /// usage arrives as events.
    pub fn meter_unit(self) -> Option<UsageUnit> {
        match self {
            Self::Electricity => Some(UsageUnit::Kwh),
            Self::Gas | Self::Water => Some(UsageUnit::M3),
            Self::Internet | Self::Tv | Self::Phone | Self::Other => None,
        }
    }

    /// Whether a subscription of this kind needs a meter's number.
    pub fn is_metered(self) -> bool {
        self.meter_unit().is_some()
    }
}

wire_enum! {
    /// Units usage is measured in.
    pub enum UsageUnit {
        /// Gigabytes of traffic.
        Gb,
        Minute,
        Sms,
        /// Kilowatt-hours, read from a meter.
        Kwh,
        /// Cubic metres, read from a meter.
        M3,
    }
}

wire_enum! {
    /// One-off fees charged with the first invoice of a subscription.
    pub enum FeeKind {
        Installation,
        Activation,
        Other,
    }
}

/// Quantities are kept in thousandths of their unit (0.001 kWh), so meter readings and
/// traffic are exact integers.
pub const MILLI: i128 = 1_000;
/// Unit prices are kept in ten-thousandths of the currency unit (0.7891 zł/kWh is 7 891), the
/// precision energy price lists use; one minor unit is 100 of them.
pub const PRICE_SCALE_PER_MINOR: i128 = 100;

/// A price band of a usage rate: units up to `up_to_milli` in the month (`None`: all the rest)
/// cost `price_e4` each.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Tier {
    /// Upper bound of the band, in thousandths of the unit, counted over the month.
    #[cfg_attr(
        feature = "openapi",
        schema(minimum = 1, maximum = 1_000_000_000_000_i64)
    )]
    pub up_to_milli: Option<i64>,
    /// Price per unit in ten-thousandths of the currency unit.
    #[cfg_attr(feature = "openapi", schema(minimum = 0, maximum = 1_000_000_000))]
    pub price_e4: i64,
}

/// How usage of one unit is priced.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UsageRate {
    pub unit: UsageUnit,
    /// Price per unit in ten-thousandths of the currency unit, where there are no tiers.
    #[cfg_attr(feature = "openapi", schema(minimum = 0, maximum = 1_000_000_000))]
    pub price_e4: i64,
    /// Units free each month, in thousandths of the unit.
    #[serde(default)]
    #[cfg_attr(
        feature = "openapi",
        schema(minimum = 0, maximum = 1_000_000_000_000_i64)
    )]
    pub free_allowance_milli: i64,
    /// Price bands, ascending; when given they replace `price_e4`.
    #[serde(default)]
    pub tiers: Vec<Tier>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OneOffFee {
    pub kind: FeeKind,
    #[cfg_attr(
        feature = "openapi",
        schema(
            min_length = 1,
            max_length = 100,
            pattern = r"[^\t-\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]"
        )
    )]
    pub name: String,
    /// Net amount in minor units; at most 100 000 000.00.
    #[cfg_attr(feature = "openapi", schema(minimum = 0, maximum = 10_000_000_000_i64))]
    pub amount_minor: i64,
}

/// What is wrong with a tariff version.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TariffError {
    #[error("a fee is between 0 and 100 000 000.00")]
    FeeOutOfRange,
    #[error("the VAT rate must be one of 23 %, 8 %, 5 % or 0 %")]
    VatRate,
    #[error("unknown currency")]
    Currency,
    #[error("a unit is priced twice")]
    DuplicateUnit,
    #[error(
        "a unit price is between 0 and 100 000.0000, an allowance or band between 0 and a billion units"
    )]
    RateOutOfRange,
    #[error("tiers must rise, and only the last may be open-ended")]
    Tiers,
    #[error("a new version takes effect today or later: the past is billed already")]
    EffectiveInThePast,
    #[error("a version with this effective date exists")]
    DuplicateDate,
}

/// The largest unit price: 100 000 in the currency, in ten-thousandths.
pub const MAX_UNIT_PRICE_E4: i64 = 1_000_000_000;
/// The largest quantity one usage record, reading, allowance or band may have: a billion
/// units, in thousandths.
pub const MAX_QUANTITY_MILLI: i64 = 1_000_000_000_000;

/// Checks a usage rate.
pub fn check_rate(rate: &UsageRate) -> Result<(), TariffError> {
    let price = |p: i64| (0..=MAX_UNIT_PRICE_E4).contains(&p);
    let quantity = |q: i64| (0..=MAX_QUANTITY_MILLI).contains(&q);
    if !price(rate.price_e4)
        || !quantity(rate.free_allowance_milli)
        || rate
            .tiers
            .iter()
            .any(|t| !price(t.price_e4) || !t.up_to_milli.is_none_or(quantity))
    {
        return Err(TariffError::RateOutOfRange);
    }
    let mut previous = 0;
    for (index, tier) in rate.tiers.iter().enumerate() {
        let last = index + 1 == rate.tiers.len();
        match tier.up_to_milli {
            Some(bound) if bound > previous => previous = bound,
            None if last => {}
            _ => return Err(TariffError::Tiers),
        }
    }
    Ok(())
}

/// Checks the money of a version.
pub fn check_version(
    monthly_fee_minor: i64,
    fees: &[OneOffFee],
    rates: &[UsageRate],
    vat_rate_bp: i32,
    currency: &str,
) -> Result<(), TariffError> {
    let fee = |amount: i64| (0..=MAX_AMOUNT_MINOR).contains(&amount);
    if !fee(monthly_fee_minor) || !fees.iter().all(|f| fee(f.amount_minor)) {
        return Err(TariffError::FeeOutOfRange);
    }
    if !is_valid_vat_rate(vat_rate_bp) {
        return Err(TariffError::VatRate);
    }
    if !is_valid_currency(currency) {
        return Err(TariffError::Currency);
    }
    for (i, rate) in rates.iter().enumerate() {
        check_rate(rate)?;
        if rates
            .iter()
            .skip(i + 1)
            .any(|other| other.unit == rate.unit)
        {
            return Err(TariffError::DuplicateUnit);
        }
    }
    Ok(())
}

/// R-10: a new version takes effect today or later; the past is billed already.
pub fn check_effective_from(
    v: &mut Validator,
    field: &str,
    effective_from: NaiveDate,
    today: NaiveDate,
) {
    if effective_from < today {
        v.fail(
            field,
            FieldErrorCode::InPast,
            TariffError::EffectiveInThePast,
        );
    }
}

/// Which of the versions (by effective date) is in force on `day`: the latest that took
/// effect on or before it.
pub fn version_in_force<T>(
    versions: &[T],
    effective_from: impl Fn(&T) -> NaiveDate,
    day: NaiveDate,
) -> Option<&T> {
    versions
        .iter()
        .filter(|v| effective_from(v) <= day)
        .max_by_key(|v| effective_from(v))
}

/// The price, in ten-thousandths of the currency unit times thousandths of the unit, of
/// `quantity_milli` units that start at position `used_milli` in the month, under `rate`.
/// Exact; the caller rounds the sum of a line once with [`priced_to_minor`].
pub fn price_units(rate: &UsageRate, used_milli: i64, quantity_milli: i64) -> i128 {
    let start = i128::from(used_milli.max(0));
    let end = start + i128::from(quantity_milli.max(0));
    let free_end = i128::from(rate.free_allowance_milli).min(end).max(start);
    let mut total = 0_i128;
    let mut position = free_end;
    // Quantities and prices are i64, so one product fits i128 with room to spare; the sum of
    // a few bands saturates rather than wraps, and the line's conversion refuses it.
    if rate.tiers.is_empty() {
        return (end - position).saturating_mul(i128::from(rate.price_e4));
    }
    let mut band_start = 0_i128;
    for tier in &rate.tiers {
        let band_end = tier.up_to_milli.map_or(i128::MAX, i128::from);
        let from = position.max(band_start);
        let to = end.min(band_end);
        if to > from {
            total = total.saturating_add((to - from).saturating_mul(i128::from(tier.price_e4)));
            position = to;
        }
        band_start = band_end;
        if position >= end {
            break;
        }
    }
    total
}

/// An exact usage price (see [`price_units`]) rounded once to minor units; beyond an
/// amount, [`AmountTooLarge`].
pub fn priced_to_minor(priced: i128) -> Result<i64, AmountTooLarge> {
    checked_minor(div_round_half_up(priced, MILLI * PRICE_SCALE_PER_MINOR))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn utilities_are_metered_in_their_units() {
        let metered: Vec<_> = ServiceKind::all()
            .filter_map(|kind| Some((kind, kind.meter_unit()?)))
            .collect();
        assert_eq!(
            metered,
            [
                (ServiceKind::Electricity, UsageUnit::Kwh),
                (ServiceKind::Gas, UsageUnit::M3),
                (ServiceKind::Water, UsageUnit::M3),
            ]
        );
        assert!(!ServiceKind::Internet.is_metered());
    }

    fn energy() -> UsageRate {
        UsageRate {
            unit: UsageUnit::Kwh,
            price_e4: 0,
            free_allowance_milli: 0,
            tiers: vec![
                Tier {
                    up_to_milli: Some(100_000),
                    price_e4: 6_000,
                },
                Tier {
                    up_to_milli: None,
                    price_e4: 9_000,
                },
            ],
        }
    }

    #[test]
    fn usage_is_priced_by_band_after_the_allowance() {
        let data = UsageRate {
            unit: UsageUnit::Gb,
            price_e4: 20_000,
            free_allowance_milli: 50_000,
            tiers: vec![],
        };
        // 60 GB, 50 free: 10 × 2.00 zł = 20.00 zł.
        assert_eq!(priced_to_minor(price_units(&data, 0, 60_000)), Ok(2_000));
        // 120 kWh: 100 × 0.60 + 20 × 0.90 = 78.00 zł.
        assert_eq!(
            priced_to_minor(price_units(&energy(), 0, 120_000)),
            Ok(7_800)
        );
        // The same 120 kWh in two readings cost the same.
        let split = price_units(&energy(), 0, 70_000) + price_units(&energy(), 70_000, 50_000);
        assert_eq!(priced_to_minor(split), Ok(7_800));
        // 0.333 kWh at 0.6543 zł: 0.2178819 zł → 0.22 zł.
        let fine = UsageRate {
            unit: UsageUnit::Kwh,
            price_e4: 6_543,
            free_allowance_milli: 0,
            tiers: vec![],
        };
        assert_eq!(priced_to_minor(price_units(&fine, 0, 333)), Ok(22));
    }

    #[test]
    fn rates_and_versions_are_checked() {
        assert_eq!(check_rate(&energy()), Ok(()));
        let falling = UsageRate {
            tiers: vec![
                Tier {
                    up_to_milli: Some(10),
                    price_e4: 1,
                },
                Tier {
                    up_to_milli: Some(5),
                    price_e4: 1,
                },
            ],
            ..energy()
        };
        assert_eq!(check_rate(&falling), Err(TariffError::Tiers));
        let open_middle = UsageRate {
            tiers: vec![
                Tier {
                    up_to_milli: None,
                    price_e4: 1,
                },
                Tier {
                    up_to_milli: Some(5),
                    price_e4: 1,
                },
            ],
            ..energy()
        };
        assert_eq!(check_rate(&open_middle), Err(TariffError::Tiers));
        assert_eq!(check_version(5_999, &[], &[], 2300, "PLN"), Ok(()));
        assert_eq!(
            check_version(5_999, &[], &[], 2200, "PLN"),
            Err(TariffError::VatRate)
        );
        assert_eq!(
            check_version(-1, &[], &[], 2300, "PLN"),
            Err(TariffError::FeeOutOfRange)
        );
        assert_eq!(
            check_version(i64::MAX, &[], &[], 2300, "PLN"),
            Err(TariffError::FeeOutOfRange)
        );
        assert_eq!(
            check_version(MAX_AMOUNT_MINOR, &[], &[], 2300, "PLN"),
            Ok(())
        );
        let priceless = UsageRate {
            price_e4: MAX_UNIT_PRICE_E4 + 1,
            ..energy()
        };
        assert_eq!(check_rate(&priceless), Err(TariffError::RateOutOfRange));
        let endless = UsageRate {
            free_allowance_milli: MAX_QUANTITY_MILLI + 1,
            ..energy()
        };
        assert_eq!(check_rate(&endless), Err(TariffError::RateOutOfRange));
        assert_eq!(
            check_version(1, &[], &[energy(), energy()], 2300, "PLN"),
            Err(TariffError::DuplicateUnit)
        );
    }

    #[test]
    fn the_latest_version_in_effect_applies() {
        let d = |m, day| NaiveDate::from_ymd_opt(2026, m, day).unwrap();
        let versions = [d(1, 1), d(7, 1), d(12, 1)];
        assert_eq!(
            version_in_force(&versions, |v| *v, d(6, 30)),
            Some(&d(1, 1))
        );
        assert_eq!(version_in_force(&versions, |v| *v, d(7, 1)), Some(&d(7, 1)));
        assert_eq!(
            version_in_force(&versions, |v| *v, d(11, 30)),
            Some(&d(7, 1))
        );
        assert_eq!(
            version_in_force(
                &versions,
                |v| *v,
                NaiveDate::from_ymd_opt(2025, 12, 31).unwrap()
            ),
            None
        );
    }

    proptest! {
        #[test]
        fn splitting_usage_never_changes_its_exact_price(parts in proptest::collection::vec(0i64..80_000, 1..8)) {
            let total: i64 = parts.iter().sum();
            let mut used = 0;
            let mut priced = 0;
            for part in &parts {
                priced += price_units(&energy(), used, *part);
                used += part;
            }
            prop_assert_eq!(priced, price_units(&energy(), 0, total));
        }
    }
}
