//! Invoice line descriptions in the customer's language, written once when the invoice is
//! issued and kept with it.

use super::{DraftLine, LineKind};
use crate::customers::Language;
use chrono::Datelike;

use crate::format::{date, day_month, month};
use crate::tariffs::UsageUnit;

fn unit_symbol(unit: UsageUnit, language: Language) -> &'static str {
    match (unit, language) {
        (UsageUnit::Gb, _) => "GB",
        (UsageUnit::Minute, Language::Ru) => "мин",
        (UsageUnit::Minute, _) => "min",
        (UsageUnit::Sms, _) => "SMS",
        (UsageUnit::Kwh, Language::Ru) => "кВт·ч",
        (UsageUnit::Kwh, _) => "kWh",
        (UsageUnit::M3, Language::Ru) => "м³",
        (UsageUnit::M3, _) => "m³",
    }
}

/// A quantity in thousandths of its unit, with as few decimals as it needs.
pub fn quantity(milli: i64, language: Language) -> String {
    let separator = if language == Language::En { '.' } else { ',' };
    let sign = if milli < 0 { "-" } else { "" };
    let (units, rest) = (milli.unsigned_abs() / 1000, milli.unsigned_abs() % 1000);
    if rest == 0 {
        format!("{sign}{units}")
    } else {
        let decimals = format!("{rest:03}");
        format!("{sign}{units}{separator}{}", decimals.trim_end_matches('0'))
    }
}

/// What the line is for, as the customer reads it on the invoice.
pub fn describe(line: &DraftLine, language: Language) -> String {
    match line.kind {
        LineKind::MonthlyFee => {
            let head = match language {
                Language::En => "Monthly fee",
                Language::Pl => "Abonament",
                Language::Ru => "Абонентская плата",
            };
            let mut text = format!("{head}: {}", line.label);
            if let [_, _, ..] = line.day_runs.as_slice() {
                // A pause in between: the runs charged, so the customer sees which days.
                let runs: Vec<String> = line
                    .day_runs
                    .iter()
                    .map(|(first, last)| {
                        format!(
                            "{}–{}",
                            day_month(*first, language),
                            day_month(*last, language)
                        )
                    })
                    .collect();
                text.push_str(&format!(", {}", runs.join(", ")));
            } else if let (Some(first), Some(last)) = (line.first_day, line.last_day) {
                text.push_str(&format!(
                    ", {} – {}",
                    date(first, language),
                    date(last, language)
                ));
            }
            if let (Some(days), Some(month)) = (line.days, line.month_days)
                && days < month
            {
                text.push_str(&match language {
                    Language::En => format!(" ({days} of {month} days)"),
                    Language::Pl => format!(" ({days}/{month} dni)"),
                    Language::Ru => format!(" ({days} из {month} дн.)"),
                });
            }
            text
        }
        LineKind::Usage => {
            let head = match (language, line.first_day) {
                // usage of an earlier month that came after its invoice names the month.
                (Language::En, Some(first)) => {
                    format!("Usage, {}", month(first.year(), first.month(), language))
                }
                (Language::Pl, Some(first)) => {
                    format!(
                        "Zużycie za {}",
                        month(first.year(), first.month(), language)
                    )
                }
                (Language::Ru, Some(first)) => {
                    format!(
                        "Потребление за {}",
                        month(first.year(), first.month(), language)
                    )
                }
                (Language::En, None) => "Usage".to_owned(),
                (Language::Pl, None) => "Zużycie".to_owned(),
                (Language::Ru, None) => "Потребление".to_owned(),
            };
            let amount = match (line.quantity_milli, line.unit) {
                (Some(q), Some(unit)) => format!(
                    ", {} {}",
                    quantity(q, language),
                    unit_symbol(unit, language)
                ),
                _ => String::new(),
            };
            format!("{head}: {}{amount}", line.label)
        }
        LineKind::OneOffFee | LineKind::Correction => line.label.clone(),
        LineKind::Discount => {
            let head = match language {
                Language::En => "Benefit",
                Language::Pl => "Ulga",
                Language::Ru => "Льгота",
            };
            format!("{head}: {}", line.label)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_fee_broken_by_a_pause_names_the_days_charged() {
        let day = |d| chrono::NaiveDate::from_ymd_opt(2026, 11, d).unwrap();
        let mut line = DraftLine {
            first_day: Some(day(1)),
            last_day: Some(day(30)),
            days: Some(20),
            month_days: Some(30),
            day_runs: vec![(day(1), day(10)), (day(21), day(30))],
            ..DraftLine::blank(LineKind::MonthlyFee, "Światłowód 1000".into())
        };
        assert_eq!(
            describe(&line, Language::Pl),
            "Abonament: Światłowód 1000, 01.11–10.11, 21.11–30.11 (20/30 dni)"
        );
        assert_eq!(
            describe(&line, Language::Ru),
            "Абонентская плата: Światłowód 1000, 01.11–10.11, 21.11–30.11 (20 из 30 дн.)"
        );
        assert_eq!(
            describe(&line, Language::En),
            "Monthly fee: Światłowód 1000, 1 Nov–10 Nov, 21 Nov–30 Nov (20 of 30 days)"
        );
        // One run: the dates in full, as before.
        line.day_runs = vec![(day(17), day(30))];
        line.first_day = Some(day(17));
        line.days = Some(14);
        assert_eq!(
            describe(&line, Language::Pl),
            "Abonament: Światłowód 1000, 17.11.2026 – 30.11.2026 (14/30 dni)"
        );
    }

    #[test]
    fn late_usage_names_its_month() {
        let line = DraftLine {
            first_day: chrono::NaiveDate::from_ymd_opt(2026, 10, 1),
            last_day: chrono::NaiveDate::from_ymd_opt(2026, 10, 31),
            unit: Some(UsageUnit::Gb),
            quantity_milli: Some(12_500),
            ..DraftLine::blank(LineKind::Usage, "Mobile 20".into())
        };
        assert_eq!(
            describe(&line, Language::Pl),
            "Zużycie za październik 2026: Mobile 20, 12,5 GB"
        );
        assert_eq!(
            describe(&line, Language::En),
            "Usage, October 2026: Mobile 20, 12.5 GB"
        );
        assert_eq!(
            describe(&line, Language::Ru),
            "Потребление за октябрь 2026: Mobile 20, 12,5 GB"
        );
        let on_time = DraftLine {
            first_day: None,
            last_day: None,
            ..line
        };
        assert_eq!(
            describe(&on_time, Language::Pl),
            "Zużycie: Mobile 20, 12,5 GB"
        );
    }

    #[test]
    fn quantities_drop_needless_decimals() {
        assert_eq!(quantity(123_456, Language::Pl), "123,456");
        assert_eq!(quantity(120_000, Language::En), "120");
        assert_eq!(quantity(1_500, Language::En), "1.5");
        assert_eq!(quantity(-250, Language::Ru), "-0,25");
    }
}
