//! How amounts and dates are written for people, per interface language: `1 234,56 zł` in
//! Polish and Russian, `PLN 1,234.56` in English. Used by the web app and by documents.

use chrono::{Datelike, NaiveDate, NaiveDateTime, Timelike};

use crate::customers::Language;

/// No-break space: keeps "1 234" and "234 zł" on one line.
const NBSP: char = '\u{a0}';

fn group_thousands(units: u64, separator: char) -> String {
    let digits = units.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(separator);
        }
        out.push(c);
    }
    out
}

fn currency_symbol(currency: &str) -> Option<&'static str> {
    match currency {
        "PLN" => Some("zł"),
        "RUB" => Some("₽"),
        "EUR" => Some("€"),
        "USD" => Some("$"),
        _ => None,
    }
}

/// An amount in minor units as a plain decimal for files (`-1234.50`): no grouping, a point,
/// no currency.
pub fn plain_decimal(minor: i64) -> String {
    let sign = if minor < 0 { "-" } else { "" };
    let magnitude = minor.unsigned_abs();
    format!("{sign}{}.{:02}", magnitude / 100, magnitude % 100)
}

/// An amount in minor units (grosze, kopecks, cents; two decimals) written for `language`.
pub fn money(minor: i64, currency: &str, language: Language) -> String {
    let sign = if minor < 0 { "-" } else { "" };
    let magnitude = minor.unsigned_abs();
    let (units, cents) = (magnitude / 100, magnitude % 100);
    match language {
        Language::En => {
            let number = format!("{}.{cents:02}", group_thousands(units, ','));
            format!("{sign}{currency}{NBSP}{number}")
        }
        Language::Pl | Language::Ru => {
            let number = format!("{}{}{cents:02}", group_thousands(units, NBSP), ',');
            let symbol = currency_symbol(currency).unwrap_or(currency);
            format!("{sign}{number}{NBSP}{symbol}")
        }
    }
}

const EN_MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

const MONTHS: [[&str; 12]; 3] = [
    [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ],
    [
        "styczeń",
        "luty",
        "marzec",
        "kwiecień",
        "maj",
        "czerwiec",
        "lipiec",
        "sierpień",
        "wrzesień",
        "październik",
        "listopad",
        "grudzień",
    ],
    [
        "январь",
        "февраль",
        "март",
        "апрель",
        "май",
        "июнь",
        "июль",
        "август",
        "сентябрь",
        "октябрь",
        "ноябрь",
        "декабрь",
    ],
];

/// A month of a year, as a billing period is named: `November 2026`, `listopad 2026`.
pub fn month(year: i32, month: u32, language: Language) -> String {
    let names = match language {
        Language::En => MONTHS.first(),
        Language::Pl => MONTHS.get(1),
        Language::Ru => MONTHS.get(2),
    };
    let name = names
        .and_then(|n| n.get(month.saturating_sub(1) as usize))
        .copied()
        .unwrap_or("?");
    format!("{name} {year}")
}

/// A date: `23.11.2026` in Polish and Russian, `23 Nov 2026` in English.
pub fn date(date: NaiveDate, language: Language) -> String {
    let separator = match language {
        Language::En => ' ',
        Language::Pl | Language::Ru => '.',
    };
    format!("{}{separator}{}", day_month(date, language), date.year())
}

/// A day of a month without the year, for runs of days within one month: `1 Nov`,
/// `01.11`.
pub fn day_month(date: NaiveDate, language: Language) -> String {
    match language {
        Language::En => {
            let month = EN_MONTHS
                .get(date.month0() as usize)
                .copied()
                .unwrap_or("?");
            format!("{} {month}", date.day())
        }
        Language::Pl | Language::Ru => format!("{:02}.{:02}", date.day(), date.month()),
    }
}

/// A local date and time to the minute.
pub fn date_time(time: NaiveDateTime, language: Language) -> String {
    format!(
        "{} {:02}:{:02}",
        date(time.date(), language),
        time.hour(),
        time.minute()
    )
}

/// A duration in seconds as `m:ss` or `h:mm:ss`.
pub fn duration(seconds: i64) -> String {
    let seconds = seconds.max(0);
    let (hours, minutes, secs) = (seconds / 3600, seconds / 60 % 60, seconds % 60);
    if hours > 0 {
        format!("{hours}:{minutes:02}:{secs:02}")
    } else {
        format!("{minutes}:{secs:02}")
    }
}

/// Reads an amount as people type it: `74,99`, `74.99`, `1 234,5`, `75` → minor units.
/// `None` for anything else, more than two decimals included.
pub fn parse_money(text: &str) -> Option<i64> {
    let compact: String = text
        .chars()
        .filter(|c| !c.is_whitespace() && *c != NBSP)
        .collect();
    let (negative, digits) = match compact.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, compact.as_str()),
    };
    let (units, cents) = match digits.split_once([',', '.']) {
        Some((units, cents)) => (units, cents),
        None => (digits, ""),
    };
    if units.is_empty()
        || cents.len() > 2
        || !units
            .chars()
            .chain(cents.chars())
            .all(|c| c.is_ascii_digit())
    {
        return None;
    }
    let units: i64 = units.parse().ok()?;
    let cents: i64 = if cents.is_empty() {
        0
    } else {
        format!("{cents:0<2}").parse().ok()?
    };
    let minor = units.checked_mul(100)?.checked_add(cents)?;
    Some(if negative { -minor } else { minor })
}

/// An amount in minor units as a plain decimal for an input field: `7499` → `74,99` (or
/// `74.99` in English).
pub fn money_input(minor: i64, language: Language) -> String {
    let separator = if language == Language::En { '.' } else { ',' };
    let sign = if minor < 0 { "-" } else { "" };
    format!(
        "{sign}{}{separator}{:02}",
        minor.unsigned_abs() / 100,
        minor.unsigned_abs() % 100
    )
}

/// A non-negative decimal as typed (`0,8123`, `1.5`, `12`) scaled to `digits` decimal places;
/// `None` for anything else, more decimals than `digits` included.
fn parse_decimal(text: &str, digits: usize) -> Option<i64> {
    let text = text.trim().replace(',', ".");
    let (units, fraction) = text.split_once('.').unwrap_or((&text, ""));
    if units.is_empty()
        || fraction.len() > digits
        || !units
            .chars()
            .chain(fraction.chars())
            .all(|c| c.is_ascii_digit())
    {
        return None;
    }
    let scale = 10_i64.checked_pow(u32::try_from(digits).ok()?)?;
    let fraction: i64 = if fraction.is_empty() {
        0
    } else {
        format!("{fraction:0<digits$}").parse().ok()?
    };
    units
        .parse::<i64>()
        .ok()?
        .checked_mul(scale)?
        .checked_add(fraction)
}

/// A unit price as typed (`0,8123`, `1.5`) in ten-thousandths of the currency unit (prices
/// of usage are kept so); `None` for anything else, more than four decimals included.
pub fn parse_unit_price(text: &str) -> Option<i64> {
    parse_decimal(text, 4)
}

/// A quantity as typed (`12345,678` kWh) in thousandths of its unit, as usage and meter
/// readings are kept; `None` for anything else, more than three decimals included.
pub fn parse_quantity(text: &str) -> Option<i64> {
    parse_decimal(text, 3)
}

/// A unit price for an input field or a price list: `8123` → `0,8123` (`0.8123` in English).
pub fn unit_price(price_e4: i64, language: Language) -> String {
    let separator = if language == Language::En { '.' } else { ',' };
    let sign = if price_e4 < 0 { "-" } else { "" };
    let abs = price_e4.unsigned_abs();
    format!("{sign}{}{separator}{:04}", abs / 10_000, abs % 10_000)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn quantities_read_to_three_places() {
        assert_eq!(parse_quantity("12345,678"), Some(12_345_678));
        assert_eq!(parse_quantity("100"), Some(100_000));
        assert_eq!(parse_quantity("0.5"), Some(500));
        assert_eq!(parse_quantity("1,2345"), None);
        assert_eq!(parse_quantity("-3"), None);
    }

    #[test]
    fn unit_prices_read_and_write_to_four_places() {
        assert_eq!(parse_unit_price("0,8123"), Some(8_123));
        assert_eq!(parse_unit_price(" 1.5 "), Some(15_000));
        assert_eq!(parse_unit_price("2"), Some(20_000));
        assert_eq!(parse_unit_price("0,12345"), None);
        assert_eq!(parse_unit_price("-1"), None);
        assert_eq!(parse_unit_price("abc"), None);
        assert_eq!(parse_unit_price(""), None);
        assert_eq!(unit_price(8_123, Language::Pl), "0,8123");
        assert_eq!(unit_price(15_000, Language::En), "1.5000");
    }

    proptest! {
        #[test]
        fn a_written_unit_price_reads_back(price in 0i64..1_000_000_000, pl in any::<bool>()) {
            let language = if pl { Language::Pl } else { Language::En };
            prop_assert_eq!(parse_unit_price(&unit_price(price, language)), Some(price));
        }
    }

    #[test]
    fn money_is_written_the_local_way() {
        assert_eq!(money(123_456, "PLN", Language::Pl), "1\u{a0}234,56\u{a0}zł");
        assert_eq!(money(123_456, "PLN", Language::Ru), "1\u{a0}234,56\u{a0}zł");
        assert_eq!(money(123_456, "PLN", Language::En), "PLN\u{a0}1,234.56");
        assert_eq!(money(-5, "PLN", Language::Pl), "-0,05\u{a0}zł");
        assert_eq!(
            money(100_000_000, "RUB", Language::Ru),
            "1\u{a0}000\u{a0}000,00\u{a0}₽"
        );
        assert_eq!(money(99, "CHF", Language::Pl), "0,99\u{a0}CHF");
    }

    #[test]
    fn dates_are_written_the_local_way() {
        let day = NaiveDate::from_ymd_opt(2026, 2, 3).unwrap();
        assert_eq!(date(day, Language::Pl), "03.02.2026");
        assert_eq!(date(day, Language::En), "3 Feb 2026");
        assert_eq!(
            date_time(day.and_hms_opt(9, 5, 59).unwrap(), Language::Ru),
            "03.02.2026 09:05"
        );
        assert_eq!(duration(185), "3:05");
        assert_eq!(duration(3725), "1:02:05");
    }

    #[test]
    fn typed_amounts_are_read_exactly() {
        assert_eq!(parse_money("74,99"), Some(7_499));
        assert_eq!(parse_money("74.9"), Some(7_490));
        assert_eq!(parse_money(" 1 234,56 "), Some(123_456));
        assert_eq!(parse_money("75"), Some(7_500));
        assert_eq!(parse_money("-0,05"), Some(-5));
        for bad in ["", "7,499", "abc", "1,2,3", ",5", "12 zł"] {
            assert_eq!(parse_money(bad), None, "{bad}");
        }
        assert_eq!(money_input(7_499, Language::Pl), "74,99");
        assert_eq!(money_input(-5, Language::En), "-0.05");
    }

    proptest! {
        #[test]
        fn an_amount_written_for_input_reads_back(minor in -10_000_000_000i64..10_000_000_000) {
            for language in [Language::En, Language::Pl] {
                prop_assert_eq!(parse_money(&money_input(minor, language)), Some(minor));
            }
        }

        #[test]
        fn the_digits_of_an_amount_survive_formatting(minor in -10_000_000_000i64..10_000_000_000) {
            for language in [Language::En, Language::Pl, Language::Ru] {
                let written = money(minor, "PLN", language);
                let digits: String = written.chars().filter(char::is_ascii_digit).collect();
                let expected = format!("{:03}", minor.unsigned_abs());
                prop_assert_eq!(digits.trim_start_matches('0'), expected.trim_start_matches('0'));
                prop_assert_eq!(written.starts_with('-'), minor < 0);
            }
        }
    }
}
