//! `/invoices`: invoices and correction notes, newest first, filtered by month, kind, number
//! and customer (`?customer_id=` from the customer card).

use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_query_map;
use okno_api_types::billing::{InvoiceKind, InvoiceQuery, InvoiceSummary, Period};
use okno_domain::format;

use crate::api;
use crate::components::filter::EnumFilter;
use crate::components::paging::Pages;
use crate::components::status::{Empty, FailureNote, Loading};
use crate::i18n::*;
use crate::labels::{self, tr};
use crate::session::use_session;
use crate::time::{self, language};

const PAGE: u32 = 50;

#[component]
pub fn InvoicesPage() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let query_map = use_query_map();
    let from_url = |name: &'static str| {
        query_map
            .with_untracked(|q| q.get(name))
            .unwrap_or_default()
    };
    let period = RwSignal::new(from_url("period"));
    let kind = RwSignal::new(String::new());
    let number = RwSignal::new(String::new());
    let customer_id = from_url("customer_id").parse::<i64>().ok();
    let pages = Pages::<InvoiceSummary>::new();
    let Pages {
        items,
        next,
        failure,
        loading,
        ..
    } = pages;

    let load = move |cursor: Option<String>| {
        let query = InvoiceQuery {
            customer_id,
            period: Some(period.get_untracked()).filter(|p| p.parse::<Period>().is_ok()),
            kind: kind.get_untracked().parse().ok(),
            number: Some(number.get_untracked()).filter(|n| !n.trim().is_empty()),
            limit: Some(PAGE),
            cursor: cursor.clone(),
            ..InvoiceQuery::default()
        };
        pages.load(
            cursor,
            api::call(session, async move |client| client.invoices(&query).await),
        );
    };
    Effect::new(move |_| {
        period.track();
        kind.track();
        number.track();
        load(None);
    });

    view! {
        <section class="page" data-testid="invoices">
            <div class="page-head">
                <h1>{tr(|l| td_string!(l, invoices.title))}</h1>
            </div>
            <div class="filters">
                <label class="filter">
                    <span>{tr(|l| td_string!(l, billing.period))}</span>
                    <input type="month" name="period" prop:value=move || period.get() on:change=move |ev| period.set(event_target_value(&ev)) />
                </label>
                <EnumFilter label=|l| td_string!(l, invoices.kind) value=kind values=InvoiceKind::all() name_of=labels::invoice_kind name="kind" />
                <label class="filter">
                    <span>{tr(|l| td_string!(l, invoices.number))}</span>
                    <input type="search" name="number" placeholder="FV/2026/10" prop:value=move || number.get() on:change=move |ev| number.set(event_target_value(&ev)) />
                </label>
            </div>
            {move || failure.get().map(|f| view! { <FailureNote failure=f /> })}
            <Show
                when=move || !items.with(Vec::is_empty)
                fallback=move || view! {
                    <Show when=move || !loading.get() fallback=|| view! { <Loading /> }>
                        <Empty text=|l| td_string!(l, invoices.none) />
                    </Show>
                }
            >
                <div class="table-wrap">
                    <table class="table" data-testid="invoice-table">
                        <thead>
                            <tr>
                                <th>{tr(|l| td_string!(l, invoices.number))}</th>
                                <th>{tr(|l| td_string!(l, customers.name))}</th>
                                <th class="hide-narrow">{tr(|l| td_string!(l, billing.period))}</th>
                                <th class="hide-narrow">{tr(|l| td_string!(l, invoices.issued))}</th>
                                <th class="hide-narrow">{tr(|l| td_string!(l, invoices.due))}</th>
                                <th class="num">{tr(|l| td_string!(l, invoices.gross))}</th>
                            </tr>
                        </thead>
                        <tbody>
                            <For each=move || items.get() key=|i| i.id let:invoice>
                                {
                                    let (issued, due) = (invoice.issue_date, invoice.due_date);
                                    let correction = invoice.kind == InvoiceKind::Correction;
                                    view! {
                                        <tr data-testid="invoice-row">
                                            <td class="mono nowrap">
                                                <A href=format!("/invoices/{}", invoice.id)>{invoice.number.clone()}</A>
                                                {correction.then(|| view! { " " <span class="chip">{tr(|l| td_string!(l, invoices.correction_short))}</span> })}
                                            </td>
                                            <td><A href=format!("/customers/{}", invoice.customer_id)>{invoice.customer_name.clone()}</A></td>
                                            <td class="hide-narrow nowrap">{invoice.period.clone().unwrap_or_default()}</td>
                                            <td class="hide-narrow nowrap">{move || time::day(issued, i18n.get_locale())}</td>
                                            <td class="hide-narrow nowrap">{move || time::day(due, i18n.get_locale())}</td>
                                            <td class="num nowrap">{move || format::money(invoice.gross_minor, &invoice.currency, language(i18n.get_locale()))}</td>
                                        </tr>
                                    }
                                }
                            </For>
                        </tbody>
                    </table>
                </div>
                <Show when=move || next.with(Option::is_some)>
                    <button class="button" disabled=move || loading.get() on:click=move |_| load(next.get_untracked())>{tr(|l| td_string!(l, common.more))}</button>
                </Show>
            </Show>
        </section>
    }
}
