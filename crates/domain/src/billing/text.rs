//! Invoice line descriptions in the customer's language, written once when the invoice is
//! issued and kept with it.

use super::{DraftLine, LineKind};
use crate::customers::Language;
use crate::format::date;
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
            if let (Some(first), Some(last)) = (line.first_day, line.last_day) {
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
            let head = match language {
                Language::En => "Usage",
                Language::Pl => "Zużycie",
                Language::Ru => "Потребление",
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
    fn quantities_drop_needless_decimals() {
        assert_eq!(quantity(123_456, Language::Pl), "123,456");
        assert_eq!(quantity(120_000, Language::En), "120");
        assert_eq!(quantity(1_500, Language::En), "1.5");
        assert_eq!(quantity(-250, Language::Ru), "-0,25");
    }
}
