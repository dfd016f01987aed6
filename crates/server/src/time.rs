//! Conversions between API times (UTC with zone) and stored times (UTC without zone).

use chrono::{DateTime, NaiveDate, NaiveDateTime, NaiveTime, Utc};

pub fn to_db(time: DateTime<Utc>) -> NaiveDateTime {
    time.naive_utc()
}

pub fn from_db(time: NaiveDateTime) -> DateTime<Utc> {
    time.and_utc()
}

/// The first moment of `day` (UTC), as stored: where a filter by days received or opened
/// starts, and the day after's where it ends.
pub fn start_of_day(day: NaiveDate) -> NaiveDateTime {
    day.and_time(NaiveTime::MIN)
}
