//! The billing period: one calendar month, written `YYYY-MM`.

use std::fmt;
use std::str::FromStr;

use chrono::{Datelike, NaiveDate};

use crate::calendar::{days_in_month, first_of_next_month};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Period {
    first: NaiveDate,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("a period is written YYYY-MM, e.g. 2026-11")]
pub struct PeriodParseError;

impl Period {
    pub fn new(year: i32, month: u32) -> Option<Self> {
        NaiveDate::from_ymd_opt(year, month, 1).map(|first| Self { first })
    }

    /// The month `day` falls in.
    pub fn of(day: NaiveDate) -> Self {
        Self {
            first: day.with_day(1).unwrap_or(day),
        }
    }

    pub fn year(self) -> i32 {
        self.first.year()
    }

    pub fn month(self) -> u32 {
        self.first.month()
    }

    pub fn first_day(self) -> NaiveDate {
        self.first
    }

    pub fn last_day(self) -> NaiveDate {
        self.next().first.pred_opt().unwrap_or(self.first)
    }

    /// How many days the month has: the denominator of proration.
    pub fn days(self) -> u32 {
        days_in_month(self.first)
    }

    pub fn contains(self, day: NaiveDate) -> bool {
        self.first <= day && day <= self.last_day()
    }

    pub fn next(self) -> Self {
        Self {
            first: first_of_next_month(self.first),
        }
    }

    pub fn previous(self) -> Self {
        Self::of(self.first.pred_opt().unwrap_or(self.first))
    }

    /// The 1-based day of the month of `day`, clamped into the month.
    pub fn day_number(self, day: NaiveDate) -> u32 {
        if day < self.first {
            1
        } else if day > self.last_day() {
            self.days()
        } else {
            day.day()
        }
    }

    /// The days of the month, first to last.
    pub fn each_day(self) -> impl Iterator<Item = NaiveDate> {
        self.first.iter_days().take(self.days() as usize)
    }
}

impl fmt::Display for Period {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}", self.year(), self.month())
    }
}

impl FromStr for Period {
    type Err = PeriodParseError;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let (year, month) = text.split_once('-').ok_or(PeriodParseError)?;
        if year.len() != 4 || month.len() != 2 {
            return Err(PeriodParseError);
        }
        let year: i32 = year.parse().map_err(|_| PeriodParseError)?;
        let month: u32 = month.parse().map_err(|_| PeriodParseError)?;
        Self::new(year, month).ok_or(PeriodParseError)
    }
}

impl serde::Serialize for Period {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> serde::Deserialize<'de> for Period {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_and_writes_months() {
        let november: Period = "2026-11".parse().unwrap();
        assert_eq!(november.to_string(), "2026-11");
        assert_eq!(november.days(), 30);
        assert_eq!(
            november.last_day(),
            NaiveDate::from_ymd_opt(2026, 11, 30).unwrap()
        );
        assert_eq!(november.next().to_string(), "2026-12");
        assert_eq!(november.previous().to_string(), "2026-10");
        assert_eq!(
            "2027-12".parse::<Period>().unwrap().next().to_string(),
            "2028-01"
        );
        assert_eq!("2028-02".parse::<Period>().unwrap().days(), 29);
        assert_eq!("2027-02".parse::<Period>().unwrap().days(), 28);
        for wrong in [
            "2026-13", "2026-1", "26-11", "2026/11", "", "2026-00", "abcd-ef",
        ] {
            assert_eq!(wrong.parse::<Period>(), Err(PeriodParseError), "{wrong}");
        }
        assert_eq!(november.each_day().count(), 30);
    }
}
