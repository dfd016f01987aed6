//! The ledger check (`okno check`, `GET /ledger-check`): the invariants of money and
//! numbering, held against the whole database — after a crash, a restore, or just to know.
//! It reads; it never repairs.

use std::collections::{BTreeMap, HashMap};

use chrono::{DateTime, Utc};
use okno_api_types::health::{LedgerCheck, LedgerFinding};
use okno_db::DbConnection;
use okno_db::billing::BillingRunRecord;
use okno_db::invoices::InvoiceFacts;
use okno_db::sequences;
use okno_domain::billing::{EntryKind, InvoiceKind, LedgerInvariant, numbering_faults};

use crate::config::BillingSettings;
use crate::error::ApiResult;

/// Checks every invariant and answers what it found.
pub fn check(
    conn: &mut DbConnection,
    settings: &BillingSettings,
    now: DateTime<Utc>,
) -> ApiResult<LedgerCheck> {
    let invoices = InvoiceFacts::all(conn)?;
    let counters: BTreeMap<String, i64> = sequences::all(conn)?.into_iter().collect();
    let mut findings = Vec::new();
    numbering(&invoices, &counters, settings, &mut findings);
    totals(&invoices, &InvoiceFacts::line_amounts(conn)?, &mut findings);
    bookings(&invoices, &InvoiceFacts::bookings(conn)?, &mut findings);
    one_per_period(&invoices, &mut findings);
    allocation(conn, &mut findings)?;
    payment_bookings(conn, &mut findings)?;
    for (run, period, open) in BillingRunRecord::finished_with_open_items(conn)? {
        findings.push(finding(
            LedgerInvariant::RunItems,
            format!("billing run {run} of {period} is finished with {open} customers open"),
        ));
    }
    Ok(LedgerCheck {
        checked_at: now,
        invoices: i64::try_from(invoices.len()).unwrap_or(i64::MAX),
        sequences: i64::try_from(counters.len()).unwrap_or(i64::MAX),
        findings,
    })
}

/// an entry's open part is its amount less what allocations match of it.
fn allocation(conn: &mut DbConnection, findings: &mut Vec<LedgerFinding>) -> ApiResult<()> {
    let (entries, matched) = okno_db::payments::matching_facts(conn)?;
    let matched: HashMap<i64, i64> = matched.into_iter().collect();
    for (id, amount, open) in entries {
        let whole = i128::from(amount).abs();
        let used = i128::from(matched.get(&id).copied().unwrap_or(0));
        let open = i128::from(open);
        if open < 0 || open > whole || whole - used != open {
            findings.push(finding(
                LedgerInvariant::Allocation,
                format!(
                    "account entry {id}: amount {amount}, {used} matched by allocations, {open} open"
                ),
            ));
        }
    }
    Ok(())
}

/// Each payment is booked once for its amount, and booked back once if reversed.
fn payment_bookings(conn: &mut DbConnection, findings: &mut Vec<LedgerFinding>) -> ApiResult<()> {
    let (payments, entries) = okno_db::payments::booking_facts(conn)?;
    let mut booked: HashMap<i64, Vec<(EntryKind, i64)>> = HashMap::new();
    for (payment, kind, amount) in entries {
        booked.entry(payment).or_default().push((kind, amount));
    }
    for (id, amount, reversed) in payments {
        let mut found = booked.remove(&id).unwrap_or_default();
        found.sort_unstable();
        let mut expected = vec![(EntryKind::Payment, amount)];
        if reversed {
            expected.push((EntryKind::PaymentReversal, -amount));
        }
        expected.sort_unstable();
        if found != expected {
            findings.push(finding(
                LedgerInvariant::PaymentBooking,
                format!("payment {id} of {amount}: booked as {found:?}"),
            ));
        }
    }
    for payment in booked.keys() {
        findings.push(finding(
            LedgerInvariant::PaymentBooking,
            format!("entries book payment {payment}, which does not exist"),
        ));
    }
    Ok(())
}

fn finding(invariant: LedgerInvariant, detail: String) -> LedgerFinding {
    LedgerFinding { invariant, detail }
}

/// per series and year, the numbers used are exactly those the counter handed out.
fn numbering(
    invoices: &[InvoiceFacts],
    counters: &BTreeMap<String, i64>,
    settings: &BillingSettings,
    findings: &mut Vec<LedgerFinding>,
) {
    let mut used: BTreeMap<String, Vec<i64>> = BTreeMap::new();
    for invoice in invoices {
        let format = match invoice.kind {
            InvoiceKind::Invoice => &settings.invoice_format,
            InvoiceKind::Correction => &settings.correction_format,
        };
        let sequence = format.sequence(&invoice.series, invoice.issue_date);
        match format.sequence_number(&invoice.number) {
            Some(n) => used.entry(sequence).or_default().push(n),
            None => findings.push(finding(
                LedgerInvariant::Numbering,
                format!(
                    "{} (invoice {}) is not written by the configured number format",
                    invoice.number, invoice.id
                ),
            )),
        }
    }
    for (sequence, next) in counters
        .iter()
        .filter(|(name, _)| name.starts_with("invoice:"))
    {
        let numbers = used.remove(sequence).unwrap_or_default();
        let faults = numbering_faults(numbers, next - 1);
        let list = |ns: &[i64]| {
            let shown: Vec<String> = ns.iter().take(20).map(i64::to_string).collect();
            let more = ns.len().saturating_sub(20);
            if more > 0 {
                format!("{} and {more} more", shown.join(", "))
            } else {
                shown.join(", ")
            }
        };
        for (what, ns) in [
            ("missing", &faults.missing),
            ("used twice", &faults.twice),
            ("beyond the counter", &faults.beyond),
        ] {
            if !ns.is_empty() {
                findings.push(finding(
                    LedgerInvariant::Numbering,
                    format!("{sequence}: numbers {what}: {}", list(ns)),
                ));
            }
        }
    }
    for (sequence, numbers) in used {
        findings.push(finding(
            LedgerInvariant::Numbering,
            format!(
                "{sequence}: {} numbers used without a counter",
                numbers.len()
            ),
        ));
    }
}

/// An invoice's amounts are the sums of its lines, and its net and VAT make its gross.
fn totals(
    invoices: &[InvoiceFacts],
    lines: &[(i64, i64, i64, i64)],
    findings: &mut Vec<LedgerFinding>,
) {
    let mut sums: HashMap<i64, (i128, i128, i128)> = HashMap::new();
    for (invoice, net, vat, gross) in lines {
        let sum = sums.entry(*invoice).or_default();
        *sum = (
            sum.0 + i128::from(*net),
            sum.1 + i128::from(*vat),
            sum.2 + i128::from(*gross),
        );
    }
    for invoice in invoices {
        let stated = (
            i128::from(invoice.net_minor),
            i128::from(invoice.vat_minor),
            i128::from(invoice.gross_minor),
        );
        let summed = sums.get(&invoice.id).copied().unwrap_or_default();
        if stated != summed || stated.0 + stated.1 != stated.2 {
            findings.push(finding(
                LedgerInvariant::InvoiceTotals,
                format!(
                    "{}: net {}, VAT {}, gross {}; its lines sum to {}, {}, {}",
                    invoice.number, stated.0, stated.1, stated.2, summed.0, summed.1, summed.2
                ),
            ));
        }
    }
}

/// Each invoice and note is booked once, the customer owing its gross.
fn bookings(invoices: &[InvoiceFacts], booked: &[(i64, i64)], findings: &mut Vec<LedgerFinding>) {
    let mut by_invoice: HashMap<i64, Vec<i64>> = HashMap::new();
    for (invoice, amount) in booked {
        by_invoice.entry(*invoice).or_default().push(*amount);
    }
    for invoice in invoices {
        let amounts = by_invoice
            .get(&invoice.id)
            .map(Vec::as_slice)
            .unwrap_or_default();
        let owed = invoice.gross_minor.checked_neg();
        if amounts.len() != 1 || amounts.first().copied() != owed {
            findings.push(finding(
                LedgerInvariant::Booking,
                format!(
                    "{} (gross {}) is booked {} time(s): {amounts:?}",
                    invoice.number,
                    invoice.gross_minor,
                    amounts.len()
                ),
            ));
        }
    }
}

/// One invoice per customer and period (correction notes aside).
fn one_per_period(invoices: &[InvoiceFacts], findings: &mut Vec<LedgerFinding>) {
    let mut seen: HashMap<(i64, &str), &str> = HashMap::new();
    for invoice in invoices.iter().filter(|i| i.kind == InvoiceKind::Invoice) {
        let Some(period) = invoice.period.as_deref() else {
            continue;
        };
        if let Some(first) = seen.insert((invoice.customer_id, period), &invoice.number) {
            findings.push(finding(
                LedgerInvariant::OneInvoicePerPeriod,
                format!(
                    "customer {} has {first} and {} for {period}",
                    invoice.customer_id, invoice.number
                ),
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use chrono::NaiveDate;

    use super::*;

    fn facts(id: i64, number: &str, gross: i64) -> InvoiceFacts {
        InvoiceFacts {
            id,
            number: number.into(),
            kind: InvoiceKind::Invoice,
            series: "FV".into(),
            customer_id: id,
            period: Some("2026-11".into()),
            issue_date: NaiveDate::from_ymd_opt(2026, 12, 1).unwrap_or_default(),
            net_minor: gross,
            vat_minor: 0,
            gross_minor: gross,
        }
    }

    #[test]
    fn finds_what_is_out_of_line() {
        let settings = BillingSettings::default();
        let invoices = vec![
            facts(1, "FV/2026/12/000001", 100),
            facts(2, "FV/2026/12/000003", 200),
            InvoiceFacts {
                customer_id: 2,
                ..facts(3, "FV/2026/12/000003", 300)
            },
        ];
        let counters = BTreeMap::from([("invoice:FV:2026".to_owned(), 5)]);
        let mut found = Vec::new();
        numbering(&invoices, &counters, &settings, &mut found);
        let details: Vec<&str> = found.iter().map(|f| f.detail.as_str()).collect();
        assert_eq!(
            details,
            [
                "invoice:FV:2026: numbers missing: 2, 4",
                "invoice:FV:2026: numbers used twice: 3"
            ]
        );
        let mut found = Vec::new();
        totals(&invoices, &[(1, 100, 0, 100), (2, 150, 0, 150)], &mut found);
        assert_eq!(found.len(), 2, "{found:?}");
        let mut found = Vec::new();
        bookings(
            &invoices,
            &[(1, -100), (2, -200), (2, -200), (3, 300)],
            &mut found,
        );
        assert_eq!(found.len(), 2, "{found:?}");
        let mut found = Vec::new();
        one_per_period(&invoices, &mut found);
        assert_eq!(found.len(), 1, "{found:?}");
    }
}
