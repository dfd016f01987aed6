//! Times from the API (UTC) shown in the browser's time zone, in the interface language.

use chrono::{DateTime, Duration, NaiveDateTime, Utc};
use okno_api_types::Language;
use okno_domain::format;

use crate::i18n::Locale;

pub fn language(locale: Locale) -> Language {
    match locale {
        Locale::en => Language::En,
        Locale::pl => Language::Pl,
        Locale::ru => Language::Ru,
    }
}

pub fn locale(language: Language) -> Locale {
    match language {
        Language::En => Locale::en,
        Language::Pl => Locale::pl,
        Language::Ru => Locale::ru,
    }
}

/// The browser's local time for a UTC instant.
pub fn local(time: DateTime<Utc>) -> NaiveDateTime {
    let date = js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(
        time.timestamp_millis() as f64
    ));
    let offset_minutes = date.get_timezone_offset() as i64;
    time.naive_utc() - Duration::minutes(offset_minutes)
}

pub fn date_time(time: DateTime<Utc>, locale: Locale) -> String {
    format::date_time(local(time), language(locale))
}

pub fn date(time: DateTime<Utc>, locale: Locale) -> String {
    format::date(local(time).date(), language(locale))
}

/// A calendar day (a contract's start, a due date) in the interface language.
pub fn day(date: chrono::NaiveDate, locale: Locale) -> String {
    format::date(date, language(locale))
}

/// Milliseconds since the epoch, now.
pub fn now_ms() -> f64 {
    js_sys::Date::now()
}
