//! The worked examples of the billing issue, checked by hand. Prices are net; VAT 23 %.

use chrono::{Datelike, NaiveDate};

use super::*;
use crate::benefits::BenefitKind;
use crate::tariffs::{FeeKind, OneOffFee, UsageRate, UsageUnit};

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

fn period(text: &str) -> Period {
    text.parse().unwrap()
}

/// Światłowód 300 at 59,99 zł with a 99 zł installation fee; Światłowód 600 at 79,99 zł.
fn versions() -> Vec<PriceVersion> {
    let base = |id, tariff_id, fee| PriceVersion {
        id,
        tariff_id,
        effective_from: day(2024, 1, 1),
        monthly_fee_minor: fee,
        vat_rate_bp: 2300,
        currency: "PLN".into(),
        prepaid: false,
        one_off_fees: vec![],
        usage_rates: vec![],
    };
    vec![
        PriceVersion {
            one_off_fees: vec![OneOffFee {
                kind: FeeKind::Installation,
                name: "Instalacja".into(),
                amount_minor: 9_900,
            }],
            ..base(10, 1, 5_999)
        },
        base(20, 2, 7_999),
        base(40, 4, 10_000),
        // Energy: 12,50 zł a month and 0,6543 zł/kWh, 100 kWh free; from 1 Dec 2026 0,7000 zł.
        PriceVersion {
            usage_rates: vec![UsageRate {
                unit: UsageUnit::Kwh,
                price_e4: 6_543,
                free_allowance_milli: 100_000,
                tiers: vec![],
            }],
            ..base(30, 3, 1_250)
        },
        PriceVersion {
            effective_from: day(2026, 12, 1),
            usage_rates: vec![UsageRate {
                unit: UsageUnit::Kwh,
                price_e4: 7_000,
                free_allowance_milli: 100_000,
                tiers: vec![],
            }],
            ..base(31, 3, 1_250)
        },
    ]
}

/// The month's bill of Energia G11 since 2026, with `usage` (subscription 7).
fn energy_bill(month: &str, usage: &[UsageInput]) -> Bill {
    let energy = service(day(2026, 1, 1), &[(3, "Energia G11", day(2026, 1, 1))]);
    bill(period(month), &[energy], &versions(), usage, &[]).unwrap()
}

/// A day's kWh of subscription 7; `billed` when an invoice has charged it already.
fn kwh(on: NaiveDate, quantity_milli: i64, billed: bool) -> UsageInput {
    UsageInput {
        subscription_id: 7,
        unit: UsageUnit::Kwh,
        occurred_on: on,
        quantity_milli,
        billed,
    }
}

fn service(from: NaiveDate, tariffs: &[(i64, &str, NaiveDate)]) -> ServiceInput {
    ServiceInput {
        subscription_id: 7,
        service: DayRange { from, to: None },
        pauses: vec![],
        tariffs: tariffs
            .iter()
            .map(|(tariff_id, name, from)| TariffSpan {
                tariff_id: *tariff_id,
                tariff_name: (*name).into(),
                from: *from,
            })
            .collect(),
    }
}

fn nets(invoice: &Bill) -> Vec<(LineKind, i64)> {
    invoice
        .lines
        .iter()
        .map(|l| (l.kind, l.net_minor))
        .collect()
}

#[test]
fn a_customer_joining_on_the_17th_of_a_30_day_month() {
    let joined = service(
        day(2026, 11, 17),
        &[(1, "Światłowód 300", day(2026, 11, 17))],
    );
    let invoice = bill(period("2026-11"), &[joined], &versions(), &[], &[]).unwrap();
    // 14 of 30 days: 59,99 − round(59,99 × 16/30 = 31,9947) = 59,99 − 31,99 = 28,00 zł;
    // and the installation fee with the first invoice.
    assert_eq!(
        nets(&invoice),
        [(LineKind::MonthlyFee, 2_800), (LineKind::OneOffFee, 9_900)]
    );
    let fee = &invoice.lines[0];
    assert_eq!(
        (fee.first_day, fee.last_day, fee.days, fee.month_days),
        (
            Some(day(2026, 11, 17)),
            Some(day(2026, 11, 30)),
            Some(14),
            Some(30)
        )
    );
    // VAT per line: 28,00 × 23 % = 6,44; 99,00 × 23 % = 22,77.
    assert_eq!((fee.vat_minor, fee.gross_minor), (644, 3_444));
    let (rates, all) = totals(&invoice.lines).expect("totals");
    assert_eq!(rates.len(), 1);
    assert_eq!(
        (all.net_minor, all.vat_minor, all.gross_minor),
        (12_700, 2_921, 15_621)
    );
    assert_eq!(
        describe(fee, crate::customers::Language::Pl),
        "Abonament: Światłowód 300, 17.11.2026 – 30.11.2026 (14/30 dni)"
    );
    // The month after: the whole fee, no installation again.
    let joined = service(
        day(2026, 11, 17),
        &[(1, "Światłowód 300", day(2026, 11, 17))],
    );
    let december = bill(period("2026-12"), &[joined], &versions(), &[], &[]).unwrap();
    assert_eq!(nets(&december), [(LineKind::MonthlyFee, 5_999)]);
    assert_eq!(
        describe(&december.lines[0], crate::customers::Language::En),
        "Monthly fee: Światłowód 300, 1 Dec 2026 – 31 Dec 2026"
    );
}

#[test]
fn a_tariff_change_on_the_first_and_in_the_middle_of_a_month() {
    // From the 1st: the whole month on the new tariff.
    let on_first = service(
        day(2026, 1, 1),
        &[
            (1, "Światłowód 300", day(2026, 1, 1)),
            (2, "Światłowód 600", day(2026, 11, 1)),
        ],
    );
    let invoice1 = bill(period("2026-11"), &[on_first], &versions(), &[], &[]).unwrap();
    assert_eq!(nets(&invoice1), [(LineKind::MonthlyFee, 7_999)]);
    // From the 16th (early, at the customer's request): 15 days of each, each price for its
    // own days: 59,99 × 15/30 = 29,995 → 30,00 zł; 79,99 × 15/30 = 39,995 → 40,00 zł.
    let mid = service(
        day(2026, 1, 1),
        &[
            (1, "Światłowód 300", day(2026, 1, 1)),
            (2, "Światłowód 600", day(2026, 11, 16)),
        ],
    );
    let invoice2 = bill(period("2026-11"), &[mid], &versions(), &[], &[]).unwrap();
    assert_eq!(
        nets(&invoice2),
        [(LineKind::MonthlyFee, 3_000), (LineKind::MonthlyFee, 4_000)]
    );
    let days: Vec<_> = invoice2
        .lines
        .iter()
        .map(|l| (l.first_day.unwrap(), l.last_day.unwrap(), l.days.unwrap()))
        .collect();
    assert_eq!(
        days,
        [
            (day(2026, 11, 1), day(2026, 11, 15), 15),
            (day(2026, 11, 16), day(2026, 11, 30), 15)
        ]
    );
}

#[test]
fn a_suspension_from_the_10th_to_the_20th() {
    let mut paused = service(day(2026, 1, 1), &[(1, "Światłowód 300", day(2026, 1, 1))]);
    paused.pauses.push(DayRange {
        from: day(2026, 11, 10),
        to: Some(day(2026, 11, 20)),
    });
    let invoice = bill(period("2026-11"), &[paused], &versions(), &[], &[]).unwrap();
    // Days 1–9 and 21–30, 19 days: 59,99 × 19/30 = 37,9937 → 37,99 zł, as the customer
    // computes it.
    assert_eq!(nets(&invoice), [(LineKind::MonthlyFee, 3_799)]);
    assert_eq!(invoice.lines[0].days, Some(19));
}

#[test]
fn a_pause_in_mid_month_is_charged_on_the_days_charged() {
    // 100,00 zł in November (30 days) paused from the 11th to the 20th: 20 days charged,
    // 100 × 20/30 = 66,666… → 66,67 zł — not 33,33 + 33,33 for the days 1–10 and 21–30.
    let mut paused = service(day(2026, 1, 1), &[(4, "Światłowód 1000", day(2026, 1, 1))]);
    paused.pauses.push(DayRange {
        from: day(2026, 11, 11),
        to: Some(day(2026, 11, 20)),
    });
    let invoice = bill(period("2026-11"), &[paused], &versions(), &[], &[]).unwrap();
    assert_eq!(nets(&invoice), [(LineKind::MonthlyFee, 6_667)]);
    assert_eq!(invoice.lines[0].days, Some(20));
}

#[test]
fn two_pauses_in_a_month() {
    // Paused 5–9 and 20–24 November: 20 of 30 days charged, 66,67 zł again.
    let mut paused = service(day(2026, 1, 1), &[(4, "Światłowód 1000", day(2026, 1, 1))]);
    for (from, to) in [(5, 9), (20, 24)] {
        paused.pauses.push(DayRange {
            from: day(2026, 11, from),
            to: Some(day(2026, 11, to)),
        });
    }
    let invoice = bill(period("2026-11"), &[paused], &versions(), &[], &[]).unwrap();
    assert_eq!(nets(&invoice), [(LineKind::MonthlyFee, 6_667)]);
    assert_eq!(invoice.lines[0].days, Some(20));
}

#[test]
fn a_pause_across_a_change_of_tariff() {
    // 59,99 zł until the 15th, 79,99 zł from the 16th, paused 10–20 November: 9 days at
    // 59,99 (59,99 × 9/30 = 17,997 → 18,00 zł) and 10 at 79,99 (79,99 × 10/30 = 26,663 →
    // 26,66 zł).
    let mut changed = service(
        day(2026, 1, 1),
        &[
            (1, "Światłowód 300", day(2026, 1, 1)),
            (2, "Światłowód 600", day(2026, 11, 16)),
        ],
    );
    changed.pauses.push(DayRange {
        from: day(2026, 11, 10),
        to: Some(day(2026, 11, 20)),
    });
    let invoice = bill(period("2026-11"), &[changed], &versions(), &[], &[]).unwrap();
    assert_eq!(
        nets(&invoice),
        [(LineKind::MonthlyFee, 1_800), (LineKind::MonthlyFee, 2_666)]
    );
    let days: Vec<_> = invoice.lines.iter().map(|l| l.days.unwrap()).collect();
    assert_eq!(days, [9, 10]);
}

#[test]
fn february_of_a_leap_year() {
    // From 10 February 2028: 20 of 29 days; 79,99 × 20/29 = 55,1655 → 55,17 zł.
    let joined = service(day(2028, 2, 10), &[(2, "Światłowód 600", day(2028, 2, 10))]);
    let invoice = bill(period("2028-02"), &[joined], &versions(), &[], &[]).unwrap();
    assert_eq!(nets(&invoice), [(LineKind::MonthlyFee, 5_517)]);
    assert_eq!(
        (invoice.lines[0].days, invoice.lines[0].month_days),
        (Some(20), Some(29))
    );
}

#[test]
fn usage_across_a_change_of_price() {
    // Energy in December 2026 is priced 0,7000 zł/kWh from the 1st; in November 0,6543 zł.
    // A subscription moving to another tariff mid-month has each part rated by its own version.
    let usage = [
        kwh(day(2026, 11, 10), 150_000, false),
        kwh(day(2026, 11, 30), 30_500, false),
        kwh(day(2026, 12, 1), 999_000, false),
    ];
    let invoice = energy_bill("2026-11", &usage);
    // 180,5 kWh, 100 free: 80,5 × 0,6543 = 52,67115 → 52,67 zł; the fee 12,50 zł.
    assert_eq!(
        nets(&invoice),
        [(LineKind::MonthlyFee, 1_250), (LineKind::Usage, 5_267)]
    );
    assert_eq!(invoice.lines[1].quantity_milli, Some(180_500));

    // Moving to another energy tariff on 16 November (fees first, then usage, on the invoice).
    let mut versions = versions();
    versions.push(PriceVersion {
        id: 40,
        tariff_id: 4,
        effective_from: day(2024, 1, 1),
        monthly_fee_minor: 2_000,
        vat_rate_bp: 2300,
        currency: "PLN".into(),
        prepaid: false,
        one_off_fees: vec![],
        usage_rates: vec![UsageRate {
            unit: UsageUnit::Kwh,
            price_e4: 5_000,
            free_allowance_milli: 0,
            tiers: vec![],
        }],
    });
    let moved = service(
        day(2026, 1, 1),
        &[
            (3, "Energia G11", day(2026, 1, 1)),
            (4, "Energia G12", day(2026, 11, 16)),
        ],
    );
    let invoice = bill(period("2026-11"), &[moved], &versions, &usage, &[]).unwrap();
    // G11 for 15 days: the fee 6,25 zł (12,50 × 15/30); 150 kWh on the 10th with 15/30 of the
    // allowance free (50 kWh): 100 × 0,6543 = 65,43 zł. G12 from the 16th: 20,00 − 10,00 =
    // 10,00 zł; 30,5 kWh × 0,50 = 15,25 zł.
    assert_eq!(
        nets(&invoice),
        [
            (LineKind::MonthlyFee, 625),
            (LineKind::MonthlyFee, 1_000),
            (LineKind::Usage, 6_543),
            (LineKind::Usage, 1_525)
        ]
    );
}

#[test]
fn a_benefit_reduces_the_fees_of_the_days_it_holds() {
    let customer = service(day(2026, 1, 1), &[(1, "Światłowód 300", day(2026, 1, 1))]);
    let half = BenefitInput {
        name: "Karta Dużej Rodziny".into(),
        kind: BenefitKind::Percent,
        percent_bp: Some(5_000),
        amount_minor: None,
        valid: DayRange {
            from: day(2026, 11, 16),
            to: None,
        },
    };
    let invoice = bill(
        period("2026-11"),
        std::slice::from_ref(&customer),
        &versions(),
        &[],
        std::slice::from_ref(&half),
    )
    .unwrap();
    // 50 % of the fee for days 16–30: 59,99 − 30,00 = 29,99 zł → 15,00 zł off (14,995 rounded).
    assert_eq!(
        nets(&invoice),
        [(LineKind::MonthlyFee, 5_999), (LineKind::Discount, -1_500)]
    );
    assert_eq!(invoice.lines[1].vat_minor, -345);
    assert_eq!(
        describe(&invoice.lines[1], crate::customers::Language::Ru),
        "Льгота: Karta Dużej Rodziny"
    );

    // A fixed 10 zł a month, for the whole month, and never more than the fees.
    let fixed = BenefitInput {
        kind: BenefitKind::Fixed,
        percent_bp: None,
        amount_minor: Some(1_000),
        valid: DayRange {
            from: day(2026, 1, 1),
            to: None,
        },
        ..half.clone()
    };
    let invoice = bill(
        period("2026-11"),
        std::slice::from_ref(&customer),
        &versions(),
        &[],
        &[fixed],
    )
    .unwrap();
    assert_eq!(
        nets(&invoice),
        [(LineKind::MonthlyFee, 5_999), (LineKind::Discount, -1_000)]
    );
    let huge = BenefitInput {
        kind: BenefitKind::Fixed,
        percent_bp: None,
        amount_minor: Some(100_000),
        valid: DayRange {
            from: day(2026, 1, 1),
            to: None,
        },
        ..half
    };
    let invoice = bill(period("2026-11"), &[customer], &versions(), &[], &[huge]).unwrap();
    assert_eq!(totals(&invoice.lines).expect("totals").1.net_minor, 0);
}

#[test]
fn nothing_to_bill_outside_the_days_of_service() {
    let mut ended = service(day(2026, 1, 1), &[(1, "Światłowód 300", day(2026, 1, 1))]);
    ended.service.to = Some(day(2026, 10, 31));
    assert!(
        bill(period("2026-11"), &[ended], &versions(), &[], &[])
            .unwrap()
            .lines
            .is_empty()
    );
    let prepaid = {
        let mut v = versions();
        for version in &mut v {
            version.prepaid = true;
        }
        v
    };
    let customer = service(day(2026, 1, 1), &[(1, "Światłowód 300", day(2026, 1, 1))]);
    assert!(
        bill(period("2026-11"), &[customer], &prepaid, &[], &[])
            .unwrap()
            .lines
            .is_empty()
    );
}

#[test]
fn amounts_beyond_what_an_invoice_can_hold_are_an_error_not_a_wrap() {
    let energy = service(day(2026, 1, 1), &[(3, "Energia G11", day(2026, 1, 1))]);
    let event = |d, quantity_milli| UsageInput {
        subscription_id: 7,
        unit: UsageUnit::Kwh,
        occurred_on: day(2026, 11, d),
        quantity_milli,
        billed: false,
    };
    // Two readings whose sum is past i64: the sum is checked.
    let overflowing = [event(10, i64::MAX), event(11, i64::MAX)];
    assert_eq!(
        bill(
            period("2026-11"),
            std::slice::from_ref(&energy),
            &versions(),
            &overflowing,
            &[]
        ),
        Err(BillingError::AmountTooLarge)
    );
    // A quantity that fits, at the dearest unit price, comes to more than an amount.
    let mut dear = versions();
    for v in dear.iter_mut().filter(|v| v.tariff_id == 3) {
        for rate in &mut v.usage_rates {
            rate.price_e4 = crate::tariffs::MAX_UNIT_PRICE_E4;
        }
    }
    assert_eq!(
        bill(
            period("2026-11"),
            std::slice::from_ref(&energy),
            &dear,
            &[event(10, i64::MAX)],
            &[]
        ),
        Err(BillingError::AmountTooLarge)
    );
    // A fee stored before fees had bounds: the line fits, its VAT does not.
    let mut old = versions();
    if let Some(v) = old.iter_mut().find(|v| v.id == 20) {
        v.monthly_fee_minor = i64::MAX;
    }
    let fibre = service(day(2026, 1, 1), &[(2, "Światłowód 600", day(2026, 1, 1))]);
    assert_eq!(
        bill(
            period("2026-11"),
            std::slice::from_ref(&fibre),
            &old,
            &[],
            &[]
        ),
        Err(BillingError::AmountTooLarge)
    );
}

#[test]
fn usage_that_came_after_its_month_was_invoiced() {
    // Energia G11: November at 0,6543 zł/kWh with 100 kWh free (version 30), December at
    // 0,7000 zł (version 31). November's invoice billed 80 kWh, all free. 50 kWh of
    // 28 November arrive on 3 December, with 40 kWh of 5 December.
    let mut usage = vec![
        kwh(day(2026, 11, 12), 80_000, true),
        kwh(day(2026, 11, 28), 50_000, false),
        kwh(day(2026, 12, 5), 40_000, false),
    ];
    let december = energy_bill("2026-12", &usage);
    // December: the fee 12,50 zł, 40 kWh within its allowance. November's late 50 kWh at
    // November's price, over the 80 kWh billed: 130 − 100 free = 30 × 0,6543 = 19,629 →
    // 19,63 zł (at December's price it would be 21,00 zł).
    assert_eq!(
        nets(&december),
        [
            (LineKind::MonthlyFee, 1_250),
            (LineKind::Usage, 0),
            (LineKind::Usage, 1_963)
        ]
    );
    let late = &december.lines[2];
    assert_eq!(
        (
            late.tariff_version_id,
            late.first_day,
            late.last_day,
            late.quantity_milli
        ),
        (
            Some(30),
            Some(day(2026, 11, 1)),
            Some(day(2026, 11, 30)),
            Some(50_000)
        )
    );
    assert_eq!(
        december.lines[1].first_day, None,
        "December's own usage names no month"
    );

    // Had it all come in time, November's usage line would have been the same 19,63 zł.
    let on_time: Vec<UsageInput> = usage
        .iter()
        .filter(|u| u.occurred_on.month() == 11)
        .map(|u| UsageInput {
            billed: false,
            ..*u
        })
        .collect();
    let november = energy_bill("2026-11", &on_time);
    assert_eq!(nets(&november)[1], (LineKind::Usage, 1_963));

    // Another 20 kWh of November in January: 150 kWh − 100 = 50 × 0,6543 = 32,715 → 32,72 zł
    // for the month, of which 19,63 zł was charged: 13,09 zł, so November adds up.
    for u in &mut usage {
        u.billed = true;
    }
    usage.push(kwh(day(2026, 11, 30), 20_000, false));
    let january = energy_bill("2027-01", &usage);
    assert_eq!(
        nets(&january),
        [(LineKind::MonthlyFee, 1_250), (LineKind::Usage, 1_309)]
    );
}

proptest::proptest! {
    /// However November's usage arrives — on time or in later months, in any batches — the
    /// lines it ends up on add up to what it would cost billed at once.
    #[test]
    fn a_months_usage_costs_the_same_however_late_it_arrives(
        events in proptest::collection::vec((1u32..=30, 0i64..200_000, 0usize..4), 1..12)
    ) {
        let november = |d: u32, quantity_milli, billed| kwh(day(2026, 11, d), quantity_milli, billed);
        let usage_net = |invoice: &Bill| -> i64 {
            invoice
                .lines
                .iter()
                .filter(|l| l.kind == LineKind::Usage)
                .map(|l| l.net_minor)
                .sum()
        };
        let all: Vec<UsageInput> = events.iter().map(|(d, q, _)| november(*d, *q, false)).collect();
        let at_once = usage_net(&energy_bill("2026-11", &all));

        // Batch 0 comes in time for November's invoice; batch n with the invoice n months on.
        let mut billed: Vec<UsageInput> = Vec::new();
        let mut total = 0;
        let mut month = period("2026-11");
        for batch in 0..4 {
            let arrived: Vec<UsageInput> = events
                .iter()
                .filter(|(_, _, b)| *b == batch)
                .map(|(d, q, _)| november(*d, *q, false))
                .collect();
            let usage: Vec<UsageInput> = billed.iter().copied().chain(arrived.iter().copied()).collect();
            total += usage_net(&energy_bill(&month.to_string(), &usage));
            billed.extend(arrived.into_iter().map(|u| UsageInput { billed: true, ..u }));
            month = month.next();
        }
        proptest::prop_assert_eq!(total, at_once);
    }
}
