//! Statutory discounts of household customers: a percentage of the monthly fees or a
//! fixed amount off each month, valid for a period and backed by a document.

use chrono::NaiveDate;

use crate::money::MAX_AMOUNT_MINOR;

wire_enum! {
    pub enum BenefitKind {
        /// A share of the monthly fees, in basis points.
        Percent,
        /// A net amount off each month, in minor units.
        Fixed,
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BenefitError {
    #[error("a percentage benefit is between 0.01 % and 100 %")]
    Percent,
    #[error("a fixed benefit is a positive amount of at most 100 000 000.00")]
    Amount,
    #[error("a benefit ends on or after the day it starts")]
    Period,
}

/// Checks the value and period of a benefit.
pub fn check(
    kind: BenefitKind,
    percent_bp: Option<i32>,
    amount_minor: Option<i64>,
    valid_from: NaiveDate,
    valid_to: Option<NaiveDate>,
) -> Result<(), BenefitError> {
    match kind {
        BenefitKind::Percent if percent_bp.is_none_or(|p| !(1..=10_000).contains(&p)) => {
            return Err(BenefitError::Percent);
        }
        BenefitKind::Fixed if amount_minor.is_none_or(|a| !(1..=MAX_AMOUNT_MINOR).contains(&a)) => {
            return Err(BenefitError::Amount);
        }
        _ => {}
    }
    if valid_to.is_some_and(|to| to < valid_from) {
        return Err(BenefitError::Period);
    }
    Ok(())
}

/// Whether the benefit holds on `day`.
pub fn holds_on(valid_from: NaiveDate, valid_to: Option<NaiveDate>, day: NaiveDate) -> bool {
    valid_from <= day && valid_to.is_none_or(|to| day <= to)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, m, d).unwrap()
    }

    #[test]
    fn checks_value_and_period() {
        assert_eq!(
            check(BenefitKind::Percent, Some(5_000), None, day(1, 1), None),
            Ok(())
        );
        assert_eq!(
            check(BenefitKind::Percent, Some(0), None, day(1, 1), None),
            Err(BenefitError::Percent)
        );
        assert_eq!(
            check(BenefitKind::Percent, Some(10_001), None, day(1, 1), None),
            Err(BenefitError::Percent)
        );
        assert_eq!(
            check(BenefitKind::Fixed, None, Some(0), day(1, 1), None),
            Err(BenefitError::Amount)
        );
        assert_eq!(
            check(
                BenefitKind::Fixed,
                None,
                Some(1_000),
                day(3, 1),
                Some(day(2, 28))
            ),
            Err(BenefitError::Period)
        );
    }

    #[test]
    fn holds_within_its_period_inclusive() {
        assert!(holds_on(day(3, 1), Some(day(3, 31)), day(3, 31)));
        assert!(!holds_on(day(3, 1), Some(day(3, 31)), day(4, 1)));
        assert!(holds_on(day(3, 1), None, day(12, 31)));
        assert!(!holds_on(day(3, 1), None, day(2, 28)));
    }
}
