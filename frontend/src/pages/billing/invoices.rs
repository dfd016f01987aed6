//! `/invoices`: invoices and correction notes, newest first, filtered by month, kind, number
//! customer (`?customer_id=` from the customer card, or an account number typed) and issue
//! dates.

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
    // A customer from the card's link, or found by the account number typed in the filter.
    let customer_id = RwSignal::new(from_url("customer_id").parse::<i64>().ok());
    let account = RwSignal::new(String::new());
    let issued_from = RwSignal::new(String::new());
    let issued_to = RwSignal::new(String::new());
    let find_customer = move |typed: String| {
        account.set(typed.clone());
        let digits: String = typed.chars().filter(char::is_ascii_digit).collect();
        if digits.is_empty() {
            customer_id.set(None);
            return;
        }
        leptos::task::spawn_local(async move {
            let found = api::customer_with_account(session, digits)
                .await
                .map(|c| c.id);
            // No such account: a customer nobody has, so the list is empty rather than all.
            customer_id.set(Some(found.unwrap_or(0)));
        });
    };
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
            customer_id: customer_id.get_untracked(),
            issued_from: issued_from.get_untracked().parse().ok(),
            issued_to: issued_to.get_untracked().parse().ok(),
            period: Some(period.get_untracked()).filter(|p| p.parse::<Period>().is_ok()),
            kind: kind.get_untracked().parse().ok(),
            number: Some(number.get_untracked()).filter(|n| !n.trim().is_empty()),
            limit: Some(PAGE),
            cursor: cursor.clone(),
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
        customer_id.track();
        issued_from.track();
        issued_to.track();
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
                <label class="filter">
                    <span>{tr(|l| td_string!(l, invoices.customer_account))}</span>
                    <input type="search" name="account" inputmode="numeric" placeholder="100000017" prop:value=move || account.get() on:change=move |ev| find_customer(event_target_value(&ev)) />
                </label>
                <label class="filter">
                    <span>{tr(|l| td_string!(l, invoices.issued_from))}</span>
                    <input type="date" name="issued_from" prop:value=move || issued_from.get() on:change=move |ev| issued_from.set(event_target_value(&ev)) />
                </label>
                <label class="filter">
                    <span>{tr(|l| td_string!(l, invoices.issued_to))}</span>
                    <input type="date" name="issued_to" prop:value=move || issued_to.get() on:change=move |ev| issued_to.set(event_target_value(&ev)) />
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
                                            <td class="hide-narrow nowrap">
                                                {
                                                    let period = invoice.period.clone();
                                                    move || period.as_deref().and_then(|p| p.parse().ok()).map(|p| labels::month(i18n.get_locale(), p)).unwrap_or_default()
                                                }
                                            </td>
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
