//! `/contracts`: all contracts, newest first, filtered by state; a page at a time.

use leptos::prelude::*;
use leptos_router::components::A;
use okno_api_types::contracts::{Contract, ContractQuery, ContractStatus};

use super::ContractStatusBadge;
use crate::api;
use crate::components::filter::EnumFilter;
use crate::components::paging::Pages;
use crate::components::status::{Empty, FailureNote, Loading};
use crate::i18n::*;
use crate::labels;
use crate::labels::tr;
use crate::session::use_session;
use crate::time;

const PAGE: u32 = 50;

#[component]
pub fn ContractsPage() -> impl IntoView {
    let session = use_session();
    let status = RwSignal::new(String::new());
    let pages = Pages::<Contract>::new();
    let Pages {
        items,
        next,
        failure,
        loading,
        ..
    } = pages;

    let load = move |cursor: Option<String>| {
        let query = ContractQuery {
            status: status.get_untracked().parse().ok(),
            limit: Some(PAGE),
            cursor: cursor.clone(),
            ..ContractQuery::default()
        };
        pages.load(
            cursor,
            api::call(session, async move |client| client.contracts(&query).await),
        );
    };
    Effect::new(move |_| {
        status.track();
        load(None);
    });

    view! {
        <section class="page" data-testid="contracts">
            <div class="page-head">
                <h1>{tr(|l| td_string!(l, contracts.title))}</h1>
            </div>
            <div class="filters">
                <EnumFilter label=|l| td_string!(l, customers.status) value=status values=ContractStatus::all() name_of=labels::contract_status />
            </div>
            {move || failure.get().map(|f| view! { <FailureNote failure=f /> })}
            <Show
                when=move || !items.with(Vec::is_empty)
                fallback=move || view! {
                    <Show when=move || !loading.get() fallback=|| view! { <Loading /> }>
                        <Empty text=|l| td_string!(l, contracts.none) />
                    </Show>
                }
            >
                <ContractTable contracts=Signal::derive(move || items.get()) />
                <Show when=move || next.with(Option::is_some)>
                    <button class="button" disabled=move || loading.get() on:click=move |_| load(next.get_untracked())>
                        {tr(|l| td_string!(l, common.more))}
                    </button>
                </Show>
            </Show>
        </section>
    }
}

/// Contracts as a table: number, customer, services, term and state.
#[component]
pub fn ContractTable(
    #[prop(into)] contracts: Signal<Vec<Contract>>,
    #[prop(optional)] without_customer: bool,
) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <div class="table-wrap">
            <table class="table" data-testid="contract-table">
                <thead>
                    <tr>
                        <th>{tr(|l| td_string!(l, contracts.number))}</th>
                        {(!without_customer).then(|| view! { <th>{tr(|l| td_string!(l, customers.name))}</th> })}
                        <th>{tr(|l| td_string!(l, contracts.services))}</th>
                        <th class="hide-narrow">{tr(|l| td_string!(l, contracts.term))}</th>
                        <th>{tr(|l| td_string!(l, customers.status))}</th>
                    </tr>
                </thead>
                <tbody>
                    <For each=move || contracts.get() key=|c| (c.id, c.version) let:c>
                        {
                            let tariffs = super::current_tariffs(&c, super::today());
                            let (start, end) = (c.start_date, c.end_date);
                            view! {
                                <tr data-testid="contract-row">
                                    <td class="mono nowrap"><A href=format!("/contracts/{}", c.id)>{c.number.clone()}</A></td>
                                    {(!without_customer).then(|| view! { <td><A href=format!("/customers/{}", c.customer_id)>{c.customer_name.clone()}</A></td> })}
                                    <td>{tariffs}</td>
                                    <td class="hide-narrow nowrap">
                                        {move || {
                                            let l = i18n.get_locale();
                                            match end {
                                                Some(end) => format!("{} – {}", time::day(start, l), time::day(end, l)),
                                                None => format!("{} – {}", time::day(start, l), td_string!(l, contracts.term_indefinite)),
                                            }
                                        }}
                                    </td>
                                    <td><ContractStatusBadge status=c.status ends_on=c.ends_on /></td>
                                </tr>
                            }
                        }
                    </For>
                </tbody>
            </table>
        </div>
    }
}
