//! Conversions between API times (UTC with zone) and stored times (UTC without zone).

use chrono::{DateTime, NaiveDateTime, Utc};

pub fn to_db(time: DateTime<Utc>) -> NaiveDateTime {
    time.naive_utc()
}

pub fn from_db(time: NaiveDateTime) -> DateTime<Utc> {
    time.and_utc()
}
