//! `/customers?q=…`: the search results, or all customers, with filters and paging.

use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_query_map;
use okno_api_types::customers::{CustomerQuery, CustomerSummary};
use okno_api_types::{CustomerKind, CustomerStatus, Segment};

use crate::api;
use crate::components::filter::EnumFilter;
use crate::components::paging::Pages;
use crate::components::status::{Empty, FailureNote, Loading, StatusBadge};
use crate::i18n::*;
use crate::labels;
use crate::labels::tr;
use crate::session::use_session;

const PAGE: u32 = 25;

fn parse<T: std::str::FromStr>(text: &str) -> Option<T> {
    if text.is_empty() {
        None
    } else {
        text.parse().ok()
    }
}

#[component]
pub fn CustomersPage() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let query_map = use_query_map();
    let q = Memo::new(move |_| {
        query_map
            .with(|m| m.get("q"))
            .filter(|q| !q.trim().is_empty())
    });
    let status = RwSignal::new(String::new());
    let segment = RwSignal::new(String::new());
    let kind = RwSignal::new(String::new());
    let pages = Pages::<CustomerSummary>::new();
    let Pages {
        items,
        next,
        failure,
        loading,
        ..
    } = pages;

    let load = move |cursor: Option<String>| {
        let query = CustomerQuery {
            q: q.get_untracked(),
            status: parse::<CustomerStatus>(&status.get_untracked()),
            segment: parse::<Segment>(&segment.get_untracked()),
            kind: parse::<CustomerKind>(&kind.get_untracked()),
            sales_point_id: None,
            limit: Some(PAGE),
            cursor: cursor.clone(),
        };
        pages.load(
            cursor,
            api::call(session, async move |client| client.customers(&query).await),
        );
    };
    Effect::new(move |_| {
        q.track();
        status.track();
        segment.track();
        kind.track();
        load(None);
    });

    view! {
        <section class="page">
            <div class="page-head">
                <h1>
                    {move || match q.get() {
                        Some(q) => t_string!(i18n, customers.results_for, query = q),
                        None => t_string!(i18n, customers.title).to_owned(),
                    }}
                </h1>
            </div>
            <div class="filters">
                <EnumFilter label=|l| td_string!(l, customers.status) value=status values=CustomerStatus::all() name_of=labels::status />
                <EnumFilter label=|l| td_string!(l, customers.segment) value=segment values=Segment::all() name_of=labels::segment />
                <EnumFilter label=|l| td_string!(l, customers.kind) value=kind values=CustomerKind::all() name_of=labels::kind />
            </div>
            {move || failure.get().map(|f| view! { <FailureNote failure=f /> })}
            <Show
                when=move || !items.with(Vec::is_empty)
                fallback=move || {
                    view! {
                        <Show when=move || !loading.get() fallback=|| view! { <Loading /> }>
                            <Empty text=|l| td_string!(l, customers.none_found) />
                        </Show>
                    }
                }
            >
                <div class="table-wrap">
                    <table class="table" data-testid="customer-results">
                        <thead>
                            <tr>
                                <th>{tr(|l| td_string!(l, customers.account_number))}</th>
                                <th>{tr(|l| td_string!(l, customers.name))}</th>
                                <th class="hide-narrow">{tr(|l| td_string!(l, customers.address))}</th>
                                <th class="hide-narrow">{tr(|l| td_string!(l, customers.phone))}</th>
                                <th>{tr(|l| td_string!(l, customers.status))}</th>
                            </tr>
                        </thead>
                        <tbody>
                            <For each=move || items.get() key=|c| c.id let:customer>
                                <tr>
                                    <td class="mono">{customer.account_number.clone()}</td>
                                    <td>
                                        <A href=format!("/customers/{}", customer.id)>{customer.display_name.clone()}</A>
                                        {move || {
                                            (customer.kind == CustomerKind::Organisation)
                                                .then(|| view! { <span class="muted">" · " {customer.tax_id.clone()}</span> })
                                        }}
                                    </td>
                                    <td class="hide-narrow">{customer.address.clone()}</td>
                                    <td class="hide-narrow nowrap">{customer.phone.as_deref().map(okno_domain::customers::shown_phone)}</td>
                                    <td>
                                        <StatusBadge status=customer.status />
                                    </td>
                                </tr>
                            </For>
                        </tbody>
                    </table>
                </div>
                <Show when=move || next.with(Option::is_some)>
                    <button class="button" disabled=move || loading.get() on:click=move |_| load(next.get_untracked())>
                        {tr(|l| td_string!(l, common.more))}
                    </button>
                </Show>
            </Show>
        </section>
    }
}
