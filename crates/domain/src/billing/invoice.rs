//! What a customer's invoice for a period holds (R-20..R-23): monthly fees for the days of
//! service, usage rated by the tariff version in force when it happened, one-off fees of
//! services that started in the period, and benefits as discount lines; VAT per line.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::Period;
use super::proration::{DayRange, days_in, piece_charge, runs, runs_charge};
use crate::benefits::BenefitKind;
use crate::money::{AmountTooLarge, BASIS_POINTS, add, div_round_half_up, to_minor, vat};
use crate::tariffs::{
    OneOffFee, Tier, UsageRate, UsageUnit, price_units, priced_to_minor, version_in_force,
};

wire_enum! {
    /// What an invoice line charges for.
    pub enum LineKind {
        /// A tariff's monthly fee for the days of service in the period.
        MonthlyFee,
        /// Usage (traffic, calls, energy) rated by the tariff.
        Usage,
        /// Installation, activation and other fees charged once.
        OneOffFee,
        /// A statutory benefit, negative.
        Discount,
        /// A line changed by a correction note.
        Correction,
    }
}

/// A dated price of a tariff: what billing needs of a tariff version.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PriceVersion {
    pub id: i64,
    pub tariff_id: i64,
    pub effective_from: NaiveDate,
    pub monthly_fee_minor: i64,
    pub vat_rate_bp: i32,
    pub currency: String,
    pub prepaid: bool,
    pub one_off_fees: Vec<OneOffFee>,
    pub usage_rates: Vec<UsageRate>,
}

/// Since when a subscription is on a tariff.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TariffSpan {
    pub tariff_id: i64,
    pub tariff_name: String,
    pub from: NaiveDate,
}

/// A service as billing sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServiceInput {
    pub subscription_id: i64,
    /// Days of service: from activation to the last day before termination.
    pub service: DayRange,
    /// Paused days: not charged.
    pub pauses: Vec<DayRange>,
    /// The tariff history, any order.
    pub tariffs: Vec<TariffSpan>,
}

/// Usage of one day (events of a day may be summed by the caller).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct UsageInput {
    pub subscription_id: i64,
    pub unit: UsageUnit,
    pub occurred_on: NaiveDate,
    pub quantity_milli: i64,
    /// On an invoice already: not charged again, but it used up the month's allowance and
    /// price bands before usage that came late.
    pub billed: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BenefitInput {
    pub name: String,
    pub kind: BenefitKind,
    pub percent_bp: Option<i32>,
    pub amount_minor: Option<i64>,
    pub valid: DayRange,
}

/// An invoice line before it is issued. Amounts are minor units; `net + vat = gross`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DraftLine {
    pub kind: LineKind,
    pub subscription_id: Option<i64>,
    pub tariff_version_id: Option<i64>,
    /// The tariff, fee or benefit name.
    pub label: String,
    /// Monthly fees: the first and last day charged, and how many days of the month. Usage
    /// of an earlier month that came after its invoice: that month's first and last
    /// day.
    pub first_day: Option<NaiveDate>,
    pub last_day: Option<NaiveDate>,
    pub days: Option<u32>,
    pub month_days: Option<u32>,
    /// Monthly fees: the runs of days charged, first and last day of each; more than one
    /// when a pause falls between `first_day` and `last_day`.
    pub day_runs: Vec<(NaiveDate, NaiveDate)>,
    /// Usage: what and how much (thousandths of the unit).
    pub unit: Option<UsageUnit>,
    pub quantity_milli: Option<i64>,
    pub net_minor: i64,
    pub vat_rate_bp: i32,
    pub vat_minor: i64,
    pub gross_minor: i64,
}

impl DraftLine {
    fn priced(mut self, net_minor: i64, vat_rate_bp: i32) -> Result<Self, AmountTooLarge> {
        self.net_minor = net_minor;
        self.vat_rate_bp = vat_rate_bp;
        self.vat_minor = vat(net_minor, vat_rate_bp);
        self.gross_minor = add(net_minor, self.vat_minor)?;
        Ok(self)
    }

    pub(crate) fn blank(kind: LineKind, label: String) -> Self {
        Self {
            kind,
            subscription_id: None,
            tariff_version_id: None,
            label,
            first_day: None,
            last_day: None,
            days: None,
            month_days: None,
            day_runs: Vec::new(),
            unit: None,
            quantity_milli: None,
            net_minor: 0,
            vat_rate_bp: 0,
            vat_minor: 0,
            gross_minor: 0,
        }
    }
}

/// The sums of an invoice for one VAT rate, or of one line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct VatTotal {
    pub vat_rate_bp: i32,
    pub net_minor: i64,
    pub vat_minor: i64,
    pub gross_minor: i64,
}

impl VatTotal {
    const ZERO: Self = Self {
        vat_rate_bp: 0,
        net_minor: 0,
        vat_minor: 0,
        gross_minor: 0,
    };

    fn add(self, other: Self) -> Result<Self, AmountTooLarge> {
        Ok(Self {
            vat_rate_bp: self.vat_rate_bp,
            net_minor: add(self.net_minor, other.net_minor)?,
            vat_minor: add(self.vat_minor, other.vat_minor)?,
            gross_minor: add(self.gross_minor, other.gross_minor)?,
        })
    }
}

impl DraftLine {
    /// The line's amounts, as totals add them.
    pub fn amounts(&self) -> VatTotal {
        VatTotal {
            vat_rate_bp: self.vat_rate_bp,
            net_minor: self.net_minor,
            vat_minor: self.vat_minor,
            gross_minor: self.gross_minor,
        }
    }
}

/// The totals of an invoice: per VAT rate, highest rate first, and the whole.
pub type Totals = (Vec<VatTotal>, VatTotal);

/// Totals of a draft's lines per VAT rate, highest rate first, and the invoice's total.
pub fn totals(lines: &[DraftLine]) -> Result<Totals, AmountTooLarge> {
    totals_of(lines.iter().map(DraftLine::amounts))
}

/// Totals of lines' amounts per VAT rate, highest rate first, and their sum: an invoice's
/// summary, whether drafted or issued.
pub fn totals_of(lines: impl IntoIterator<Item = VatTotal>) -> Result<Totals, AmountTooLarge> {
    let mut by_rate: BTreeMap<i32, VatTotal> = BTreeMap::new();
    for line in lines {
        let total = by_rate.entry(line.vat_rate_bp).or_insert(VatTotal {
            vat_rate_bp: line.vat_rate_bp,
            ..VatTotal::ZERO
        });
        *total = total.add(line)?;
    }
    let rates: Vec<VatTotal> = by_rate.into_values().rev().collect();
    let all = rates
        .iter()
        .try_fold(VatTotal::ZERO, |sum, t| sum.add(*t))?;
    Ok((rates, all))
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BillingError {
    #[error("subscription {0} has no tariff")]
    NoTariff(i64),
    #[error("tariff {tariff_id} has no price in force on {day}")]
    NoPrice { tariff_id: i64, day: NaiveDate },
    #[error("the customer's services are priced in more than one currency")]
    MixedCurrencies,
    #[error("the invoice's amounts add up to more than an amount can hold")]
    AmountTooLarge,
}

impl From<AmountTooLarge> for BillingError {
    fn from(_: AmountTooLarge) -> Self {
        Self::AmountTooLarge
    }
}

/// Everything billed to one customer for one period.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Bill {
    pub currency: String,
    pub lines: Vec<DraftLine>,
}

/// Looks up the tariff and price of a subscription on a day.
struct Pricing<'a> {
    versions: BTreeMap<i64, Vec<&'a PriceVersion>>,
}

impl<'a> Pricing<'a> {
    fn new(versions: &'a [PriceVersion]) -> Self {
        let mut by_tariff: BTreeMap<i64, Vec<&PriceVersion>> = BTreeMap::new();
        for version in versions {
            by_tariff
                .entry(version.tariff_id)
                .or_default()
                .push(version);
        }
        Self {
            versions: by_tariff,
        }
    }

    /// The tariff span and the version in force on `day`; the first span for days before it.
    fn on(
        &self,
        service: &'a ServiceInput,
        day: NaiveDate,
    ) -> Result<(&'a TariffSpan, &'a PriceVersion), BillingError> {
        let span = version_in_force(&service.tariffs, |s| s.from, day)
            .or_else(|| service.tariffs.iter().min_by_key(|s| s.from))
            .ok_or(BillingError::NoTariff(service.subscription_id))?;
        let versions = self
            .versions
            .get(&span.tariff_id)
            .map(Vec::as_slice)
            .unwrap_or_default();
        let version = version_in_force(versions, |v| v.effective_from, day)
            .or_else(|| versions.iter().min_by_key(|v| v.effective_from))
            .copied()
            .ok_or(BillingError::NoPrice {
                tariff_id: span.tariff_id,
                day,
            })?;
        Ok((span, version))
    }
}

/// The version a subscription is on for each day of the period, and whether the day is a day
/// of service.
struct ServiceMonth<'a> {
    days: Vec<(NaiveDate, &'a TariffSpan, &'a PriceVersion, bool)>,
}

impl<'a> ServiceMonth<'a> {
    fn new(
        period: Period,
        service: &'a ServiceInput,
        pricing: &Pricing<'a>,
    ) -> Result<Self, BillingError> {
        let mut days = Vec::with_capacity(31);
        for day in period.each_day() {
            let (span, version) = pricing.on(service, day)?;
            let served =
                service.service.contains(day) && !service.pauses.iter().any(|p| p.contains(day));
            days.push((day, span, version, served));
        }
        Ok(Self { days })
    }

    /// Versions met in the month, in order of their first day.
    fn versions(&self) -> Vec<(&'a TariffSpan, &'a PriceVersion)> {
        let mut seen: Vec<(&TariffSpan, &PriceVersion)> = Vec::new();
        for (_, span, version, _) in &self.days {
            if !seen.iter().any(|(_, v)| v.id == version.id) {
                seen.push((span, version));
            }
        }
        seen
    }

    /// The days of service charged at a monthly fee of `fee_minor`, whichever tariff or
    /// version it is on: one count for the rounding.
    fn charged_at_fee(&self, period: Period, fee_minor: i64) -> Vec<(u32, u32)> {
        runs(period, |day| {
            self.days.iter().any(|(d, _, v, served)| {
                *d == day && *served && !v.prepaid && v.monthly_fee_minor == fee_minor
            })
        })
    }

    fn is_on(&self, day: NaiveDate, version_id: i64, served_only: bool) -> bool {
        self.days
            .iter()
            .any(|(d, _, v, served)| *d == day && v.id == version_id && (*served || !served_only))
    }
}

/// R-20..R-23: the lines of one customer's invoice for `period`. Services on prepaid tariffs
/// are charged day by day from the balance instead and are left out. An empty bill
/// means there is nothing to invoice.
pub fn bill(
    period: Period,
    services: &[ServiceInput],
    versions: &[PriceVersion],
    usage: &[UsageInput],
    benefits: &[BenefitInput],
) -> Result<Bill, BillingError> {
    let pricing = Pricing::new(versions);
    let mut fee_lines = Vec::new();
    let mut other_lines = Vec::new();
    let mut currencies: Vec<&str> = Vec::new();
    for service in services {
        let month = ServiceMonth::new(period, service, &pricing)?;
        for (span, version) in month.versions() {
            if version.prepaid {
                continue;
            }
            let charged = runs(period, |d| month.is_on(d, version.id, true));
            let at_price = month.charged_at_fee(period, version.monthly_fee_minor);
            if let Some(line) =
                monthly_fee_line(period, service, span, version, &at_price, &charged)?
            {
                currencies.push(&version.currency);
                fee_lines.push(FeeLine {
                    line,
                    charged,
                    at_price,
                    monthly_fee_minor: version.monthly_fee_minor,
                });
            }
            let on_version = runs(period, |d| {
                month.is_on(d, version.id, false) && service.service.contains(d)
            });
            for line in usage_lines(period, service, span, version, usage, &month, &on_version)? {
                currencies.push(&version.currency);
                other_lines.push(line);
            }
        }
        // One-off fees come with the period the service starts in.
        if period.contains(service.service.from) {
            let (_, version) = pricing.on(service, service.service.from)?;
            if !version.prepaid {
                for fee in &version.one_off_fees {
                    currencies.push(&version.currency);
                    let mut line = DraftLine::blank(LineKind::OneOffFee, fee.name.clone());
                    line.subscription_id = Some(service.subscription_id);
                    line.tariff_version_id = Some(version.id);
                    other_lines.push(line.priced(fee.amount_minor, version.vat_rate_bp)?);
                }
            }
        }
    }
    for late in late_periods(period, usage) {
        for line in late_usage_lines(late, services, &pricing, usage)? {
            currencies.push(line.currency);
            other_lines.push(line.line);
        }
    }
    currencies.dedup();
    let currency = match currencies.as_slice() {
        [] => "PLN".to_owned(),
        [one] => (*one).to_owned(),
        [first, rest @ ..] if rest.iter().all(|c| c == first) => (*first).to_owned(),
        _ => return Err(BillingError::MixedCurrencies),
    };
    let discounts = discount_lines(period, &fee_lines, benefits)?;
    let mut lines: Vec<DraftLine> = fee_lines.into_iter().map(|f| f.line).collect();
    lines.extend(other_lines);
    lines.extend(discounts);
    // Each line fits; the invoice's sums must too, or it cannot be issued.
    totals(&lines)?;
    Ok(Bill { currency, lines })
}

/// the earlier months with usage that no invoice has billed yet, oldest first.
fn late_periods(period: Period, usage: &[UsageInput]) -> Vec<Period> {
    let mut late: Vec<Period> = usage
        .iter()
        .filter(|u| !u.billed && u.occurred_on < period.first_day())
        .map(|u| Period::of(u.occurred_on))
        .collect();
    late.sort_unstable_by_key(|p| p.first_day());
    late.dedup();
    late
}

/// A line and the currency of the version that priced it.
struct PricedLine<'a> {
    line: DraftLine,
    currency: &'a str,
}

/// usage of `late`, an earlier month, that came after that month's invoice: rated by
/// the version in force on its days, at the margin over what the month billed already, so
/// the month's allowance is given once. Each line names the month.
fn late_usage_lines<'a>(
    late: Period,
    services: &'a [ServiceInput],
    pricing: &Pricing<'a>,
    usage: &[UsageInput],
) -> Result<Vec<PricedLine<'a>>, BillingError> {
    let mut lines = Vec::new();
    for service in services {
        let arrived = |u: &UsageInput| {
            u.subscription_id == service.subscription_id
                && !u.billed
                && late.contains(u.occurred_on)
        };
        if !usage.iter().any(arrived) {
            continue;
        }
        let month = ServiceMonth::new(late, service, pricing)?;
        for (span, version) in month.versions() {
            if version.prepaid {
                continue;
            }
            let on_version = runs(late, |d| {
                month.is_on(d, version.id, false) && service.service.contains(d)
            });
            for mut line in usage_lines(late, service, span, version, usage, &month, &on_version)? {
                line.first_day = Some(late.first_day());
                line.last_day = Some(late.last_day());
                lines.push(PricedLine {
                    line,
                    currency: &version.currency,
                });
            }
        }
    }
    Ok(lines)
}

/// A monthly fee line with the days it charges, all the days of the month charged at its
/// price, and the fee of the whole month.
struct FeeLine {
    line: DraftLine,
    charged: Vec<(u32, u32)>,
    at_price: Vec<(u32, u32)>,
    monthly_fee_minor: i64,
}

fn monthly_fee_line(
    period: Period,
    service: &ServiceInput,
    span: &TariffSpan,
    version: &PriceVersion,
    at_price: &[(u32, u32)],
    charged: &[(u32, u32)],
) -> Result<Option<DraftLine>, AmountTooLarge> {
    let (Some((first, _)), Some((_, last))) = (charged.first().copied(), charged.last().copied())
    else {
        return Ok(None);
    };
    let days = days_in(charged);
    let net = piece_charge(version.monthly_fee_minor, at_price, charged, period.days());
    let day = |n: u32| period.first_day() + chrono::Duration::days(i64::from(n) - 1);
    let mut line = DraftLine::blank(LineKind::MonthlyFee, span.tariff_name.clone());
    line.subscription_id = Some(service.subscription_id);
    line.tariff_version_id = Some(version.id);
    line.first_day = Some(day(first));
    line.last_day = Some(day(last));
    line.days = Some(days);
    line.month_days = Some(period.days());
    line.day_runs = charged.iter().map(|(a, b)| (day(*a), day(*b))).collect();
    line.priced(net, version.vat_rate_bp).map(Some)
}

/// A monthly allowance and price bands shrink in proportion to the days the subscription is
/// on a version in the month (rounded down to a thousandth of the unit), so a change of
/// tariff mid-month does not give two allowances.
fn share_of_month(rate: &UsageRate, days: u32, month_days: u32) -> UsageRate {
    let scale =
        |milli: i64| to_minor(i128::from(milli) * i128::from(days) / i128::from(month_days.max(1)));
    UsageRate {
        unit: rate.unit,
        price_e4: rate.price_e4,
        free_allowance_milli: scale(rate.free_allowance_milli),
        tiers: rate
            .tiers
            .iter()
            .map(|t| Tier {
                up_to_milli: t.up_to_milli.map(scale),
                price_e4: t.price_e4,
            })
            .collect(),
    }
}

fn usage_lines(
    period: Period,
    service: &ServiceInput,
    span: &TariffSpan,
    version: &PriceVersion,
    usage: &[UsageInput],
    month: &ServiceMonth<'_>,
    on_version: &[(u32, u32)],
) -> Result<Vec<DraftLine>, AmountTooLarge> {
    let days_on_version = days_in(on_version);
    // Per unit: what an invoice billed already, and what is still to bill.
    let mut by_unit: BTreeMap<UsageUnit, (i64, Option<i64>)> = BTreeMap::new();
    for event in usage.iter().filter(|u| {
        u.subscription_id == service.subscription_id
            && period.contains(u.occurred_on)
            && month.is_on(u.occurred_on, version.id, false)
    }) {
        let (billed, to_bill) = by_unit.entry(event.unit).or_default();
        if event.billed {
            *billed = add(*billed, event.quantity_milli)?;
        } else {
            *to_bill = Some(add(to_bill.unwrap_or(0), event.quantity_milli)?);
        }
    }
    let mut lines = Vec::new();
    for (unit, (billed, to_bill)) in by_unit {
        let Some(quantity) = to_bill else {
            continue;
        };
        let Some(rate) = version.usage_rates.iter().find(|r| r.unit == unit) else {
            continue;
        };
        let rate = share_of_month(rate, days_on_version.max(1), period.days());
        // The month's whole usage priced, less what its invoice charged: late usage pays the
        // margin, and the month's lines add up to the price of all of it.
        let whole = priced_to_minor(price_units(&rate, 0, add(billed, quantity)?))?;
        let charged = priced_to_minor(price_units(&rate, 0, billed))?;
        let net = whole.checked_sub(charged).ok_or(AmountTooLarge)?;
        let mut line = DraftLine::blank(LineKind::Usage, span.tariff_name.clone());
        line.subscription_id = Some(service.subscription_id);
        line.tariff_version_id = Some(version.id);
        line.unit = Some(unit);
        line.quantity_milli = Some(quantity);
        lines.push(line.priced(net, version.vat_rate_bp)?);
    }
    Ok(lines)
}

/// Benefits reduce the monthly fees of the days they hold: a percentage of each fee,
/// or a fixed amount a month shared out over the days it holds; never more than the fees.
fn discount_lines(
    period: Period,
    fee_lines: &[FeeLine],
    benefits: &[BenefitInput],
) -> Result<Vec<DraftLine>, AmountTooLarge> {
    let mut lines = Vec::new();
    let mut room: BTreeMap<i32, i64> = BTreeMap::new();
    for fee in fee_lines {
        let rate_room = room.entry(fee.line.vat_rate_bp).or_default();
        *rate_room = add(*rate_room, fee.line.net_minor)?;
    }
    for benefit in benefits {
        let holds = |day: NaiveDate| benefit.valid.contains(day);
        match benefit.kind {
            BenefitKind::Percent => {
                let bp = i128::from(benefit.percent_bp.unwrap_or(0));
                let mut by_rate: BTreeMap<i32, i64> = BTreeMap::new();
                for fee in fee_lines {
                    let covered = intersect(period, &fee.charged, &holds);
                    let base = piece_charge(
                        fee.monthly_fee_minor,
                        &fee.at_price,
                        &covered,
                        period.days(),
                    );
                    let rate_base = by_rate.entry(fee.line.vat_rate_bp).or_default();
                    *rate_base = add(*rate_base, base)?;
                }
                for (rate, base) in by_rate.into_iter().rev() {
                    let available = room.get(&rate).copied().unwrap_or(0);
                    let off = to_minor(div_round_half_up(i128::from(base) * bp, BASIS_POINTS))
                        .min(available);
                    if off > 0 {
                        room.insert(rate, available - off);
                        lines.push(discount(benefit, off, rate)?);
                    }
                }
            }
            BenefitKind::Fixed => {
                let holding = runs(period, holds);
                let amount = runs_charge(benefit.amount_minor.unwrap_or(0), &holding, period);
                // Off the fees of the rate with the most room left.
                if let Some((rate, available)) =
                    room.iter().max_by_key(|(_, r)| **r).map(|(k, v)| (*k, *v))
                {
                    let off = amount.min(available);
                    if off > 0 {
                        room.insert(rate, available - off);
                        lines.push(discount(benefit, off, rate)?);
                    }
                }
            }
        }
    }
    Ok(lines)
}

fn discount(benefit: &BenefitInput, off: i64, rate: i32) -> Result<DraftLine, AmountTooLarge> {
    DraftLine::blank(LineKind::Discount, benefit.name.clone()).priced(-off, rate)
}

/// The parts of `charged` runs on which `holds` is true.
fn intersect(
    period: Period,
    charged: &[(u32, u32)],
    holds: &impl Fn(NaiveDate) -> bool,
) -> Vec<(u32, u32)> {
    let day = |n: u32| period.first_day() + chrono::Duration::days(i64::from(n) - 1);
    runs(period, |d| {
        let n = period.day_number(d);
        charged.iter().any(|(a, b)| *a <= n && n <= *b) && holds(day(n))
    })
}
