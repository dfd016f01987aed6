//! `/billing`: billing runs. Start the run of a month that has ended (or take it up
//! again) and follow its progress; the server's workers do the work in the background.

use chrono::NaiveDate;
use leptos::prelude::*;
use okno_api_types::billing::{BillingRun, NewBillingRun, Period, RunStatus};

use crate::api::{self, Failure};
use crate::components::forms::{Field, Select, error_of};
use crate::components::latest::Latest;
use crate::components::status::LoadedList;
use crate::components::toast::use_toasts;
use crate::i18n::*;
use crate::labels::{self, label, tr};
use crate::pages::contracts::today;
use crate::session::use_session;
use crate::time;

/// The months one may bill: the last twelve that have ended.
fn billable_months(today: NaiveDate) -> Vec<Period> {
    let mut month = Period::of(today).previous();
    let mut months = Vec::with_capacity(12);
    for _ in 0..12 {
        months.push(month);
        month = month.previous();
    }
    months
}

#[component]
pub fn BillingRuns() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let toasts = use_toasts();
    let runs = RwSignal::new(None::<Result<Vec<BillingRun>, Failure>>);
    let period = RwSignal::new(Period::of(today()).previous().to_string());
    let issue_date = RwSignal::new(today().to_string());
    let failure = RwSignal::new(None::<Failure>);
    let busy = RwSignal::new(false);
    // A run started while the progress is being fetched: the older progress must not
    // replace the newer.
    let latest = Latest::new();
    let reload = move || {
        latest.spawn(
            api::call(session, async |client| client.billing_runs().await),
            move |result| runs.set(Some(result)),
        );
    };
    reload();
    // While a run is under way, its progress is fetched every second.
    let ticking = StoredValue::new(false);
    Effect::new(move |_| {
        let running = runs.with(|r| matches!(r, Some(Ok(list)) if list.iter().any(|run| run.status == RunStatus::Running)));
        if running && !ticking.get_value() {
            ticking.set_value(true);
            set_timeout(
                move || {
                    ticking.set_value(false);
                    reload();
                },
                std::time::Duration::from_secs(1),
            );
        }
    });

    let start = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Ok(period) = period.get_untracked().parse::<Period>() else {
            return;
        };
        let request = NewBillingRun {
            period,
            issue_date: issue_date.get_untracked().parse().ok(),
        };
        busy.set(true);
        leptos::task::spawn_local(async move {
            let result = api::call(session, async |client| {
                client.start_billing_run(&request).await
            })
            .await;
            busy.set(false);
            match result {
                Ok(_) => {
                    failure.set(None);
                    toasts.success(td_string!(i18n.get_locale_untracked(), billing.started));
                    reload();
                }
                Err(error) => toasts.form_failure(i18n.get_locale_untracked(), failure, error),
            }
        });
    };
    view! {
        <section class="page" data-testid="billing-runs">
            <div class="page-head">
                <div>
                    <h1>{tr(|l| td_string!(l, billing.title))}</h1>
                    <p class="muted">{tr(|l| td_string!(l, billing.lead))}</p>
                </div>
            </div>
            <form class="panel form form-wide" on:submit=start novalidate data-testid="start-run">
                <div class="grid-3">
                    <Select
                        label=label(|l| td_string!(l, billing.period))
                        value=period
                        name="period"
                        error=error_of(failure, "period")
                        options=Signal::derive(move || {
                            let l = i18n.get_locale();
                            billable_months(today()).into_iter().map(|p| (p.to_string(), labels::month(l, p))).collect()
                        })
                    />
                    <Field label=label(|l| td_string!(l, billing.issue_date)) value=issue_date name="issue_date" input_type="date" error=error_of(failure, "issue_date") />
                </div>
                <div class="form-actions">
                    <button class="button-primary" type="submit" disabled=move || busy.get() data-testid="start-billing">{tr(|l| td_string!(l, billing.start))}</button>
                </div>
            </form>
            <LoadedList value=move || runs.get() empty=|l| td_string!(l, billing.none) let:list>
                    <div class="table-wrap">
                        <table class="table" data-testid="runs">
                            <thead>
                                <tr>
                                    <th>{tr(|l| td_string!(l, billing.period))}</th>
                                    <th>{tr(|l| td_string!(l, customers.status))}</th>
                                    <th>{tr(|l| td_string!(l, billing.progress))}</th>
                                    <th>{tr(|l| td_string!(l, billing.invoiced))}</th>
                                    <th class="hide-narrow">{tr(|l| td_string!(l, billing.skipped))}</th>
                                    <th>{tr(|l| td_string!(l, billing.failed))}</th>
                                    <th class="hide-narrow">{tr(|l| td_string!(l, billing.started_by))}</th>
                                </tr>
                            </thead>
                            <tbody>
                                {list.into_iter().map(|run| view! { <RunRow run=run /> }).collect_view()}
                            </tbody>
                        </table>
                    </div>
            </LoadedList>
        </section>
    }
}

#[component]
fn RunRow(run: BillingRun) -> impl IntoView {
    let i18n = use_i18n();
    let done = run.customers - run.open;
    let percent = if run.customers > 0 {
        done * 100 / run.customers
    } else {
        100
    };
    let period = run.period;
    let running = run.status == RunStatus::Running;
    let failures = run.failures.clone();
    let started_at = run.started_at;
    // The bar's width is set through the style object (`style:`), which the
    // Content-Security-Policy allows, not as a style attribute, which it refuses.
    view! {
        <tr data-testid="run-row">
            <td class="nowrap">
                <a href=format!("/invoices?period={}", run.period)>{move || labels::month(i18n.get_locale(), period)}</a>
            </td>
            <td>
                <span class="badge" class:badge-prospect=running class:badge-active=run.status == RunStatus::Completed class:badge-suspended=run.status == RunStatus::CompletedWithFailures data-testid="run-status">
                    {move || labels::run_status(i18n.get_locale(), run.status)}
                </span>
            </td>
            <td>
                <div
                    class="progress"
                    role="progressbar"
                    aria-label=move || format!("{} {}", t_string!(i18n, billing.progress), labels::month(i18n.get_locale(), period))
                    aria-valuemin="0"
                    aria-valuemax="100"
                    aria-valuenow=percent.to_string()
                >
                    <span style:width=format!("{percent}%")></span>
                </div>
                <span class="muted small">{format!("{done} / {}", run.customers)}</span>
            </td>
            <td data-testid="run-invoiced">{run.invoiced}</td>
            <td class="hide-narrow">{run.skipped}</td>
            <td class:overdue={run.failed > 0}>
                {run.failed}
                {(!failures.is_empty()).then(|| view! {
                    <ul class="history">
                        {failures.into_iter().map(|f| view! { <li><a href=format!("/customers/{}", f.customer_id)>{f.customer_id}</a> ": " {f.reason}</li> }).collect_view()}
                    </ul>
                })}
            </td>
            <td class="hide-narrow muted small">{run.started_by.clone()} <br /> {move || time::date_time(started_at, i18n.get_locale())}</td>
        </tr>
    }
}
