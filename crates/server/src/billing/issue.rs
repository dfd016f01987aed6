//! Billing a batch of customers: read what they had in the period, price it by the rules of
//! `okno-domain`, and issue their invoices in one transaction — numbers taken as a block
//! from the series' sequence at its end, so a batch that fails takes no numbers and
//! workers wait for each other only while numbers are given and the invoices booked.

use chrono::{DateTime, Duration, Utc};
use okno_api_types::billing::InvoiceParty;
use okno_db::billing::{BillingRunRecord, ClaimedItem, ItemOutcome, batch};
use okno_db::contracts::{SubscriptionTariffRecord, SuspensionRecord};
use okno_db::customers::CustomerRecord;
use okno_db::invoices::{InvoiceRecord, NewAccountEntryRow, NewInvoiceLineRow, NewInvoiceRow};
use okno_db::usage::UsageEvents;
use okno_db::{DbConnection, sequences, write_transaction};
use okno_domain::billing::readings::LateUsageWindow;
use okno_domain::billing::{
    Bill, DraftLine, EntryKind, InvoiceKind, Period, PriceVersion, bill, describe, totals,
};

use super::inputs::{self, by_customer};
use crate::config::{BillingSettings, OperatorDetails};
use crate::contracts::papers::customer_party;
use crate::error::{ApiError, ApiResult};
use crate::notifications::{self, Notice, Sender};
use crate::stored_json::encode;
use crate::time::to_db;

/// What a worker needs besides the database: the run, the settings and the prices.
pub struct BillingContext {
    pub run: BillingRunRecord,
    pub period: Period,
    pub settings: BillingSettings,
    pub seller: InvoiceParty,
    pub versions: Vec<PriceVersion>,
    /// Who the invoice notices come from.
    pub sender: Sender,
}

impl BillingContext {
    pub fn new(
        conn: &mut DbConnection,
        run: BillingRunRecord,
        settings: &BillingSettings,
        operator: &OperatorDetails,
    ) -> ApiResult<Self> {
        let period: Period = run.period.parse().map_err(|_| {
            ApiError::Internal(format!(
                "billing run {} has a bad period {:?}",
                run.id, run.period
            ))
        })?;
        Ok(Self {
            run,
            period,
            settings: settings.clone(),
            seller: seller(operator),
            versions: inputs::price_versions(conn)?,
            sender: Sender::new(operator, settings),
        })
    }
}

impl BillingContext {
    /// The day the run's invoices are due.
    pub fn due_date(&self) -> chrono::NaiveDate {
        self.run.issue_date + Duration::days(i64::from(self.settings.payment_term_days))
    }
}

pub fn seller(operator: &OperatorDetails) -> InvoiceParty {
    InvoiceParty {
        name: operator.name.clone(),
        address: operator.address.clone(),
        tax_id: Some(operator.tax_id.clone()),
        account_number: None,
        bank_account: Some(operator.bank_account.clone()),
    }
}

pub fn buyer(customer: &CustomerRecord) -> ApiResult<InvoiceParty> {
    let party = customer_party(customer)?;
    Ok(InvoiceParty {
        name: party.name,
        address: party.address,
        tax_id: party.tax_id,
        account_number: party.account_number,
        bank_account: None,
    })
}

/// What became of a batch.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct BatchReport {
    pub invoiced: usize,
    pub skipped: usize,
    pub failed: usize,
}

/// What became of each item (by id) that did not produce a draft.
type Outcomes = Vec<(i64, ItemOutcome)>;

/// A customer's invoice, priced, waiting for its number.
struct Draft {
    item_id: i64,
    customer: CustomerRecord,
    bill: Bill,
    /// The usage records no invoice had billed that this one bills.
    usage_ids: Vec<i64>,
}

/// Bills the claimed customers of a batch and records the outcome of each.
pub fn bill_batch(
    conn: &mut DbConnection,
    context: &BillingContext,
    items: &[ClaimedItem],
    worker: &str,
    now: DateTime<Utc>,
) -> ApiResult<BatchReport> {
    let (drafts, outcomes) = price_batch(conn, context, items)?;
    let outcomes = match issue(conn, context, drafts, outcomes, worker, now) {
        Ok(outcomes) => outcomes,
        // The database itself failed: nothing to blame a customer for; the items are taken
        // up again after the claim timeout.
        Err(ApiError::Unavailable(message)) => return Err(ApiError::Unavailable(message)),
        // One customer's invoice could not be stored: issue the batch one customer at a
        // time, so that only that customer fails, with the reason.
        Err(error) => {
            tracing::warn!(run_id = context.run.id, %error, "a batch failed; issuing its customers one by one");
            let (drafts, outcomes) = price_batch(conn, context, items)?;
            issue_one_by_one(conn, context, drafts, outcomes, worker, now)?
        }
    };
    let mut report = BatchReport::default();
    for (_, outcome) in &outcomes {
        match outcome {
            ItemOutcome::Invoiced => report.invoiced += 1,
            ItemOutcome::Skipped => report.skipped += 1,
            ItemOutcome::Failed(_) => report.failed += 1,
        }
    }
    Ok(report)
}

/// Issues the drafts of a batch and records the outcome of every item, in one transaction.
fn issue(
    conn: &mut DbConnection,
    context: &BillingContext,
    drafts: Vec<Draft>,
    mut outcomes: Outcomes,
    worker: &str,
    now: DateTime<Utc>,
) -> ApiResult<Outcomes> {
    let items: Vec<i64> = drafts
        .iter()
        .map(|d| d.item_id)
        .chain(outcomes.iter().map(|(id, _)| *id))
        .collect();
    write_transaction(conn, |conn| {
        let held = BillingRunRecord::still_held(conn, worker, &items)?;
        outcomes.retain(|(id, _)| held.contains(id));
        let drafts: Vec<Draft> = drafts
            .into_iter()
            .filter(|d| held.contains(&d.item_id))
            .collect();
        // An invoice of the period issued already (by an earlier run of the period, or by a
        // worker that took this customer over) is not issued again.
        let customer_ids: Vec<i64> = drafts.iter().map(|d| d.customer.id).collect();
        let issued = InvoiceRecord::of_period(conn, &customer_ids, &context.run.period)?;
        let (done, fresh): (Vec<Draft>, Vec<Draft>) = drafts.into_iter().partition(|d| {
            issued
                .iter()
                .any(|(customer, _)| *customer == d.customer.id)
        });
        outcomes.extend(done.iter().map(|d| (d.item_id, ItemOutcome::Invoiced)));
        let stored = store(conn, context, &fresh, now)?;
        outcomes.extend(fresh.iter().map(|d| (d.item_id, ItemOutcome::Invoiced)));
        BillingRunRecord::finish_items(conn, &outcomes, to_db(now))?;
        let numbers = number(conn, context, &stored)?;
        book(conn, context, &stored, &numbers, now)?;
        notify(conn, context, &stored, &numbers, now)?;
        Ok(outcomes)
    })
}

/// Tells the customers of their new invoices, in the transaction that issues them.
fn notify(
    conn: &mut DbConnection,
    context: &BillingContext,
    invoices: &[StoredInvoice],
    numbers: &[String],
    now: DateTime<Utc>,
) -> ApiResult<()> {
    let due_date = context.due_date();
    let period = (context.period.year(), context.period.month());
    let notices: Vec<Notice> = invoices
        .iter()
        .zip(numbers)
        .map(|(invoice, number)| {
            Notice::invoice_issued(
                invoice.id,
                invoice.customer_id,
                number,
                invoice.gross_minor,
                &invoice.currency,
                due_date,
                period,
            )
        })
        .collect();
    notifications::write(conn, &context.sender, &notices, now)?;
    Ok(())
}

/// The fallback of a batch that failed as a whole: each draft issued in its own
/// transaction, a draft that fails marked failed with the reason.
fn issue_one_by_one(
    conn: &mut DbConnection,
    context: &BillingContext,
    drafts: Vec<Draft>,
    outcomes: Outcomes,
    worker: &str,
    now: DateTime<Utc>,
) -> ApiResult<Outcomes> {
    let mut all = issue(conn, context, Vec::new(), outcomes, worker, now)?;
    for draft in drafts {
        let (item_id, customer_id) = (draft.item_id, draft.customer.id);
        match issue(conn, context, vec![draft], Vec::new(), worker, now) {
            Ok(done) => all.extend(done),
            Err(ApiError::Unavailable(message)) => return Err(ApiError::Unavailable(message)),
            Err(error) => {
                let reason = format!("the invoice could not be stored: {error}");
                tracing::error!(
                    run_id = context.run.id,
                    item_id,
                    customer_id,
                    reason,
                    "a customer could not be billed"
                );
                let outcome = vec![(item_id, ItemOutcome::Failed(reason))];
                all.extend(issue(conn, context, Vec::new(), outcome, worker, now)?);
            }
        }
    }
    Ok(all)
}

/// Reads the batch's data with a handful of queries and prices every customer.
fn price_batch(
    conn: &mut DbConnection,
    context: &BillingContext,
    items: &[ClaimedItem],
) -> ApiResult<(Vec<Draft>, Outcomes)> {
    let period = context.period;
    let (first, last) = (period.first_day(), period.last_day());
    let customer_ids: Vec<i64> = items.iter().map(|i| i.customer_id).collect();
    let customers = batch::customers(conn, &customer_ids)?;
    let oldest = LateUsageWindow::oldest_month(period);
    let usage = UsageEvents::to_bill(
        conn,
        &customer_ids,
        &period.to_string(),
        &oldest.to_string(),
    )?;
    // Usage that came after its month's invoice is rated by the services of its month.
    let earliest = usage
        .iter()
        .filter(|u| u.invoice_id.is_none())
        .map(|u| u.occurred_on)
        .min()
        .map_or(first, |day| day.min(first));
    let contracts = batch::contracts(conn, &customer_ids, earliest, last)?;
    let contract_ids: Vec<i64> = contracts.iter().map(|c| c.id).collect();
    let subscriptions = batch::subscriptions(conn, &contract_ids)?;
    let subscription_ids: Vec<i64> = subscriptions.iter().map(|s| s.id).collect();
    let tariffs = SubscriptionTariffRecord::of_subscriptions(conn, &subscription_ids)?;
    let suspensions = SuspensionRecord::of_contracts(conn, &contract_ids)?;
    let benefits = batch::benefits(conn, &customer_ids, first, last)?;

    let customer_by_id = by_customer(&customers, |c| c.id);
    let contracts_of = by_customer(&contracts, |c| c.customer_id);
    let subscriptions_of = by_customer(&subscriptions, |s| s.customer_id);
    let tariffs_of = by_customer(&tariffs, |(t, _, _)| t.subscription_id);
    let suspensions_of = by_customer(&suspensions, |s| s.contract_id);
    let usage_of = by_customer(&usage, |u| u.customer_id);
    let benefits_of = by_customer(&benefits, |b| b.customer_id);
    let mut drafts = Vec::new();
    let mut outcomes = Vec::new();
    for item in items {
        let Some(customer) = customer_by_id
            .get(&item.customer_id)
            .and_then(|c| c.first())
        else {
            outcomes.push((
                item.id,
                ItemOutcome::Failed(format!("customer {} not found", item.customer_id)),
            ));
            continue;
        };
        let services = inputs::services(
            contracts_of
                .get(&customer.id)
                .map(Vec::as_slice)
                .unwrap_or_default(),
            subscriptions_of
                .get(&customer.id)
                .map(Vec::as_slice)
                .unwrap_or_default(),
            &tariffs_of,
            &suspensions_of,
        );
        let usage_rows = usage_of
            .get(&customer.id)
            .map(Vec::as_slice)
            .unwrap_or_default();
        let usage = inputs::usage(usage_rows);
        // Usage of a subscription that is not among the services priced (its contract is not
        // in force in the months billed) stays to bill: marked, it would be lost.
        let usage_ids = usage_rows
            .iter()
            .filter(|u| u.invoice_id.is_none())
            .filter(|u| {
                services
                    .iter()
                    .any(|s| s.subscription_id == u.subscription_id)
            })
            .map(|u| u.id)
            .collect();
        let benefits = inputs::benefits(
            benefits_of
                .get(&customer.id)
                .map(Vec::as_slice)
                .unwrap_or_default(),
        );
        // A fault in pricing one customer must not stop the others (nor the run).
        let priced = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            bill(period, &services, &context.versions, &usage, &benefits)
        }));
        match priced {
            Ok(Ok(bill)) if bill.lines.is_empty() => {
                outcomes.push((item.id, ItemOutcome::Skipped));
            }
            Ok(Ok(bill)) => drafts.push(Draft {
                item_id: item.id,
                customer: (*customer).clone(),
                bill,
                usage_ids,
            }),
            Ok(Err(error)) => {
                let reason = error.to_string();
                failed(context, item, &reason);
                outcomes.push((item.id, ItemOutcome::Failed(reason)));
            }
            Err(panic) => {
                let reason = format!(
                    "internal error while pricing: {}",
                    super::runs::panic_message(panic.as_ref())
                );
                failed(context, item, &reason);
                outcomes.push((item.id, ItemOutcome::Failed(reason)));
            }
        }
    }
    Ok((drafts, outcomes))
}

/// A customer that could not be billed: said in the log, where operators look first.
fn failed(context: &BillingContext, item: &ClaimedItem, reason: &str) {
    tracing::error!(
        run_id = context.run.id,
        item_id = item.id,
        customer_id = item.customer_id,
        reason,
        "a customer could not be billed"
    );
}

/// An invoice stored under its provisional number, waiting for [`number`] and [`book`].
struct StoredInvoice {
    id: i64,
    customer_id: i64,
    gross_minor: i64,
    currency: String,
}

/// Stores the drafts and their lines under provisional numbers, inside the caller's
/// transaction; answers the invoices in the drafts' order.
fn store(
    conn: &mut DbConnection,
    context: &BillingContext,
    drafts: &[Draft],
    now: DateTime<Utc>,
) -> ApiResult<Vec<StoredInvoice>> {
    if drafts.is_empty() {
        return Ok(Vec::new());
    }
    let settings = &context.settings;
    let issue_date = context.run.issue_date;
    let seller = encode(&context.seller)?;
    let virtual_accounts = settings.virtual_accounts.as_ref();
    let due_date = context.due_date();
    let period = context.period;
    let mut rows = Vec::with_capacity(drafts.len());
    for draft in drafts {
        let (_, total) = totals(&draft.bill.lines)?;
        rows.push(NewInvoiceRow {
            // Unique and never seen outside the transaction: `number` replaces it.
            number: format!("~{}:{}", context.run.id, draft.item_id),
            kind: InvoiceKind::Invoice,
            series: settings.invoice_series.clone(),
            customer_id: draft.customer.id,
            period: Some(period.to_string()),
            billing_run_id: Some(context.run.id),
            corrects_invoice_id: None,
            correction_reason: None,
            issue_date,
            sale_date: period.last_day(),
            period_start: Some(period.first_day()),
            period_end: Some(period.last_day()),
            due_date,
            currency: draft.bill.currency.clone(),
            net_minor: total.net_minor,
            vat_minor: total.vat_minor,
            gross_minor: total.gross_minor,
            language: draft.customer.preferred_language,
            seller: match (virtual_accounts, &context.seller.bank_account) {
                // The invoice names the customer's own account to pay to.
                (Some(_), Some(bank_account)) => encode(&InvoiceParty {
                    bank_account: Some(
                        settings.pay_to(bank_account, &draft.customer.account_number),
                    ),
                    ..context.seller.clone()
                })?,
                _ => seller.clone(),
            },
            buyer: encode(&buyer(&draft.customer)?)?,
            created_by: "billing".to_owned(),
            created_at: to_db(now),
        });
    }
    let amounts: Vec<(i64, String)> = rows
        .iter()
        .map(|row| (row.gross_minor, row.currency.clone()))
        .collect();
    let ids = InvoiceRecord::insert_all(conn, rows)?;
    if ids.len() != drafts.len() {
        return Err(ApiError::Internal(format!(
            "{} of {} invoices were stored",
            ids.len(),
            drafts.len()
        )));
    }
    let mut stored = Vec::with_capacity(drafts.len());
    let mut lines = Vec::new();
    for ((draft, (gross_minor, currency)), (customer_id, invoice_id)) in
        drafts.iter().zip(amounts).zip(ids)
    {
        if customer_id != draft.customer.id {
            return Err(ApiError::Internal(format!(
                "the invoice of customer {} came back as customer {customer_id}'s",
                draft.customer.id
            )));
        }
        lines.extend(line_rows(
            invoice_id,
            draft.customer.id,
            &draft.bill.lines,
            draft.customer.preferred_language,
        ));
        // Two runs pricing one customer at once (a retry of an old month beside this one's):
        // the second finds the usage billed and fails, to be priced again, not bill it twice.
        let marked = UsageEvents::mark_billed(conn, &draft.usage_ids, invoice_id)?;
        if marked != draft.usage_ids.len() {
            return Err(ApiError::Conflict(
                okno_api_types::ErrorCode::VersionConflict,
                "some of the customer's usage was billed by another invoice meanwhile; bill the period again".into(),
                Vec::new(),
            ));
        }
        stored.push(StoredInvoice {
            id: invoice_id,
            customer_id,
            gross_minor,
            currency,
        });
    }
    okno_db::invoices::InvoiceLineRecord::insert_all(conn, lines)?;
    Ok(stored)
}

/// Takes a block of numbers from the series and gives them to the stored invoices, near the
/// end of the caller's transaction: the sequence stays locked until the commit, so the
/// other workers wait only for this and [`book`] (R-24: no number skipped or used twice).
/// Answers the numbers in the invoices' order.
fn number(
    conn: &mut DbConnection,
    context: &BillingContext,
    invoices: &[StoredInvoice],
) -> ApiResult<Vec<String>> {
    if invoices.is_empty() {
        return Ok(Vec::new());
    }
    let settings = &context.settings;
    let issue_date = context.run.issue_date;
    let sequence = settings
        .invoice_format
        .sequence(&settings.invoice_series, issue_date);
    let count = i64::try_from(invoices.len()).unwrap_or(i64::MAX);
    let first_number = sequences::take_block(conn, &sequence, count)?;
    let numbers: Vec<(i64, String)> = (0_i64..)
        .zip(invoices)
        .map(|(offset, invoice)| {
            (
                invoice.id,
                settings
                    .invoice_format
                    .format(issue_date, first_number + offset),
            )
        })
        .collect();
    InvoiceRecord::assign_numbers(conn, &numbers)?;
    Ok(numbers.into_iter().map(|(_, number)| number).collect())
}

/// Books the numbered invoices to the customers' accounts. Booked after numbering, so an
/// entry is written once, with its invoice's number, rather than written and corrected.
fn book(
    conn: &mut DbConnection,
    context: &BillingContext,
    invoices: &[StoredInvoice],
    numbers: &[String],
    now: DateTime<Utc>,
) -> ApiResult<()> {
    let entries: Vec<NewAccountEntryRow> = invoices
        .iter()
        .zip(numbers)
        .map(|(invoice, number)| NewAccountEntryRow {
            booked_on: context.run.issue_date,
            invoice_id: Some(invoice.id),
            ..NewAccountEntryRow::new(
                invoice.customer_id,
                EntryKind::Invoice,
                to_db(now),
                -invoice.gross_minor,
                invoice.currency.clone(),
                number.clone(),
            )
        })
        .collect();
    okno_db::invoices::AccountEntryRecord::insert_all(conn, entries)?;
    // Credit waiting on the account (an overpayment, a credit note) pays the new invoices.
    let customers: Vec<i64> = invoices.iter().map(|i| i.customer_id).collect();
    crate::payments::allocation::settle_customers(conn, &customers, now)
}

pub fn line_rows(
    invoice_id: i64,
    customer_id: i64,
    lines: &[DraftLine],
    language: okno_domain::customers::Language,
) -> Vec<NewInvoiceLineRow> {
    (1_i32..)
        .zip(lines)
        .map(|(position, line)| NewInvoiceLineRow {
            invoice_id,
            customer_id,
            position,
            kind: line.kind,
            description: describe(line, language),
            subscription_id: line.subscription_id,
            tariff_version_id: line.tariff_version_id,
            first_day: line.first_day,
            last_day: line.last_day,
            days: line.days.and_then(|d| i32::try_from(d).ok()),
            month_days: line.month_days.and_then(|d| i32::try_from(d).ok()),
            unit: line.unit,
            quantity_milli: line.quantity_milli,
            net_minor: line.net_minor,
            vat_rate_bp: line.vat_rate_bp,
            vat_minor: line.vat_minor,
            gross_minor: line.gross_minor,
            corrects_line_id: None,
            net_before_minor: None,
            net_after_minor: None,
        })
        .collect()
}
