//! Days that matter to contracts and deadlines: Polish public holidays, working days, months.

use chrono::{Datelike, Duration, NaiveDate, Weekday};

/// Easter Sunday of `year` (Gregorian; the anonymous algorithm of Meeus, Jones and Butcher).
pub fn easter_sunday(year: i32) -> Option<NaiveDate> {
    let a = year % 19;
    let b = year / 100;
    let c = year % 100;
    let d = b / 4;
    let e = b % 4;
    let f = (b + 8) / 25;
    let g = (b - f + 1) / 3;
    let h = (19 * a + b - d - g + 15) % 30;
    let i = c / 4;
    let k = c % 4;
    let l = (32 + 2 * e + 2 * i - h - k) % 7;
    let m = (a + 11 * h + 22 * l) / 451;
    let month = (h + l - 7 * m + 114) / 31;
    let day = (h + l - 7 * m + 114) % 31 + 1;
    NaiveDate::from_ymd_opt(year, u32::try_from(month).ok()?, u32::try_from(day).ok()?)
}

/// Whether `date` is a statutory public holiday in Poland (the act of 18 January 1951 on
/// public holidays, with Christmas Eve from 2025).
pub fn is_polish_public_holiday(date: NaiveDate) -> bool {
    let fixed = matches!(
        (date.month(), date.day()),
        (1, 1) | (1, 6) | (5, 1) | (5, 3) | (8, 15) | (11, 1) | (11, 11) | (12, 25) | (12, 26)
    );
    let christmas_eve = date.year() >= 2025 && date.month() == 12 && date.day() == 24;
    let movable = easter_sunday(date.year()).is_some_and(|easter| {
        // Easter Sunday and Monday, Pentecost Sunday, Corpus Christi.
        [0, 1, 49, 60]
            .iter()
            .any(|offset| easter + Duration::days(*offset) == date)
    });
    fixed || christmas_eve || movable
}

/// A day on which an office is open: not a Saturday, Sunday or public holiday.
pub fn is_working_day(date: NaiveDate) -> bool {
    !matches!(date.weekday(), Weekday::Sat | Weekday::Sun) && !is_polish_public_holiday(date)
}

/// The end of a period of `days` days that starts on the day after `event` (civil code art.
/// 111 § 2), moved to the next working day when it falls on a Saturday or a public holiday
/// (art. 115).
pub fn deadline_after(event: NaiveDate, days: i64) -> NaiveDate {
    let mut end = event + Duration::days(days);
    while !is_working_day(end) {
        end += Duration::days(1);
    }
    end
}

/// The first day of the month after `date`.
pub fn first_of_next_month(date: NaiveDate) -> NaiveDate {
    let (year, month) = if date.month() == 12 {
        (date.year() + 1, 1)
    } else {
        (date.year(), date.month() + 1)
    };
    NaiveDate::from_ymd_opt(year, month, 1).unwrap_or(date)
}

/// The number of days in the month of `date`.
pub fn days_in_month(date: NaiveDate) -> u32 {
    let first = NaiveDate::from_ymd_opt(date.year(), date.month(), 1).unwrap_or(date);
    u32::try_from((first_of_next_month(first) - first).num_days()).unwrap_or(30)
}

/// The last day of a fixed term of `months` starting on `start`: the day before the same
/// day `months` later, or before the month's last day where that month is shorter.
pub fn term_end(start: NaiveDate, months: u32) -> Option<NaiveDate> {
    let total = start.month0() + months;
    let year = start.year() + i32::try_from(total / 12).ok()?;
    let month = total % 12 + 1;
    let first = NaiveDate::from_ymd_opt(year, month, 1)?;
    let day = start.day().min(days_in_month(first));
    NaiveDate::from_ymd_opt(year, month, day)?.pred_opt()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn terms_end_the_day_before_the_anniversary() {
        let day = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
        assert_eq!(term_end(day(2026, 11, 23), 24), Some(day(2028, 11, 22)));
        assert_eq!(term_end(day(2026, 12, 1), 12), Some(day(2027, 11, 30)));
        assert_eq!(term_end(day(2027, 1, 31), 1), Some(day(2027, 2, 27)));
        assert_eq!(term_end(day(2028, 2, 29), 12), Some(day(2029, 2, 27)));
    }

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn knows_easter_and_the_holidays_that_follow_it() {
        assert_eq!(easter_sunday(2024), Some(day(2024, 3, 31)));
        assert_eq!(easter_sunday(2026), Some(day(2026, 4, 5)));
        assert_eq!(easter_sunday(2027), Some(day(2027, 3, 28)));
        assert!(is_polish_public_holiday(day(2026, 4, 6))); // Easter Monday
        assert!(is_polish_public_holiday(day(2026, 6, 4))); // Corpus Christi
        assert!(is_polish_public_holiday(day(2026, 11, 11)));
        assert!(is_polish_public_holiday(day(2026, 12, 24)));
        assert!(!is_polish_public_holiday(day(2024, 12, 24)));
        assert!(!is_polish_public_holiday(day(2026, 11, 12)));
    }

    #[test]
    fn a_deadline_on_a_weekend_or_holiday_moves_to_the_next_working_day() {
        // Concluded on Monday 2026-11-02: the 14th day is Monday 2026-11-16.
        assert_eq!(deadline_after(day(2026, 11, 2), 14), day(2026, 11, 16));
        // Concluded 2026-10-28: the 14th day is Wednesday 2026-11-11, Independence Day.
        assert_eq!(deadline_after(day(2026, 10, 28), 14), day(2026, 11, 12));
        // Concluded 2026-12-12: the 14th day is Saturday 2026-12-26 (Boxing Day): Monday the 28th.
        assert_eq!(deadline_after(day(2026, 12, 12), 14), day(2026, 12, 28));
        // Across the end of February in a leap year: 2028-02-20 + 14 = 2028-03-05, a Sunday.
        assert_eq!(deadline_after(day(2028, 2, 20), 14), day(2028, 3, 6));
    }

    #[test]
    fn months() {
        assert_eq!(first_of_next_month(day(2026, 12, 17)), day(2027, 1, 1));
        assert_eq!(first_of_next_month(day(2026, 1, 31)), day(2026, 2, 1));
        assert_eq!(days_in_month(day(2028, 2, 10)), 29);
        assert_eq!(days_in_month(day(2026, 2, 10)), 28);
        assert_eq!(days_in_month(day(2026, 11, 30)), 30);
    }

    proptest! {
        #[test]
        fn a_deadline_is_never_early_and_always_a_working_day(offset in 0i64..3650, days in 1i64..60) {
            let event = day(2024, 1, 1) + Duration::days(offset);
            let end = deadline_after(event, days);
            prop_assert!(end >= event + Duration::days(days));
            prop_assert!(is_working_day(end));
            prop_assert!(end - (event + Duration::days(days)) <= Duration::days(5));
        }
    }
}
