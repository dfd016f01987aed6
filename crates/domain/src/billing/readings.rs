//! Meter readings: a meter counts up; a lower value is a new meter and must say so;
//! readings come in order; and a reading adding far more than a household or a firm could
//! have used is a typo, not consumption.

use chrono::{DateTime, Duration, NaiveDate, Utc};

use crate::tariffs::{MAX_QUANTITY_MILLI, MILLI, UsageUnit};
use crate::validation::{FieldErrorCode, Validator};

/// Meters' clocks drift; a reading "in the future" by less than this is accepted.
pub const CLOCK_SKEW_MINUTES: i64 = 5;

/// How long after it happened usage is accepted. Records arrive late — mediation
/// delays, roaming records weeks later — and go on the customer's next invoice; older ones
/// are refused, so a month is not reopened without end.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LateUsageWindow {
    pub days: u32,
}

impl Default for LateUsageWindow {
    fn default() -> Self {
        Self { days: 90 }
    }
}

impl LateUsageWindow {
    /// The longest window an operator may set.
    pub const MAX_DAYS: u32 = 366;

    /// The oldest month whose usage the invoice of `period` may still bill as late: no
    /// record older than the longest window is taken, so none older waits to be billed.
    pub fn oldest_month(period: super::Period) -> super::Period {
        super::Period::of(period.first_day() - Duration::days(i64::from(Self::MAX_DAYS)))
    }

    /// The first day whose usage is accepted on `today`.
    pub fn earliest(self, today: NaiveDate) -> NaiveDate {
        today - Duration::days(i64::from(self.days))
    }

    /// Refuses usage of `occurred_on` (at `field`) when it is older than the window.
    pub fn check(self, v: &mut Validator, field: &str, occurred_on: NaiveDate, today: NaiveDate) {
        let earliest = self.earliest(today);
        if occurred_on < earliest {
            v.fail(
                field,
                FieldErrorCode::TooOld,
                format!(
                    "usage is accepted up to {} days after it happened: from {earliest} on",
                    self.days
                ),
            );
        }
    }
}

/// What usage and readings are held to: how much one reading may add, and how late usage
/// may come.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct UsageRules {
    pub ceiling: ConsumptionCeiling,
    pub late: LateUsageWindow,
}

/// The most one reading may add to the last, per unit, in whole units; more is refused as
/// implausible.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ConsumptionCeiling {
    pub kwh: i64,
    pub m3: i64,
}

impl Default for ConsumptionCeiling {
    /// A year of a large detached house heated electrically is ~25 000 kWh, of gas ~5 000 m³:
    /// twice that between two readings is a mistyped digit.
    fn default() -> Self {
        Self {
            kwh: 50_000,
            m3: 10_000,
        }
    }
}

impl ConsumptionCeiling {
    /// The ceiling of `unit` in thousandths, if meters count in it.
    fn of(self, unit: UsageUnit) -> Option<i64> {
        let units = match unit {
            UsageUnit::Kwh => self.kwh,
            UsageUnit::M3 => self.m3,
            UsageUnit::Gb | UsageUnit::Minute | UsageUnit::Sms => return None,
        };
        i64::try_from(i128::from(units) * MILLI).ok()
    }
}

/// The meter's last reading.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LastReading {
    pub value_milli: i64,
    pub read_at: DateTime<Utc>,
}

/// A reading as entered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NewReading {
    pub value_milli: i64,
    pub read_at: DateTime<Utc>,
    /// A new meter, whose first value may be lower than the old one's last.
    pub replacement: bool,
}

/// Checks a reading of a meter counting in `unit` and answers its consumption since the last
/// one (none for a first reading or a new meter).
pub fn check_reading(
    v: &mut Validator,
    unit: UsageUnit,
    reading: NewReading,
    last: Option<LastReading>,
    ceiling: ConsumptionCeiling,
    now: DateTime<Utc>,
) -> i64 {
    if !(0..=MAX_QUANTITY_MILLI).contains(&reading.value_milli) {
        v.fail(
            "value_milli",
            FieldErrorCode::OutOfRange,
            "a meter shows between 0 and a billion units",
        );
    }
    if reading.read_at > now + Duration::minutes(CLOCK_SKEW_MINUTES) {
        v.fail(
            "read_at",
            FieldErrorCode::InFuture,
            "a meter is read now or earlier",
        );
    }
    let Some(last) = last else {
        return 0;
    };
    if reading.read_at < last.read_at {
        v.fail(
            "read_at",
            FieldErrorCode::InvalidValue,
            "readings come in order: this is older than the last one",
        );
    }
    if reading.replacement {
        return 0;
    }
    if reading.value_milli < last.value_milli {
        v.fail(
            "value_milli",
            FieldErrorCode::LowerThanLast,
            format!(
                "lower than the last reading ({}); flag a new meter as a replacement",
                last.value_milli
            ),
        );
        return 0;
    }
    let consumption = reading.value_milli.saturating_sub(last.value_milli);
    if let Some(most) = ceiling.of(unit)
        && consumption > most
    {
        v.fail(
            "value_milli",
            FieldErrorCode::Implausible,
            format!(
                "adds {} {unit} to the last reading; one reading adds at most {} {unit}: check the value",
                consumption / 1000,
                most / 1000
            ),
        );
    }
    consumption
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn usage_is_taken_for_ninety_days_and_refused_after() {
        let window = LateUsageWindow::default();
        let today = NaiveDate::from_ymd_opt(2026, 12, 4).unwrap();
        assert_eq!(
            window.earliest(today),
            NaiveDate::from_ymd_opt(2026, 9, 5).unwrap()
        );
        let mut v = Validator::new();
        window.check(&mut v, "occurred_at", window.earliest(today), today);
        assert!(v.finish().is_ok(), "the 90th day back is still taken");
        let mut v = Validator::new();
        window.check(
            &mut v,
            "occurred_at",
            NaiveDate::from_ymd_opt(2026, 9, 4).unwrap(),
            today,
        );
        let errors = v.into_errors();
        assert_eq!(
            errors
                .iter()
                .map(|e| (e.field.as_str(), e.code))
                .collect::<Vec<_>>(),
            [("occurred_at", FieldErrorCode::TooOld)]
        );
    }

    fn at(hour: u32) -> DateTime<Utc> {
        NaiveDate::from_ymd_opt(2026, 12, 2)
            .and_then(|d| d.and_hms_opt(hour, 0, 0))
            .map(|d| d.and_utc())
            .expect("a time")
    }

    fn refused(reading: NewReading, last: Option<LastReading>) -> Vec<(String, FieldErrorCode)> {
        let mut v = Validator::new();
        check_reading(
            &mut v,
            UsageUnit::Kwh,
            reading,
            last,
            ConsumptionCeiling::default(),
            at(12),
        );
        v.into_errors()
            .into_iter()
            .map(|e| (e.field, e.code))
            .collect()
    }

    const LAST: LastReading = LastReading {
        value_milli: 1_000_000,
        read_at: DateTime::UNIX_EPOCH,
    };

    fn reading(value_milli: i64) -> NewReading {
        NewReading {
            value_milli,
            read_at: at(10),
            replacement: false,
        }
    }

    #[test]
    fn consumption_is_what_the_meter_added() {
        let mut v = Validator::new();
        let used = check_reading(
            &mut v,
            UsageUnit::Kwh,
            reading(1_250_500),
            Some(LAST),
            ConsumptionCeiling::default(),
            at(12),
        );
        assert!(v.is_valid());
        assert_eq!(used, 250_500);
    }

    #[test]
    fn an_implausible_jump_is_refused_whatever_its_size() {
        assert_eq!(refused(reading(1_000_000 + 50_000_000), Some(LAST)), []);
        assert_eq!(
            refused(reading(1_000_000 + 50_000_001), Some(LAST)),
            [("value_milli".to_owned(), FieldErrorCode::Implausible)]
        );
        assert_eq!(
            refused(reading(i64::MAX), Some(LAST)),
            [
                ("value_milli".to_owned(), FieldErrorCode::OutOfRange),
                ("value_milli".to_owned(), FieldErrorCode::Implausible),
            ]
        );
        // A new meter starts anywhere; its first reading adds nothing.
        let replaced = NewReading {
            replacement: true,
            ..reading(5)
        };
        assert_eq!(refused(replaced, Some(LAST)), []);
    }

    #[test]
    fn lower_values_need_a_new_meter_and_readings_come_in_order() {
        assert_eq!(
            refused(reading(999_999), Some(LAST)),
            [("value_milli".to_owned(), FieldErrorCode::LowerThanLast)]
        );
        let later = LastReading {
            read_at: at(11),
            ..LAST
        };
        assert_eq!(
            refused(reading(1_000_001), Some(later)),
            [("read_at".to_owned(), FieldErrorCode::InvalidValue)]
        );
        let future = NewReading {
            read_at: at(13),
            ..reading(1_000_001)
        };
        assert_eq!(
            refused(future, Some(LAST)),
            [("read_at".to_owned(), FieldErrorCode::InFuture)]
        );
    }
}
